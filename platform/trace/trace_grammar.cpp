// The trace's grammar below the line (trace_grammar.h): quoting and the
// commands' keys (numbers and durations are the settings' grammar,
// common/config_value.h); then the helpers trace.h offers on them.
#include "trace/trace_grammar.h"

#include <cstdio>

namespace itsim {
namespace trace_detail {

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

std::string format_ps(uint64_t ps) { return grammar::format_ps(ps); }

}  // namespace itsim
