// Register frames (reg_frame.h): the table checks and the decode every
// frame's access routine shares.
#include "itsim/common/reg_frame.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace itsim {

const char* to_string(RegAccess a) {
    switch (a) {
    case RegAccess::rw: return "RW";
    case RegAccess::ro: return "RO";
    case RegAccess::wo: return "WO";
    case RegAccess::raz_wi: return "RAZ/WI";
    }
    return "?";
}

namespace {

[[noreturn]] void bad_row(const RegInfo& r, const char* why) {
    throw std::logic_error(std::string("register frame: ") + (r.name ? r.name : "(unnamed)") + ": " + why);
}

uint64_t width_mask(unsigned width) { return width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }

}  // namespace

RegLayout::RegLayout(uint64_t base, uint64_t size, std::vector<RegInfo> rows)
    : base_(base), size_(size), rows_(std::move(rows)) {
    std::sort(rows_.begin(), rows_.end(), [](const RegInfo& a, const RegInfo& b) { return a.offset < b.offset; });
    for (size_t i = 0; i < rows_.size(); ++i) {
        const RegInfo& r = rows_[i];
        if (!r.name || !*r.name) bad_row(r, "no name");
        if (r.width != 32 && r.width != 64) bad_row(r, "width must be 32 or 64");
        if (r.offset % r.bytes()) bad_row(r, "offset not aligned to the width");
        if (r.offset < base_ || r.offset - base_ > size_ || size_ - (r.offset - base_) < r.bytes())
            bad_row(r, "outside the frame");
        if (i && rows_[i - 1].offset + rows_[i - 1].bytes() > r.offset) bad_row(r, "overlaps the row before it");
        const RegSizes known = reg_size(1) | reg_size(2) | reg_size(4) | reg_size(8);
        if (r.sizes & ~known) bad_row(r, "sizes other than 1, 2, 4, 8 bytes");
        if (r.width == 32 && r.sizes == reg_size(8)) bad_row(r, "a 32-bit row that only 8-byte spans reach");
        if ((r.reset | r.write_mask) & ~width_mask(r.width)) bad_row(r, "reset or write mask wider than the row");
        if (r.access == RegAccess::raz_wi && r.reset) bad_row(r, "a RAZ/WI row resets to 0");
        if ((r.access == RegAccess::ro || r.access == RegAccess::raz_wi) && r.write_mask)
            bad_row(r, "a write mask on a row that ignores writes");
    }
}

const RegInfo* RegLayout::find_index(uint64_t offset, size_t* index) const {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), offset,
                               [](const RegInfo& r, uint64_t o) { return r.offset < o; });
    if (it == rows_.end() || it->offset != offset) return nullptr;
    if (index) *index = size_t(it - rows_.begin());
    return &*it;
}

const RegInfo* RegLayout::find(uint64_t offset) const { return find_index(offset, nullptr); }

RegDecode RegLayout::decode(uint64_t offset, unsigned size) const {
    RegDecode d;
    if (size == 0 || size > 8 || (size & (size - 1)) || offset % size) return d;
    auto add = [&](size_t row, unsigned reg_shift, unsigned data_shift, uint64_t mask) {
        d.slice[d.count++] = RegSlice{row, reg_shift, data_shift, mask};
    };
    size_t i = 0;
    const RegInfo* r = find_index(offset, &i);
    if (size == 8) {
        if (r && r->width == 64) {
            if (r->takes(8)) add(i, 0, 0, ~uint64_t{0});
            return d;
        }
        if (r && r->takes(8)) add(i, 0, 0, 0xFFFFFFFFu);
        size_t j = 0;
        const RegInfo* hi = find_index(offset + 4, &j);   // a 32-bit row: 64-bit rows are 8-aligned
        if (hi && hi->takes(8)) add(j, 0, 32, 0xFFFFFFFFu);
        return d;
    }
    if (size == 4) {
        if (r) {
            if (r->takes(4)) add(i, 0, 0, 0xFFFFFFFFu);
            return d;
        }
        if (offset % 8 == 4) {
            const RegInfo* lo = find_index(offset - 4, &i);
            if (lo && lo->width == 64 && lo->takes(4)) add(i, 32, 0, ~uint64_t{0} << 32);
        }
        return d;
    }
    // 1 or 2 bytes: the low bytes of a row that takes them.
    if (r && r->takes(size) && size <= r->bytes()) add(i, 0, 0, (uint64_t{1} << (8 * size)) - 1);
    return d;
}

void check_handlers(const RegInfo& r, bool has_read, bool has_write) {
    const bool writes = r.access == RegAccess::rw || r.access == RegAccess::wo;
    const bool reads = r.access == RegAccess::rw || r.access == RegAccess::ro;
    if (writes && !has_write) bad_row(r, "an RW or WO row needs a write handler");
    if (!writes && has_write) bad_row(r, "a write handler on a row that ignores writes");
    if (!reads && has_read) bad_row(r, "a read handler on a row that reads 0");
}

}  // namespace itsim
