// `itsim import qemu`: a QEMU log of the gicv3_its* trace events (a real
// guest on QEMU's ITS) as an itsim stimulus trace (trace-format.md).
// docs/import.md is the user's description; in short:
//
// - Commands: each run of processed commands up to the register write
//   that made QEMU process them (GITS_CWRITER) is one batch: its `cmd`
//   lines, `kick`, and `wait until=drained` (Linux polls GITS_CREADR after
//   every GITS_CWRITER write), at the host time of its first command.
// - MSIs: each GITS_TRANSLATER write is an `msi` line with the requester
//   ID as DeviceID and the data as EventID, followed by an expect line of
//   QEMU's outcome: the INTID of the ITE it read and the RDbase (processor
//   number) of the collection it read, or `dropped` when QEMU did not get
//   that far.
// - Time: the host timestamps of -msg timestamp=on, t=0 at the first ITS
//   event, times scaled by ps_per_host_us (1 host microsecond is that many
//   simulated picoseconds; 1000000, real time, by default).
// - Fills (what QEMU does not print), as Linux 6.1's irq-gic-v3-its.c
//   builds them, each marked `# fill:` in the trace:
//     SYNC rdbase: the target of the collection the command before it in
//       its batch names (Linux appends SYNC to a command on the collection
//       the command's builder returns; for MOVI the event's collection
//       before the move);
//     INVALL icid: the collection of the last MAPC (Linux sends INVALL
//       right after MAPC when a CPU comes up);
//     LPI property bytes: priority 0xa0, disabled, before the first line
//       for every LPI the log maps (Linux's initial table), and before each
//       INV the byte with the enable bit flipped (Linux writes the byte and
//       sends INV on each mask and unmask).
// - ITT addresses: Linux's are relocated into the trace's 256 MiB at
//   0x40000000, one 256-byte-aligned slot per MAPD V=1 that gives a device
//   a new ITT, sized for the MAPD's EventID range.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "import/qemu_log.h"

namespace itsim::qemu {

struct ImportOptions {
    std::string source_name = "log";   // the log's name in error messages
    std::string header_name;           // its name in the trace's header (source_name when empty)
    uint64_t ps_per_host_us = 1000000;  // simulated ps per host microsecond
    // A dump of the command queue (GITS_CBASER's memory) taken after the
    // last command, e.g. with QEMU's pmemsave; empty for none. Every command
    // at an entry the dump holds is checked against its raw words, filled
    // fields included: a mismatch is an ImportError.
    std::string cmdq;
};

struct ImportStats {
    unsigned log_lines = 0;
    unsigned its_events = 0;
    unsigned other_lines = 0;     // other events, guest errors, blank lines
    unsigned commands = 0;        // cmd lines written
    unsigned batches = 0;         // kicks written
    unsigned msis = 0;
    unsigned delivered = 0;
    unsigned dropped = 0;
    unsigned sync_fills = 0;
    unsigned invall_fills = 0;
    unsigned lpi_fills = 0;       // lpi lines written
    unsigned itt_slots = 0;
    unsigned cmd_expects = 0;
    unsigned clamped_times = 0;   // host timestamps earlier than the line before
    unsigned msis_on_disabled = 0;  // MSIs QEMU delivered on an LPI the fill left disabled
    unsigned cmdq_checked = 0;    // commands found equal to the queue dump's words
    unsigned cmdq_skipped = 0;    // commands the dump no longer (or never) held
};

// Convert a whole log (read line by line from `in`). Throws ImportError for
// a log that cannot be imported (a malformed ITS line, a GICv4 command, an
// ITT that does not fit, a time past 2^64 ps, a queue dump that disagrees).
std::string import_qemu_log(std::istream& in, const ImportOptions& opts, ImportStats* stats = nullptr);
std::string import_qemu_log(std::string_view text, const ImportOptions& opts, ImportStats* stats = nullptr);

// Parse a --time-scale value: simulated seconds per host second as a
// decimal ("1", "0.001", "2.5"); it must come out at a whole number of
// picoseconds per host microsecond (at least 1). False otherwise.
bool parse_time_scale(std::string_view text, uint64_t& ps_per_host_us);

// Render ps_per_host_us back as the decimal scale ("1", "0.001").
std::string format_time_scale(uint64_t ps_per_host_us);

}  // namespace itsim::qemu
