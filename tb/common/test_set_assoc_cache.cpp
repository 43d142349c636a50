// SetAssocCache against a plain reference: per set, a list of keys in
// recency order, least recent first. Random lookups, inserts, updates and
// invalidations (single and by predicate) must give the same hits, misses,
// evictions, invalidations and values, with few ways and with many (a
// line is found through the cache's hash index, set_assoc_cache.h; the
// reference scans its set).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "itsim/common/set_assoc_cache.h"

namespace {

using itsim::SetAssocCache;

class RefCache {
public:
    // The sets are the cache's own (set_of): which set a key lives in is
    // its geometry, not what is checked here.
    RefCache(const SetAssocCache<uint32_t>& geometry, size_t ways)
        : geometry_(geometry), ways_(ways), lru_(geometry.entries() / ways) {}
    size_t set_of(uint64_t key) const { return geometry_.set_of(key); }
    const uint32_t* lookup(uint64_t key) {
        auto& s = lru_[set_of(key)];
        for (size_t i = 0; i < s.size(); ++i)
            if (s[i].first == key) {
                auto e = s[i];
                s.erase(s.begin() + long(i));
                s.push_back(e);
                ++hits;
                return &s.back().second;
            }
        ++misses;
        return nullptr;
    }
    void insert(uint64_t key, uint32_t v) {
        auto& s = lru_[set_of(key)];
        for (size_t i = 0; i < s.size(); ++i)
            if (s[i].first == key) {
                s.erase(s.begin() + long(i));
                s.emplace_back(key, v);
                return;
            }
        if (s.size() == ways_) {
            s.erase(s.begin());
            ++evictions;
        }
        s.emplace_back(key, v);
    }
    void update(uint64_t key, uint32_t v) {
        for (auto& e : lru_[set_of(key)])
            if (e.first == key) e.second = v;
    }
    bool invalidate(uint64_t key) {
        auto& s = lru_[set_of(key)];
        for (size_t i = 0; i < s.size(); ++i)
            if (s[i].first == key) {
                s.erase(s.begin() + long(i));
                ++invalidations;
                return true;
            }
        return false;
    }
    size_t invalidate_odd_values() {
        size_t n = 0;
        for (auto& s : lru_) {
            auto end = std::remove_if(s.begin(), s.end(), [](const std::pair<uint64_t, uint32_t>& e) {
                return (e.second & 1) != 0;
            });
            n += size_t(s.end() - end);
            s.erase(end, s.end());
        }
        invalidations += n;
        return n;
    }
    void clear() {
        for (auto& s : lru_) s.clear();
    }
    uint64_t hits = 0, misses = 0, evictions = 0, invalidations = 0;

private:
    const SetAssocCache<uint32_t>& geometry_;
    size_t ways_;
    std::vector<std::vector<std::pair<uint64_t, uint32_t>>> lru_;
};

void run_against_reference(size_t entries, size_t ways, uint64_t key_range, unsigned seed) {
    SCOPED_TRACE("entries " + std::to_string(entries) + " ways " + std::to_string(ways) + " seed " +
                 std::to_string(seed));
    SetAssocCache<uint32_t> c(entries, ways);
    RefCache r(c, ways);
    std::mt19937_64 rng(seed);
    for (int step = 0; step < 20000; ++step) {
        const uint64_t key = rng() % key_range;
        const uint32_t v = uint32_t(rng());
        switch (rng() % 16) {
        case 0: case 1: case 2: case 3: case 4: case 5: case 6: {
            const uint32_t* a = c.lookup(key);
            const uint32_t* b = r.lookup(key);
            ASSERT_EQ(a != nullptr, b != nullptr) << "step " << step << " key " << key;
            if (a) {
                ASSERT_EQ(*a, *b) << "step " << step;
            }
            break;
        }
        case 7: case 8: case 9: case 10: c.insert(key, v); r.insert(key, v); break;
        case 11: c.update(key, v); r.update(key, v); break;
        case 12: case 13: ASSERT_EQ(c.invalidate(key), r.invalidate(key)) << "step " << step; break;
        case 14:
            if (rng() % 64 == 0) {
                ASSERT_EQ(c.invalidate_if([](uint64_t, const uint32_t& x) { return (x & 1) != 0; }),
                          r.invalidate_odd_values());
            }
            break;
        default:
            if (rng() % 256 == 0) { c.clear(); r.clear(); }
            break;
        }
    }
    EXPECT_EQ(c.stats().hits, r.hits);
    EXPECT_EQ(c.stats().misses, r.misses);
    EXPECT_EQ(c.stats().evictions, r.evictions);
    EXPECT_EQ(c.stats().invalidations, r.invalidations);
    EXPECT_GT(r.hits, 1000u);        // the mix exercised hits, evictions and invalidations
    EXPECT_GT(r.evictions, 100u);
    EXPECT_GT(r.invalidations, 100u);
}

TEST(SetAssocCache, FewWaysMatchTheReference) {
    run_against_reference(64, 4, 200, 1);
    run_against_reference(16, 1, 40, 2);
    run_against_reference(120, 8, 300, 3);
}

TEST(SetAssocCache, ManyWaysMatchTheReference) {
    run_against_reference(256, 256, 600, 4);   // fully associative, as bench fan256 sets it
    run_against_reference(256, 16, 700, 5);
    run_against_reference(48, 48, 90, 6);      // not a power of two
    run_against_reference(512, 64, 1500, 7);
}

TEST(SetAssocCache, LookupFindsEveryResidentLineAfterChurn) {
    // Keys that collide in the index (multiples of a large power of two)
    // and deletions from the middle of probe runs.
    SetAssocCache<uint32_t> c(64, 64);
    for (uint64_t k = 0; k < 64; ++k) c.insert(k << 40, uint32_t(k));
    for (uint64_t k = 0; k < 64; k += 3) ASSERT_TRUE(c.invalidate(k << 40));
    for (uint64_t k = 0; k < 64; ++k) {
        const uint32_t* v = c.peek(k << 40);
        if (k % 3 == 0) {
            EXPECT_EQ(v, nullptr) << k;
        } else {
            ASSERT_NE(v, nullptr) << k;
            EXPECT_EQ(*v, uint32_t(k));
        }
    }
    EXPECT_EQ(c.stats().invalidations, 22u);
}

}  // namespace
