// MsisInFlight: the MSIs a streaming run has issued and not yet made final
// (run_stream.h), by tag, and the earliest issue time among them (the
// event log's low-water mark may not pass it). A FlatMap
// (common/flat_map.h) holds them; an IndexedHeap (common/indexed_heap.h)
// of their handles by issue time gives the earliest, each MSI knowing its
// place in it, so removing any one is O(log n). No node and no allocation
// per MSI once the vectors have grown. Plain C++.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "itsim/common/flat_map.h"
#include "itsim/common/indexed_heap.h"
#include "system.h"

namespace itsim {

class MsisInFlight {
public:
    bool empty() const { return map_.empty(); }
    size_t size() const { return map_.size(); }

    // nullptr: not in flight. The address holds until the MSI is removed.
    RunRecords::Msi* find(uint64_t tag) {
        Held* h = map_.find(tag);
        return h ? &h->msi : nullptr;
    }
    // The MSI of `tag`, issued at t_ps (added if not in flight; an MSI in
    // flight gets the new issue time).
    RunRecords::Msi& issue(uint64_t tag, uint64_t t_ps) {
        bool added = false;
        const uint32_t h = map_.emplace(tag, &added);
        Held& m = map_.at(h);
        m.msi.issued_ps = t_ps;
        if (added) heap_.push(h, order());
        else heap_.fix(m.pos, order());
        return m.msi;
    }
    // Returns whether it was in flight.
    bool remove(uint64_t tag) {
        const uint32_t h = map_.handle(tag);
        if (h == FlatMap<Held>::kNone) return false;
        heap_.remove_at(map_.at(h).pos, order());
        map_.erase(tag);
        return true;
    }
    // The least issue time in flight (not empty).
    uint64_t earliest_issue() const { return map_.at(heap_.top()).msi.issued_ps; }

    // Every tag in flight, ascending.
    std::vector<uint64_t> tags() const;
    void clear() {
        map_.clear();
        heap_.clear();
    }

private:
    struct Held {
        RunRecords::Msi msi;
        uint32_t pos = 0;   // in heap_
    };
    struct Order {   // the heap's view of the MSIs: their issue times, their places
        FlatMap<Held>* map;
        bool less(uint32_t a, uint32_t b) const { return map->at(a).msi.issued_ps < map->at(b).msi.issued_ps; }
        void placed(uint32_t h, uint32_t pos) const { map->at(h).pos = pos; }
    };
    Order order() { return Order{&map_}; }

    FlatMap<Held> map_;
    IndexedHeap heap_;   // handles of map_, least issue time first
};

inline std::vector<uint64_t> MsisInFlight::tags() const {
    std::vector<uint64_t> v;
    v.reserve(map_.size());
    for (uint32_t pos = 0; pos < heap_.size(); ++pos) v.push_back(map_.key_at(heap_.at(pos)));
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace itsim
