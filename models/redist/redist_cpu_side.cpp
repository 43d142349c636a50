// Redistributor: what the CPU interface asks about priorities
// (RedistCpuIf, redist_cpu_if.h "Priorities"), and the priority updates a
// CPU that masks or preempts needs (CpuLink::priority_rose). The
// acknowledge, the line and the direct drive are in redistributor.cpp.
#include "itsim/redist/redistributor.h"

namespace itsim {

// ICC_HPPIR1_EL1's priority: the first LPI of the priority order, the one
// acknowledge() returns when it is visible. An LPI made selectable less
// than signal_cycles ago counts already (the CPU interface could not have
// seen it yet: the imprecision cpu_interface.h names); nothing selectable
// or LPIs disabled: none.
uint8_t Redistributor::highest_pending_priority() const {
    if (!enabled_ || !lpi_.has_selectable()) return cpu_prio::kNone;
    const std::optional<uint8_t> config = lpi_.pending_config(lpi_.highest());
    return config ? uint8_t(*config & lpi::kPropPriorityMask) : cpu_prio::kNone;
}

// A change of pending state left the line high: a CPU that masks or
// preempts looks at the priorities again when the change has reached it,
// a signal latency later (the earliest such time is kept; the CPU's look is
// idempotent, so one call may stand for several changes). Nothing at all
// for a CPU that does not ask (the defaults): no event, no activation.
void Redistributor::note_priority_change(const Timeline& tl) {
    if (!cpu_ || !cpu_->wants_priority_updates()) return;
    const sc_core::sc_time due = at(tl) + t_signal_;
    // One kept: the earliest due (one left from a line that fell since is stale).
    if (!prio_rise_pending_ || due < prio_rise_at_ || prio_rise_at_ < step_or_kernel()) {
        prio_rise_pending_ = true;
        prio_rise_at_ = due;
    }
    arm(prio_rise_at_);
}

// From tick(), after the line is driven: the update that is due.
void Redistributor::deliver_priority_change(const sc_core::sc_time& now) {
    if (!prio_rise_pending_) return;
    if (now < prio_rise_at_) {
        arm(prio_rise_at_);
        return;
    }
    prio_rise_pending_ = false;
    if (irq_level_ && cpu_) cpu_->priority_rose();   // a line that fell meanwhile: nothing to say
}

}  // namespace itsim
