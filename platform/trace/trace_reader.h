// The trace reader's class, shared by its parts (trace_reader.cpp: lines,
// TIME and keys; trace_ops.cpp: the checker of each op). Not for users of
// the trace: parse_trace() in trace.h is their interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
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

// One line parser for both readers: parse_trace() feeds it a whole text,
// the streaming reader (trace_stream.cpp) one line at a time.
class Reader {
public:
    // What Trace::lines keeps: every line (parse_trace), the summary of
    // the streaming first pass (platform, expect and source lines), or
    // nothing (the second pass: each line is current() until the next).
    enum class Keep { all, summary, none };
    using Visit = std::function<void(const TraceLine&, const Trace&)>;

    Reader(const std::string& file, Keep keep, Visit visit = {}) : keep_(keep), visit_(std::move(visit)) {
        trace_.file = file;
    }
    // The whole text (parse_trace).
    Trace run(const std::string& text);
    // One line of the file, without its '\n' (a UTF-8 BOM at the start of
    // the first one already removed). True when it made a TraceLine: then
    // current() is it (with Keep::none; otherwise visit saw it).
    bool feed(std::string_view line);
    const TraceLine& current() const { return current_; }
    // After the last line: the header and expect-reference checks; the Trace.
    Trace finish();

private:
    struct Reference {
        uint64_t n;
        bool msi;
        SourcePos pos;
    };

    static size_t count_statements(const std::string& text, size_t begin);
    void emit(TraceLine&& tl);
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

    Keep keep_;
    Visit visit_;
    Trace trace_;
    TraceLine current_;
    uint64_t emitted_ = 0;         // TraceLines made so far
    uint32_t source_count_ = 0;    // source lines so far (Trace::sources may be trimmed)
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

// The readers' file access (trace_reader.cpp): stat `path`, a TraceError
// naming it when it cannot be read or is a directory; true for a regular
// file. Then the whole text, or (trace_stream.cpp) its lines.
bool stat_trace_file(const std::string& path);
std::string read_whole_file(const std::string& path);

}  // namespace itsim::trace_detail
