// CpuInterface: the stand-in for a core and its GIC CPU interface. It takes
// the interrupt line from its redistributor, acknowledges, runs a handler
// for a fixed time, ends the interrupt and takes the next one; with a
// GICv4 redistributor also the virtual line (the resident vPE's vLPIs and
// vSGIs, through the virtual CPU interface). A priority mask, a running
// priority and, when enabled, preemption decide what it takes.
//
//   irq  sc_in<bool>: the redistributor's line (Redistributor::irq, through
//        an sc_signal<bool>). Must be bound.
//   rd   sc_port<RedistCpuIf>: the redistributor itself (bind `cpu.rd(redist)`).
//
// Sequence (times are simulated time):
//   1. the line is high and the core is idle: after ack_latency (the
//      ICC_IAR1_EL1 read) it calls rd->acknowledge(), which returns the
//      highest-priority enabled pending LPI and makes it not pending;
//      AckRecord.t_ps = that time, signalled_ps = rd->last_ack_signalled_ps().
//      1023 (nothing pending any more, e.g. a CLEAR won the race): a spurious
//      acknowledge, counted; the core goes idle (or, after a preemption,
//      resumes the handler it interrupted), or, when the redistributor
//      says so (RedistCpuIf::ack_again: an LPI made pending less than a
//      signal latency ago, not yet visible, keeps the line high),
//      acknowledges again after ack_latency (at least one time-resolution
//      step: with a zero ack_latency the read would repeat at one instant).
//   2. the handler runs for handler_latency; then rd->end_of_interrupt()
//      (ICC_EOIR1_EL1), AckRecord.eoi_ps = that time, and on_ack(record) is
//      called (once per acknowledged LPI, with every field filled in).
//   3. if the line is still high, the next acknowledge follows after
//      ack_latency (step 1); otherwise the core waits for the line to rise.
// A rise while the core is busy is taken at step 3 (no preemption, the default).
//
// Virtual interrupts (GICv4, direct drive only: CpuLink::vline_rose(),
// RedistCpuIf::vline_level()): the same steps with vack_latency (the
// ICV_IAR1_EL1 read, rd->acknowledge_virtual()), vhandler_latency,
// rd->end_of_virtual_interrupt() (ICV_EOIR1_EL1) and on_vack(VackRecord).
// Whether an exception is physical or virtual is decided when it is taken
// (the acknowledge latency then is that kind's); when both lines are high
// the higher priority goes first, a tie to the physical one. Simplification
// (documented): one core, ONE priority space - the mask, the running
// priority and preemption compare physical and virtual priorities alike
// (a physical interrupt preempts a virtual handler of lower priority and
// the other way round); cpu.pmr masks both (no separate ICV_PMR_EL1).
//
// Priorities (lower value = more urgent; an LPI's is its property byte &
// 0xFC, so 0x00..0xFC, a vSGI's Priority[7:4] << 4):
//   - pmr (ICC_PMR_EL1): an interrupt is taken only if its priority is
//     strictly below pmr. 0xFF, the default, masks only priority 0xFF,
//     which no LPI has (the lowest an LPI is seen with is 0xFC): nothing
//     is masked. A masked interrupt stays pending at the redistributor;
//     the CPU does not acknowledge it (the line stays high: the line means
//     "an enabled LPI is pending", not "one the CPU can take").
//   - the running priority: the priority of the handler running, or "idle"
//     (above every priority: 0x100, running_priority()).
//   - preempt = 1: a pending interrupt whose group priority is higher than
//     the running handler's interrupts it: the handler stops at that
//     moment, the new exception's acknowledge follows after its ack
//     latency, its handler runs, and at its EOI the interrupted handler
//     resumes for the time it still had to run (so its eoi_ps moves by
//     the time it spent interrupted, AckRecord::preempted_ps). Nested
//     preemptions form a stack (at most kMaxDepth handlers; one that deep
//     is not preempted). Equal group priority never preempts.
//     preempt = 0 (default, what Linux does: handlers run with interrupts
//     masked): a running handler is never interrupted.
//   - bpr: the group priority used for preemption is priority >> bpr
//     (bpr low bits are sub-priority). 0 (default): every bit counts; LPI
//     priorities have bits [1:0] clear, so 0..2 are the same for LPIs. A
//     simplification of ICC_BPR1_EL1, whose values map to field widths with
//     an offset this model does not follow.
//   The CPU asks rd->highest_pending_priority() (ICC_HPPIR1_EL1) when it
//   decides to take an exception and again at the acknowledge: a priority
//   that does not pass then makes the read spurious (counted in spurious
//   and masked; nothing is acknowledged). A masked or lower-priority
//   interrupt that is pending while the line is high can become takeable
//   only when something with a higher priority arrives (CpuLink::
//   priority_rose(), which this CPU asks for when it masks or preempts:
//   wants_priority_updates()) or when a handler ends.
//   With pmr >= 0xFD and preempt = 0 (the defaults) no priority is ever
//   asked (none could be masked): physical interrupts behave exactly as
//   without these rules.
//   The Redistributor's priority_rose() for its physical line is
//   redist_cpu_side.cpp's note/deliver_priority_change, which its
//   update_irq() and tick() must call (not yet wired at this writing: until
//   then a masked or lower-priority LPI holding the line high hides a
//   higher one that arrives later until a handler ends, or for good when
//   the CPU is idle; a higher one that finds the line low preempts).
//   Known imprecision: a redistributor whose highest_pending_priority()
//   includes an LPI made pending less than a signal latency ago (the
//   Redistributor's does) may make the CPU take a lower-priority visible
//   LPI in that window although the higher one passed the check.
//
// Processes. At the end of elaboration the CPU interface offers itself to
// its redistributor for direct drive (RedistCpuIf::attach_cpu, a CpuLink).
//   - Accepted (the Redistributor does): no process of its own runs. The
//     redistributor's one method calls line_rose() at the line's rising
//     edge and wake() at the times this CPU asks for (one wake-up armed at a
//     time); "the line is high" is rd->line_level(). Per interrupt that is
//     at most three activations of the redistributor's method (line rise,
//     acknowledge - the line falls in the same activation -, EOI) and none
//     here; the irq signal still carries the line. A coalescing
//     redistributor runs those steps later, in one activation,
//     each at its own time: "now" here is its step clock, and plan() tells
//     it which step is certain to come.
//   - Refused (any other RedistCpuIf): a method on the line's rising edge
//     and a timer method (one sc_event armed at most once), as the line
//     alone tells; "the line is high" is irq.read(). No virtual line, no
//     priority_rose().
// Both give the same times. Nothing runs while idle.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>

#include "itsim/common/config_fields.h"
#include "itsim/common/paged_counts.h"
#include "itsim/common/records.h"
#include "itsim/common/timeline.h"
#include "itsim/redist/redist_cpu_if.h"

namespace itsim {

struct CpuInterfaceConfig {
    // 20 ns: an ICC_IAR1_EL1 system-register read that goes to the GIC (tens of core cycles).
    sc_core::sc_time ack_latency = sc_core::sc_time(20, sc_core::SC_NS);
    // 200 ns: a short Linux handler (ack, a device register access, EOI).
    sc_core::sc_time handler_latency = sc_core::sc_time(200, sc_core::SC_NS);
    // ICC_PMR_EL1: priorities strictly below it are taken; 0xFF masks nothing an LPI can have.
    uint8_t pmr = 0xFF;
    // A higher-priority interrupt interrupts a running handler (0: never, as Linux runs handlers).
    bool preempt = false;
    // Preemption compares priority >> bpr (0..7; 0: every bit counts).
    unsigned bpr = 0;
    // The virtual CPU interface (GICv4): ICV_IAR1_EL1 read and the handler
    // of a vLPI/vSGI; the same defaults as the physical ones (fixed values,
    // they do not follow ack_latency/handler_latency).
    sc_core::sc_time vack_latency = sc_core::sc_time(20, sc_core::SC_NS);
    sc_core::sc_time vhandler_latency = sc_core::sc_time(200, sc_core::SC_NS);

    // By name, as `itsim params` spells them after "cpu." (config_fields.h).
    static const ConfigFields<CpuInterfaceConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct CpuInterfaceStats {
    uint64_t acks = 0;       // LPIs acknowledged
    uint64_t spurious = 0;   // physical acknowledges that returned 1023 (or did not pass the mask)
    uint64_t eois = 0;
    uint64_t vacks = 0;      // virtual interrupts acknowledged (ICV_IAR1)
    uint64_t vspurious = 0;  // virtual acknowledges that returned 1023 (or did not pass the mask)
    uint64_t veois = 0;
    uint64_t masked = 0;        // acknowledges refused because the pending priority did not pass
    uint64_t preemptions = 0;   // handlers interrupted by a higher-priority exception
    uint64_t max_depth = 0;     // most handlers started and not ended at once
};

class CpuInterface : public sc_core::sc_module, public CpuLink {
public:
    // Deepest handler nesting (preempt = 1); a handler this deep is not preempted.
    static constexpr size_t kMaxDepth = 256;
    // running_priority() with no handler running: below every priority.
    static constexpr unsigned kIdlePriority = 0x100;

    sc_core::sc_in<bool> irq;
    sc_core::sc_port<RedistCpuIf> rd;

    // Called at each EOI with the complete record of that LPI.
    std::function<void(const AckRecord&)> on_ack;
    // Called at each virtual EOI with the complete record of that vINTID.
    std::function<void(const VackRecord&)> on_vack;

    SC_HAS_PROCESS(CpuInterface);
    // Throws std::invalid_argument on a bad configuration (bpr > 7).
    CpuInterface(sc_core::sc_module_name name, const CpuInterfaceConfig& cfg = CpuInterfaceConfig());

    const CpuInterfaceConfig& config() const { return cfg_; }
    const CpuInterfaceStats& stats() const { return stats_; }
    // Acknowledges per INTID.
    uint64_t acks(uint32_t intid) const;
    // Virtual acknowledges per (vPEID, vINTID).
    uint64_t vacks(uint32_t vpeid, uint32_t vintid) const;
    // True while a handler runs (or is interrupted) or an acknowledge is on its way.
    bool busy() const { return acking_ != Kind::none || !stack_.empty(); }
    // Priority of the handler running (the top of the stack; also while the
    // acknowledge of a preempting exception is on its way), kIdlePriority if none.
    unsigned running_priority() const { return stack_.empty() ? kIdlePriority : stack_.back().priority; }
    // Handlers started and not ended (the running one and those it interrupted).
    size_t depth() const { return stack_.size(); }
    // The redistributor drives this CPU interface (see "Processes").
    bool directly_driven() const { return direct_; }

    // ---- CpuLink (called by a redistributor that drives this CPU) ----
    void line_rose() override;
    void wake() override;
    void vline_rose() override;
    void priority_rose() override;
    bool wants_priority_updates() const override { return filter_; }
    // Nothing masked or preempting and no virtual line: idle, an acknowledge
    // on its way, or a handler running; otherwise unknown.
    CpuPlan plan() const override;

private:
    enum class Kind : uint8_t { none, physical, virt };
    struct Frame {
        Kind kind = Kind::physical;
        uint8_t priority = 0;
        bool running = true;
        sc_core::sc_time end;          // running: when the handler ends
        sc_core::sc_time remaining;    // interrupted: what it still has to run
        sc_core::sc_time stopped_at;   // interrupted: since when
        AckRecord ack;                 // physical
        VackRecord vack;               // virtual
    };

    void end_of_elaboration() override;
    void edge_method();    // not driven directly: the line's rising edges
    void timer_method();   // not driven directly: the timer
    // A line rose or a priority did: take an exception if one can be taken.
    void on_signal(Kind rose);
    // What to take now (higher priority first, ties physical), if anything.
    Kind choose() const;
    bool passes(unsigned priority) const;
    unsigned group(unsigned priority) const { return priority >> cfg_.bpr; }
    // again: after a spurious read the CPU must retry (RedistCpuIf::ack_again).
    void start_ack(const sc_core::sc_time& now, Kind k, bool again = false);
    void do_ack(const sc_core::sc_time& now, Kind k);
    void end_handler(const sc_core::sc_time& now);
    // After a handler ended: take what can be taken, else resume or go idle.
    void next(const sc_core::sc_time& now);
    // Resume the interrupted handler on top, if any (else idle).
    void resume(const sc_core::sc_time& now);
    void arm(const sc_core::sc_time& at);
    bool line_high() const { return direct_ ? gic_->line_level() : irq.read(); }
    bool vline_high() const { return direct_ && gic_->vline_level(); }
    // "Now" for this CPU: the redistributor's step when driven directly
    // (CpuLink::set_step_clock), else the kernel's time.
    const sc_core::sc_time& time_now() const { return direct_ && step_clock_ ? *step_clock_ : kernel_time(); }

    CpuInterfaceConfig cfg_;
    // What every interrupt reads, together (one or two cache lines beside
    // cfg_'s latencies: a redistributor with many CPUs touches a different
    // CPU stand-in per MSI).
    bool filter_;          // priorities matter (pmr < 0xFD or preempt)
    bool direct_ = false;
    bool edge_armed_ = false;
    Kind acking_ = Kind::none;   // an acknowledge on its way, of this kind
    RedistCpuIf* gic_ = nullptr; // rd's interface (end_of_elaboration)
    sc_core::sc_time wake_at_;   // the wake-up last armed
    std::vector<Frame> stack_;   // handlers started and not ended, the running one last
    CpuInterfaceStats stats_;
    PagedCounts<uint32_t> ack_counts_;    // per INTID
    PagedCounts<uint64_t> vack_counts_;   // per (vPEID << 32 | vINTID)
    sc_core::sc_event timer_;             // not driven directly only: last
};

}  // namespace itsim
