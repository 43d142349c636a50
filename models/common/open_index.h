// OpenIndex: a hash index from 64-bit keys to 32-bit handles (a line
// number, an entry's position, or the value itself), for the flat
// containers of the hot path: SetAssocCache's key -> line, LpiPendingSet's
// INTID -> entry, FlatU32Set's values. The owner keeps the keys; every
// call that must compare or rehash takes `key_of(handle)`.
//
// Open addressing in a power-of-two table, linear probing from the key's
// Fibonacci hash, backward-shift deletion (no tombstones: a probe never
// meets a gap before its key). The owner keeps it at most half full
// (reserve / grow). Plain C++, header-only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace itsim {

class OpenIndex {
public:
    static constexpr uint32_t kEmpty = UINT32_MAX;   // an empty slot; never a handle
    static constexpr uint32_t kNoSlot = UINT32_MAX;  // find(): not there

    // Room for n handles (the table twice that, rounded up to a power of
    // two); n == 0: no table. Drops every handle.
    void reset(size_t n) {
        slots_.clear();
        shift_ = 64;
        mask_ = 0;
        if (n == 0) return;
        size_t cap = 1;
        while (cap < 2 * n) { cap <<= 1; --shift_; }
        slots_.assign(cap, kEmpty);
        mask_ = uint32_t(cap - 1);
    }
    // Room for n handles, keeping those it holds.
    template <typename KeyOf>
    void grow(size_t n, KeyOf key_of) {
        std::vector<uint32_t> old;
        old.swap(slots_);
        reset(n);
        for (uint32_t h : old)
            if (h != kEmpty) insert(h, key_of(h));
    }
    // Whether n handles fit at most half full.
    bool fits(size_t n) const { return 2 * n <= slots_.size(); }
    void clear() { std::fill(slots_.begin(), slots_.end(), kEmpty); }

    // The slot holding the key's handle, or kNoSlot.
    template <typename KeyOf>
    uint32_t find(uint64_t key, KeyOf key_of) const {
        if (slots_.empty()) return kNoSlot;
        for (uint32_t s = home(key);; s = next(s)) {
            const uint32_t h = slots_[s];
            if (h == kEmpty) return kNoSlot;
            if (key_of(h) == key) return s;
        }
    }
    uint32_t at(uint32_t slot) const { return slots_[slot]; }
    void set(uint32_t slot, uint32_t handle) { slots_[slot] = handle; }

    // Add a handle whose key is not there (the table must have room).
    void insert(uint32_t handle, uint64_t key) {
        uint32_t s = home(key);
        while (slots_[s] != kEmpty) s = next(s);
        slots_[s] = handle;
    }
    // Remove the handle at `slot`: every later handle of the probe run
    // whose home is not cyclically in (hole, its slot] moves into the hole.
    template <typename KeyOf>
    void erase(uint32_t slot, KeyOf key_of) {
        uint32_t hole = slot;
        for (uint32_t s = next(slot); slots_[s] != kEmpty; s = next(s)) {
            const uint32_t h = home(key_of(slots_[s]));
            const bool stays = hole <= s ? (hole < h && h <= s) : (hole < h || h <= s);
            if (!stays) {
                slots_[hole] = slots_[s];
                hole = s;
            }
        }
        slots_[hole] = kEmpty;
    }

    // For checks: the handles held, in slot order.
    template <typename F>
    void for_each(F f) const {
        for (uint32_t h : slots_)
            if (h != kEmpty) f(h);
    }

private:
    uint32_t home(uint64_t key) const { return uint32_t((key * 0x9E3779B97F4A7C15ull) >> shift_); }
    uint32_t next(uint32_t s) const { return (s + 1) & mask_; }

    std::vector<uint32_t> slots_;
    unsigned shift_ = 64;   // 64 - log2(table size)
    uint32_t mask_ = 0;     // table size - 1
};

}  // namespace itsim
