// The ITS command set as one table: for each of the 21 commands of GICv3,
// GICv4.0 and GICv4.1, its opcode, architected name, family and the GIC
// version that has it, and for each of its fields the trace (and event-log)
// name, where the field sits in the four doublewords and how its value maps
// there. The rows are in its_cmd_table.cpp, one commented line per field.
//
// Everything that knows a command reads this table: encode(), decode(),
// operator== and to_string() (its_cmd.h), the trace reader's keys and range
// checks and command_fields() (platform/trace), the event log, the ITS
// core's dispatch (models/its/its_core_commands.cpp: by family) and the
// driver agent (`maps`: which table a command maps an entry of).
//
// How a field's value maps. A field is `width` bits at
// DW<dw>[lsb + width - 1 : lsb] and holds value[value_lsb + width - 1 : value_lsb]:
//   - value_lsb == 0: the field is the value. DeviceID DW0[63:32]; RDbase
//     DW2[51:16] holds the RDbase field value (a processor number with
//     GITS_TYPER.PTA = 0, PA[51:16] >> 16 with PTA = 1).
//   - kind == address: an address kept in place, value_lsb == lsb:
//     ITT_addr is PA[51:8] in DW2[51:8]; VPT_addr is PA[51:16] in
//     DW3[51:16]; VCONF_addr is PA[51:16] in DW0[51:16]. The value is the
//     address itself, so its bits below value_lsb must be 0 (aligned).
//   - VSGI's Priority: DW0[23:20] holds priority[7:4] (value_lsb 4): the
//     value is the 8-bit priority, a multiple of 16.
//   - kind == flag: one bit, 0 or 1 (V, D, DB, Alloc, PTZ, Group, Clear,
//     Enable).
// A value fits its field when value < 2^(value_lsb + width) and its bits
// below value_lsb are 0; the trace reader rejects anything else, encode()
// keeps only the field's bits.
//
// Trace names (lower case, as trace-format.md's command table lists them):
//   device DeviceID, event EventID, intid pINTID, icid ICID, itt ITT_addr,
//   size (ITT) Size, valid V, rdbase / rdbase1 RDbase, rdbase2 RDbase2;
//   GICv4: vpeid vPEID, vintid vINTID (VSGI: the vSGI's INTID, 4 bits),
//   doorbell Dbell_pINTID (1023: none), db_valid VMOVI's D (doorbell field
//   valid; named after `valid`, V), vpt VPT_addr, vpt_size VPT_size, vconf
//   VCONF_addr, default_doorbell Default_Doorbell, alloc Alloc, ptz PTZ,
//   seqnum SequenceNumber, its_list ITSList, db VMOVP's DB, priority,
//   group, clear, enable (VSGI's Priority, Group, Clear, Enable).
//
// Plain C++: no simulation kernel needed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "itsim/common/gic_version.h"

namespace itsim {

enum class ItsOpcode : uint8_t {
    // GICv3 (physical)
    MOVI = 0x01,
    INT = 0x03,
    CLEAR = 0x04,
    SYNC = 0x05,
    MAPD = 0x08,
    MAPC = 0x09,
    MAPTI = 0x0A,
    MAPI = 0x0B,
    INV = 0x0C,
    INVALL = 0x0D,
    MOVALL = 0x0E,
    DISCARD = 0x0F,
    // GICv4.0 and GICv4.1 (virtual)
    VMOVI = 0x21,
    VMOVP = 0x22,
    VSGI = 0x23,      // 4.1
    VSYNC = 0x25,
    VMAPP = 0x29,
    VMAPTI = 0x2A,
    VMAPI = 0x2B,
    VINVALL = 0x2D,
    INVDB = 0x2E,     // 4.1
};


// How the ITS core groups its command handlers.
enum class CmdFamily : uint8_t {
    mapping,            // MAPD MAPC MAPTI MAPI: write a table entry
    per_interrupt,      // INT CLEAR INV DISCARD MOVI: one (DeviceID, EventID)
    per_redistributor,  // INVALL MOVALL SYNC: a collection's or an RDbase's redistributor
    virtual_,           // the nine GICv4 commands
};
const char* to_string(CmdFamily f);   // "mapping", "per-interrupt", "per-redistributor", "virtual"

// The table whose entry a command maps (V = 1) or unmaps (V = 0), indexed
// by the command's DeviceID, ICID or vPEID; `none` for every other command.
enum class CmdMaps : uint8_t { none, device, collection, vpe };

// The ItsCommand member a field fills (its_cmd.h: field_value()).
enum class CmdField : uint8_t {
    device, event, intid, icid, itt_addr, size, valid, rdbase, rdbase2,
    vpeid, vintid, doorbell, db_valid, vpt_addr, vpt_size, vconf_addr, default_doorbell,
    alloc, ptz, seqnum, its_list, db, priority, group, clear, enable,
};

enum class FieldKind : uint8_t {
    number,    // decimal in to_string()
    hex,       // an identifier to_string() writes in hex (DeviceID)
    address,   // an address kept in place: hex, aligned; the trace accepts K/M/G
    flag,      // one bit
};

struct CmdFieldInfo {
    const char* name;    // trace and event-log key: "device", "vpeid"
    const char* arch;    // the architected field: "DeviceID", "Dbell_pINTID"
    CmdField member;
    uint8_t dw;          // doubleword, 0..3
    uint8_t lsb;         // lowest bit of the field in its doubleword
    uint8_t width;       // bits
    uint8_t value_lsb;   // the value bit the field's lowest bit holds
    FieldKind kind;
    GicVersion since;    // the version the field appears in (4.1 fields of 4.0 commands)

    // The field's bits, right-aligned.
    constexpr uint64_t mask() const { return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }
    // Largest value the field can hold, and the bits a value must have clear.
    constexpr uint64_t max_value() const {
        return value_lsb + width >= 64 ? ~uint64_t{0} : (uint64_t{1} << (value_lsb + width)) - 1;
    }
    constexpr uint64_t low_bits() const { return (uint64_t{1} << value_lsb) - 1; }
    constexpr bool fits(uint64_t v) const { return v <= max_value() && (v & low_bits()) == 0; }
    // The field's bits of its doubleword for value v (truncated to the field).
    constexpr uint64_t place(uint64_t v) const { return ((v >> value_lsb) & mask()) << lsb; }
    // The value doubleword w holds.
    constexpr uint64_t extract(uint64_t w) const { return ((w >> lsb) & mask()) << value_lsb; }
};

struct CmdInfo {
    ItsOpcode op;
    const char* name;    // architected: "VMAPTI"
    CmdFamily family;
    GicVersion since;
    CmdMaps maps;
    const CmdFieldInfo* field_data;
    uint8_t field_count;

    constexpr uint8_t opcode() const { return static_cast<uint8_t>(op); }
    constexpr const CmdFieldInfo* begin() const { return field_data; }
    constexpr const CmdFieldInfo* end() const { return field_data + field_count; }
    // The field named `name` (trace spelling); nullptr if it has none.
    const CmdFieldInfo* field(std::string_view name) const;
    const CmdFieldInfo* field(CmdField member) const;
};

// No command has more fields than this (VMAPP has 9).
constexpr size_t kMaxCmdFields = 9;

// Every command, in the order of trace-format.md's command table: the
// twelve GICv3 commands, then the GICv4 ones by opcode.
struct CmdTable {
    const CmdInfo* first;
    const CmdInfo* last;
    const CmdInfo* begin() const { return first; }
    const CmdInfo* end() const { return last; }
    size_t size() const { return size_t(last - first); }
};
CmdTable command_table();

// The row of `opcode`; nullptr for a byte no GIC version assigns.
const CmdInfo* command_info(uint8_t opcode);
inline const CmdInfo* command_info(ItsOpcode op) { return command_info(static_cast<uint8_t>(op)); }
// The row named `name` (architected spelling, upper case); nullptr if none.
const CmdInfo* command_named(std::string_view name);
// True for the nine GICv4 commands.
bool is_virtual(uint8_t opcode);
// True when a GIC of version `v` has the command (or the field).
inline bool has_command(GicVersion v, const CmdInfo& c) { return c.since <= v; }
inline bool has_field(GicVersion v, const CmdFieldInfo& f) { return f.since <= v; }

// The field for messages: "32-bit DeviceID", "ITT_addr, PA[51:8]",
// "Priority, priority[7:4]".
std::string describe(const CmdFieldInfo& f);

}  // namespace itsim
