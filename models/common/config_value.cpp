// The value grammar (config_value.h).
#include "itsim/common/config_value.h"

#include <cctype>

namespace itsim::grammar {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_dec(char c) { return c >= '0' && c <= '9'; }

bool is_hex_prefix(std::string_view s) { return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

// The digits of a decimal or 0x number at the start of `s`; `used` is how
// many characters they took.
Number scan_unsigned(std::string_view s, uint64_t& out, size_t& used) {
    uint64_t v = 0;
    size_t i = 0;
    bool overflow = false;
    if (is_hex_prefix(s)) {
        i = 2;
        for (; i < s.size() && hex_digit(s[i]) >= 0; ++i) {
            if (v >> 60) overflow = true;
            v = (v << 4) | uint64_t(hex_digit(s[i]));
        }
        if (i == 2) return Number::malformed;
    } else {
        for (; i < s.size() && is_dec(s[i]); ++i) {
            const uint64_t d = uint64_t(s[i] - '0');
            if (v > (UINT64_MAX - d) / 10) overflow = true;
            v = v * 10 + d;
        }
        if (i == 0) return Number::malformed;
    }
    used = i;
    out = v;
    return overflow ? Number::overflow : Number::ok;
}

struct TimeUnit {
    const char* name;
    uint64_t ps;
    unsigned digits;  // log10(ps): fraction digits that still land on a picosecond
};
constexpr TimeUnit kTimeUnits[] = {
    {"ps", 1, 0},
    {"ns", 1000, 3},
    {"us", 1000000, 6},
    {"ms", 1000000000, 9},
    {"s", 1000000000000, 12},
};

struct FreqUnit {
    const char* name;
    uint64_t hz;
    unsigned digits;
};
constexpr FreqUnit kFreqUnits[] = {
    {"Hz", 1, 0},
    {"kHz", 1000, 3},
    {"MHz", 1000000, 6},
    {"GHz", 1000000000, 9},
};

constexpr uint64_t kPsPerSecond = 1000000000000ull;

// "whole.fraction" of `unit` with the fraction's digits (trailing zeros
// dropped).
std::string with_fraction(uint64_t v, uint64_t unit, unsigned digits, const char* name) {
    std::string s = std::to_string(v / unit);
    const uint64_t frac = v % unit;
    if (frac != 0) {
        std::string d = std::to_string(frac);
        d.insert(0, digits - d.size(), '0');
        while (d.back() == '0') d.pop_back();
        s += "." + d;
    }
    return s + name;
}

}  // namespace

Number parse_number(std::string_view s, bool allow_suffix, uint64_t& out) {
    size_t used = 0;
    uint64_t v = 0;
    const Number r = scan_unsigned(s, v, used);
    if (r == Number::malformed) return r;
    bool overflow = r == Number::overflow;
    if (used < s.size()) {
        if (!allow_suffix || used + 1 != s.size()) return Number::malformed;
        unsigned shift = 0;
        switch (s[used]) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        default: return Number::malformed;
        }
        if (v > (UINT64_MAX >> shift)) overflow = true;
        v <<= shift;
    }
    if (overflow) return Number::overflow;
    out = v;
    return Number::ok;
}

Duration parse_duration(std::string_view body, uint64_t& out_ps, std::string_view& unit_text) {
    uint64_t whole = 0;
    size_t used = 0;
    const Number r = scan_unsigned(body, whole, used);
    if (r == Number::malformed) return Duration::malformed;
    std::string_view frac;
    size_t pos = used;
    if (pos < body.size() && body[pos] == '.') {
        if (is_hex_prefix(body)) return Duration::hex_fraction;
        size_t j = pos + 1;
        while (j < body.size() && is_dec(body[j])) ++j;
        frac = body.substr(pos + 1, j - pos - 1);
        if (frac.empty()) return Duration::malformed;
        pos = j;
    }
    unit_text = body.substr(pos);
    if (unit_text.empty()) return Duration::no_unit;
    const TimeUnit* unit = nullptr;
    for (const TimeUnit& u : kTimeUnits)
        if (unit_text == u.name) unit = &u;
    if (!unit) return Duration::bad_unit;
    if (r == Number::overflow || whole > UINT64_MAX / unit->ps) return Duration::too_large;
    const uint64_t ps = whole * unit->ps;
    // The fraction must end at or above the picosecond digit.
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
    if (frac.size() > unit->digits) return Duration::not_whole_ps;
    uint64_t f = 0;
    for (char c : frac) f = f * 10 + uint64_t(c - '0');
    for (size_t k = frac.size(); k < unit->digits; ++k) f *= 10;
    if (ps > UINT64_MAX - f) return Duration::too_large;
    out_ps = ps + f;
    return Duration::ok;
}

bool parse_frequency(std::string_view text, uint64_t& period_ps) {
    size_t i = 0;
    uint64_t whole = 0, frac = 0, frac_scale = 1;
    bool digits = false;
    for (; i < text.size() && is_dec(text[i]); ++i) {
        const uint64_t d = uint64_t(text[i] - '0');
        if (whole > (UINT64_MAX - d) / 10) return false;
        whole = whole * 10 + d;
        digits = true;
    }
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && is_dec(text[i]); ++i) {
            if (frac_scale >= kPsPerSecond) return false;  // at most 12 decimals
            frac = frac * 10 + uint64_t(text[i] - '0');
            frac_scale *= 10;
            digits = true;
        }
    }
    if (!digits) return false;
    const std::string_view unit = text.substr(i);
    for (const FreqUnit& u : kFreqUnits) {
        if (unit != u.name) continue;
        if (whole != 0 && u.hz > UINT64_MAX / whole) return false;
        uint64_t hz = whole * u.hz;
        // The fraction must land on a whole number of Hz.
        if (frac != 0) {
            const unsigned __int128 scaled = (unsigned __int128)frac * u.hz;
            if (scaled % frac_scale != 0) return false;
            const uint64_t f = uint64_t(scaled / frac_scale);
            if (hz > UINT64_MAX - f) return false;
            hz += f;
        }
        if (hz == 0 || kPsPerSecond % hz != 0) return false;  // the period must be whole picoseconds
        period_ps = kPsPerSecond / hz;
        return true;
    }
    return false;
}

bool parse_bool(std::string_view text, bool& out) {
    std::string l(text);
    for (char& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (l == "1" || l == "true" || l == "on" || l == "yes") {
        out = true;
        return true;
    }
    if (l == "0" || l == "false" || l == "off" || l == "no") {
        out = false;
        return true;
    }
    return false;
}

std::string format_ps(uint64_t ps) {
    const TimeUnit* unit = &kTimeUnits[0];
    for (const TimeUnit& u : kTimeUnits)
        if (ps >= u.ps) unit = &u;
    return with_fraction(ps, unit->ps, unit->digits, unit->name);
}

std::string format_frequency(uint64_t period_ps, bool* exact) {
    if (period_ps == 0) period_ps = 1;  // no period: written as the fastest clock that has one
    uint64_t hz = kPsPerSecond / period_ps;
    const bool whole = kPsPerSecond % period_ps == 0;
    if (!whole && kPsPerSecond % period_ps >= (period_ps + 1) / 2) ++hz;  // nearest
    if (hz == 0) hz = 1;
    if (exact) *exact = whole;
    const FreqUnit* unit = &kFreqUnits[0];
    for (const FreqUnit& u : kFreqUnits)
        if (hz >= u.hz) unit = &u;
    return with_fraction(hz, unit->hz, unit->digits, unit->name);
}

std::string format_hex(uint64_t v, unsigned min_digits) {
    static const char kDigits[] = "0123456789ABCDEF";
    std::string d;
    do {
        d.insert(d.begin(), kDigits[v & 0xF]);
        v >>= 4;
    } while (v != 0);
    if (d.size() < min_digits) d.insert(0, min_digits - d.size(), '0');
    return "0x" + d;
}

std::string format_size(uint64_t v) {
    if (v != 0) {
        if (v % (uint64_t{1} << 30) == 0) return std::to_string(v >> 30) + "G";
        if (v % (uint64_t{1} << 20) == 0) return std::to_string(v >> 20) + "M";
        if (v % (uint64_t{1} << 10) == 0) return std::to_string(v >> 10) + "K";
    }
    return std::to_string(v);
}

}  // namespace itsim::grammar
