// The event-log checker's pending-state rules: R3 (pending, acknowledges)
// and R4 (nothing lost at the end). Logs are synthetic; line 1 is the
// header, so the k-th record is line k+1. Signal latency: 2 cycles of
// 1 GHz = 2000 ps.
#include <gtest/gtest.h>

#include "check/log_builder.h"

using namespace itsim;
using namespace itsim::testlog;

namespace {

// LPIs 8192 (priority 0xA0) and 8200 (0x80) enabled at 1 us.
std::vector<std::string> with_config(std::vector<std::string> rest, uint64_t msis) {
    std::vector<std::string> l{header(0, msis), lpi(1000000, 8192, 0xA0, 1), lpi(1000000, 8200, 0x80, 1)};
    l.insert(l.end(), rest.begin(), rest.end());
    return l;
}

}  // namespace

TEST(CheckPending, MsiThenAckAfterTheSignalLatencyIsClean) {
    // The ack comes exactly when the LPI becomes visible (pending + 2000 ps).
    const CheckResult r = check(with_config({msi_new(2000000, 1, 0, 8192), ack(2002000, 0, 8192, 0xA0, 2002000)}, 1));
    EXPECT_EQ(r.total(), 0u) << (r.violations.empty() ? "" : r.violations[0].message);
    EXPECT_EQ(r.stats.acks, 1u);
    EXPECT_EQ(r.stats.max_pending, 1u);
}

TEST(CheckPending, AckBeforeTheLpiIsVisible) {
    // 1999 ps after it became pending: one picosecond too early.
    const CheckResult r = check(with_config({msi_new(2000000, 1, 0, 8192), ack(2001999, 0, 8192, 0xA0, 2001000)}, 1));
    const auto v = of(r, "R3");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5, 4}));
    EXPECT_NE(v[0].message.find("before it was visible"), std::string::npos) << v[0].message;
    EXPECT_EQ(r.total(), 1u);
}

TEST(CheckPending, SignalledBeforeVisible) {
    // Acknowledged late enough, but it claims the line rose 1 ps before the
    // LPI could have raised it.
    const CheckResult r = check(with_config({msi_new(2000000, 1, 0, 8192), ack(2030000, 0, 8192, 0xA0, 2001999)}, 1));
    const auto v = of(r, "R3");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_NE(v[0].message.find("signalled_ps 2001999"), std::string::npos) << v[0].message;
}

TEST(CheckPending, AckOfAnLpiNeverMadePending) {
    // The MSI went to cpu 1; cpu 0 takes the LPI.
    const CheckResult r = check(with_config({msi_new(2000000, 1, 1, 8192), ack(2030000, 0, 8192), ack(2030000, 1, 8192)}, 1));
    const auto v = of(r, "R3");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5}));
    EXPECT_NE(v[0].message.find("cpu 0 acknowledged LPI 8192"), std::string::npos) << v[0].message;
    // Taken twice after one MSI: the second ack finds nothing pending.
    const CheckResult twice =
        check(with_config({msi_new(2000000, 1, 0, 8192), ack(2030000, 0, 8192), ack(2300000, 0, 8192)}, 1));
    ASSERT_EQ(of(twice, "R3").size(), 1u);
    EXPECT_EQ(lines_of(of(twice, "R3")[0]), (std::vector<uint64_t>{6}));
}

TEST(CheckPending, NewWhilePendingAndMergeWhileNot) {
    // msi 2 claims "new" while msi 1 still holds it pending.
    const CheckResult r =
        check(with_config({msi_new(2000000, 1, 0, 8192), msi_new(2010000, 2, 0, 8192), ack(2030000, 0, 8192, 0xA0, 2030000)}, 2));
    auto v = of(r, "R3");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5, 4}));
    // A merge into a pending LPI is fine; into one not pending it is not.
    EXPECT_EQ(check(with_config({msi_new(2000000, 1, 0, 8192), msi_merge(2010000, 2, 0, 8192), ack(2030000, 0, 8192)}, 2))
                  .total(),
              0u);
    const CheckResult m = check(with_config({msi_merge(2010000, 1, 0, 8192), ack(2030000, 0, 8192)}, 1));
    v = of(m, "R3");
    ASSERT_EQ(v.size(), 1u);   // the ack that follows is not blamed as well
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{4}));
    EXPECT_NE(v[0].message.find("not pending"), std::string::npos);
}

TEST(CheckPending, AckMustTakeTheHighestPriorityVisibleLpi) {
    // 8192 (0xA0) and 8200 (0x80, higher) both pending and visible: taking
    // 8192 first is wrong; taking 8200 first is right.
    const std::string a = msi_new(2000000, 1, 0, 8192, 0xA0), b = msi_new(2001000, 2, 0, 8200, 0x80);
    const CheckResult wrong = check(with_config({a, b, ack(2030000, 0, 8192), ack(2300000, 0, 8200, 0x80)}, 2));
    const auto v = of(wrong, "R3");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{6, 4, 5}));
    EXPECT_NE(v[0].message.find("while LPI 8200 (priority 128)"), std::string::npos) << v[0].message;
    EXPECT_EQ(check(with_config({a, b, ack(2030000, 0, 8200, 0x80), ack(2300000, 0, 8192)}, 2)).total(), 0u);
    // The higher one became pending 1 ns before the ack: not visible yet,
    // so taking the lower one is right.
    const std::string late = msi_new(2029000, 2, 0, 8200, 0x80);
    EXPECT_EQ(check(with_config({a, late, ack(2030000, 0, 8192), ack(2300000, 0, 8200, 0x80)}, 2)).total(), 0u);
    // Pending 2 ns before the ack: visible exactly then, so it had to be taken.
    const std::string just = msi_new(2028000, 2, 0, 8200, 0x80);
    EXPECT_EQ(of(check(with_config({a, just, ack(2030000, 0, 8192), ack(2300000, 0, 8200, 0x80)}, 2)), "R3").size(), 1u);
    // Pending at another CPU: no competitor.
    const std::string other = msi_new(2001000, 2, 1, 8200, 0x80);
    EXPECT_EQ(check(with_config({a, other, ack(2030000, 0, 8192), ack(2030000, 1, 8200, 0x80)}, 2)).total(), 0u);
}

TEST(CheckPending, EqualPriorityGoesToTheLowerIntid) {
    const std::vector<std::string> cfg{header(0, 2), lpi(1000000, 8192, 0xA0, 1), lpi(1000000, 8193, 0xA0, 1)};
    auto log = [&](uint32_t first, uint32_t second) {
        std::vector<std::string> l = cfg;
        l.push_back(msi_new(2000000, 1, 0, 8193));
        l.push_back(msi_new(2001000, 2, 0, 8192));
        l.push_back(ack(2030000, 0, first));
        l.push_back(ack(2300000, 0, second));
        return check(l);
    };
    EXPECT_EQ(log(8192, 8193).total(), 0u);
    const CheckResult r = log(8193, 8192);
    ASSERT_EQ(of(r, "R3").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R3")[0]), (std::vector<uint64_t>{6, 4, 5}));
}

TEST(CheckPending, DisabledSnapshotAndWrongPriority) {
    // The LPI was made pending while its byte said disabled: taking it is wrong.
    const CheckResult d = check(with_config({msi_new(2000000, 1, 0, 8192, 0, false), ack(2030000, 0, 8192, 0)}, 1));
    ASSERT_EQ(of(d, "R3").size(), 1u);
    EXPECT_NE(of(d, "R3")[0].message.find("disabled"), std::string::npos);
    // The ack reports a priority other than the snapshot's.
    const CheckResult p = check(with_config({msi_new(2000000, 1, 0, 8192, 0xA0), ack(2030000, 0, 8192, 0x90)}, 1));
    ASSERT_EQ(of(p, "R3").size(), 1u);
    EXPECT_NE(of(p, "R3")[0].message.find("priority 144, but its snapshot has priority 160"), std::string::npos)
        << of(p, "R3")[0].message;
}

TEST(CheckPending, RecordsOfOneTimeStampInAnyOrder) {
    // At 2030000 the pending LPI is acknowledged and a new MSI makes it
    // pending again; the log lists the msi first. Also a merge and the ack
    // of the same LPI at one time, the ack first. Neither is a violation.
    const CheckResult r = check(with_config({msi_new(2000000, 1, 0, 8192), msi_new(2030000, 2, 0, 8192),
                                             ack(2030000, 0, 8192), ack(2300000, 0, 8192)},
                                            2));
    EXPECT_EQ(r.total(), 0u) << (r.violations.empty() ? "" : r.violations[0].message);
    const CheckResult m = check(
        with_config({msi_new(2000000, 1, 0, 8192), ack(2030000, 0, 8192), msi_merge(2030000, 2, 0, 8192)}, 2));
    EXPECT_EQ(m.total(), 0u) << (m.violations.empty() ? "" : m.violations[0].message);
    // A competitor that changed at the very time of the ack (here: cleared,
    // listed before the ack) is not held against it: the clear may have
    // come first. Without the clear this is a violation (see above).
    const CheckResult c = check(with_config({msi_new(2000000, 1, 0, 8192), msi_new(2001000, 2, 0, 8200, 0x80),
                                             pend(2030000, 0, 8200, "clear", "CLRLPIR"), ack(2030000, 0, 8192)},
                                            2));
    EXPECT_EQ(c.total(), 0u) << (c.violations.empty() ? "" : c.violations[0].message);
}

TEST(CheckPending, RefreshMakesItSelectableLater) {
    // Pending while disabled; an INV-style refresh enables it at 3 us, so it
    // is visible from 3002000 only.
    auto log = [&](uint64_t ack_t) {
        return check(with_config({msi_new(2000000, 1, 0, 8192, 0, false),
                                  pend(3000000, 0, 8192, "refresh", "INVLPIR", 0, 0xA0, true), ack(ack_t, 0, 8192, 0xA0, ack_t)},
                                 1));
    };
    EXPECT_EQ(log(3002000).total(), 0u);
    const CheckResult early = log(3001000);
    ASSERT_EQ(of(early, "R3").size(), 1u);
    EXPECT_NE(of(early, "R3")[0].message.find("selectable at 3000000ps"), std::string::npos) << of(early, "R3")[0].message;
}

TEST(CheckPending, ClearRemovesAndAClearOfNothingIsWrong) {
    const CheckResult r = check(with_config({msi_new(2000000, 1, 0, 8192), pend(2010000, 0, 8192, "clear", "CLRLPIR"),
                                             pend(2020000, 0, 8192, "clear", "CLRLPIR")},
                                            1));
    const auto v = of(r, "R3");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{6}));
    EXPECT_EQ(r.total(), 1u);   // the first clear covered the MSI: nothing lost (R4)
}

TEST(CheckEnd, PendingEnabledAtTheEndIsLost) {
    const CheckResult r = check(with_config({msi_new(2000000, 1, 0, 8200, 0x80), msi_merge(2100000, 2, 0, 8200),
                                             msi_new(2200000, 3, 1, 8192, 0, false)},
                                            3));
    const auto v = of(r, "R4");
    ASSERT_EQ(v.size(), 1u);   // 8192 at cpu 1 is pending but disabled: kept, not lost
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{4, 5}));
    EXPECT_NE(v[0].message.find("LPI 8200 at cpu 0"), std::string::npos) << v[0].message;
    EXPECT_NE(v[0].message.find("2 record(s)"), std::string::npos) << v[0].message;
    EXPECT_EQ(r.total(), 1u);
}

TEST(CheckEnd, ARunThatStoppedEarlyIsNotBlamed) {
    std::vector<std::string> l = with_config({msi_new(2000000, 1, 0, 8200, 0x80)}, 2);
    l[0] = header(0, 2, R"(,"stopped":"max_time")");
    const CheckResult r = check(l);
    EXPECT_EQ(r.total(), 0u);   // neither R4 nor the missing msi 2 (R2)
    EXPECT_FALSE(r.complete_run);
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes[0].find("stopped early (max_time)"), std::string::npos) << r.notes[0];
}

TEST(CheckEnd, SignalLatencyComesFromTheHeader) {
    // 4 cycles of 500 MHz = 8000 ps: an ack 5 ns after pending is too early.
    std::vector<std::string> l{
        R"({"kind":"run","t_ps":0,"format":1,"cmd_lines":0,"msi_lines":1,"config":{"redist.clock":"500MHz","redist.signal_cycles":4}})",
        lpi(1000, 8192, 0xA0, 1), msi_new(2000000, 1, 0, 8192), ack(2005000, 0, 8192, 0xA0, 2004000)};
    const CheckResult r = check(l);
    ASSERT_EQ(of(r, "R3").size(), 1u);
    EXPECT_NE(of(r, "R3")[0].message.find("signal latency 8000ps"), std::string::npos) << of(r, "R3")[0].message;
    l[3] = ack(2008000, 0, 8192, 0xA0, 2008000);
    EXPECT_EQ(check(l).total(), 0u);
}
