// IntervalSet, the checker's record of sequence numbers seen (check/interval_set.h).
#include <gtest/gtest.h>

#include <cstdint>

#include "check/interval_set.h"

using itsim::IntervalSet;

TEST(IntervalSet, MergesTouchingRangesAndCountsOverlaps) {
    IntervalSet s;
    EXPECT_EQ(s.insert(5, 5), 0u);
    EXPECT_EQ(s.insert(7, 9), 0u);
    EXPECT_EQ(s.ranges(), 2u);
    EXPECT_EQ(s.insert(6, 6), 0u);   // 5, 6, 7-9 touch: one range
    EXPECT_EQ(s.ranges(), 1u);
    EXPECT_EQ(s.insert(8, 12), 2u);  // 8 and 9 were there
    EXPECT_EQ(s.count(1, 100), 8u);  // 5..12
    EXPECT_TRUE(s.contains(12));
    EXPECT_FALSE(s.contains(13));
    EXPECT_FALSE(s.contains(4));
}

TEST(IntervalSet, GapsAreTheAbsentValues) {
    IntervalSet s;
    s.insert(2, 3);
    s.insert(6, 6);
    uint64_t missing = 0;
    const auto g = s.gaps(1, 8, 10, &missing);
    EXPECT_EQ(missing, 5u);   // 1, 4, 5, 7, 8
    ASSERT_EQ(g.size(), 3u);
    EXPECT_EQ(g[0], IntervalSet::Range(1, 1));
    EXPECT_EQ(g[1], IntervalSet::Range(4, 5));
    EXPECT_EQ(g[2], IntervalSet::Range(7, 8));
    // At most `max` ranges, the count still complete.
    EXPECT_EQ(s.gaps(1, 8, 1, &missing).size(), 1u);
    EXPECT_EQ(missing, 5u);
    EXPECT_TRUE(s.gaps(2, 3, 10, &missing).empty());
    EXPECT_EQ(missing, 0u);
    // A huge range costs nothing to describe.
    EXPECT_EQ(IntervalSet().gaps(1, UINT64_MAX - 1, 5, &missing).size(), 1u);
    EXPECT_EQ(missing, UINT64_MAX - 1);
}

TEST(IntervalSet, ExtremeValues) {
    IntervalSet s;
    s.insert(UINT64_MAX, UINT64_MAX);
    s.insert(UINT64_MAX - 1, UINT64_MAX - 1);
    EXPECT_EQ(s.ranges(), 1u);
    EXPECT_EQ(s.count(UINT64_MAX - 1, UINT64_MAX), 2u);
    s.insert(0, 0);
    EXPECT_EQ(s.ranges(), 2u);
}
