// Reader of the stimulus trace, version 1 (trace-format.md; decisions in
// trace.h). A hand-written lexer: each line is cut into tokens (TIME, op,
// key=value, bare words), then the op's checker validates its keys left to
// right against a small table of fields.
#include "trace/trace.h"

#include <cctype>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

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
    }
    return "?";
}

namespace {

enum class NumResult { ok, malformed, overflow };

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

// A token quoted for a message: printable, one line, bounded.
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

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

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
constexpr const char* kUnitList = "ps ns us ms s";

// A duration without sign: decimal (with an optional fraction) or 0x hex,
// then a unit; exact in picoseconds. Shared by TIME tokens and the
// platform's time parameters (parse_trace_duration).
enum class Duration { ok, malformed, hex_fraction, no_unit, bad_unit, too_large, not_whole_ps };
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

// How a key's value is read.
struct Field {
    const char* name;
    uint64_t max;           // largest value the field holds
    uint64_t min = 0;       // smallest meaningful value
    bool suffix = false;    // K/M/G accepted
    const char* what = "";  // the field's width, for the range message
};

constexpr uint64_t k32 = 0xFFFFFFFFu;
constexpr uint64_t k36 = (uint64_t{1} << 36) - 1;
constexpr uint64_t kLpiBase = 8192;
constexpr size_t kMaxFields = 8;  // no op has more keys than this
// Bounds the work per line (duplicate keys are found by a linear search);
// a platform needing more settings spreads them over several lines.
constexpr size_t kMaxKeysPerLine = 256;

// Command fields by opcode, in trace-format.md order.
constexpr Field kDevice{"device", k32, 0, false, "32-bit DeviceID"};
constexpr Field kEvent{"event", k32, 0, false, "32-bit EventID"};
constexpr Field kIntid{"intid", k32, 0, false, "32-bit pINTID"};
constexpr Field kIcid{"icid", kIcidMask, 0, false, "16-bit ICID"};
constexpr Field kItt{"itt", (uint64_t{1} << 52) - 1, 0, true, "ITT_addr, PA[51:8]"};
constexpr Field kSize{"size", kSizeMask, 0, false, "5-bit ITT Size"};
constexpr Field kValid{"valid", 1, 0, false, "1-bit V"};
constexpr Field kRdbase{"rdbase", k36, 0, false, "36-bit RDbase"};
constexpr Field kRdbase1{"rdbase1", k36, 0, false, "36-bit RDbase"};
constexpr Field kRdbase2{"rdbase2", k36, 0, false, "36-bit RDbase2"};

struct CmdFields {
    ItsOpcode op;
    std::vector<Field> fields;
};

const std::vector<CmdFields>& cmd_table() {
    static const std::vector<CmdFields> table = {
        {ItsOpcode::MAPD, {kDevice, kItt, kSize, kValid}},
        {ItsOpcode::MAPC, {kIcid, kRdbase, kValid}},
        {ItsOpcode::MAPTI, {kDevice, kEvent, kIntid, kIcid}},
        {ItsOpcode::MAPI, {kDevice, kEvent, kIcid}},
        {ItsOpcode::MOVI, {kDevice, kEvent, kIcid}},
        {ItsOpcode::MOVALL, {kRdbase1, kRdbase2}},
        {ItsOpcode::DISCARD, {kDevice, kEvent}},
        {ItsOpcode::CLEAR, {kDevice, kEvent}},
        {ItsOpcode::INT, {kDevice, kEvent}},
        {ItsOpcode::INV, {kDevice, kEvent}},
        {ItsOpcode::INVALL, {kIcid}},
        {ItsOpcode::SYNC, {kRdbase}},
    };
    return table;
}

const std::vector<Field>* fields_for(uint8_t opcode) {
    for (const CmdFields& c : cmd_table())
        if (static_cast<uint8_t>(c.op) == opcode) return &c.fields;
    return nullptr;
}

void set_cmd_field(ItsCommand& c, std::string_view name, uint64_t v) {
    if (name == "device") c.device = static_cast<uint32_t>(v);
    else if (name == "event") c.event = static_cast<uint32_t>(v);
    else if (name == "intid") c.intid = static_cast<uint32_t>(v);
    else if (name == "icid") c.icid = static_cast<uint32_t>(v);
    else if (name == "itt") c.itt_addr = v;
    else if (name == "size") c.size = static_cast<uint8_t>(v);
    else if (name == "valid") c.valid = v != 0;
    else if (name == "rdbase" || name == "rdbase1") c.rdbase = v;
    else if (name == "rdbase2") c.rdbase2 = v;
}

uint64_t get_cmd_field(const ItsCommand& c, std::string_view name) {
    if (name == "device") return c.device;
    if (name == "event") return c.event;
    if (name == "intid") return c.intid;
    if (name == "icid") return c.icid;
    if (name == "itt") return c.itt_addr;
    if (name == "size") return c.size;
    if (name == "valid") return c.valid ? 1 : 0;
    if (name == "rdbase" || name == "rdbase1") return c.rdbase;
    if (name == "rdbase2") return c.rdbase2;
    return 0;
}

std::string key_list(const std::vector<Field>& fields) {
    std::string s;
    for (const Field& f : fields) s += (s.empty() ? "" : " ") + std::string(f.name);
    return s;
}

std::string command_list() {
    std::string s;
    for (const CmdFields& c : cmd_table()) s += (s.empty() ? "" : " ") + std::string(opcode_name(uint8_t(c.op)));
    return s;
}

// ---------------------------------------------------------------- reader

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

    Trace run() {
        size_t begin = 0;
        if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) begin = 3;  // UTF-8 BOM
        trace_.lines.reserve(count_statements(begin));
        line_no_ = 0;
        while (begin <= text_.size()) {
            size_t end = text_.find('\n', begin);
            if (end == std::string::npos) end = text_.size();
            ++line_no_;
            do_line(std::string_view(text_).substr(begin, end - begin));
            begin = end + 1;
        }
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
        return std::move(trace_);
    }

private:
    struct Reference {
        uint64_t n;
        bool msi;
        SourcePos pos;
    };

    // Lines with something other than blanks and a comment: an upper bound
    // on the number of TraceLines (the header is one of them).
    size_t count_statements(size_t begin) const {
        size_t n = 0;
        bool at_start = true;
        for (size_t i = begin; i < text_.size(); ++i) {
            const char c = text_[i];
            if (c == '\n') {
                at_start = true;
            } else if (at_start && !is_space(c)) {
                at_start = false;
                if (c != '#') ++n;
            }
        }
        return n;
    }

    [[noreturn]] void fail(unsigned column, const std::string& message) const {
        throw TraceError(SourcePos{trace_.file, line_no_, column}, message);
    }

    // ---- lexing

    void tokenize(std::string_view line) {
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

    void do_line(std::string_view line) {
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
            trace_.lines.push_back(std::move(tl));
            return;
        }
        const Token& op = toks_[first];
        tl.pos.column = op.column;
        if (op.text[0] == '@' || op.text[0] == '+') fail(op.column, "a line has at most one TIME");

        static const std::pair<const char*, TraceLine::Op> kOps[] = {
            {"platform", TraceLine::Op::platform}, {"cmd", TraceLine::Op::cmd},
            {"kick", TraceLine::Op::kick},         {"wait", TraceLine::Op::wait},
            {"msi", TraceLine::Op::msi},           {"write", TraceLine::Op::write},
            {"lpi", TraceLine::Op::lpi},           {"expect", TraceLine::Op::expect},
        };
        bool found = false;
        for (const auto& [name, value] : kOps)
            if (op.text == name) {
                tl.op = value;
                found = true;
            }
        if (!found)
            fail(op.column, "unknown op " + quote(op.text) +
                                " (ops: platform cmd kick wait msi write lpi expect)");

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
        case TraceLine::Op::platform: do_platform(tl); break;
        case TraceLine::Op::cmd: do_cmd(tl, op); break;
        case TraceLine::Op::kick: check_keys(op, {}, nullptr); break;
        case TraceLine::Op::wait: do_wait(tl, op); break;
        case TraceLine::Op::msi: do_msi(tl, op); break;
        case TraceLine::Op::write: do_write(tl, op); break;
        case TraceLine::Op::lpi: do_lpi(tl, op); break;
        case TraceLine::Op::expect: do_expect(tl, op); break;
        case TraceLine::Op::time_only: break;
        }
        trace_.lines.push_back(std::move(tl));
    }

    void note_timed_line() {
        if (first_timed_line_ == 0) first_timed_line_ = line_no_;
    }

    void do_header() {
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

    uint64_t parse_time(const Token& tok) {
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
    void check_keys(const Token& op, const std::vector<Field>& fields, uint64_t* out,
                    const std::string& owner = "", const KeyValue* skip = nullptr) {
        auto whose = [&] { return owner.empty() ? std::string(op.text) : owner; };
        bool seen[kMaxFields] = {};
        for (const KeyValue& kv : kvs_) {
            if (&kv == skip) continue;
            size_t idx = fields.size();
            for (size_t i = 0; i < fields.size(); ++i)
                if (kv.key == fields[i].name) idx = i;
            if (idx == fields.size()) {
                if (fields.empty())
                    fail(kv.key_column, "unknown key " + quote(kv.key) + " (" + whose() + " takes no keys)");
                fail(kv.key_column,
                     "unknown key " + quote(kv.key) + " for " + whose() + " (keys: " + key_list(fields) + ")");
            }
            out[idx] = parse_field(kv, fields[idx]);
            seen[idx] = true;
        }
        for (size_t i = 0; i < fields.size(); ++i)
            if (!seen[i]) fail(op.column, "missing key '" + std::string(fields[i].name) + "' for " + whose());
    }

    uint64_t parse_field(const KeyValue& kv, const Field& f) {
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
            if (*f.what) why += ": " + std::string(f.what);
            fail(kv.value_column, why + ")");
        }
        if (v < f.min) {
            if (f.min == kLpiBase)
                fail(kv.value_column, std::string(kv.key) + "=" + std::string(kv.value) +
                                          " is not an LPI (LPI INTIDs start at 8192)");
            fail(kv.value_column, std::string(kv.key) + "=" + std::string(kv.value) + " is out of range (at least " +
                                      std::to_string(f.min) + ")");
        }
        if (std::string_view(f.name) == "itt" && (v & 0xFF) != 0)
            fail(kv.value_column, "itt=" + std::string(kv.value) + " is not 256-byte aligned (ITT_addr is PA[51:8])");
        return v;
    }

    const KeyValue* find_kv(std::string_view key) const {
        for (const KeyValue& kv : kvs_)
            if (kv.key == key) return &kv;
        return nullptr;
    }

    // ---- ops

    void do_platform(TraceLine& tl) {
        for (const KeyValue& kv : kvs_) {
            const std::string key(kv.key);
            auto it = platform_keys_.find(key);
            if (it != platform_keys_.end())
                fail(kv.key_column, "platform setting " + quote(kv.key) + " is already set at line " +
                                        std::to_string(it->second.line) + ", column " +
                                        std::to_string(it->second.column));
            if (kv.key == "cpus") {
                uint64_t n = 0;
                if (parse_number(kv.value, false, n) != NumResult::ok || n == 0)
                    fail(kv.value_column, "cpus=" + std::string(kv.value) + " is not a number of CPUs (1 or more)");
            }
            PlatformSetting s{key, std::string(kv.value), tl.at(kv.key_column), tl.at(kv.value_column)};
            platform_keys_.emplace(key, s.pos);
            tl.settings.push_back(s);
            trace_.platform.push_back(std::move(s));
        }
    }

    void do_cmd(TraceLine& tl, const Token& op) {
        const KeyValue* raw = find_kv("raw");
        const KeyValue* name = find_kv("op");
        if (raw) {
            for (const KeyValue& kv : kvs_)
                if (&kv != raw)
                    fail(kv.key_column, "key " + quote(kv.key) + " cannot be combined with raw=");
            tl.cmd = decode(parse_raw(*raw));
            tl.raw_form = true;
        } else if (name) {
            // Architected names are upper case; accept any case ("mapti").
            std::string upper(name->value);
            for (char& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
            const std::optional<ItsOpcode> code = opcode_from_name(upper);
            if (!code)
                fail(name->value_column, "unknown command " + quote(name->value) + " (commands: " + command_list() + ")");
            const std::vector<Field>& fields = *fields_for(static_cast<uint8_t>(*code));
            uint64_t values[kMaxFields] = {};
            check_keys(op, fields, values, std::string(name->value), name);
            tl.cmd.opcode = static_cast<uint8_t>(*code);
            for (size_t i = 0; i < fields.size(); ++i) set_cmd_field(tl.cmd, fields[i].name, values[i]);
            tl.cmd.raw = encode(tl.cmd);
        } else {
            fail(op.column, "missing key 'op' for cmd (cmd needs op=NAME or raw=W0,W1,W2,W3)");
        }
        tl.cmd_seq = ++trace_.cmd_count;
    }

    CmdWords parse_raw(const KeyValue& kv) {
        CmdWords w{};
        std::string_view rest = kv.value;
        unsigned column = kv.value_column;
        for (unsigned i = 0; i < 4; ++i) {
            const size_t comma = rest.find(',');
            const std::string_view word = rest.substr(0, comma);
            if (word.empty())
                fail(column, "raw= needs four comma-separated 64-bit words (W0,W1,W2,W3)");
            switch (parse_number(word, false, w[i])) {
            case NumResult::malformed:
                fail(column, "malformed number " + quote(word) + " in raw= (expected decimal or 0x hex)");
            case NumResult::overflow: fail(column, "raw word " + quote(word) + " does not fit in 64 bits");
            case NumResult::ok: break;
            }
            if (i < 3) {
                if (comma == std::string_view::npos)
                    fail(kv.value_column, "raw= needs four comma-separated 64-bit words (W0,W1,W2,W3), got " +
                                              std::to_string(i + 1));
                rest = rest.substr(comma + 1);
                column += static_cast<unsigned>(comma + 1);
            } else if (comma != std::string_view::npos) {
                fail(column + static_cast<unsigned>(comma),
                     "raw= needs exactly four comma-separated 64-bit words (W0,W1,W2,W3)");
            }
        }
        return w;
    }

    void do_wait(TraceLine& tl, const Token& op) {
        for (const KeyValue& kv : kvs_) {
            if (kv.key != "until") fail(kv.key_column, "unknown key " + quote(kv.key) + " for wait (keys: until)");
            if (kv.value != "drained")
                fail(kv.value_column, "unknown wait condition " + quote(kv.value) + " (expected until=drained)");
        }
        if (kvs_.empty()) fail(op.column, "missing key 'until' for wait (expected until=drained)");
        tl.until = TraceLine::WaitUntil::drained;
    }

    void do_msi(TraceLine& tl, const Token& op) {
        static const std::vector<Field> fields = {kDevice, kEvent};
        uint64_t v[2] = {};
        check_keys(op, fields, v);
        tl.device = static_cast<uint32_t>(v[0]);
        tl.event = static_cast<uint32_t>(v[1]);
        tl.msi_seq = ++trace_.msi_count;
    }

    void do_write(TraceLine& tl, const Token& op) {
        static const std::vector<Field> fields = {
            {"addr", UINT64_MAX, 0, true, ""},
            {"value", UINT64_MAX, 0, true, ""},
            {"size", 8, 1, false, ""},
        };
        uint64_t v[3] = {};
        check_keys(op, fields, v);
        const KeyValue* size = find_kv("size");
        if (v[2] != 1 && v[2] != 2 && v[2] != 4 && v[2] != 8)
            fail(size->value_column, "size=" + std::string(size->value) + " is not 1, 2, 4 or 8");
        if (v[2] < 8 && (v[1] >> (8 * v[2])) != 0) {
            const KeyValue* value = find_kv("value");
            fail(value->value_column, "value=" + std::string(value->value) + " does not fit in size=" +
                                          std::to_string(v[2]) + " (at most " +
                                          hex((uint64_t{1} << (8 * v[2])) - 1) + ")");
        }
        tl.addr = v[0];
        tl.value = v[1];
        tl.size = static_cast<unsigned>(v[2]);
    }

    void do_lpi(TraceLine& tl, const Token& op) {
        static const std::vector<Field> fields = {
            {"intid", k32, kLpiBase, false, "32-bit INTID"},
            {"priority", 255, 0, false, "8-bit priority"},
            {"enable", 1, 0, false, ""},
        };
        uint64_t v[3] = {};
        check_keys(op, fields, v);
        tl.intid = static_cast<uint32_t>(v[0]);
        tl.priority = static_cast<uint8_t>(v[1]);
        tl.enable = v[2] != 0;
    }

    void do_expect(TraceLine& tl, const Token& op) {
        Expect& e = tl.expect;
        e.pos = tl.pos;
        // The form is named by the first marker on the line.
        enum class Form { none, msi, cmd, taken } form = Form::none;
        unsigned marker = 0;
        for (const Token& w : words_)
            if (w.text == "taken") {
                form = Form::taken;
                marker = w.column;
                break;
            }
        for (const KeyValue& kv : kvs_)
            if ((kv.key == "msi" || kv.key == "cmd") && (form == Form::none || kv.key_column < marker)) {
                form = kv.key == "msi" ? Form::msi : Form::cmd;
                marker = kv.key_column;
                break;
            }
        if (form == Form::none)
            fail(op.column, "expect needs msi=N, cmd=N or taken (forms: msi=N intid=I cpu=C | msi=N dropped | "
                            "cmd=N ok | cmd=N error=CODE | taken intid=I cpu=C count=K)");

        const Field intid{"intid", k32, kLpiBase, false, "32-bit INTID"};
        const Field cpu{"cpu", k32, 0, false, "32-bit CPU number"};
        const Field seq{"", UINT64_MAX, 1, false, ""};
        const char* allowed_word = form == Form::msi ? "dropped" : form == Form::cmd ? "ok" : "taken";
        const Token* word = nullptr;
        for (const Token& w : words_) {
            if (w.text != allowed_word) {
                if (w.text == "dropped" || w.text == "ok" || w.text == "taken")
                    fail(w.column, quote(w.text) + " cannot be combined with " +
                                       (form == Form::msi ? "msi=" : form == Form::cmd ? "cmd=" : "taken"));
                fail(w.column, "expected key=value, got " + quote(w.text));
            }
            if (word) fail(w.column, "duplicate " + quote(w.text) + " (first at column " + std::to_string(word->column) + ")");
            word = &w;
        }

        const KeyValue* kv_intid = nullptr;
        const KeyValue* kv_cpu = nullptr;
        const KeyValue* kv_count = nullptr;
        const KeyValue* kv_error = nullptr;
        for (const KeyValue& kv : kvs_) {
            auto unknown = [&](const char* keys) {
                fail(kv.key_column, "unknown key " + quote(kv.key) + " for this expect form (keys: " + keys + ")");
            };
            if (form == Form::msi) {
                if (kv.key == "msi") {
                    e.msi = reference(kv, seq, true);
                } else if (kv.key == "intid" || kv.key == "cpu") {
                    if (word) fail(kv.key_column, quote(kv.key) + " cannot be combined with 'dropped'");
                    if (kv.key == "intid") {
                        kv_intid = &kv;
                        e.intid = static_cast<uint32_t>(parse_field(kv, intid));
                    } else {
                        kv_cpu = &kv;
                        e.cpu = static_cast<uint32_t>(parse_field(kv, cpu));
                    }
                } else {
                    unknown("msi intid cpu, or msi and the word dropped");
                }
            } else if (form == Form::cmd) {
                if (kv.key == "cmd") {
                    e.cmd = reference(kv, seq, false);
                } else if (kv.key == "error") {
                    if (word) fail(kv.key_column, "'error' cannot be combined with 'ok'");
                    kv_error = &kv;
                    const Field code{"error", k32, 1, false, "32-bit error code"};
                    uint64_t zero = 1;
                    if (parse_number(kv.value, false, zero) == NumResult::ok && zero == 0)
                        fail(kv.value_column, "error=0 is not an error code (use 'ok')");
                    e.code = static_cast<uint32_t>(parse_field(kv, code));
                } else {
                    unknown("cmd, and the word ok or error");
                }
            } else {
                if (kv.key == "intid") {
                    kv_intid = &kv;
                    e.intid = static_cast<uint32_t>(parse_field(kv, intid));
                } else if (kv.key == "cpu") {
                    kv_cpu = &kv;
                    e.cpu = static_cast<uint32_t>(parse_field(kv, cpu));
                } else if (kv.key == "count") {
                    kv_count = &kv;
                    e.count = parse_field(kv, Field{"count", UINT64_MAX, 0, false, ""});
                } else {
                    unknown("intid cpu count, after the word taken");
                }
            }
        }
        auto missing = [&](const char* what) { fail(op.column, std::string("missing ") + what + " for expect"); };
        switch (form) {
        case Form::msi:
            if (word) {
                e.kind = Expect::Kind::msi_dropped;
            } else {
                if (!kv_intid) missing("key 'intid' (or the word 'dropped')");
                if (!kv_cpu) missing("key 'cpu'");
                e.kind = Expect::Kind::msi_delivered;
            }
            break;
        case Form::cmd:
            if (!word && !kv_error) missing("'ok' or error=CODE");
            e.kind = word ? Expect::Kind::cmd_ok : Expect::Kind::cmd_error;
            break;
        case Form::taken:
            if (!kv_intid) missing("key 'intid'");
            if (!kv_cpu) missing("key 'cpu'");
            if (!kv_count) missing("key 'count'");
            e.kind = Expect::Kind::taken;
            break;
        case Form::none: break;
        }
        trace_.expects.push_back(e);
    }

    uint64_t reference(const KeyValue& kv, const Field& seq, bool msi) {
        uint64_t n = 0;
        if (parse_number(kv.value, false, n) == NumResult::ok && n == 0)
            fail(kv.value_column, std::string(kv.key) + "=0: " + (msi ? "msi" : "cmd") +
                                      " lines are counted from 1");
        n = parse_field(kv, seq);
        refs_.push_back({n, msi, SourcePos{trace_.file, line_no_, kv.value_column}});
        return n;
    }

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

}  // namespace

// ---------------------------------------------------------------- public

Trace parse_trace(const std::string& text, const std::string& filename) { return Reader(text, filename).run(); }

Trace read_trace_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw TraceError(path, std::string("cannot read trace file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw TraceError(path, "cannot read trace file: it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TraceError(path, std::string("cannot read trace file: ") + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw TraceError(path, "cannot read trace file: read error");
    return parse_trace(buf.str(), path);
}

bool parse_trace_number(std::string_view text, bool allow_suffix, uint64_t& out) {
    return parse_number(text, allow_suffix, out) == NumResult::ok;
}

bool parse_trace_duration(std::string_view text, uint64_t& ps) {
    std::string_view unit;
    return parse_duration(text, ps, unit) == Duration::ok;
}

std::vector<CmdFieldValue> command_fields(const ItsCommand& cmd) {
    std::vector<CmdFieldValue> out;
    const std::vector<Field>* fields = fields_for(cmd.opcode);
    if (!fields) return out;
    out.reserve(fields->size());
    for (const Field& f : *fields) out.push_back({f.name, get_cmd_field(cmd, f.name)});
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
