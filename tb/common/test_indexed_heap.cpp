// IndexedHeap (models/common/indexed_heap.h) over an owner's keys, against a
// std::multimap of (key, handle): seeded random pushes, re-keys and
// removals of any handle, each handle told its place; equal keys are
// frequent (a small key range), so ties are exercised.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "itsim/common/indexed_heap.h"

using itsim::IndexedHeap;

namespace {

constexpr uint32_t kNowhere = UINT32_MAX;

struct Owner {
    std::vector<uint64_t> key;   // by handle
    std::vector<uint32_t> pos;   // by handle: its heap position, or kNowhere
};

struct Ops {
    Owner* o;
    bool less(uint32_t a, uint32_t b) const { return o->key[a] < o->key[b]; }
    void placed(uint32_t h, uint32_t p) const { o->pos[h] = p; }
};

// Every handle in the heap knows its place, and the heap holds `n`.
void expect_places(const IndexedHeap& heap, const Owner& o, size_t n) {
    ASSERT_EQ(heap.size(), n);
    for (uint32_t p = 0; p < heap.size(); ++p) ASSERT_EQ(o.pos[heap.at(p)], p) << "position " << p;
}

}  // namespace

TEST(IndexedHeap, TopRemoveAnyAndRekeyByHand) {
    Owner o{{50, 10, 40, 30, 20}, std::vector<uint32_t>(5, kNowhere)};
    IndexedHeap heap;
    EXPECT_TRUE(heap.empty());
    for (uint32_t h = 0; h < 5; ++h) heap.push(h, Ops{&o});
    EXPECT_EQ(heap.top(), 1u);   // key 10
    expect_places(heap, o, 5);
    EXPECT_EQ(heap.check(Ops{&o}), "");
    // Remove handle 4 (key 20) from wherever it is: the top stays.
    heap.remove_at(o.pos[4], Ops{&o});
    o.pos[4] = kNowhere;
    EXPECT_EQ(heap.top(), 1u);
    expect_places(heap, o, 4);
    // Re-key handle 0 (50 -> 5): it becomes the top; then back up (5 -> 60).
    o.key[0] = 5;
    heap.fix(o.pos[0], Ops{&o});
    EXPECT_EQ(heap.top(), 0u);
    o.key[0] = 60;
    heap.fix(o.pos[0], Ops{&o});
    EXPECT_EQ(heap.top(), 1u);
    expect_places(heap, o, 4);
    // The rest come out in key order: 10, 30, 40, 60.
    std::vector<uint64_t> out;
    while (!heap.empty()) {
        out.push_back(o.key[heap.top()]);
        heap.remove_at(0, Ops{&o});
    }
    EXPECT_EQ(out, (std::vector<uint64_t>{10, 30, 40, 60}));
}

// Ties do not move: what LpiPendingSet's and MsisInFlight's old copies
// did, and what keeps their layouts (and the outputs) as they were.
TEST(IndexedHeap, EqualKeysStayWhereTheyAre) {
    Owner o{{7, 7, 7, 7, 7}, std::vector<uint32_t>(5, kNowhere)};
    IndexedHeap heap;
    for (uint32_t h = 0; h < 5; ++h) heap.push(h, Ops{&o});
    for (uint32_t p = 0; p < 5; ++p) EXPECT_EQ(heap.at(p), p) << "a push of an equal key moved";
    // Re-keyed to the same key, or to its parent's key: no move.
    heap.fix(o.pos[3], Ops{&o});
    o.key[4] = 7;
    heap.fix(o.pos[4], Ops{&o});
    for (uint32_t p = 0; p < 5; ++p) EXPECT_EQ(heap.at(p), p) << "a fix to an equal key moved";
    // Removing the top: the last (4) takes position 0 and sifts down past
    // neither child (both equal), so it stays at the top.
    heap.remove_at(0, Ops{&o});
    EXPECT_EQ(heap.top(), 4u);
    EXPECT_EQ(heap.at(1), 1u);
    EXPECT_EQ(heap.at(2), 2u);
    EXPECT_EQ(heap.at(3), 3u);
    expect_places(heap, o, 4);
    // Of two equal children a sift down takes the left one: the top (4)
    // re-keyed above them goes down the left side, [4 1 2 3] -> [1 3 2 4].
    o.key[4] = 9;
    heap.fix(o.pos[4], Ops{&o});
    EXPECT_EQ(heap.top(), 1u);
    EXPECT_EQ(heap.at(1), 3u);
    EXPECT_EQ(heap.at(2), 2u);
    EXPECT_EQ(heap.at(3), 4u);
    expect_places(heap, o, 4);
}

// rename(): the owner moved an entry (LpiPendingSet::erase moves its last
// entry into the freed place); the heap keeps the position, the new handle.
TEST(IndexedHeap, RenameKeepsThePlace) {
    Owner o{{30, 10, 20, 0}, std::vector<uint32_t>(4, kNowhere)};
    IndexedHeap heap;
    for (uint32_t h = 0; h < 3; ++h) heap.push(h, Ops{&o});
    const uint32_t pos = o.pos[2];
    o.key[3] = o.key[2];   // handle 2's entry moves to handle 3
    o.pos[3] = pos;
    o.pos[2] = kNowhere;
    heap.rename(pos, 3);
    EXPECT_EQ(heap.at(pos), 3u);
    EXPECT_EQ(heap.top(), 1u);
    EXPECT_EQ(heap.check(Ops{&o}), "");
    for (uint32_t p = 0; p < heap.size(); ++p) EXPECT_EQ(o.pos[heap.at(p)], p);
}

TEST(IndexedHeap, CheckNamesTheFirstBrokenPosition) {
    Owner o{{1, 2, 3}, std::vector<uint32_t>(3, kNowhere)};
    IndexedHeap heap;
    for (uint32_t h = 0; h < 3; ++h) heap.push(h, Ops{&o});
    EXPECT_EQ(heap.check(Ops{&o}), "");
    o.key[2] = 0;   // changed without fix(): position 2 is now below its parent
    EXPECT_EQ(heap.check(Ops{&o}), "not a heap at position 2");
}

TEST(IndexedHeap, SeededRandomOperationsAgreeWithAMultimap) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        std::mt19937_64 rng(seed);
        constexpr uint32_t kHandles = 300;
        Owner o{std::vector<uint64_t>(kHandles, 0), std::vector<uint32_t>(kHandles, kNowhere)};
        IndexedHeap heap;
        std::multimap<uint64_t, uint32_t> ref;   // key -> handle, of the handles in the heap
        auto ref_erase = [&](uint32_t h) {
            auto [a, b] = ref.equal_range(o.key[h]);
            for (auto it = a; it != b; ++it)
                if (it->second == h) {
                    ref.erase(it);
                    return;
                }
            FAIL() << "handle " << h << " not in the reference";
        };
        const uint64_t keys = 1 + rng() % 40;   // few keys: many ties
        for (int op = 0; op < 5000; ++op) {
            const uint32_t h = uint32_t(rng() % kHandles);
            const unsigned what = unsigned(rng() % 3);
            if (o.pos[h] == kNowhere) {
                o.key[h] = rng() % keys;
                heap.push(h, Ops{&o});
                ref.emplace(o.key[h], h);
            } else if (what == 0) {
                ref_erase(h);
                heap.remove_at(o.pos[h], Ops{&o});
                o.pos[h] = kNowhere;
            } else {
                ref_erase(h);
                o.key[h] = rng() % keys;
                heap.fix(o.pos[h], Ops{&o});
                ref.emplace(o.key[h], h);
            }
            ASSERT_NO_FATAL_FAILURE(expect_places(heap, o, ref.size())) << "seed " << seed << " op " << op;
            ASSERT_EQ(heap.check(Ops{&o}), "") << "seed " << seed << " op " << op;
            if (!ref.empty()) {
                ASSERT_EQ(o.key[heap.top()], ref.begin()->first) << "seed " << seed << " op " << op;
            }
        }
        // Drained from the top, the keys come out in the reference's order.
        std::vector<uint64_t> got, want;
        for (const auto& kv : ref) want.push_back(kv.first);
        while (!heap.empty()) {
            got.push_back(o.key[heap.top()]);
            o.pos[heap.top()] = kNowhere;
            heap.remove_at(0, Ops{&o});
        }
        EXPECT_EQ(got, want) << "seed " << seed;
    }
}
