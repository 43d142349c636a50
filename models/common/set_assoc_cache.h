// A set-associative cache of table entries (plain C++, no kernel): the
// ITS's device, event and collection caches and the redistributors' LPI
// configuration cache are all instances of it.
//
// Geometry: `entries` lines in sets of `ways`; the set is the key's hash
// modulo the number of sets. Replacement is least-recently-used within a
// set (a hit makes the line most recent). entries == 0 means no cache:
// every lookup misses and nothing is stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace itsim {

struct CacheStats {
    uint64_t hits = 0, misses = 0, evictions = 0, invalidations = 0;
};

template <typename Value>
class SetAssocCache {
public:
    SetAssocCache(size_t entries = 0, size_t ways = 1) { resize(entries, ways); }

    void resize(size_t entries, size_t ways) {
        if (ways == 0) ways = 1;
        if (entries % ways != 0)
            throw std::invalid_argument("cache entries must be a multiple of its ways");
        ways_ = ways;
        sets_ = entries / ways;
        lines_.assign(entries, Line{});
    }
    size_t entries() const { return lines_.size(); }
    size_t ways() const { return ways_; }

    // Look a key up; counts a hit or a miss.
    const Value* lookup(uint64_t key) {
        Line* l = find(key);
        if (!l) { ++stats_.misses; return nullptr; }
        ++stats_.hits;
        l->used = ++clock_;
        return &l->value;
    }
    // Look without touching statistics or recency (debug, tests).
    const Value* peek(uint64_t key) const {
        const Line* l = find(key);
        return l ? &l->value : nullptr;
    }
    // Insert or update; evicts the set's least recently used line if full.
    void insert(uint64_t key, const Value& v) {
        if (sets_ == 0) return;
        if (Line* l = find(key)) { l->value = v; l->used = ++clock_; return; }
        Line* set = &lines_[index(key) * ways_];
        Line* victim = set;
        for (size_t w = 0; w < ways_; ++w) {
            if (!set[w].valid) { victim = &set[w]; break; }
            if (set[w].used < victim->used) victim = &set[w];
        }
        if (victim->valid) ++stats_.evictions;
        *victim = Line{true, key, ++clock_, v};
    }
    // Update a line only if present (write-through of a changed entry).
    void update(uint64_t key, const Value& v) {
        if (Line* l = find(key)) l->value = v;
    }
    bool invalidate(uint64_t key) {
        if (Line* l = find(key)) { l->valid = false; ++stats_.invalidations; return true; }
        return false;
    }
    template <typename Pred>
    size_t invalidate_if(Pred pred) {
        size_t n = 0;
        for (Line& l : lines_)
            if (l.valid && pred(l.key, l.value)) { l.valid = false; ++n; }
        stats_.invalidations += n;
        return n;
    }
    void clear() {
        for (Line& l : lines_) l.valid = false;
    }
    const CacheStats& stats() const { return stats_; }

private:
    struct Line {
        bool valid = false;
        uint64_t key = 0;
        uint64_t used = 0;
        Value value{};
    };
    size_t index(uint64_t key) const {
        uint64_t h = key * 0x9E3779B97F4A7C15ull;  // Fibonacci hashing spreads IDs
        return size_t((h >> 32) % sets_);
    }
    const Line* find(uint64_t key) const {
        if (sets_ == 0) return nullptr;
        const Line* set = &lines_[index(key) * ways_];
        for (size_t w = 0; w < ways_; ++w)
            if (set[w].valid && set[w].key == key) return &set[w];
        return nullptr;
    }
    Line* find(uint64_t key) { return const_cast<Line*>(static_cast<const SetAssocCache*>(this)->find(key)); }

    size_t ways_ = 1, sets_ = 0;
    uint64_t clock_ = 0;
    std::vector<Line> lines_;
    CacheStats stats_;
};

}  // namespace itsim
