// What a CPU interface asks of its redistributor (the GIC stream between
// them, reduced to a few questions). Implemented by Redistributor; a
// CpuInterface reaches it through sc_core::sc_port<RedistCpuIf>, so the
// platform binds `cpu.rd(redistributor)`. The interrupt line itself is a
// separate sc_signal<bool> (Redistributor::irq -> CpuInterface::irq).
//
// Direct drive (optional, for speed): a redistributor that accepts
// attach_cpu() runs the CPU interface from its own process, with its one
// event: it calls CpuLink::line_rose() when its line rises (in the same
// evaluation as the signal write) and CpuLink::wake() at the time the CPU
// asked for with wake_cpu_at(). The CPU interface then needs no process of
// its own and no method on the line's edge; the signal still carries the
// line (for waveforms and other observers). Calls into the CPU happen at
// kernel time (no local offset) and never block.
//
// Priorities (ICC_PMR_EL1, the running priority, preemption). The CPU
// interface applies its priority mask and running priority itself: it
// asks highest_pending_priority() (ICC_HPPIR1_EL1's priority) before it
// acknowledges and leaves a masked interrupt pending. The line keeps its
// meaning: high while an enabled LPI is pending, masked or not, so a line
// that is high says nothing about whether the CPU can take it. A CPU that
// masks or preempts (CpuLink::wants_priority_updates() true) therefore
// also needs CpuLink::priority_rose(): "while the line was already high, a
// pending interrupt with a higher priority than any before became visible".
// Priority values are 8 bits, lower = more urgent; an LPI's is its
// property byte & 0xFC (0x00..0xFC), a vSGI's Priority[7:4] << 4. 0xFF
// stands for "nothing pending": the architecture signals only priorities
// strictly below ICC_PMR_EL1 (at most 0xFF), so a priority of 0xFF could
// never be taken either.
//
// The virtual interface (GICv4): the vLPIs and vSGIs of the vPE resident
// on this redistributor reach the CPU's virtual CPU interface (ICV_IAR1_EL1,
// ICV_EOIR1_EL1) through a second line: vline_level(), with
// CpuLink::vline_rose() at its rising edge (direct drive only: there is no
// virtual signal to watch). Every virtual member has a default (no
// virtual interface: the line stays low, acknowledges return 1023), so a
// redistributor without a virtual side needs nothing. Its rules mirror the
// physical ones: acknowledge_virtual() returns the highest-priority enabled
// pending vINTID of the resident vPE visible to the CPU (vLPIs have no
// active state: it stops being pending), last_vack_*() describe it,
// vack_again() is ack_again() for the virtual line, and
// priority_rose() also covers a new higher-priority virtual interrupt
// while the virtual line is high.
#pragma once

#include <cstdint>

#include <systemc>

#include "itsim/common/timeline.h"

namespace itsim {

namespace cpu_prio {
constexpr uint8_t kNone = 0xFF;   // highest_pending_*priority(): nothing pending (or only 0xFF)
}  // namespace cpu_prio

// CpuLink::plan(): what a CPU is doing, as far as it is certain.
struct CpuPlan {
    enum class Kind : uint8_t {
        unknown,    // it cannot say (masking, preemption, a virtual line, not driven directly)
        idle,       // a rise is acknowledged `ack` later; that handler ends `handler` after it
        acking,     // its acknowledge (of a physical interrupt) comes at `at`; a handler then runs `handler`
        handling,   // its handler ends (the EOI) at `at`, whatever else happens
    };
    Kind kind = Kind::unknown;
    sc_core::sc_time at;
    sc_core::sc_time ack;
    sc_core::sc_time handler;
};

// What a directly driven CPU interface implements.
class CpuLink {
public:
    virtual ~CpuLink() = default;
    // The line just rose (the redistributor's process, at the rising edge's time).
    virtual void line_rose() = 0;
    // The time given to RedistCpuIf::wake_cpu_at() has come.
    virtual void wake() = 0;
    // The virtual line (the resident vPE's vLPIs and vSGIs) just rose.
    virtual void vline_rose() {}
    // While the line (or the virtual line) was already high, an interrupt
    // with a higher priority than those pending before became pending and
    // visible to the CPU (the time its signal arrives, as for a rise).
    // Called only when wants_priority_updates() is true. The CPU looks at
    // the priorities again each time, so a redistributor may call it more
    // often than that (e.g. a signal latency after every change of pending
    // state that leaves a line high): extra calls change nothing.
    virtual void priority_rose() {}
    // Whether this CPU needs priority_rose() (it masks or preempts); asked
    // at attach_cpu() time and whenever the redistributor likes (constant
    // for a CPU interface).
    virtual bool wants_priority_updates() const { return false; }
    // What this CPU does next if nothing reaches it but its
    // redistributor's own steps (a coalescing redistributor, redistributor.h
    // "Coalescing", runs every step up to a step that is certain
    // to come in one activation). The default: unknown (every step then
    // runs at its time).
    virtual CpuPlan plan() const { return {}; }

    // Direct drive: the clock of the step the redistributor calls this CPU
    // in, which the CPU takes as "now" (a coalescing redistributor runs
    // steps after their time, see plan()); null: the kernel's time. Set by
    // a redistributor's attach_cpu().
    void set_step_clock(const sc_core::sc_time* t) { step_clock_ = t; }

protected:
    const sc_core::sc_time* step_clock_ = nullptr;
};

class RedistCpuIf : public virtual sc_core::sc_interface {
public:
    // Direct drive: `cpu` is driven from now on (call at end of
    // elaboration, once). false: not supported; the CPU interface then
    // watches the line and keeps its own timer.
    virtual bool attach_cpu(CpuLink* cpu) {
        (void)cpu;
        return false;
    }
    // Direct drive: call CpuLink::wake() at `t` (>= now). One wake-up is
    // kept: a new call replaces the previous one.
    virtual void wake_cpu_at(const sc_core::sc_time& t) { (void)t; }
    // The line's level as the redistributor drives it (may lead the
    // signal by one delta cycle).
    virtual bool line_level() const { return false; }

    // ICC_IAR1_EL1: the highest-priority enabled pending LPI, which stops
    // being pending (LPIs have no active state); 1023 if there is none.
    // May be called from an SC_METHOD: never blocks; costs no time (the CPU
    // interface's acknowledge latency covers the whole register read).
    // It does not know the CPU's mask: the CPU asks
    // highest_pending_priority() first (see "Priorities").
    virtual uint32_t acknowledge(Timeline& tl) = 0;
    // When the interrupt line went high for the INTID the last
    // acknowledge() returned, in ps: the later of the line's rising edge
    // and the moment that LPI became selectable plus the signal latency
    // (an LPI taken back-to-back while the line stayed high was
    // "signalled" when it would have raised the line on its own). 0 after
    // a spurious acknowledge.
    virtual uint64_t last_ack_signalled_ps() const = 0;
    // After an acknowledge that returned 1023: selectable LPIs exist but
    // none had reached the CPU interface yet (the line stays high for
    // them), so the CPU should acknowledge again.
    virtual bool ack_again() const { return false; }
    // The priority (property byte & 0xFC) the last acknowledged LPI was
    // selected with; 0 when unknown.
    virtual uint8_t last_ack_priority() const { return 0; }
    // ICC_HPPIR1_EL1's priority: the priority acknowledge() would return
    // an LPI with now, without acknowledging; cpu_prio::kNone if nothing
    // is pending. Const, never blocks, costs nothing. The default knows no
    // priorities (kNone): a CPU interface that masks or preempts then
    // never takes a physical interrupt, so a redistributor used with
    // cpu.pmr < 0xFD or cpu.preempt = 1 must implement it.
    virtual uint8_t highest_pending_priority() const { return cpu_prio::kNone; }
    // ICC_EOIR1_EL1: the handler of `intid` is done. LPIs have no active
    // state, so this only counts.
    virtual void end_of_interrupt(uint32_t intid) = 0;
    // GICR_TYPER.Processor_Number of the redistributor (the CPU's number).
    virtual uint32_t processor_number() const = 0;

    // ---- The virtual interface (GICv4; see the header comment) ----
    // The virtual line: high while the resident vPE has an enabled pending
    // vLPI or vSGI (after the signal latency), as line_level().
    virtual bool vline_level() const { return false; }
    // ICV_IAR1_EL1: the highest-priority enabled pending vINTID of the
    // resident vPE (a vLPI >= 8192 or a vSGI 0..15), which stops being
    // pending; 1023 if there is none. Never blocks, costs no time (the
    // CPU's cpu.vack_latency covers the register read).
    virtual uint32_t acknowledge_virtual(Timeline& tl) {
        (void)tl;
        return 1023;
    }
    // The vPEID of the vPE the last acknowledge_virtual() took from.
    virtual uint32_t last_vack_vpeid() const { return 0; }
    // As last_ack_signalled_ps() for the virtual line; 0 after a spurious one.
    virtual uint64_t last_vack_signalled_ps() const { return 0; }
    // The priority the last acknowledged vINTID was selected with; 0 when unknown.
    virtual uint8_t last_vack_priority() const { return 0; }
    // As ack_again() for the virtual line.
    virtual bool vack_again() const { return false; }
    // ICV_HPPIR1_EL1's priority: as highest_pending_priority() for the
    // resident vPE; cpu_prio::kNone if none.
    virtual uint8_t highest_pending_vpriority() const { return cpu_prio::kNone; }
    // ICV_EOIR1_EL1: the handler of `vintid` (of last_vack_vpeid()'s vPE
    // when it was acknowledged) is done. vLPIs have no active state.
    virtual void end_of_virtual_interrupt(uint32_t vintid) { (void)vintid; }
};

}  // namespace itsim
