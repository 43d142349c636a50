// A set of unsigned 64-bit values kept as disjoint, non-adjacent closed
// ranges [lo, hi]: sequence numbers that arrive nearly in order cost one
// range plus one per gap, whatever their count. Used by the event-log
// checker (check.h) for msi and command sequence numbers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

namespace itsim {

class IntervalSet {
public:
    using Range = std::pair<uint64_t, uint64_t>;   // closed [first, second]

    // Insert [lo, hi] (lo <= hi). Returns how many of its values were
    // already present.
    uint64_t insert(uint64_t lo, uint64_t hi) {
        const uint64_t already = count(lo, hi);
        // Merge with every range that overlaps or touches [lo, hi].
        auto it = ranges_.upper_bound(lo);
        if (it != ranges_.begin()) {
            auto prev = std::prev(it);
            if (prev->second >= lo || (prev->second != UINT64_MAX && prev->second + 1 == lo)) it = prev;
        }
        uint64_t nlo = lo, nhi = hi;
        while (it != ranges_.end() && (hi == UINT64_MAX || it->first <= hi + 1)) {
            nlo = std::min(nlo, it->first);
            nhi = std::max(nhi, it->second);
            it = ranges_.erase(it);
        }
        ranges_.emplace(nlo, nhi);
        return already;
    }

    bool contains(uint64_t v) const { return count(v, v) != 0; }

    // How many values of [lo, hi] are present.
    uint64_t count(uint64_t lo, uint64_t hi) const {
        if (lo > hi) return 0;
        uint64_t n = 0;
        auto it = ranges_.upper_bound(lo);
        if (it != ranges_.begin()) --it;
        for (; it != ranges_.end() && it->first <= hi; ++it) {
            const uint64_t a = std::max(lo, it->first), b = std::min(hi, it->second);
            if (a <= b) n += b - a + 1;
        }
        return n;
    }

    // The values of [lo, hi] that are absent, as ranges: at most `max`
    // of them (the lowest); `missing` (if given) gets the total count.
    std::vector<Range> gaps(uint64_t lo, uint64_t hi, size_t max, uint64_t* missing = nullptr) const {
        std::vector<Range> out;
        uint64_t total = 0;
        if (lo <= hi) {
            uint64_t next = lo;   // first value not yet accounted for
            bool done = false;
            auto it = ranges_.upper_bound(lo);
            if (it != ranges_.begin()) --it;
            for (; it != ranges_.end() && it->first <= hi && !done; ++it) {
                if (it->second < next) continue;
                if (it->first > next) {
                    total += it->first - next;
                    if (out.size() < max) out.emplace_back(next, it->first - 1);
                }
                if (it->second >= hi) done = true;
                else next = it->second + 1;
            }
            if (!done) {
                total += hi - next + 1;
                if (out.size() < max) out.emplace_back(next, hi);
            }
        }
        if (missing) *missing = total;
        return out;
    }

    size_t ranges() const { return ranges_.size(); }
    bool empty() const { return ranges_.empty(); }

private:
    std::map<uint64_t, uint64_t> ranges_;   // first -> last
};

}  // namespace itsim
