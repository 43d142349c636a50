// The event-log checker's R5 (causes): pend records that name a command
// lie within its fetched_ps..done_ps, agree with it on the op and the LPI,
// and commands that found a pending LPI changed it. Line 1 is the header.
#include <gtest/gtest.h>

#include "check/log_builder.h"

using namespace itsim;
using namespace itsim::testlog;

namespace {

const std::string kLpi8192 = R"(,"device":1,"event":1,"intid":8192,"cpu":0)";

// LPI 8192 enabled (line 2), made pending at cpu 0 at 2 us by msi 1
// (line 3), command 1 published at 2.1 us (line 4), then `rest`.
std::vector<std::string> pending_then(std::vector<std::string> rest, uint64_t cmds = 1, uint64_t msis = 1) {
    std::vector<std::string> l{header(cmds, msis), lpi(1000000, 8192, 0xA0, 1), msi_new(2000000, 1, 0, 8192),
                               kick(2100000, 1, cmds)};
    l.insert(l.end(), rest.begin(), rest.end());
    return l;
}

std::string clear_cmd(uint64_t done = 2200000) { return cmd(1, "CLEAR", 2100000, 2120000, done, kLpi8192); }

}  // namespace

TEST(CheckCauses, ClearWithinItsCommandIsClean) {
    const CheckResult r = check(pending_then({pend(2150000, 0, 8192, "clear", "CLEAR", 1), clear_cmd()}));
    EXPECT_EQ(r.total(), 0u) << (r.violations.empty() ? "" : r.violations[0].message);
    EXPECT_EQ(r.stats.pends, 1u);
    // The clear at the very time the command completes is still within it.
    EXPECT_EQ(check(pending_then({clear_cmd(2150000), pend(2150000, 0, 8192, "clear", "CLEAR", 1)})).total(), 0u);
}

TEST(CheckCauses, PendOutsideItsCommand) {
    // Before the command was fetched (2120000).
    CheckResult r = check(pending_then({pend(2110000, 0, 8192, "clear", "CLEAR", 1), clear_cmd()}));
    auto v = of(r, "R5");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5, 6}));
    EXPECT_NE(v[0].message.find("fetched only at 2120000ps"), std::string::npos) << v[0].message;
    // After it completed: that pend is late, and at its completion the
    // CLEAR had left the LPI pending.
    r = check(pending_then({clear_cmd(), pend(2250000, 0, 8192, "clear", "CLEAR", 1)}));
    v = of(r, "R5");
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5, 3}));
    EXPECT_NE(v[0].message.find("yet no pend record shows it cleared"), std::string::npos) << v[0].message;
    EXPECT_EQ(lines_of(v[1]), (std::vector<uint64_t>{6}));
    EXPECT_NE(v[1].message.find("had already completed"), std::string::npos) << v[1].message;
}

TEST(CheckCauses, CauseAndLpiMustBeTheCommands) {
    CheckResult r = check(pending_then({pend(2150000, 0, 8192, "clear", "DISCARD", 1), clear_cmd()}));
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_NE(of(r, "R5")[0].message.find("command 1 (CLEAR) as its cause, but gives the cause as DISCARD"),
              std::string::npos)
        << of(r, "R5")[0].message;
    // The pend clears 8193 at cpu 0; the CLEAR found 8192 (not pending).
    r = check({header(1, 1), lpi(1000000, 8193, 0xA0, 1), msi_new(2000000, 1, 0, 8193), kick(2100000, 1, 1),
               pend(2150000, 0, 8193, "clear", "CLEAR", 1), clear_cmd()});
    const auto v = of(r, "R5");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5, 6}));
    EXPECT_NE(v[0].message.find("for LPI 8193 at cpu 0, but the command acted on LPI 8192 at cpu 0"), std::string::npos)
        << v[0].message;
}

TEST(CheckCauses, ClearThatLeftThePendingLpi) {
    // No pend record: the CLEAR found 8192 pending since before its fetch
    // and it stays pending until the ack.
    const CheckResult r = check(pending_then({clear_cmd(), ack(2300000, 0, 8192)}));
    const auto v = of(r, "R5");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{5, 3}));
    EXPECT_EQ(r.total(), 1u);
    // Made pending after the fetch (a new MSI raced the CLEAR): fine.
    const CheckResult raced = check({header(1, 1), lpi(1000000, 8192, 0xA0, 1), kick(2100000, 1, 1),
                                     msi_new(2130000, 1, 0, 8192), clear_cmd(), ack(2300000, 0, 8192)});
    EXPECT_EQ(raced.total(), 0u) << (raced.violations.empty() ? "" : raced.violations[0].message);
}

TEST(CheckCauses, IntMustMakeItPending) {
    const std::string int_cmd = cmd(1, "INT", 2100000, 2120000, 2200000, kLpi8192);
    const std::vector<std::string> cfg{header(1, 0), lpi(1000000, 8192, 0xA0, 1), kick(2100000, 1, 1)};
    std::vector<std::string> good = cfg;
    good.push_back(pend(2150000, 0, 8192, "set", "INT", 1, 0xA0, true));
    good.push_back(int_cmd);
    good.push_back(ack(2300000, 0, 8192));
    EXPECT_EQ(check(good).total(), 0u) << check(good).violations[0].message;
    std::vector<std::string> bad = cfg;
    bad.push_back(int_cmd);
    const CheckResult r = check(bad);
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R5")[0]), (std::vector<uint64_t>{4}));
    EXPECT_NE(of(r, "R5")[0].message.find("no pend record shows it made pending"), std::string::npos);
    // An ack with neither an MSI nor an INT pend before it (R3).
    bad.push_back(ack(2300000, 0, 8192));
    EXPECT_EQ(of(check(bad), "R3").size(), 1u);
}

TEST(CheckCauses, ARefusalIsAnIntsOrAMovesEffect) {
    // The redistributor refused the INT's LPI (its LPIs disabled, or out of
    // its range): no set is owed, nothing becomes pending.
    const std::vector<std::string> l{header(1, 0), lpi(1000000, 8192, 0xA0, 1), kick(2100000, 1, 1),
                                     pend(2150000, 0, 8192, "refused", "INT", 1),
                                     cmd(1, "INT", 2100000, 2120000, 2200000, kLpi8192)};
    EXPECT_EQ(check(l).total(), 0u) << check(l).violations[0].message;
    // MOVALL to a redistributor that refuses: cleared at the old one,
    // refused at the new one.
    const CheckResult m = check(pending_then({pend(2150000, 0, 8192, "clear", "MOVALL", 1),
                                              pend(2200000, 1, 8192, "refused", "MOVALL", 1),
                                              cmd(1, "MOVALL", 2100000, 2120000, 2300000, R"(,"rdbase1":0,"rdbase2":1)")}));
    EXPECT_EQ(m.total(), 0u) << (m.violations.empty() ? "" : m.violations[0].message);
    // Refusing an LPI that is pending there contradicts the state (R3);
    // CLEAR cannot refuse (R5).
    const CheckResult p = check(pending_then({pend(2150000, 0, 8192, "refused", "SETLPIR"),
                                              pend(2160000, 0, 8192, "refused", "CLEAR"), ack(2300000, 0, 8192)},
                                             0));
    ASSERT_EQ(of(p, "R3").size(), 2u);
    EXPECT_EQ(lines_of(of(p, "R3")[0]), (std::vector<uint64_t>{5, 3}));
    ASSERT_EQ(of(p, "R5").size(), 1u);
    EXPECT_EQ(lines_of(of(p, "R5")[0]), (std::vector<uint64_t>{6}));
}

TEST(CheckCauses, MoviClearsAtTheOldCpuAndSetsAtTheNew) {
    auto log = [](uint32_t to) {
        return check(pending_then({pend(2150000, 0, 8192, "clear", "MOVI", 1),
                                   pend(2160000, to, 8192, "set", "MOVI", 1, 0xA0, true),
                                   cmd(1, "MOVI", 2100000, 2120000, 2200000,
                                       R"(,"device":1,"event":1,"icid":1,"intid":8192,"cpu":0,"to_cpu":1)"),
                                   ack(2300000, to, 8192)}));
    };
    EXPECT_EQ(log(1).total(), 0u) << log(1).violations[0].message;
    // Set at cpu 2 instead: the wrong CPU, and nothing arrived at cpu 1.
    const CheckResult r = log(2);
    const auto v = of(r, "R5");
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{6, 7}));
    EXPECT_NE(v[0].message.find("for LPI 8192 at cpu 2, but the command acted on LPI 8192 at cpu 1"), std::string::npos)
        << v[0].message;
    EXPECT_EQ(lines_of(v[1]), (std::vector<uint64_t>{5, 7}));
    EXPECT_NE(v[1].message.find("leaving cpu 0, but none shows it arriving at cpu 1"), std::string::npos) << v[1].message;
}

TEST(CheckCauses, InvAndInvallReReadEveryPendingLpi) {
    // 8192 and 8200 pending at cpu 0 since 2 us; INV of 8192 at 2.1 us,
    // INVALL of cpu 0's collection at 2.3 us.
    const std::string inv = cmd(1, "INV", 2100000, 2120000, 2200000, kLpi8192);
    const std::string invall = cmd(2, "INVALL", 2100000, 2320000, 2400000, R"(,"icid":0,"cpu":0)");
    auto log = [&](std::vector<std::string> pends) {
        std::vector<std::string> l{header(2, 2), lpi(1000000, 8192, 0xA0, 1), lpi(1000000, 8200, 0x80, 1),
                                   msi_new(2000000, 1, 0, 8192), msi_new(2000000, 2, 0, 8200, 0x80),
                                   kick(2100000, 1, 2)};
        for (std::string& p : pends) l.push_back(p);
        l.push_back(ack(2500000, 0, 8200, 0x80));
        l.push_back(ack(2800000, 0, 8192));
        std::stable_sort(l.begin() + 1, l.end(), [](const std::string& a, const std::string& b) {
            auto t = [](const std::string& x) { return std::stoull(x.substr(x.find("\"t_ps\":") + 7)); };
            return t(a) < t(b);
        });
        return check(l);
    };
    const std::string r1 = pend(2150000, 0, 8192, "refresh", "INV", 1, 0xA0, true);
    const std::string r2a = pend(2350000, 0, 8192, "refresh", "INVALL", 2, 0xA0, true);
    const std::string r2b = pend(2360000, 0, 8200, "refresh", "INVALL", 2, 0x80, true);
    CheckResult r = log({inv, invall, r1, r2a, r2b});
    EXPECT_EQ(r.total(), 0u) << (r.violations.empty() ? "" : r.violations[0].message);
    // The INV without its refresh.
    r = log({inv, invall, r2a, r2b});
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R5")[0]), (std::vector<uint64_t>{7, 4}));
    EXPECT_NE(of(r, "R5")[0].message.find("command 1 (INV) found LPI 8192 pending at cpu 0"), std::string::npos)
        << of(r, "R5")[0].message;
    // The INVALL that skipped 8200.
    r = log({inv, invall, r1, r2a});
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_NE(of(r, "R5")[0].message.find("command 2 (INVALL) found LPI 8200 pending"), std::string::npos)
        << of(r, "R5")[0].message;
}

TEST(CheckCauses, MovallMovesEveryPendingLpi) {
    // 8192 and 8200 pending at cpu 0; MOVALL from cpu 0 to cpu 1.
    const std::string movall = cmd(1, "MOVALL", 2100000, 2120000, 2300000, R"(,"rdbase1":0,"rdbase2":1)");
    auto log = [&](std::vector<std::string> mid, uint32_t ack_cpu_8200) {
        std::vector<std::string> l{header(1, 2), lpi(1000000, 8192, 0xA0, 1), lpi(1000000, 8200, 0x80, 1),
                                   msi_new(2000000, 1, 0, 8192), msi_new(2000000, 2, 0, 8200, 0x80),
                                   kick(2100000, 1, 1)};
        l.insert(l.end(), mid.begin(), mid.end());
        l.push_back(movall);
        l.push_back(ack(2500000, ack_cpu_8200, 8200, 0x80));
        l.push_back(ack(2800000, 1, 8192));
        return check(l);
    };
    const std::vector<std::string> both{pend(2150000, 0, 8192, "clear", "MOVALL", 1),
                                        pend(2150000, 0, 8200, "clear", "MOVALL", 1),
                                        pend(2200000, 1, 8192, "set", "MOVALL", 1, 0xA0, true),
                                        pend(2210000, 1, 8200, "set", "MOVALL", 1, 0x80, true)};
    CheckResult r = log(both, 1);
    EXPECT_EQ(r.total(), 0u) << (r.violations.empty() ? "" : r.violations[0].message);
    // 8200 left behind at cpu 0 (and taken there).
    r = log({both[0], both[2]}, 0);
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R5")[0]), (std::vector<uint64_t>{9, 5}));
    EXPECT_NE(of(r, "R5")[0].message.find("found LPI 8200 pending at cpu 0"), std::string::npos)
        << of(r, "R5")[0].message;
    // 8200 cleared at cpu 0 but never set at cpu 1: lost (R4 too).
    r = log({both[0], both[1], both[2]}, 1);
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R5")[0]), (std::vector<uint64_t>{8, 10}));
    EXPECT_NE(of(r, "R5")[0].message.find("moving LPI 8200 leaving cpu 0, but none shows it arriving at cpu 1"),
              std::string::npos)
        << of(r, "R5")[0].message;
}

TEST(CheckCauses, UnknownCausesAndImpossibleChanges) {
    CheckResult r = check(pending_then({pend(2150000, 0, 8192, "clear", "FROB")}, 0));
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_NE(of(r, "R5")[0].message.find("unknown cause \"FROB\""), std::string::npos);
    r = check(pending_then({pend(2150000, 0, 8192, "clear", "SETLPIR")}, 0));
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_NE(of(r, "R5")[0].message.find("SETLPIR cannot make the change \"clear\""), std::string::npos);
    EXPECT_EQ(check(pending_then({pend(2150000, 0, 8192, "clear", "CLRLPIR")}, 0)).total(), 0u);
}

TEST(CheckCauses, PendNamingACommandWithNoRecord) {
    // Command 1 was published but never recorded, and the queue did not
    // stall: R2 for the command, R5 for the pend that names it.
    const CheckResult r = check(pending_then({pend(2150000, 0, 8192, "clear", "CLEAR", 1)}));
    ASSERT_EQ(of(r, "R5").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R5")[0]), (std::vector<uint64_t>{5}));
    EXPECT_EQ(of(r, "R2").size(), 1u);
    // The queue stalled at it (memory error) while its clear had happened:
    // no command record follows its unretired one, and nothing is wrong.
    const CheckResult s = check(pending_then(
        {cmd_unretired(1, "CLEAR", 2100000, 2120000), pend(2150000, 0, 8192, "clear", "CLEAR", 1), stall(2160000, 64)}));
    EXPECT_EQ(s.total(), 0u) << (s.violations.empty() ? "" : s.violations[0].message);
}
