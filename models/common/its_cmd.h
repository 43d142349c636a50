// The GICv3 ITS command set: one structured representation shared by the
// trace reader, the ITS command engine, the driver agent and the tests.
//
// A command is four 64-bit little-endian doublewords (IHI 0069, "ITS
// commands"). Field positions (DWn[h:l] = bits h..l of doubleword n):
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
// Plain C++: no simulation kernel needed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace itsim {

enum class ItsOpcode : uint8_t {
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
};

// Architected name ("MAPTI") of a physical opcode; nullptr for any other byte.
const char* opcode_name(uint8_t opcode);
// Inverse of opcode_name, case-sensitive on the architected spelling.
std::optional<ItsOpcode> opcode_from_name(std::string_view name);
// True for the twelve GICv3 physical opcodes.
bool is_known_opcode(uint8_t opcode);

using CmdWords = std::array<uint64_t, 4>;

// One ITS command with every field a physical command can carry. Fields a
// given opcode does not use are ignored by encode() and zero after decode().
struct ItsCommand {
    uint8_t opcode = 0;       // raw byte: unknown opcodes survive decode()
    uint32_t device = 0;      // DeviceID
    uint32_t event = 0;       // EventID
    uint32_t intid = 0;       // pINTID (MAPTI)
    uint32_t icid = 0;        // ICID, 16 bits
    uint64_t itt_addr = 0;    // MAPD: ITT physical address (bits [51:8])
    uint8_t size = 0;         // MAPD: encoded ITT size, EventID bits - 1
    bool valid = false;       // MAPD, MAPC: V
    uint64_t rdbase = 0;      // MAPC, SYNC, MOVALL: RDbase field value (36 bits)
    uint64_t rdbase2 = 0;     // MOVALL: RDbase2 field value (36 bits)

    // Words of the command as it was read (decode) so unknown opcodes and
    // RES0 bits can be reported exactly.
    CmdWords raw{};

    bool operator==(const ItsCommand& o) const;
};

// Build the four words of a command. Fields wider than their architected
// slot are truncated to it (the trace reader range-checks before this).
CmdWords encode(const ItsCommand& cmd);
// Read the fields of a command from its four words. Never fails: an unknown
// opcode decodes with only `opcode` and `raw` set.
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
}  // namespace build

// "0x1a2b": lower-case hex with a 0x prefix, as the event log and messages write numbers.
std::string hex(uint64_t v);

// A readable one-line rendering: "MAPTI device=0x10 event=3 intid=8195 icid=1".
std::string to_string(const ItsCommand& cmd);

// Command error codes (IHI 0069, "ITS command error encodings"): bits
// [23:16] = 0x01, bits [15:8] name the command, bits [7:0] the reason. The
// middle byte is the opcode except for CLEAR, whose codes are 0x0105xx (as
// Linux's arm-gic-v3.h defines E_ITS_CLEAR_UNMAPPED_INTERRUPT), and MAPI,
// which shares MAPTI's 0x010Axx.
//
// Codes marked [L] are the values Linux defines (and KVM returns); the
// others follow the same reason numbering for the cases Linux leaves out:
// 0x01 DeviceID out of range, 0x02 size/RDbase out of range, 0x03 ICID out of
// range, 0x04 device not mapped, 0x05 EventID out of range, 0x06 pINTID out
// of range, 0x07 unmapped interrupt, 0x09 collection not mapped.
//
// Commands that translate an existing (DeviceID, EventID) - INT, CLEAR, INV,
// DISCARD and MOVI - report every failure to find a valid DTE, an EventID
// within the ITT or a valid ITE as "unmapped interrupt" (xx07), as KVM does;
// INT, CLEAR, INV and DISCARD also report an unmapped collection that way
// (there is no redistributor to act on), MOVI reports it as 0x010109.
namespace cmd_error {
constexpr uint32_t kMoviIcidOutOfRange = 0x010103;
constexpr uint32_t kMoviUnmappedInterrupt = 0x010107;     // [L]
constexpr uint32_t kMoviUnmappedCollection = 0x010109;    // [L]
constexpr uint32_t kIntUnmappedInterrupt = 0x010307;      // [L]
constexpr uint32_t kClearUnmappedInterrupt = 0x010507;    // [L]
constexpr uint32_t kMapdDeviceOutOfRange = 0x010801;      // [L]
constexpr uint32_t kMapdSizeOutOfRange = 0x010802;        // [L]
constexpr uint32_t kMapcRdbaseOutOfRange = 0x010902;      // [L] (PROCNUM_OOR)
constexpr uint32_t kMapcIcidOutOfRange = 0x010903;        // [L]
constexpr uint32_t kMaptiDeviceOutOfRange = 0x010A01;
constexpr uint32_t kMaptiIcidOutOfRange = 0x010A03;
constexpr uint32_t kMaptiUnmappedDevice = 0x010A04;       // [L]
constexpr uint32_t kMaptiEventOutOfRange = 0x010A05;      // [L]
constexpr uint32_t kMaptiIntidOutOfRange = 0x010A06;      // [L]
constexpr uint32_t kInvUnmappedInterrupt = 0x010C07;      // [L]
constexpr uint32_t kInvallIcidOutOfRange = 0x010D03;
constexpr uint32_t kInvallUnmappedCollection = 0x010D09;  // [L]
constexpr uint32_t kMovallRdbaseOutOfRange = 0x010E01;    // [L]
constexpr uint32_t kDiscardUnmappedInterrupt = 0x010F07;  // [L]
// A command whose opcode is not a GICv3 physical command. The architecture
// leaves it UNPREDICTABLE; itsim reports 0x01<opcode>FF (not architected) so
// that software and the event log can see it, and never crashes.
constexpr uint32_t unknown_opcode(uint8_t op) { return 0x010000u | (uint32_t(op) << 8) | 0xFF; }
}  // namespace cmd_error

}  // namespace itsim
