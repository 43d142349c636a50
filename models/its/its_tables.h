// itsim ITS in-memory table formats (IMPLEMENTATION DEFINED, chosen once).
//
// The architecture fixes only the sizes the ITS reports (GITS_TYPER.
// ITT_entry_size, GITS_BASER<n>.Entry_Size) and the level-1 descriptors of
// two-level tables; the layout of device, collection and interrupt
// translation table entries is the implementation's. itsim's layout,
// format version 1 (kTableFormatVersion). Every entry is 8 bytes, stored
// little-endian; an all-zero entry is invalid, so zeroed memory is an empty
// table.
//
// Device table entry (DTE), one per DeviceID:
//   bits    field      meaning
//   63      Valid      1 = the DeviceID is mapped (MAPD V=1)
//   62:52   -          written 0, ignored on read
//   51:8    ITT_addr   PA[51:8] of the device's ITT, in place (256-byte aligned)
//   7:5     -          written 0, ignored on read
//   4:0     Size       EventID bits - 1 (the ITT holds 2^(Size+1) entries)
//
// Interrupt translation table entry (ITE), one per EventID, at
// ITT_addr + 8 * EventID:
//   63      Valid      1 = the EventID is mapped (MAPTI/MAPI)
//   62      IntType    1 = physical LPI (a GICv3 ITS writes only physical
//                      ITEs and treats one with IntType 0 as unmapped)
//   61:48   -          written 0, ignored on read
//   47:32   ICID       collection
//   31:0    pINTID     the LPI's INTID
//
// Collection table entry (CTE), one per ICID:
//   63      Valid      1 = the collection is mapped (MAPC V=1)
//   62:36   -          written 0, ignored on read
//   35:0    RDbase     the MAPC RDbase field value as written (processor
//                      number when GITS_TYPER.PTA=0, PA[51:16] when PTA=1);
//                      resolved to a redistributor each time it is used
//
// GICv4 (ItsConfig::version 4.0 or 4.1): format version 2
// (kTableFormatVersionV4). DTE, CTE and level-1 descriptors as above; the
// ITE grows to 16 bytes and the vPE table (GITS_BASER2) appears.
//
// ITE, format 2, 16 bytes at ITT_addr + 16 * EventID (two little-endian
// doublewords, read and written as one 16-byte access):
//   word 0  63     Valid
//           62     IntType    1 = physical, 0 = virtual
//           47:32  ICID (physical) or vPEID (virtual)
//           31:0   pINTID (physical) or vINTID (virtual)
//   word 1  31:0   Dbell_pINTID (virtual: 1023 = no doorbell; a GICv4.1 ITS
//                  writes 1023); written 0 for a physical ITE, ignored on read
//
// vPE table entry (VTE), 32 bytes per vPEID (GITS_BASER2 Type 2,
// Entry_Size 31):
//   word 0  63     Valid      1 = the vPE is mapped (VMAPP V=1)
//           60:56  VPT_size   vINTID bits - 1
//           51:16  VPT_addr   PA[51:16] of the virtual pending table, in place
//   word 1  35:0   RDbase     the VMAPP/VMOVP RDbase field value as written
//                             (processor number, or PA[51:16] with PTA=1)
//   word 2  51:16  VCONF_addr PA[51:16] of the vLPI configuration table
//                             (GICv4.1; 0 with GICv4.0)
//   word 3  31:0   Default_Doorbell pINTID (GICv4.1; 1023 = none)
// Other bits are written 0 and ignored on read; an invalid VTE is all zero.
//
// Level-1 descriptor of a two-level (Indirect) device, collection or vPE
// table (architected):
//   63      Valid      1 = the level-2 page exists
//   51:12   PA         PA[51:12] of the level-2 page; bits below the page
//                      size are ignored (a level-2 page is page-size aligned)
//
// Hence GITS_TYPER.ITT_entry_size = 7 and GITS_BASER<n>.Entry_Size = 7
// (both encode "bytes - 1"); with GICv4 ITT_entry_size = 15 and
// GITS_BASER2.Entry_Size = 31.
//
// Plain C++: no simulation kernel needed.
#pragma once

#include <array>
#include <cstdint>

#include "itsim/common/gic_version.h"

namespace itsim {

constexpr unsigned kTableFormatVersion = 1;
constexpr unsigned kTableFormatVersionV4 = 2;
constexpr unsigned kItsEntryBytes = 8;          // DTE, ITE, CTE and L1 descriptor
constexpr unsigned kItsEntrySizeField = kItsEntryBytes - 1;  // TYPER.ITT_entry_size, BASER.Entry_Size

constexpr uint64_t kEntryValid = uint64_t{1} << 63;
constexpr uint64_t kPaMask52 = (uint64_t{1} << 52) - 1;

// ---- Device table entry ----
struct ItsDte {
    bool valid = false;
    uint64_t itt_addr = 0;  // PA, bits [51:8]
    uint8_t size = 0;       // EventID bits - 1 (0..31)

    uint64_t event_count() const { return uint64_t{1} << (size + 1); }
    bool operator==(const ItsDte& o) const {
        return valid == o.valid && itt_addr == o.itt_addr && size == o.size;
    }
};
constexpr uint64_t kDteIttMask = kPaMask52 & ~uint64_t{0xFF};
constexpr uint64_t kDteSizeMask = 0x1F;
uint64_t encode_dte(const ItsDte& e);
ItsDte decode_dte(uint64_t raw);

// ---- Interrupt translation table entry ----
struct ItsIte {
    bool valid = false;
    bool physical = true;   // IntType
    uint16_t icid = 0;
    uint32_t intid = 0;     // pINTID
    // Format 2 (GICv4) virtual ITEs: `icid` holds the vPEID, `intid` the
    // vINTID, and doorbell the Dbell_pINTID (1023 = none; physical: 1023).
    uint32_t doorbell = 1023;

    uint32_t vpeid() const { return icid; }
    bool operator==(const ItsIte& o) const {
        return valid == o.valid && physical == o.physical && icid == o.icid && intid == o.intid &&
               doorbell == o.doorbell;
    }
};
constexpr uint64_t kIteIntTypePhysical = uint64_t{1} << 62;
// Format 1 (8 bytes), and word 0 of format 2.
uint64_t encode_ite(const ItsIte& e);
ItsIte decode_ite(uint64_t raw);
// Format 2 (16 bytes, GICv4).
constexpr unsigned kIteBytesV4 = 16;
using IteWords = std::array<uint64_t, 2>;
IteWords encode_ite2(const ItsIte& e);
ItsIte decode_ite2(const IteWords& w);
// Bytes of one ITE, and GITS_TYPER.ITT_entry_size, for a GIC version.
constexpr unsigned ite_bytes(GicVersion v) { return v == GicVersion::v3 ? kItsEntryBytes : kIteBytesV4; }
constexpr unsigned itt_entry_size_field(GicVersion v) { return ite_bytes(v) - 1; }

// ---- Collection table entry ----
struct ItsCte {
    bool valid = false;
    uint64_t rdbase = 0;    // RDbase field value, 36 bits

    bool operator==(const ItsCte& o) const { return valid == o.valid && rdbase == o.rdbase; }
};
constexpr uint64_t kCteRdbaseMask = (uint64_t{1} << 36) - 1;
uint64_t encode_cte(const ItsCte& e);
ItsCte decode_cte(uint64_t raw);

// ---- vPE table entry (GICv4) ----
struct ItsVte {
    bool valid = false;
    uint64_t vpt_addr = 0;            // PA, bits [51:16]
    uint8_t vpt_size = 0;             // vINTID bits - 1 (0..31)
    uint64_t rdbase = 0;              // RDbase field value, 36 bits
    uint64_t vconf_addr = 0;          // PA, bits [51:16] (GICv4.1)
    uint32_t default_doorbell = 1023; // GICv4.1

    bool operator==(const ItsVte& o) const {
        return valid == o.valid && vpt_addr == o.vpt_addr && vpt_size == o.vpt_size && rdbase == o.rdbase &&
               vconf_addr == o.vconf_addr && default_doorbell == o.default_doorbell;
    }
};
constexpr unsigned kVteBytes = 32;
constexpr unsigned kVteEntrySizeField = kVteBytes - 1;   // GITS_BASER2.Entry_Size
constexpr uint64_t kVteAddrMask = kPaMask52 & ~uint64_t{0xFFFF};   // VPT_addr, VCONF_addr: PA[51:16]
constexpr unsigned kVteSizeShift = 56;
constexpr uint64_t kVteSizeMask = 0x1F;
using VteWords = std::array<uint64_t, 4>;
VteWords encode_vte(const ItsVte& e);
ItsVte decode_vte(const VteWords& w);

// ---- Level-1 descriptor (architected) ----
constexpr uint64_t kL1AddrMask = kPaMask52 & ~uint64_t{0xFFF};
// Level-2 page address of a valid descriptor, aligned down to the page size.
inline uint64_t l1_page_addr(uint64_t desc, uint32_t page_bytes) {
    return desc & kL1AddrMask & ~uint64_t(page_bytes - 1);
}
inline uint64_t encode_l1(bool valid, uint64_t page_addr) {
    return (valid ? kEntryValid : 0) | (page_addr & kL1AddrMask);
}

// ---- GITS_BASER<n> ----
//   7:0 Size (pages - 1), 9:8 Page_Size, 11:10 Shareability, 47:12 PA
//   (64K pages: 15:12 hold PA[51:48]), 52:48 Entry_Size (RO), 55:53
//   OuterCache, 58:56 Type (RO), 61:59 InnerCache, 62 Indirect, 63 Valid.
enum class BaserType : uint8_t { none = 0, device = 1, vpe = 2, collection = 4 };

namespace baser {
constexpr uint64_t kSizeMask = 0xFF;
constexpr unsigned kPageSizeShift = 8;
constexpr uint64_t kPageSizeMask = uint64_t{3} << kPageSizeShift;
constexpr uint64_t kShareabilityMask = uint64_t{3} << 10;
constexpr uint64_t kAddrMask = ((uint64_t{1} << 48) - 1) & ~uint64_t{0xFFF};  // bits 47:12
constexpr unsigned kEntrySizeShift = 48;
constexpr uint64_t kEntrySizeMask = uint64_t{0x1F} << kEntrySizeShift;
constexpr uint64_t kOuterCacheMask = uint64_t{7} << 53;
constexpr unsigned kTypeShift = 56;
constexpr uint64_t kTypeMask = uint64_t{7} << kTypeShift;
constexpr uint64_t kInnerCacheMask = uint64_t{7} << 59;
constexpr uint64_t kIndirect = uint64_t{1} << 62;
constexpr uint64_t kValid = uint64_t{1} << 63;
// Page_Size encodings.
constexpr uint64_t kPage4K = 0, kPage16K = 1, kPage64K = 2;
}  // namespace baser

// Geometry of a device, collection or vPE table as GITS_BASER<n> describes it.
struct TableGeometry {
    bool valid = false;       // BASER.Valid; an invalid table has no entries
    bool indirect = false;    // two-level
    uint64_t base = 0;        // PA of the (level-1) table
    uint32_t page_bytes = 4096;
    uint32_t pages = 1;       // Size + 1
    uint32_t entry_bytes = kItsEntryBytes;

    // Entries per level-2 page, and level-1 descriptors in the level-1 table.
    uint64_t entries_per_page() const { return page_bytes / entry_bytes; }
    // IDs the table itself can hold: flat = pages*page/esz; two-level =
    // (pages*page/8 descriptors) * (page/esz entries per level-2 page).
    uint64_t capacity() const {   // inline: every lookup checks its ID against it
        if (!valid || entry_bytes == 0) return 0;
        const uint64_t bytes = uint64_t{pages} * page_bytes;
        return indirect ? (bytes / 8) * entries_per_page() : bytes / entry_bytes;
    }
    // The maximum-ID rule: IDs valid for this table are 0 .. min(2^id_bits,
    // capacity()) - 1. An invalid table has none.
    uint64_t max_ids(unsigned id_bits) const {
        const uint64_t by_bits = id_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << id_bits);
        const uint64_t cap = capacity();
        return cap < by_bits ? cap : by_bits;
    }
};

// Decode a GITS_BASER<n> value. Page_Size 0b11 (reserved) is taken as 64K.
// Address: 4K pages PA = BASER[47:12]<<12; 16K pages PA = BASER[47:14]<<14
// (bits 13:12 ignored); 64K pages PA = BASER[47:16]<<16 | BASER[15:12]<<48.
TableGeometry decode_baser(uint64_t baser);
BaserType baser_type(uint64_t baser);
uint32_t baser_page_bytes(uint64_t baser);
uint64_t baser_addr(uint64_t baser);

// Where an ID's entry lives.
struct EntryLocation {
    enum Kind : uint8_t {
        out_of_range,   // the ID is past max_ids(): no table access at all
        entry,          // `addr` is the entry's address (flat table)
        needs_l1,       // two-level: read the level-1 descriptor at `addr`,
                        // then call l2_entry_addr()
    } kind = out_of_range;
    uint64_t addr = 0;
};
// Pure: no memory access. id_bits is the ID width (Devbits+1, ICID bits).
EntryLocation locate_entry(const TableGeometry& t, uint64_t id, unsigned id_bits);
// Second step of a two-level lookup: the entry's address inside the
// level-2 page the descriptor names, or false (descriptor invalid).
bool l2_entry_addr(const TableGeometry& t, uint64_t id, uint64_t l1_descriptor, uint64_t* addr);

// Address of an EventID's ITE in an ITT (format 1; format 2: entry_bytes 16).
inline uint64_t ite_addr(uint64_t itt_addr, uint32_t event, unsigned entry_bytes = kItsEntryBytes) {
    return itt_addr + uint64_t{event} * entry_bytes;
}

}  // namespace itsim
