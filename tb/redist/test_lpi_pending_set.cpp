// LpiPendingSet (models/redist/lpi_pending_set.h): the flat pending set and
// priority order, against a reference made of std::map and std::set, on
// hand-picked cases and on seeded random operation sequences.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "itsim/redist/lpi_pending_set.h"

using namespace itsim;

namespace {

uint8_t prop(uint8_t priority, bool enabled) { return uint8_t((priority & 0xFC) | 0x02 | (enabled ? 1 : 0)); }

// The reference: what the set should hold, by plain containers.
struct Reference {
    struct E {
        uint8_t config;
        bool valid;
        uint64_t stamp;
        bool selectable() const { return valid && (config & 1); }
    };
    std::map<uint32_t, E> all;
    std::set<uint64_t> order;   // priority << 32 | INTID
    static uint64_t key(uint32_t intid, uint8_t c) { return (uint64_t(c & 0xFC) << 32) | intid; }
    void insert(uint32_t i, uint8_t c, bool v, uint64_t s) {
        all[i] = E{c, v, s};
        if (all[i].selectable()) order.insert(key(i, c));
    }
    void erase(uint32_t i) {
        auto it = all.find(i);
        if (it->second.selectable()) order.erase(key(i, it->second.config));
        all.erase(it);
    }
    void update(uint32_t i, uint8_t c, bool v, uint64_t s) {
        erase(i);
        insert(i, c, v, s);
    }
    // The first of the order with stamp <= visible (0 if none), and the
    // least stamp of the order when none is visible.
    uint32_t first_visible(uint64_t visible, uint64_t* earliest) const {
        uint64_t least = UINT64_MAX;
        for (uint64_t k : order) {
            const uint32_t i = uint32_t(k);
            if (all.at(i).stamp <= visible) return i;
            least = std::min(least, all.at(i).stamp);
        }
        *earliest = least;
        return 0;
    }
};

}  // namespace

TEST(LpiPendingSet, OrderIsPriorityThenIntidAndSkipsTheUnselectable) {
    LpiPendingSet s;
    s.insert(9000, prop(0x80, true), true, 10);
    s.insert(9001, prop(0x40, true), true, 10);
    s.insert(9002, prop(0x40, true), true, 10);
    s.insert(9003, prop(0x00, false), true, 10);   // disabled
    s.insert(9004, prop(0x00, true), false, 10);   // invalid snapshot
    EXPECT_EQ(s.size(), 5u);
    EXPECT_EQ(s.selectable_count(), 3u);
    EXPECT_EQ(s.top(), 9001u);
    EXPECT_TRUE(s.erase(9001));
    EXPECT_FALSE(s.erase(9001));
    EXPECT_EQ(s.top(), 9002u);
    s.update(9003, prop(0x10, true), true, 20);    // enabled now: takes the top
    EXPECT_EQ(s.top(), 9003u);
    s.update(9003, prop(0xF0, true), true, 20);    // re-keyed below the others
    EXPECT_EQ(s.top(), 9002u);
    s.update(9002, prop(0x40, false), true, 20);   // disabled: leaves the order
    EXPECT_EQ(s.top(), 9000u);
    EXPECT_EQ(s.selectable_count(), 2u);
    EXPECT_EQ(s.sorted_intids(), (std::vector<uint32_t>{9000, 9002, 9003, 9004}));
    EXPECT_EQ(s.check(), "");
    s.clear();
    EXPECT_EQ(s.top(), UINT32_MAX);
    EXPECT_FALSE(s.contains(9000));
    EXPECT_EQ(s.check(), "");
}

TEST(LpiPendingSet, FirstVisibleWalksTheOrderPastLpisNotVisibleYet) {
    LpiPendingSet s;
    s.insert(8200, prop(0x00, true), true, 500);   // highest, visible at 500
    s.insert(8300, prop(0x10, true), true, 400);
    s.insert(8400, prop(0x20, true), true, 100);
    s.insert(8500, prop(0x30, true), true, 50);
    uint64_t earliest = 0;
    EXPECT_EQ(s.first_visible(1000, &earliest)->intid, 8200u);
    EXPECT_EQ(s.first_visible(450, &earliest)->intid, 8300u);
    EXPECT_EQ(s.first_visible(100, &earliest)->intid, 8400u);
    EXPECT_EQ(s.first_visible(99, &earliest)->intid, 8500u);
    EXPECT_EQ(s.first_visible(49, &earliest), nullptr);
    EXPECT_EQ(earliest, 50u);
}

TEST(LpiPendingSet, GrowsAndShrinksThroughManyLpisWithCollidingProbes) {
    // INTIDs one index-size apart share home slots often enough to test
    // the backward shift of deletion.
    LpiPendingSet s;
    Reference ref;
    for (uint32_t k = 0; k < 3000; ++k) {
        const uint32_t intid = 8192 + k * 64;
        s.insert(intid, prop(uint8_t(k * 4), k % 3 != 0), true, k);
        ref.insert(intid, prop(uint8_t(k * 4), k % 3 != 0), true, k);
    }
    for (uint32_t k = 0; k < 3000; k += 2) {
        EXPECT_TRUE(s.erase(8192 + k * 64));
        ref.erase(8192 + k * 64);
    }
    ASSERT_EQ(s.check(), "");
    EXPECT_EQ(s.size(), ref.all.size());
    for (uint32_t k = 0; k < 3000; ++k) EXPECT_EQ(s.contains(8192 + k * 64), k % 2 == 1) << k;
    EXPECT_EQ(s.top(), uint32_t(*ref.order.begin()));
}

TEST(LpiPendingSet, SeededRandomOperationsAgreeWithTheReference) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        std::mt19937_64 rng(seed);
        LpiPendingSet s;
        Reference ref;
        // A small INTID range, so that inserts meet pending LPIs and erases
        // meet absent ones.
        const uint32_t span = 64 + uint32_t(rng() % 512);
        for (int op = 0; op < 4000; ++op) {
            const uint32_t intid = 8192 + uint32_t(rng() % span);
            const uint8_t config = uint8_t(rng());
            const bool valid = rng() % 8 != 0;
            const uint64_t stamp = rng() % 1000;
            switch (rng() % 5) {
            case 0:
            case 1:
                if (!s.contains(intid)) {
                    s.insert(intid, config, valid, stamp);
                    ref.insert(intid, config, valid, stamp);
                }
                break;
            case 2:
                ASSERT_EQ(s.erase(intid), ref.all.count(intid) == 1) << "seed " << seed << " op " << op;
                if (ref.all.count(intid)) ref.erase(intid);
                break;
            case 3:
                if (ref.all.count(intid)) {
                    s.update(intid, config, valid, stamp);
                    ref.update(intid, config, valid, stamp);
                }
                break;
            case 4: {
                // An acknowledge: the first visible one leaves.
                uint64_t e1 = 0, e2 = 0;
                const LpiPendingSet::Entry* got = s.first_visible(stamp, &e1);
                const uint32_t want = ref.first_visible(stamp, &e2);
                ASSERT_EQ(got ? got->intid : 0u, want) << "seed " << seed << " op " << op;
                if (got) {
                    s.erase(want);
                    ref.erase(want);
                } else if (!ref.order.empty()) {
                    ASSERT_EQ(e1, e2) << "seed " << seed << " op " << op;
                }
                break;
            }
            }
            ASSERT_EQ(s.size(), ref.all.size());
            ASSERT_EQ(s.selectable_count(), ref.order.size());
            ASSERT_EQ(s.top(), ref.order.empty() ? UINT32_MAX : uint32_t(*ref.order.begin()))
                << "seed " << seed << " op " << op;
            if (op % 97 == 0) {
                ASSERT_EQ(s.check(), "") << "seed " << seed << " op " << op;
            }
        }
        ASSERT_EQ(s.check(), "");
        for (const auto& [intid, e] : ref.all) {
            const LpiPendingSet::Entry* got = s.find(intid);
            ASSERT_NE(got, nullptr);
            EXPECT_EQ(got->config, e.config);
            EXPECT_EQ(got->valid, e.valid);
            EXPECT_EQ(got->stamp, e.stamp);
        }
    }
}
