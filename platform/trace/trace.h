// The stimulus trace (`*.its`), version 1: see trace-format.md, the public
// contract. parse_trace() reads the whole grammar into a Trace; nothing in a
// Trace needs checking again except what depends on the platform (a setting's
// name and value, a CPU number against `cpus`, an INTID against the LPI
// range): the platform reports those with the SourcePos stored here.
// `itsim run` reads a file in two passes instead (scan_trace_file, then a
// TraceCursor: below), so that a trace of any length is never held whole;
// both use parse_trace's line parser and give exactly its lines and errors.
//
// Reader decisions the contract leaves open (all hard errors are TraceError,
// one line "FILE:LINE:COLUMN: error: MESSAGE", COLUMN 1-based in bytes and
// pointing at the offending token):
// - Tokens are separated by spaces or tabs (also \r, \v, \f); `#` starts a
//   comment anywhere, even inside a token; a UTF-8 byte-order mark at the
//   start of the file is skipped; CRLF line ends are accepted.
// - Numbers: decimal (leading zeros allowed, never octal) or 0x/0X hex; no
//   sign, no separators. K, M, G (x2^10, 2^20, 2^30) are accepted on the
//   address and value keys only: cmd `itt`, `vpt` and `vconf`, write `addr`
//   and `value`. Everything else (IDs, sizes in bits, counts, CPU numbers)
//   is a plain number.
// - Every value must fit the field it fills, or it is an error (nothing is
//   silently truncated): device, event, intid, cpu 32 bits; icid 16 bits;
//   size 0..31; valid, enable 0..1; rdbase/rdbase1/rdbase2 36 bits (RDbase,
//   DW2[51:16], a processor number with PTA=0); itt below 2^52 and 256-byte
//   aligned; priority 0..255; write value within `size` bytes; lpi and
//   expect INTIDs at least 8192 (LPIs); raw words 64 bits each.
//   A command's fields are the command table's (its_cmd_table.h), their
//   ranges its widths; for the GICv4 commands: vpeid, seqnum, its_list 16
//   bits; vintid 32 bits (VSGI's 4: 0..15); doorbell, default_doorbell 32
//   bits; vpt_size 8 bits; vpt, vconf below 2^52 and 64 KB aligned (PA[51:16]);
//   VSGI's priority 0..255 and a multiple of 16 (the command holds
//   priority[7:4]); db_valid, alloc, ptz, db, group, clear, enable 0..1.
// - `cmd op=NAME` accepts every command of the table, the GICv4 ones
//   included, each with all its fields (GICv4.1 fields too); whether the
//   ITS implements it is the ITS's business (a GICv3 ITS reports a GICv4
//   command as an unknown opcode).
// - TIME: `@N<unit>` or `+N<unit>`, N decimal with an optional fraction
//   ("1.5us") or 0x hex, units ps ns us ms s, converted exactly to integer
//   picoseconds: a fraction that does not land on a whole picosecond, or a
//   time past 2^64-1 ps, is an error.
// - `platform` lines carry no TIME and come before every other line
//   (including TIME-only lines); their keys are free-form (the platform
//   checks them), except that `cpus` must be a number >= 1; a setting given
//   twice, on one line or on two, is an error.
// - Keys may come in any order; a key twice on a line, a missing key, an
//   unknown key, and a word without `=` are errors (at most 256 keys a
//   line). A line's shape is checked first (words without `=`, empty keys
//   or values, duplicates), then its keys and values left to right; the
//   first offending token is reported, a missing key at the op token.
// - `expect` forms are recognised by their first marker (`msi=`, `cmd=` or
//   the word `taken`); msi/cmd numbers count from 1 and must exist somewhere
//   in the trace (checked after the whole file is read; the reference's
//   value token is reported). `error=0` is rejected (use `ok`).
// - `cmd raw=W0,W1,W2,W3` accepts any opcode, known or not, and cannot be
//   combined with other keys (but `its`).
// GICv4 (extensions of version 1; what a GICv3 platform does with them is
// the platform's business, checked before simulation):
// - `its=N` (0..15, default 0) may be given on cmd, kick, wait, msi and sgi
//   lines: the ITS they go to (GITS_CTLR.ITS_Number). Commands queue per
//   ITS; a kick or wait acts on its ITS's queue only.
// - `cmd op=VMAPP` may leave out vpt, vpt_size, vconf, default_doorbell,
//   alloc and ptz: the software fills them as Linux's driver does (the
//   vPE's own VPT and its VM's vLPI configuration table, VPT_size =
//   its.lpi_bits - 1, the vPE's doorbell LPI, Alloc on the first map / last
//   unmap over the ITSs, PTZ = 0). TraceLine::cmd_defaulted says which.
// - `vlpi vpeid=V vintid=I priority=P enable=0|1` (vpeid 16 bits, vintid an
//   LPI number), `schedule cpu=C vpeid=V`, `deschedule cpu=C [doorbell=0|1]`
//   (default 0), `sgi vpeid=V vintid=N` (vintid 0..15).
// - expect forms `msi=N vintid=I vpeid=V`, `vtaken vintid=I vpeid=V count=K`
//   (vintid an LPI number or a vSGI 0..15) and `doorbell vpeid=V count=K`;
//   `vtaken` and `doorbell` are words like `taken`.
// - `vsgi_read cpu=C vpeid=V` (GICv4.1): software reads vPE V's pending vSGIs
//   at CPU C's redistributor (GICR_VSGIR, then GICR_VSGIPENDR until Busy is
//   0); `expect vsgi_read=N pending=MASK` names the N-th such line (from 1,
//   checked against the platform) and the Pending[15:0] it read.
// Sources (an extension of version 1, docs/sources.md): `source` lines
// (device, events, rate, pattern, popularity, count/until, seed, its) are
// parsed by sources/source_spec.h into Trace::sources; the line's
// TraceLine::source is its index there.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/common/its_cmd.h"
#include "sources/source_spec.h"

namespace itsim {

struct SourcePos {
    std::string file;
    unsigned line = 0;    // 1-based
    unsigned column = 0;  // 1-based, in bytes
    // "FILE:LINE:COLUMN"
    std::string str() const;
};

// A trace that cannot be used. what() is exactly one line:
// "FILE:LINE:COLUMN: error: MESSAGE", or "FILE: error: MESSAGE" when no
// position applies (a file that cannot be read).
class TraceError : public std::runtime_error {
public:
    TraceError(const SourcePos& pos, const std::string& message);
    TraceError(const std::string& file, const std::string& message);
    const SourcePos& pos() const { return pos_; }           // line/column 0 when none
    const std::string& message() const { return message_; }  // MESSAGE alone

private:
    SourcePos pos_;
    std::string message_;
};

// Where a key=value token of a line is (its value is in the op's fields;
// a platform setting's text is in PlatformSetting).
struct TraceKey {
    std::string key;
    unsigned key_column = 0;
    unsigned value_column = 0;
};

// A setting from a `platform` line, for the platform to apply and check.
struct PlatformSetting {
    std::string key;
    std::string value;
    SourcePos pos;        // the key
    SourcePos value_pos;  // the value
};

struct Expect {
    enum class Kind {
        msi_delivered,  // expect msi=N intid=I cpu=C
        msi_dropped,    // expect msi=N dropped
        cmd_ok,         // expect cmd=N ok
        cmd_error,      // expect cmd=N error=CODE
        taken,          // expect taken intid=I cpu=C count=K
        msi_virtual,    // expect msi=N vintid=I vpeid=V (GICv4)
        vtaken,         // expect vtaken vintid=I vpeid=V count=K
        doorbell,       // expect doorbell vpeid=V count=K
        vsgi_pending,   // expect vsgi_read=N pending=MASK
    };
    Kind kind = Kind::cmd_ok;
    uint64_t msi = 0;    // msi_delivered, msi_dropped: 1-based msi line number
    uint64_t cmd = 0;    // cmd_ok, cmd_error: 1-based cmd line number
    uint32_t intid = 0;  // msi_delivered, taken
    uint32_t cpu = 0;    // msi_delivered, taken
    uint32_t code = 0;   // cmd_error: the architected error code (never 0)
    uint64_t count = 0;  // taken, vtaken, doorbell
    uint32_t vpeid = 0;  // msi_virtual, vtaken, doorbell
    uint32_t vintid = 0; // msi_virtual, vtaken
    uint64_t vsgi_read = 0;  // vsgi_pending: 1-based vsgi_read line number
    uint32_t pending = 0;    // vsgi_pending: Pending[15:0]
    SourcePos pos;       // the `expect` token
};

struct TraceLine {
    enum class Op { platform, cmd, kick, wait, msi, write, lpi, expect, time_only,
                    vlpi, schedule, deschedule, sgi, source, vsgi_read };
    enum class WaitUntil { drained };

    Op op = Op::time_only;
    uint64_t t_ps = 0;           // absolute time of the line
    SourcePos pos;               // the op token (the TIME token for time_only)
    unsigned time_column = 0;    // column of the TIME token; 0 when the line has none
    std::vector<TraceKey> keys;  // every key=value token, in line order

    // platform
    std::vector<PlatformSetting> settings;
    // cmd: cmd.raw always holds the four words to write into the queue:
    // encode(cmd) for `op=` lines, the given words for `raw=` lines (then
    // cmd = decode(words), so an unknown opcode has only opcode and raw).
    ItsCommand cmd;
    bool raw_form = false;
    uint64_t cmd_seq = 0;        // 1-based among `cmd` lines
    // Bit i set: the command table's field i was left out (VMAPP only, see
    // above); cmd holds 0 there and the software fills it in.
    uint32_t cmd_defaulted = 0;
    // cmd, kick, wait, msi, sgi: the ITS (its=N; 0 when not given)
    unsigned its = 0;
    // vlpi, schedule, sgi: the vPE; vlpi, sgi: its vINTID
    uint32_t vpeid = 0;
    uint32_t vintid = 0;
    // schedule, deschedule: the CPU; deschedule: doorbell=1 asks for one
    uint32_t cpu = 0;
    bool doorbell = false;
    uint64_t vsgi_read_seq = 0;  // vsgi_read: 1-based among vsgi_read lines
    // msi
    uint32_t device = 0;
    uint32_t event = 0;
    uint64_t msi_seq = 0;        // 1-based among `msi` lines
    // write
    uint64_t addr = 0;
    uint64_t value = 0;
    unsigned size = 0;           // 1, 2, 4 or 8; value < 2^(8*size)
    // lpi (and vlpi: priority, enable)
    uint32_t intid = 0;          // >= 8192
    uint8_t priority = 0;
    bool enable = false;
    // wait
    WaitUntil until = WaitUntil::drained;
    // expect
    Expect expect;
    // source: index into Trace::sources
    uint32_t source = 0;

    // The key=value token named `key`, or nullptr.
    const TraceKey* find(std::string_view key) const;
    // Position of `column` on this line.
    SourcePos at(unsigned column) const;
    // Position of the value of `key` (of the op token when the key is absent).
    SourcePos value_pos(std::string_view key) const;
};

struct Trace {
    std::string file;                       // as given to the reader
    std::vector<TraceLine> lines;           // file order; the header is not a line
    std::vector<PlatformSetting> platform;  // every platform setting, file order
    std::vector<Expect> expects;            // every expect line, file order
    std::vector<SourceSpec> sources;        // every source line, file order
    uint64_t cmd_count = 0;
    uint64_t msi_count = 0;
    uint64_t vsgi_read_count = 0;
    uint64_t end_ps = 0;                    // time of the last line (0 if none)
    // scan_trace_file's summary: `lines` holds the platform, expect and
    // source lines only; TraceCursor reads the others from `file` again.
    bool streamed = false;
};

// Parse the text of a trace. `filename` is only used in positions.
Trace parse_trace(const std::string& text, const std::string& filename);
// Read and parse a file; a file that cannot be read is a TraceError naming it.
Trace read_trace_file(const std::string& path);

// ---- Streaming: a trace of any length in memory that does not grow with it.
//
// The first pass. Reads the file line by line through a small buffer and
// validates every line exactly as parse_trace does (the same errors at the
// same positions, the expect references checked at the end), keeping what
// is small and needed before simulation: the Trace has every field as
// parse_trace gives it (settings, expects, sources, counts, end_ps) but
// `lines` holds only the platform, expect and source lines (streamed =
// true). `visit`, when given, sees every line as it is read, kept or not,
// with the Trace read so far (the platform's checks of each line).
// A file that is not a regular one (a pipe) cannot be read twice: it is
// read whole, as read_trace_file does (streamed = false, every line kept).
using TraceVisit = std::function<void(const TraceLine&, const Trace&)>;
Trace scan_trace_file(const std::string& path, const TraceVisit& visit = {});

// The second pass: the lines of a scanned trace in file order, one at a
// time, each exactly as parse_trace makes it (times, numbering, a source's
// index). A streamed trace's file is read again through the same buffer
// and line parser; any other Trace's `lines` are walked. A file changed
// between the passes so that a line no longer parses is a TraceError.
class TraceCursor {
public:
    explicit TraceCursor(const Trace& trace);
    ~TraceCursor();
    TraceCursor(const TraceCursor&) = delete;
    TraceCursor& operator=(const TraceCursor&) = delete;
    // The next line, valid until the next call; nullptr after the last.
    const TraceLine* next();

private:
    struct Stream;
    const Trace& trace_;
    size_t index_ = 0;                 // !streamed: into trace_.lines
    std::unique_ptr<Stream> stream_;   // streamed
};

// Name of an op as the trace spells it ("cmd", "msi", ...; "time" for time_only).
const char* op_name(TraceLine::Op op);

// The fields a command carries (GICv3 or GICv4), by their trace (and
// event-log) names, in the order of trace-format.md's table (the command
// table's); empty for an opcode the table does not have. MOVALL's are
// rdbase1 (cmd.rdbase) and rdbase2; a flag (valid, db_valid, ...) is 0 or 1.
struct CmdFieldValue {
    const char* name;
    uint64_t value;
};
std::vector<CmdFieldValue> command_fields(const ItsCommand& cmd);

// Number grammar of the trace: decimal or 0x hex, and with allow_suffix an
// optional K, M or G. False when malformed or past 64 bits.
bool parse_trace_number(std::string_view text, bool allow_suffix, uint64_t& out);

// A duration as the trace writes it after @ or + ("250ns", "1.5us",
// "0x10ns"): exact in picoseconds. False when malformed, not a whole number
// of picoseconds, or past 2^64-1 ps. The platform's time parameters use it.
bool parse_trace_duration(std::string_view text, uint64_t& ps);

// Exact, readable rendering of a time in the trace's syntax: "0ps", "250ns",
// "1.5us", "3s" (the largest unit not above the value; the fraction is
// exact, never rounded).
std::string format_ps(uint64_t ps);

}  // namespace itsim
