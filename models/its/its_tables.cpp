#include "itsim/its/its_tables.h"

namespace itsim {

uint64_t encode_dte(const ItsDte& e) {
    if (!e.valid) return 0;
    return kEntryValid | (e.itt_addr & kDteIttMask) | (e.size & kDteSizeMask);
}

ItsDte decode_dte(uint64_t raw) {
    ItsDte e;
    e.valid = (raw & kEntryValid) != 0;
    e.itt_addr = raw & kDteIttMask;
    e.size = static_cast<uint8_t>(raw & kDteSizeMask);
    return e;
}

uint64_t encode_ite(const ItsIte& e) {
    if (!e.valid) return 0;
    return kEntryValid | (e.physical ? kIteIntTypePhysical : 0) | (uint64_t{e.icid} << 32) | e.intid;
}

ItsIte decode_ite(uint64_t raw) {
    ItsIte e;
    e.valid = (raw & kEntryValid) != 0;
    e.physical = (raw & kIteIntTypePhysical) != 0;
    e.icid = static_cast<uint16_t>(raw >> 32);
    e.intid = static_cast<uint32_t>(raw);
    return e;
}

IteWords encode_ite2(const ItsIte& e) {
    if (!e.valid) return {0, 0};
    return {encode_ite(e), e.physical ? 0 : uint64_t{e.doorbell}};
}

ItsIte decode_ite2(const IteWords& w) {
    ItsIte e = decode_ite(w[0]);
    e.doorbell = e.physical ? 1023 : static_cast<uint32_t>(w[1]);
    return e;
}

VteWords encode_vte(const ItsVte& e) {
    if (!e.valid) return {0, 0, 0, 0};
    return {kEntryValid | (uint64_t(e.vpt_size & kVteSizeMask) << kVteSizeShift) | (e.vpt_addr & kVteAddrMask),
            e.rdbase & kCteRdbaseMask, e.vconf_addr & kVteAddrMask, uint64_t{e.default_doorbell}};
}

ItsVte decode_vte(const VteWords& w) {
    ItsVte e;
    e.valid = (w[0] & kEntryValid) != 0;
    e.vpt_size = static_cast<uint8_t>((w[0] >> kVteSizeShift) & kVteSizeMask);
    e.vpt_addr = w[0] & kVteAddrMask;
    e.rdbase = w[1] & kCteRdbaseMask;
    e.vconf_addr = w[2] & kVteAddrMask;
    e.default_doorbell = static_cast<uint32_t>(w[3]);
    return e;
}

uint64_t encode_cte(const ItsCte& e) {
    if (!e.valid) return 0;
    return kEntryValid | (e.rdbase & kCteRdbaseMask);
}

ItsCte decode_cte(uint64_t raw) {
    ItsCte e;
    e.valid = (raw & kEntryValid) != 0;
    e.rdbase = raw & kCteRdbaseMask;
    return e;
}

BaserType baser_type(uint64_t v) {
    return static_cast<BaserType>((v & baser::kTypeMask) >> baser::kTypeShift);
}

uint32_t baser_page_bytes(uint64_t v) {
    switch ((v & baser::kPageSizeMask) >> baser::kPageSizeShift) {
    case baser::kPage4K: return 4096;
    case baser::kPage16K: return 16384;
    default: return 65536;  // 64K, and the reserved 0b11
    }
}

uint64_t baser_addr(uint64_t v) {
    const uint32_t page = baser_page_bytes(v);
    if (page == 65536)
        return (v & baser::kAddrMask & ~uint64_t{0xFFFF}) | (((v >> 12) & 0xF) << 48);
    return v & baser::kAddrMask & ~uint64_t(page - 1);
}

TableGeometry decode_baser(uint64_t v) {
    TableGeometry t;
    t.valid = (v & baser::kValid) != 0;
    t.indirect = (v & baser::kIndirect) != 0;
    t.page_bytes = baser_page_bytes(v);
    t.pages = static_cast<uint32_t>(v & baser::kSizeMask) + 1;
    t.entry_bytes = static_cast<uint32_t>((v & baser::kEntrySizeMask) >> baser::kEntrySizeShift) + 1;
    t.base = baser_addr(v);
    return t;
}

EntryLocation locate_entry(const TableGeometry& t, uint64_t id, unsigned id_bits) {
    EntryLocation loc;
    if (id >= t.max_ids(id_bits)) return loc;  // out_of_range
    if (!t.indirect) {
        loc.kind = EntryLocation::entry;
        loc.addr = t.base + id * t.entry_bytes;
        return loc;
    }
    loc.kind = EntryLocation::needs_l1;
    loc.addr = t.base + (id / t.entries_per_page()) * 8;
    return loc;
}

bool l2_entry_addr(const TableGeometry& t, uint64_t id, uint64_t desc, uint64_t* addr) {
    if (!(desc & kEntryValid)) return false;
    *addr = l1_page_addr(desc, t.page_bytes) + (id % t.entries_per_page()) * t.entry_bytes;
    return true;
}

}  // namespace itsim
