// The generators behind the trace's `source` lines (platform/sources/
// source_gen.h), without a simulation kernel: the arrival times of each
// pattern from its parameters, Poisson's mean and variance, the EventIDs
// (uniform and Zipf against the formula), count/until, and determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sources/source_gen.h"
#include "sources/source_spec.h"

namespace itsim {
namespace {

SourceSpec spec(uint64_t rate_mhz, SourceSpec::Pattern p = SourceSpec::Pattern::periodic) {
    SourceSpec s;
    s.device = 1;
    s.event_first = 0;
    s.event_last = 31;
    s.rate_mhz = rate_mhz;
    s.pattern = p;
    return s;
}

std::vector<uint64_t> times(const SourceSpec& s, uint64_t start, size_t n, uint64_t seed = 1) {
    ArrivalClock c(s, start, seed);
    std::vector<uint64_t> t;
    uint64_t x = 0;
    while (t.size() < n && c.next(x)) t.push_back(x);
    return t;
}

constexpr uint64_t MHz = 1000000000ull;  // in millihertz

TEST(SourceArrivals, PeriodicIsExact) {
    // 1 MHz: one MSI every 10^6 ps from the start.
    const auto t = times(spec(1 * MHz), 5, 1000);
    for (size_t k = 0; k < t.size(); ++k) ASSERT_EQ(t[k], 5 + k * 1000000ull) << k;
    // 3 MHz: the period is 333333.33.. ps; MSI k at floor(k * 10^6 / 3),
    // so every third lands on a whole microsecond and none drifts.
    const auto u = times(spec(3 * MHz), 0, 3001);
    EXPECT_EQ(u[1], 333333u);
    EXPECT_EQ(u[2], 666666u);
    EXPECT_EQ(u[3], 1000000u);
    EXPECT_EQ(u[3000], 1000000000u);
    // 0.001 Hz (the smallest rate): 10^15 ps apart.
    const auto v = times(spec(1), 0, 3);
    EXPECT_EQ(v[2], 2000000000000000ull);
}

TEST(SourceArrivals, BurstsOfNWithAGap) {
    SourceSpec s = spec(1 * MHz, SourceSpec::Pattern::burst);
    s.burst_n = 4;
    s.burst_gap_ps = 10000000;  // 10 us from a burst's last MSI to the next's first
    const auto t = times(s, 0, 12);
    // Burst j starts at j * (3 us + 10 us); its MSIs 1 us apart.
    const uint64_t us = 1000000;
    const std::vector<uint64_t> want = {0, 1 * us, 2 * us, 3 * us, 13 * us, 14 * us, 15 * us, 16 * us,
                                        26 * us, 27 * us, 28 * us, 29 * us};
    EXPECT_EQ(t, want);
    // A burst of one is periodic with period GAP.
    s.burst_n = 1;
    const auto one = times(s, 7, 3);
    EXPECT_EQ(one, (std::vector<uint64_t>{7, 7 + 10 * us, 7 + 20 * us}));
}

TEST(SourceArrivals, OnOffSendsOnlyWhileOn) {
    SourceSpec s = spec(1 * MHz, SourceSpec::Pattern::onoff);
    s.on_ps = 2500000;   // 2.5 us on: MSIs at 0, 1, 2 us of each cycle
    s.off_ps = 7500000;  // then 7.5 us off: cycles 10 us long
    const auto t = times(s, 100, 9);
    const uint64_t us = 1000000;
    const std::vector<uint64_t> want = {100, 100 + us, 100 + 2 * us, 100 + 10 * us, 100 + 11 * us,
                                        100 + 12 * us, 100 + 20 * us, 100 + 21 * us, 100 + 22 * us};
    EXPECT_EQ(t, want);
    // On shorter than a period: one MSI per cycle (1 ps + 7.5 us), at the
    // cycle's start.
    s.on_ps = 1;
    EXPECT_EQ(times(s, 0, 3), (std::vector<uint64_t>{0, 7500001, 15000002}));
}

TEST(SourceArrivals, PoissonMeanAndVariance) {
    // 200 000 gaps at 1 MHz: exponential with mean m = 10^6 ps, variance m^2.
    // The sample mean's standard deviation is m / sqrt(N) = 0.22% of m, so
    // 1% is 4.5 sigma; the sample variance's is about sqrt(8 / N) = 0.63%
    // of m^2 (an exponential's fourth central moment is 9 m^4), so 4% is
    // over 6 sigma. The seed is fixed: these bounds hold for it (and would
    // for almost every seed).
    const size_t N = 200000;
    const auto t = times(spec(1 * MHz, SourceSpec::Pattern::poisson), 0, N + 1, 42);
    ASSERT_EQ(t.size(), N + 1);
    EXPECT_EQ(t[0], 0u);   // the first MSI at the start
    double sum = 0, sum2 = 0;
    for (size_t i = 1; i <= N; ++i) {
        ASSERT_GE(t[i], t[i - 1]);
        const double g = double(t[i] - t[i - 1]);
        sum += g;
        sum2 += g * g;
    }
    const double mean = sum / N, var = sum2 / N - mean * mean;
    EXPECT_NEAR(mean, 1e6, 0.01e6);
    EXPECT_NEAR(var, 1e12, 0.04e12);
    // Counts in 10 us windows: Poisson with mean 10, so mean = variance
    // (index of dispersion 1; a periodic source would give 0).
    std::vector<unsigned> per(size_t(t.back() / 10000000) + 1);
    for (uint64_t x : t) ++per[x / 10000000];
    per.pop_back();   // the last window is cut short
    double cm = 0, cv = 0;
    for (unsigned c : per) cm += c;
    cm /= double(per.size());
    for (unsigned c : per) cv += (c - cm) * (c - cm);
    cv /= double(per.size());
    EXPECT_NEAR(cm, 10.0, 0.15);
    EXPECT_NEAR(cv / cm, 1.0, 0.05);
}

TEST(SourceArrivals, SameSeedSameTimesOtherSeedOthers) {
    const SourceSpec s = spec(2 * MHz, SourceSpec::Pattern::poisson);
    EXPECT_EQ(times(s, 0, 5000, 7), times(s, 0, 5000, 7));
    EXPECT_NE(times(s, 0, 5000, 7), times(s, 0, 5000, 8));
}

TEST(SourceGenerator, CountAndUntil) {
    SourceSpec s = spec(1 * MHz);
    s.count = 5;
    SourceGen g(s, 0, 1);
    uint64_t t = 0;
    uint32_t e = 0;
    unsigned n = 0;
    while (g.next(t, e)) ++n;
    EXPECT_EQ(n, 5u);
    EXPECT_EQ(t, 4000000u);
    EXPECT_FALSE(g.next(t, e));
    // until=10us from 0 at 1 MHz: 0 .. 9 us, none at 10 us itself.
    s.count = 0;
    s.has_until = true;
    s.until_ps = 10000000;
    SourceGen h(s, 0, 1);
    n = 0;
    while (h.next(t, e)) ++n;
    EXPECT_EQ(n, 10u);
    EXPECT_EQ(t, 9000000u);
    EXPECT_EQ(h.sent(), 10u);
    // Both: whichever comes first.
    s.count = 3;
    SourceGen both(s, 0, 1);
    n = 0;
    while (both.next(t, e)) ++n;
    EXPECT_EQ(n, 3u);
}

TEST(SourceGenerator, PopularityNeverMovesAnArrival) {
    SourceSpec u = spec(1 * MHz, SourceSpec::Pattern::poisson);
    u.count = 1000;
    SourceSpec z = u;
    z.popularity = SourceSpec::Popularity::zipf;
    z.zipf_s = 1.0;
    SourceGen a(u, 0, 99), b(z, 0, 99);
    uint64_t ta = 0, tb = 0;
    uint32_t ea = 0, eb = 0;
    unsigned differ = 0;
    while (a.next(ta, ea)) {
        ASSERT_TRUE(b.next(tb, eb));
        ASSERT_EQ(ta, tb);
        differ += ea != eb;
    }
    EXPECT_GT(differ, 100u);   // the EventIDs do differ
}

TEST(SourceEvents, UniformCoversTheRangeEvenly) {
    SourceSpec s = spec(1 * MHz);
    s.event_first = 100;
    s.event_last = 107;   // 8 EventIDs
    EventPicker p(s, 5);
    const unsigned N = 80000;
    std::vector<unsigned> c(8);
    for (unsigned i = 0; i < N; ++i) {
        const uint32_t e = p.next();
        ASSERT_GE(e, 100u);
        ASSERT_LE(e, 107u);
        ++c[e - 100];
    }
    // Binomial(N, 1/8): sd = sqrt(N * 1/8 * 7/8) = 93.5; 5 sd = 468.
    for (unsigned k = 0; k < 8; ++k) EXPECT_NEAR(c[k], N / 8.0, 468) << k;
    // One EventID: always it.
    s.event_first = s.event_last = 9;
    EventPicker one(s, 5);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(one.next(), 9u);
}

TEST(SourceEvents, BelowIsUnbiasedForSmallN) {
    SplitMix64 r(3);
    std::vector<unsigned> c(3);
    for (int i = 0; i < 30000; ++i) ++c[r.below(3)];
    // Binomial(30000, 1/3): sd 81.6.
    for (unsigned k = 0; k < 3; ++k) EXPECT_NEAR(c[k], 10000, 410) << k;
}

// Zipf's law: P(k) = k^-s / sum_j j^-s. Each rank's count against N P(k)
// within 5 binomial sd, and Pearson's chi-square below the 99.9% point of
// its distribution with n-1 degrees of freedom.
void check_zipf(uint64_t n, double s, uint64_t seed, double chi2_limit) {
    ZipfSampler z(n, s);
    SplitMix64 r(seed);
    const unsigned N = 400000;
    std::vector<unsigned> c(n + 1);
    for (unsigned i = 0; i < N; ++i) {
        const uint64_t k = z.sample(r);
        ASSERT_GE(k, 1u);
        ASSERT_LE(k, n);
        ++c[k];
    }
    double norm = 0;
    for (uint64_t k = 1; k <= n; ++k) norm += std::pow(double(k), -s);
    double chi2 = 0;
    for (uint64_t k = 1; k <= n; ++k) {
        const double p = std::pow(double(k), -s) / norm, want = N * p;
        EXPECT_NEAR(c[k], want, 5 * std::sqrt(N * p * (1 - p)) + 1) << "n=" << n << " s=" << s << " rank " << k;
        chi2 += (c[k] - want) * (c[k] - want) / want;
    }
    EXPECT_LT(chi2, chi2_limit) << "n=" << n << " s=" << s;
}

TEST(SourceZipf, FrequenciesFollowTheFormula) {
    check_zipf(10, 1.0, 1, 27.9);    // chi-square, 9 df, 99.9%: 27.88
    check_zipf(10, 1.2, 2, 27.9);
    check_zipf(10, 0.5, 3, 27.9);
    check_zipf(32, 2.0, 4, 61.1);    // 31 df: 61.10
    check_zipf(2, 0.8, 5, 10.9);     // 1 df: 10.83
}

TEST(SourceZipf, LargeRangesStayInRangeWithRankOneMostPopular) {
    // 2^24 EventIDs, s = 1.1: P(1) = 1 / sum_k k^-1.1 (sum ~ zeta(1.1) minus
    // the tail past 2^24, about 10.58 - 1.88 = 8.70: P(1) ~ 0.1149).
    const uint64_t n = uint64_t{1} << 24;
    ZipfSampler z(n, 1.1);
    SplitMix64 r(11);
    const unsigned N = 200000;
    unsigned ones = 0, twos = 0;
    for (unsigned i = 0; i < N; ++i) {
        const uint64_t k = z.sample(r);
        ASSERT_GE(k, 1u);
        ASSERT_LE(k, n);
        ones += k == 1;
        twos += k == 2;
    }
    double norm = 0;
    for (uint64_t k = 1; k <= n; ++k) norm += std::pow(double(k), -1.1);
    const double p1 = 1 / norm;
    EXPECT_NEAR(p1, 0.1149, 0.001);
    EXPECT_NEAR(ones, N * p1, 5 * std::sqrt(N * p1));
    EXPECT_NEAR(double(ones) / twos, std::pow(2.0, 1.1), 0.05);
}

TEST(SourceSeed, DerivedSeedsDifferBySourceAndRunSeed) {
    SourceSpec s = spec(1 * MHz);
    EXPECT_NE(source_seed(s, 1, 1), source_seed(s, 1, 2));
    EXPECT_NE(source_seed(s, 1, 1), source_seed(s, 2, 1));
    EXPECT_EQ(source_seed(s, 1, 1), source_seed(s, 1, 1));
    s.has_seed = true;
    s.seed = 1234;
    EXPECT_EQ(source_seed(s, 1, 1), 1234u);
    EXPECT_EQ(source_seed(s, 9, 7), 1234u);
}

}  // namespace
}  // namespace itsim
