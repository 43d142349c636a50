// FlatMap: a map from 64-bit keys to values, for per-record bookkeeping on
// the run's hot path (the MSIs in flight, the MSIs waiting for their
// acknowledge): the values in a pool that reuses freed places, found
// through an OpenIndex (common/open_index.h). No node and no heap call per
// insert or erase once the pool has grown; memory follows the most values
// held at once.
//
// A value's address is stable until it is erased (the pool grows by
// chunks of kChunk places and never moves one), and every value has a handle (its place in the pool) that
// stays the same for as long as it is held: an owner may keep handles in
// structures of its own (an order by some field, say). Plain C++,
// header-only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "itsim/common/open_index.h"

namespace itsim {

template <typename V>
class FlatMap {
public:
    static constexpr uint32_t kNone = OpenIndex::kNoSlot;

    size_t size() const { return places_ - free_.size(); }
    bool empty() const { return size() == 0; }

    // The handle of a key's value, or kNone.
    uint32_t handle(uint64_t key) const {
        const uint32_t slot = index_.find(key, key_of());
        return slot == OpenIndex::kNoSlot ? kNone : index_.at(slot);
    }
    V* find(uint64_t key) {
        const uint32_t h = handle(key);
        return h == kNone ? nullptr : &place(h).value;
    }
    const V* find(uint64_t key) const {
        const uint32_t h = handle(key);
        return h == kNone ? nullptr : &place(h).value;
    }
    V& at(uint32_t h) { return place(h).value; }
    const V& at(uint32_t h) const { return place(h).value; }
    uint64_t key_at(uint32_t h) const { return place(h).key; }

    // The key's value, a value-initialised one added when absent; *added
    // says which. Returns its handle.
    uint32_t emplace(uint64_t key, bool* added = nullptr) {
        if (const uint32_t h = handle(key); h != kNone) {
            if (added) *added = false;
            return h;
        }
        if (!index_.fits(size() + 1)) index_.grow(std::max<size_t>(8, 2 * size()), key_of());
        uint32_t h;
        if (!free_.empty()) {
            h = free_.back();
            free_.pop_back();
            place(h).value = V{};
        } else {
            h = places_++;
            if ((h & (kChunk - 1)) == 0) chunks_.emplace_back(new Place[kChunk]);
        }
        place(h).key = key;
        index_.insert(h, key);
        if (added) *added = true;
        return h;
    }

    // Returns whether the key was there.
    bool erase(uint64_t key) {
        const uint32_t slot = index_.find(key, key_of());
        if (slot == OpenIndex::kNoSlot) return false;
        const uint32_t h = index_.at(slot);
        index_.erase(slot, key_of());
        free_.push_back(h);
        return true;
    }
    void clear() {
        index_.clear();
        chunks_.clear();
        places_ = 0;
        free_.clear();
    }

private:
    struct Place {
        uint64_t key = 0;
        V value{};
    };
    static constexpr uint32_t kChunk = 256;   // places per chunk, a power of two
    Place& place(uint32_t h) { return chunks_[h / kChunk][h % kChunk]; }
    const Place& place(uint32_t h) const { return chunks_[h / kChunk][h % kChunk]; }
    struct KeyOf {
        const FlatMap* m;
        uint64_t operator()(uint32_t h) const { return m->place(h).key; }
    };
    KeyOf key_of() const { return KeyOf{this}; }

    std::vector<std::unique_ptr<Place[]>> chunks_;
    uint32_t places_ = 0;   // places made (in chunks_)
    std::vector<uint32_t> free_;   // places made and not held
    OpenIndex index_;
};

}  // namespace itsim
