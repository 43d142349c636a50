// Reading and writing one field's value (config_fields.h), in the grammar
// of config_value.h.
#include "itsim/common/config_fields.h"

#include "itsim/common/config_value.h"

namespace itsim {

const char* to_string(FieldType t) {
    switch (t) {
    case FieldType::integer: return "integer";
    case FieldType::boolean: return "boolean";
    case FieldType::choice: return "choice";
    case FieldType::time: return "time";
    case FieldType::clock: return "clock";
    case FieldType::text: return "text";
    }
    return "?";
}

std::string FieldInfo::choice_list() const {
    std::string s;
    for (const std::string& c : choices) s += (s.empty() ? "" : "|") + c;
    return s;
}

bool parse_field(const FieldInfo& f, std::string_view text, uint64_t& out, std::string* why) {
    auto fail = [&](std::string message) {
        if (why) *why = std::move(message);
        return false;
    };
    switch (f.type) {
    case FieldType::integer: {
        uint64_t v = 0;
        if (grammar::parse_number(text, f.suffix, v) != grammar::Number::ok)
            return fail(f.suffix ? "not a number (decimal, 0x hex, optional K/M/G)" : "not a number (decimal or 0x hex)");
        if (v < f.min || v > f.max)
            return fail("out of range [" + std::to_string(f.min) + ", " + std::to_string(f.max) + "]");
        out = v;
        return true;
    }
    case FieldType::boolean: {
        bool b = false;
        if (!grammar::parse_bool(text, b)) return fail("must be 0 or 1 (or true/false, on/off, yes/no)");
        out = b ? 1 : 0;
        return true;
    }
    case FieldType::choice:
        for (size_t k = 0; k < f.choices.size(); ++k)
            if (text == f.choices[k]) {
                out = k;
                return true;
            }
        return fail("must be one of " + f.choice_list());
    case FieldType::time: {
        uint64_t ps = 0;
        std::string_view unit;
        if (grammar::parse_duration(text, ps, unit) != grammar::Duration::ok)
            return fail("not a time (a number with a unit ps, ns, us, ms or s)");
        out = ps;
        return true;
    }
    case FieldType::clock: {
        uint64_t ps = 0;
        if (!grammar::parse_frequency(text, ps))
            return fail("not a frequency (a number with Hz, kHz, MHz or GHz whose period is whole picoseconds)");
        out = ps;
        return true;
    }
    case FieldType::text:
        return fail("a text field has no number");
    }
    return fail("unknown field type");
}

std::string format_field(const FieldInfo& f, uint64_t v) {
    switch (f.type) {
    case FieldType::integer:
        switch (f.format) {
        case IntFormat::decimal: return std::to_string(v);
        case IntFormat::hex: return grammar::format_hex(v, f.hex_digits);
        case IntFormat::size: return grammar::format_size(v);
        }
        return std::to_string(v);
    case FieldType::boolean: return v ? "1" : "0";
    case FieldType::choice: return v < f.choices.size() ? f.choices[v] : std::string();
    case FieldType::time: return grammar::format_ps(v);
    case FieldType::clock: return grammar::format_frequency(v);
    case FieldType::text: return std::string();
    }
    return std::string();
}

bool check_text(std::string_view text, std::string* why) {
    for (char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
            if (why) *why = "must be one line without quotes or backslashes";
            return false;
        }
    }
    return true;
}

namespace detail {

std::string unknown_field_message(std::string_view key, const std::vector<std::string>& names) {
    // The first name that contains the key or is contained in it: a typo
    // such as a missing plural 's' finds its field.
    std::string hint;
    for (const std::string& n : names) {
        if (n.find(key) != std::string::npos || std::string_view(key).find(n) != std::string_view::npos) {
            hint = " (did you mean '" + n + "'?)";
            break;
        }
    }
    return "unknown field '" + std::string(key) + "'" + hint;
}

}  // namespace detail

}  // namespace itsim
