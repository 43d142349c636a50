// GICv4 vLPI latencies on an idle whole platform (timing_env_v4.h), on
// GICv4.0 and GICv4.1, in both timing modes, for two sets of parameters:
//   - a schedule of vPE 0 on CPU 1 (an empty VPT parsed) and its Dirty poll;
//   - a vLPI to the resident vPE, cold (every table read, the vLPI's
//     configuration line) and hot, to the vCPU's acknowledge and EOI;
//   - a deschedule (nothing to write back), then a vLPI to the non-resident
//     vPE: its VPT byte, the doorbell (GICv4.0: the ITE's; GICv4.1: the
//     default doorbell armed at the deschedule, after the vLPI's enable
//     byte), the doorbell LPI pending and taken by the host;
//   - the schedule after it: the VPT parse finds the vLPI, Dirty clears
//     vpt_parse_cycles after the parse, the vCPU takes the vLPI.
// Each expected time is a sum of the stage costs the parameters give.
#include "timing_env_v4.h"

namespace {

constexpr uint32_t kDev = 5, kVpe = 0, kCpu = 1;
constexpr uint32_t kV0 = 8200, kV1 = 8201;   // vLPIs of vPE 0 (events 0 and 1)

const RunRecords::DoorbellRing* doorbell_of(const Platform& pl, uint32_t vpeid) {
    for (const auto& r : pl.sys->records().doorbells)
        if (r.vpeid == vpeid) return &r;
    return nullptr;
}
std::vector<VackRecord> vacks(const Platform& pl, uint32_t vintid) {
    std::vector<VackRecord> v;
    for (const VackRecord& a : pl.sys->records().vacks)
        if (a.vintid == vintid) v.push_back(a);
    return v;
}

void vlpi_path(const std::string& version, const Settings& set, TimingMode mode) {
    const bool v41 = version == "4.1";
    Platform pl(mode, v4_settings(version, set));
    const CostsV4 c(pl.p);
    const uint64_t itt = ram(pl, 0x100000);
    uint32_t db = 0;
    uint64_t sched1 = 0, desched = 0, sched2 = 0;   // when the driver started each
    pl.sys->expect_msis(3);
    pl.run([&](DriverAgent& d) {
        db = d.doorbell_of(kVpe);
        d.append_command(mapd(kDev, itt, 1), 1);
        d.append_command(vmapp_of(d, pl.p, kVpe, kCpu, v41), 2);
        // Linux: v4.0 names the vPE's doorbell in the ITE, v4.1 1023.
        d.append_command(build::vmapti(kDev, 0, kVpe, kV0, v41 ? kNoDoorbell : db), 3);
        d.append_command(build::vmapti(kDev, 1, kVpe, kV1, v41 ? kNoDoorbell : db), 4);
        d.wait_drained();
        ASSERT_TRUE(d.set_vlpi_config(kVpe, kV0, 0x80, true));
        ASSERT_TRUE(d.set_vlpi_config(kVpe, kV1, 0x40, true));
        d.advance_to(10 * kUs);
        sched1 = d.now_ps();
        d.schedule(kCpu, kVpe);
        d.advance_to(20 * kUs);
        pl.flush_its_caches(d);   // the commands cached the DTE
        d.advance_to(30 * kUs);
        pl.msi(d, kDev, 0, 1);    // cold
        d.advance_to(40 * kUs);
        pl.msi(d, kDev, 0, 2);    // hot
        d.advance_to(50 * kUs);
        desched = d.now_ps();
        d.deschedule(kCpu, true);   // v4.1: Doorbell = 1, PendingLast = 0
        d.advance_to(60 * kUs);
        pl.msi(d, kDev, 1, 3);    // to the non-resident vPE
        d.advance_to(70 * kUs);
        sched2 = d.now_ps();
        d.schedule(kCpu, kVpe);
        d.advance_to(80 * kUs);
    });
    for (unsigned seq = 1; seq <= 4; ++seq) {
        const RunRecords::Command* r = pl.command(seq);
        ASSERT_NE(r, nullptr) << seq;
        EXPECT_EQ(r->rec.status, 0u) << seq;
    }
    const RunRecords& rec = pl.records();
    ASSERT_EQ(rec.rd_residencies.size(), 3u);
    ASSERT_EQ(rec.residencies.size(), 3u);

    // The software's schedule: v4.0 writes GICR_VPROPBASER first, then
    // GICR_VPENDBASER; v4.1 GICR_VPENDBASER only. The write returns when the
    // parse's memory work is done; Dirty reads 1 for PARSE more; the poll
    // reads it from the write's return, every POLL, until it reads 0.
    auto check_schedule = [&](unsigned i, uint64_t start, uint64_t work, uint32_t found, const char* what) {
        SCOPED_TRACE(what);
        const ResidencyRecord& r = rec.rd_residencies[i];
        const DriverResidency& s = rec.residencies[i];
        const uint64_t written = start + (v41 ? 0 : c.reg()) + c.reg();   // the register sees the write
        const uint64_t w_end = written + work;
        EXPECT_TRUE(r.resident);
        EXPECT_EQ(r.cpu, kCpu);
        EXPECT_EQ(r.vpt_addr, pl.sys->driver().vpt(kVpe));
        EXPECT_EQ(r.vlpis, found);
        EXPECT_EQ(r.t_ps, written);
        EXPECT_EQ(r.dirty_ps, w_end + c.PARSE);
        uint64_t polls = 0;
        EXPECT_EQ(s.t_ps, start);
        EXPECT_EQ(s.done_ps, c.poll_until(w_end, w_end + c.PARSE, &polls));
        EXPECT_EQ(s.polls, polls);
        EXPECT_FALSE(s.dirty_timeout);
        return w_end;
    };
    // The first schedule: v4.1 reads the vPE's entry (GICR_VPROPBASER's
    // table: ITS 0's vPE table); then the whole (empty) VPT.
    const uint64_t parse_vte = v41 ? c.vte() : 0;
    check_schedule(0, sched1, parse_vte + c.vpt_reads(), 0, "first schedule");

    // vLPI to the resident vPE, cold: the device, event (16-byte ITE) and
    // vPE lookups each miss and read; the message; at the redistributor the
    // vLPI's configuration line (the resident state's cache is empty), the
    // update.
    const RunRecords::Msi& cold = pl.msi_record(1);
    ASSERT_TRUE(cold.reported);
    EXPECT_TRUE(cold.rec.delivered) << cold.rec.reason;
    EXPECT_TRUE(cold.rec.virt);
    EXPECT_EQ(cold.rec.vpeid, kVpe);
    EXPECT_EQ(cold.rec.vintid, kV0);
    EXPECT_EQ(cold.rec.cpu, kCpu);
    EXPECT_FALSE(cold.rec.device_hit || cold.rec.event_hit || cold.rec.collection_hit);
    EXPECT_EQ(cold.rec.accepted_ps, cold.issued_ps + c.H);
    EXPECT_EQ(cold.rec.started_ps, cold.rec.accepted_ps + c.ING);
    EXPECT_EQ(cold.rec.device_ps, cold.rec.started_ps + c.LK + c.rd(8));
    EXPECT_EQ(cold.rec.event_ps, cold.rec.device_ps + c.LK + c.rd(16));
    EXPECT_EQ(cold.rec.collection_ps, cold.rec.event_ps + c.vpe(false));   // the VTE known
    EXPECT_EQ(cold.rec.pending_ps, cold.rec.collection_ps + c.HOP + c.RLK + c.prop() + c.UPD);
    EXPECT_EQ(cold.rec.pending_ps - cold.issued_ps,
              c.H + c.ING + c.LK + c.rd(8) + c.LK + c.rd(16) + c.vpe(false) + c.HOP + c.RLK + c.prop() + c.UPD);
    // Hot: hits everywhere (without a vPE cache the VTE is read again), the
    // configuration cache hit.
    const RunRecords::Msi& hot = pl.msi_record(2);
    ASSERT_TRUE(hot.reported);
    EXPECT_TRUE(hot.rec.delivered) << hot.rec.reason;
    EXPECT_TRUE(hot.rec.device_hit && hot.rec.event_hit);
    EXPECT_EQ(hot.rec.collection_hit, c.vpe_cache);
    EXPECT_EQ(hot.rec.pending_ps - hot.issued_ps, c.H + c.ING + 2 * c.LK + c.vpe(true) + c.HOP + c.RLK + c.UPD);
    // Both taken by the vCPU: the virtual line rises SIG after the update,
    // ICV_IAR1 returns VACK later, the handler ends VHANDLER later.
    const std::vector<VackRecord> v0 = vacks(pl, kV0);
    ASSERT_EQ(v0.size(), 2u);
    for (unsigned i = 0; i < 2; ++i) {
        const uint64_t pending = pl.msi_record(i + 1).rec.pending_ps;
        EXPECT_EQ(v0[i].cpu, kCpu);
        EXPECT_EQ(v0[i].vpeid, kVpe);
        EXPECT_EQ(v0[i].priority, 0x80);
        EXPECT_EQ(v0[i].signalled_ps, pending + c.SIG) << i;
        EXPECT_EQ(v0[i].t_ps, pending + c.SIG + c.VACK) << i;
        EXPECT_EQ(v0[i].eoi_ps, pending + c.SIG + c.VACK + c.VHANDLER) << i;
    }
    EXPECT_EQ(v0[1].t_ps - hot.issued_ps,
              c.H + c.ING + 2 * c.LK + c.vpe(true) + c.HOP + c.RLK + c.UPD + c.SIG + c.VACK);

    // The deschedule: the poll reads Dirty = 0 once, then the write (both
    // vLPIs were taken: no VPT byte differs from memory, nothing written),
    // then Dirty reads 1 for PARSE.
    {
        const ResidencyRecord& r = rec.rd_residencies[1];
        const DriverResidency& s = rec.residencies[1];
        const uint64_t written = desched + 2 * c.reg();
        EXPECT_FALSE(r.resident);
        EXPECT_EQ(r.vlpis, 0u);   // bytes written back
        EXPECT_FALSE(r.pending_last);
        EXPECT_EQ(r.doorbell_armed, v41);
        EXPECT_EQ(r.t_ps, written);
        EXPECT_EQ(r.dirty_ps, written + c.PARSE);
        uint64_t polls = 0;
        EXPECT_EQ(s.t_ps, desched + c.reg());
        EXPECT_EQ(s.done_ps, c.poll_until(written, written + c.PARSE, &polls));
        EXPECT_EQ(s.polls, polls);
    }

    // vLPI to the non-resident vPE: device and vPE hits, event 1's ITE read;
    // at the redistributor the VPT byte read, the update, the byte written;
    // GICv4.1 reads the vLPI's configuration byte (the armed default
    // doorbell rings only for an enabled vLPI); the doorbell rings: an
    // ordinary set_pending of the doorbell LPI (its property line, the update).
    const RunRecords::Msi& nr = pl.msi_record(3);
    ASSERT_TRUE(nr.reported);
    EXPECT_TRUE(nr.rec.delivered) << nr.rec.reason;
    EXPECT_EQ(nr.rec.vintid, kV1);
    EXPECT_TRUE(nr.rec.device_hit);
    EXPECT_FALSE(nr.rec.event_hit);
    EXPECT_EQ(nr.rec.collection_ps, nr.rec.event_ps + c.vpe(true));
    EXPECT_EQ(nr.rec.event_ps - nr.issued_ps, c.H + c.ING + c.LK + c.LK + c.rd(16));
    const uint64_t vpt_rmw = c.rd(1) + c.UPD + c.wr(1);
    const uint64_t enable_byte = v41 ? c.rd(1) : 0;
    const RunRecords::DoorbellRing* ring = doorbell_of(pl, kVpe);
    ASSERT_NE(ring, nullptr);
    EXPECT_EQ(ring->intid, db);
    EXPECT_EQ(ring->cpu, kCpu);
    EXPECT_EQ(ring->vintid, kV1);
    EXPECT_EQ(ring->t_ps, nr.rec.collection_ps + c.HOP + vpt_rmw + enable_byte);
    EXPECT_EQ(nr.rec.pending_ps, ring->t_ps + c.RLK + c.prop() + c.UPD);
    const uint64_t write_to_doorbell =
        c.H + c.ING + 2 * c.LK + c.rd(16) + c.vpe(true) + c.HOP + vpt_rmw + enable_byte + c.RLK + c.prop() + c.UPD;
    EXPECT_EQ(nr.rec.pending_ps - nr.issued_ps, write_to_doorbell);
    // The host takes the doorbell LPI (physical: SIG, ACK).
    const std::vector<AckRecord> dba = pl.acks(db);
    ASSERT_EQ(dba.size(), 1u);
    EXPECT_EQ(dba[0].cpu, kCpu);
    EXPECT_EQ(dba[0].signalled_ps, nr.rec.pending_ps + c.SIG);
    EXPECT_EQ(dba[0].t_ps, nr.rec.pending_ps + c.SIG + c.ACK);

    // The schedule after it: the parse finds vLPI 8201 set (lookup, line,
    // update); the virtual line rises SIG after the parse, the vCPU takes it.
    const uint64_t w_end = check_schedule(2, sched2, parse_vte + c.vpt_reads() + c.loaded_vlpi(), 1, "second schedule");
    const std::vector<VackRecord> v1 = vacks(pl, kV1);
    ASSERT_EQ(v1.size(), 1u);
    EXPECT_EQ(v1[0].priority, 0x40);
    EXPECT_EQ(v1[0].signalled_ps, w_end + c.SIG);
    EXPECT_EQ(v1[0].t_ps, w_end + c.SIG + c.VACK);
    EXPECT_EQ(v1[0].t_ps - sched2, (v41 ? 1 : 2) * c.reg() + parse_vte + c.vpt_reads() + c.loaded_vlpi() + c.SIG +
                                       c.VACK);
}

// One System a process: a TEST each.
TEST(TimingV4Vlpi, Gicv40CaseAAccurate) { vlpi_path("4.0", kCaseA, TimingMode::accurate); }
TEST(TimingV4Vlpi, Gicv40CaseAFast) { vlpi_path("4.0", kCaseA, TimingMode::fast); }
TEST(TimingV4Vlpi, Gicv41CaseAAccurate) { vlpi_path("4.1", kCaseA, TimingMode::accurate); }
TEST(TimingV4Vlpi, Gicv41CaseAFast) { vlpi_path("4.1", kCaseA, TimingMode::fast); }
TEST(TimingV4Vlpi, Gicv40CaseBAccurate) { vlpi_path("4.0", kCaseB, TimingMode::accurate); }
TEST(TimingV4Vlpi, Gicv40CaseBFast) { vlpi_path("4.0", kCaseB, TimingMode::fast); }
TEST(TimingV4Vlpi, Gicv41CaseBAccurate) { vlpi_path("4.1", kCaseB, TimingMode::accurate); }
TEST(TimingV4Vlpi, Gicv41CaseBFast) { vlpi_path("4.1", kCaseB, TimingMode::fast); }

}  // namespace
