#include "cpu/cpu_interface.h"

namespace itsim {

CpuInterface::CpuInterface(sc_core::sc_module_name name, const CpuInterfaceConfig& cfg)
    : sc_module(name), irq("irq"), rd("rd"), cfg_(cfg), one_ps_(1, sc_core::SC_PS) {
    SC_METHOD(on_irq_rise);
    sensitive << irq.pos();
    dont_initialize();

    SC_METHOD(on_timer);
    sensitive << timer_;
    dont_initialize();
}

uint64_t CpuInterface::acks(uint32_t intid) const {
    auto it = ack_counts_.find(intid);
    return it == ack_counts_.end() ? 0 : it->second;
}

void CpuInterface::start_ack() {
    state_ = State::acking;
    timer_.notify(cfg_.ack_latency);
}

void CpuInterface::on_irq_rise() {
    if (state_ == State::idle) start_ack();
}

void CpuInterface::on_timer() {
    if (state_ == State::acking) {
        // The acknowledge never blocks; its timeline only carries the
        // redistributor's notion of "now" (no local offset here).
        Timeline tl(TimingMode::accurate);
        const uint32_t intid = rd->acknowledge(tl);
        if (intid == 1023) {
            // Nothing selectable: the line is falling (or already low); the
            // next rising edge starts over.
            ++stats_.spurious;
            state_ = State::idle;
            return;
        }
        ++stats_.acks;
        ++ack_counts_[intid];
        cur_ = AckRecord{};
        cur_.cpu = rd->processor_number();
        cur_.intid = intid;
        cur_.t_ps = to_ps(tl.now());
        cur_.signalled_ps = rd->last_ack_signalled_ps();
        state_ = State::handling;
        timer_.notify(tl.local() + cfg_.handler_latency);
        return;
    }
    if (state_ == State::handling) {
        rd->end_of_interrupt(cur_.intid);
        ++stats_.eois;
        cur_.eoi_ps = to_ps(sc_core::sc_time_stamp());
        state_ = State::idle;
        if (on_ack) on_ack(cur_);
        if (irq.read()) start_ack();
    }
}

}  // namespace itsim
