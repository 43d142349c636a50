// Redistributor, part 2 of 3 (redist_ports.h): the pending-table writes -
// changes noted, posted (through) or written back (lazy, SYNC, overflow),
// and the write buffer's thread.
#include "itsim/redist/redistributor.h"

#include <algorithm>

#include "itsim/redist/redist_ports.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

// ---------------------------------------------------------------------------
// Pending-table writes
// ---------------------------------------------------------------------------

bool Redistributor::set_pending_table(PendingTablePolicy p) {
    if (enabled_ || !lpi_.set_tracking(tracking(p))) return false;
    cfg_.pending_table = p;
    return true;
}

void Redistributor::note_change(Timeline& tl) {
    if (!lazy()) {
        post_writes(tl);
        return;
    }
    if (lpi_.dirty_count() <= cfg_.lazy_dirty_limit) return;
    // Overflow: the dirty bytes are written back from here, posted as the
    // `through` policy posts them (the caller is not held: its LPI was
    // recorded, and visible, before this write-back began).
    ++stats_.lazy_overflows;
    ++stats_.lazy_flushes;
    post_writes(tl);
}

void Redistributor::post_writes(const Timeline& tl) {
    if (!lpi_.has_dirty()) return;
    const sc_time now = sc_core::sc_time_stamp();
    if (cfg_.mode == TimingMode::fast) {
        // Every queued byte now, each starting when the previous one ends.
        Timeline wt(TimingMode::fast);
        wt.spend(std::max(tl.now(), write_done_at_) - now);
        PostPort port(*this, wt);
        while (lpi_.write_one(port)) {}
        return;
    }
    // accurate: the poster at its time and the buffer idle: the first byte
    // leaves now, from here; the rest (and any write that must wait) from
    // the buffer's thread, at its time.
    if (tl.local() == SC_ZERO_TIME && write_done_at_ <= now && post_at_ <= now) {
        Timeline wt(TimingMode::accurate);
        PostPort port(*this, wt);
        lpi_.write_one(port);
        if (!lpi_.has_dirty()) return;
    }
    post_at_ = std::max(post_at_, tl.now());
    write_ev_.notify(tl.local());
}

void Redistributor::drain(Timeline& tl) {
    Port port(*this, tl);
    for (;;) {
        if (!lpi_.has_dirty()) break;
        // A byte is not written before the change it carries was posted (a
        // caller running ahead in local time changes the state early).
        if (tl.now() < post_at_) tl.spend(post_at_ - tl.now());
        // One pending-table write at a time: not before the previous one
        // (posted or not) has completed.
        if (tl.now() < write_done_at_) tl.spend(write_done_at_ - tl.now());
        // Wait out local time first, then compute and write with no wait
        // in between (see Port).
        if (tl.mode() == TimingMode::accurate) tl.sync_now();
        if (!lpi_.write_one(port)) break;
    }
}

void Redistributor::wait_writes(Timeline& tl) {
    if (tl.now() < write_done_at_) tl.spend(write_done_at_ - tl.now());
}

void Redistributor::writer_thread() {
    for (;;) {
        about_to_wait();
        sc_core::wait(write_ev_);
        // A fresh timeline per burst: the previous burst's time is not waited
        // out (nothing depends on this thread's time but write_done_at_);
        // the new burst starts after the previous write completed.
        Timeline tl(cfg_.mode);
        const sc_time now = sc_core::sc_time_stamp();
        if (now < write_done_at_) tl.spend(write_done_at_ - now);
        drain(tl);
    }
}

}  // namespace itsim
