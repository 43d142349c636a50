#include "itsim/cpu/cpu_interface.h"

#include <algorithm>
#include <stdexcept>

namespace itsim {

namespace {

const CpuInterfaceConfig& checked(const CpuInterfaceConfig& c) {
    if (c.bpr > 7) throw std::invalid_argument("cpu interface: bpr must be 0..7");
    return c;
}

// The lowest priority an LPI can have is 0xFC: a mask at 0xFD or above
// masks none of them.
constexpr unsigned kLowestLpiPriority = 0xFC;

}  // namespace

CpuInterface::CpuInterface(sc_core::sc_module_name name, const CpuInterfaceConfig& cfg)
    : sc_module(name),
      irq("irq"),
      rd("rd"),
      cfg_(checked(cfg)),
      filter_(cfg.preempt || cfg.pmr <= kLowestLpiPriority) {
    // Runs once at initialisation; keeps watching the line only when the
    // redistributor does not drive this CPU (dynamic sensitivity).
    SC_METHOD(edge_method);

    SC_METHOD(timer_method);
    sensitive << timer_;
    dont_initialize();
}

void CpuInterface::end_of_elaboration() {
    gic_ = rd.operator->();
    direct_ = gic_->attach_cpu(this);
}

uint64_t CpuInterface::acks(uint32_t intid) const {
    return ack_counts_.get(intid);
}

uint64_t CpuInterface::vacks(uint32_t vpeid, uint32_t vintid) const {
    return vack_counts_.get((uint64_t(vpeid) << 32) | vintid);
}

void CpuInterface::arm(const sc_core::sc_time& at) {
    wake_at_ = at;
    if (direct_) {
        gic_->wake_cpu_at(at);
    } else {
        // One wake-up at a time: a preemption replaces a handler's end by
        // an acknowledge that may come later.
        timer_.cancel();
        timer_.notify(at - kernel_time());
    }
}

void CpuInterface::edge_method() {
    if (direct_) return;   // never triggered again
    if (edge_armed_) line_rose();
    edge_armed_ = true;
    next_trigger(irq.posedge_event());
}

void CpuInterface::timer_method() { wake(); }

void CpuInterface::line_rose() { on_signal(Kind::physical); }
void CpuInterface::vline_rose() { on_signal(Kind::virt); }
void CpuInterface::priority_rose() { on_signal(Kind::none); }

bool CpuInterface::passes(unsigned priority) const {
    if (priority >= cfg_.pmr) return false;   // strictly below the mask (0xFF: "none pending" too)
    if (stack_.empty()) return true;
    if (!cfg_.preempt || stack_.size() >= kMaxDepth) return false;
    return group(priority) < group(stack_.back().priority);
}

CpuInterface::Kind CpuInterface::choose() const {
    if (!stack_.empty() && !cfg_.preempt) return Kind::none;
    const bool p = line_high(), v = vline_high();
    // Nothing masked, nothing preempts, nothing virtual: the line alone decides.
    if (!filter_ && !v) return p ? Kind::physical : Kind::none;
    const unsigned pp = p ? gic_->highest_pending_priority() : cpu_prio::kNone;
    const unsigned vp = v ? gic_->highest_pending_vpriority() : cpu_prio::kNone;
    const bool pok = p && passes(pp), vok = v && passes(vp);
    if (pok && (!vok || pp <= vp)) return Kind::physical;
    return vok ? Kind::virt : Kind::none;
}

void CpuInterface::on_signal(Kind rose) {
    if (acking_ != Kind::none) return;   // the acknowledge on its way takes the highest
    if (!stack_.empty() && !cfg_.preempt) return;   // taken when the handler ends
    const sc_core::sc_time now = time_now();
    // A handler whose end is due now ends first (its EOI is this instant's
    // other event); what it would be preempted by is taken after it.
    if (!stack_.empty() && stack_.back().running && stack_.back().end <= now) return;
    // A physical rise with nothing running, masked or virtual: taken as is.
    if (rose == Kind::physical && stack_.empty() && !filter_ && !vline_high()) {
        start_ack(now, Kind::physical);
        return;
    }
    const Kind k = choose();
    if (k != Kind::none) start_ack(now, k);
}

void CpuInterface::start_ack(const sc_core::sc_time& now, Kind k, bool again) {
    if (!stack_.empty() && stack_.back().running) {
        // Preempted: the handler stops here and keeps what it still has to run.
        Frame& f = stack_.back();
        f.running = false;
        f.remaining = f.end > now ? f.end - now : sc_core::SC_ZERO_TIME;
        f.stopped_at = now;
        ++stats_.preemptions;
    }
    acking_ = k;
    sc_core::sc_time latency = k == Kind::virt ? cfg_.vack_latency : cfg_.ack_latency;
    // Again after a spurious read: at least one time step later, so that a
    // zero acknowledge latency cannot repeat the read at one instant for
    // ever (the LPI becomes visible only as time passes).
    if (again && latency == sc_core::SC_ZERO_TIME) latency = sc_core::sc_get_time_resolution();
    arm(now + latency);
}

void CpuInterface::wake() {
    const sc_core::sc_time now = time_now();
    if (acking_ != Kind::none) {
        const Kind k = acking_;
        acking_ = Kind::none;
        do_ack(now, k);
        return;
    }
    if (!stack_.empty() && stack_.back().running && now >= stack_.back().end) end_handler(now);
}

void CpuInterface::do_ack(const sc_core::sc_time& now, Kind k) {
    const bool virt = k == Kind::virt;
    if (filter_ || virt) {
        // The read returns 1023 unless the highest pending priority passes
        // the mask and the running priority (nothing is acknowledged).
        const unsigned hp = virt ? gic_->highest_pending_vpriority() : gic_->highest_pending_priority();
        if (!passes(hp)) {
            if (hp != cpu_prio::kNone) ++stats_.masked;
            ++(virt ? stats_.vspurious : stats_.spurious);
            resume(now);
            return;
        }
    }
    // The acknowledge never blocks and costs no time here; the
    // redistributor takes "now" from its step (its step clock).
    Timeline tl(TimingMode::accurate);
    const uint32_t id = virt ? gic_->acknowledge_virtual(tl) : gic_->acknowledge(tl);
    if (id == 1023) {
        // Nothing to take. The line is falling (or already low): the
        // next rising edge starts over. An interrupt became selectable less
        // than a signal latency ago and has not reached this interface
        // yet (the line stays high for it): the core takes the exception
        // again, as a core whose IRQ input stays asserted does.
        ++(virt ? stats_.vspurious : stats_.spurious);
        if (virt ? gic_->vack_again() : gic_->ack_again()) start_ack(now, k, true);
        else resume(now);
        return;
    }
    stack_.emplace_back();   // built in place: a frame holds both kinds' records
    Frame& f = stack_.back();
    f.kind = k;
    if (virt) {
        ++stats_.vacks;
        f.vack.cpu = gic_->processor_number();
        f.vack.vpeid = gic_->last_vack_vpeid();
        f.vack.vintid = id;
        f.vack.t_ps = to_ps(now);
        f.vack.signalled_ps = gic_->last_vack_signalled_ps();
        f.vack.priority = gic_->last_vack_priority();
        f.priority = f.vack.priority;
        vack_counts_.bump((uint64_t(f.vack.vpeid) << 32) | id);
    } else {
        ++stats_.acks;
        ack_counts_.bump(id);
        f.ack.cpu = gic_->processor_number();
        f.ack.intid = id;
        f.ack.t_ps = to_ps(now);
        f.ack.signalled_ps = gic_->last_ack_signalled_ps();
        f.ack.priority = gic_->last_ack_priority();
        f.priority = f.ack.priority;
    }
    f.end = now + (virt ? cfg_.vhandler_latency : cfg_.handler_latency);
    stats_.max_depth = std::max<uint64_t>(stats_.max_depth, stack_.size());
    arm(f.end);
}

CpuPlan CpuInterface::plan() const {
    CpuPlan p;
    if (!direct_ || filter_ || vline_high()) return p;
    p.ack = cfg_.ack_latency;
    p.handler = cfg_.handler_latency;
    if (acking_ == Kind::none && stack_.empty()) {
        p.kind = CpuPlan::Kind::idle;
    } else if (acking_ == Kind::physical && stack_.empty()) {
        p.kind = CpuPlan::Kind::acking;
        p.at = wake_at_;
    } else if (acking_ == Kind::none && stack_.size() == 1 && stack_.back().running) {
        p.kind = CpuPlan::Kind::handling;
        p.at = stack_.back().end;
    }
    return p;
}

void CpuInterface::end_handler(const sc_core::sc_time& now) {
    // Off the stack before anything is called (only the record of its kind
    // is kept: a frame holds both).
    if (stack_.back().kind == Kind::virt) {
        VackRecord r = stack_.back().vack;
        stack_.pop_back();
        gic_->end_of_virtual_interrupt(r.vintid);
        ++stats_.veois;
        r.eoi_ps = to_ps(now);
        if (on_vack) on_vack(r);
    } else {
        AckRecord r = stack_.back().ack;
        stack_.pop_back();
        gic_->end_of_interrupt(r.intid);
        ++stats_.eois;
        r.eoi_ps = to_ps(now);
        if (on_ack) on_ack(r);
    }
    next(now);
}

void CpuInterface::next(const sc_core::sc_time& now) {
    const Kind k = choose();
    if (k != Kind::none) start_ack(now, k);
    else resume(now);
}

void CpuInterface::resume(const sc_core::sc_time& now) {
    if (stack_.empty() || stack_.back().running) return;   // idle (or nothing interrupted)
    Frame& f = stack_.back();
    const uint64_t stopped = to_ps(now) - to_ps(f.stopped_at);
    (f.kind == Kind::virt ? f.vack.preempted_ps : f.ack.preempted_ps) += stopped;
    f.running = true;
    f.end = now + f.remaining;
    arm(f.end);
}

}  // namespace itsim
