// FlatU32Set: a set of 32-bit values in one flat table (an OpenIndex whose
// handles are the values themselves): no node and no heap call per insert
// or erase once it has grown. UINT32_MAX (OpenIndex::kEmpty) cannot be
// stored. Plain C++, header-only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "itsim/common/open_index.h"

namespace itsim {

class FlatU32Set {
public:
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    bool contains(uint32_t v) const { return index_.find(v, key_of) != OpenIndex::kNoSlot; }
    // Returns whether it was added (false: already there).
    bool insert(uint32_t v) {
        if (contains(v)) return false;
        if (!index_.fits(size_ + 1)) index_.grow(std::max<size_t>(8, 2 * size_), key_of);
        index_.insert(v, v);
        ++size_;
        return true;
    }
    // Returns whether it was there.
    bool erase(uint32_t v) {
        const uint32_t slot = index_.find(v, key_of);
        if (slot == OpenIndex::kNoSlot) return false;
        index_.erase(slot, key_of);
        --size_;
        return true;
    }
    void clear() {
        index_.clear();
        size_ = 0;
    }

private:
    static uint64_t key_of(uint32_t v) { return v; }

    OpenIndex index_;
    size_t size_ = 0;
};

}  // namespace itsim
