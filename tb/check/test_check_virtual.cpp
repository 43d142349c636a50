// The checker's GICv4 rule R7 (platform/check/virtual.cpp) and the queue
// rules with several ITSs (queues.cpp): each rule broken by a hand-made
// log, and the same log without the fault passing.
#include <gtest/gtest.h>

#include "check/log_builder.h"

namespace itsim {
namespace {

using namespace testlog;

std::string header_cfg(uint64_t cmd_lines, uint64_t msi_lines, const std::string& config) {
    return R"({"kind":"run","t_ps":0,"format":1,"trace":"t.its","seed":1,"cmd_lines":)" + n(cmd_lines) +
           R"(,"msi_lines":)" + n(msi_lines) +
           R"(,"config":{"cpus":4,"mode":"accurate","error_policy":"ignore","redist.clock":"1GHz","redist.signal_cycles":2,)" +
           config + "}}";
}
std::string v41(uint64_t cmds, uint64_t msis) {
    return header_cfg(cmds, msis, R"("gic.version":"4.1","gic.vpes_per_vm":2,"its.count":1)");
}

// A delivered MSI through a virtual ITE (device 1, event = seq - 1).
std::string vmsi(uint64_t t, uint64_t seq, uint32_t cpu, uint32_t vpeid, uint32_t vintid, bool resident,
                 uint32_t doorbell = 0) {
    std::string s = R"({"kind":"msi","t_ps":)" + n(t) + R"(,"seq":)" + n(seq) + R"(,"device":1,"event":)" +
                    n(seq - 1) + R"(,"status":"delivered","intid":)" + n(vintid) + R"(,"cpu":)" + n(cpu) +
                    R"(,"issued_ps":)" + n(t - 100) + R"(,"pending_ps":)" + n(t) + R"(,"vpeid":)" + n(vpeid) +
                    R"(,"vintid":)" + n(vintid) + R"(,"resident":)" + (resident ? "true" : "false");
    if (doorbell) s += R"(,"doorbell":)" + n(doorbell);
    return s + "}";
}
std::string vack(uint64_t t, uint32_t cpu, uint32_t vpeid, uint32_t vintid) {
    return R"({"kind":"vack","t_ps":)" + n(t) + R"(,"cpu":)" + n(cpu) + R"(,"vpeid":)" + n(vpeid) + R"(,"vintid":)" +
           n(vintid) + R"(,"signalled_ps":)" + n(t - 20) + R"(,"eoi_ps":)" + n(t + 200) + R"(,"priority":160})";
}
std::string residency(uint64_t written, uint64_t t, uint32_t cpu, uint32_t vpeid, bool resident, bool armed = false) {
    std::string s = R"({"kind":"residency","t_ps":)" + n(t) + R"(,"cpu":)" + n(cpu) + R"(,"vpeid":)" + n(vpeid) +
                    R"(,"state":")" + (resident ? "resident" : "nonresident") + R"(","written_ps":)" + n(written) +
                    R"(,"dirty_ps":)" + n(t);
    if (!resident) s += R"(,"pending_last":false,"doorbell_armed":)" + std::string(armed ? "true" : "false");
    return s + "}";
}
std::string ring(uint64_t t, uint32_t cpu, uint32_t vpeid, uint32_t vintid) {
    return R"({"kind":"doorbell","t_ps":)" + n(t) + R"(,"cpu":)" + n(cpu) + R"(,"vpeid":)" + n(vpeid) +
           R"(,"intid":65280,"vintid":)" + n(vintid) + "}";
}
std::string vlpi(uint64_t t, uint32_t vpeid, uint32_t vintid, bool enable) {
    return R"({"kind":"vlpi","t_ps":)" + n(t) + R"(,"vpeid":)" + n(vpeid) + R"(,"vintid":)" + n(vintid) +
           R"(,"priority":160,"enable":)" + (enable ? "1" : "0") + "}";
}
// The doorbell LPI's pend record and acknowledge (so R3/R4 hold).
std::string db_set(uint64_t t) { return pend(t, 0, 65280, "set", "doorbell", 0, 0xA0); }
std::string db_ack(uint64_t t) { return ack(t + 30000, 0, 65280); }

size_t r7(const std::vector<std::string>& lines) {
    const CheckResult r = check(lines);
    for (const Violation& v : r.violations)
        if (v.rule != "R7") ADD_FAILURE() << "other rule broken: " << v.rule << " " << v.message;
    return of(r, "R7").size();
}

TEST(CheckVirtual, ResidentVlpiMustBeTaken) {
    const std::vector<std::string> base{v41(0, 1), lpi(0, 65280, 0xA0, 1), vlpi(1000, 0, 8192, true),
                                        residency(2000, 3000, 0, 0, true), vmsi(5000, 1, 0, 0, 8192, true)};
    // Never acknowledged: lost.
    const CheckResult lost = check(base);
    const auto v = of(lost, "R7");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_NE(v[0].message.find("vINTID 8192 of vPE 0"), std::string::npos) << v[0].message;
    EXPECT_EQ(lines_of(v[0]), std::vector<uint64_t>{5});
    auto taken = base;
    taken.push_back(vack(6000, 0, 0, 8192));
    EXPECT_EQ(r7(taken), 0u);
    // A resident vPE's vMSI rings no doorbell.
    auto rang = taken;
    rang[4] = vmsi(5000, 1, 0, 0, 8192, true, 65280);
    EXPECT_EQ(r7(rang), 1u);
    // Descheduled before it was taken: back in the VPT, not lost.
    auto away = base;
    away.push_back(residency(7000, 8000, 0, 0, false));
    EXPECT_EQ(r7(away), 0u);
    // Enabled only after the residency began: the cache may hold the old byte.
    const std::vector<std::string> late{v41(0, 1), lpi(0, 65280, 0xA0, 1), residency(2000, 3000, 0, 0, true),
                                        vlpi(4000, 0, 8192, true), vmsi(5000, 1, 0, 0, 8192, true)};
    EXPECT_EQ(r7(late), 0u);
}

TEST(CheckVirtual, NoVackWhereTheVpeIsNotResident) {
    // A vack inside the deschedule's write-back window (after the write at 10000).
    const std::vector<std::string> after{v41(0, 0), residency(2000, 3000, 0, 0, true), vack(10500, 0, 0, 8192),
                                         residency(10000, 11000, 0, 0, false)};
    const CheckResult a = check(after);
    ASSERT_EQ(of(a, "R7").size(), 1u);
    EXPECT_NE(of(a, "R7")[0].message.find("after GICR_VPENDBASER descheduled it"), std::string::npos);
    // Before the schedule's write (its record comes later, at dirty_ps).
    const CheckResult before = check({v41(0, 0), vack(1500, 0, 0, 8192), residency(2000, 3000, 0, 0, true)});
    ASSERT_EQ(of(before, "R7").size(), 1u);
    EXPECT_NE(of(before, "R7")[0].message.find("before it was scheduled"), std::string::npos);
    // At another CPU than the one it is resident at: never explained.
    EXPECT_EQ(r7({v41(0, 0), residency(2000, 3000, 0, 0, true), vack(5000, 1, 0, 8192)}), 1u);
    // During the parse: explained by the schedule's record that follows.
    EXPECT_EQ(r7({v41(0, 0), vack(2500, 0, 0, 8192), residency(2000, 3000, 0, 0, true)}), 0u);
}

TEST(CheckVirtual, V41DoorbellOnlyForARequestAndOnce) {
    const std::vector<std::string> good{v41(0, 2), lpi(0, 65280, 0xA0, 1), vlpi(1000, 0, 8192, true),
                                        residency(2000, 3000, 0, 0, true), residency(4000, 5000, 0, 0, false, true),
                                        ring(9900, 0, 0, 8192), db_set(9900), vmsi(10000, 1, 0, 0, 8192, false, 65280),
                                        db_ack(9900), vmsi(50000, 2, 0, 0, 8192, false)};   // rang already: disarmed
    EXPECT_EQ(r7(good), 0u);
    // No request: the ring is unexplained.
    EXPECT_EQ(r7({v41(0, 1), lpi(0, 65280, 0xA0, 1), residency(2000, 3000, 0, 0, true),
                  residency(4000, 5000, 0, 0, false, false), ring(9900, 0, 0, 8192), db_set(9900),
                  vmsi(10000, 1, 0, 0, 8192, false, 65280), db_ack(9900)}),
              1u);
    // A request, rescheduled (the request lapses), descheduled without one: a ring is wrong.
    EXPECT_EQ(r7({v41(0, 1), lpi(0, 65280, 0xA0, 1), residency(2000, 3000, 0, 0, true),
                  residency(4000, 5000, 0, 0, false, true), residency(6000, 7000, 0, 0, true),
                  residency(8000, 9000, 0, 0, false, false), ring(9900, 0, 0, 8192), db_set(9900),
                  vmsi(10000, 1, 0, 0, 8192, false, 65280), db_ack(9900)}),
              1u);
    // A request and an enabled vLPI that rings nothing.
    EXPECT_EQ(r7({v41(0, 1), vlpi(1000, 0, 8192, true), residency(2000, 3000, 0, 0, true),
                  residency(4000, 5000, 0, 0, false, true), vmsi(10000, 1, 0, 0, 8192, false)}),
              1u);
    // ... but a disabled one need not.
    EXPECT_EQ(r7({v41(0, 1), residency(2000, 3000, 0, 0, true), residency(4000, 5000, 0, 0, false, true),
                  vmsi(10000, 1, 0, 0, 8192, false)}),
              0u);
}

TEST(CheckVirtual, V41VmovpMovesTheDoorbellRequest) {
    // vPE 0 mapped at CPU 0 (cmd 1), descheduled there with a request, then
    // VMOVP to CPU 2 (cmd 2, RDbase = processor number): the request is CPU
    // 2's now, so the ring at CPU 2 is explained and an enabled vLPI at CPU
    // 2 that rings nothing is not.
    auto log = [](uint32_t ring_cpu, bool rings) {
        std::vector<std::string> l{v41(2, 1),
                                   lpi(0, 65280, 0xA0, 1),
                                   kick(100, 1, 1),
                                   cmd(1, "VMAPP", 100, 200, 300,
                                       R"(,"vpeid":0,"rdbase":0,"valid":1,"default_doorbell":65280)"),
                                   vlpi(1000, 0, 8192, true),
                                   residency(2000, 3000, 0, 0, true),
                                   residency(4000, 5000, 0, 0, false, true),
                                   kick(6000, 2, 2),
                                   cmd(2, "VMOVP", 6000, 6100, 6300,
                                       R"(,"vpeid":0,"rdbase":2,"db":0,"default_doorbell":0)")};
        if (rings) {
            l.push_back(ring(9900, ring_cpu, 0, 8192));
            l.push_back(pend(9900, ring_cpu, 65280, "set", "doorbell", 0, 0xA0));
        }
        l.push_back(vmsi(10000, 1, 2, 0, 8192, false, rings ? 65280 : 0));
        if (rings) l.push_back(ack(39900, ring_cpu, 65280));
        return l;
    };
    EXPECT_EQ(r7(log(2, true)), 0u);
    // The request is no longer CPU 0's: a ring there is unexplained.
    EXPECT_EQ(r7(log(0, true)), 1u);
    // No ring at all: the enabled vLPI at CPU 2 after the moved request should have rung.
    const CheckResult silent = check(log(2, false));
    ASSERT_EQ(of(silent, "R7").size(), 1u);
    EXPECT_NE(of(silent, "R7")[0].message.find("at cpu 2 made enabled vINTID 8192 pending"), std::string::npos);
}

TEST(CheckVirtual, V40DoorbellIsTheItes) {
    const std::string h = header_cfg(1, 1, R"("gic.version":"4.0","its.count":1)");
    const std::string map = cmd(1, "VMAPTI", 100, 200, 300,
                                R"(,"device":1,"event":0,"vpeid":0,"vintid":8192,"doorbell":9000)");
    const std::vector<std::string> rings{h, kick(100, 1, 1), map, pend(5000, 0, 9000, "set", "doorbell", 0, 0, false),
                                         vmsi(5000, 1, 0, 0, 8192, false, 9000)};
    EXPECT_EQ(r7(rings), 0u);
    const std::vector<std::string> silent{h, kick(100, 1, 1), map, vmsi(5000, 1, 0, 0, 8192, false)};
    const CheckResult s = check(silent);
    ASSERT_EQ(of(s, "R7").size(), 1u);
    EXPECT_NE(of(s, "R7")[0].message.find("its ITE names doorbell 9000"), std::string::npos);
    // An MSI issued before the VMAPTI completed is not held to it.
    const std::vector<std::string> racing{h, kick(100, 1, 1), map, vmsi(350, 1, 0, 0, 8192, false)};
    EXPECT_EQ(r7(racing), 0u);
}

TEST(CheckVirtual, QueueRulesPerItsWithSeveralIts) {
    const std::string h = header_cfg(3, 0, R"("gic.version":"4.1","its.count":2)");
    auto kick_its = [](uint64_t t, uint64_t first, uint64_t last, unsigned its) {
        std::string k = kick(t, first, last);
        return k.substr(0, k.size() - 1) + R"(,"its":)" + n(its) + "}";
    };
    auto cmd_its = [](uint64_t seq, uint64_t issued, uint64_t done, unsigned its) {
        return cmd(seq, "VSYNC", issued, done - 50, done, R"(,"vpeid":0,"its":)" + n(its));
    };
    // ITS 0 publishes 1 and 3 (its range 1..3 spans ITS 1's 2); ITS 1 publishes 2.
    const std::vector<std::string> good{h, kick_its(100, 1, 3, 0), kick_its(110, 2, 2, 1), cmd_its(2, 110, 400, 1),
                                        cmd_its(1, 100, 500, 0), cmd_its(3, 100, 600, 0)};
    EXPECT_EQ(check(good).total(), 0u);
    // ITS 0's 3 completes before its 1: out of queue order (ITS 1's 2 earlier is fine).
    const std::vector<std::string> order{h, kick_its(100, 1, 3, 0), kick_its(110, 2, 2, 1), cmd_its(2, 110, 400, 1),
                                         cmd_its(3, 100, 500, 0), cmd_its(1, 100, 600, 0)};
    const CheckResult o = check(order);
    ASSERT_EQ(of(o, "R2").size(), 1u);
    EXPECT_NE(of(o, "R2")[0].message.find("command 1 (VSYNC) completed"), std::string::npos);
    // Command 2 claims ITS 1's queue but was issued at ITS 0's kick.
    const std::vector<std::string> issued{h, kick_its(100, 1, 3, 0), kick_its(110, 2, 2, 1), cmd_its(2, 100, 400, 1),
                                          cmd_its(1, 100, 500, 0), cmd_its(3, 100, 600, 0)};
    EXPECT_EQ(of(check(issued), "R2").size(), 1u);
    // ITS 1 never publishes command 2.
    const std::vector<std::string> unpublished{h, kick_its(100, 1, 1, 0), kick_its(120, 3, 3, 0),
                                               cmd_its(1, 100, 500, 0), cmd_its(3, 120, 600, 0)};
    const CheckResult u = check(unpublished);
    ASSERT_EQ(of(u, "R2").size(), 1u);
    EXPECT_NE(of(u, "R2")[0].message.find("the 2 ITSs' kicks published 2"), std::string::npos);
    // A record naming an ITS the header does not have.
    EXPECT_THROW(check({h, kick_its(100, 1, 1, 2)}), CheckFormatError);
}

}  // namespace
}  // namespace itsim
