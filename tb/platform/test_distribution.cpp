// Distribution in bounded memory (platform/stats.h): exact nearest-rank
// percentiles up to kExactSamples samples, then log buckets whose
// percentiles stay within kRelError of the exact ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "stats.h"

namespace itsim {
namespace {

uint64_t exact_rank(std::vector<uint64_t> v, double p) {
    std::sort(v.begin(), v.end());
    return nearest_rank(v, p);
}

TEST(Distribution, ExactBelowTheThreshold) {
    // kExactSamples samples: every percentile is the nearest rank of the
    // samples, the JSON has no rel_error key.
    Distribution d;
    std::vector<uint64_t> all;
    std::mt19937_64 rng(7);
    for (size_t i = 0; i < Distribution::kExactSamples; ++i) {
        const uint64_t v = 1000 + rng() % 5000000;
        d.add(v);
        all.push_back(v);
    }
    EXPECT_FALSE(d.approximate());
    for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 100.0}) EXPECT_EQ(d.percentile(p), exact_rank(all, p)) << p;
    EXPECT_EQ(d.to_json().find("rel_error"), std::string::npos);
    long double sum = 0;
    for (uint64_t v : all) sum += v;
    EXPECT_EQ(d.mean(), double(sum / all.size()));
}

TEST(Distribution, BucketsHoldTheirValues) {
    // Every value lies in the bucket whose middle is within kRelError of it.
    for (uint64_t v : {0ull, 1ull, 255ull, 256ull, 257ull, 1000ull, 123456789ull, (1ull << 40) + 12345ull,
                       ~0ull}) {
        const uint64_t mid = Distribution::bucket_value(Distribution::bucket_of(v));
        const double err = std::fabs(double(mid) - double(v));
        EXPECT_LE(err, Distribution::kRelError * double(v)) << v;
        if (v < 256) {
            EXPECT_EQ(mid, v);
        }
    }
    EXPECT_EQ(Distribution::bucket_of(511), Distribution::bucket_of(510));      // width 2 from 256
    EXPECT_NE(Distribution::bucket_of(512), Distribution::bucket_of(511));
}

TEST(Distribution, MillionSamplesWithinTheStatedError) {
    // 10^6 known samples (a long-tailed mix: exponential around 120 ns plus
    // a 1% tail around 5 us): past the threshold the percentiles are within
    // kRelError of the exact nearest rank; count, mean, min and max exact.
    Distribution d;
    std::vector<uint64_t> all;
    std::mt19937_64 rng(11);
    std::exponential_distribution<double> fast(1.0 / 120000.0), slow(1.0 / 5000000.0);
    std::uniform_real_distribution<double> pick(0, 1);
    long double sum = 0;
    for (size_t i = 0; i < 1000000; ++i) {
        const uint64_t v = 40000 + uint64_t(pick(rng) < 0.01 ? slow(rng) : fast(rng));
        d.add(v);
        all.push_back(v);
        sum += v;
    }
    ASSERT_TRUE(d.approximate());
    EXPECT_EQ(d.count(), all.size());
    EXPECT_EQ(d.mean(), double(sum / all.size()));
    EXPECT_EQ(d.min(), *std::min_element(all.begin(), all.end()));
    EXPECT_EQ(d.max(), *std::max_element(all.begin(), all.end()));
    for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
        const double want = double(exact_rank(all, p));
        const double got = double(d.percentile(p));
        EXPECT_LE(std::fabs(got - want), Distribution::kRelError * want) << "p" << p << " want " << want << " got " << got;
    }
    const std::string j = d.to_json();
    EXPECT_NE(j.find("\"count\":1000000,"), std::string::npos) << j;
    EXPECT_NE(j.find(",\"rel_error\":0.003906}"), std::string::npos) << j;
}

TEST(Distribution, ABucketOfOneValueIsExact) {
    // Latencies are often whole clock cycles: 200000 samples of 2000 ps and
    // 3000 ps (buckets [2000, 2016) and [3000, 3008)) give those values back.
    Distribution d;
    for (size_t i = 0; i < 200000; ++i) d.add(i % 4 == 3 ? 3000 : 2000);
    ASSERT_TRUE(d.approximate());
    EXPECT_EQ(d.percentile(50), 2000u);
    EXPECT_EQ(d.percentile(75), 2000u);
    EXPECT_EQ(d.percentile(76), 3000u);
    EXPECT_EQ(d.max(), 3000u);
    EXPECT_EQ(d.mean(), 2250.0);
}

}  // namespace
}  // namespace itsim
