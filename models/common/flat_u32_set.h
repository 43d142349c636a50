// FlatU32Set: a set of 32-bit values in one flat array (open addressing,
// power-of-two size, at most half full, linear probing, backward-shift
// deletion): no node and no heap call per insert or erase once it has
// grown. UINT32_MAX is the empty slot and cannot be stored. Plain C++,
// header-only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace itsim {

class FlatU32Set {
public:
    static constexpr uint32_t kEmpty = UINT32_MAX;

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    bool contains(uint32_t v) const {
        if (slots_.empty()) return false;
        for (uint32_t s = home(v);; s = (s + 1) & mask()) {
            if (slots_[s] == v) return true;
            if (slots_[s] == kEmpty) return false;
        }
    }
    // Returns whether it was added (false: already there).
    bool insert(uint32_t v) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        uint32_t s = home(v);
        for (; slots_[s] != kEmpty; s = (s + 1) & mask())
            if (slots_[s] == v) return false;
        slots_[s] = v;
        ++size_;
        return true;
    }
    // Returns whether it was there.
    bool erase(uint32_t v) {
        if (slots_.empty()) return false;
        uint32_t hole = home(v);
        for (; slots_[hole] != v; hole = (hole + 1) & mask())
            if (slots_[hole] == kEmpty) return false;
        // Backward shift: a later value of the probe run moves into the hole
        // unless its home lies cyclically in (hole, its slot].
        for (uint32_t s = (hole + 1) & mask(); slots_[s] != kEmpty; s = (s + 1) & mask()) {
            const uint32_t h = home(slots_[s]);
            const bool stays = hole <= s ? (hole < h && h <= s) : (hole < h || h <= s);
            if (!stays) {
                slots_[hole] = slots_[s];
                hole = s;
            }
        }
        slots_[hole] = kEmpty;
        --size_;
        return true;
    }
    void clear() {
        std::fill(slots_.begin(), slots_.end(), kEmpty);
        size_ = 0;
    }

private:
    uint32_t mask() const { return uint32_t(slots_.size() - 1); }
    uint32_t home(uint32_t v) const { return (v * 0x9E3779B1u) >> shift_; }
    void grow() {
        std::vector<uint32_t> old;
        old.swap(slots_);
        const size_t n = std::max<size_t>(16, old.size() * 2);
        slots_.assign(n, kEmpty);
        shift_ = 32;
        for (size_t m = n; m > 1; m >>= 1) --shift_;
        for (uint32_t v : old) {
            if (v == kEmpty) continue;
            uint32_t s = home(v);
            while (slots_[s] != kEmpty) s = (s + 1) & mask();
            slots_[s] = v;
        }
    }

    std::vector<uint32_t> slots_;
    unsigned shift_ = 32;
    size_t size_ = 0;
};

}  // namespace itsim
