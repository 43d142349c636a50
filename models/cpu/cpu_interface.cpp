#include "itsim/cpu/cpu_interface.h"

namespace itsim {

CpuInterface::CpuInterface(sc_core::sc_module_name name, const CpuInterfaceConfig& cfg)
    : sc_module(name), irq("irq"), rd("rd"), cfg_(cfg), one_ps_(1, sc_core::SC_PS) {
    // Runs once at initialisation; keeps watching the line only when the
    // redistributor does not drive this CPU (dynamic sensitivity).
    SC_METHOD(edge_method);

    SC_METHOD(timer_method);
    sensitive << timer_;
    dont_initialize();
}

void CpuInterface::end_of_elaboration() { direct_ = rd->attach_cpu(this); }

uint64_t CpuInterface::acks(uint32_t intid) const {
    auto it = ack_counts_.find(intid);
    return it == ack_counts_.end() ? 0 : it->second;
}

void CpuInterface::arm(const sc_core::sc_time& at) {
    if (direct_) rd->wake_cpu_at(at);
    else timer_.notify(at - sc_core::sc_time_stamp());
}

void CpuInterface::start_ack(const sc_core::sc_time& now) {
    state_ = State::acking;
    arm(now + cfg_.ack_latency);
}

void CpuInterface::edge_method() {
    if (direct_) return;   // never triggered again
    if (edge_armed_) line_rose();
    edge_armed_ = true;
    next_trigger(irq.posedge_event());
}

void CpuInterface::timer_method() { wake(); }

void CpuInterface::line_rose() {
    if (state_ == State::idle) start_ack(sc_core::sc_time_stamp());
}

void CpuInterface::wake() {
    if (state_ == State::acking) {
        // The acknowledge never blocks; its timeline only carries the
        // redistributor's notion of "now" (no local offset here).
        Timeline tl(TimingMode::accurate);
        const uint32_t intid = rd->acknowledge(tl);
        if (intid == 1023) {
            // Nothing to take. The line is falling (or already low): the
            // next rising edge starts over. An LPI became selectable less
            // than a signal latency ago and has not reached this interface
            // yet (the line stays high for it): the core takes the
            // exception again, as a core whose IRQ input stays asserted does.
            ++stats_.spurious;
            if (rd->ack_again()) start_ack(sc_core::sc_time_stamp());
            else state_ = State::idle;
            return;
        }
        ++stats_.acks;
        ++ack_counts_[intid];
        cur_ = AckRecord{};
        cur_.cpu = rd->processor_number();
        cur_.intid = intid;
        cur_.t_ps = to_ps(tl.now());
        cur_.signalled_ps = rd->last_ack_signalled_ps();
        cur_.priority = rd->last_ack_priority();
        state_ = State::handling;
        arm(tl.now() + cfg_.handler_latency);
        return;
    }
    if (state_ == State::handling) {
        rd->end_of_interrupt(cur_.intid);
        ++stats_.eois;
        cur_.eoi_ps = to_ps(sc_core::sc_time_stamp());
        state_ = State::idle;
        if (on_ack) on_ack(cur_);
        if (line_high()) start_ack(sc_core::sc_time_stamp());
    }
}

}  // namespace itsim
