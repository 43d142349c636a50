// The Its module, part 4 of 4 (its_lane.h): MSI ingress (the FIFO), the
// translation workers, and the inline path of fast mode.
#include "itsim/its/its.h"

#include <algorithm>

#include "itsim/its/its_lane.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

// ---------------------------------------------------------------------------
// Translation
// ---------------------------------------------------------------------------
void Its::accept_msi(uint32_t device, uint32_t event, uint64_t tag, sc_time& delay) {
    if (cfg_.mode == TimingMode::fast) {
        accept_inline(device, event, tag, delay);
        return;
    }
    sc_time arrival = kernel_time() + delay;
    if (ingress_.size() >= cfg_.ingress_depth) {
        ++stats_.ingress_waits;
        sc_core::wait(delay);
        delay = SC_ZERO_TIME;
        ++space_waiters_;
        while (ingress_.size() >= cfg_.ingress_depth) sc_core::wait(space_ev_);
        --space_waiters_;
        arrival = kernel_time();
    }
    Item it;
    it.device = device;
    it.event = event;
    it.tag = tag;
    it.accepted = arrival;
    it.start = arrival + t_ingress_;
    ingress_.push_back(it);
    core_.set_waiting_msis(unsigned(ingress_.size()) + popped_not_started_);
    ++stats_.msis_accepted;
    // Wake one idle slot (none idle: a busy one takes it when it is done).
    // accurate: when the translation starts; fast: now (the worker runs
    // ahead on its own timeline).
    if (!idle_workers_.empty()) {
        Lane& lane = *worker_lanes_[idle_workers_.back()];
        idle_workers_.pop_back();
        if (cfg_.mode == TimingMode::accurate) lane.wake.notify(it.start - kernel_time());
        else lane.wake.notify(SC_ZERO_TIME);
    }
    update_probe();
}

// fast mode: the MSI is translated here, in the writer's b_transport, on
// the lane of the slot that is free first, from max(its start, that slot's
// end of work) - what that slot's worker would do, through the same
// translate_item() -, on the lane's own timeline (ahead of kernel time,
// never waiting). The lane is `posting`: its set_pending op goes out with
// `posted` (lpi_stream.h), and the target redistributor records the LPI at
// its time. No thread resumes. The FIFO holds an MSI from
// its arrival until its translation starts; a write that finds ingress_depth
// of them (at kernel time, as accept_msi does) waits in its b_transport
// until its arrival and then until the first one starts.
void Its::accept_inline(uint32_t device, uint32_t event, uint64_t tag, sc_time& delay) {
    sc_time now = kernel_time();
    sc_time arrival = now + delay;
    auto leave = [this](const sc_time& t) {   // starts at or before t have left the FIFO
        auto e = inline_starts_.begin();
        while (e != inline_starts_.end() && *e <= t) ++e;
        inline_starts_.erase(inline_starts_.begin(), e);
    };
    leave(now);   // as the workers would have taken them by now
    if (inline_starts_.size() >= cfg_.ingress_depth) {
        ++stats_.ingress_waits;
        sc_core::wait(delay);
        delay = SC_ZERO_TIME;
        for (;;) {
            now = kernel_time();
            leave(now);
            if (inline_starts_.size() < cfg_.ingress_depth) break;
            sc_core::wait(inline_starts_.front() - now);
        }
        arrival = now;
    }
    Item it;
    it.device = device;
    it.event = event;
    it.tag = tag;
    it.accepted = arrival;
    it.start = arrival + t_ingress_;
    ++stats_.msis_accepted;
    Lane* lane = worker_lanes_.front().get();
    for (auto& l : worker_lanes_)
        if (l->busy_until < lane->busy_until) lane = l.get();
    const sc_time begin = std::max(it.start, lane->busy_until);
    inline_starts_.insert(std::upper_bound(inline_starts_.begin(), inline_starts_.end(), begin), begin);
    Timeline& tl = lane->tl;   // its worker waits, idle, with no local offset
    tl.set_no_wait(true);
    lane->posting = true;
    tl.spend(begin - now);
    translate_item(*lane, it);
    lane->busy_until = tl.now();
    lane->posting = false;
    tl.set_local(SC_ZERO_TIME);
    tl.set_no_wait(false);
}

void Its::translate_item(Lane& lane, const Item& it) {
    Timeline& tl = lane.tl;
    MsiRecord rec;
    rec.tag = it.tag;
    rec.accepted_ps = to_ps(it.accepted);
    rec.started_ps = to_ps(tl.now());
    ++active_workers_;
    update_probe();
    tl.set_context(LpiCause::msi(it.tag).pack());
    lane.env.msi = &rec;
    core_.translate(it.device, it.event, lane.env, rec);
    lane.env.msi = nullptr;
    --active_workers_;
    ++probe_.msis_done;
    update_probe();
    if (on_msi) on_msi(rec);
}

void Its::worker(unsigned index) {
    Lane& lane = *worker_lanes_[index];
    Timeline& tl = lane.tl;
    for (;;) {
        // accurate: the slot is free only once its previous translation's
        // time has passed (otherwise it would take the next MSI early).
        tl.sync();
        while (ingress_.empty()) {
            // Catch up first, then look again (an MSI that arrived while
            // this slot waited out its time found it busy, not idle).
            if (tl.local() != SC_ZERO_TIME) {
                tl.sync_now();
                continue;
            }
            idle_workers_.push_back(index);   // accept_msi takes it off when it wakes it
            sc_core::wait(lane.wake);
        }
        const Item it = ingress_.front();
        ingress_.pop_front();
        ++popped_not_started_;   // still counts for Quiescent until translate() takes it
        if (space_waiters_) space_ev_.notify(SC_ZERO_TIME);
        if (tl.now() < it.start) tl.spend(it.start - tl.now());
        tl.sync();   // accurate: look at caches and tables at the true time
        // From here the core counts it (translations in flight).
        --popped_not_started_;
        core_.set_waiting_msis(unsigned(ingress_.size()) + popped_not_started_);
        translate_item(lane, it);
    }
}

}  // namespace itsim
