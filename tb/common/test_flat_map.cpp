// FlatMap (models/common/flat_map.h) against std::map on seeded random
// inserts, finds and erases, with keys that share home slots; handles and
// addresses stay put while a value is held.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "itsim/common/flat_map.h"

using itsim::FlatMap;

TEST(FlatMap, EmplaceFindEraseByHand) {
    FlatMap<int> m;
    EXPECT_EQ(m.find(7), nullptr);
    EXPECT_FALSE(m.erase(7));
    bool added = false;
    const uint32_t h = m.emplace(7, &added);
    EXPECT_TRUE(added);
    EXPECT_EQ(m.at(h), 0);   // value-initialised
    m.at(h) = 41;
    EXPECT_EQ(m.emplace(7, &added), h);
    EXPECT_FALSE(added);
    EXPECT_EQ(*m.find(7), 41);
    EXPECT_EQ(m.key_at(h), 7u);
    m.at(m.emplace(0)) = 5;
    EXPECT_EQ(m.size(), 2u);
    EXPECT_EQ(*m.find(0), 5);
    EXPECT_TRUE(m.erase(7));
    EXPECT_EQ(m.find(7), nullptr);
    EXPECT_EQ(m.handle(7), FlatMap<int>::kNone);
    EXPECT_EQ(m.size(), 1u);
    // The freed place is reused, with a fresh value.
    EXPECT_EQ(m.emplace(9, &added), h);
    EXPECT_TRUE(added);
    EXPECT_EQ(m.at(h), 0);
    EXPECT_EQ(m.key_at(h), 9u);
    EXPECT_EQ(m.size(), 2u);
    m.clear();
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.find(0), nullptr);
}

TEST(FlatMap, SeededRandomOperationsAgreeWithStdMap) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        std::mt19937_64 rng(seed);
        FlatMap<uint64_t> m;
        std::map<uint64_t, uint64_t> ref;
        std::map<uint64_t, const uint64_t*> where;   // the address each held value had when added
        const uint64_t stride = uint64_t{1} << (rng() % 40);
        const uint64_t span = 32 + rng() % 3000;
        for (int op = 0; op < 6000; ++op) {
            const uint64_t k = (rng() % span) * stride;
            const unsigned what = unsigned(rng() % 4);
            if (what < 2) {
                bool added = false;
                const uint32_t h = m.emplace(k, &added);
                ASSERT_EQ(added, ref.count(k) == 0) << "seed " << seed << " op " << op;
                if (added) {
                    m.at(h) = k ^ 0x5555;
                    ref[k] = k ^ 0x5555;
                    where[k] = &m.at(h);
                }
                ASSERT_EQ(&m.at(h), where[k]) << "a held value moved";
            } else if (what == 2) {
                ASSERT_EQ(m.erase(k), ref.erase(k) == 1) << "seed " << seed << " op " << op;
                where.erase(k);
            } else {
                const uint64_t* v = m.find(k);
                auto it = ref.find(k);
                ASSERT_EQ(v != nullptr, it != ref.end()) << "seed " << seed << " op " << op;
                if (v) {
                    ASSERT_EQ(*v, it->second);
                }
            }
            ASSERT_EQ(m.size(), ref.size());
        }
        for (const auto& [k, v] : ref) {   // every key held, with its value, at its place
            const uint32_t h = m.handle(k);
            ASSERT_NE(h, FlatMap<uint64_t>::kNone) << "seed " << seed;
            EXPECT_EQ(m.key_at(h), k);
            EXPECT_EQ(m.at(h), v);
        }
    }
}
