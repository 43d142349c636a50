// N cold MSIs in one cycle against the ITS's outstanding-read limit and the
// memory's service time, against a reference schedule computed from the
// rules (latency_stated.h, timing_env.h).
#include "latency_stated.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <set>
#include <sstream>

namespace {

// ---------------------------------------------------------------------------
// Contention: N cold MSIs in one cycle
// ---------------------------------------------------------------------------
// Each MSI misses the device, event and collection caches (distinct
// devices and collections, ITS caches emptied), so it makes three reads in
// sequence, each after a lookup. The LPIs were made pending (disabled)
// beforehand, so the redistributor only updates the pending state and adds
// no memory traffic: the memory sees the ITS's reads only.
//
// Rules (its.h, bus.h): the writes reach the ITS register_cycles apart (its
// MMIO port is busy that long per access); each starts ingress_cycles after
// it was accepted (one translation slot each); a read may be issued only
// while fewer than max_reads are in flight (in flight from issue until its
// response time; first come, first served); it reaches the memory one hop
// later and starts when the memory is free (busy_until: one service time
// per read); its response time is its end.
struct RefMsi {
    uint64_t accepted = 0, started = 0, stage[3] = {0, 0, 0}, pending = 0;
};
struct Reference {
    std::vector<RefMsi> msi;
    unsigned slot_waits = 0;      // reads that waited for a slot
    unsigned memory_queued = 0;   // reads that waited for the memory
    unsigned max_in_flight = 0;
    std::string ambiguity;        // two requests in one instant whose order the rules leave open
};

Reference contention_reference(uint64_t t0, unsigned n, unsigned max_reads, const Costs& c) {
    struct Req {
        uint64_t t;
        unsigned msi, stage;
    };
    Reference ref;
    ref.msi.resize(n);
    std::vector<Req> arrivals;
    for (unsigned k = 0; k < n; ++k) {
        ref.msi[k].accepted = t0 + c.H + k * c.REG;
        ref.msi[k].started = ref.msi[k].accepted + c.ING;
        arrivals.push_back({ref.msi[k].started + c.LK, k, 0});
    }
    const uint64_t service = c.service_rd(8);
    std::deque<Req> waiting;
    std::multiset<uint64_t> in_flight;   // response times
    uint64_t mem_busy = 0;
    std::set<uint64_t> issue_times;
    while (!arrivals.empty() || !waiting.empty()) {
        uint64_t now = UINT64_MAX;
        for (const Req& r : arrivals) now = std::min(now, r.t);
        if (!waiting.empty()) now = std::min(now, *in_flight.begin());
        bool released_now = false;
        while (!in_flight.empty() && *in_flight.begin() <= now) {
            released_now |= *in_flight.begin() == now;
            in_flight.erase(in_flight.begin());
        }
        std::vector<Req> fresh;
        for (size_t i = 0; i < arrivals.size();) {
            if (arrivals[i].t == now) {
                fresh.push_back(arrivals[i]);
                arrivals.erase(arrivals.begin() + long(i));
            } else {
                ++i;
            }
        }
        if (fresh.size() > 1) ref.ambiguity = "two reads requested at " + std::to_string(now) + " ps";
        // Tickets keep this one's order (first come, first served), but
        // whether the new one counts as having waited depends on which
        // thread the kernel resumes first.
        if (!fresh.empty() && !waiting.empty() && released_now)
            ref.ambiguity = "a read requested as a slot is released to a waiting one, at " + std::to_string(now) + " ps";
        for (const Req& r : fresh) waiting.push_back(r);
        while (!waiting.empty() && in_flight.size() < max_reads) {
            const Req q = waiting.front();
            waiting.pop_front();
            if (q.t < now) ++ref.slot_waits;
            const uint64_t arrival = now + c.H;
            const uint64_t start = std::max(arrival, mem_busy);
            if (start > arrival) ++ref.memory_queued;
            const uint64_t end = start + service;
            mem_busy = end;
            in_flight.insert(end);
            ref.max_in_flight = std::max(ref.max_in_flight, unsigned(in_flight.size()));
            RefMsi& m = ref.msi[q.msi];
            m.stage[q.stage] = end;
            if (q.stage < 2) arrivals.push_back({end + c.LK, q.msi, q.stage + 1});
            else m.pending = end + c.HOP + c.UPD;   // already pending: pending update only
        }
    }
    return ref;
}

TEST(TimingContention, ColdMsisInOneCycleFollowTheReadLimitAndTheMemory) {
    constexpr unsigned kN = 8, kMaxReads = 3;
    const Settings s = {
        {"cpus", "2"},
        {"bus.hop_cycles", "13"},          // a long interconnect: the read limit shows
        {"mem.read_latency", "5ns"},
        {"mem.bytes_per_cycle", "8"},      // 8-byte read: 5 + 1 = 6 ns of service
        {"its.max_reads", "3"},
        {"its.translation_slots", "8"},    // one slot per MSI: the reads are the limit
        {"its.register_cycles", "3"},
        {"its.ingress_cycles", "2"},
        {"its.lookup_cycles", "1"},
        {"its.hop_cycles", "4"},
        {"redist.pending_cycles", "2"},
    };
    Platform pl(TimingMode::accurate, s);
    const Costs c = pl.costs();
    ASSERT_EQ(pl.p.integer("its.max_reads"), kMaxReads);
    unsigned max_reads_seen = 0;
    pl.sys->its().on_probe = [&] {
        max_reads_seen = std::max(max_reads_seen, pl.sys->its().probe().reads_in_flight);
    };
    uint64_t t0 = 0, waits0 = 0, already0 = 0;
    pl.sys->expect_msis(2 * kN);
    auto dev = [](unsigned k) { return 10 + k; };
    auto lpi = [](unsigned k) { return 8192 + 16 * k; };
    pl.run([&](DriverAgent& d) {
        for (unsigned k = 0; k < kN; ++k) {
            d.append_command(mapc(1 + k, 1), 0);
            d.append_command(mapd(dev(k), ram(pl, 0x200000 + k * 0x1000), 0), 0);
            d.append_command(mapti(dev(k), 0, lpi(k), 1 + k), 0);
        }
        d.wait_drained();
        // Make every LPI pending (disabled: never taken), one at a time.
        for (unsigned k = 0; k < kN; ++k) {
            d.advance_to(20 * kUs + k * kUs);
            pl.msi(d, dev(k), 0, 1 + k);
        }
        d.advance_to(40 * kUs);
        pl.flush_its_caches(d);
        d.advance_to(50 * kUs);
        t0 = d.now_ps();
        waits0 = pl.sys->its().stats().read_slot_waits;
        already0 = pl.sys->redist(1).stats().already_pending;
        for (unsigned k = 0; k < kN; ++k) pl.msi(d, dev(k), 0, kN + 1 + k);
    });

    const Reference ref = contention_reference(t0, kN, kMaxReads, c);
    ASSERT_EQ(ref.ambiguity, "") << "the stated parameters leave an order open";
    // The parameters make both limits matter.
    EXPECT_GT(ref.slot_waits, 0u);
    EXPECT_GT(ref.memory_queued, 0u);
    const Reference unlimited = contention_reference(t0, kN, 1000, c);
    EXPECT_NE(unlimited.msi.back().pending, ref.msi.back().pending);

    std::ostringstream table;
    table << "msi expected(device,event,collection,pending) got(...)\n";
    std::vector<std::pair<uint64_t, unsigned>> order_model, order_ref;
    for (unsigned k = 0; k < kN; ++k) {
        const RunRecords::Msi& m = pl.msi_record(kN + 1 + k);
        const RefMsi& r = ref.msi[k];
        table << k << "  " << r.stage[0] << " " << r.stage[1] << " " << r.stage[2] << " " << r.pending << "   "
              << m.rec.device_ps << " " << m.rec.event_ps << " " << m.rec.collection_ps << " " << m.rec.pending_ps
              << "\n";
        ASSERT_TRUE(m.reported) << k;
        EXPECT_TRUE(m.rec.delivered) << k << " " << m.rec.reason;
        EXPECT_EQ(m.rec.table_reads, 3u) << k;
        EXPECT_FALSE(m.rec.device_hit || m.rec.event_hit || m.rec.collection_hit) << k;
        EXPECT_EQ(m.issued_ps, t0) << k;
        EXPECT_EQ(m.rec.accepted_ps, r.accepted) << k;
        EXPECT_EQ(m.rec.started_ps, r.started) << k;
        EXPECT_EQ(m.rec.device_ps, r.stage[0]) << k;
        EXPECT_EQ(m.rec.event_ps, r.stage[1]) << k;
        EXPECT_EQ(m.rec.collection_ps, r.stage[2]) << k;
        EXPECT_EQ(m.rec.pending_ps, r.pending) << k;
        order_model.push_back({m.rec.pending_ps, k});
        order_ref.push_back({r.pending, k});
    }
    std::sort(order_model.begin(), order_model.end());
    std::sort(order_ref.begin(), order_ref.end());
    EXPECT_EQ(order_model, order_ref) << "completion order";
    SCOPED_TRACE(table.str());
    EXPECT_EQ(max_reads_seen, kMaxReads);
    EXPECT_EQ(ref.max_in_flight, kMaxReads);
    EXPECT_EQ(pl.sys->its().stats().read_slot_waits - waits0, ref.slot_waits);
    EXPECT_EQ(pl.sys->redist(1).stats().already_pending - already0, kN);
    if (HasFailure()) std::fprintf(stderr, "%s", table.str().c_str());
}

}  // namespace
