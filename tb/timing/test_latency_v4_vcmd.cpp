// GICv4 command latencies on an idle whole platform (timing_env_v4.h): VMAPP,
// VSYNC (the vPE cache cold, then hot), VMOVP (with two ITSs and
// GITS_TYPER.VMOVP = 1 also the other ITS's entry), VSYNC after the move,
// and the unmap (VMAPP V=0: on GICv4.1 self-synchronising, a message to the
// old redistributor), on GICv4.0 and GICv4.1, in both timing modes, for two
// sets of parameters. Each is CWRITER write -> CREADR past it, against the
// sum of its stage costs.
#include "timing_env_v4.h"

namespace {

constexpr uint32_t kVpe = 1;
constexpr uint64_t kFrom = 1, kTo = 2;   // redistributors (processor numbers: PTA = 0)

enum : unsigned { sMapp = 1, sSyncCold, sSyncHot, sMappPeer, sMovp, sSyncMoved, sUnmap };

void vcmd(const std::string& version, const Settings& set, TimingMode mode) {
    const bool v41 = version == "4.1";
    Platform pl(mode, v4_settings(version, set));
    const CostsV4 c(pl.p);
    const bool two = pl.p.integer("its.count") == 2;
    pl.run([&](DriverAgent& d) {
        one(d, vmapp_of(d, pl.p, kVpe, kFrom, v41), sMapp);
        d.advance_to(10 * kUs);
        one(d, build::by_vpe(ItsOpcode::VSYNC, kVpe), sSyncCold);
        d.advance_to(20 * kUs);
        one(d, build::by_vpe(ItsOpcode::VSYNC, kVpe), sSyncHot);
        d.advance_to(30 * kUs);
        if (two) {   // the vPE mapped on ITS 1 too (Alloc: not the first map)
            ItsCommand m = vmapp_of(d, pl.p, kVpe, kFrom, v41);
            m.alloc = false;
            d.append_command(m, sMappPeer, 1);
            d.wait_drained(1);
        }
        d.advance_to(40 * kUs);
        one(d, build::vmovp(0, 0, kVpe, kTo), sMovp);
        d.advance_to(50 * kUs);
        one(d, build::by_vpe(ItsOpcode::VSYNC, kVpe), sSyncMoved);
        d.advance_to(60 * kUs);
        ItsCommand unmap = build::vmapp(kVpe, 0, 0, 0, false);
        unmap.alloc = v41 && !two;   // the last unmap when only this ITS has it
        one(d, unmap, sUnmap);
        d.advance_to(70 * kUs);
    });

    // Every command: the CWRITER write reaches the ITS, the 32-byte fetch,
    // decode, execute, then its own work.
    auto check = [&](unsigned seq, const char* what, uint64_t work, uint32_t vcpu, bool has_vcpu = true) {
        SCOPED_TRACE(what);
        const RunRecords::Command* r = pl.command(seq);
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(r->rec.status, 0u);
        EXPECT_FALSE(r->rec.memory_error);
        EXPECT_EQ(r->rec.cmd.vpeid, kVpe);
        EXPECT_EQ(r->rec.has_vpe, has_vcpu);   // the record names the vPE with its redistributor
        EXPECT_EQ(r->rec.has_vcpu, has_vcpu);
        if (has_vcpu) {
            EXPECT_EQ(r->rec.vcpu, vcpu);
        }
        EXPECT_EQ(r->rec.fetched_ps, r->issued_ps + c.kick() + c.fetch());
        EXPECT_EQ(r->rec.done_ps - r->issued_ps, c.kick() + c.fetch() + c.DEC + c.EXE + work);
    };
    // VMAPP V=1: the entry's address (two-level: the level-1 descriptor
    // read), the 32-byte VTE written. The vPE cache is not filled by it.
    check(sMapp, "VMAPP", c.l1() + c.wr(32), kFrom);
    // VSYNC: the vPE looked up (the first misses and reads the VTE, the
    // second hits; no cache: both read), the message; the redistributor has
    // nothing left to do (every effect is made before its op returns).
    check(sSyncCold, "VSYNC cold", c.vpe(false) + c.HOP, kFrom);
    check(sSyncHot, "VSYNC hot", c.vpe(true) + c.HOP, kFrom);
    if (two) check(sMappPeer, "VMAPP on ITS 1", c.l1() + c.wr(32), kFrom);
    // VMOVP: the vPE looked up, the entry's address, the new VTE written,
    // GICv4.1 the message to the old redistributor (it hands the vPE's
    // doorbell and vSGIs over), the message to the new one; with
    // GITS_TYPER.VMOVP = 1 every other ITS that has the vPE mapped: its
    // entry's address, read, written.
    const uint64_t peers = two ? c.l1() + c.rd(32) + c.wr(32) : 0;
    const uint64_t handover = v41 ? c.HOP : 0;
    check(sMovp, "VMOVP", c.vpe(true) + c.l1() + c.wr(32) + handover + c.HOP + peers, kTo);
    // VSYNC after it: the vPE cache holds the new entry; the message goes
    // to the new redistributor.
    check(sSyncMoved, "VSYNC after VMOVP", c.vpe(true) + c.HOP, kTo);
    // VMAPP V=0: the entry's address, the VTE written invalid. GICv4.1
    // reads the old entry first (the cache, or the VTE at that address) and
    // is self-synchronising: the message to the old redistributor. GICv4.0
    // sends nothing, so its record names no redistributor.
    if (v41) {
        check(sUnmap, "VMAPP V=0", c.l1() + (c.vpe_cache ? c.LK : c.rd(32)) + c.wr(32) + c.HOP, kTo);
    } else {
        check(sUnmap, "VMAPP V=0", c.l1() + c.wr(32), 0, false);
    }
}

// One System a process: a TEST each.
TEST(TimingV4Commands, Gicv40CaseAAccurate) { vcmd("4.0", kCaseA, TimingMode::accurate); }
TEST(TimingV4Commands, Gicv40CaseAFast) { vcmd("4.0", kCaseA, TimingMode::fast); }
TEST(TimingV4Commands, Gicv41CaseAAccurate) { vcmd("4.1", kCaseA, TimingMode::accurate); }
TEST(TimingV4Commands, Gicv41CaseAFast) { vcmd("4.1", kCaseA, TimingMode::fast); }
TEST(TimingV4Commands, Gicv40CaseBAccurate) { vcmd("4.0", kCaseB, TimingMode::accurate); }
TEST(TimingV4Commands, Gicv40CaseBFast) { vcmd("4.0", kCaseB, TimingMode::fast); }
TEST(TimingV4Commands, Gicv41CaseBAccurate) { vcmd("4.1", kCaseB, TimingMode::accurate); }
TEST(TimingV4Commands, Gicv41CaseBFast) { vcmd("4.1", kCaseB, TimingMode::fast); }

}  // namespace
