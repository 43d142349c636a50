// LpiPendingSet: the pending LPIs of one redistributor (LpiState's pending
// set and priority order, lpi_state.h), in flat storage: no node, no heap
// call per LPI made pending or taken once the vectors have grown.
//
//   entries  a dense array of Entry (INTID, snapshot, stamp); removing one
//            moves the last entry into its place, so iteration is a walk
//            of the array;
//   index    an OpenIndex (common/open_index.h) from INTID to the
//            entry's position;
//   order    an IndexedHeap (common/indexed_heap.h) of the positions of
//            the selectable entries by key (priority << 32 | INTID):
//            lower priority value first, ties to the lower INTID. Each
//            entry knows its place in it, so removing or re-keying any
//            entry is O(log n).
//
// top() is O(1); find, insert and erase are O(1) expected plus O(log n)
// for the order. Memory grows with the largest number of LPIs pending at
// once, never with 2^IDbits. Plain C++, no simulation kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "itsim/common/indexed_heap.h"
#include "itsim/common/open_index.h"
#include "itsim/redist/lpi_defs.h"

namespace itsim {

class LpiPendingSet {
public:
    struct Entry {
        uint32_t intid = 0;
        uint8_t config = 0;      // the property byte it was made pending with
        bool valid = false;      // config holds a byte that was read successfully
        uint64_t stamp = 0;      // when it became selectable
        bool selectable() const { return lpi::selectable(config, valid); }
        uint64_t key() const { return (uint64_t(config & lpi::kPropPriorityMask) << 32) | intid; }
    private:
        friend class LpiPendingSet;
        uint32_t heap_pos = kNotInOrder;
    };
    static constexpr uint32_t kNotInOrder = UINT32_MAX;

    size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }
    size_t selectable_count() const { return heap_.size(); }

    // nullptr when the INTID is not pending. A pointer is valid until the
    // next insert or erase.
    const Entry* find(uint32_t intid) const {
        const uint32_t slot = index_.find(intid, key_of());
        return slot == OpenIndex::kNoSlot ? nullptr : &entries_[index_.at(slot)];
    }
    bool contains(uint32_t intid) const { return index_.find(intid, key_of()) != OpenIndex::kNoSlot; }

    // Add an LPI that is not pending (the caller checks); in the order when
    // selectable.
    void insert(uint32_t intid, uint8_t config, bool valid, uint64_t stamp);
    // Replace a pending LPI's snapshot and stamp (re-keying it in the order).
    void update(uint32_t intid, uint8_t config, bool valid, uint64_t stamp);
    // Returns whether it was pending.
    bool erase(uint32_t intid);
    void clear();

    // The INTID of the first selectable LPI of the order; UINT32_MAX if none.
    uint32_t top() const { return heap_.empty() ? UINT32_MAX : entries_[heap_.top()].intid; }

    // The first selectable LPI of the order whose stamp <= visible, or
    // nullptr. When none is (and some are selectable), *earliest gets the
    // least stamp of them all. Visits the order from the top, in order,
    // only as far as the first visible LPI.
    const Entry* first_visible(uint64_t visible, uint64_t* earliest) const {
        if (heap_.empty()) return nullptr;
        const Entry& t = entries_[heap_.top()];
        return t.stamp <= visible ? &t : walk_order(visible, earliest);
    }

    // Every pending LPI, in no particular order.
    const std::vector<Entry>& entries() const { return entries_; }
    // Their INTIDs, ascending.
    std::vector<uint32_t> sorted_intids() const;

    // The structure's own invariants: the index finds every entry at its
    // position and nothing else; the heap holds exactly the selectable
    // entries, each knowing its place, in heap order. Empty when they hold.
    std::string check() const;

private:
    struct KeyOf {   // an entry position's key, for the index
        const std::vector<Entry>* entries;
        uint64_t operator()(uint32_t pos) const { return (*entries)[pos].intid; }
    };
    KeyOf key_of() const { return KeyOf{&entries_}; }
    const Entry* walk_order(uint64_t visible, uint64_t* earliest) const;   // the top is not visible
    // The heap's view of the entries: their keys, and (through a non-const
    // vector) their places. The one compare of the order.
    template <typename Entries>
    struct Order {
        Entries* entries;
        bool less(uint32_t a, uint32_t b) const { return (*entries)[a].key() < (*entries)[b].key(); }
        void placed(uint32_t e, uint32_t pos) const { (*entries)[e].heap_pos = pos; }
    };
    Order<std::vector<Entry>> order() { return {&entries_}; }
    Order<const std::vector<Entry>> keys() const { return {&entries_}; }   // reads only
    void heap_remove(uint32_t entry);

    std::vector<Entry> entries_;
    OpenIndex index_;               // INTID -> position in entries_
    IndexedHeap heap_;              // entry positions
    mutable std::vector<uint32_t> walk_;   // first_visible's frontier (heap positions)
};

}  // namespace itsim
