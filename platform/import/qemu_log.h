// Reading a QEMU log of the GICv3 ITS trace events (`-trace 'gicv3_its*'`,
// QEMU 7.2's hw/intc/arm_gicv3_its.c; docs/import.md).
//
// A log line of the "log" trace backend is
//     [PID@SECONDS.MICROSECONDS:]EVENT MESSAGE
// (the prefix with `-msg timestamp=on`), MESSAGE being the event's fixed
// format with its values filled in. The same log also holds lines of other
// trace events (the distributor's, the redistributor's, ...) and QEMU's
// guest-error messages (`-d guest_errors`, "FUNCTION: text", never with a
// timestamp): those are skipped. A line whose event name starts with
// "gicv3_its_" and is followed by a space is an ITS event: it must be one
// this reader knows and match its format exactly, or it is an ImportError
// naming the line.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace itsim::qemu {

// Every gicv3_its_* event of QEMU 7.2.
enum class Ev {
    its_read, its_badread, its_write, its_badwrite, translation_write, process_command,
    cmd_int, cmd_clear, cmd_discard, cmd_sync, cmd_mapd, cmd_mapc, cmd_mapi, cmd_mapti,
    cmd_inv, cmd_invall, cmd_movall, cmd_movi,
    cmd_vmapi, cmd_vmapti, cmd_vmapp, cmd_vmovp, cmd_vsync, cmd_vmovi, cmd_vinvall, cmd_unknown,
    cte_read, cte_write, cte_read_fault, ite_read, ite_read_fault, ite_write,
    dte_read, dte_write, dte_read_fault, vte_read, vte_read_fault, vte_write,
};

// One ITS event of the log. v[] holds the event's numbers in the order its
// message prints them (see the table in qemu_log.cpp).
struct LogEvent {
    Ev kind = Ev::its_read;
    unsigned line = 0;        // 1-based line of the log
    bool timed = false;       // the line had a PID@TIME: prefix
    uint64_t t_us = 0;        // host time in microseconds (when timed)
    uint64_t thread = 0;      // the PID of the prefix (QEMU's thread id)
    std::array<uint64_t, 8> v{};
    unsigned nv = 0;
};

// A log that cannot be imported. what() is one line:
// "FILE:LINE:COLUMN: error: MESSAGE" (COLUMN 1-based, in bytes), or
// "FILE:LINE: error: MESSAGE", or "FILE: error: MESSAGE".
class ImportError : public std::runtime_error {
public:
    ImportError(const std::string& file, unsigned line, unsigned column, const std::string& message);
    unsigned line() const { return line_; }
    unsigned column() const { return column_; }
    const std::string& message() const { return message_; }

private:
    unsigned line_, column_;
    std::string message_;
};

enum class LineKind {
    its_event,  // `event` is filled in
    other,      // another trace event, a guest error, a blank or unrelated line
};

// Classify and read one line (without its line end; a trailing '\r' is
// ignored). Throws ImportError for a malformed ITS event line.
LineKind read_log_line(std::string_view text, unsigned line, const std::string& file, LogEvent& event);

// The event's name as QEMU spells it ("gicv3_its_cmd_mapd").
const char* event_name(Ev kind);

}  // namespace itsim::qemu
