// fuzz_params: the parameter catalogue's parsers (platform/params.h).
//
// The input is used three ways on one Params:
//   1. as a configuration file: written to a memfd and read with
//      Params::load_file("/proc/self/fd/N");
//   2. line by line (the first 64) as --set assignments:
//      Params::set_assignment(line);
//   3. line by line split at the first tab into Params::set(key, value)
//      (keys and values the file syntax cannot express: '#', '=', spaces).
// Only ConfigError may escape a call. After each call every parameter
// must still be well-formed: its raw value parses with its type's parser
// and lies in the catalogue's range, set() of that raw value on a fresh
// Params keeps it unchanged (normalisation is idempotent), a time renders
// back exactly (format_ps / parse_trace_duration), a frequency has a whole
// picosecond period, a choice is one of the listed words, a boolean is 0/1;
// to_json() is one JSON object whose strings hold no quote, backslash or
// control character; and an error message is one line "WHERE: error: ...".
// Finally the combination System would build from (platform/system.cpp's
// own checks applied) must be accepted by the model constructors that take
// those values (ItsCore's configuration check, SparseStore's size).
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "fuzz_input.h"
#include "itsim/its/its_core.h"
#include "itsim/memory/sparse_store.h"
#include "params.h"
#include "trace/trace.h"

using namespace itsim;

namespace {

void check_error(const ConfigError& e) {
    const std::string w = e.what();
    FUZZ_CHECK(w.find('\n') == std::string::npos, "ConfigError spans lines: " + w);
    FUZZ_CHECK(w.find(": error: ") != std::string::npos, "ConfigError without ': error: ': " + w);
}

// The keys to_json echoes: every parameter, except that with gic.version=3
// the GICv4 work's keys are left out while they hold their defaults, and
// the later keys (coalesce) are, whatever the version.
bool echoed(const Params& params, const ParamInfo& p) {
    if (params.raw(p.name) != p.default_value) return true;
    if (echoed_only_when_set_any_version(p.name)) return false;
    return !(params.raw("gic.version") == "3" && echoed_only_when_set(p.name));
}

void check_json(const Params& params, const std::string& j) {
    FUZZ_CHECK(j.size() >= 2 && j.front() == '{' && j.back() == '}', "to_json is not an object: " + j);
    bool in_str = false;
    size_t quotes = 0;
    for (char ch : j) {
        const unsigned char c = static_cast<unsigned char>(ch);
        FUZZ_CHECK(c >= 0x20, "to_json holds a control character");
        FUZZ_CHECK(c != '\\', "to_json holds a backslash: " + j);
        if (c == '"') {
            in_str = !in_str;
            ++quotes;
        }
    }
    size_t keys = 0, integers = 0;
    for (const ParamInfo& p : param_catalogue())
        if (echoed(params, p)) {
            ++keys;
            integers += p.type == ParamType::integer;
        }
    FUZZ_CHECK(!in_str && quotes == 4 * keys - 2 * integers,
               "to_json quotes do not pair up as one string per name and non-integer value: " + j);
}

// `seen`: the raw values when last checked; only parameters whose value
// changed since are checked again (set() touches one key).
void check_params(const Params& p, std::vector<std::string>& seen) {
    const auto& cat = param_catalogue();
    if (seen.size() != cat.size()) seen.assign(cat.size(), std::string(1, '\0'));
    for (size_t i = 0; i < cat.size(); ++i) {
        const ParamInfo& info = cat[i];
        const std::string key = info.name;
        const std::string& raw = p.raw(key);
        if (raw == seen[i]) continue;
        seen[i] = raw;
        const std::string what = key + "=" + raw;
        switch (info.type) {
        case ParamType::integer: {
            uint64_t v = 0;
            FUZZ_CHECK(parse_integer(raw, v), what + ": stored integer does not parse");
            FUZZ_CHECK(v >= info.min && v <= info.max, what + ": stored integer out of range");
            FUZZ_CHECK(p.integer(key) == v, what + ": integer() disagrees");
            break;
        }
        case ParamType::time: {
            uint64_t ps = 0, back = 0;
            FUZZ_CHECK(parse_time_ps(raw, ps), what + ": stored time does not parse");
            FUZZ_CHECK(p.picoseconds(key) == ps, what + ": picoseconds() disagrees");
            FUZZ_CHECK(parse_time_ps(format_ps(ps), back) && back == ps, what + ": format_ps gives " + format_ps(ps));
            break;
        }
        case ParamType::freq: {
            uint64_t ps = 0;
            FUZZ_CHECK(parse_freq_period_ps(raw, ps) && ps > 0, what + ": stored frequency does not parse");
            FUZZ_CHECK(p.period_ps(key) == ps, what + ": period_ps() disagrees");
            break;
        }
        case ParamType::choice: {
            const std::string choices = std::string("|") + info.choices + "|";
            FUZZ_CHECK(!raw.empty() && choices.find("|" + raw + "|") != std::string::npos, what + ": not a choice");
            break;
        }
        case ParamType::boolean:
            FUZZ_CHECK(raw == "0" || raw == "1", what + ": boolean not normalised");
            break;
        }
        static Params fresh;   // set() touches only `key`: one instance serves every check
        try {
            fresh.set(key, raw, "recheck");
        } catch (const ConfigError& e) {
            FUZZ_CHECK(false, what + ": the stored value is rejected by set(): " + e.what());
        }
        FUZZ_CHECK(fresh.raw(key) == raw, what + ": set() of the stored value gives " + fresh.raw(key));
    }
}

// What System would hand the models, after System's own checks.
void check_models(const Params& p) {
    for (const char* c : {"its.device_cache", "its.event_cache", "its.collection_cache", "redist.config_cache"}) {
        const std::string n(c);
        if (p.integer(n + ".entries") % p.integer(n + ".ways") != 0) return;   // System: ConfigError
    }
    const uint64_t line = p.integer("redist.config_line_bytes");
    if (line & (line - 1)) return;                                          // System: ConfigError
    ItsConfig ic;
    ic.device_id_bits = unsigned(p.integer("its.device_bits"));
    ic.event_id_bits = unsigned(p.integer("its.event_bits"));
    ic.lpi_intid_bits = unsigned(p.integer("its.lpi_bits"));
    ic.pta = p.integer("its.pta") == 1;
    // Cache geometry is checked above; small caches keep this cheap.
    ic.device_cache = ic.event_cache = ic.collection_cache = ItsCacheGeometry{0, 1};
    try {
        ItsCore core(ic);
    } catch (const std::invalid_argument& e) {
        FUZZ_CHECK(false, std::string("parameters accepted that the ITS rejects: ") + e.what());
    }
    FUZZ_CHECK(p.integer("ram.size") <= SparseStore::kMaxSize, "ram.size past the sparse store's limit");
}

template <typename F>
void guarded(Params& p, std::vector<std::string>& seen, F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        check_error(e);
    }
    check_params(p, seen);
}

int memfd() {
    static int fd = -1;
    if (fd < 0) fd = memfd_create("fuzz_params", 0);
    FUZZ_CHECK(fd >= 0, "memfd_create failed");
    return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    Params p;
    std::vector<std::string> seen;
    // 1. The whole input as a configuration file.
    const int fd = memfd();
    FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == ssize_t(size), "memfd write failed");
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    guarded(p, seen, [&] { p.load_file(path); });
    // 2. and 3. Line by line.
    size_t start = 0;
    unsigned lines = 0;
    while (start <= text.size() && lines++ < 64) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        // main() names the origin "--set ARG"; ARG comes from argv and holds no
        // NUL, which a line here may: the origin is fixed instead.
        guarded(p, seen, [&] { p.set_assignment(line, "--set"); });
        const size_t tab = line.find('\t');
        if (tab != std::string::npos)
            guarded(p, seen, [&] { p.set(line.substr(0, tab), line.substr(tab + 1), "fuzz", "fuzz:value"); });
        start = end + 1;
    }
    check_json(p, p.to_json());
    check_models(p);
    return 0;
}
