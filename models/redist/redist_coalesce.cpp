// Redistributor: its method (tick), the steps it runs (the posted LPIs,
// the line, the directly driven CPU) and when the kernel runs them -
// coalescing (redistributor.h, "Coalescing"). The steps are the same with
// and without coalescing; what changes is when the kernel runs them: a
// posted LPI that starts an interrupt the CPU is certain to take arms one
// activation, at that interrupt's EOI, and that activation (or any entry
// point before it) runs the steps in between, each at its own time. The
// acknowledge itself and the ITS's operations: redistributor.cpp.
#include "itsim/redist/redistributor.h"

#include "itsim/redist/redist_ports.h"

#include <algorithm>

namespace itsim {

using sc_core::sc_time;

inline bool Redistributor::next_event(sc_time& next) const {
    bool any = false;
    if (rise_pending_ && !irq_level_) {
        any = true;
        next = rise_at_;
    }
    if (cpu_wake_ && (!any || cpu_at_ < next)) {
        any = true;
        next = cpu_at_;
    }
    if (!commits_.empty() && (!any || commits_.front().at < next)) {
        any = true;
        next = commits_.front().at;
    }
    if (prio_rise_pending_ && (!any || prio_rise_at_ < next)) {
        any = true;
        next = prio_rise_at_;
    }
    return any;
}

// The line (and the CPU at its rising edge), at a step's time.
inline void Redistributor::drive_line(const sc_time& now) {
    const bool want = enabled_ && lpi_.has_selectable();
    if (!want) {
        rise_pending_ = false;
        if (irq_level_) {
            irq_level_ = false;
            if (!coalesce_) irq.write(false);   // coalescing: sync_signal()
            if (on_line) on_line(to_ps(now), false);
        }
        return;
    }
    if (irq_level_) return;
    if (!rise_pending_) {   // defensive: wanted with no rise scheduled
        rise_pending_ = true;
        rise_at_ = now + t_signal_;
    }
    if (now < rise_at_) return;
    rise_pending_ = false;
    irq_level_ = true;
    rise_ps_ = to_ps(now);
    ++stats_.irq_rises;
    if (!coalesce_) irq.write(true);
    if (on_line) on_line(rise_ps_, true);
    if (cpu_) cpu_->line_rose();
}

inline void Redistributor::step(const sc_time& now) {
    step_now_ = now;
    if (!commits_.empty()) apply_commits(now);
    drive_line(now);
    deliver_priority_change(now);
    if (cpu_wake_ && now >= cpu_at_) {
        cpu_wake_ = false;
        cpu_->wake();      // may acknowledge: the line then falls right here
        drive_line(now);
    }
}

void Redistributor::tick() {
    ++stats_.activations;
    ev_armed_ = false;
    const sc_time now = kernel_time();
    in_tick_ = true;
    if (coalesce_) {
        // The steps left for later (chain_end) first, each at its time.
        sc_time e;
        while (next_event(e) && e < now) step(e);
    }
    step(now);
    in_tick_ = false;
    if (coalesce_) {
        sync_signal();
        rearm(now);
        return;
    }
    // What is still ahead (a priority update deliver_priority_change armed
    // already: the earliest of them is the same).
    sc_time next;
    if (next_event(next)) arm(std::max(next, now));
}

// Only where nothing can tell the difference: a CPU driven directly, the
// line's signal not traced, the lazy pending table (a posted LPI then never
// writes memory: chain_end checks the overflow), no virtual side (GICv3).
void Redistributor::start_of_simulation() {
    coalesce_ = cfg_.coalesce && cpu_ && !line_traced_ && !v_;
}

void Redistributor::settle(const sc_time& until) {
    const bool was = in_tick_;
    in_tick_ = true;
    sc_time e;
    while (next_event(e) && e <= until) step(e);
    in_tick_ = was;
}

// The latest step ahead that is certain to come, as far as it is cheap to
// know: the EOI of the interrupt the CPU handles or takes next (CpuPlan).
// Certain, because between now and then nothing reaches this redistributor
// but its own steps (an entry point re-arms, end_entry): posted LPIs only
// add pending state and only the CPU takes it away. The steps before it run
// in that one activation; `next` (the earliest step) where nothing is certain.
sc_time Redistributor::chain_end(const sc_time& next) const {
    // Room for every posted LPI's dirty byte: none of them writes memory.
    if (inside_ || !enabled_ || !lazy() || prio_rise_pending_ || undecided_ ||
        lpi_.dirty_count() + commits_.size() >= cfg_.lazy_dirty_limit)
        return next;
    const CpuPlan p = cpu_->plan();
    switch (p.kind) {
    case CpuPlan::Kind::handling:
        return p.at;
    case CpuPlan::Kind::acking:
        // Something selectable now is visible to that acknowledge.
        if (irq_level_ && lpi_.has_selectable() && p.at >= step_or_kernel() + t_signal_) return p.at + p.handler;
        return next;
    case CpuPlan::Kind::idle:
        break;
    default:
        return next;
    }
    if (irq_level_) return next;
    sc_time rise;
    if (rise_pending_) {
        rise = rise_at_;   // still wanted then: only the CPU takes LPIs away
    } else {
        // The first posted LPI becomes pending and selectable at its time.
        if (commits_.empty()) return next;
        const Commit& c = commits_.front();
        const LpiState::Prepared& pr = c.p;
        if (pr.skip || pr.already || !lpi::selectable(pr.config, pr.valid) || lpi_.is_pending(c.intid))
            return next;
        rise = c.at + t_signal_;
    }
    return rise + p.ack + p.handler;
}

void Redistributor::rearm(const sc_time& now) {
    if (irq_level_ && !(enabled_ && lpi_.has_selectable())) {
        // The line falls: update_irq() armed the event at the time of the
        // change (the caller's, perhaps ahead of the kernel's).
        if (!ev_armed_) arm(now);
        return;
    }
    sc_time e;
    if (!next_event(e)) return;
    const sc_time when = std::max(chain_end(e), now);
    if (ev_armed_ && ev_at_ == when) return;
    if (ev_armed_) {   // later than an earlier arming allowed: move it
        irq_ev_.cancel();
        ev_armed_ = false;
    }
    arm(when);
}

namespace {
// The redistributors whose entry left steps for later (want_exact_).
std::vector<Redistributor*>& waiting_for_exact() {
    static std::vector<Redistributor*> v;
    return v;
}
}  // namespace

void Redistributor::begin_entry() {
    if (in_tick_) return;
    sc_time e;
    if (!next_event(e)) return;   // nothing ahead, nothing left for later
    const sc_time& k = kernel_time();
    if (e <= k) {
        settle(k);
        if (!next_event(e)) return;
    }
    if (ev_armed_ && ev_at_ <= e) return;   // every step at its time already
    // Steps left for later: back to their times if the caller waits
    // (cooperative threads: nothing else runs until then).
    want_exact_ = true;
    waiting_for_exact().push_back(this);
    detail::before_wait = &Redistributor::before_wait;
}

void Redistributor::make_exact() {
    want_exact_ = false;
    sc_time e;
    if (!next_event(e) || (ev_armed_ && ev_at_ <= e)) return;
    if (ev_armed_) {
        irq_ev_.cancel();
        ev_armed_ = false;
    }
    arm(e);
}

void Redistributor::before_wait() {
    auto& v = waiting_for_exact();
    for (Redistributor* rd : v)
        if (rd->want_exact_) rd->make_exact();
    v.clear();
}

void Redistributor::end_entry() {
    if (in_tick_) return;
    if (want_exact_) {   // the caller never waited
        want_exact_ = false;
        auto& v = waiting_for_exact();
        v.erase(std::remove(v.begin(), v.end(), this), v.end());
    }
    rearm(kernel_time());
}

void Redistributor::catch_up() {
    if (!coalesce_) return;
    settle(kernel_time());
}

uint64_t Redistributor::reports_from_ps() const {
    const sc_time& k = kernel_time();
    if (in_tick_) return to_ps(step_now_ < k ? step_now_ : k);
    sc_time e;
    if (coalesce_ && next_event(e) && e < k) return to_ps(e);
    return to_ps(k);
}

void Redistributor::sync_signal() {
    // Written from here only: signal_level_ is what irq.read() would say
    // (kept, not read back: a port call per activation saved).
    if (signal_level_ == irq_level_) return;
    signal_level_ = irq_level_;
    irq.write(irq_level_);
}

}  // namespace itsim
