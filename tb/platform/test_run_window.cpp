// The streaming run's flat bookkeeping: RunWindow (platform/run_window.h)
// gives records back in key order whatever the order they came in, like
// the priority queue it replaced; MsisInFlight (platform/run_in_flight.h)
// finds MSIs by tag and always knows the least issue time in flight, checked
// against std::map / std::multiset on seeded random traffic.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "run_in_flight.h"
#include "run_window.h"

namespace itsim {
namespace {

TEST(RunWindow, RecordsComeOutInKeyOrder) {
    for (uint32_t seed = 1; seed <= 10; ++seed) {
        std::mt19937_64 rng(seed);
        RunWindow<std::string> w;
        std::map<std::tuple<uint64_t, unsigned, uint64_t>, std::string> ref;
        uint64_t idx = 0;
        for (int op = 0; op < 4000; ++op) {
            if (rng() % 3 || w.empty()) {
                const RunKey k{rng() % 50, unsigned(rng() % 4), idx++};
                w.push(k) = "r" + std::to_string(k.idx);
                ref[{k.t, k.cat, k.idx}] = "r" + std::to_string(k.idx);
            } else {
                ASSERT_FALSE(ref.empty());
                const auto& [key, rec] = *ref.begin();
                ASSERT_EQ(w.top_key().t, std::get<0>(key)) << "seed " << seed << " op " << op;
                ASSERT_EQ(w.top_key().cat, std::get<1>(key));
                ASSERT_EQ(w.top_key().idx, std::get<2>(key));
                ASSERT_EQ(w.top(), rec);
                w.pop();
                ref.erase(ref.begin());
            }
            ASSERT_EQ(w.size(), ref.size());
        }
    }
}

TEST(MsisInFlight, EarliestIssueAndLookupAgreeWithStdContainers) {
    for (uint32_t seed = 1; seed <= 10; ++seed) {
        std::mt19937_64 rng(seed);
        MsisInFlight f;
        std::map<uint64_t, uint64_t> ref;   // tag -> issue time
        std::multiset<uint64_t> times;
        uint64_t next_tag = 1;
        for (int op = 0; op < 5000; ++op) {
            const unsigned what = unsigned(rng() % 5);
            if (what < 2 || ref.empty()) {
                const uint64_t tag = next_tag++, t = rng() % 10000;
                f.issue(tag, t).rec.intid = uint32_t(tag);
                ref[tag] = t;
                times.insert(t);
            } else if (what == 2) {   // an MSI in flight issued again: its new time counts
                auto it = ref.begin();
                std::advance(it, rng() % ref.size());
                const uint64_t t = rng() % 10000;
                times.erase(times.find(it->second));
                times.insert(t);
                it->second = t;
                EXPECT_EQ(f.issue(it->first, t).rec.intid, uint32_t(it->first)) << "kept its record";
            } else {
                auto it = ref.begin();
                std::advance(it, rng() % ref.size());
                ASSERT_TRUE(f.remove(it->first));
                ASSERT_FALSE(f.remove(it->first));
                times.erase(times.find(it->second));
                ref.erase(it);
            }
            ASSERT_EQ(f.size(), ref.size());
            if (!ref.empty()) {
                ASSERT_EQ(f.earliest_issue(), *times.begin()) << "seed " << seed << " op " << op;
            }
            const uint64_t probe = 1 + rng() % next_tag;
            RunRecords::Msi* m = f.find(probe);
            ASSERT_EQ(m != nullptr, ref.count(probe) == 1);
            if (m) {
                ASSERT_EQ(m->issued_ps, ref[probe]);
                ASSERT_EQ(m->rec.intid, uint32_t(probe));
            }
        }
        std::vector<uint64_t> tags;
        for (const auto& [tag, t] : ref) tags.push_back(tag);
        EXPECT_EQ(f.tags(), tags) << "ascending, every tag in flight";
    }
}

}  // namespace
}  // namespace itsim
