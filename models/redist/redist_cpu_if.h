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
#pragma once

#include <cstdint>

#include <systemc>

#include "itsim/common/timeline.h"

namespace itsim {

// What a directly driven CPU interface implements.
class CpuLink {
public:
    virtual ~CpuLink() = default;
    // The line just rose (the redistributor's process, at the rising edge's time).
    virtual void line_rose() = 0;
    // The time given to RedistCpuIf::wake_cpu_at() has come.
    virtual void wake() = 0;
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
    // ICC_EOIR1_EL1: the handler of `intid` is done. LPIs have no active
    // state, so this only counts.
    virtual void end_of_interrupt(uint32_t intid) = 0;
    // GICR_TYPER.Processor_Number of the redistributor (the CPU's number).
    virtual uint32_t processor_number() const = 0;
};

}  // namespace itsim
