// Redistributor, the virtual line and the virtual CPU interface
// (redist_virt.h; RedistCpuIf's virtual side, redist_cpu_if.h).
//
// The virtual line is high while the resident vPE has an offered vLPI or
// vSGI (vpe_state.h highest()). It rises signal_cycles after the update
// that made one selectable while it was low (a vLPI: from its stamp, the
// end of its update; a vSGI or a residency change: from the caller's
// time), and falls when nothing is offered (at the caller's time: an
// acknowledge, a deschedule). It has no signal: the directly driven CPU
// (attach_cpu) gets CpuLink::vline_rose() at the rising edge, and, when it
// wants_priority_updates(), CpuLink::priority_rose() signal_cycles after a
// vLPI or vSGI better than every one offered since the rise (or the last
// acknowledge) became selectable while the line was high.
// One event and one SC_METHOD (vtick) per GICv4 redistributor, armed at
// most once; none with GICv3.
#include "itsim/redist/redist_virt.h"

namespace itsim {

using sc_core::sc_time;

void Redistributor::varm(const sc_time& at) {
    Virt& w = *v_;
    if (w.ev_armed && w.ev_at <= at) return;
    w.ev.cancel();
    w.ev.notify(at - sc_core::sc_time_stamp());
    w.ev_armed = true;
    w.ev_at = at;
}

void Redistributor::update_vline(const Timeline& tl) {
    if (!v_) return;
    Virt& w = *v_;
    const VpeState::Pick p = w.state.highest();
    if (p.intid == lpi::kSpurious) {
        w.rise_pending = false;
        w.prio_pending = false;
        if (w.level && !w.in_tick) varm(tl.now());
        return;
    }
    const sc_time from = std::max(tl.now(), sc_time(double(p.stamp), sc_core::SC_PS));
    const sc_time due = from + t_signal_;
    if (!w.level) {
        if (!w.rise_pending || due < w.rise_at) {
            w.rise_pending = true;
            w.rise_at = due;
        }
        if (!w.in_tick) varm(w.rise_at);
        return;
    }
    if (p.priority < w.level_priority && cpu_ && cpu_->wants_priority_updates()) {
        w.level_priority = p.priority;
        if (!w.prio_pending || due < w.prio_at) {
            w.prio_pending = true;
            w.prio_at = due;
        }
        if (!w.in_tick) varm(w.prio_at);
    }
}

void Redistributor::vtick() {
    Virt& w = *v_;
    ++w.stats.activations;
    w.ev_armed = false;
    const sc_time now = sc_core::sc_time_stamp();
    step_now_ = now;   // the CPU's clock (set_step_clock) while this method calls it
    w.in_tick = true;
    VpeState::Pick p = w.state.highest();
    if (p.intid == lpi::kSpurious) {
        w.rise_pending = false;
        w.prio_pending = false;
        w.level = false;
    } else if (!w.level) {
        if (!w.rise_pending) {   // defensive: offered with no rise scheduled
            w.rise_pending = true;
            w.rise_at = now + t_signal_;
        }
        if (now >= w.rise_at) {
            w.rise_pending = false;
            w.level = true;
            w.level_priority = p.priority;
            w.rise_ps = to_ps(now);
            ++w.stats.vline_rises;
            if (cpu_) cpu_->vline_rose();   // may acknowledge: the line may fall right here
            if (!w.state.has_selectable()) w.level = false;
        }
    } else if (w.prio_pending && now >= w.prio_at) {
        w.prio_pending = false;
        if (cpu_) cpu_->priority_rose();
        if (!w.state.has_selectable()) w.level = false;
    }
    w.in_tick = false;
    bool any = false;
    sc_time next;
    if (w.rise_pending && !w.level) {
        any = true;
        next = w.rise_at;
    }
    if (w.prio_pending && w.level && (!any || w.prio_at < next)) {
        any = true;
        next = w.prio_at;
    }
    if (any) varm(std::max(next, now));
}

// ---------------------------------------------------------------------------
// RedistCpuIf, the virtual side
// ---------------------------------------------------------------------------

bool Redistributor::vline_level() const { return v_ && v_->level; }

uint32_t Redistributor::acknowledge_virtual(Timeline& tl) {
    if (!v_) return lpi::kSpurious;
    Virt& w = *v_;
    // As acknowledge(): what the CPU interface can know (lpi_state.h, I4).
    const uint64_t now_ps = to_ps(tl.now()), sig_ps = to_ps(t_signal_);
    const uint64_t visible = now_ps >= sig_ps ? now_ps - sig_ps : 0;
    const VpeState::Pick p = now_ps >= sig_ps ? w.state.acknowledge(visible) : VpeState::Pick{};
    if (p.intid == lpi::kSpurious) {
        ++w.stats.spurious_vacks;
        w.vack_signalled_ps = 0;
        w.vack_priority = 0;
        w.vack_again = w.state.has_selectable();
        return lpi::kSpurious;
    }
    ++w.stats.vacks;
    w.vack_again = false;
    w.vack_vpeid = w.state.resident_vpeid();
    w.vack_priority = p.priority;
    w.vack_signalled_ps = std::max(p.stamp + sig_ps, w.rise_ps);
    const VpeState::Pick next = w.state.highest();
    w.level_priority = next.intid == lpi::kSpurious ? 0xFF : next.priority;
    if (w.level && !w.in_tick && next.intid == lpi::kSpurious) varm(tl.now());
    return p.intid;
}

uint32_t Redistributor::last_vack_vpeid() const { return v_ ? v_->vack_vpeid : 0; }
uint64_t Redistributor::last_vack_signalled_ps() const { return v_ ? v_->vack_signalled_ps : 0; }
uint8_t Redistributor::last_vack_priority() const { return v_ ? v_->vack_priority : 0; }
bool Redistributor::vack_again() const { return v_ && v_->vack_again; }

uint8_t Redistributor::highest_pending_vpriority() const {
    if (!v_) return cpu_prio::kNone;
    const VpeState::Pick p = v_->state.highest();
    return p.intid == lpi::kSpurious ? cpu_prio::kNone : p.priority;
}

void Redistributor::end_of_virtual_interrupt(uint32_t) {
    if (v_) ++v_->stats.veois;
}

}  // namespace itsim
