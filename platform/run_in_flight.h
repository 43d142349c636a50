// MsisInFlight: the MSIs a streaming run has issued and not yet made final
// (run_stream.h), by tag, and the earliest issue time among them (the
// event log's low-water mark may not pass it). A FlatMap
// (common/flat_map.h) holds them; an indexed binary min-heap of their
// handles by issue time gives the earliest, each MSI knowing its place in
// it, so removing any one is O(log n). No node and no heap call per MSI
// once the vectors have grown. Plain C++.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "itsim/common/flat_map.h"
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
        if (added) {
            m.pos = uint32_t(heap_.size());
            heap_.push_back(h);
            up(m.pos);
        } else {
            up(m.pos);
            down(map_.at(h).pos);
        }
        return m.msi;
    }
    // Returns whether it was in flight.
    bool remove(uint64_t tag) {
        const uint32_t h = map_.handle(tag);
        if (h == FlatMap<Held>::kNone) return false;
        const uint32_t pos = map_.at(h).pos;
        const uint32_t last = heap_.back();
        heap_.pop_back();
        if (last != h) {
            heap_[pos] = last;
            map_.at(last).pos = pos;
            up(pos);
            down(map_.at(last).pos);
        }
        map_.erase(tag);
        return true;
    }
    // The least issue time in flight (not empty).
    uint64_t earliest_issue() const { return map_.at(heap_.front()).msi.issued_ps; }

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
    uint64_t time_at(uint32_t pos) const { return map_.at(heap_[pos]).msi.issued_ps; }
    void place(uint32_t pos, uint32_t h) {
        heap_[pos] = h;
        map_.at(h).pos = pos;
    }
    void up(uint32_t pos) {
        const uint32_t h = heap_[pos];
        const uint64_t t = map_.at(h).msi.issued_ps;
        while (pos > 0) {
            const uint32_t parent = (pos - 1) / 2;
            if (time_at(parent) <= t) break;
            place(pos, heap_[parent]);
            pos = parent;
        }
        place(pos, h);
    }
    void down(uint32_t pos) {
        const uint32_t h = heap_[pos];
        const uint64_t t = map_.at(h).msi.issued_ps;
        const uint32_t n = uint32_t(heap_.size());
        for (;;) {
            uint32_t child = 2 * pos + 1;
            if (child >= n) break;
            if (child + 1 < n && time_at(child + 1) < time_at(child)) ++child;
            if (time_at(child) >= t) break;
            place(pos, heap_[child]);
            pos = child;
        }
        place(pos, h);
    }

    FlatMap<Held> map_;
    std::vector<uint32_t> heap_;   // handles of map_, least issue time first
};

inline std::vector<uint64_t> MsisInFlight::tags() const {
    std::vector<uint64_t> v;
    v.reserve(map_.size());
    for (uint32_t h : heap_) v.push_back(map_.key_at(h));
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace itsim
