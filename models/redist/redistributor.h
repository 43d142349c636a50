// Redistributor: the LPI part of one GICv3 redistributor (one per CPU).
//
//   mmio   target socket (BUSWIDTH 32, blocking b_transport, no DMI): the
//          GICR frames, RD_base (64 KiB) + SGI_base (64 KiB) = 128 KiB, with
//          GICv4 + VLPI_base + a reserved frame = 256 KiB; offsets relative
//          to RD_base.
//   bus    initiator socket: property-table reads and pending-table
//          reads/writes in guest memory (through a BusMaster).
//   irq    sc_out<bool>: the interrupt line to the CPU interface (high while
//          an enabled LPI is pending, after the signal latency).
//   LpiStreamIf (models/common/lpi_stream.h): the ITS's messages (LpiOp),
//          delivered on the ITS thread's Timeline. Bind it to the ITS's
//          multi-port once per redistributor, in redistributor-index
//          order: `its.rd(redist0); its.rd(redist1); ...`. deliver() runs
//          the physical kinds as the calls below (set_pending with
//          op.posted: recorded pending at its time by this module's
//          method, the caller never waits) and hands the virtual kinds to
//          deliver_virtual() (redist_virtual.cpp).
//   RedistCpuIf (redist_cpu_if.h): what the CPU interface calls; this
//          redistributor accepts direct drive of one CPU interface
//          (attach_cpu): its method calls the CPU at the line's rising edge
//          and at the times the CPU asks for (wake_cpu_at).
// Behaviour (pending set, priority order, configuration cache, pending-table
// coherence) is LpiState (lpi_state.h); this module adds the registers,
// the bus, and time.
//
// ---------------------------------------------------------------------------
// Registers: GicrRegs (gicr_regs.h), plain C++, holds the GICR register
// file as a table - offsets, access classes, fields and semantics are listed
// there - and the access routine every frame shares (common/reg_frame.h).
// This module owns the sockets, the time and what blocks: the register file
// calls it back (GicrOwner) for EnableLPIs 0 -> 1 and 1 -> 0, SETLPIR,
// CLRLPIR and a SYNCR read, and asks it whether LPIs are enabled.
//   0x0000 GICR_CTLR RW   0x0004 GICR_IIDR RO    0x0008 GICR_TYPER RO 64
//   0x0010 GICR_STATUSR RAZ/WI  0x0014 GICR_WAKER RW
//   0x0040 GICR_SETLPIR WO 64   0x0048 GICR_CLRLPIR WO 64
//   0x0070 GICR_PROPBASER RW 64 0x0078 GICR_PENDBASER RW 64
//   0x00A0 GICR_INVLPIR WO 64   0x00B0 GICR_INVALLR WO 64
//   0x00C0 GICR_SYNCR RO        0xFFE8 GICR_PIDR2 RO
// GICR_TYPER, as this module lays it out: PLPIS[0]=1, VLPIS[1]=0, Dirty[2]=0,
// DirectLPI[3]=1, Last[4]=config.last, Processor_Number[23:8],
// CommonLPIAff[25:24]=0 (software shares one property table; every RD still
// has its own GICR_PROPBASER), PPInum=0, Affinity[63:32]=config.affinity.
// The bad-access rule (reg_frame.h, the same as the ITS's): an access size,
// an alignment or an offset that reaches no register (anything in SGI_base)
// reads 0, changes nothing, gets TLM_OK_RESPONSE and is counted
// (RedistStats::bad_accesses). An address past 128 KiB, byte enables, a
// streaming width below the length, no data pointer or an unknown command
// get an error response (reg_frame_tlm.h), also counted, at no cost.
// TLM_IGNORE_COMMAND: OK, nothing done, costs mmio_cycles. Debug transport
// reads any length and alignment without side effects (SYNCR reads 0
// without doing the work) and ignores writes.
//
// LPI range: 8192 <= INTID < 2^(min(PROPBASER.IDbits, max_id_bits - 1) + 1),
// latched at EnableLPIs 0 -> 1; PROPBASER.IDbits < 13 leaves no LPI.
//
// EnableLPIs 0 -> 1: the property table is at PROPBASER.PA, the pending
// table at PENDBASER.PA. Unless PTZ was written as 1, the pending table is
// read in bursts of pending_read_burst bytes from byte 1024 (INTIDs below
// 8192 are ignored) to its end, 2^(bits)/8 bytes (at most 2 MiB with the
// largest max_id_bits, 8 KiB by default), and the configuration of each
// pending LPI is looked up. The write returns when that is done.
// EnableLPIs 1 -> 0 (only if allow_disable; otherwise the bit is RES1 once
// set and the write is ignored): queued pending-table writes are done, the
// byte of every pending LPI is written again (full write-back), then the
// pending state, the configuration cache and queued invalidations are
// dropped and the line falls. The write returns when that is done, so RWP
// always reads 0 (software waiting for RWP == 0 never waits).
//
// ---------------------------------------------------------------------------
// Pending-table coherence: RedistConfig::pending_table chooses when the
// pending table in memory learns of changes of pending state (set, clear,
// acknowledge, MOVALL). Either way the byte written is computed from the
// state at the moment of the write (no read), memory is exact after a SYNC
// (the ITS's sync()) or a GICR_SYNCR read to this redistributor and after
// EnableLPIs 1 -> 0, and a failed write is counted (LpiStats) and not
// retried.
//   lazy (default): the redistributor owns the pending state while
//     EnableLPIs = 1 (IHI 0069: the table need not reflect it while LPIs
//     are enabled). It remembers the bytes whose state differs from memory
//     (LpiState net tracking: an LPI set and then acknowledged or cleared
//     leaves nothing to write) and writes them back, in address order,
//     adjacent dirty bytes of one aligned 64-byte line in one write, on the
//     timeline of the caller that makes memory exact:
//       - sync() and a GICR_SYNCR read, before they return;
//       - EnableLPIs 1 -> 0 (then the full write-back below);
//       - overflow: a set_pending, clear_pending or take_all_pending (so
//         also SETLPIR/CLRLPIR, MOVALL) that leaves more than
//         lazy_dirty_limit bytes dirty writes them all back before it
//         returns (a burst charged to that caller: an MSI's pending_ps then
//         includes it). acknowledge() never writes (it never blocks), nor
//         does the recording of a posted LPI; a limit they pass is
//         caught by the next of those calls.
//     Nothing runs for the pending table otherwise (no process, no event).
//   through: write-through with a write buffer: every change marks the
//     byte INTID/8 dirty and posts it (LpiState queue tracking: coalesced,
//     a byte changed twice before it is written is written once, with the
//     latest value). The writes start at the poster's time, one after the
//     other (one byte each). fast mode: the poster issues them at once
//     through the bus (BusMaster::post: never DMI, so that they occupy the
//     memory port as in accurate mode) with their start time as the
//     annotated delay, on a timeline of their own (posted: the poster's
//     time is not charged). accurate mode: the same for the first byte
//     when the poster is at its time (no local offset) and the buffer is
//     idle; otherwise, and for the bytes after it, the buffer's thread
//     issues them at their time. Either way a posted write reaches the bus
//     before the poster's next access of the same instant, so both modes
//     give the same times on an idle system.
//     sync() and a GICR_SYNCR read write whatever is still queued on the
//     caller's timeline and then return no earlier than the completion of
//     every pending-table write issued so far. So memory always converges
//     to the state.
// Either way the redistributor has one pending-table write in flight at a
// time: a write starts no earlier than the completion of the previous one.
//
// Configuration: read from the property table through the bus on a cache
// miss, config_line_bytes at a time (default 1; see lpi_state.h for the
// line fill); visible to an LPI already pending only after INV/INVALL
// (from the ITS) or INVLPIR/INVALLR + SYNCR. A failed property read leaves
// the LPI pending but not selectable until it is invalidated.
//
// ---------------------------------------------------------------------------
// Time. All cycles are of clock_period; the ITS's ops charge the caller's
// Timeline; MMIO accesses charge the initiator's delay (tlm LT style).
//   set_pending   config_lookup (+ property read on a miss) + pending_update;
//                 an LPI already pending: pending_update only;
//                 a refusal costs nothing. The caller then waits until the
//                 end of the update (both modes), when the LPI is recorded.
//   set_pending with `posted` (op.posted): the same costs,
//                 refusals and code up to the end of the update; the
//                 caller does not wait: the decision is made and the LPI
//                 recorded at the end of its update by tick() (one more
//                 activation of the method, at that time).
//   clear_pending pending_update (nothing when refused)
//   inv           config_lookup; if the LPI is pending + property read +
//                 pending_update
//   invall        per pending LPI: config_lookup + read (or line hit) +
//                 pending_update
//   take_all_pending  pending_update per LPI taken
//   sync          lazy: the write-back, one bus write per run of dirty
//                 bytes (see above), nothing if none is dirty; through: the
//                 queued writes, then until the write buffer is done
//   acknowledge   free (the CPU interface's ack latency covers it)
//   MMIO access   mmio_cycles, plus what the register does (as above;
//                 SETLPIR/CLRLPIR cost what set/clear_pending cost)
// The line rises signal_cycles after the pending update that made an LPI
// selectable while the line was low; it falls when nothing is selectable
// (at the caller's time). A higher-priority LPI arriving while the line is
// high does not toggle it: the next acknowledge returns it.
// The directly driven CPU (attach_cpu) shares the line's event: one method
// (tick) drives the line and wakes the CPU. Its acknowledge happens inside
// that method, so a line that falls then falls in the same activation (no
// second one); per interrupt: the rise, the acknowledge, the EOI.
// Events (without coalescing, see below): one sc_event (the line and the CPU's wake-ups) per
// redistributor, armed at most once, one SC_METHOD (tick); one
// SC_THREAD (the write buffer), idle unless there is something to write
// (only `through` in accurate mode, with the buffer busy or several bytes
// to write, ever wakes it). No process runs per
// cycle or per LPI.
//
// Coalescing (RedistConfig::coalesce, redist_coalesce.cpp; the platform
// sets it, in both timing modes). Where the results cannot change - a CPU
// interface driven directly, the line's signal not traced with sc_trace
// (trace_line(); the waveform takes on_line instead), the lazy pending
// table, GICv3 - the method's steps (a posted LPI recorded, the line
// rising and falling, the CPU's acknowledge and EOI) are the same, each at
// its own time, but the kernel runs the method only at a step that is
// certain to come: the EOI of the interrupt the CPU handles or takes next
// (CpuLink::plan). A lone MSI to an idle CPU is then one activation (at
// its EOI) instead of four in fast mode, three in accurate. The steps
// before it run in that activation, or earlier in any entry point (the
// ITS's stream, MMIO), which first runs every step due by the kernel's
// time, keeps every step at its time while it is inside (it may wait) and
// re-arms when it leaves; catch_up() runs them when a run stops at its
// time limit. Certain, because until then nothing reaches this
// redistributor but its own steps: posted LPIs only add pending state,
// only the CPU takes it away, and no step writes memory (coalescing waits
// while the dirty bytes could overflow lazy_dirty_limit). What differs:
// RedistStats::activations; the irq signal, written only from the method,
// follows the line once per activation (on_line has every edge at its
// time); reports (on_change, on_count, on_line, the CPU's on_ack) come
// when the step runs, with its time, at most a signal latency, an
// acknowledge and a handler late (reports_from_ps() says how far behind a
// redistributor is); and, since the kernel's timed events differ, the
// order in which the kernel runs other processes at one and the same
// instant (two MSIs of two sources at one picosecond, two CPUs'
// acknowledges at one picosecond may swap in the event log), as any
// change of the kernel's work may.
//
// Accurate mode and blocking: bus accesses wait out the caller's local time
// first (BusMaster's rule), so the ITS's ops (not a posted set_pending),
// and MMIO accesses that
// touch memory (EnableLPIs 0 -> 1 without PTZ, disabling, SYNCR with work
// queued), may block and must come from a thread. acknowledge() and
// end_of_interrupt() never block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "itsim/common/bus_master.h"
#include "itsim/common/config_fields.h"
#include "itsim/common/gic_version.h"
#include "itsim/common/lpi_stream.h"
#include "itsim/common/records.h"
#include "itsim/common/timeline.h"
#include "itsim/redist/gicr_regs.h"
#include "itsim/redist/lpi_state.h"
#include "itsim/redist/redist_config.h"
#include "itsim/redist/redist_cpu_if.h"

namespace itsim {

class VpeState;
struct VirtualStats;

class Redistributor : public sc_core::sc_module, public LpiStreamIf, public RedistCpuIf {
public:
    tlm_utils::simple_target_socket<Redistributor> mmio;
    tlm_utils::simple_initiator_socket<Redistributor> bus;
    sc_core::sc_out<bool> irq;

    // Optional: every change of pending state, at its time (see LpiChange).
    std::function<void(const LpiChange&)> on_change;
    // Optional (the waveform): the line's level at each change and the
    // number of pending LPIs after each change, at their times (with
    // coalescing, reported when the step runs, later than its time).
    std::function<void(uint64_t t_ps, bool level)> on_line;
    std::function<void(uint64_t t_ps, size_t pending)> on_count;
    // GICv4 (optional): every residency change (once its memory work is
    // done), every doorbell rung, every virtual change of pending state.
    std::function<void(const ResidencyRecord&)> on_residency;
    std::function<void(const DoorbellRecord&)> on_doorbell;
    std::function<void(const VlpiChange&)> on_vchange;

    SC_HAS_PROCESS(Redistributor);
    // Throws std::invalid_argument on a bad configuration.
    Redistributor(sc_core::sc_module_name name, const RedistConfig& cfg = RedistConfig(),
                  const RedistTiming& timing = RedistTiming());

    // ---- LpiStreamIf (the ITS's `rd` port) ----
    uint32_t processor_number() const override { return cfg_.processor_number; }
    uint64_t rd_base() const override { return cfg_.rd_base; }
    // The physical kinds as the calls below; the virtual ones: deliver_virtual().
    LpiResult deliver(const LpiOp& op, Timeline& tl) override;

    // ---- The physical operations (deliver's, SETLPIR/CLRLPIR/SYNCR's) ----
    // set_pending: `posted` = the caller never waits, the LPI is recorded
    // at the end of its update by tick() (lpi_stream.h, fast mode's inline
    // MSIs).
    LpiRefusal set_pending(uint32_t intid, Timeline& tl, bool posted = false);
    bool clear_pending(uint32_t intid, Timeline& tl);
    void inv(uint32_t intid, Timeline& tl);
    void invall(Timeline& tl);
    void sync(Timeline& tl);
    std::vector<uint32_t> take_all_pending(Timeline& tl);

    // ---- Coalescing (redist_coalesce.cpp) ----
    // Something watches the irq signal itself (sc_trace, a method on its
    // edges): every step then runs at its time. Call before the simulation
    // starts.
    void trace_line() { line_traced_ = true; }
    // Whether this redistributor coalesces (known once the simulation has started).
    bool coalescing() const { return coalesce_; }
    // Run every step that is due by now (after sc_start returns with time
    // left: a run stopped at its time limit). Nothing otherwise.
    void catch_up();
    // The time of the step this redistributor runs (inside one) or will
    // run next, if behind the kernel's, else the kernel's time, in ps: its
    // reports and its CPU's come no earlier than that (a step's acknowledge
    // record: at most a handler's time earlier, as always).
    uint64_t reports_from_ps() const;

    // ---- RedistCpuIf (the CPU interface) ----
    bool attach_cpu(CpuLink* cpu) override;   // one CPU; direct drive (redist_cpu_if.h)
    void wake_cpu_at(const sc_core::sc_time& t) override;
    bool line_level() const override { return irq_level_; }
    uint32_t acknowledge(Timeline& tl) override;
    uint64_t last_ack_signalled_ps() const override { return last_ack_signalled_ps_; }
    bool ack_again() const override { return ack_again_; }
    uint8_t last_ack_priority() const override { return last_ack_config_ & lpi::kPropPriorityMask; }
    uint8_t highest_pending_priority() const override;   // redist_cpu_side.cpp
    void end_of_interrupt(uint32_t intid) override;

    // ---- RedistCpuIf, the virtual side (GICv4; redist_vline.cpp) ----
    bool vline_level() const override;
    uint32_t acknowledge_virtual(Timeline& tl) override;
    uint32_t last_vack_vpeid() const override;
    uint64_t last_vack_signalled_ps() const override;
    uint8_t last_vack_priority() const override;
    bool vack_again() const override;
    uint8_t highest_pending_vpriority() const override;
    void end_of_virtual_interrupt(uint32_t vintid) override;

    // ---- Configuration input ----
    // Change the pending-table policy; only while EnableLPIs == 0 (like a
    // tie-off read at enable). Returns false (nothing changes) otherwise.
    bool set_pending_table(PendingTablePolicy p);

    // ---- Inspection ----
    const RedistConfig& config() const { return cfg_; }
    const RedistTiming& timing() const { return timing_; }
    bool lpis_enabled() const { return enabled_; }
    uint64_t propbaser() const { return regs_.propbaser(); }
    uint64_t pendbaser() const { return regs_.pendbaser(); }
    const GicrRegs& registers() const { return regs_; }
    uint64_t typer() const;
    // First INTID past the LPI range (latched at enable; 0 while disabled).
    uint64_t intid_limit() const { return enabled_ ? lpi_.intid_limit() : 0; }
    uint32_t highest_pending() const { return lpi_.highest(); }
    bool irq_level() const { return irq_level_; }
    const LpiState& lpis() const { return lpi_; }
    const RedistStats& stats() const { return stats_; }
    const BusMasterStats& bus_stats() const { return bm_.stats(); }
    // GICv4: the virtual side (vpe_state.h) and its counters; null with GICv3.
    const VpeState* virtual_state() const;
    const VirtualStats* virtual_stats() const;
    // Completion time of the latest pending-table write issued.
    sc_core::sc_time writes_done_at() const { return write_done_at_; }

private:
    class Port;
    class PostPort;
    friend class Port;
    friend class PostPort;

    // Whether LPIs are enabled at the caller's time. The kernel's time can
    // be behind it (fast mode's command engine runs ahead), and another
    // initiator's GICR_CTLR write before the caller's time may not have run
    // yet: a caller with time owed that may wait catches up first when LPIs
    // look disabled. Every operation of the ITS's stream asks this first.
    bool enabled_at(Timeline& tl);
    // Why an LPI cannot be made pending here, LPIs being `enabled` or not,
    // or none; a refusal is counted and reported (refused, at `at`).
    LpiRefusal refusal(uint32_t intid, bool enabled, uint64_t cause, const sc_core::sc_time& at);
    // The decision at the end of a set_pending's update, posted or not
    // (LpiState::commit_pending): counted and reported (refused, merge,
    // set) with `cause` at t_ps; a new pending LPI updates the line and the
    // pending table on *tl (null: tick()'s no-wait timeline). false: refused.
    bool decide_pending(uint32_t intid, const LpiState::Prepared& p, uint64_t cause, uint64_t t_ps, Timeline* tl);
    // The virtual kinds of the stream (redist_virtual.cpp); GICv3:
    // `unsupported`.
    LpiResult deliver_virtual(const LpiOp& op, Timeline& tl);
    // on_count, if set and the count changed, at the step's or the kernel's time.
    void note_count() {
        if (on_count && lpi_.pending_count() != count_seen_) {
            count_seen_ = lpi_.pending_count();
            on_count(to_ps(step_or_kernel()), count_seen_);
        }
    }
    size_t count_seen_ = 0;
    // on_change, if set, at the caller's time.
    void report(LpiChange::What w, uint32_t intid, uint64_t cause, uint64_t t_ps, uint8_t config = 0,
                bool valid = false);

    // Sockets.
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) { bm_.invalidate(start, end); }

    // Registers (redist_registers.cpp): the register file's configuration,
    // and its owner for one access (a caller's Timeline; none: debug).
    class RegPort;
    friend class RegPort;
    GicrConfig register_config() const;
    void enable_lpis(const GicrEnable& e, Timeline& tl);
    void disable_lpis(Timeline& tl);

    // Pending-table writes.
    bool lazy() const { return cfg_.pending_table == PendingTablePolicy::lazy; }
    // After a change of pending state by a caller that may block.
    void note_change(Timeline& tl);
    void post_writes(const Timeline& tl);
    void drain(Timeline& tl);          // write every dirty byte on tl
    void wait_writes(Timeline& tl);    // tl.now() >= completion of every write
    void writer_thread();

    // Register-based invalidations.
    void complete_reg_invalidations(Timeline& tl);

    // The interrupt line and the directly driven CPU (one event, one method).
    // "Now" for a change made through `tl`: the step's time inside tick().
    sc_core::sc_time at(const Timeline& tl) const { return in_tick_ ? step_now_ : tl.now(); }
    void update_irq(const Timeline& tl);
    void arm(const sc_core::sc_time& at);   // the event at `at` or earlier
    void drive_line(const sc_core::sc_time& now);
    void tick();
    // One step at `now` (<= the kernel's time): posted LPIs, the line, the
    // CPU's wake-up, as tick() always did at its time.
    void step(const sc_core::sc_time& now);

    // Coalescing (redist_coalesce.cpp; see the top of the file).
    void start_of_simulation() override;
    // The earliest step ahead (a posted LPI, a rise, the CPU's wake-up, a
    // priority update); false if none.
    bool next_event(sc_core::sc_time& next) const;
    // Steps up to `until` (inclusive), each at its time.
    void settle(const sc_core::sc_time& until);
    // `next` or, later, a step certain to come (CpuLink::plan).
    sc_core::sc_time chain_end(const sc_core::sc_time& next) const;
    sc_core::sc_time step_or_kernel() const { return in_tick_ ? step_now_ : kernel_time(); }
    // The event exactly at the next activation needed.
    void rearm(const sc_core::sc_time& now);
    // Entry points (the ITS's stream, MMIO): run what is due, keep every
    // step at its time while the caller is inside (it may wait), re-arm.
    class Entry;
    friend class Entry;
    void begin_entry();
    void end_entry();
    // An entry found steps left for later: they go back to their times only
    // if its caller waits (about_to_wait, timeline.h), which is the only
    // way anything else can run meanwhile (want_exact_, with the fields below).
    void make_exact();
    static void before_wait();   // every redistributor with want_exact_
    // The irq signal (written from tick() only: one writer) follows irq_level_.
    void sync_signal();

    RedistConfig cfg_;
    RedistTiming timing_;
    sc_core::sc_time t_lookup_, t_update_, t_signal_, t_mmio_;
    LpiState lpi_;

    // Whether LPIs are enabled (GICR_CTLR.EnableLPIs, this module's state;
    // the register file: after stats_).
    bool enabled_ = false;
    sc_core::sc_time enabled_since_;   // the kernel's time of the last enable

    // Write buffer (its event: with irq_ev_, after stats_).
    sc_core::sc_time write_done_at_ = sc_core::SC_ZERO_TIME;
    sc_core::sc_time post_at_ = sc_core::SC_ZERO_TIME;   // latest posting time

    // Posted set_pending: LPIs to record pending at their time (by tick), in time order.
    struct Commit {
        sc_core::sc_time at;
        uint32_t intid;
        // LPIs were disabled at the kernel's time when it was posted, ahead
        // of it: at `at`, one time step (the resolution) after the MSI's
        // time, decide_enabled finds whether they were enabled by then.
        bool undecided;
        LpiState::Prepared p;
        uint64_t cause;   // the poster's Timeline::context()
    };
    std::vector<Commit> commits_;
    unsigned undecided_ = 0;   // commits_ with `undecided` set
    void queue_commit(const Commit& c);
    void apply_commits(const sc_core::sc_time& now);
    void decide_enabled(const Commit& c);

    // Interrupt line and CPU wake-ups (the method's event: after stats_).
    CpuLink* cpu_ = nullptr;
    bool cpu_wake_ = false;
    sc_core::sc_time cpu_at_;
    bool in_tick_ = false;
    bool irq_level_ = false;
    bool rise_pending_ = false;
    sc_core::sc_time rise_at_;
    bool ev_armed_ = false;
    sc_core::sc_time ev_at_;
    uint64_t rise_ps_ = 0;
    uint64_t last_ack_signalled_ps_ = 0;
    uint8_t last_ack_config_ = 0;
    bool ack_again_ = false;
    sc_core::sc_time step_now_;   // the step tick() runs (the CPU's step clock)

    // Coalescing.
    bool coalesce_ = false;      // decided at start_of_simulation
    bool line_traced_ = false;   // trace_line()
    unsigned inside_ = 0;        // entries in progress (Entry)
    bool want_exact_ = false;    // make_exact() when the caller waits
    bool signal_level_ = false;  // the irq signal's value (sync_signal writes it)

    // Priority updates for a CPU that masks or preempts (redist_cpu_side.cpp):
    // CpuLink::priority_rose() a signal latency after a change that left
    // the line high. To be called by update_irq() (the line stays high:
    // note_priority_change) and tick() (after drive_line:
    // deliver_priority_change); nothing happens for a CPU that does not ask.
    void note_priority_change(const Timeline& tl);
    void deliver_priority_change(const sc_core::sc_time& now);
    bool prio_rise_pending_ = false;
    sc_core::sc_time prio_rise_at_;

    RedistStats stats_;

    // What an MSI does not touch, out of the way of the fields above, so
    // that an MSI finds what it reads of this module (cfg_ to stats_) in
    // as few cache lines as may be: the bus master (the tables in memory),
    // the register file (after cfg_: built from it), the kernel's events
    // (168 bytes each).
    BusMaster bm_;
    GicrRegs regs_{register_config()};
    sc_core::sc_event write_ev_;
    sc_core::sc_event irq_ev_;   // tick()'s activations

    // ---- GICv4: the virtual side (redist_virt.h; null with GICv3) ----
    //   redist_residency.cpp  VPENDBASER, VSGIR/VSGIPENDR, INVLPIR/INVALLR V=1
    //   redist_virtual.cpp    deliver_virtual
    //   redist_vline.cpp      the virtual line, acknowledge_virtual
    struct Virt;
    friend struct Virt;
    struct VirtDeleter {
        void operator()(Virt* v) const;
    };
    class VPort;
    friend class VPort;
    Virt* make_virt();
    sc_core::sc_time cycles(unsigned n) const;
    void vreport(VlpiChange::What w, uint32_t vpeid, uint64_t vpt, uint32_t vintid, bool resident, bool vsgi,
                 const Timeline& tl, uint8_t config = 0, bool valid = false);
    uint64_t read_vpendbaser(const Timeline* tl) const;
    void write_vpendbaser(uint64_t value, uint64_t mask, Timeline& tl);
    void write_vsgir(uint32_t vpeid, const Timeline& tl);
    uint32_t read_vsgipendr(const Timeline* tl) const;
    void invalidate_virtual(uint32_t vpeid, bool all, uint32_t vintid, Timeline& tl);
    LpiResult set_vlpi(const LpiOp& op, Timeline& tl);
    LpiResult set_vlpi_resident(const VpeRef& v, uint32_t vintid, Timeline& tl, bool* joined);
    bool clear_vlpi(const VpeRef& v, uint32_t vintid, Timeline& tl);
    bool vpt_rmw(const VpeRef& v, uint32_t vintid, bool set, Timeline& tl, bool* in_range);
    void ring(const LpiOp& op, Timeline& tl, LpiResult& r, std::optional<uint8_t> known);
    LpiResult set_vsgi(const LpiOp& op, Timeline& tl);
    void update_vline(const Timeline& tl);
    void varm(const sc_core::sc_time& at);
    void vtick();
    std::unique_ptr<Virt, VirtDeleter> v_{make_virt()};   // last: built from cfg_, timing_
};

}  // namespace itsim
