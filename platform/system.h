// A whole platform assembled from Params: RAM behind a bus, one ITS, one
// redistributor and one CPU interface per CPU, and the driver agent. The
// memory map is QEMU virt's (ram.base, its.base, redist.base/stride).
// Each model's config struct is filled from the parameters by name
// (system_config(), platform_config.h); System adds only what follows from
// the platform: the timing mode, the memory map, each redistributor's
// number and frame, the ITS's LPI INTID bits where others need them.
//
//   driver.cpu_port ─┐                         ┌─ RAM
//   driver.dev_port ─┤                         ├─ ITS (control + translation frame)
//   its.bus ─────────┼── Bus (decode, hop, ────┼─ GICR 0
//   gicr[i].bus ─────┘    occupancy per target)└─ GICR i ...
//   its.rd ─(LpiOp)──> gicr[i] ──(irq, RedistCpuIf)──> cpu[i]
//
// Models report what happened through callbacks; System keeps the records
// (RunRecords) for the event log, the statistics and the expect checks, or,
// streaming (set_stream: `itsim run` with gic.version 3), hands each to a
// RunStream (run_stream.h) as it comes and keeps none of them.
//
// Several ITSs (its.count = N): ITS n is "its<n>" ("its" when N = 1) at
// its.base + n x its frames, each bound to every redistributor, each with
// its own command queue in the driver agent. GICv4 (gic.version): the
// redistributor frames are 4 x 64 KiB (redist.stride 0x40000 unless set),
// a GICv4.1 ITS has 3 frames; derived defaults: platform_config.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "itsim/bus/bus.h"
#include "itsim/common/records.h"
#include "itsim/cpu/cpu_interface.h"
#include "driver.h"
#include "itsim/its/its.h"
#include "itsim/memory/memory.h"
#include "params.h"
#include "platform_config.h"
#include "itsim/redist/redistributor.h"

namespace itsim {

// Everything the models reported during a run, in the order reported.
struct RunRecords {
    struct Command {
        CommandRecord rec;
        unsigned seq = 0;         // trace cmd number (0: not from the trace)
        uint64_t issued_ps = 0;
        unsigned its = 0;         // the ITS that ran it
    };
    struct Msi {
        MsiRecord rec;
        uint64_t issued_ps = 0;   // the write left the device
        bool reported = false;
        // What the target redistributor did with it (LpiChange): newly
        // pending with a snapshot, or merged into a pending LPI.
        bool changed = false, is_new = false;
        uint8_t config = 0;
        bool config_valid = false;
        // GICv4: a virtual delivery (a virtual ITE): the vPE and vINTID,
        // whether the vPE was resident, the doorbell rung (0: none).
        bool is_virtual = false;
        uint32_t vpeid = 0, vintid = 0;
        bool resident = false;
        uint32_t doorbell = 0;
    };
    // A change of pending state that no msi record carries (LpiChange with
    // its cause resolved: seq = the trace cmd number when a command did it).
    struct Pend {
        LpiChange change;
        unsigned seq = 0;
        std::string cause;   // "INT", "MAPD", ... , "SETLPIR", "enable", ...
    };
    struct LpiWrite {
        uint64_t t_ps = 0;
        uint32_t intid = 0;
        uint8_t priority = 0;
        bool enable = false;
    };
    std::vector<Command> commands;
    std::vector<Msi> msis;              // index = tag - 1 (trace msi number - 1)
    std::vector<AckRecord> acks;
    std::vector<StallRecord> stalls;
    std::vector<DriverTimeout> timeouts;
    std::vector<DriverKick> kicks;
    std::vector<unsigned> stall_its;    // the ITS of each stall (parallel to stalls)
    std::vector<DriverResidency> residencies;   // GICv4: schedules and deschedules, in order
    std::vector<DriverVsgiRead> vsgi_reads;     // GICv4.1: vSGI read-backs, in order
    std::vector<LpiWrite> lpi_writes;
    // GICv4
    struct VlpiWrite {
        uint64_t t_ps = 0;
        uint32_t vpeid = 0, vintid = 0;
        uint8_t priority = 0;
        bool enable = false;
    };
    // A doorbell rang: the redistributor made vPE `vpeid`'s doorbell LPI pending.
    struct DoorbellRing {
        uint64_t t_ps = 0;
        unsigned cpu = 0;
        uint32_t vpeid = 0, intid = 0;
        uint32_t vintid = 0;   // the vLPI or vSGI that rang it
        bool vsgi = false;
    };
    std::vector<VlpiWrite> vlpi_writes;
    std::vector<DoorbellRing> doorbells;
    std::vector<VackRecord> vacks;      // virtual interrupts the CPUs took, at their EOI
    std::vector<ResidencyRecord> rd_residencies;   // the redistributors' side of each (de)schedule
    std::vector<Pend> pends;
};

class RunStream;

class System {
public:
    // Builds and binds every module. Throws ConfigError on a parameter
    // combination that cannot be built.
    explicit System(const Params& params);
    ~System();

    const Params& params() const { return params_; }
    // The structs the models were built from (`redist` before each
    // redistributor's own number and frame; redist(i).config() has those).
    const SystemConfig& config() const { return config_; }
    TimingMode mode() const { return mode_; }
    unsigned cpus() const { return unsigned(redists_.size()); }

    DriverAgent& driver() { return *driver_; }
    Its& its(unsigned n = 0) { return *its_.at(n); }
    unsigned its_count() const { return unsigned(its_.size()); }
    GicVersion version() const { return config_.platform.gic_version; }
    Memory& ram() { return *ram_; }
    Bus& bus() { return *bus_; }
    Redistributor& redist(unsigned i) { return *redists_.at(i); }
    // After the simulation stops: every redistributor runs what is due by
    // then (Redistributor::catch_up; only a coalescing one has any).
    void catch_up() {
        for (auto& rd : redists_) rd->catch_up();
    }
    CpuInterface& cpu(unsigned i) { return *cpus_.at(i); }

    RunRecords& records() { return records_; }
    // Reserve the record slots for `n` MSIs with their issue times (tags
    // are 1..n); nothing when streaming.
    void expect_msis(size_t n) {
        if (!stream_) records_.msis.resize(n);
    }
    // MSI `tag` left its device at t_ps; `grow`: a slot is made for a tag
    // past the reserved ones (a source's MSI).
    void note_msi_issued(uint64_t tag, uint64_t t_ps, bool grow = false);
    // Streaming: every record from now on goes to `s` (nullptr: kept here).
    // The GICv4 records (vlpi writes, doorbells, vacks, residencies, vSGI
    // read-backs) are kept here either way.
    void set_stream(RunStream* s) { stream_ = s; }
    bool streaming() const { return stream_ != nullptr; }

private:
    void on_command(const CommandRecord& r, unsigned its);
    void on_msi(const MsiRecord& r);
    void on_change(const LpiChange& c);
    void on_vchange(const VlpiChange& c);
    // GICv4: a doorbell rang; the redistributor's next change of that LPI
    // (its set_pending) is the doorbell's, whatever context it ran in.
    void on_doorbell(const DoorbellRecord& d);
    RunRecords::Msi* msi_slot(uint64_t tag);   // the record of MSI `tag`, or nullptr
    void msi_updated(uint64_t tag);
    RunStream* stream_ = nullptr;
    std::map<std::pair<uint32_t, uint32_t>, unsigned> doorbells_due_;   // (cpu, intid) -> rings not yet seen

    Params params_;
    SystemConfig config_;
    TimingMode mode_;
    std::unique_ptr<Memory> ram_;
    std::unique_ptr<Bus> bus_;
    std::vector<std::unique_ptr<Its>> its_;
    std::vector<std::unique_ptr<Redistributor>> redists_;
    std::vector<std::unique_ptr<CpuInterface>> cpus_;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irqs_;
    std::unique_ptr<DriverAgent> driver_;
    RunRecords records_;
};

}  // namespace itsim
