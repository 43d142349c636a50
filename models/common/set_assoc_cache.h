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
// 256-entry cache): an open-addressed table of line numbers, twice the
// lines, linear probing, backward-shift deletion. It holds exactly the
// valid lines, so it decides how a line is found, never which line or what
// is evicted.
#pragma once

#include <algorithm>
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
        used_.assign(entries, 0);
        slots_.clear();
        if (entries > 0) {
            size_t cap = 1;
            shift_ = 64;
            while (cap < 2 * entries) { cap <<= 1; --shift_; }
            slots_.assign(cap, 0);
        }
    }
    size_t entries() const { return lines_.size(); }
    size_t ways() const { return ways_; }

    // Look a key up; counts a hit or a miss.
    const Value* lookup(uint64_t key) {
        const size_t i = find_line(key);
        if (i == kNone) { ++stats_.misses; return nullptr; }
        ++stats_.hits;
        used_[i] = ++clock_;
        return &lines_[i].value;
    }
    // Look without touching statistics or recency (debug, tests).
    const Value* peek(uint64_t key) const {
        const Line* l = find(key);
        return l ? &l->value : nullptr;
    }
    // Insert or update; evicts the set's least recently used line if full.
    void insert(uint64_t key, const Value& v) {
        if (sets_ == 0) return;
        if (const size_t i = find_line(key); i != kNone) {
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
        Line* victim = &lines_[base + w];
        if (victim->valid) {
            ++stats_.evictions;
            unindex(victim->key);
        }
        *victim = Line{true, key, v};
        used_[base + w] = ++clock_;
        index_line(base + w);
    }
    // Update a line only if present (write-through of a changed entry).
    void update(uint64_t key, const Value& v) {
        if (Line* l = find(key)) l->value = v;
    }
    bool invalidate(uint64_t key) {
        if (const size_t i = find_line(key); i != kNone) {
            lines_[i].valid = false;
            used_[i] = 0;
            ++stats_.invalidations;
            unindex(key);
            return true;
        }
        return false;
    }
    template <typename Pred>
    size_t invalidate_if(Pred pred) {
        size_t n = 0;
        for (size_t i = 0; i < lines_.size(); ++i) {
            Line& l = lines_[i];
            if (l.valid && pred(l.key, l.value)) {
                l.valid = false;
                used_[i] = 0;
                unindex(l.key);
                ++n;
            }
        }
        stats_.invalidations += n;
        return n;
    }
    void clear() {
        for (Line& l : lines_) l.valid = false;
        std::fill(used_.begin(), used_.end(), 0u);
        std::fill(slots_.begin(), slots_.end(), 0u);
    }
    const CacheStats& stats() const { return stats_; }
    // The set a key lives in (its hash modulo the number of sets).
    size_t set_of(uint64_t key) const { return size_t((mix(key) >> 32) % sets_); }

private:
    struct Line {
        bool valid = false;
        uint64_t key = 0;
        Value value{};
    };
    static uint64_t mix(uint64_t key) { return key * 0x9E3779B97F4A7C15ull; }   // Fibonacci hashing spreads IDs

    // The index: slot = line number + 1, 0 = empty; a key's first slot is
    // the top bits of its hash.
    size_t home(uint64_t key) const { return size_t(mix(key) >> shift_); }
    size_t mask() const { return slots_.size() - 1; }
    void index_line(size_t line) {
        size_t i = home(lines_[line].key);
        while (slots_[i] != 0) i = (i + 1) & mask();
        slots_[i] = uint32_t(line + 1);
    }
    void unindex(uint64_t key) {
        size_t i = home(key);
        while (lines_[slots_[i] - 1].key != key) i = (i + 1) & mask();   // present: it is valid
        // Backward shift: a later line of the probe run moves into the hole
        // unless its home lies cyclically in (hole, its slot].
        for (size_t j = (i + 1) & mask(); slots_[j] != 0; j = (j + 1) & mask()) {
            const size_t k = home(lines_[slots_[j] - 1].key);
            const bool stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
            if (!stays) {
                slots_[i] = slots_[j];
                i = j;
            }
        }
        slots_[i] = 0;
    }

    static constexpr size_t kNone = ~size_t{0};
    // The line holding a key, or kNone.
    size_t find_line(uint64_t key) const {
        if (slots_.empty()) return kNone;   // no cache
        for (size_t i = home(key); slots_[i] != 0; i = (i + 1) & mask())
            if (lines_[slots_[i] - 1].key == key) return slots_[i] - 1;
        return kNone;
    }
    const Line* find(uint64_t key) const {
        const size_t i = find_line(key);
        return i == kNone ? nullptr : &lines_[i];
    }
    Line* find(uint64_t key) { return const_cast<Line*>(static_cast<const SetAssocCache*>(this)->find(key)); }

    size_t ways_ = 1, sets_ = 0;
    unsigned shift_ = 64;
    std::vector<uint32_t> slots_;
    uint64_t clock_ = 0;
    std::vector<Line> lines_;
    // Per line, beside it: the clock of its last use, 0 while invalid
    // (LRU; apart from the lines so that a set's victim scan reads them in a row).
    std::vector<uint64_t> used_;
    CacheStats stats_;
};

}  // namespace itsim
