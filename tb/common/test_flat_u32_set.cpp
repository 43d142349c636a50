// FlatU32Set (models/common/flat_u32_set.h) against std::set on seeded
// random inserts and erases, with values that share home slots.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "itsim/common/flat_u32_set.h"

using itsim::FlatU32Set;

TEST(FlatU32Set, InsertEraseContainsByHand) {
    FlatU32Set s;
    EXPECT_FALSE(s.contains(5));
    EXPECT_FALSE(s.erase(5));
    EXPECT_TRUE(s.insert(5));
    EXPECT_FALSE(s.insert(5));
    EXPECT_TRUE(s.insert(0));
    EXPECT_EQ(s.size(), 2u);
    EXPECT_TRUE(s.contains(0));
    EXPECT_TRUE(s.erase(5));
    EXPECT_FALSE(s.contains(5));
    EXPECT_EQ(s.size(), 1u);
    s.clear();
    EXPECT_TRUE(s.empty());
    EXPECT_FALSE(s.contains(0));
}

TEST(FlatU32Set, SeededRandomOperationsAgreeWithStdSet) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        std::mt19937 rng(seed);
        FlatU32Set s;
        std::set<uint32_t> ref;
        // Multiples of a power of two crowd the probe runs; a small range
        // makes inserts meet present values and erases absent ones.
        const uint32_t stride = 1u << (rng() % 12);
        const uint32_t span = 32 + rng() % 2000;
        for (int op = 0; op < 5000; ++op) {
            const uint32_t v = (rng() % span) * stride;
            if (rng() % 3) {
                ASSERT_EQ(s.insert(v), ref.insert(v).second) << "seed " << seed << " op " << op;
            } else {
                ASSERT_EQ(s.erase(v), ref.erase(v) == 1) << "seed " << seed << " op " << op;
            }
            ASSERT_EQ(s.size(), ref.size());
        }
        for (uint32_t k = 0; k < span; ++k)
            ASSERT_EQ(s.contains(k * stride), ref.count(k * stride) == 1) << "seed " << seed;
    }
}
