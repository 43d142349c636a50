// What the timing tests share: a whole System built from stated Params,
// the stage costs derived from those Params (documented formulas only, see
// the model headers cited next to each), and small helpers for the driver
// program. Header-only; each test executable elaborates one System per TEST.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "params.h"
#include "system.h"

namespace itsim::timing_test {

constexpr uint64_t kNs = 1000;   // ps
constexpr uint64_t kUs = 1000 * kNs;

using Settings = std::vector<std::pair<std::string, std::string>>;

// Stage costs in ps, from the parameters.
struct Costs {
    // Bus (bus.h): one hop per transaction, request and response together.
    uint64_t H = 0;
    // Memory (memory.h): latency + ceil(len / bytes_per_cycle) * clock.
    uint64_t mem_clk = 0, bpc = 1, RL = 0, WL = 0;
    // ITS (its.h, ItsTiming): cycles of the ITS clock.
    uint64_t REG = 0, ING = 0, DEC = 0, EXE = 0, LK = 0, HOP = 0;
    // Redistributor (redistributor.h, RedistTiming).
    uint64_t RLK = 0, UPD = 0, SIG = 0;
    // CPU interface (cpu_interface.h).
    uint64_t ACK = 0, HANDLER = 0;
    // Property bytes read per configuration-cache miss (lpi_state.h).
    uint64_t line = 1;
    // Pending-table coherence of the redistributors (redistributor.h).
    PendingTablePolicy pending_table = PendingTablePolicy::lazy;

    explicit Costs(const Params& p) {
        H = p.period_ps("bus.clock") * p.integer("bus.hop_cycles");
        mem_clk = p.period_ps("mem.clock");
        bpc = p.integer("mem.bytes_per_cycle");
        RL = p.picoseconds("mem.read_latency");
        WL = p.picoseconds("mem.write_latency");
        const uint64_t its = p.period_ps("its.clock");
        REG = its * p.integer("its.register_cycles");
        ING = its * p.integer("its.ingress_cycles");
        DEC = its * p.integer("its.decode_cycles");
        EXE = its * p.integer("its.execute_cycles");
        LK = its * p.integer("its.lookup_cycles");
        HOP = its * p.integer("its.hop_cycles");
        const uint64_t rd = p.period_ps("redist.clock");
        RLK = rd * p.integer("redist.lookup_cycles");
        UPD = rd * p.integer("redist.pending_cycles");
        SIG = rd * p.integer("redist.signal_cycles");
        ACK = p.picoseconds("cpu.ack_latency");
        HANDLER = p.picoseconds("cpu.handler_latency");
        line = p.integer("redist.config_line_bytes");
        pending_table = p.text("redist.pending_table") == "through" ? PendingTablePolicy::through
                                                                    : PendingTablePolicy::lazy;
    }
    uint64_t beats(uint64_t len) const { return (len + bpc - 1) / bpc * mem_clk; }
    // A read / write of len bytes through the bus on an idle memory.
    uint64_t rd(uint64_t len) const { return H + RL + beats(len); }
    uint64_t wr(uint64_t len) const { return H + WL + beats(len); }
    // The memory's service time (what the bus holds the port for).
    uint64_t service_rd(uint64_t len) const { return RL + beats(len); }
    // A property-table line read by the redistributor.
    uint64_t prop() const { return rd(line); }
    // lazy pending table (redistributor.h): what a SYNC to a redistributor
    // adds after its message, given the lengths of the runs of dirty
    // pending-table bytes it writes back (address order, one write each,
    // one after the other on the ITS's timeline). No dirty byte: nothing.
    uint64_t lazy_writeback(std::initializer_list<uint64_t> runs) const {
        uint64_t t = 0;
        for (uint64_t len : runs) t += wr(len);
        return t;
    }
    // GITS_CWRITER write leaving the driver -> the register changes (its.h:
    // "the register changes at the end of the access") and the engine starts.
    uint64_t kick() const { return H + REG; }
    // 32-byte command read.
    uint64_t fetch() const { return rd(32); }
};

// A System from stated settings, in one mode (and, if given, one
// pending-table policy: redist.pending_table).
struct Platform {
    Params p;
    std::unique_ptr<System> sys;

    Platform(TimingMode mode, const Settings& settings,
             std::optional<PendingTablePolicy> policy = std::nullopt) {
        for (const auto& kv : settings) p.set(kv.first, kv.second, "test");
        p.set("mode", mode == TimingMode::fast ? "fast" : "accurate", "test");
        if (policy) p.set("redist.pending_table", to_string(*policy), "test");
        sys = std::make_unique<System>(p);
        for (unsigned i = 0; i < sys->cpus(); ++i)
            if (policy) {
                EXPECT_EQ(sys->redist(i).config().pending_table, *policy);
            }
    }
    Costs costs() const { return Costs(p); }
    DriverAgent& driver() { return sys->driver(); }
    RunRecords& records() { return sys->records(); }

    // Run `program` in the driver agent after bring-up, until quiet.
    void run(std::function<void(DriverAgent&)> program) {
        sys->driver().set_program(std::move(program));
        sc_core::sc_start();
        ASSERT_EQ(sys->driver().setup_error(), "");
    }

    // A device's MSI, stamped as the trace replayer does (tag >= 1; call
    // expect_msis() with the total first).
    void msi(DriverAgent& d, uint32_t dev, uint32_t ev, uint64_t tag) {
        sys->note_msi_issued(tag, d.now_ps());
        d.send_msi(dev, ev, tag);
    }
    const RunRecords::Msi& msi_record(uint64_t tag) { return sys->records().msis.at(tag - 1); }

    const RunRecords::Command* command(unsigned seq) const {
        for (const auto& c : sys->records().commands)
            if (c.seq == seq && c.rec.done_ps != 0) return &c;
        return nullptr;
    }
    std::vector<AckRecord> acks(uint32_t intid) const {
        std::vector<AckRecord> v;
        for (const AckRecord& a : sys->records().acks)
            if (a.intid == intid) v.push_back(a);
        return v;
    }
    // GITS_CTLR.Enabled 1 -> 0 -> 1 empties the ITS caches (its_core.h).
    void flush_its_caches(DriverAgent& d) {
        const uint64_t ctlr = p.integer("its.base");
        d.store(ctlr, 0, 4);
        d.store(ctlr, 1, 4);
    }
};

// Commands.
using build::mapc;
using build::mapd;
using build::mapti;
using build::movi;
using build::sync;

inline ItsCommand make(ItsOpcode op) {
    ItsCommand c;
    c.opcode = uint8_t(op);
    return c;
}

// Append one command, publish it and wait for the queue to drain.
inline void one(DriverAgent& d, const ItsCommand& c, unsigned seq) {
    d.append_command(c, seq);
    d.wait_drained();
}

}  // namespace itsim::timing_test
