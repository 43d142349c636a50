// The trace's grammar below the line, shared by the reader's parts:
// numbers (decimal or 0x hex, K/M/G), durations, quoting a token for a
// message, and how each key's value is read, the commands' keys included.
// Not for users of the trace (trace.h is their interface).
//   trace_grammar.cpp  these functions, and trace.h's parse_trace_number,
//                      parse_trace_duration, command_fields and format_ps
//   trace_reader.cpp   trace.h's types; the Reader: lines, TIME, keys
//                      (trace_reader.h)
//   trace_ops.cpp      the Reader's checker of each op, expect included
//   trace_ops_v4.cpp   the GICv4 ops and expect forms, its=N
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/common/config_value.h"
#include "trace/trace.h"

namespace itsim::trace_detail {

// Numbers and durations: the one grammar of setting values
// (common/config_value.h), which the trace's keys and TIME tokens share.
using NumResult = grammar::Number;
using grammar::parse_number;   // a decimal or 0x number; with allow_suffix, K, M or G may follow

// A token quoted for a message: printable, one line, bounded.
std::string quote(std::string_view s);

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

constexpr const char* kUnitList = grammar::kDurationUnits;

// A duration without sign: decimal (with an optional fraction) or 0x hex,
// then a unit; exact in picoseconds (parse_trace_duration too).
using Duration = grammar::Duration;
using grammar::parse_duration;

// How a key's value is read.
struct Field {
    const char* name;
    uint64_t max;           // largest value the field holds
    uint64_t min = 0;       // smallest meaningful value
    bool suffix = false;    // K/M/G accepted
    const char* what = "";  // the field's width, for the range message
    // A command's field: its row of the command table (its_cmd_table.h),
    // which gives the range message and the low bits that must be 0.
    const CmdFieldInfo* cmd = nullptr;
};

constexpr uint64_t k32 = 0xFFFFFFFFu;
constexpr uint64_t kLpiBase = 8192;
constexpr size_t kMaxFields = kMaxCmdFields;  // no op has more keys than this (VMAPP's 9)
static_assert(kMaxFields >= 3, "msi, write and lpi take up to 3 keys");
// Bounds the work per line (duplicate keys are found by a linear search);
// a platform needing more settings spreads them over several lines.
constexpr size_t kMaxKeysPerLine = 256;

// The msi op's keys.
constexpr Field kDevice{"device", k32, 0, false, "32-bit DeviceID"};
constexpr Field kEvent{"event", k32, 0, false, "32-bit EventID"};
// GICv4 keys of the trace's own ops (not commands): its=N, vPEIDs, vINTIDs.
constexpr Field kIts{"its", 15, 0, false, "ITS number, GITS_CTLR.ITS_Number[7:4]"};
constexpr Field kVpeid{"vpeid", 0xFFFF, 0, false, "16-bit vPEID"};
constexpr Field kVlpiVintid{"vintid", k32, kLpiBase, false, "32-bit vINTID"};
constexpr Field kVsgiVintid{"vintid", 15, 0, false, "a vSGI: 0 to 15"};

// The keys of a command by opcode (nullptr: an opcode the command table
// does not have), in trace-format.md order, read from the command table:
// the range is the field's (CmdFieldInfo::max_value()), K/M/G on
// addresses. Element i is the table's field i of that command.
const std::vector<Field>* fields_for(uint8_t opcode);
// "k1 k2 ..." and "MAPD MAPC ...", for messages.
std::string key_list(const std::vector<Field>& fields);
std::string command_list();

}  // namespace itsim::trace_detail
