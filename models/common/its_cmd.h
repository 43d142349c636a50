// The ITS command set: one structured representation shared by the trace
// reader, the ITS command engine, the driver agent and the tests.
//
// A command is four 64-bit little-endian doublewords (IHI 0069, "ITS
// commands"). Which commands exist, their fields, where each field sits and
// how its value maps there are one table, its_cmd_table.h; everything below
// reads it. The twelve GICv3 (physical) commands and their fields:
//
//   field      position       used by
//   opcode     DW0[7:0]       all
//   DeviceID   DW0[63:32]     MAPD MAPTI MAPI MOVI INT CLEAR DISCARD INV
//   EventID    DW1[31:0]      MAPTI MAPI MOVI INT CLEAR DISCARD INV
//   pINTID     DW1[63:32]     MAPTI (MAPI uses pINTID = EventID)
//   Size       DW1[4:0]       MAPD (EventID bits - 1)
//   ITT_addr   DW2[51:8]      MAPD (PA[51:8], 256-byte aligned)
//   V          DW2[63]        MAPD MAPC
//   ICID       DW2[15:0]      MAPC MAPTI MAPI MOVI INVALL
//   RDbase     DW2[51:16]     MAPC SYNC MOVALL(RDbase1)
//   RDbase2    DW3[51:16]     MOVALL
//
// The nine GICv4 commands (VMAPP VMAPTI VMAPI VMOVI VMOVP VSYNC VINVALL
// INVDB VSGI) have rows of their own; this GICv3 ITS does not implement
// them: is_known_opcode() is false for them, and the ITS reports them as
// cmd_error::unknown_opcode().
//
// Plain C++: no simulation kernel needed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "itsim/common/gic_version.h"
#include "itsim/common/its_cmd_table.h"

namespace itsim {

// The names a GICv3 ITS knows. Architected name ("MAPTI") of one of the
// twelve GICv3 opcodes; nullptr for any other byte, the GICv4 opcodes
// included (command_info() has every row).
const char* opcode_name(uint8_t opcode);
// Inverse of opcode_name, case-sensitive on the architected spelling
// (command_named() finds the GICv4 commands too).
std::optional<ItsOpcode> opcode_from_name(std::string_view name);
// True for the twelve GICv3 physical opcodes: the commands this ITS
// implements. A GICv4 opcode is unknown to it.
bool is_known_opcode(uint8_t opcode);

using CmdWords = std::array<uint64_t, 4>;

// Dbell_pINTID 1023: the command names no doorbell.
constexpr uint32_t kNoDoorbell = 1023;

// One ITS command with every field a command can carry. Fields a given
// opcode does not use are ignored by encode() and zero after decode().
struct ItsCommand {
    uint8_t opcode = 0;       // raw byte: unknown opcodes survive decode()
    uint32_t device = 0;      // DeviceID
    uint32_t event = 0;       // EventID
    uint32_t intid = 0;       // pINTID (MAPTI)
    uint32_t icid = 0;        // ICID, 16 bits
    uint64_t itt_addr = 0;    // MAPD: ITT physical address (bits [51:8])
    uint8_t size = 0;         // MAPD: encoded ITT size, EventID bits - 1
    bool valid = false;       // MAPD, MAPC, VMAPP: V
    uint64_t rdbase = 0;      // MAPC, SYNC, MOVALL, VMAPP, VMOVP: RDbase field value (36 bits)
    uint64_t rdbase2 = 0;     // MOVALL: RDbase2 field value (36 bits)

    // GICv4 (its_cmd_table.h has each field's position and version).
    uint32_t vpeid = 0;             // vPEID, 16 bits: every GICv4 command
    uint32_t vintid = 0;            // vINTID: VMAPTI (32 bits), VSGI (the vSGI, 4 bits)
    uint32_t doorbell = 0;          // Dbell_pINTID: VMAPTI VMAPI VMOVI (kNoDoorbell: none)
    bool db_valid = false;          // VMOVI: D, the doorbell field is valid
    uint64_t vpt_addr = 0;          // VMAPP: VPT_addr, the vPE's pending table (PA[51:16])
    uint8_t vpt_size = 0;           // VMAPP: VPT_size, vINTID bits - 1
    uint64_t vconf_addr = 0;        // VMAPP (4.1): VCONF_addr, the vLPI configuration table (PA[51:16])
    uint32_t default_doorbell = 0;  // VMAPP, VMOVP (4.1): Default_Doorbell pINTID
    bool alloc = false;             // VMAPP (4.1): Alloc, first map / last unmap over all ITSs
    bool ptz = false;               // VMAPP (4.1): PTZ, the VPT is known to be zero
    uint32_t seqnum = 0;            // VMOVP: SequenceNumber, 16 bits
    uint32_t its_list = 0;          // VMOVP: ITSList, 16 bits
    bool db = false;                // VMOVP (4.1): DB, Default_Doorbell is valid
    uint8_t priority = 0;           // VSGI: the priority; the command carries priority[7:4]
    bool group = false;             // VSGI: Group
    bool clear = false;             // VSGI: Clear
    bool enable = false;            // VSGI: Enable

    // Words of the command as it was read (decode) so unknown opcodes and
    // RES0 bits can be reported exactly.
    CmdWords raw{};

    bool operator==(const ItsCommand& o) const;
};

// The value of the member a table field names (a flag is 0 or 1), and the
// member set from a value (cast to the member's type, a flag to v != 0).
uint64_t field_value(const ItsCommand& cmd, CmdField member);
void set_field_value(ItsCommand& cmd, CmdField member, uint64_t v);

// Build the four words of a command. Fields wider than their architected
// slot are truncated to it (the trace reader range-checks before this).
CmdWords encode(const ItsCommand& cmd);
// Read the fields of a command from its four words. Never fails: an
// opcode no GIC version assigns decodes with only `opcode` and `raw` set.
ItsCommand decode(const CmdWords& words);

// Little-endian byte image of the command (32 bytes) and back.
void to_bytes(const CmdWords& words, uint8_t out[32]);
CmdWords from_bytes(const uint8_t in[32]);

// Field masks (architected widths).
constexpr uint64_t kRdbaseMask = (uint64_t{1} << 36) - 1;  // DW2[51:16]
constexpr uint64_t kIttAddrMask = ((uint64_t{1} << 52) - 1) & ~uint64_t{0xFF};
constexpr uint32_t kIcidMask = 0xFFFF;
constexpr uint8_t kSizeMask = 0x1F;

// Builders for each command, for software models, generators and tests:
// build::mapti(0x10, 3, 8195, 1) is the MAPTI of that DeviceID, EventID,
// pINTID and ICID.
namespace build {
ItsCommand mapd(uint32_t device, uint64_t itt_addr, uint8_t size, bool valid = true);
ItsCommand mapc(uint32_t icid, uint64_t rdbase, bool valid = true);
ItsCommand mapti(uint32_t device, uint32_t event, uint32_t intid, uint32_t icid);
ItsCommand mapi(uint32_t device, uint32_t event, uint32_t icid);
ItsCommand movi(uint32_t device, uint32_t event, uint32_t icid);
ItsCommand movall(uint64_t rdbase1, uint64_t rdbase2);
// INT, CLEAR, INV, DISCARD: the commands that name only DeviceID and EventID.
ItsCommand by_event(ItsOpcode op, uint32_t device, uint32_t event);
ItsCommand invall(uint32_t icid);
ItsCommand sync(uint64_t rdbase);
// GICv4. VMAPP's GICv4.1 fields are set on the result (vconf_addr,
// default_doorbell, alloc, ptz), VMOVP's with vmovp's last two arguments.
// VMAPP for `version` v4_1 with V=1 names no default doorbell (1023, what
// a GICv4.1 ITS accepts besides an LPI); otherwise Default_Doorbell is 0
// (v4.0: the bits are RES0; Linux's v4.1 unmap leaves them 0).
ItsCommand vmapp(uint32_t vpeid, uint64_t rdbase, uint64_t vpt_addr, uint8_t vpt_size, bool valid = true,
                 GicVersion version = GicVersion::v4_0);
ItsCommand vmapti(uint32_t device, uint32_t event, uint32_t vpeid, uint32_t vintid, uint32_t doorbell = kNoDoorbell);
ItsCommand vmapi(uint32_t device, uint32_t event, uint32_t vpeid, uint32_t doorbell = kNoDoorbell);
ItsCommand vmovi(uint32_t device, uint32_t event, uint32_t vpeid, uint32_t doorbell, bool db_valid);
ItsCommand vmovp(uint32_t seqnum, uint32_t its_list, uint32_t vpeid, uint64_t rdbase, bool db = false,
                 uint32_t default_doorbell = 0);
// VSYNC, VINVALL, INVDB: the commands that name only a vPEID.
ItsCommand by_vpe(ItsOpcode op, uint32_t vpeid);
ItsCommand vsgi(uint32_t vpeid, uint32_t vintid, uint8_t priority, bool group, bool clear, bool enable);
}  // namespace build

// "0x1a2b": lower-case hex with a 0x prefix, as the event log and messages write numbers.
std::string hex(uint64_t v);

// A readable one-line rendering as a GICv3 ITS reads the command:
// "MAPTI device=0x10 event=3 intid=8195 icid=1"; a command it does not
// implement (a GICv4 one included) is "UNKNOWN opcode=0x29 raw=W0,W1,W2,W3".
std::string to_string(const ItsCommand& cmd);
// The same as a GIC of version `gic` reads it: the commands and fields that
// version has, by their trace names ("VMAPTI device=0x10 event=3 vpeid=2
// vintid=40 doorbell=1023"); to_string(cmd) is to_string(cmd, GicVersion::v3).
std::string to_string(const ItsCommand& cmd, GicVersion gic);

// Command error codes (IHI 0069, "ITS command error encodings"). A code is
// 24 bits, {0x01, command, reason}: bits [15:8] name the command, bits [7:0]
// the reason. The command byte is the opcode, except for CLEAR (opcode 0x04),
// whose codes are 0x0105xx in every source that lists them.
//
// Reason bytes: 0x01 DEVICE_OOR (DeviceID out of range), 0x02 ITTSIZE_OOR
// (MAPD) / PROCNUM_OOR (MAPC), 0x03 COLLECTION_OOR (ICID out of range), 0x04
// UNMAPPED_DEVICE (DTE not valid), 0x05 ID_OOR (EventID beyond the ITT),
// 0x06 PHYSICALID_OOR (pINTID not an LPI), 0x07 UNMAPPED_INTERRUPT (ITE not
// valid), 0x09 UNMAPPED_COLLECTION (CTE not valid), 0x10 ITE_INVALID.
// MOVALL's RDbase code is 0x010E01 (MOVALL_PROCNUM_OOR, reason byte 0x01).
//
// Every code itsim knows is one row of kErrorCodes, with where its value is
// written down. Sources:
//   [TRM]  Arm CoreLink GIC-600AE TRM, 101206_0003_04 (issue 04), section
//          "ITS commands and errors", the per-command error tables (the
//          architected rows, IERR = 0; the IMPDEF rows such as INT_TGT_OOR
//          0x010320 are not modelled).
//   [L]    Linux include/linux/irqchip/arm-gic-v3.h, E_ITS_* (KVM's values).
//   [QNX]  QNX startup library aarch64/gic_its.h, GITS_ERR_*.
//   [UV]   Kernkonzept uvmm, server/src/arm/gic-v3_its.cc, Cmd::Err.
//   [ODY]  Marvell GITS_CMD_ERR_E enumeration (reason bytes only).
// A row whose basis is `pattern` is in none of these: its value is built
// from {0x01, command, reason} with the reason byte above.
//
// Cases no source gives a code of their own, and the code itsim uses:
//   - INT, CLEAR, INV, DISCARD whose ITE names an unmapped collection: the
//     command's UNMAPPED_INTERRUPT, as KVM does (vgic_its_resolve_lpi returns
//     E_ITS_INT_UNMAPPED_INTERRUPT when the ITE's collection is not mapped).
//     The TRM lists no <cmd>_UNMAPPED_COLLECTION for these four commands.
//   - An ITE that is valid but not physical, on a GICv3 ITS (which never
//     writes one): UNMAPPED_INTERRUPT. On a GICv4 ITS the <cmd>_ITE_INVALID
//     codes flag a virtual ITE INT, CLEAR, INV or DISCARD cannot use (its
//     vPE not mapped, its vINTID past the vPE's VPT_size), and MOVI of any
//     virtual ITE (MOVI_ITE_INVALID, pattern: QEMU calls it "invalid ITE").
//   - GICv4 commands (gicv4-facts.md 1.4): the [QNX] values are documented,
//     every other one is `pattern`; INVDB and VSGI have no code in any
//     source, so all theirs are. VMOVP's ITSList and SequenceNumber checks
//     (GITS_TYPER.VMOVP = 0) use reason bytes of itsim's own, 0xE8/0xE9.
//     VMOVI's vINTID check, VMAPI's (vINTID = EventID) and VMOVP's
//     unmapped vPE follow the reason dictionary (0x13, 0x14).
//   - DISCARD of an unmapped device: the TRM's DISCARD table lists only
//     DISCARD_UNMAPPED_INTERRUPT and DISCARD_ITE_INVALID, [UV] adds
//     DISCARD_DEVICE_OOR and DISCARD_ID_OOR; DISCARD_UNMAPPED_DEVICE
//     (0x010F04) is the one pattern code the model reports for it.
//   - MAPI: the TRM gives MAPI codes of its own (0x010Bxx); KVM and [UV]
//     report MAPI failures with MAPTI's codes. itsim follows the TRM.
//   - SYNC has no error code (none in any source); MOVALL only the RDbase one.
namespace cmd_error {

enum class Basis : uint8_t {
    documented,   // the value is written down in the source(s) named
    pattern,      // derived from {0x01, command, reason}; unverified
};

struct ErrorCode {
    uint32_t code;
    ItsOpcode command;
    const char* name;     // the mnemonic, "INT_UNMAPPED_DEVICE"
    const char* source;   // where the value is written down (tags above)
    Basis basis;
};

constexpr Basis kDoc = Basis::documented;
constexpr Basis kPat = Basis::pattern;

// clang-format off
constexpr ErrorCode kErrorCodes[] = {
    {0x010101, ItsOpcode::MOVI,    "MOVI_DEVICE_OOR",             "TRM",                    kDoc},
    {0x010103, ItsOpcode::MOVI,    "MOVI_COLLECTION_OOR",         "TRM",                    kDoc},
    {0x010104, ItsOpcode::MOVI,    "MOVI_UNMAPPED_DEVICE",        "TRM",                    kDoc},
    {0x010105, ItsOpcode::MOVI,    "MOVI_ID_OOR",                 "TRM",                    kDoc},
    {0x010107, ItsOpcode::MOVI,    "MOVI_UNMAPPED_INTERRUPT",     "TRM, L, UV",             kDoc},
    {0x010109, ItsOpcode::MOVI,    "MOVI_UNMAPPED_COLLECTION",    "TRM, L, UV",             kDoc},
    {0x010301, ItsOpcode::INT,     "INT_DEVICE_OOR",              "TRM",                    kDoc},
    {0x010304, ItsOpcode::INT,     "INT_UNMAPPED_DEVICE",         "TRM",                    kDoc},
    {0x010305, ItsOpcode::INT,     "INT_ID_OOR",                  "TRM, QNX",               kDoc},
    {0x010307, ItsOpcode::INT,     "INT_UNMAPPED_INTERRUPT",      "TRM, L, QNX, UV",        kDoc},
    {0x010310, ItsOpcode::INT,     "INT_ITE_INVALID",             "TRM, QNX",               kDoc},
    {0x010501, ItsOpcode::CLEAR,   "CLEAR_DEVICE_OOR",            "TRM, QNX",               kDoc},
    {0x010504, ItsOpcode::CLEAR,   "CLEAR_UNMAPPED_DEVICE",       "TRM",                    kDoc},
    {0x010505, ItsOpcode::CLEAR,   "CLEAR_ID_OOR",                "TRM, QNX",               kDoc},
    {0x010507, ItsOpcode::CLEAR,   "CLEAR_UNMAPPED_INTERRUPT",    "TRM, L, QNX, UV",        kDoc},
    {0x010510, ItsOpcode::CLEAR,   "CLEAR_ITE_INVALID",           "TRM, QNX",               kDoc},
    {0x010801, ItsOpcode::MAPD,    "MAPD_DEVICE_OOR",             "L, UV",                  kDoc},
    {0x010802, ItsOpcode::MAPD,    "MAPD_ITTSIZE_OOR",            "L, UV",                  kDoc},
    {0x010902, ItsOpcode::MAPC,    "MAPC_PROCNUM_OOR",            "L",                      kDoc},
    {0x010903, ItsOpcode::MAPC,    "MAPC_COLLECTION_OOR",         "TRM, L, UV",             kDoc},
    {0x010A01, ItsOpcode::MAPTI,   "MAPTI_DEVICE_OOR",            "UV",                     kDoc},
    {0x010A03, ItsOpcode::MAPTI,   "MAPTI_COLLECTION_OOR",        "UV",                     kDoc},
    {0x010A04, ItsOpcode::MAPTI,   "MAPTI_UNMAPPED_DEVICE",       "L",                      kDoc},
    {0x010A05, ItsOpcode::MAPTI,   "MAPTI_ID_OOR",                "L, UV",                  kDoc},
    {0x010A06, ItsOpcode::MAPTI,   "MAPTI_PHYSICALID_OOR",        "TRM (as MAPVI), L, UV",  kDoc},
    {0x010B01, ItsOpcode::MAPI,    "MAPI_DEVICE_OOR",             "TRM",                    kDoc},
    {0x010B03, ItsOpcode::MAPI,    "MAPI_COLLECTION_OOR",         "TRM",                    kDoc},
    {0x010B04, ItsOpcode::MAPI,    "MAPI_UNMAPPED_DEVICE",        "TRM",                    kDoc},
    {0x010B05, ItsOpcode::MAPI,    "MAPI_ID_OOR",                 "TRM",                    kDoc},
    {0x010B06, ItsOpcode::MAPI,    "MAPI_PHYSICALID_OOR",         "pattern",                kPat},
    {0x010C01, ItsOpcode::INV,     "INV_DEVICE_OOR",              "TRM, QNX",               kDoc},
    {0x010C04, ItsOpcode::INV,     "INV_UNMAPPED_DEVICE",         "TRM, QNX",               kDoc},
    {0x010C05, ItsOpcode::INV,     "INV_ID_OOR",                  "QNX",                    kDoc},
    {0x010C07, ItsOpcode::INV,     "INV_UNMAPPED_INTERRUPT",      "L, QNX, UV",             kDoc},
    {0x010C10, ItsOpcode::INV,     "INV_ITE_INVALID",             "QNX",                    kDoc},
    {0x010D03, ItsOpcode::INVALL,  "INVALL_COLLECTION_OOR",       "TRM, QNX",               kDoc},
    {0x010D09, ItsOpcode::INVALL,  "INVALL_UNMAPPED_COLLECTION",  "TRM, L, UV",             kDoc},
    {0x010E01, ItsOpcode::MOVALL,  "MOVALL_PROCNUM_OOR",          "L",                      kDoc},
    {0x010F01, ItsOpcode::DISCARD, "DISCARD_DEVICE_OOR",          "UV",                     kDoc},
    {0x010F04, ItsOpcode::DISCARD, "DISCARD_UNMAPPED_DEVICE",     "pattern",                kPat},
    {0x010F05, ItsOpcode::DISCARD, "DISCARD_ID_OOR",              "UV",                     kDoc},
    {0x010F07, ItsOpcode::DISCARD, "DISCARD_UNMAPPED_INTERRUPT",  "TRM, L, UV",             kDoc},
    {0x010F10, ItsOpcode::DISCARD, "DISCARD_ITE_INVALID",         "TRM",                    kDoc},
    // GICv4 (gicv4-facts.md 1.4). MOVI on a virtual ITE: the ITE exists but
    // cannot be used (the reason QEMU gives, "invalid ITE").
    {0x010110, ItsOpcode::MOVI,    "MOVI_ITE_INVALID",            "pattern",                kPat},
    {0x012101, ItsOpcode::VMOVI,   "VMOVI_DEVICE_OOR",            "pattern",                kPat},
    {0x012104, ItsOpcode::VMOVI,   "VMOVI_UNMAPPED_DEVICE",       "pattern",                kPat},
    {0x012105, ItsOpcode::VMOVI,   "VMOVI_ID_OOR",                "QNX",                    kDoc},
    {0x012106, ItsOpcode::VMOVI,   "VMOVI_PHYSICALID_OOR",        "QNX",                    kDoc},
    {0x012107, ItsOpcode::VMOVI,   "VMOVI_UNMAPPED_INTERRUPT",    "pattern",                kPat},
    {0x012111, ItsOpcode::VMOVI,   "VMOVI_VCPU_OOR",              "pattern",                kPat},
    {0x012113, ItsOpcode::VMOVI,   "VMOVI_VIRTUALID_OOR",         "pattern",                kPat},
    {0x012115, ItsOpcode::VMOVI,   "VMOVI_ID_IS_PHYSICAL",        "QNX",                    kDoc},
    {0x012116, ItsOpcode::VMOVI,   "VMOVI_ITEVCPU_INVALID",       "QNX",                    kDoc},
    {0x012117, ItsOpcode::VMOVI,   "VMOVI_CMDVCPU_INVALID",       "QNX",                    kDoc},
    {0x012202, ItsOpcode::VMOVP,   "VMOVP_PROCNUM_OOR",           "pattern",                kPat},
    {0x012211, ItsOpcode::VMOVP,   "VMOVP_VCPU_OOR",              "pattern",                kPat},
    {0x012214, ItsOpcode::VMOVP,   "VMOVP_VCPU_INVALID",          "pattern",                kPat},
    // itsim's own reasons (no source has one), in the range [ODY] uses for
    // its IMPLEMENTATION DEFINED reasons: VMOVP with GITS_TYPER.VMOVP = 0
    // whose ITSList lacks this ITS, or whose SequenceNumber is not after the
    // last one this ITS executed.
    {0x0122E8, ItsOpcode::VMOVP,   "VMOVP_ITSLIST_INVALID",       "pattern (itsim reason)", kPat},
    {0x0122E9, ItsOpcode::VMOVP,   "VMOVP_SEQUENCE_INVALID",      "pattern (itsim reason)", kPat},
    {0x012311, ItsOpcode::VSGI,    "VSGI_VCPU_OOR",               "pattern",                kPat},
    {0x012314, ItsOpcode::VSGI,    "VSGI_VCPU_INVALID",           "pattern",                kPat},
    {0x012511, ItsOpcode::VSYNC,   "VSYNC_VCPU_OOR",              "QNX",                    kDoc},
    {0x012514, ItsOpcode::VSYNC,   "VSYNC_VCPU_INVALID",          "QNX",                    kDoc},
    {0x012902, ItsOpcode::VMAPP,   "VMAPP_PROCNUM_OOR",           "pattern",                kPat},
    {0x012906, ItsOpcode::VMAPP,   "VMAPP_PHYSICALID_OOR",        "pattern",                kPat},
    {0x012911, ItsOpcode::VMAPP,   "VMAPP_VCPU_OOR",              "QNX",                    kDoc},
    {0x012912, ItsOpcode::VMAPP,   "VMAPP_VPTSIZE_OOR",           "pattern",                kPat},
    {0x012A01, ItsOpcode::VMAPTI,  "VMAPTI_DEVICE_OOR",           "pattern",                kPat},
    {0x012A04, ItsOpcode::VMAPTI,  "VMAPTI_UNMAPPED_DEVICE",      "pattern",                kPat},
    {0x012A05, ItsOpcode::VMAPTI,  "VMAPTI_ID_OOR",               "QNX",                    kDoc},
    {0x012A06, ItsOpcode::VMAPTI,  "VMAPTI_PHYSICALID_OOR",       "pattern",                kPat},
    {0x012A11, ItsOpcode::VMAPTI,  "VMAPTI_VCPU_OOR",             "pattern",                kPat},
    {0x012A13, ItsOpcode::VMAPTI,  "VMAPTI_VIRTUALID_OOR",        "QNX",                    kDoc},
    {0x012B01, ItsOpcode::VMAPI,   "VMAPI_DEVICE_OOR",            "pattern",                kPat},
    {0x012B04, ItsOpcode::VMAPI,   "VMAPI_UNMAPPED_DEVICE",       "pattern",                kPat},
    {0x012B05, ItsOpcode::VMAPI,   "VMAPI_ID_OOR",                "QNX",                    kDoc},
    {0x012B06, ItsOpcode::VMAPI,   "VMAPI_PHYSICALID_OOR",        "QNX",                    kDoc},
    {0x012B11, ItsOpcode::VMAPI,   "VMAPI_VCPU_OOR",              "pattern",                kPat},
    {0x012B13, ItsOpcode::VMAPI,   "VMAPI_VIRTUALID_OOR",         "pattern",                kPat},
    {0x012D11, ItsOpcode::VINVALL, "VINVALL_VCPU_OOR",            "pattern",                kPat},
    {0x012D14, ItsOpcode::VINVALL, "VINVALL_VCPU_INVALID",        "pattern",                kPat},
    {0x012E11, ItsOpcode::INVDB,   "INVDB_VCPU_OOR",              "pattern",                kPat},
    {0x012E14, ItsOpcode::INVDB,   "INVDB_VCPU_INVALID",          "pattern",                kPat},
};
// clang-format on

// The code whose mnemonic is `name`; 0 if the table has none.
constexpr uint32_t code_named(std::string_view name) {
    for (const ErrorCode& e : kErrorCodes)
        if (name == e.name) return e.code;
    return 0;
}

// The row of `code`; nullptr if the table has none (unknown_opcode() codes
// included).
constexpr const ErrorCode* find_code(uint32_t code) {
    for (const ErrorCode& e : kErrorCodes)
        if (e.code == code) return &e;
    return nullptr;
}

// The byte a command's codes carry in bits [15:8].
constexpr uint8_t command_byte(ItsOpcode op) {
    return op == ItsOpcode::CLEAR ? uint8_t{0x05} : static_cast<uint8_t>(op);
}

// The table's own rules: every code is {0x01, command byte, reason}, no code
// appears twice, and a row's mnemonic starts with its command's name.
constexpr bool table_is_consistent() {
    constexpr size_t n = sizeof kErrorCodes / sizeof kErrorCodes[0];
    for (size_t i = 0; i < n; ++i) {
        const ErrorCode& e = kErrorCodes[i];
        if ((e.code >> 16) != 0x01) return false;
        if (((e.code >> 8) & 0xFF) != command_byte(e.command)) return false;
        for (size_t j = i + 1; j < n; ++j)
            if (kErrorCodes[j].code == e.code) return false;
    }
    return true;
}
static_assert(table_is_consistent(), "kErrorCodes breaks its own encoding rules");

// Named codes, each looked up in kErrorCodes by mnemonic (the value is in
// the comment). Two names share a code where the sources give one code to
// both cases.
#define ITSIM_CMD_ERROR(ident, mnemonic)           \
    constexpr uint32_t ident = code_named(mnemonic); \
    static_assert(ident != 0, mnemonic " is not in kErrorCodes")
// clang-format off
ITSIM_CMD_ERROR(kMoviDeviceOutOfRange,     "MOVI_DEVICE_OOR");             // 0x010101
ITSIM_CMD_ERROR(kMoviIcidOutOfRange,       "MOVI_COLLECTION_OOR");         // 0x010103
ITSIM_CMD_ERROR(kMoviUnmappedDevice,       "MOVI_UNMAPPED_DEVICE");        // 0x010104
ITSIM_CMD_ERROR(kMoviEventOutOfRange,      "MOVI_ID_OOR");                 // 0x010105
ITSIM_CMD_ERROR(kMoviUnmappedInterrupt,    "MOVI_UNMAPPED_INTERRUPT");     // 0x010107
ITSIM_CMD_ERROR(kMoviUnmappedCollection,   "MOVI_UNMAPPED_COLLECTION");    // 0x010109
ITSIM_CMD_ERROR(kIntDeviceOutOfRange,      "INT_DEVICE_OOR");              // 0x010301
ITSIM_CMD_ERROR(kIntUnmappedDevice,        "INT_UNMAPPED_DEVICE");         // 0x010304
ITSIM_CMD_ERROR(kIntEventOutOfRange,       "INT_ID_OOR");                  // 0x010305
ITSIM_CMD_ERROR(kIntUnmappedInterrupt,     "INT_UNMAPPED_INTERRUPT");      // 0x010307
ITSIM_CMD_ERROR(kIntUnmappedCollection,    "INT_UNMAPPED_INTERRUPT");      // 0x010307 (KVM's choice)
ITSIM_CMD_ERROR(kClearDeviceOutOfRange,    "CLEAR_DEVICE_OOR");            // 0x010501
ITSIM_CMD_ERROR(kClearUnmappedDevice,      "CLEAR_UNMAPPED_DEVICE");       // 0x010504
ITSIM_CMD_ERROR(kClearEventOutOfRange,     "CLEAR_ID_OOR");                // 0x010505
ITSIM_CMD_ERROR(kClearUnmappedInterrupt,   "CLEAR_UNMAPPED_INTERRUPT");    // 0x010507
ITSIM_CMD_ERROR(kClearUnmappedCollection,  "CLEAR_UNMAPPED_INTERRUPT");    // 0x010507
ITSIM_CMD_ERROR(kMapdDeviceOutOfRange,     "MAPD_DEVICE_OOR");             // 0x010801
ITSIM_CMD_ERROR(kMapdSizeOutOfRange,       "MAPD_ITTSIZE_OOR");            // 0x010802
ITSIM_CMD_ERROR(kMapcRdbaseOutOfRange,     "MAPC_PROCNUM_OOR");            // 0x010902
ITSIM_CMD_ERROR(kMapcIcidOutOfRange,       "MAPC_COLLECTION_OOR");         // 0x010903
ITSIM_CMD_ERROR(kMaptiDeviceOutOfRange,    "MAPTI_DEVICE_OOR");            // 0x010A01
ITSIM_CMD_ERROR(kMaptiIcidOutOfRange,      "MAPTI_COLLECTION_OOR");        // 0x010A03
ITSIM_CMD_ERROR(kMaptiUnmappedDevice,      "MAPTI_UNMAPPED_DEVICE");       // 0x010A04
ITSIM_CMD_ERROR(kMaptiEventOutOfRange,     "MAPTI_ID_OOR");                // 0x010A05
ITSIM_CMD_ERROR(kMaptiIntidOutOfRange,     "MAPTI_PHYSICALID_OOR");        // 0x010A06
ITSIM_CMD_ERROR(kMapiDeviceOutOfRange,     "MAPI_DEVICE_OOR");             // 0x010B01
ITSIM_CMD_ERROR(kMapiIcidOutOfRange,       "MAPI_COLLECTION_OOR");         // 0x010B03
ITSIM_CMD_ERROR(kMapiUnmappedDevice,       "MAPI_UNMAPPED_DEVICE");        // 0x010B04
ITSIM_CMD_ERROR(kMapiEventOutOfRange,      "MAPI_ID_OOR");                 // 0x010B05
ITSIM_CMD_ERROR(kMapiIntidOutOfRange,      "MAPI_PHYSICALID_OOR");         // 0x010B06 (pattern)
ITSIM_CMD_ERROR(kInvDeviceOutOfRange,      "INV_DEVICE_OOR");              // 0x010C01
ITSIM_CMD_ERROR(kInvUnmappedDevice,        "INV_UNMAPPED_DEVICE");         // 0x010C04
ITSIM_CMD_ERROR(kInvEventOutOfRange,       "INV_ID_OOR");                  // 0x010C05
ITSIM_CMD_ERROR(kInvUnmappedInterrupt,     "INV_UNMAPPED_INTERRUPT");      // 0x010C07
ITSIM_CMD_ERROR(kInvUnmappedCollection,    "INV_UNMAPPED_INTERRUPT");      // 0x010C07
ITSIM_CMD_ERROR(kInvallIcidOutOfRange,     "INVALL_COLLECTION_OOR");       // 0x010D03
ITSIM_CMD_ERROR(kInvallUnmappedCollection, "INVALL_UNMAPPED_COLLECTION");  // 0x010D09
ITSIM_CMD_ERROR(kMovallRdbaseOutOfRange,   "MOVALL_PROCNUM_OOR");          // 0x010E01
ITSIM_CMD_ERROR(kDiscardDeviceOutOfRange,  "DISCARD_DEVICE_OOR");          // 0x010F01
ITSIM_CMD_ERROR(kDiscardUnmappedDevice,    "DISCARD_UNMAPPED_DEVICE");     // 0x010F04 (pattern)
ITSIM_CMD_ERROR(kDiscardEventOutOfRange,   "DISCARD_ID_OOR");              // 0x010F05
ITSIM_CMD_ERROR(kDiscardUnmappedInterrupt, "DISCARD_UNMAPPED_INTERRUPT");  // 0x010F07
ITSIM_CMD_ERROR(kDiscardUnmappedCollection,"DISCARD_UNMAPPED_INTERRUPT");  // 0x010F07
// GICv4: a physical command on a virtual ITE whose vPE is not mapped, or
// whose vINTID is past the vPE's VPT_size (the ITE cannot be used), and
// MOVI of a virtual ITE.
ITSIM_CMD_ERROR(kIntIteInvalid,            "INT_ITE_INVALID");             // 0x010310
ITSIM_CMD_ERROR(kClearIteInvalid,          "CLEAR_ITE_INVALID");           // 0x010510
ITSIM_CMD_ERROR(kInvIteInvalid,            "INV_ITE_INVALID");             // 0x010C10
ITSIM_CMD_ERROR(kDiscardIteInvalid,        "DISCARD_ITE_INVALID");         // 0x010F10
ITSIM_CMD_ERROR(kMoviIteInvalid,           "MOVI_ITE_INVALID");            // 0x010110 (pattern)
// GICv4 commands.
ITSIM_CMD_ERROR(kVmoviDoorbellOutOfRange,  "VMOVI_PHYSICALID_OOR");        // 0x012106
ITSIM_CMD_ERROR(kVmoviIdIsPhysical,        "VMOVI_ID_IS_PHYSICAL");        // 0x012115
ITSIM_CMD_ERROR(kVmoviIteVpeInvalid,       "VMOVI_ITEVCPU_INVALID");       // 0x012116
ITSIM_CMD_ERROR(kVmoviCmdVpeInvalid,       "VMOVI_CMDVCPU_INVALID");       // 0x012117
ITSIM_CMD_ERROR(kVmoviVpeOutOfRange,       "VMOVI_VCPU_OOR");              // 0x012111 (pattern)
ITSIM_CMD_ERROR(kVmoviVintidOutOfRange,    "VMOVI_VIRTUALID_OOR");         // 0x012113 (pattern)
ITSIM_CMD_ERROR(kVmovpRdbaseOutOfRange,    "VMOVP_PROCNUM_OOR");           // 0x012202 (pattern)
ITSIM_CMD_ERROR(kVmovpVpeOutOfRange,       "VMOVP_VCPU_OOR");              // 0x012211 (pattern)
ITSIM_CMD_ERROR(kVmovpVpeInvalid,          "VMOVP_VCPU_INVALID");          // 0x012214 (pattern)
ITSIM_CMD_ERROR(kVmovpItsListInvalid,      "VMOVP_ITSLIST_INVALID");       // 0x0122E8 (itsim)
ITSIM_CMD_ERROR(kVmovpSequenceInvalid,     "VMOVP_SEQUENCE_INVALID");      // 0x0122E9 (itsim)
ITSIM_CMD_ERROR(kVmappRdbaseOutOfRange,    "VMAPP_PROCNUM_OOR");           // 0x012902 (pattern)
ITSIM_CMD_ERROR(kVmappDoorbellOutOfRange,  "VMAPP_PHYSICALID_OOR");        // 0x012906 (pattern, v4.1 Default_Doorbell)
ITSIM_CMD_ERROR(kVmappVpeOutOfRange,       "VMAPP_VCPU_OOR");              // 0x012911
ITSIM_CMD_ERROR(kVmappVptSizeOutOfRange,   "VMAPP_VPTSIZE_OOR");           // 0x012912 (pattern)
// clang-format on
#undef ITSIM_CMD_ERROR

// The codes of a command that names (DeviceID, EventID), one per lookup
// that can fail, in the order the command makes them: DeviceID past the
// device table, DTE not valid, EventID past the ITT, ITE not valid, the
// ITE's collection not mapped.
struct EventCodes {
    uint32_t device_oor, unmapped_device, event_oor, unmapped_interrupt, unmapped_collection;
};
// clang-format off
constexpr EventCodes kIntCodes{kIntDeviceOutOfRange, kIntUnmappedDevice, kIntEventOutOfRange,
                               kIntUnmappedInterrupt, kIntUnmappedCollection};
constexpr EventCodes kClearCodes{kClearDeviceOutOfRange, kClearUnmappedDevice, kClearEventOutOfRange,
                                 kClearUnmappedInterrupt, kClearUnmappedCollection};
constexpr EventCodes kInvCodes{kInvDeviceOutOfRange, kInvUnmappedDevice, kInvEventOutOfRange,
                               kInvUnmappedInterrupt, kInvUnmappedCollection};
constexpr EventCodes kDiscardCodes{kDiscardDeviceOutOfRange, kDiscardUnmappedDevice, kDiscardEventOutOfRange,
                                   kDiscardUnmappedInterrupt, kDiscardUnmappedCollection};
constexpr EventCodes kMoviCodes{kMoviDeviceOutOfRange, kMoviUnmappedDevice, kMoviEventOutOfRange,
                                kMoviUnmappedInterrupt, kMoviUnmappedCollection};
// The codes of VMAPTI and VMAPI, in their check order (gicv4-facts.md 1.4,
// as QEMU makes them): DeviceID past the device table, DTE not valid,
// EventID past the ITT, vINTID not an LPI, doorbell neither 1023 nor an
// LPI, vPEID past the vPE table.
struct VmapCodes {
    uint32_t device_oor, unmapped_device, event_oor, vintid_oor, doorbell_oor, vpe_oor;
};
// The codes of the commands that name only a vPE (VSYNC, VINVALL, INVDB,
// VSGI): vPEID past the vPE table, VTE not valid.
struct VpeCodes {
    uint32_t vpe_oor, vpe_invalid;
};
constexpr VmapCodes kVmaptiCodes{code_named("VMAPTI_DEVICE_OOR"), code_named("VMAPTI_UNMAPPED_DEVICE"),
                                 code_named("VMAPTI_ID_OOR"), code_named("VMAPTI_VIRTUALID_OOR"),
                                 code_named("VMAPTI_PHYSICALID_OOR"), code_named("VMAPTI_VCPU_OOR")};
constexpr VmapCodes kVmapiCodes{code_named("VMAPI_DEVICE_OOR"), code_named("VMAPI_UNMAPPED_DEVICE"),
                                code_named("VMAPI_ID_OOR"), code_named("VMAPI_VIRTUALID_OOR"),
                                code_named("VMAPI_PHYSICALID_OOR"), code_named("VMAPI_VCPU_OOR")};
// VMOVI's lookups of (DeviceID, EventID); no collection (the last slot is unused).
constexpr EventCodes kVmoviCodes{code_named("VMOVI_DEVICE_OOR"), code_named("VMOVI_UNMAPPED_DEVICE"),
                                 code_named("VMOVI_ID_OOR"), code_named("VMOVI_UNMAPPED_INTERRUPT"),
                                 code_named("VMOVI_UNMAPPED_INTERRUPT")};
constexpr VpeCodes kVsyncCodes{code_named("VSYNC_VCPU_OOR"), code_named("VSYNC_VCPU_INVALID")};
constexpr VpeCodes kVinvallCodes{code_named("VINVALL_VCPU_OOR"), code_named("VINVALL_VCPU_INVALID")};
constexpr VpeCodes kInvdbCodes{code_named("INVDB_VCPU_OOR"), code_named("INVDB_VCPU_INVALID")};
constexpr VpeCodes kVsgiCodes{code_named("VSGI_VCPU_OOR"), code_named("VSGI_VCPU_INVALID")};
// clang-format on

// A command whose opcode is not a GICv3 physical command. The architecture
// leaves it UNPREDICTABLE; itsim reports 0x01<opcode>FF, reason 0xFF being
// the UNSUPPORTED_CMD of [ODY], so that software and the event log can see
// it, and never crashes.
constexpr uint32_t unknown_opcode(uint8_t op) { return 0x010000u | (uint32_t(op) << 8) | 0xFF; }

// The mnemonic of a code for messages: "INT_UNMAPPED_DEVICE" for 0x010304,
// "UNSUPPORTED_CMD" for an unknown_opcode() code, nullptr for anything else
// (0 included).
const char* code_name(uint32_t code);
}  // namespace cmd_error

}  // namespace itsim
