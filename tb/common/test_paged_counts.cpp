// PagedCounts (models/common/paged_counts.h): a count per key, pages of 256
// keys made on first use, the last page remembered.
#include <gtest/gtest.h>

#include "itsim/common/paged_counts.h"

namespace itsim {
namespace {

TEST(PagedCounts, CountsEachKeyAcrossPagesAndBackAgain) {
    PagedCounts<uint32_t> c;
    EXPECT_EQ(c.get(8192), 0u);
    c.bump(8192);
    c.bump(8192);
    c.bump(8193);          // same page
    c.bump(8192 + 256);    // next page
    c.bump(8192);          // back to the first page (the remembered one changed)
    c.bump(0xFFFFFFFFu);   // the last key of the space: its own page
    c.bump(0);
    EXPECT_EQ(c.get(8192), 3u);
    EXPECT_EQ(c.get(8193), 1u);
    EXPECT_EQ(c.get(8194), 0u);          // a page that exists, a key never counted
    EXPECT_EQ(c.get(8192 + 256), 1u);
    EXPECT_EQ(c.get(8192 + 512), 0u);    // a page that does not exist
    EXPECT_EQ(c.get(0xFFFFFFFFu), 1u);
    EXPECT_EQ(c.get(0xFFFFFF00u), 0u);
    EXPECT_EQ(c.get(0), 1u);
}

TEST(PagedCounts, SixtyFourBitKeysKeepTheirHighHalf) {
    PagedCounts<uint64_t> c;
    const uint64_t a = (uint64_t{3} << 32) | 8200, b = (uint64_t{2} << 32) | 8200;
    c.bump(a);
    c.bump(a);
    c.bump(b);
    EXPECT_EQ(c.get(a), 2u);
    EXPECT_EQ(c.get(b), 1u);
    EXPECT_EQ(c.get(8200), 0u);
}

}  // namespace
}  // namespace itsim
