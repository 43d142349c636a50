// What a CPU interface asks of its redistributor (the GIC stream between
// them, reduced to three questions). Implemented by Redistributor; a
// CpuInterface reaches it through sc_core::sc_port<RedistCpuIf>, so the
// platform binds `cpu.rd(redistributor)`. The interrupt line itself is a
// separate sc_signal<bool> (Redistributor::irq -> CpuInterface::irq).
#pragma once

#include <cstdint>

#include <systemc>

#include "common/timeline.h"

namespace itsim {

class RedistCpuIf : public virtual sc_core::sc_interface {
public:
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
    // ICC_EOIR1_EL1: the handler of `intid` is done. LPIs have no active
    // state, so this only counts.
    virtual void end_of_interrupt(uint32_t intid) = 0;
    // GICR_TYPER.Processor_Number of the redistributor (the CPU's number).
    virtual uint32_t processor_number() const = 0;
};

}  // namespace itsim
