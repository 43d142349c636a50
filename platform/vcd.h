// Waveforms: `itsim run --vcd FILE`.
//
// Signals (VCD scopes follow the dots; width in brackets). "sampled": the
// value at the end of each kernel time step in which it changed; "stamped":
// written at the time the model stamped, known only afterwards.
//
//   cpuN.irq                  [1]  stamped  the redistributor's interrupt line to CPU N
//                                           (Redistributor::on_line: its edges at their
//                                           times, also when it coalesces)
//   cpuN.intid                [32] stamped  the LPI CPU N is handling: from its ICC_IAR1
//                                           read (AckRecord.t_ps) to its EOI (eoi_ps);
//                                           z while no handler runs
//   gicrN.pending             [24] stamped  LPIs pending at redistributor N, after each
//                                           change (Redistributor::on_count)
//   its.enabled               [1]  sampled  GITS_CTLR.Enabled
//   its.cmdq.creadr           [20] sampled  GITS_CREADR.Offset (bytes into the queue)
//   its.cmdq.cwriter          [20] sampled  GITS_CWRITER.Offset
//   its.cmdq.occupancy        [16] sampled  commands between CREADR and CWRITER
//   its.cmdq.stalled          [1]  sampled  GITS_CREADR.Stalled
//   its.engine.state          [2]  sampled  0 idle, 1 fetching, 2 executing, 3 stalled
//   its.engine.opcode         [8]  sampled  opcode of the command executing (or last executed)
//   its.xlate.ingress         [16] sampled  MSIs waiting in the ingress FIFO
//   its.xlate.active          [16] sampled  translation workers busy
//   its.mem.reads             [16] sampled  ITS bus reads in flight
//   its.mem.writes            [16] sampled  ITS bus writes in flight
//   its.cache.{device,event,collection}.{hits,misses}
//                             [32] sampled  cumulative lookup counters of the ITS caches
//   bus.T.busy                [1]  stamped  a request to bus target T (ram, its, gicrN)
//                                           is being served or queued: from its start
//                                           (busy_until minus the service time added)
//                                           to the target's busy_until
// With gic.version 4.0 or 4.1 the virtual path's signals follow these
// (vcd_v4.h: cpuN.virq, cpuN.vintid, gicrN.vpe.*, gicrN.doorbells, vpeV.cpu).
//
// How, and what it costs. Without --vcd nothing here exists (run.cpp makes
// no VcdTracer). With it, the signals are registered with sc_trace() on a
// VcdWriter: an sc_trace_file of this project that the kernel cycles once
// per time step, like SystemC's own VCD file, but which
//   - compares its handful of traced values with a load and a compare each
//     (SystemC's writer formats every time stamp through a stringstream:
//     about 4,000 instructions per time step with a change);
//   - also takes value changes with their own time stamps (stamped signals:
//     an acknowledge is reported at its EOI; a bus target's busy period
//     ends at busy_until, in the future when the request is seen), keeps
//     every change in a time-ordered buffer and writes a change once no
//     earlier one can still arrive (`lag` of simulated time: the CPU's
//     handler and acknowledge latency). Memory is bounded by the changes of
//     that window; the file is written as the simulation goes;
//   - writes no date, so two runs of the same trace and parameters give
//     byte-identical files.
// Sampled values are updated only where they change: the ITS's on_probe
// callback (ITS values) and one hook per time step (bus statistics: a few
// loads per bus target). No process,
// no event, nothing per cycle.
// ITS values are taken when the ITS calls on_probe, at kernel time; the
// calling thread's own Timeline can be ahead of it (in accurate mode by up
// to the access it just made: a command is shown executing from the kernel
// time of its fetch report, up to one memory read before its fetched_ps).
// ItsProbe carries no time stamp; with one, these would be stamped too.
// Fast mode: model threads run ahead of kernel time (temporal decoupling),
// so sampled values move at the kernel time their thread reported them
// (quantum granularity), and table walks use DMI, which the bus does not
// see. The file's $comment says so.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <systemc>

namespace itsim {

class System;
class VcdV4;

// A VCD file driven by the kernel (register it with
// sc_get_curr_simcontext()->add_trace_file()) or by calling step().
class VcdWriter : public sc_core::sc_trace_file {
public:
    static constexpr uint64_t kZ = ~uint64_t{0};   // a stamped change to z (all bits)

    // Opens `path` (std::runtime_error "PATH: error: ..." if it cannot).
    // Times are written in ps. `comment` goes into the header.
    VcdWriter(const std::string& path, const std::string& comment);
    ~VcdWriter() override;

    // sc_trace() support: bool and unsigned integers (width as given, at
    // most 64). Other types are refused with a SystemC warning.
    void trace(const bool& object, const std::string& name) override;
    void trace(const unsigned char& object, const std::string& name, int width) override;
    void trace(const unsigned short& object, const std::string& name, int width) override;
    void trace(const unsigned int& object, const std::string& name, int width) override;
    void trace(const unsigned long& object, const std::string& name, int width) override;
    void trace(const sc_dt::uint64& object, const std::string& name, int width) override;

    // A stamped variable: its value changes are given with change().
    // `initial` may be kZ. Returns its handle.
    uint32_t add_stamped(const std::string& name, unsigned width, uint64_t initial);
    // Stamped change at `t_ps` (>= now - lag; an earlier one is written at
    // the earliest time still open and counted in late_changes()).
    void change(uint64_t t_ps, uint32_t var, uint64_t value);

    // Called at the start of each step(), before the traced values are read.
    void set_step_hook(std::function<void(uint64_t now_ps)> hook) { hook_ = std::move(hook); }
    // How far behind `now` stamped changes may arrive.
    void set_lag(uint64_t ps) { lag_ps_ = ps; }
    // Write nothing at or after `t_ps` yet (kNoHold: no hold): a change
    // known to be coming with an older time stamp than the lag allows.
    static constexpr uint64_t kNoHold = ~uint64_t{0};
    void set_hold(uint64_t t_ps) { hold_ps_ = t_ps; }

    // One time step at `now_ps`: hook, compare the traced values, write
    // every change older than now - lag. The kernel calls it through
    // cycle(); tests may call it directly (times must not decrease).
    void step(uint64_t now_ps);
    // Last step at `now_ps`, write everything, a final time marker, close.
    // Throws std::runtime_error on an I/O error. Idempotent.
    void finish(uint64_t now_ps);

    uint64_t late_changes() const { return late_; }
    size_t variables() const { return vars_.size(); }

    // The rest of sc_trace_file: types not traced here.
#define ITSIM_VCD_REFUSE_A(tp) void trace(const tp&, const std::string& name) override { refuse(name); }
#define ITSIM_VCD_REFUSE_B(tp) \
    void trace(const tp&, const std::string& name, int) override { refuse(name); }
    ITSIM_VCD_REFUSE_A(sc_core::sc_event)
    ITSIM_VCD_REFUSE_A(sc_core::sc_time)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_bit)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_logic)
    ITSIM_VCD_REFUSE_B(char)
    ITSIM_VCD_REFUSE_B(short)
    ITSIM_VCD_REFUSE_B(int)
    ITSIM_VCD_REFUSE_B(long)
    ITSIM_VCD_REFUSE_B(sc_dt::int64)
    ITSIM_VCD_REFUSE_A(float)
    ITSIM_VCD_REFUSE_A(double)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_int_base)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_uint_base)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_signed)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_unsigned)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_fxval)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_fxval_fast)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_fxnum)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_fxnum_fast)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_bv_base)
    ITSIM_VCD_REFUSE_A(sc_dt::sc_lv_base)
#undef ITSIM_VCD_REFUSE_A
#undef ITSIM_VCD_REFUSE_B
    void trace(const unsigned int&, const std::string& name, const char**) override { refuse(name); }
    void write_comment(const std::string&) override {}
    void set_time_unit(double, sc_core::sc_time_unit) override {}

protected:
    void cycle(bool delta_cycle) override;

private:
    struct Var {
        std::string name;
        unsigned width = 1;
        std::string id;
        const void* object = nullptr;   // sampled: what it reads; stamped: nullptr
        uint8_t size = 0;               // bytes of *object; 0 for bool
        uint64_t value = 0;             // last value taken (sampled) or initial (stamped)
    };
    struct Change {
        uint64_t t, seq;
        uint32_t var;
        uint64_t value;
        bool operator>(const Change& o) const { return t != o.t ? t > o.t : seq > o.seq; }
    };

    void add_sampled(const void* object, uint8_t size, const std::string& name, int width);
    void refuse(const std::string& name);
    uint64_t read(const Var& v) const;
    void write_header();
    void flush_before(uint64_t t, bool all);
    void put_change(const Var& v, uint64_t value);
    void put_time(uint64_t t);
    void drain();   // the output buffer to the file
    static constexpr size_t kFlushAt = 1 << 20;

    std::string path_, comment_;
    std::FILE* fp_ = nullptr;
    std::string out_;                 // output not yet handed to the file
    std::vector<Var> vars_;
    std::vector<uint32_t> sampled_;   // indices of sampled variables
    std::priority_queue<Change, std::vector<Change>, std::greater<Change>> pending_;   // stamped
    std::deque<Change> sampled_changes_;   // sampled: made in time order, so a queue
    std::function<void(uint64_t)> hook_;
    uint64_t lag_ps_ = 0, seq_ = 0, late_ = 0, hold_ps_ = kNoHold;
    bool started_ = false, finished_ = false;
    bool time_written_ = false;
    uint64_t written_t_ = 0;          // last time marker written
};

// Everything --vcd traces on a System (see the list above).
class VcdTracer {
public:
    // After the System is built, before sc_start. Throws std::runtime_error
    // ("PATH: error: ...") if `path` cannot be written.
    VcdTracer(System& sys, const std::string& path);
    ~VcdTracer();
    VcdTracer(const VcdTracer&) = delete;
    VcdTracer& operator=(const VcdTracer&) = delete;

    // After the simulation: write the last time step and close the file.
    void finish();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace itsim
