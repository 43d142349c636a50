// The trace reader's class, shared by its parts (trace_reader.cpp: lines,
// TIME and keys; trace_ops.cpp: the checker of each op). Not for users of
// the trace: parse_trace() in trace.h is their interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "trace/trace.h"
#include "trace/trace_grammar.h"

namespace itsim::trace_detail {

struct Token {
    std::string_view text;
    unsigned column;
};

struct KeyValue {
    std::string_view key;
    std::string_view value;
    unsigned key_column;
    unsigned value_column;
};

class Reader {
public:
    Reader(const std::string& text, const std::string& file) : text_(text) { trace_.file = file; }
    Trace run();

private:
    struct Reference {
        uint64_t n;
        bool msi;
        SourcePos pos;
    };

    size_t count_statements(size_t begin) const;
    [[noreturn]] void fail(unsigned column, const std::string& message) const;

    // ---- lexing (trace_reader.cpp)
    void tokenize(std::string_view line);
    void do_line(std::string_view line);
    void note_timed_line();
    void do_header();

    // ---- time
    uint64_t parse_time(const Token& tok);

    // ---- keys
    // `optional`: bit i set, field i may be left out (then bit i of
    // *missing is set and out[i] is left as it was).
    void check_keys(const Token& op, const std::vector<Field>& fields, uint64_t* out,
                    const std::string& owner = "", const KeyValue* skip = nullptr, uint32_t optional = 0,
                    uint32_t* missing = nullptr);
    uint64_t parse_field(const KeyValue& kv, const Field& f);
    const KeyValue* find_kv(std::string_view key) const;

    // ---- ops (trace_ops.cpp)
    void do_platform(TraceLine& tl);
    void do_cmd(TraceLine& tl, const Token& op);
    CmdWords parse_raw(const KeyValue& kv);
    void do_wait(TraceLine& tl, const Token& op);
    void do_msi(TraceLine& tl, const Token& op);
    void do_write(TraceLine& tl, const Token& op);
    void do_lpi(TraceLine& tl, const Token& op);
    void do_expect(TraceLine& tl, const Token& op);
    // GICv4 (trace_ops_v4.cpp)
    void take_its(TraceLine& tl);   // its=N: parsed into tl.its, removed from kvs_
    void do_vlpi(TraceLine& tl, const Token& op);
    void do_schedule(TraceLine& tl, const Token& op);
    void do_deschedule(TraceLine& tl, const Token& op);
    void do_sgi(TraceLine& tl, const Token& op);
    void do_expect_v4(TraceLine& tl, const Token& op, bool vtaken);
    void do_vsgi_read(TraceLine& tl, const Token& op);
    void do_expect_vsgi(TraceLine& tl, const Token& op);
    // Sources (trace_ops.cpp, keys parsed by sources/source_spec.h)
    void do_source(TraceLine& tl, const Token& op);
    uint64_t reference(const KeyValue& kv, const Field& seq, bool msi);

    const std::string& text_;
    Trace trace_;
    unsigned line_no_ = 0;
    bool header_seen_ = false;
    unsigned first_timed_line_ = 0;  // first line that is not `platform`
    uint64_t now_ = 0;
    std::vector<Token> toks_;
    std::vector<KeyValue> kvs_;
    std::vector<Token> words_;
    std::vector<Reference> refs_;
    std::map<std::string, SourcePos> platform_keys_;
};

}  // namespace itsim::trace_detail
