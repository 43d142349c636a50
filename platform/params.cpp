#include "params.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "itsim/common/config_value.h"
#include "platform_config.h"

namespace itsim {

ParamInfo param_info(const FieldValue& f) {
    ParamInfo p;
    p.name = f.info.name;
    switch (f.info.type) {
    case FieldType::integer: p.type = ParamType::integer; break;
    case FieldType::boolean: p.type = ParamType::boolean; break;
    case FieldType::choice: p.type = ParamType::choice; break;
    case FieldType::time: p.type = ParamType::time; break;
    case FieldType::clock: p.type = ParamType::freq; break;
    case FieldType::text: throw std::logic_error("parameter " + f.info.name + ": text parameters are not supported");
    }
    p.default_value = f.value;
    p.description = f.info.meaning;
    p.choices = f.info.choice_list();
    p.min = f.info.min;
    p.max = f.info.max;
    p.field = f.info;
    return p;
}

// The catalogue: SystemConfig's fields with the structs' defaults. Defaults
// follow QEMU's `virt` memory map and Arm's GIC-600 where the figure is
// public; each struct's member initialiser says why.
const std::vector<ParamInfo>& param_catalogue() {
    static const std::vector<ParamInfo> cat = catalogue_for(SystemConfig::fields(), "");
    return cat;
}

namespace {

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

}  // namespace

// Numbers and times follow the trace's grammar exactly (one grammar for both).
bool parse_integer(const std::string& text, uint64_t& out) {
    return grammar::parse_number(text, true, out) == grammar::Number::ok;
}

bool parse_time_ps(const std::string& text, uint64_t& out_ps) {
    std::string_view unit;
    return grammar::parse_duration(text, out_ps, unit) == grammar::Duration::ok;
}

bool parse_freq_period_ps(const std::string& text, uint64_t& out_ps) { return grammar::parse_frequency(text, out_ps); }

Params::Params() {
    for (const ParamInfo& p : param_catalogue()) values_[p.name] = p.default_value;
}

const ParamInfo& Params::info(const std::string& key) const {
    for (const ParamInfo& p : param_catalogue())
        if (key == p.name) return p;
    throw std::out_of_range("no parameter " + key);
}

void Params::set(const std::string& key, const std::string& value_in, const std::string& where,
                 const std::string& value_where) {
    const ParamInfo* p = nullptr;
    for (const ParamInfo& c : param_catalogue())
        if (key == c.name) p = &c;
    if (!p) {
        // Suggest the closest names so a typo is easy to fix.
        std::string hint;
        for (const ParamInfo& c : param_catalogue()) {
            if (c.name.find(key) != std::string::npos || key.find(c.name) != std::string::npos) {
                hint = " (did you mean '" + c.name + "'?)";
                break;
            }
        }
        throw ConfigError(where + ": error: unknown parameter '" + key + "'" + hint +
                          "; `itsim params` lists them all");
    }
    const std::string& vw = value_where.empty() ? where : value_where;
    std::string value = trim(value_in);
    uint64_t v = 0;
    std::string why;
    if (!parse_field(p->field, value, v, &why)) throw ConfigError(vw + ": error: " + key + "=" + value + ": " + why);
    if (p->type == ParamType::boolean) value = v ? "1" : "0";
    values_[key] = value;
    origins_[key] = vw;
}

const std::string& Params::origin(const std::string& key) const {
    static const std::string def = "default";
    auto it = origins_.find(key);
    return it == origins_.end() ? def : it->second;
}

ConfigError Params::error(const std::string& key, const std::string& message) const {
    return ConfigError(origin(key) + ": error: " + key + "=" + raw(key) + ": " + message);
}

void Params::set_assignment(const std::string& assignment, const std::string& where) {
    size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(where + ": error: expected key=value, got '" + assignment + "'");
    set(trim(assignment.substr(0, eq)), assignment.substr(eq + 1), where);
}

void Params::load_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": error: cannot read the configuration file");
    std::string line;
    unsigned lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        size_t hash = line.find('#');
        std::string body = hash == std::string::npos ? line : line.substr(0, hash);
        size_t first = body.find_first_not_of(" \t\r");
        if (first == std::string::npos) continue;
        std::string where = path + ":" + std::to_string(lineno) + ":" + std::to_string(first + 1);
        size_t eq = body.find('=');
        if (eq == std::string::npos)
            throw ConfigError(where + ": error: expected 'key = value'");
        size_t vcol = body.find_first_not_of(" \t", eq + 1);
        std::string vwhere = path + ":" + std::to_string(lineno) + ":" +
                             std::to_string((vcol == std::string::npos ? eq + 1 : vcol) + 1);
        set(trim(body.substr(0, eq)), body.substr(eq + 1), where, vwhere);
    }
}

uint64_t Params::integer(const std::string& key) const {
    uint64_t v = 0;
    parse_integer(raw(key), v);
    return v;
}
uint64_t Params::picoseconds(const std::string& key) const {
    uint64_t v = 0;
    parse_time_ps(raw(key), v);
    return v;
}
double Params::seconds(const std::string& key) const { return double(picoseconds(key)) * 1e-12; }
uint64_t Params::period_ps(const std::string& key) const {
    uint64_t v = 0;
    parse_freq_period_ps(raw(key), v);
    return v;
}
const std::string& Params::text(const std::string& key) const { return raw(key); }
bool Params::flag(const std::string& key) const { return raw(key) == "1"; }

const std::string& Params::raw(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw std::out_of_range("no parameter " + key);
    return it->second;
}

// The parameters the GICv4 work added (issue 9: the version, the vPEs, the
// ITSs, the V side's timing, the CPU's priorities and virtual interface).
// With gic.version=3 each is echoed only when set to something else than
// its default, so that a GICv3 run's header and statistics list exactly
// the keys they did before that work (readers of the echo take a missing
// key as its default: itsim check, the reference comparison, sweep).
bool echoed_only_when_set(const std::string& key) {
    static const char* const kGicv4Keys[] = {
        "gic.version",          "gic.vpes",         "gic.vpes_per_vm",          "gic.doorbell_base",
        "its.count",            "its.vmovp",        "its.vpe_cache.entries",    "its.vpe_cache.ways",
        "its.vpe_table",        "redist.vpt_parse_cycles", "redist.vsgi_query_cycles", "driver.dirty_poll",
        "driver.dirty_timeout", "cpu.pmr",          "cpu.preempt",              "cpu.bpr",
        "cpu.vack_latency",     "cpu.vhandler_latency",
    };
    for (const char* k : kGicv4Keys)
        if (key == k) return true;
    return false;
}

// Parameters added after the GICv4 work that change no result (issue 12:
// `coalesce`): echoed only when set to something else than the default,
// whatever the version, so that every run's header and statistics list
// the keys they did before them.
bool echoed_only_when_set_any_version(const std::string& key) { return key == "coalesce"; }

std::string Params::to_json() const {
    std::string out = "{";
    bool first = true;
    const bool v3 = raw("gic.version") == "3";
    for (const ParamInfo& p : param_catalogue()) {
        if (raw(p.name) == p.default_value &&
            ((v3 && echoed_only_when_set(p.name)) || echoed_only_when_set_any_version(p.name)))
            continue;
        if (!first) out += ",";
        first = false;
        out += "\"";
        out += p.name;
        out += "\":";
        const std::string& v = raw(p.name);
        if (p.type == ParamType::integer) {
            out += std::to_string(integer(p.name));
        } else {
            out += "\"" + v + "\"";  // values never hold quotes or backslashes (validated)
        }
    }
    out += "}";
    return out;
}

std::string Params::describe() {
    std::ostringstream os;
    for (const ParamInfo& p : param_catalogue()) {
        const std::string& def = p.default_value;
        os << "  " << p.name;
        for (size_t n = p.name.size(); n < 30; ++n) os << ' ';
        os << def;
        for (size_t n = def.size(); n < 11; ++n) os << ' ';
        os << ' ' << p.description;
        if (p.type == ParamType::choice) os << " [" << p.choices << "]";
        os << "\n";
    }
    return os.str();
}

}  // namespace itsim
