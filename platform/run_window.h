// RunWindow: the event log's reordering window (run_stream.h): records
// waiting to be written, the least key first. A key is (t_ps, category,
// index within the category); keys are unique, so the order is total.
//
// The records stay where they were put, in places that are reused once a
// record is taken; the order is a binary min-heap of (key, place), the key
// packed into two words (t_ps; category and index), 24 bytes an element, so
// pushing and popping move and compare words, never records.
// Memory follows the most records held at once. Plain C++.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace itsim {

struct RunKey {
    uint64_t t = 0;
    unsigned cat = 0;
    uint64_t idx = 0;
};

template <typename Record>
class RunWindow {
public:
    bool empty() const { return heap_.empty(); }
    size_t size() const { return heap_.size(); }

    // A place for a record with key k, to be filled before the next call:
    // a reused place still holds what its last record left there (a
    // string's capacity, say), so the caller assigns every field.
    Record& push(const RunKey& k) {
        uint32_t p;
        if (!free_.empty()) {
            p = free_.back();
            free_.pop_back();
        } else {
            p = uint32_t(places_.size());
            places_.emplace_back();
        }
        assert(k.cat < (1u << (64 - kIdxBits)) && k.idx < (uint64_t{1} << kIdxBits));
        heap_.push_back(Node{k.t, uint64_t(k.cat) << kIdxBits | k.idx, p});
        std::push_heap(heap_.begin(), heap_.end(), Later{});
        return places_[p];
    }
    // The least key and its record (not empty).
    RunKey top_key() const {
        const Node& n = heap_.front();
        return RunKey{n.t, unsigned(n.tie >> kIdxBits), n.tie & ((uint64_t{1} << kIdxBits) - 1)};
    }
    uint64_t top_t() const { return heap_.front().t; }
    Record& top() { return places_[heap_.front().place]; }
    // Takes the least record out; its place is reused.
    void pop() {
        free_.push_back(heap_.front().place);
        std::pop_heap(heap_.begin(), heap_.end(), Later{});
        heap_.pop_back();
    }

private:
    // An index fits in 59 bits (a category's records, counted), the
    // category in the 5 above it: (t, tie) orders as (t, cat, idx).
    static constexpr unsigned kIdxBits = 59;
    struct Node {
        uint64_t t, tie;
        uint32_t place;
    };
    struct Later {   // std::*_heap keep the greatest first: "greater" gives the least
        bool operator()(const Node& a, const Node& b) const { return a.t != b.t ? a.t > b.t : a.tie > b.tie; }
    };
    std::vector<Record> places_;
    std::vector<uint32_t> free_;
    std::vector<Node> heap_;
};

}  // namespace itsim
