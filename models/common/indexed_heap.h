// IndexedHeap: a binary min-heap of 32-bit handles (an entry's position, a
// map's handle) whose owner records each handle's place in the heap, so
// that any handle can be removed or re-keyed in O(log n), not only the top.
// The owner keeps the keys; every call that moves handles takes `ops`:
//   bool ops.less(uint32_t a, uint32_t b)     handle a's key below b's
//   void ops.placed(uint32_t h, uint32_t pos)  h is now at heap position pos
// Compares are strict and a sift down takes the left child when both are
// equal, so a handle equal in key to its parent or child stays where it is:
// the moves, and so the layouts, of the two copies this replaced. For the
// flat containers of the hot path: LpiPendingSet's priority order, the
// run's MSIs in flight by issue time (platform/run_in_flight.h). top(),
// remove_at() and fix() need a heap that is not empty and a position in
// it. Plain C++, header-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace itsim {

class IndexedHeap {
public:
    size_t size() const { return heap_.size(); }
    bool empty() const { return heap_.empty(); }
    uint32_t top() const { return heap_.front(); }      // not empty
    uint32_t at(uint32_t pos) const { return heap_[pos]; }
    void clear() { heap_.clear(); }

    template <typename Ops>
    void push(uint32_t h, Ops ops) {
        heap_.push_back(h);
        sift_up(uint32_t(heap_.size() - 1), ops);
    }
    // Remove the handle at `pos` (the last one takes its place); the owner
    // marks the removed handle as out of the heap if it needs to.
    template <typename Ops>
    void remove_at(uint32_t pos, Ops ops) {
        const uint32_t last = uint32_t(heap_.size() - 1);
        const uint32_t moved = heap_[last];
        heap_.pop_back();
        if (pos == last) return;
        heap_[pos] = moved;
        fix(pos, ops);
    }
    // The key of the handle at `pos` changed: move it to its place.
    template <typename Ops>
    void fix(uint32_t pos, Ops ops) {
        if (pos > 0 && ops.less(heap_[pos], heap_[(pos - 1) / 2])) sift_up(pos, ops);
        else sift_down(pos, ops);
    }
    // The owner renamed the handle at `pos` (moved its entry): same place.
    void rename(uint32_t pos, uint32_t h) { heap_[pos] = h; }

    // The heap property over the owner's keys; the first position that
    // breaks it, or empty. (Whether each handle knows its place is the
    // owner's to check.)
    template <typename Ops>
    std::string check(Ops ops) const {
        for (size_t k = 1; k < heap_.size(); ++k)
            if (ops.less(heap_[k], heap_[(k - 1) / 2])) return "not a heap at position " + std::to_string(k);
        return {};
    }

private:
    template <typename Ops>
    void sift_up(uint32_t pos, Ops& ops) {
        const uint32_t h = heap_[pos];
        while (pos > 0) {
            const uint32_t parent = (pos - 1) / 2;
            if (!ops.less(h, heap_[parent])) break;
            place(pos, heap_[parent], ops);
            pos = parent;
        }
        place(pos, h, ops);
    }
    template <typename Ops>
    void sift_down(uint32_t pos, Ops& ops) {
        const uint32_t h = heap_[pos];
        const uint32_t n = uint32_t(heap_.size());
        for (;;) {
            uint32_t child = 2 * pos + 1;
            if (child >= n) break;
            if (child + 1 < n && ops.less(heap_[child + 1], heap_[child])) ++child;
            if (!ops.less(heap_[child], h)) break;
            place(pos, heap_[child], ops);
            pos = child;
        }
        place(pos, h, ops);
    }
    template <typename Ops>
    void place(uint32_t pos, uint32_t h, Ops& ops) {
        heap_[pos] = h;
        ops.placed(h, pos);
    }

    std::vector<uint32_t> heap_;
};

}  // namespace itsim
