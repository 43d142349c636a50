// The trace's grammar below the line (trace_grammar.h): numbers, quoting,
// durations, the commands' keys; then the helpers trace.h offers on them.
#include "trace/trace_grammar.h"

#include <cstdio>

namespace itsim {
namespace trace_detail {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_dec(char c) { return c >= '0' && c <= '9'; }

// Reads the digits of a decimal or 0x number at the start of `s`; `used`
// is how many characters they took.
NumResult scan_unsigned(std::string_view s, uint64_t& out, size_t& used) {
    uint64_t v = 0;
    size_t i = 0;
    bool overflow = false;
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        i = 2;
        const size_t start = i;
        for (; i < s.size() && hex_digit(s[i]) >= 0; ++i) {
            if (v >> 60) overflow = true;
            v = (v << 4) | uint64_t(hex_digit(s[i]));
        }
        if (i == start) return NumResult::malformed;
    } else {
        for (; i < s.size() && is_dec(s[i]); ++i) {
            const uint64_t d = uint64_t(s[i] - '0');
            if (v > (UINT64_MAX - d) / 10) overflow = true;
            v = v * 10 + d;
        }
        if (i == 0) return NumResult::malformed;
    }
    used = i;
    out = v;
    return overflow ? NumResult::overflow : NumResult::ok;
}

NumResult parse_number(std::string_view s, bool allow_suffix, uint64_t& out) {
    size_t used = 0;
    uint64_t v = 0;
    NumResult r = scan_unsigned(s, v, used);
    if (r == NumResult::malformed) return r;
    bool overflow = r == NumResult::overflow;
    if (used < s.size()) {
        if (!allow_suffix || used + 1 != s.size()) return NumResult::malformed;
        unsigned shift = 0;
        switch (s[used]) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        default: return NumResult::malformed;
        }
        if (v > (UINT64_MAX >> shift)) overflow = true;
        v <<= shift;
    }
    if (overflow) return NumResult::overflow;
    out = v;
    return NumResult::ok;
}

std::string quote(std::string_view s) {
    constexpr size_t kMax = 48;
    std::string out = "'";
    for (size_t i = 0; i < s.size() && i < kMax; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > kMax) out += "...";
    return out + "'";
}

struct Unit {
    const char* name;
    uint64_t ps;
    unsigned digits;  // log10(ps): fraction digits that still land on a ps
};
constexpr Unit kUnits[] = {
    {"ps", 1, 0},
    {"ns", 1000, 3},
    {"us", 1000000, 6},
    {"ms", 1000000000, 9},
    {"s", 1000000000000, 12},
};

Duration parse_duration(std::string_view body, uint64_t& out_ps, std::string_view& unit_text) {
    uint64_t whole = 0;
    size_t used = 0;
    const NumResult r = scan_unsigned(body, whole, used);
    if (r == NumResult::malformed) return Duration::malformed;
    const bool hex_number = body.size() >= 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
    std::string_view frac;
    size_t pos = used;
    if (pos < body.size() && body[pos] == '.') {
        if (hex_number) return Duration::hex_fraction;
        size_t j = pos + 1;
        while (j < body.size() && is_dec(body[j])) ++j;
        frac = body.substr(pos + 1, j - pos - 1);
        if (frac.empty()) return Duration::malformed;
        pos = j;
    }
    unit_text = body.substr(pos);
    if (unit_text.empty()) return Duration::no_unit;
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits)
        if (unit_text == u.name) unit = &u;
    if (!unit) return Duration::bad_unit;
    if (r == NumResult::overflow || whole > UINT64_MAX / unit->ps) return Duration::too_large;
    uint64_t ps = whole * unit->ps;
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

struct CmdFields {
    const CmdInfo* info;
    std::vector<Field> fields;
};

const std::vector<CmdFields>& cmd_table() {
    static const std::vector<CmdFields> table = [] {
        std::vector<CmdFields> t;
        for (const CmdInfo& c : command_table()) {
            CmdFields row{&c, {}};
            for (const CmdFieldInfo& f : c)
                row.fields.push_back(Field{f.name, f.max_value(), 0, f.kind == FieldKind::address, "", &f});
            t.push_back(std::move(row));
        }
        return t;
    }();
    return table;
}

const std::vector<Field>* fields_for(uint8_t opcode) {
    for (const CmdFields& c : cmd_table())
        if (c.info->opcode() == opcode) return &c.fields;
    return nullptr;
}

std::string key_list(const std::vector<Field>& fields) {
    std::string s;
    for (const Field& f : fields) s += (s.empty() ? "" : " ") + std::string(f.name);
    return s;
}

std::string command_list() {
    std::string s;
    for (const CmdInfo& c : command_table()) s += (s.empty() ? "" : " ") + std::string(c.name);
    return s;
}

}  // namespace trace_detail

// ---------------------------------------------------------------- public

using namespace trace_detail;

bool parse_trace_number(std::string_view text, bool allow_suffix, uint64_t& out) {
    return parse_number(text, allow_suffix, out) == NumResult::ok;
}

bool parse_trace_duration(std::string_view text, uint64_t& ps) {
    std::string_view unit;
    return parse_duration(text, ps, unit) == Duration::ok;
}

std::vector<CmdFieldValue> command_fields(const ItsCommand& cmd) {
    std::vector<CmdFieldValue> out;
    const CmdInfo* info = command_info(cmd.opcode);
    if (!info) return out;
    out.reserve(info->field_count);
    for (const CmdFieldInfo& f : *info) out.push_back({f.name, field_value(cmd, f.member)});
    return out;
}

std::string format_ps(uint64_t ps) {
    const Unit* unit = &kUnits[0];
    for (const Unit& u : kUnits)
        if (ps >= u.ps) unit = &u;
    std::string s = std::to_string(ps / unit->ps);
    uint64_t frac = ps % unit->ps;
    if (frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, unit->digits - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        s += "." + digits;
    }
    return s + unit->name;
}

}  // namespace itsim
