#include "import/qemu_log.h"

#include <cstring>

namespace itsim::qemu {

ImportError::ImportError(const std::string& file, unsigned line, unsigned column, const std::string& message)
    : std::runtime_error(file + (line ? ":" + std::to_string(line) : std::string()) +
                         (line && column ? ":" + std::to_string(column) : std::string()) + ": error: " + message),
      line_(line),
      column_(column),
      message_(message) {}

namespace {

// Each event's message as QEMU 7.2 prints it, in this reader's notation:
// `#` is a run of hex digits (QEMU's %x / PRIx64, after a literal "0x"),
// `%` a decimal number (%d / %u); every other character is literal.
struct EventFormat {
    Ev kind;
    const char* name;
    const char* format;
};

const EventFormat kFormats[] = {
    {Ev::its_read, "gicv3_its_read", "GICv3 ITS read: offset 0x# data 0x# size %"},
    {Ev::its_badread, "gicv3_its_badread", "GICv3 ITS read: offset 0x# size %: error"},
    {Ev::its_write, "gicv3_its_write", "GICv3 ITS write: offset 0x# data 0x# size %"},
    {Ev::its_badwrite, "gicv3_its_badwrite", "GICv3 ITS write: offset 0x# data 0x# size %: error"},
    {Ev::translation_write, "gicv3_its_translation_write",
     "GICv3 ITS TRANSLATER write: offset 0x# data 0x# size % requester_id 0x#"},
    {Ev::process_command, "gicv3_its_process_command", "GICv3 ITS: processing command at offset 0x#: 0x#"},
    {Ev::cmd_int, "gicv3_its_cmd_int", "GICv3 ITS: command INT DeviceID 0x# EventID 0x#"},
    {Ev::cmd_clear, "gicv3_its_cmd_clear", "GICv3 ITS: command CLEAR DeviceID 0x# EventID 0x#"},
    {Ev::cmd_discard, "gicv3_its_cmd_discard", "GICv3 ITS: command DISCARD DeviceID 0x# EventID 0x#"},
    {Ev::cmd_sync, "gicv3_its_cmd_sync", "GICv3 ITS: command SYNC"},
    {Ev::cmd_mapd, "gicv3_its_cmd_mapd", "GICv3 ITS: command MAPD DeviceID 0x# Size 0x# ITT_addr 0x# V %"},
    {Ev::cmd_mapc, "gicv3_its_cmd_mapc", "GICv3 ITS: command MAPC ICID 0x# RDbase 0x# V %"},
    {Ev::cmd_mapi, "gicv3_its_cmd_mapi", "GICv3 ITS: command MAPI DeviceID 0x# EventID 0x# ICID 0x#"},
    {Ev::cmd_mapti, "gicv3_its_cmd_mapti", "GICv3 ITS: command MAPTI DeviceID 0x# EventID 0x# ICID 0x# pINTID 0x#"},
    {Ev::cmd_inv, "gicv3_its_cmd_inv", "GICv3 ITS: command INV DeviceID 0x# EventID 0x#"},
    {Ev::cmd_invall, "gicv3_its_cmd_invall", "GICv3 ITS: command INVALL"},
    {Ev::cmd_movall, "gicv3_its_cmd_movall", "GICv3 ITS: command MOVALL RDbase1 0x# RDbase2 0x#"},
    {Ev::cmd_movi, "gicv3_its_cmd_movi", "GICv3 ITS: command MOVI DeviceID 0x# EventID 0x# ICID 0x#"},
    {Ev::cmd_vmapi, "gicv3_its_cmd_vmapi", "GICv3 ITS: command VMAPI DeviceID 0x# EventID 0x# vPEID 0x# Dbell_pINTID 0x#"},
    // (QEMU 7.2 prints VMAPTI's message with the name VMAPI.)
    {Ev::cmd_vmapti, "gicv3_its_cmd_vmapti",
     "GICv3 ITS: command VMAPI DeviceID 0x# EventID 0x# vPEID 0x# vINTID 0x# Dbell_pINTID 0x#"},
    {Ev::cmd_vmapp, "gicv3_its_cmd_vmapp", "GICv3 ITS: command VMAPP vPEID 0x# RDbase 0x# V % VPT_addr 0x# VPT_size 0x#"},
    {Ev::cmd_vmovp, "gicv3_its_cmd_vmovp", "GICv3 ITS: command VMOVP vPEID 0x# RDbase 0x#"},
    {Ev::cmd_vsync, "gicv3_its_cmd_vsync", "GICv3 ITS: command VSYNC"},
    {Ev::cmd_vmovi, "gicv3_its_cmd_vmovi",
     "GICv3 ITS: command VMOVI DeviceID 0x# EventID 0x# vPEID 0x# D % Dbell_pINTID 0x#"},
    {Ev::cmd_vinvall, "gicv3_its_cmd_vinvall", "GICv3 ITS: command VINVALL vPEID 0x#"},
    {Ev::cmd_unknown, "gicv3_its_cmd_unknown", "GICv3 ITS: unknown command 0x#"},
    {Ev::cte_read, "gicv3_its_cte_read", "GICv3 ITS: Collection Table read for ICID 0x#: valid % RDBase 0x#"},
    {Ev::cte_write, "gicv3_its_cte_write", "GICv3 ITS: Collection Table write for ICID 0x#: valid % RDBase 0x#"},
    {Ev::cte_read_fault, "gicv3_its_cte_read_fault", "GICv3 ITS: Collection Table read for ICID 0x#: faulted"},
    {Ev::ite_read, "gicv3_its_ite_read",
     "GICv3 ITS: Interrupt Table read for ITTaddr 0x# EventID 0x#: valid % inttype % intid 0x# ICID 0x# vPEID 0x# "
     "doorbell 0x#"},
    {Ev::ite_read_fault, "gicv3_its_ite_read_fault", "GICv3 ITS: Interrupt Table read for ITTaddr 0x# EventID 0x#: faulted"},
    {Ev::ite_write, "gicv3_its_ite_write",
     "GICv3 ITS: Interrupt Table write for ITTaddr 0x# EventID 0x#: valid % inttype % intid 0x# ICID 0x# vPEID 0x# "
     "doorbell 0x#"},
    {Ev::dte_read, "gicv3_its_dte_read", "GICv3 ITS: Device Table read for DeviceID 0x#: valid % size 0x# ITTaddr 0x#"},
    {Ev::dte_write, "gicv3_its_dte_write", "GICv3 ITS: Device Table write for DeviceID 0x#: valid % size 0x# ITTaddr 0x#"},
    {Ev::dte_read_fault, "gicv3_its_dte_read_fault", "GICv3 ITS: Device Table read for DeviceID 0x#: faulted"},
    {Ev::vte_read, "gicv3_its_vte_read",
     "GICv3 ITS: vPE Table read for vPEID 0x#: valid % VPTsize 0x# VPTaddr 0x# RDbase 0x#"},
    {Ev::vte_read_fault, "gicv3_its_vte_read_fault", "GICv3 ITS: vPE Table read for vPEID 0x#: faulted"},
    {Ev::vte_write, "gicv3_its_vte_write",
     "GICv3 ITS: vPE Table write for vPEID 0x#: valid % VPTsize 0x# VPTaddr 0x# RDbase 0x#"},
};

const EventFormat* find_format(std::string_view name) {
    for (const EventFormat& f : kFormats)
        if (name == f.name) return &f;
    return nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// What the format expects at position `p`, for error messages.
std::string expectation(const char* fmt, size_t p) {
    if (fmt[p] == '#') return "a hex number";
    if (fmt[p] == '%') return "a decimal number";
    if (fmt[p] == 0) return "the end of the line";
    std::string lit;
    while (fmt[p] && fmt[p] != '#' && fmt[p] != '%' && lit.size() < 24) lit += fmt[p++];
    return "'" + lit + "'";
}

// Match `msg` against `fmt`; values into ev. `col0` is the column of msg[0].
void match_format(const EventFormat& f, std::string_view msg, unsigned col0, unsigned line, const std::string& file,
                  LogEvent& ev) {
    const char* fmt = f.format;
    size_t i = 0, p = 0;
    auto fail = [&](const std::string& why) {
        throw ImportError(file, line, unsigned(col0 + i),
                          std::string("malformed ") + f.name + " event: " + why + " (QEMU 7.2 prints \"" + f.format +
                              "\", # a hex and % a decimal number)");
    };
    while (fmt[p]) {
        char c = fmt[p];
        if (c == '#' || c == '%') {
            uint64_t v = 0;
            size_t start = i, digits = 0;
            bool neg = false;
            if (c == '%' && i < msg.size() && msg[i] == '-') {
                neg = true;
                ++i;
            }
            while (i < msg.size()) {
                int d = c == '#' ? hex_value(msg[i]) : (is_digit(msg[i]) ? msg[i] - '0' : -1);
                if (d < 0) break;
                unsigned base = c == '#' ? 16 : 10;
                if (v > (UINT64_MAX - unsigned(d)) / base) {
                    i = start;
                    fail("a number past 64 bits");
                }
                v = v * base + unsigned(d);
                ++i;
                ++digits;
            }
            if (digits == 0) {
                i = start;
                fail("expected " + expectation(fmt, p));
            }
            if (neg) {
                i = start;
                fail("a negative number");
            }
            if (ev.nv >= ev.v.size()) fail("too many numbers");  // no format has more than 8
            ev.v[ev.nv++] = v;
            ++p;
            continue;
        }
        if (i >= msg.size() || msg[i] != c) fail("expected " + expectation(fmt, p));
        ++i;
        ++p;
    }
    if (i != msg.size()) fail("unexpected text after the message");
}

}  // namespace

const char* event_name(Ev kind) {
    for (const EventFormat& f : kFormats)
        if (f.kind == kind) return f.name;
    return "?";
}

LineKind read_log_line(std::string_view text, unsigned line, const std::string& file, LogEvent& ev) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    ev = LogEvent{};
    ev.line = line;
    // Optional "PID@SECONDS.MICROSECONDS:" prefix.
    size_t pos = 0;
    bool has_prefix = false;
    {
        size_t k = 0;
        while (k < text.size() && is_digit(text[k])) ++k;
        if (k > 0 && k < text.size() && text[k] == '@') {
            has_prefix = true;
            size_t colon = text.find(':', k);
            pos = colon == std::string_view::npos ? text.size() : colon + 1;
        }
    }
    // The event name: up to a space, a colon or the end.
    size_t name_end = pos;
    while (name_end < text.size() && text[name_end] != ' ' && text[name_end] != ':') ++name_end;
    std::string_view name = text.substr(pos, name_end - pos);
    if (name.substr(0, 10) != "gicv3_its_") return LineKind::other;
    // "gicv3_its_...: text" without a prefix is a guest-error message of
    // the ITS's code (QEMU names the function), not a trace event.
    if (!has_prefix && name_end < text.size() && text[name_end] == ':') return LineKind::other;
    const EventFormat* f = find_format(name);
    if (!f)
        throw ImportError(file, line, unsigned(pos + 1),
                          "unknown ITS trace event '" + std::string(name) + "' (not one of QEMU 7.2's gicv3_its_* events)");
    if (has_prefix) {
        // PID '@' SECONDS '.' 6 digits ':'
        size_t k = 0;
        uint64_t pid = 0, sec = 0, usec = 0;
        auto number = [&](uint64_t& out, size_t max_digits) {
            size_t start = k;
            while (k < text.size() && is_digit(text[k]) && k - start < max_digits) out = out * 10 + unsigned(text[k++] - '0');
            return k - start;
        };
        bool ok = number(pid, 19) > 0 && k < text.size() && text[k] == '@';
        if (ok) {
            ++k;
            ok = number(sec, 12) > 0 && k < text.size() && text[k] == '.';
        }
        if (ok) {
            ++k;
            ok = number(usec, 6) == 6 && k < text.size() && text[k] == ':';
        }
        if (!ok)
            throw ImportError(file, line, unsigned(k + 1),
                              "malformed timestamp prefix: QEMU's -msg timestamp=on prints PID@SECONDS.MICROSECONDS: "
                              "(6 digits of microseconds) before the event name");
        ev.timed = true;
        ev.thread = pid;
        ev.t_us = sec * 1000000 + usec;
    }
    if (name_end >= text.size() || text[name_end] != ' ')
        throw ImportError(file, line, unsigned(name_end + 1),
                          std::string("malformed ") + f->name + " event: expected a space and the message after the name");
    ev.kind = f->kind;
    match_format(*f, text.substr(name_end + 1), unsigned(name_end + 2), line, file, ev);
    return LineKind::its_event;
}

}  // namespace itsim::qemu
