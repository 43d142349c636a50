// Reader of the stimulus trace, version 1 (trace-format.md; decisions in
// trace.h). A hand-written lexer: each line is cut into tokens (TIME, op,
// key=value, bare words), then the op's checker validates its keys left to
// right against a small table of fields.
// The parts: trace_grammar.cpp (numbers, durations, the keys of each op),
// this file (trace.h's types; lines, TIME and keys), trace_ops.cpp (the
// checker of each op).
#include "trace/trace.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "trace/trace_reader.h"

namespace itsim {

// ---------------------------------------------------------------- basics

std::string SourcePos::str() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

TraceError::TraceError(const SourcePos& pos, const std::string& message)
    : std::runtime_error(pos.str() + ": error: " + message), pos_(pos), message_(message) {}

TraceError::TraceError(const std::string& file, const std::string& message)
    : std::runtime_error(file + ": error: " + message), message_(message) {
    pos_.file = file;
}

const TraceKey* TraceLine::find(std::string_view key) const {
    for (const TraceKey& k : keys)
        if (k.key == key) return &k;
    return nullptr;
}

SourcePos TraceLine::at(unsigned column) const {
    SourcePos p = pos;
    p.column = column;
    return p;
}

SourcePos TraceLine::value_pos(std::string_view key) const {
    const TraceKey* k = find(key);
    return k ? at(k->value_column) : pos;
}

const char* op_name(TraceLine::Op op) {
    switch (op) {
    case TraceLine::Op::platform: return "platform";
    case TraceLine::Op::cmd: return "cmd";
    case TraceLine::Op::kick: return "kick";
    case TraceLine::Op::wait: return "wait";
    case TraceLine::Op::msi: return "msi";
    case TraceLine::Op::write: return "write";
    case TraceLine::Op::lpi: return "lpi";
    case TraceLine::Op::expect: return "expect";
    case TraceLine::Op::time_only: return "time";
    case TraceLine::Op::vlpi: return "vlpi";
    case TraceLine::Op::schedule: return "schedule";
    case TraceLine::Op::deschedule: return "deschedule";
    case TraceLine::Op::sgi: return "sgi";
    case TraceLine::Op::vsgi_read: return "vsgi_read";
    case TraceLine::Op::source: return "source";
    }
    return "?";
}

namespace trace_detail {

// ---------------------------------------------------------------- reader

Trace Reader::run(const std::string& text) {
    size_t begin = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) begin = 3;  // UTF-8 BOM
    if (keep_ == Keep::all) trace_.lines.reserve(count_statements(text, begin));
    while (begin <= text.size()) {
        size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        feed(std::string_view(text).substr(begin, end - begin));
        begin = end + 1;
    }
    return finish();
}

bool Reader::feed(std::string_view line) {
    ++line_no_;
    if (keep_ == Keep::none) {
        // Nothing accumulates over the lines of the second pass.
        trace_.platform.clear();
        trace_.expects.clear();
        trace_.sources.clear();
        refs_.clear();
    }
    const uint64_t before = emitted_;
    do_line(line);
    return emitted_ != before;
}

void Reader::emit(TraceLine&& tl) {
    ++emitted_;
    if (visit_) visit_(tl, trace_);
    const bool kept = keep_ == Keep::all ||
                      (keep_ == Keep::summary && (tl.op == TraceLine::Op::platform ||
                                                  tl.op == TraceLine::Op::expect || tl.op == TraceLine::Op::source));
    if (kept) {
        trace_.lines.push_back(std::move(tl));
    } else {
        current_ = std::move(tl);
    }
}

Trace Reader::finish() {
    if (!header_seen_) {
        line_no_ = 1;
        fail(1, "missing 'itsim-trace 1' header (the trace has no lines)");
    }
    for (const Reference& r : refs_) {
        const uint64_t have = r.msi ? trace_.msi_count : trace_.cmd_count;
        if (r.n > have)
            throw TraceError(r.pos, std::string("expect refers to ") + (r.msi ? "msi " : "cmd ") +
                                        std::to_string(r.n) + " but the trace has " + std::to_string(have) +
                                        (r.msi ? " msi" : " cmd") + (have == 1 ? " line" : " lines"));
    }
    trace_.end_ps = now_;
    trace_.streamed = keep_ != Keep::all;
    return std::move(trace_);
}

// Lines with something other than blanks and a comment: an upper bound
// on the number of TraceLines (the header is one of them).
size_t Reader::count_statements(const std::string& text, size_t begin) {
    size_t n = 0;
    bool at_start = true;
    for (size_t i = begin; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            at_start = true;
        } else if (at_start && !is_space(c)) {
            at_start = false;
            if (c != '#') ++n;
        }
    }
    return n;
}

void Reader::fail(unsigned column, const std::string& message) const {
    throw TraceError(SourcePos{trace_.file, line_no_, column}, message);
}

// ---- lexing

void Reader::tokenize(std::string_view line) {
    toks_.clear();
    const size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_space(line[i])) ++i;
        if (i >= line.size()) break;
        const size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        toks_.push_back({line.substr(start, i - start), static_cast<unsigned>(start + 1)});
    }
}

void Reader::do_line(std::string_view line) {
    tokenize(line);
    if (toks_.empty()) return;
    if (!header_seen_) {
        do_header();
        header_seen_ = true;
        return;
    }
    size_t first = 0;
    TraceLine tl;
    tl.pos = SourcePos{trace_.file, line_no_, toks_[0].column};
    uint64_t t = now_;
    const char c0 = toks_[0].text[0];
    if (c0 == '@' || c0 == '+') {
        t = parse_time(toks_[0]);
        tl.time_column = toks_[0].column;
        first = 1;
    }
    if (first == toks_.size()) {
        tl.op = TraceLine::Op::time_only;
        tl.t_ps = t;
        now_ = t;
        note_timed_line();
        emit(std::move(tl));
        return;
    }
    const Token& op = toks_[first];
    tl.pos.column = op.column;
    if (op.text[0] == '@' || op.text[0] == '+') fail(op.column, "a line has at most one TIME");

    static constexpr std::pair<std::string_view, TraceLine::Op> kOps[] = {
        {"platform", TraceLine::Op::platform}, {"cmd", TraceLine::Op::cmd},
        {"kick", TraceLine::Op::kick},         {"wait", TraceLine::Op::wait},
        {"msi", TraceLine::Op::msi},           {"write", TraceLine::Op::write},
        {"lpi", TraceLine::Op::lpi},           {"expect", TraceLine::Op::expect},
        {"vlpi", TraceLine::Op::vlpi},         {"schedule", TraceLine::Op::schedule},
        {"deschedule", TraceLine::Op::deschedule}, {"sgi", TraceLine::Op::sgi},
        {"vsgi_read", TraceLine::Op::vsgi_read},
        {"source", TraceLine::Op::source},
    };
    bool found = false;
    for (const auto& [name, value] : kOps)
        if (op.text == name) {
            tl.op = value;
            found = true;
            break;
        }
    if (!found)
        fail(op.column, "unknown op " + quote(op.text) +
                            " (ops: platform cmd kick wait msi write lpi expect vlpi schedule deschedule sgi source vsgi_read)");

    if (tl.op == TraceLine::Op::platform) {
        if (first == 1) fail(toks_[0].column, "a platform line takes no TIME");
        if (first_timed_line_ != 0)
            fail(op.column, "'platform' must come before any timed line (line " +
                                std::to_string(first_timed_line_) + " is one)");
    } else {
        note_timed_line();
    }
    tl.t_ps = t;
    now_ = t;

    // Split the rest into key=value pairs and bare words.
    kvs_.clear();
    words_.clear();
    for (size_t i = first + 1; i < toks_.size(); ++i) {
        const Token& tok = toks_[i];
        const size_t eq = tok.text.find('=');
        if (eq == std::string_view::npos) {
            words_.push_back(tok);
            continue;
        }
        if (eq == 0) fail(tok.column, "missing key before '=' in " + quote(tok.text));
        KeyValue kv{tok.text.substr(0, eq), tok.text.substr(eq + 1), tok.column,
                    static_cast<unsigned>(tok.column + eq + 1)};
        if (kv.value.empty()) fail(kv.value_column, "missing value for key " + quote(kv.key));
        if (kvs_.size() == kMaxKeysPerLine)
            fail(kv.key_column, "too many keys on one line (at most " + std::to_string(kMaxKeysPerLine) + ")");
        for (const KeyValue& prev : kvs_)
            if (prev.key == kv.key)
                fail(kv.key_column, "duplicate key " + quote(kv.key) + " (first at column " +
                                        std::to_string(prev.key_column) + ")");
        kvs_.push_back(kv);
    }
    if (tl.op != TraceLine::Op::expect && !words_.empty())
        fail(words_[0].column, "expected key=value, got " + quote(words_[0].text));
    tl.keys.reserve(kvs_.size());
    for (const KeyValue& kv : kvs_)
        tl.keys.push_back({std::string(kv.key), kv.key_column, kv.value_column});

    switch (tl.op) {
    case TraceLine::Op::cmd:
    case TraceLine::Op::kick:
    case TraceLine::Op::wait:
    case TraceLine::Op::msi:
    case TraceLine::Op::sgi: take_its(tl); break;
    default: break;
    }
    switch (tl.op) {
    case TraceLine::Op::platform: do_platform(tl); break;
    case TraceLine::Op::cmd: do_cmd(tl, op); break;
    case TraceLine::Op::kick: check_keys(op, {}, nullptr, "", nullptr); break;
    case TraceLine::Op::wait: do_wait(tl, op); break;
    case TraceLine::Op::msi: do_msi(tl, op); break;
    case TraceLine::Op::vlpi: do_vlpi(tl, op); break;
    case TraceLine::Op::schedule: do_schedule(tl, op); break;
    case TraceLine::Op::deschedule: do_deschedule(tl, op); break;
    case TraceLine::Op::sgi: do_sgi(tl, op); break;
    case TraceLine::Op::vsgi_read: do_vsgi_read(tl, op); break;
    case TraceLine::Op::write: do_write(tl, op); break;
    case TraceLine::Op::lpi: do_lpi(tl, op); break;
    case TraceLine::Op::source: do_source(tl, op); break;
    case TraceLine::Op::expect: do_expect(tl, op); break;
    case TraceLine::Op::time_only: break;
    }
    emit(std::move(tl));
}

void Reader::note_timed_line() {
    if (first_timed_line_ == 0) first_timed_line_ = line_no_;
}

void Reader::do_header() {
    const Token& magic = toks_[0];
    if (magic.text != "itsim-trace")
        fail(magic.column, "expected the header 'itsim-trace 1' as the first line, got " + quote(magic.text));
    if (toks_.size() < 2) fail(magic.column, "missing trace version after 'itsim-trace' (expected 'itsim-trace 1')");
    const Token& ver = toks_[1];
    uint64_t v = 0;
    if (parse_number(ver.text, false, v) != NumResult::ok)
        fail(ver.column, "malformed trace version " + quote(ver.text) + " (expected 1)");
    if (v != 1)
        fail(ver.column, "unsupported trace version " + quote(ver.text) + " (this reader supports version 1)");
    if (toks_.size() > 2) fail(toks_[2].column, "unexpected " + quote(toks_[2].text) + " after the header");
}

// ---- time

uint64_t Reader::parse_time(const Token& tok) {
    const bool relative = tok.text[0] == '+';
    const char* example = " (expected e.g. @250ns or +40ns)";
    uint64_t ps = 0;
    std::string_view unit_text;
    switch (parse_duration(tok.text.substr(1), ps, unit_text)) {
    case Duration::ok: break;
    case Duration::malformed: fail(tok.column, "malformed time " + quote(tok.text) + example);
    case Duration::hex_fraction:
        fail(tok.column, "malformed time " + quote(tok.text) + " (a hex time has no fraction)");
    case Duration::no_unit:
        fail(tok.column, "missing time unit in " + quote(tok.text) + " (units: " + kUnitList + ")");
    case Duration::bad_unit:
        fail(tok.column, "unknown time unit " + quote(unit_text) + " in " + quote(tok.text) +
                             " (units: " + kUnitList + ")");
    case Duration::too_large:
        fail(tok.column, "time " + quote(tok.text) + " is too large (limit 2^64-1 ps)");
    case Duration::not_whole_ps:
        fail(tok.column, "time " + quote(tok.text) + " is not a whole number of picoseconds");
    }
    auto bad = [&](const std::string& why) { fail(tok.column, why); };

    if (relative) {
        if (now_ > UINT64_MAX - ps)
            bad("time " + quote(tok.text) + " after " + format_ps(now_) + " is too large (limit 2^64-1 ps)");
        return now_ + ps;
    }
    if (ps < now_)
        bad("time goes backwards: " + quote(tok.text) + " is before the previous line's time " +
            format_ps(now_));
    return ps;
}

// ---- keys

// Checks every key=value left to right against `fields` (a key not there
// is unknown), parses the values into `out` (in `fields` order), then
// reports the first missing field at the op token.
// `skip` is a key already handled by the caller (cmd's op=).
void Reader::check_keys(const Token& op, const std::vector<Field>& fields, uint64_t* out,
                        const std::string& owner, const KeyValue* skip, uint32_t optional, uint32_t* missing) {
    auto whose = [&] { return owner.empty() ? std::string(op.text) : owner; };
    bool seen[kMaxFields] = {};
    for (const KeyValue& kv : kvs_) {
        if (&kv == skip) continue;
        size_t idx = fields.size();
        for (size_t i = 0; i < fields.size(); ++i)
            if (kv.key[0] == fields[i].name[0] && kv.key == fields[i].name) {   // names are unique
                idx = i;
                break;
            }
        if (idx == fields.size()) {
            if (fields.empty())
                fail(kv.key_column, "unknown key " + quote(kv.key) + " (" + whose() + " takes no keys)");
            fail(kv.key_column,
                 "unknown key " + quote(kv.key) + " for " + whose() + " (keys: " + key_list(fields) + ")");
        }
        out[idx] = parse_field(kv, fields[idx]);
        seen[idx] = true;
    }
    if (missing) *missing = 0;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (seen[i]) continue;
        if (optional >> i & 1) {
            if (missing) *missing |= uint32_t{1} << i;
            continue;
        }
        fail(op.column, "missing key '" + std::string(fields[i].name) + "' for " + whose());
    }
}

uint64_t Reader::parse_field(const KeyValue& kv, const Field& f) {
    uint64_t v = 0;
    switch (parse_number(kv.value, f.suffix, v)) {
    case NumResult::malformed:
        fail(kv.value_column, "malformed number " + quote(kv.value) + " for key " + quote(kv.key) +
                                  (f.suffix ? " (expected decimal or 0x hex, optional K/M/G)"
                                            : " (expected decimal or 0x hex)"));
    case NumResult::overflow:
        fail(kv.value_column, "number " + quote(kv.value) + " for key " + quote(kv.key) +
                                  " does not fit in 64 bits");
    case NumResult::ok: break;
    }
    if (v > f.max) {
        std::string why = std::string(kv.key) + "=" + std::string(kv.value) + " is out of range (at most " +
                          (f.max >= 0xFFFF ? hex(f.max) : std::to_string(f.max));
        const std::string what = f.cmd ? describe(*f.cmd) : std::string(f.what);
        if (!what.empty()) why += ": " + what;
        fail(kv.value_column, why + ")");
    }
    if (v < f.min) {
        if (f.min == kLpiBase)
            fail(kv.value_column, std::string(kv.key) + "=" + std::string(kv.value) +
                                      " is not an LPI (LPI INTIDs start at 8192)");
        fail(kv.value_column, std::string(kv.key) + "=" + std::string(kv.value) + " is out of range (at least " +
                                  std::to_string(f.min) + ")");
    }
    if (f.cmd && (v & f.cmd->low_bits()) != 0) {
        // The field holds value[hi:lo] of an address or a priority: the bits below lo are 0.
        const CmdFieldInfo& c = *f.cmd;
        const std::string held = "[" + std::to_string(c.value_lsb + c.width - 1) + ":" + std::to_string(c.value_lsb) + "]";
        const std::string head = std::string(kv.key) + "=" + std::string(kv.value);
        if (c.kind == FieldKind::address)
            fail(kv.value_column, head + " is not " + std::to_string(c.low_bits() + 1) + "-byte aligned (" + c.arch +
                                      " is PA" + held + ")");
        fail(kv.value_column, head + " is not a multiple of " + std::to_string(c.low_bits() + 1) + " (" + c.arch +
                                  " holds " + c.name + held + ")");
    }
    return v;
}

const KeyValue* Reader::find_kv(std::string_view key) const {
    for (const KeyValue& kv : kvs_)
        if (kv.key == key) return &kv;
    return nullptr;
}

}  // namespace trace_detail

// ---------------------------------------------------------------- public

Trace parse_trace(const std::string& text, const std::string& filename) {
    return trace_detail::Reader(filename, trace_detail::Reader::Keep::all).run(text);
}

namespace trace_detail {

bool stat_trace_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw TraceError(path, std::string("cannot read trace file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw TraceError(path, "cannot read trace file: it is a directory");
    return S_ISREG(st.st_mode);
}

std::string read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TraceError(path, std::string("cannot read trace file: ") + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw TraceError(path, "cannot read trace file: read error");
    return buf.str();
}

}  // namespace trace_detail

Trace read_trace_file(const std::string& path) {
    trace_detail::stat_trace_file(path);
    return parse_trace(trace_detail::read_whole_file(path), path);
}

}  // namespace itsim
