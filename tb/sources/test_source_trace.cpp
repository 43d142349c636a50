// The `source` op in the trace reader (platform/trace, sources/source_spec.h):
// what a good line gives, and every bad one reported as
// FILE:LINE:COLUMN: error: MESSAGE with the column at the offending token
// (inside the value where the value is wrong), before anything is run.
#include <gtest/gtest.h>

#include "trace/trace.h"

namespace itsim {
namespace {

std::string error_of(const std::string& body) {
    try {
        parse_trace("itsim-trace 1\n" + body, "t.its");
    } catch (const TraceError& e) {
        return e.what();
    }
    return "no error";
}

TEST(SourceTrace, AGoodLine) {
    const Trace t = parse_trace(
        "itsim-trace 1\n"
        "msi device=1 event=2\n"
        "@5us source device=0x20 events=3-9 rate=2.5MHz pattern=onoff:1us,3us popularity=zipf:0.9 count=10 "
        "until=1ms seed=77 its=2\n"
        "@6us source device=1 events=0 rate=1Hz until=7s\n",
        "t.its");
    ASSERT_EQ(t.sources.size(), 2u);
    ASSERT_EQ(t.lines.size(), 3u);
    const TraceLine& l = t.lines[1];
    EXPECT_EQ(l.op, TraceLine::Op::source);
    EXPECT_EQ(std::string(op_name(l.op)), "source");
    EXPECT_EQ(l.t_ps, 5000000u);
    EXPECT_EQ(l.source, 0u);
    const SourceSpec& s = t.sources[0];
    EXPECT_EQ(s.device, 0x20u);
    EXPECT_EQ(s.event_first, 3u);
    EXPECT_EQ(s.event_last, 9u);
    EXPECT_EQ(s.rate_mhz, 2500000000u);
    EXPECT_EQ(s.pattern, SourceSpec::Pattern::onoff);
    EXPECT_EQ(s.on_ps, 1000000u);
    EXPECT_EQ(s.off_ps, 3000000u);
    EXPECT_EQ(s.popularity, SourceSpec::Popularity::zipf);
    EXPECT_DOUBLE_EQ(s.zipf_s, 0.9);
    EXPECT_EQ(s.count, 10u);
    EXPECT_TRUE(s.has_until);
    EXPECT_EQ(s.until_ps, 1000000000u);
    EXPECT_TRUE(s.has_seed);
    EXPECT_EQ(s.seed, 77u);
    EXPECT_EQ(s.its, 2u);
    EXPECT_EQ(t.lines[2].source, 1u);
    EXPECT_EQ(t.sources[1].pattern, SourceSpec::Pattern::periodic);     // the defaults
    EXPECT_EQ(t.sources[1].popularity, SourceSpec::Popularity::uniform);
    EXPECT_FALSE(t.sources[1].has_seed);
    EXPECT_EQ(t.sources[1].count, 0u);
    // Sources are not msi lines: msi=N expects count the lines only.
    EXPECT_EQ(t.msi_count, 1u);
}

TEST(SourceTrace, ErrorsPointAtTheToken) {
    // line 2 of the file; columns are 1-based bytes.
    EXPECT_EQ(error_of("source device=1 events=0-3 rate=1MHz\n"),
              "t.its:2:1: error: source needs count=N or until=T (or both: it stops at whichever comes first)");
    EXPECT_EQ(error_of("source events=0-3 rate=1MHz count=1\n"), "t.its:2:1: error: missing key 'device' for source");
    EXPECT_EQ(error_of("@1us source device=1 events=0-3 count=1\n"), "t.its:2:6: error: missing key 'rate' for source");
    //                  1234567890123456789012345678901234567890
    EXPECT_EQ(error_of("source device=1 events=0-3 rate=1Mhz count=1\n"),
              "t.its:2:34: error: unknown rate unit 'Mhz' (units: Hz kHz MHz GHz)");
    EXPECT_EQ(error_of("source device=1 events=5-3 rate=1MHz count=1\n"),
              "t.its:2:26: error: events '5-3': the last EventID is below the first");
    EXPECT_EQ(error_of("source device=1 events=0 rate=1MHz pattern=burst:0,1us count=1\n"),
              "t.its:2:50: error: burst size 0: a burst has at least one MSI");
    EXPECT_EQ(error_of("source device=1 events=0 rate=1MHz pattern=onoff:1us,2xs count=1\n"),
              "t.its:2:54: error: malformed duration '2xs' for off time (expected e.g. 10us or 1.5ms; units ps ns us "
              "ms s)");
    EXPECT_EQ(error_of("source device=1 events=0 rate=1MHz popularity=zipf:-1 count=1\n"),
              "t.its:2:52: error: malformed Zipf exponent '-1' (expected a decimal such as 1 or 0.8, at most 6 "
              "decimals)");
    EXPECT_EQ(error_of("source device=1 events=0 rate=1MHz count=1 speed=3\n"),
              "t.its:2:44: error: unknown key 'speed' for source (keys: device events rate pattern popularity count "
              "until seed its)");
    EXPECT_EQ(error_of("source device=0x100000000 events=0 rate=1MHz count=1\n"),
              "t.its:2:15: error: device '0x100000000' is out of range (at most 4294967295)");
    EXPECT_EQ(error_of("source device=1 events=0 rate=1MHz count=1 its=16\n"),
              "t.its:2:48: error: its '16' is out of range (at most 15)");
    EXPECT_EQ(error_of("@2ms source device=1 events=0 rate=1MHz until=1ms\n"),
              "t.its:2:47: error: until=1ms is not after the source's time 2ms");
    // The line's shape is the reader's, as for every op.
    EXPECT_EQ(error_of("source device=1 device=2\n"), "t.its:2:17: error: duplicate key 'device' (first at column 8)");
    EXPECT_EQ(error_of("source periodic\n"), "t.its:2:8: error: expected key=value, got 'periodic'");
}

}  // namespace
}  // namespace itsim
