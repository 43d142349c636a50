// Parsing the keys of a `source` line (source_spec.h). Numbers and
// durations use the trace's own grammar (trace.h): decimal or 0x hex, and
// durations such as 250ns or 1.5us, exact in picoseconds.
#include "sources/source_spec.h"

#include <cmath>

#include "trace/trace.h"

namespace itsim {

namespace {

constexpr uint64_t k32 = 0xFFFFFFFFu;

bool fail(SourceKeyError& err, unsigned offset, std::string message) {
    err.offset = offset;
    err.message = std::move(message);
    return false;
}

std::string q(std::string_view s) {
    std::string o = "'";
    for (char c : s.substr(0, 64)) o.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    return o + (s.size() > 64 ? "...'" : "'");
}

bool number(std::string_view key, std::string_view text, unsigned offset, uint64_t max, uint64_t& out,
            SourceKeyError& err) {
    if (!parse_trace_number(text, false, out))
        return fail(err, offset, "malformed number " + q(text) + " for " + std::string(key) +
                                     " (expected decimal or 0x hex)");
    if (out > max)
        return fail(err, offset, std::string(key) + " " + q(text) + " is out of range (at most " +
                                     std::to_string(max) + ")");
    return true;
}

bool duration(std::string_view key, std::string_view text, unsigned offset, uint64_t& ps, SourceKeyError& err) {
    if (!parse_trace_duration(text, ps))
        return fail(err, offset, "malformed duration " + q(text) + " for " + std::string(key) +
                                     " (expected e.g. 10us or 1.5ms; units ps ns us ms s)");
    return true;
}

// D or D.F in decimal (no sign, no exponent), times 10^scale, exactly;
// false when malformed, past 64 bits, or finer than 10^-scale.
bool decimal_scaled(std::string_view text, unsigned scale, uint64_t& out) {
    out = 0;
    size_t i = 0;
    bool digits = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (out > (UINT64_MAX - 9) / 10) return false;
        out = out * 10 + uint64_t(text[i] - '0');
        digits = true;
    }
    unsigned frac = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        bool fdigits = false;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            fdigits = true;
            if (frac == scale) {
                if (text[i] != '0') return false;  // finer than the unit
                continue;
            }
            if (out > (UINT64_MAX - 9) / 10) return false;
            out = out * 10 + uint64_t(text[i] - '0');
            ++frac;
        }
        if (!fdigits) return false;
    }
    if (!digits || i != text.size()) return false;
    for (; frac < scale; ++frac) {
        if (out > UINT64_MAX / 10) return false;
        out *= 10;
    }
    return true;
}

bool parse_rate(std::string_view v, SourceSpec& s, SourceKeyError& err) {
    static const struct {
        const char* unit;
        unsigned milli_exp;  // 10^x millihertz per unit
    } kUnits[] = {{"GHz", 12}, {"MHz", 9}, {"kHz", 6}, {"Hz", 3}};
    size_t cut = v.size();
    while (cut > 0 && ((v[cut - 1] >= 'a' && v[cut - 1] <= 'z') || (v[cut - 1] >= 'A' && v[cut - 1] <= 'Z'))) --cut;
    const std::string_view num = v.substr(0, cut), unit = v.substr(cut);
    int exp = -1;
    for (const auto& u : kUnits)
        if (unit == u.unit) exp = int(u.milli_exp);
    if (unit.empty()) return fail(err, unsigned(cut), "missing unit in rate " + q(v) + " (units: Hz kHz MHz GHz)");
    if (exp < 0)
        return fail(err, unsigned(cut), "unknown rate unit " + q(unit) + " (units: Hz kHz MHz GHz)");
    uint64_t mhz = 0;
    if (!decimal_scaled(num, unsigned(exp), mhz))
        return fail(err, 0, "malformed rate " + q(v) + " (expected e.g. 1MHz or 2.5kHz, at most 3 decimals "
                                                      "below a hertz)");
    if (mhz == 0) return fail(err, 0, "rate " + q(v) + " is not above 0");
    // One MSI a picosecond at most: the period, 10^15 / mHz ps, is >= 1.
    if (mhz > 1000000000000000ull) return fail(err, 0, "rate " + q(v) + " is above 1000GHz (one MSI a picosecond)");
    s.rate_mhz = mhz;
    return true;
}

bool parse_pattern(std::string_view v, SourceSpec& s, SourceKeyError& err) {
    const char* forms = " (patterns: periodic, poisson, burst:N,GAP, onoff:ON,OFF)";
    if (v == "periodic") {
        s.pattern = SourceSpec::Pattern::periodic;
        return true;
    }
    if (v == "poisson") {
        s.pattern = SourceSpec::Pattern::poisson;
        return true;
    }
    const size_t colon = v.find(':');
    const std::string_view name = v.substr(0, colon);
    if (name != "burst" && name != "onoff") return fail(err, 0, "unknown pattern " + q(v) + forms);
    if (colon == std::string_view::npos)
        return fail(err, unsigned(v.size()),
                    "pattern " + std::string(name) + " needs " + (name == "burst" ? ":N,GAP" : ":ON,OFF") + forms);
    const std::string_view args = v.substr(colon + 1);
    const size_t comma = args.find(',');
    const unsigned a_off = unsigned(colon + 1);
    if (comma == std::string_view::npos)
        return fail(err, a_off, "pattern " + std::string(name) + " needs two values separated by ','" + forms);
    const std::string_view a = args.substr(0, comma), b = args.substr(comma + 1);
    const unsigned b_off = unsigned(a_off + comma + 1);
    if (b.find(',') != std::string_view::npos)
        return fail(err, unsigned(b_off + b.find(',')), "pattern " + std::string(name) + " takes two values" + forms);
    if (name == "burst") {
        if (!number("burst size", a, a_off, UINT64_MAX, s.burst_n, err)) return false;
        if (s.burst_n == 0) return fail(err, a_off, "burst size 0: a burst has at least one MSI");
        if (!duration("burst gap", b, b_off, s.burst_gap_ps, err)) return false;
        s.pattern = SourceSpec::Pattern::burst;
        return true;
    }
    if (!duration("on time", a, a_off, s.on_ps, err)) return false;
    if (s.on_ps == 0) return fail(err, a_off, "on time 0: the source would never send");
    if (!duration("off time", b, b_off, s.off_ps, err)) return false;
    s.pattern = SourceSpec::Pattern::onoff;
    return true;
}

bool parse_popularity(std::string_view v, SourceSpec& s, SourceKeyError& err) {
    if (v == "uniform") {
        s.popularity = SourceSpec::Popularity::uniform;
        return true;
    }
    if (v.substr(0, 5) != "zipf:" )
        return fail(err, 0, "unknown popularity " + q(v) + " (expected uniform or zipf:S, e.g. zipf:1.1)");
    uint64_t micro = 0;
    const std::string_view num = v.substr(5);
    if (!decimal_scaled(num, 6, micro))
        return fail(err, 5, "malformed Zipf exponent " + q(num) + " (expected a decimal such as 1 or 0.8, "
                                                               "at most 6 decimals)");
    if (micro == 0 || micro > 100000000)
        return fail(err, 5, "Zipf exponent " + q(num) + " is out of range (above 0, at most 100)");
    s.zipf_s = double(micro) / 1e6;
    s.popularity = SourceSpec::Popularity::zipf;
    return true;
}

}  // namespace

const char* source_key_list() { return "device events rate pattern popularity count until seed its"; }

bool parse_source_key(SourceSpec& s, std::string_view key, std::string_view v, SourceKeyError& err,
                      bool& unknown_key) {
    unknown_key = false;
    uint64_t n = 0;
    if (key == "device") {
        if (!number("device", v, 0, k32, n, err)) return false;
        s.device = uint32_t(n);
        return true;
    }
    if (key == "events") {
        const size_t dash = v.find('-');
        uint64_t a = 0, b = 0;
        if (!number("events", v.substr(0, dash), 0, k32, a, err)) return false;
        b = a;
        if (dash != std::string_view::npos) {
            if (!number("events", v.substr(dash + 1), unsigned(dash + 1), k32, b, err)) return false;
            if (b < a)
                return fail(err, unsigned(dash + 1), "events " + q(v) + ": the last EventID is below the first");
        }
        s.event_first = uint32_t(a);
        s.event_last = uint32_t(b);
        return true;
    }
    if (key == "rate") return parse_rate(v, s, err);
    if (key == "pattern") return parse_pattern(v, s, err);
    if (key == "popularity") return parse_popularity(v, s, err);
    if (key == "count") {
        if (!number("count", v, 0, UINT64_MAX, s.count, err)) return false;
        if (s.count == 0) return fail(err, 0, "count=0: a source sends at least one MSI");
        return true;
    }
    if (key == "until") {
        if (!duration("until", v, 0, s.until_ps, err)) return false;
        s.has_until = true;
        return true;
    }
    if (key == "its") {
        if (!number("its", v, 0, 15, n, err)) return false;   // GITS_CTLR.ITS_Number[7:4]
        s.its = unsigned(n);
        return true;
    }
    if (key == "seed") {
        if (!number("seed", v, 0, UINT64_MAX, s.seed, err)) return false;
        s.has_seed = true;
        return true;
    }
    unknown_key = true;
    return fail(err, 0, "unknown key " + q(key) + " for source (keys: " + source_key_list() + ")");
}

std::string check_source_line(const SourceSpec& s, bool seen_device, bool seen_events, bool seen_rate,
                              uint64_t start_ps, std::string& missing_key) {
    missing_key.clear();
    if (!seen_device) missing_key = "device";
    else if (!seen_events) missing_key = "events";
    else if (!seen_rate) missing_key = "rate";
    if (!missing_key.empty()) return "missing key '" + missing_key + "' for source";
    if (s.count == 0 && !s.has_until)
        return "source needs count=N or until=T (or both: it stops at whichever comes first)";
    if (s.has_until && s.until_ps <= start_ps)
        return "until=" + format_ps(s.until_ps) + " is not after the source's time " + format_ps(start_ps);
    return "";
}

uint64_t source_seed(const SourceSpec& s, uint64_t run_seed, unsigned source_number) {
    if (s.has_seed) return s.seed;
    // SplitMix64's output function over the run seed and the number.
    uint64_t z = run_seed + 0x9E3779B97F4A7C15ull * (uint64_t(source_number) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::string format_rate(uint64_t mhz) {
    static const struct {
        const char* unit;
        uint64_t per;
    } kUnits[] = {{"GHz", 1000000000000ull}, {"MHz", 1000000000ull}, {"kHz", 1000000ull}, {"Hz", 1000ull}};
    for (const auto& u : kUnits) {
        if (mhz < u.per && u.per != 1000ull) continue;
        std::string s = std::to_string(mhz / u.per);
        uint64_t frac = mhz % u.per;
        if (frac) {
            std::string f = std::to_string(frac);
            f.insert(0, std::to_string(u.per).size() - 1 - f.size(), '0');
            while (!f.empty() && f.back() == '0') f.pop_back();
            s += "." + f;
        }
        return s + u.unit;
    }
    return "0Hz";
}

}  // namespace itsim
