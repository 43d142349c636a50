// The GITS register map: offsets from ITS_base and the fields ItsCore and
// the Its module use (its_core.h has the behaviour). Plain C++.
#pragma once

#include <cstdint>

#include "itsim/its/its_tables.h"

namespace itsim {

// ---------------------------------------------------------------------------
// Register map (offsets from ITS_base)
// ---------------------------------------------------------------------------
// Control frame, 0x0000-0xFFFF (the rows of ItsCore's table):
//   0x0000 GITS_CTLR      32 RW  Enabled[0]; Quiescent[31] RO
//   0x0004 GITS_IIDR      32 RO  ItsConfig::iidr
//   0x0008 GITS_TYPER     64 RO  from the configuration
//   0x0080 GITS_CBASER    64 RW  CBASER_Writable
//   0x0088 GITS_CWRITER   64 RW  Offset[19:5], Retry[0] (reads 0)
//   0x0090 GITS_CREADR    64 RO  Offset[19:5], Stalled[0]
//   0x0100 GITS_BASER0    64 RW  device table (Type, Entry_Size RO)
//   0x0108 GITS_BASER1    64 RW  collection table (Type, Entry_Size RO)
//   0x0110 GITS_BASER2..7 64 RAZ/WI (GICv4: BASER2 = vPE table)
//   0xFFD0 GITS_PIDR4..7, 0xFFE0 GITS_PIDR0..3, 0xFFF0 GITS_CIDR0..3  32 RO
// Translation frame, 0x10000-0x1FFFF (the Its module's table):
//   0x10040 GITS_TRANSLATER 32 WO, 16- and 32-bit writes: EventID
// GICv4.1 SGI frame, 0x20000-0x2FFFF (the Its module's table):
//   0x20020 GITS_SGIR      64 WO  vPEID[47:32], vINTID[3:0]
namespace gits {
constexpr uint64_t CTLR = 0x0000;
constexpr uint64_t IIDR = 0x0004;
constexpr uint64_t TYPER = 0x0008;
constexpr uint64_t CBASER = 0x0080;
constexpr uint64_t CWRITER = 0x0088;
constexpr uint64_t CREADR = 0x0090;
constexpr uint64_t BASER0 = 0x0100;   // BASER<n> at 0x100 + 8n
constexpr uint64_t BASER(unsigned n) { return BASER0 + 8 * uint64_t{n}; }
constexpr unsigned kBasers = 8;
constexpr uint64_t PIDR4 = 0xFFD0;    // PIDR<4+n> at 0xFFD0 + 4n
constexpr uint64_t PIDR0 = 0xFFE0;
constexpr uint64_t PIDR1 = 0xFFE4;
constexpr uint64_t PIDR2 = 0xFFE8;
constexpr uint64_t PIDR3 = 0xFFEC;
constexpr uint64_t CIDR0 = 0xFFF0;    // CIDR<n> at 0xFFF0 + 4n
constexpr uint64_t kControlFrameBytes = 0x10000;
constexpr uint64_t TRANSLATER = 0x10040;  // in the translation frame

constexpr uint32_t CTLR_Enabled = 1u << 0;
constexpr uint32_t CTLR_Quiescent = 1u << 31;
constexpr uint64_t CWRITER_Retry = 1;
constexpr uint64_t CREADR_Stalled = 1;
constexpr uint64_t QUEUE_OffsetMask = 0xFFFE0;   // CWRITER/CREADR Offset, bits [19:5]
// GITS_CBASER fields.
constexpr uint64_t CBASER_SizeMask = 0xFF;
constexpr uint64_t CBASER_AddrMask = kPaMask52 & ~uint64_t{0xFFF};  // [51:12]
constexpr uint64_t CBASER_Valid = uint64_t{1} << 63;
constexpr uint64_t CBASER_Writable = CBASER_SizeMask | (uint64_t{3} << 10) | CBASER_AddrMask |
                                     (uint64_t{7} << 53) | (uint64_t{7} << 59) | CBASER_Valid;
// GITS_PIDR2.ArchRev = 3 (GICv3), 4 (GICv4.0 and 4.1).
constexpr uint32_t PIDR2_Value = 0x3B;   // ArchRev[7:4] = 3, JEDEC[3] = 1, DES_1[2:0] = 3
constexpr uint32_t PIDR2_ValueV4 = 0x4B;
// GICv4 bits (gicv4-design.md 1).
constexpr uint64_t TYPER_Virtual = uint64_t{1} << 1;
constexpr uint64_t TYPER_VMOVP = uint64_t{1} << 37;
constexpr uint64_t TYPER_VSGI = uint64_t{1} << 39;    // 4.1
constexpr uint64_t TYPER_VMAPP = uint64_t{1} << 40;   // 4.1
constexpr unsigned CTLR_ItsNumberShift = 4;           // ITS_Number[7:4], RO
// GICv4.1: GITS_SGIR in the third 64K frame (ITS_base + 0x20000), 64-bit WO.
constexpr uint64_t kSgiFrame = 0x20000;
constexpr uint64_t SGIR = 0x20020;
constexpr unsigned SGIR_VpeidShift = 32;              // vPEID[47:32]
constexpr uint64_t SGIR_VintidMask = 0xF;             // vINTID[3:0]
}  // namespace gits

}  // namespace itsim
