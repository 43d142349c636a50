// Parsing a `source` line's values (platform/sources/source_spec.h): what
// each key accepts, exactly, and where in the value an error points.
#include <gtest/gtest.h>

#include "sources/source_spec.h"

namespace itsim {
namespace {

struct Parsed {
    bool ok;
    bool unknown;
    SourceKeyError err;
};

Parsed parse(SourceSpec& s, const char* key, const char* value) {
    Parsed p{};
    p.ok = parse_source_key(s, key, value, p.err, p.unknown);
    return p;
}

TEST(SourceSpecKeys, RatesAreExactInMillihertz) {
    SourceSpec s;
    ASSERT_TRUE(parse(s, "rate", "1MHz").ok);
    EXPECT_EQ(s.rate_mhz, 1000000000u);
    ASSERT_TRUE(parse(s, "rate", "2.5kHz").ok);
    EXPECT_EQ(s.rate_mhz, 2500000u);
    ASSERT_TRUE(parse(s, "rate", "0.001Hz").ok);
    EXPECT_EQ(s.rate_mhz, 1u);
    ASSERT_TRUE(parse(s, "rate", "1.5GHz").ok);
    EXPECT_EQ(s.rate_mhz, 1500000000000u);
    ASSERT_TRUE(parse(s, "rate", "1000GHz").ok);   // one a picosecond: the limit
    EXPECT_EQ(format_rate(1000000000u), "1MHz");
    EXPECT_EQ(format_rate(2500000u), "2.5kHz");
    EXPECT_EQ(format_rate(1u), "0.001Hz");
    EXPECT_EQ(format_rate(1500000000000u), "1.5GHz");
}

TEST(SourceSpecKeys, BadRatesPointIntoTheValue) {
    SourceSpec s;
    Parsed p = parse(s, "rate", "10");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 2u);   // where the unit should be
    EXPECT_NE(p.err.message.find("missing unit"), std::string::npos) << p.err.message;
    p = parse(s, "rate", "10MBps");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 2u);
    EXPECT_NE(p.err.message.find("unknown rate unit 'MBps'"), std::string::npos) << p.err.message;
    EXPECT_FALSE(parse(s, "rate", "0Hz").ok);
    EXPECT_FALSE(parse(s, "rate", "0.0001Hz").ok);   // finer than a millihertz
    EXPECT_FALSE(parse(s, "rate", "1001GHz").ok);
    EXPECT_FALSE(parse(s, "rate", "1.MHz").ok);
    EXPECT_FALSE(parse(s, "rate", "-1MHz").ok);
}

TEST(SourceSpecKeys, EventRanges) {
    SourceSpec s;
    ASSERT_TRUE(parse(s, "events", "0-31").ok);
    EXPECT_EQ(s.event_first, 0u);
    EXPECT_EQ(s.event_last, 31u);
    EXPECT_EQ(s.events(), 32u);
    ASSERT_TRUE(parse(s, "events", "7").ok);
    EXPECT_EQ(s.events(), 1u);
    ASSERT_TRUE(parse(s, "events", "0-0xFFFFFFFF").ok);
    EXPECT_EQ(s.events(), uint64_t{1} << 32);
    Parsed p = parse(s, "events", "10-3");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 3u);
    p = parse(s, "events", "1-x");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 2u);
    EXPECT_FALSE(parse(s, "events", "0-0x100000000").ok);
}

TEST(SourceSpecKeys, Patterns) {
    SourceSpec s;
    ASSERT_TRUE(parse(s, "pattern", "poisson").ok);
    EXPECT_EQ(s.pattern, SourceSpec::Pattern::poisson);
    ASSERT_TRUE(parse(s, "pattern", "burst:16,2.5us").ok);
    EXPECT_EQ(s.pattern, SourceSpec::Pattern::burst);
    EXPECT_EQ(s.burst_n, 16u);
    EXPECT_EQ(s.burst_gap_ps, 2500000u);
    ASSERT_TRUE(parse(s, "pattern", "onoff:1ms,3ms").ok);
    EXPECT_EQ(s.pattern, SourceSpec::Pattern::onoff);
    EXPECT_EQ(s.on_ps, 1000000000u);
    EXPECT_EQ(s.off_ps, 3000000000u);
    Parsed p = parse(s, "pattern", "burst:0,1us");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 6u);
    p = parse(s, "pattern", "burst:4,1xs");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 8u);
    p = parse(s, "pattern", "onoff:0ns,1us");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 6u);
    p = parse(s, "pattern", "burst");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 5u);
    p = parse(s, "pattern", "burst:4,1us,2");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 11u);
    EXPECT_FALSE(parse(s, "pattern", "sawtooth").ok);
}

TEST(SourceSpecKeys, Popularity) {
    SourceSpec s;
    ASSERT_TRUE(parse(s, "popularity", "zipf:1.25").ok);
    EXPECT_EQ(s.popularity, SourceSpec::Popularity::zipf);
    EXPECT_DOUBLE_EQ(s.zipf_s, 1.25);
    ASSERT_TRUE(parse(s, "popularity", "uniform").ok);
    EXPECT_EQ(s.popularity, SourceSpec::Popularity::uniform);
    Parsed p = parse(s, "popularity", "zipf:0");
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p.err.offset, 5u);
    EXPECT_FALSE(parse(s, "popularity", "zipf:abc").ok);
    EXPECT_FALSE(parse(s, "popularity", "zipf:101").ok);
    EXPECT_FALSE(parse(s, "popularity", "pareto").ok);
}

TEST(SourceSpecKeys, CountUntilSeedAndUnknownKeys) {
    SourceSpec s;
    EXPECT_FALSE(parse(s, "count", "0").ok);
    ASSERT_TRUE(parse(s, "count", "100000000").ok);
    EXPECT_EQ(s.count, 100000000u);
    ASSERT_TRUE(parse(s, "until", "10ms").ok);
    EXPECT_TRUE(s.has_until);
    EXPECT_EQ(s.until_ps, 10000000000u);
    ASSERT_TRUE(parse(s, "seed", "0xFFFFFFFFFFFFFFFF").ok);
    EXPECT_TRUE(s.has_seed);
    EXPECT_EQ(s.seed, UINT64_MAX);
    Parsed p = parse(s, "rat", "1MHz");
    EXPECT_FALSE(p.ok);
    EXPECT_TRUE(p.unknown);
}

TEST(SourceSpecLine, NeedsDeviceEventsRateAndAnEnd) {
    SourceSpec s;
    std::string missing;
    EXPECT_EQ(check_source_line(s, false, true, true, 0, missing), "missing key 'device' for source");
    EXPECT_EQ(missing, "device");
    EXPECT_EQ(check_source_line(s, true, true, false, 0, missing), "missing key 'rate' for source");
    EXPECT_NE(check_source_line(s, true, true, true, 0, missing).find("count=N or until=T"), std::string::npos);
    s.has_until = true;
    s.until_ps = 1000;
    EXPECT_NE(check_source_line(s, true, true, true, 1000, missing).find("not after"), std::string::npos);
    EXPECT_EQ(check_source_line(s, true, true, true, 999, missing), "");
}

}  // namespace
}  // namespace itsim
