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

// A readable one-line rendering: "MAPTI device=0x10 event=3 intid=8195 icid=1".
std::string to_string(const ItsCommand& cmd);

// Architected command error codes (IHI 0069, "ITS command error encodings"):
// bits [23:16] = 0x01, bits [15:8] = the command's opcode, bits [7:0] = the
// reason. The reasons below are the ones the physical commands can raise.
namespace cmd_error {
enum Reason : uint8_t {
    kDeviceOutOfRange = 0x01,    // DeviceID >= 2^(Devbits+1) or past the device table
    kSizeOutOfRange = 0x02,      // MAPD: Size > TYPER.ID_bits
    kRdbaseOutOfRange = 0x02,    // MAPC: RDbase names no redistributor
    kCollectionOutOfRange = 0x03,// ICID >= 2^16 or past the collection table
    kDeviceUnmapped = 0x04,      // MAPTI/MAPI: DTE not valid
    kEventOutOfRange = 0x05,     // EventID >= 2^(DTE.Size+1)
    kIntidOutOfRange = 0x06,     // pINTID outside the LPI range
    kUnmappedInterrupt = 0x07,   // no valid DTE or ITE for DeviceID/EventID
    kCollectionUnmapped = 0x09,  // CTE not valid
};
constexpr uint32_t code(ItsOpcode op, uint8_t reason) {
    return 0x010000u | (uint32_t(op) << 8) | reason;
}
// Used for MOVALL: RDbase1 or RDbase2 out of range (0x010E01).
constexpr uint32_t kMovallRdbaseOutOfRange = 0x010E01;
// Reported for a command whose opcode is not a GICv3 physical command. Not an
// architected encoding (the architecture leaves an unknown command
// UNPREDICTABLE); itsim reports 0x01<op>FF so that software can see it.
constexpr uint32_t unknown_opcode(uint8_t op) { return 0x010000u | (uint32_t(op) << 8) | 0xFF; }
}  // namespace cmd_error

}  // namespace itsim
