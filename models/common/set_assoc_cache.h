// A set-associative cache of table entries (plain C++, no kernel): the
// ITS's device, event and collection caches and the redistributors' LPI
// configuration cache are all instances of it.
//
// Geometry: `entries` lines in sets of `ways`; the set is the key's hash
// modulo the number of sets. Replacement is least-recently-used within a
// set (a hit makes the line most recent). entries == 0 means no cache:
// every lookup misses and nothing is stored.
//
// A key is found through a hash index from key to line, whatever the ways
// (scanning a set costs its ways per lookup: 256 for a fully associative
// 256-entry cache): an OpenIndex (open_index.h) of line numbers, twice the
// lines. It holds exactly the valid lines, so it decides how a line is
// found, never which line or what is evicted.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "itsim/common/open_index.h"

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
        used_.assign(entries, 0);
        index_.reset(entries);
    }
    size_t entries() const { return lines_.size(); }
    size_t ways() const { return ways_; }

    // Look a key up; counts a hit or a miss.
    const Value* lookup(uint64_t key) {
        const uint32_t slot = index_.find(key, key_of());
        if (slot == OpenIndex::kNoSlot) { ++stats_.misses; return nullptr; }
        ++stats_.hits;
        const uint32_t i = index_.at(slot);
        used_[i] = ++clock_;
        return &lines_[i].value;
    }
    // Look without touching statistics or recency (debug, tests).
    const Value* peek(uint64_t key) const {
        const uint32_t slot = index_.find(key, key_of());
        return slot == OpenIndex::kNoSlot ? nullptr : &lines_[index_.at(slot)].value;
    }
    // Insert or update; evicts the set's least recently used line if full.
    void insert(uint64_t key, const Value& v) {
        if (sets_ == 0) return;
        if (const uint32_t slot = index_.find(key, key_of()); slot != OpenIndex::kNoSlot) {
            const uint32_t i = index_.at(slot);
            lines_[i].value = v;
            used_[i] = ++clock_;
            return;
        }
        // The victim: the set's first invalid line, else its least recently
        // used one - the first least `used_` (0 = invalid; valid lines'
        // stamps are distinct and above 0), one compare per way.
        const size_t base = set_of(key) * ways_;
        const uint64_t* used = &used_[base];
        size_t w = 0;
        for (size_t i = 1; i < ways_; ++i)
            if (used[i] < used[w]) w = i;
        const uint32_t victim = uint32_t(base + w);
        if (used_[victim] != 0) {
            ++stats_.evictions;
            index_.erase(index_.find(lines_[victim].key, key_of()), key_of());
        }
        lines_[victim] = Line{key, v};
        used_[victim] = ++clock_;
        index_.insert(victim, key);
    }
    // Update a line only if present (write-through of a changed entry).
    void update(uint64_t key, const Value& v) {
        if (const uint32_t slot = index_.find(key, key_of()); slot != OpenIndex::kNoSlot)
            lines_[index_.at(slot)].value = v;
    }
    bool invalidate(uint64_t key) {
        const uint32_t slot = index_.find(key, key_of());
        if (slot == OpenIndex::kNoSlot) return false;
        used_[index_.at(slot)] = 0;
        index_.erase(slot, key_of());
        ++stats_.invalidations;
        return true;
    }
    template <typename Pred>
    size_t invalidate_if(Pred pred) {
        size_t n = 0;
        for (size_t i = 0; i < lines_.size(); ++i) {
            const Line& l = lines_[i];
            if (used_[i] != 0 && pred(l.key, l.value)) {
                index_.erase(index_.find(l.key, key_of()), key_of());
                used_[i] = 0;
                ++n;
            }
        }
        stats_.invalidations += n;
        return n;
    }
    void clear() {
        std::fill(used_.begin(), used_.end(), 0u);
        index_.clear();
    }
    const CacheStats& stats() const { return stats_; }
    // The set a key lives in (its hash modulo the number of sets).
    size_t set_of(uint64_t key) const { return size_t((mix(key) >> 32) % sets_); }

private:
    struct Line {
        uint64_t key = 0;
        Value value{};
    };
    static uint64_t mix(uint64_t key) { return key * 0x9E3779B97F4A7C15ull; }   // Fibonacci hashing spreads IDs
    struct KeyOf {   // a line number's key, for the index
        const std::vector<Line>* lines;
        uint64_t operator()(uint32_t line) const { return (*lines)[line].key; }
    };
    KeyOf key_of() const { return KeyOf{&lines_}; }

    size_t ways_ = 1, sets_ = 0;
    uint64_t clock_ = 0;
    std::vector<Line> lines_;
    // Per line: the clock of its last use, 0 while the line is invalid
    // (LRU, and validity; apart from the lines so that a set's victim scan
    // reads them in a row).
    std::vector<uint64_t> used_;
    OpenIndex index_;   // key -> line, the valid lines exactly
    CacheStats stats_;
};

}  // namespace itsim
