// fuzz_trace_reader: parse_trace() over arbitrary text.
//
// A TraceError is the only acceptable failure, and it must keep its
// contract (trace.h): one line "fuzz.its:LINE:COLUMN: error: MESSAGE" with a
// position inside the text. A trace that parses must keep the documented
// invariants of a Trace (trace.h, trace-format.md): times never go
// backwards, end_ps is the last line's time, cmd/msi numbering is 1..n in
// file order, `platform` lines come before any other line, op= commands
// carry encode(cmd) in raw, write values fit their size, lpi INTIDs are
// LPIs, expect references exist, and every line time renders exactly
// (format_ps -> parse_trace_duration gives the same picoseconds).
#include <cstring>
#include <string>

#include "fuzz_input.h"
#include "trace/trace.h"

using namespace itsim;

namespace {

const char* const kFile = "fuzz.its";

void check_error(const TraceError& e, const std::string& text) {
    const std::string what = e.what();
    FUZZ_CHECK(what.find('\n') == std::string::npos, "TraceError::what() spans lines: " + what);
    FUZZ_CHECK(what.rfind(std::string(kFile) + ":", 0) == 0, "TraceError does not name the file: " + what);
    FUZZ_CHECK(what.find(": error: ") != std::string::npos, "TraceError without ': error: ': " + what);
    FUZZ_CHECK(!e.message().empty(), "TraceError with an empty message: " + what);
    FUZZ_CHECK(e.pos().file == kFile, "TraceError position names another file: " + what);
    // A text always has a position (only an unreadable file has none).
    size_t lines = 1;
    for (char c : text) lines += c == '\n';
    FUZZ_CHECK(e.pos().line >= 1 && e.pos().line <= lines, "TraceError line outside the text: " + what);
    FUZZ_CHECK(e.pos().column >= 1, "TraceError without a column: " + what);
}

void check_trace(const Trace& t) {
    FUZZ_CHECK(t.file == kFile, "Trace::file is " + t.file);
    uint64_t prev_ps = 0, cmds = 0, msis = 0, expects = 0, settings = 0;
    bool seen_other = false;
    for (const TraceLine& l : t.lines) {
        const std::string where = l.pos.str() + " (" + op_name(l.op) + ")";
        FUZZ_CHECK(l.t_ps >= prev_ps, "time goes backwards at " + where);
        prev_ps = l.t_ps;
        uint64_t back = 0;
        FUZZ_CHECK(parse_trace_duration(format_ps(l.t_ps), back) && back == l.t_ps,
                   "format_ps(" + std::to_string(l.t_ps) + ") = " + format_ps(l.t_ps) + " does not parse back");
        FUZZ_CHECK(l.pos.line >= 1 && l.pos.column >= 1, "line without a position: " + where);
        if (l.op == TraceLine::Op::platform) {
            FUZZ_CHECK(!seen_other, "platform line after another line at " + where);
            FUZZ_CHECK(l.time_column == 0, "platform line with a TIME at " + where);
            for (const PlatformSetting& s : l.settings)
                FUZZ_CHECK(!s.key.empty() && !s.value.empty(), "empty platform setting at " + where);
            settings += l.settings.size();
        } else {
            seen_other = true;
        }
        FUZZ_CHECK(l.keys.size() <= 256, "more than 256 keys at " + where);
        switch (l.op) {
        case TraceLine::Op::cmd:
            FUZZ_CHECK(l.cmd_seq == ++cmds, "cmd numbering broken at " + where);
            if (l.raw_form) {
                FUZZ_CHECK(decode(l.cmd.raw) == l.cmd, "raw= command does not decode to its fields at " + where);
            } else {
                FUZZ_CHECK(command_info(l.cmd.opcode) != nullptr, "op= command with an opcode no GIC version has at " + where);
                FUZZ_CHECK(encode(l.cmd) == l.cmd.raw, "op= command whose raw is not encode(cmd) at " + where);
                FUZZ_CHECK(decode(l.cmd.raw) == l.cmd, "op= command that does not survive encode/decode at " + where);
            }
            (void)command_fields(l.cmd);
            (void)to_string(l.cmd);
            break;
        case TraceLine::Op::msi:
            FUZZ_CHECK(l.msi_seq == ++msis, "msi numbering broken at " + where);
            break;
        case TraceLine::Op::write:
            FUZZ_CHECK(l.size == 1 || l.size == 2 || l.size == 4 || l.size == 8, "write size " +
                       std::to_string(l.size) + " at " + where);
            FUZZ_CHECK(l.size == 8 || l.value < (uint64_t{1} << (8 * l.size)), "write value too wide at " + where);
            break;
        case TraceLine::Op::lpi:
            FUZZ_CHECK(l.intid >= 8192, "lpi intid below 8192 at " + where);
            break;
        case TraceLine::Op::expect: {
            ++expects;
            const Expect& e = l.expect;
            if (e.kind == Expect::Kind::msi_delivered || e.kind == Expect::Kind::msi_dropped)
                FUZZ_CHECK(e.msi >= 1 && e.msi <= t.msi_count, "expect msi= past the msi lines at " + where);
            if (e.kind == Expect::Kind::cmd_ok || e.kind == Expect::Kind::cmd_error)
                FUZZ_CHECK(e.cmd >= 1 && e.cmd <= t.cmd_count, "expect cmd= past the cmd lines at " + where);
            if (e.kind == Expect::Kind::cmd_error) FUZZ_CHECK(e.code != 0, "expect error=0 accepted at " + where);
            if (e.kind == Expect::Kind::msi_delivered || e.kind == Expect::Kind::taken)
                FUZZ_CHECK(e.intid >= 8192, "expect intid below 8192 at " + where);
            break;
        }
        default:
            break;
        }
    }
    FUZZ_CHECK(t.cmd_count == cmds, "cmd_count " + std::to_string(t.cmd_count) + " != " + std::to_string(cmds));
    FUZZ_CHECK(t.msi_count == msis, "msi_count " + std::to_string(t.msi_count) + " != " + std::to_string(msis));
    FUZZ_CHECK(t.expects.size() == expects, "Trace::expects does not list every expect line");
    FUZZ_CHECK(t.platform.size() == settings, "Trace::platform does not list every platform setting");
    FUZZ_CHECK(t.end_ps == (t.lines.empty() ? 0 : t.lines.back().t_ps), "end_ps is not the last line's time");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const Trace t = parse_trace(text, kFile);
        check_trace(t);
    } catch (const TraceError& e) {
        check_error(e, text);
    }
    // Anything else escapes and libFuzzer reports it (uncaught exception).
    return 0;
}
