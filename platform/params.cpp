#include "params.h"

#include "trace/trace.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace itsim {

namespace {
constexpr uint64_t K = 1024;
}

// The catalogue. Defaults follow QEMU's `virt` memory map and Arm's GIC-600
// where the figure is public; the reason is in the description.
const std::vector<ParamInfo>& param_catalogue() {
    using T = ParamType;
    static const std::vector<ParamInfo> cat = {
        // Run
        {"cpus", T::integer, "4", "CPUs, each with one redistributor and CPU interface", "", 1, 256},
        {"mode", T::choice, "accurate", "timing mode: accurate (every bus access synchronised, contention modelled) or fast (loosely timed, quantum, DMI)", "accurate|fast"},
        {"quantum", T::time, "1us", "global quantum of the fast mode: how far a thread may run ahead of the kernel"},
        {"seed", T::integer, "1", "seed of every random choice; echoed in the event log"},
        {"max_time", T::time, "10s", "simulated-time limit: a run still busy then stops with an error (a guard, not a timeout of a correct run)"},
        {"error_policy", T::choice, "ignore", "what a command error does: ignore (skip, go on) or stall (GITS_CREADR.Stalled, wait for CWRITER.Retry)", "ignore|stall"},
        {"progress", T::choice, "auto", "progress line on stderr: auto (only on a terminal), on, off", "auto|on|off"},

        // Memory map (QEMU virt)
        {"ram.base", T::integer, "0x40000000", "RAM base address (QEMU virt)"},
        {"ram.size", T::integer, "1G", "RAM size; only touched 4 KiB pages cost host memory", "", 512 * K * K, 64 * K * K * K},
        {"its.base", T::integer, "0x08080000", "GITS frame base (control frame; translation frame at +64 KiB), QEMU virt"},
        {"redist.base", T::integer, "0x080A0000", "first redistributor's RD_base (QEMU virt)"},
        {"redist.stride", T::integer, "0x20000", "distance between redistributors: RD_base + SGI_base frames, 2 x 64 KiB (GICv3)", "", 0x20000, 0x100000},

        // Bus
        {"bus.clock", T::freq, "1GHz", "interconnect clock"},
        {"bus.hop_cycles", T::integer, "2", "bus cycles per transaction crossing the interconnect (request + response)", "", 0, 1000},

        // Memory
        {"mem.read_latency", T::time, "50ns", "DRAM read latency before the first beat (typical LPDDR4/DDR4 loaded-idle figure)"},
        {"mem.write_latency", T::time, "20ns", "write latency before the first beat (posted into the controller's write buffer)"},
        {"mem.clock", T::freq, "1GHz", "memory data-path clock"},
        {"mem.bytes_per_cycle", T::integer, "16", "memory bandwidth per clock: a 128-bit data path", "", 1, 4096},
        {"mem.dmi", T::boolean, "1", "grant DMI pointers (used by the fast mode for table reads)"},

        // ITS
        {"its.clock", T::freq, "1GHz", "ITS clock (GIC-600 runs its ITS at the interconnect clock)"},
        {"its.device_bits", T::integer, "16", "DeviceID bits (GITS_TYPER.Devbits + 1)", "", 1, 32},
        {"its.event_bits", T::integer, "16", "EventID bits (GITS_TYPER.ID_bits + 1)", "", 1, 32},
        {"its.icid_bits", T::integer, "16", "ICID bits: 16 (GITS_TYPER.CIL = 0) or fewer (CIL = 1, CIDbits = bits - 1)", "", 1, 16},
        {"its.lpi_bits", T::integer, "16", "INTID bits of the LPI space: LPIs 8192 .. 2^bits - 1", "", 14, 24},
        {"its.pta", T::integer, "0", "GITS_TYPER.PTA: RDbase is a processor number (0) or a physical address (1)", "", 0, 1},
        {"its.max_reads", T::integer, "5", "ITS bus reads in flight at most (GIC-600: 5)", "", 1, 64},
        {"its.max_writes", T::integer, "1", "ITS bus writes in flight at most (GIC-600: 1)", "", 1, 64},
        {"its.translation_slots", T::integer, "5", "MSIs translated concurrently (one per outstanding-read slot)", "", 1, 64},
        {"its.ingress_depth", T::integer, "16", "GITS_TRANSLATER writes buffered before the writer is held back", "", 1, 4096},
        {"its.device_cache.entries", T::integer, "64", "device cache (DeviceID -> DTE) entries; 0 = no cache", "", 0, 1 << 20},
        {"its.device_cache.ways", T::integer, "4", "device cache associativity", "", 1, 1 << 20},
        {"its.event_cache.entries", T::integer, "256", "event cache (DeviceID, EventID -> ITE) entries; 0 = no cache", "", 0, 1 << 20},
        {"its.event_cache.ways", T::integer, "4", "event cache associativity", "", 1, 1 << 20},
        {"its.collection_cache.entries", T::integer, "16", "collection cache (ICID -> CTE) entries; 0 = no cache", "", 0, 1 << 20},
        {"its.collection_cache.ways", T::integer, "16", "collection cache associativity (16 = fully associative)", "", 1, 1 << 20},
        {"its.register_cycles", T::integer, "2", "ITS clock cycles for an MMIO register access", "", 0, 1000},
        {"its.ingress_cycles", T::integer, "2", "cycles from accepting a GITS_TRANSLATER write to starting its translation", "", 0, 1000},
        {"its.lookup_cycles", T::integer, "1", "cycles per cache lookup (a hit costs this; a miss this plus the table read)", "", 0, 1000},
        {"its.decode_cycles", T::integer, "2", "cycles to decode a command after its 32 bytes arrive", "", 0, 1000},
        {"its.execute_cycles", T::integer, "2", "cycles of command-engine work per command besides its memory accesses", "", 0, 1000},
        {"its.hop_cycles", T::integer, "4", "cycles for a message on the ITS-to-redistributor stream", "", 0, 1000},
        {"its.device_table", T::choice, "flat", "device table the driver allocates: flat or indirect (two-level)", "flat|indirect"},
        {"its.collection_table", T::choice, "flat", "collection table the driver allocates: flat or indirect", "flat|indirect"},
        {"its.page_size", T::choice, "64K", "GITS_BASER page size the driver uses (4K, 16K or 64K)", "4K|16K|64K"},
        {"its.cmdq_pages", T::integer, "16", "command queue size in 4 KiB pages (Linux: 64 KiB)", "", 1, 256},

        // Redistributors
        {"redist.clock", T::freq, "1GHz", "redistributor clock"},
        {"redist.config_cache.entries", T::integer, "512", "LPI configuration cache entries per redistributor; 0 = no cache", "", 0, 1 << 20},
        {"redist.config_cache.ways", T::integer, "4", "LPI configuration cache associativity", "", 1, 1 << 20},
        {"redist.lookup_cycles", T::integer, "1", "cycles per configuration-cache lookup", "", 0, 1000},
        {"redist.pending_cycles", T::integer, "1", "cycles to update the pending state and the priority order", "", 0, 1000},
        {"redist.signal_cycles", T::integer, "2", "cycles from a new highest-priority pending LPI to the CPU's interrupt line", "", 0, 1000},
        {"redist.register_cycles", T::integer, "2", "cycles for an MMIO access to a GICR register (decode + response)", "", 0, 1000},
        {"redist.config_line_bytes", T::integer, "1", "property-table bytes read per configuration-cache miss (power of two, 1..64)", "", 1, 64},
        {"redist.pending_read_burst", T::integer, "64", "bytes per bus read when loading the pending table as LPIs are enabled (a cache line)", "", 1, 256},
        {"redist.pending_table", T::choice, "lazy", "pending-table coherence: lazy (written back by SYNC, GICR_SYNCR and EnableLPIs 1->0) or through (every change posted to memory)", "lazy|through"},
        {"redist.lazy_dirty_limit", T::integer, "256", "lazy pending table: dirty bytes a redistributor holds before the change that exceeds it writes them back", "", 1, 4096},
        {"redist.allow_disable", T::boolean, "1", "GICR_CTLR.EnableLPIs can be cleared (CES=1): clearing writes the pending state back and drops it"},

        // CPUs
        {"driver.queue_timeout", T::time, "1ms", "how long the driver agent waits for the ITS (queue space, drain) before giving up, as Linux's 1 s ITS queue timeout"},
        {"cpu.ack_latency", T::time, "20ns", "from the interrupt line rising to the acknowledge (ICC_IAR1_EL1 read) returning"},
        {"cpu.handler_latency", T::time, "200ns", "from acknowledge to end of interrupt (a short handler)"},
    };
    return cat;
}

namespace {

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A decimal number with an optional fraction and a unit (frequencies:
// "1.5GHz"), exact: the fraction must land on a whole multiple of the unit.
bool parse_with_unit(const std::string& text,
                     const std::vector<std::pair<const char*, uint64_t>>& units, uint64_t& out) {
    size_t i = 0;
    uint64_t whole = 0, frac = 0, frac_scale = 1;
    bool digits = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        if (whole > UINT64_MAX / 10) return false;
        whole = whole * 10 + uint64_t(text[i] - '0');
        ++i;
        digits = true;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            if (frac_scale >= 1000000000000ull) return false;  // at most 12 decimals
            frac = frac * 10 + uint64_t(text[i] - '0');
            frac_scale *= 10;
            ++i;
            digits = true;
        }
    }
    if (!digits) return false;
    std::string unit = text.substr(i);
    for (const auto& [name, mult] : units) {
        if (unit != name) continue;
        if (whole != 0 && mult > UINT64_MAX / whole) return false;
        uint64_t v = whole * mult;
        // The fraction must land on a whole multiple of the smallest unit.
        if (frac != 0) {
            unsigned __int128 scaled = (unsigned __int128)frac * mult;
            if (scaled % frac_scale != 0) return false;
            uint64_t f = uint64_t(scaled / frac_scale);
            if (v > UINT64_MAX - f) return false;
            v += f;
        }
        out = v;
        return true;
    }
    return false;
}

}  // namespace

// Numbers and times follow the trace's grammar exactly (one parser for both).
bool parse_integer(const std::string& text, uint64_t& out) { return parse_trace_number(text, true, out); }

bool parse_time_ps(const std::string& text, uint64_t& out_ps) { return parse_trace_duration(text, out_ps); }

bool parse_freq_period_ps(const std::string& text, uint64_t& out_ps) {
    static const std::vector<std::pair<const char*, uint64_t>> units = {
        {"Hz", 1ull}, {"kHz", 1000ull}, {"MHz", 1000000ull}, {"GHz", 1000000000ull}};
    // Parse in millihertz so "1.5GHz" stays exact, then take the period.
    uint64_t hz = 0;
    if (!parse_with_unit(text, units, hz) || hz == 0) return false;
    if (1000000000000ull % hz != 0) return false;  // the period must be whole picoseconds
    out_ps = 1000000000000ull / hz;
    return true;
}

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
            std::string n = c.name;
            if (n.find(key) != std::string::npos || key.find(n) != std::string::npos) {
                hint = std::string(" (did you mean '") + c.name + "'?)";
                break;
            }
        }
        throw ConfigError(where + ": error: unknown parameter '" + key + "'" + hint +
                          "; `itsim params` lists them all");
    }
    const std::string& vw = value_where.empty() ? where : value_where;
    std::string value = trim(value_in);
    auto bad = [&](const std::string& what) {
        throw ConfigError(vw + ": error: " + key + "=" + value + ": " + what);
    };
    switch (p->type) {
    case ParamType::integer: {
        uint64_t v = 0;
        if (!parse_integer(value, v)) bad("not a number (decimal, 0x hex, optional K/M/G)");
        if (v < p->min || v > p->max)
            bad("out of range [" + std::to_string(p->min) + ", " + std::to_string(p->max) + "]");
        break;
    }
    case ParamType::time: {
        uint64_t v = 0;
        if (!parse_time_ps(value, v)) bad("not a time (a number with a unit ps, ns, us, ms or s)");
        break;
    }
    case ParamType::freq: {
        uint64_t v = 0;
        if (!parse_freq_period_ps(value, v))
            bad("not a frequency (a number with Hz, kHz, MHz or GHz whose period is whole picoseconds)");
        break;
    }
    case ParamType::choice: {
        std::string choices = p->choices;
        std::stringstream ss(choices);
        std::string c;
        bool ok = false;
        while (std::getline(ss, c, '|'))
            if (c == value) ok = true;
        if (!ok) bad("must be one of " + choices);
        break;
    }
    case ParamType::boolean: {
        std::string l = lower(value);
        if (l == "1" || l == "true" || l == "on" || l == "yes") value = "1";
        else if (l == "0" || l == "false" || l == "off" || l == "no") value = "0";
        else bad("must be 0 or 1 (or true/false, on/off, yes/no)");
        break;
    }
    }
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

std::string Params::to_json() const {
    std::string out = "{";
    bool first = true;
    for (const ParamInfo& p : param_catalogue()) {
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
        std::string def = p.default_value;
        os << "  " << p.name;
        for (size_t n = std::string(p.name).size(); n < 30; ++n) os << ' ';
        os << def;
        for (size_t n = def.size(); n < 11; ++n) os << ' ';
        os << ' ' << p.description;
        if (p.type == ParamType::choice) os << " [" << p.choices << "]";
        os << "\n";
    }
    return os.str();
}

}  // namespace itsim
