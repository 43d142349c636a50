// The Its module, part 2 of 4 (its_lane.h): the ItsEnv each thread runs the
// core with (memory through its BusMaster, pipeline steps charged to its
// Timeline, the LpiOp stream through the `rd` port), and the
// outstanding-access slots its memory accesses take in accurate mode.
#include "itsim/its/its.h"

#include <algorithm>

#include "itsim/its/its_lane.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

bool Its::Env::read(uint64_t addr, void* dst, unsigned len, ItsAccess) {
    const bool ok = lane_.tl.mode() == TimingMode::accurate
                        ? slotted(its_.reads_, its_.stats_.read_slot_waits, tlm::TLM_READ_COMMAND, addr, dst, len)
                        : lane_.bm.access(tlm::TLM_READ_COMMAND, addr, dst, len, lane_.tl);
    ++its_.stats_.bus_reads;
    if (!ok) ++its_.stats_.bus_errors;
    return ok;
}

bool Its::Env::write(uint64_t addr, const void* src, unsigned len, ItsAccess) {
    // A write command never modifies the data (TLM-2.0 rule). Never through
    // DMI (use_dmi is for table reads): the write occupies the bus and the
    // memory in fast mode too, so it meets other writes as in accurate mode.
    void* data = const_cast<void*>(src);
    const bool ok = lane_.tl.mode() == TimingMode::accurate
                        ? slotted(its_.writes_, its_.stats_.write_slot_waits, tlm::TLM_WRITE_COMMAND, addr, data, len)
                        : lane_.bm.access_bus(tlm::TLM_WRITE_COMMAND, addr, data, len, lane_.tl);
    ++its_.stats_.bus_writes;
    if (!ok) ++its_.stats_.bus_errors;
    return ok;
}

// Accurate mode: the access in one of the pool's outstanding-access slots
// (out of line, so that the fast mode's path stays short).
bool Its::Env::slotted(SlotPool& pool, uint64_t& waits, tlm::tlm_command cmd, uint64_t addr, void* data,
                       unsigned len) {
    Timeline& tl = lane_.tl;
    its_.acquire(pool, tl, waits);
    const bool ok = lane_.bm.access_bus(cmd, addr, data, len, tl);
    its_.release(pool, tl);
    return ok;
}

void Its::Env::command_fetched() {
    fetched_ps = to_ps(lane_.tl.now());
    its_.probe_.engine = ItsProbe::executing;
    its_.update_probe();
}

void Its::Env::step(ItsStep s) {
    Timeline& tl = lane_.tl;
    switch (s) {
    case ItsStep::command_fetched: command_fetched(); break;
    case ItsStep::command_decode: tl.spend(its_.t_decode_); break;
    case ItsStep::command_execute: tl.spend(its_.t_execute_); break;
    case ItsStep::command_retire: break;
    case ItsStep::device_cache:
    case ItsStep::event_cache:
    case ItsStep::collection_cache:
    case ItsStep::vpe_cache: tl.spend(its_.t_lookup_); break;
    case ItsStep::redist_hop: tl.spend(its_.t_hop_); break;
    case ItsStep::device_known:
        if (msi) msi->device_ps = to_ps(tl.now());
        break;
    case ItsStep::event_known:
        if (msi) msi->event_ps = to_ps(tl.now());
        break;
    case ItsStep::collection_known:
        if (msi) msi->collection_ps = to_ps(tl.now());
        break;
    case ItsStep::lpi_pending:
        if (msi) msi->pending_ps = to_ps(tl.now());
        break;
    }
}

namespace {
// What a command acted on, for its record (the first redistributor and LPI,
// then a second redistributor: MOVI's new target).
void note_acted(CommandRecord& a, uint32_t cpu, const uint32_t* intid) {
    if (intid && !a.has_lpi) {
        a.has_lpi = true;
        a.lpi_intid = *intid;
    }
    if (!a.has_cpu) {
        a.has_cpu = true;
        a.lpi_cpu = cpu;
    } else if (!a.has_to_cpu && cpu != a.lpi_cpu) {
        a.has_to_cpu = true;
        a.to_cpu = cpu;
    }
}
}  // namespace

LpiResult Its::Env::send(unsigned rd, const LpiOp& op) {
    LpiStreamIf* const target = its_.rds_.at(rd);
    if (!msi) {
        switch (op.kind) {
        case LpiOp::Kind::set_pending:
        case LpiOp::Kind::clear_pending:
        case LpiOp::Kind::inv: note_acted(acted, target->processor_number(), &op.intid); break;
        case LpiOp::Kind::invall: note_acted(acted, target->processor_number(), nullptr); break;
        default: break;
        }
    }
    if (lane_.posting && op.kind == LpiOp::Kind::set_pending) {
        LpiOp posted = op;
        posted.posted = true;
        return target->deliver(posted, lane_.tl);
    }
    return target->deliver(op, lane_.tl);
}

// ---------------------------------------------------------------------------
// Outstanding-access slots (accurate mode)
// ---------------------------------------------------------------------------
void Its::SlotPool::purge() {
    const sc_time now = kernel_time();
    if (busy_until.empty() || busy_until.front() > now) return;
    auto end = busy_until.begin();
    while (end != busy_until.end() && *end <= now) ++end;
    if (end != busy_until.begin()) busy_until.erase(busy_until.begin(), end);
}

unsigned Its::SlotPool::in_flight() const {
    const sc_time now = kernel_time();
    unsigned n = reserved;
    for (auto it = busy_until.rbegin(); it != busy_until.rend() && *it > now; ++it) ++n;
    return n;
}

void Its::acquire(SlotPool& p, Timeline& tl, uint64_t& waits) {
    tl.sync_now();
    p.purge();   // what is left ends after now: all of it in flight
    if (p.next_ticket == p.serving && p.reserved + p.busy_until.size() < p.max) {
        // Nobody in line and a slot free (the usual case): taken at once.
        ++p.next_ticket;
        ++p.serving;
        ++p.reserved;
        update_probe();
        return;
    }
    acquire_in_line(p, waits);
}

// acquire() found someone first in line or no slot free: wait, then look
// again, first come first served.
void Its::acquire_in_line(SlotPool& p, uint64_t& waits) {
    const uint64_t ticket = p.next_ticket++;
    for (;;) {
        ++p.waiters;
        if (ticket == p.serving && !p.busy_until.empty())
            sc_core::wait(*p.busy_until.begin() - kernel_time(), p.freed);
        else
            sc_core::wait(p.freed);
        --p.waiters;
        p.purge();
        if (ticket == p.serving && p.reserved + p.busy_until.size() < p.max) break;
    }
    ++waits;
    ++p.serving;
    ++p.reserved;
    if (p.waiters) p.freed.notify(SC_ZERO_TIME);   // the next in line may go too
    update_probe();
}

void Its::release(SlotPool& p, Timeline& tl) {
    --p.reserved;
    const sc_time done = tl.now();
    if (done > kernel_time()) {
        if (p.busy_until.empty() || p.busy_until.back() <= done)
            p.busy_until.push_back(done);   // the usual case: responses in order
        else
            p.busy_until.insert(std::upper_bound(p.busy_until.begin(), p.busy_until.end(), done), done);
    }
    if (p.waiters) p.freed.notify(SC_ZERO_TIME);   // waiters recompute their timeout
    update_probe();
}

}  // namespace itsim
