// Redistributor, part 1 (the parts: redist_ports.h): construction, the
// ITS's stream (LpiStreamIf::deliver and the physical operations), the CPU
// interface's acknowledge, the interrupt line's updates (update_irq, arm).
// The method that drives the line and the CPU: redist_coalesce.cpp.
#include "itsim/redist/redistributor.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "itsim/redist/redist_ports.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

LpiStateConfig lpi_config(const RedistConfig& c) {
    LpiStateConfig l;
    l.cache_entries = c.config_cache_entries;
    l.cache_ways = c.config_cache_ways;
    l.line_bytes = c.config_line_bytes;
    l.tracking = tracking(c.pending_table);
    return l;
}

const RedistConfig& checked(const RedistConfig& c) {
    if (c.max_id_bits < 14 || c.max_id_bits > 24)
        throw std::invalid_argument("redistributor: max_id_bits must be 14..24");
    if (c.processor_number > 0xFFFF)
        throw std::invalid_argument("redistributor: processor_number must fit 16 bits");
    if (c.pending_read_burst < 1 || c.pending_read_burst > 256)
        throw std::invalid_argument("redistributor: pending_read_burst must be 1..256");
    if (c.reg_inv_queue < 1)
        throw std::invalid_argument("redistributor: reg_inv_queue must be at least 1");
    if (c.lazy_dirty_limit < 1 || c.lazy_dirty_limit > 4096)
        throw std::invalid_argument("redistributor: lazy_dirty_limit must be 1..4096");
    return c;
}

}  // namespace

const char* to_string(PendingTablePolicy p) {
    return p == PendingTablePolicy::lazy ? "lazy" : "through";
}

const char* to_string(LpiChange::What w) {
    switch (w) {
    case LpiChange::What::set: return "set";
    case LpiChange::What::merge: return "merge";
    case LpiChange::What::clear: return "clear";
    case LpiChange::What::refresh: return "refresh";
    case LpiChange::What::drop: return "drop";
    case LpiChange::What::refused: return "refused";
    }
    return "?";
}

Redistributor::Redistributor(sc_core::sc_module_name name, const RedistConfig& cfg,
                             const RedistTiming& timing)
    : sc_module(name),
      mmio("mmio"),
      bus("bus"),
      irq("irq"),
      cfg_(checked(cfg)),
      timing_(timing),
      t_lookup_(timing.clock_period * double(timing.config_lookup_cycles)),
      t_update_(timing.clock_period * double(timing.pending_update_cycles)),
      t_signal_(timing.clock_period * double(timing.signal_cycles)),
      t_mmio_(timing.clock_period * double(timing.mmio_cycles)),
      lpi_(lpi_config(cfg)),
      bm_(bus, cfg.use_dmi) {
    mmio.register_b_transport(this, &Redistributor::b_transport);
    mmio.register_transport_dbg(this, &Redistributor::transport_dbg);
    bus.register_invalidate_direct_mem_ptr(this, &Redistributor::invalidate_dmi);

    SC_METHOD(tick);
    sensitive << irq_ev_;
    dont_initialize();

    SC_THREAD(writer_thread);
}

uint64_t Redistributor::typer() const {
    return gicr::TYPER_PLPIS | gicr::TYPER_DirectLPI | (cfg_.last ? gicr::TYPER_Last : 0) |
           (uint64_t(cfg_.processor_number) << gicr::TYPER_Processor_Number_shift) |
           (uint64_t(cfg_.affinity) << gicr::TYPER_Affinity_shift);
}

// ---------------------------------------------------------------------------
// LpiStreamIf: the ITS's messages (the virtual kinds: redist_virtual.cpp)
// ---------------------------------------------------------------------------

LpiResult Redistributor::deliver(const LpiOp& op, Timeline& tl) {
    Entry entry(*this);
    if (op.is_virtual()) return deliver_virtual(op, tl);
    LpiResult r;
    switch (op.kind) {
    case LpiOp::Kind::set_pending: r.refusal = set_pending(op.intid, tl, op.posted); break;
    case LpiOp::Kind::clear_pending: r.was_pending = clear_pending(op.intid, tl); break;
    case LpiOp::Kind::inv: inv(op.intid, tl); break;
    case LpiOp::Kind::invall: invall(tl); break;
    case LpiOp::Kind::sync: sync(tl); break;
    case LpiOp::Kind::take_all: r.taken = take_all_pending(tl); break;
    default: r.unsupported = true; break;   // not reached: the virtual kinds are above
    }
    return r;
}

inline bool Redistributor::enabled_at(Timeline& tl) {
    if (!enabled_ && !tl.no_wait() && tl.local() != SC_ZERO_TIME) tl.sync_now();
    return enabled_;
}

inline LpiRefusal Redistributor::refusal(uint32_t intid, bool enabled, uint64_t cause, const sc_time& at) {
    if (enabled && lpi_.in_range(intid)) return LpiRefusal::none;
    LpiRefusal no;
    if (!enabled) {
        ++stats_.refused_disabled;
        no = LpiRefusal::lpis_disabled;
    } else {
        ++stats_.refused_range;
        no = LpiRefusal::out_of_range;
    }
    report(LpiChange::What::refused, intid, cause, to_ps(at));
    return no;
}

void Redistributor::report(LpiChange::What w, uint32_t intid, uint64_t cause, uint64_t t_ps, uint8_t config,
                           bool valid) {
    if (!on_change) return;
    LpiChange c;
    c.what = w;
    c.t_ps = t_ps;
    c.cpu = cfg_.processor_number;
    c.intid = intid;
    c.cause = LpiCause::unpack(cause);
    c.config = config;
    c.valid = valid;
    on_change(c);
}

inline void Redistributor::queue_commit(const Commit& c) {
    // Equal times keep their order.
    auto it = std::upper_bound(commits_.begin(), commits_.end(), c.at,
                               [](const sc_time& t, const Commit& e) { return t < e.at; });
    commits_.insert(it, c);
    // Coalescing, the only caller inside: its end arms (rearm), perhaps
    // later than `at`. Another caller inside (waiting): at its time. From
    // tick(): its end arms what is next. Undecided: at its time in any case
    // (chain_end never puts it later).
    if (c.undecided) {
        ++undecided_;
        if (!in_tick_) arm(c.at);
    } else if (!in_tick_ && !(coalesce_ && inside_ == 1)) {
        arm(c.at);
    }
}

LpiRefusal Redistributor::set_pending(uint32_t intid, Timeline& tl, bool posted) {
    // A caller that may wait finds LPIs enabled or not at its own time.
    if (!posted) enabled_at(tl);
    // A poster cannot wait (fast mode's inline translation): decided just
    // after the MSI's time, when every write of that time has run, as an
    // accurate-mode caller would have found LPIs then (decide_enabled); the
    // event log's record follows (refused, or set at the update's end).
    if (!enabled_ && posted && tl.local() != SC_ZERO_TIME) {
        queue_commit(Commit{tl.now() + sc_core::sc_get_time_resolution(), intid, true,
                            LpiState::Prepared{}, tl.context()});
        return LpiRefusal::none;
    }
    if (const LpiRefusal no = refusal(intid, enabled_, tl.context(), tl.now()); no != LpiRefusal::none)
        return no;
    // The lookup now, on the caller's timeline, then the update; the
    // decision is made at the end of the update (lpi_state.h).
    Port port(*this, tl);
    const LpiState::Prepared p = lpi_.prepare_pending(intid, port);
    tl.spend(t_update_);
    if (posted) {
        // Decided and recorded by tick() at the end of the update, as below;
        // equal times keep their order.
        queue_commit(Commit{tl.now(), intid, false, p, tl.context()});
        return LpiRefusal::none;
    }
    // Catch up first: nothing (an acknowledge, a CLEAR) may see the LPI
    // pending before its time (as Port::on_pending_update).
    tl.sync_now();
    return decide_pending(intid, p, tl.context(), to_ps(tl.now()), &tl) ? LpiRefusal::none
                                                                        : LpiRefusal::lpis_disabled;
}

bool Redistributor::decide_pending(uint32_t intid, const LpiState::Prepared& p, uint64_t cause, uint64_t t_ps,
                                   Timeline* tl) {
    const LpiState::SetResult r = lpi_.commit_pending(intid, p, t_ps);
    note_count();
    // LPIs went away while the lookup or the update ran (disabled, perhaps
    // enabled again: the state was dropped): refused after all.
    if (r.abandoned || !enabled_) {
        report(LpiChange::What::refused, intid, cause, t_ps);
        return false;
    }
    if (!r.newly_pending) {   // pending at the end of the update: nothing changes
        ++stats_.already_pending;
        report(LpiChange::What::merge, intid, cause, t_ps);
        return true;
    }
    ++stats_.set_pending;
    report(LpiChange::What::set, intid, cause, t_ps, r.valid ? r.config : 0, r.valid);
    if (tl) {
        update_irq(*tl);
        note_change(*tl);
    } else {
        // From tick(), which must never wait: a no-wait timeline at now.
        Timeline own(cfg_.mode);
        own.set_no_wait(true);
        update_irq(own);
        note_change(own);
    }
    return true;
}

void Redistributor::apply_commits(const sc_time& now) {
    while (!commits_.empty() && commits_.front().at <= now) {
        const Commit c = commits_.front();
        commits_.erase(commits_.begin());
        if (c.undecided) {
            --undecided_;
            decide_enabled(c);
        } else {
            decide_pending(c.intid, c.p, c.cause, to_ps(c.at), nullptr);
        }
    }
}

// A posted LPI that found LPIs disabled at the kernel's time, ahead of it,
// one time step after its own time (`issued`): LPIs enabled at or before
// that time (enabled_since_, the kernel's time of the GICR_CTLR write, as
// in accurate mode) take it, with the lookup from here and the commit at
// the end of the update, the costs set_pending charges; otherwise refused
// as set_pending refuses. tick() never waits: a no-wait timeline.
void Redistributor::decide_enabled(const Commit& c) {
    const sc_time issued = c.at - sc_core::sc_get_time_resolution();
    if (refusal(c.intid, enabled_ && enabled_since_ <= issued, c.cause, issued) != LpiRefusal::none) return;
    // Loosely timed whatever the mode: a read adds its latency, never waits.
    Timeline own(TimingMode::fast);
    own.set_no_wait(true);
    own.set_context(c.cause);
    const sc_time from = own.now();
    Port port(*this, own);
    const LpiState::Prepared p = lpi_.prepare_pending(c.intid, port);
    queue_commit(Commit{issued + (own.now() - from) + t_update_, c.intid, false, p, c.cause});
}

bool Redistributor::clear_pending(uint32_t intid, Timeline& tl) {
    if (!enabled_at(tl) || !lpi_.in_range(intid)) return false;
    tl.spend(t_update_);
    tl.sync_now();  // the change happens at its time (see Port::on_pending_update)
    if (!enabled_ || !lpi_.clear_pending(intid)) return false;
    note_count();
    ++stats_.cleared;
    report(LpiChange::What::clear, intid, tl.context(), to_ps(tl.now()));
    update_irq(tl);
    note_change(tl);
    return true;
}

void Redistributor::inv(uint32_t intid, Timeline& tl) {
    if (!enabled_at(tl) || !lpi_.in_range(intid)) return;
    // Which LPIs are pending is looked at at the caller's time (a caller
    // running ahead in fast mode would miss an LPI recorded meanwhile).
    tl.sync_now();
    if (!enabled_) return;
    ++stats_.invs;
    Port port(*this, tl);
    if (lpi_.inv(intid, port)) update_irq(tl);
}

void Redistributor::invall(Timeline& tl) {
    if (!enabled_at(tl)) return;
    tl.sync_now();   // as inv: the pending set at the caller's time
    if (!enabled_) return;
    ++stats_.invalls;
    Port port(*this, tl);
    lpi_.invall(port);
    update_irq(tl);
}

void Redistributor::sync(Timeline& tl) {
    ++stats_.syncs;
    complete_reg_invalidations(tl);
    if (lazy() && lpi_.has_dirty()) ++stats_.lazy_flushes;
    drain(tl);
    wait_writes(tl);
}

std::vector<uint32_t> Redistributor::take_all_pending(Timeline& tl) {
    if (!enabled_at(tl)) return {};
    tl.sync_now();  // as clear_pending: the state changes at the caller's time
    if (!enabled_) return {};
    std::vector<uint32_t> all = lpi_.take_all();
    note_count();
    if (all.empty()) return all;
    for (uint32_t intid : all) report(LpiChange::What::clear, intid, tl.context(), to_ps(tl.now()));
    tl.spend(t_update_ * double(all.size()));
    stats_.cleared += all.size();
    update_irq(tl);
    note_change(tl);
    return all;
}

// ---------------------------------------------------------------------------
// RedistCpuIf
// ---------------------------------------------------------------------------

uint32_t Redistributor::acknowledge(Timeline& tl) {
    // Only what the CPU interface can know: an LPI made selectable less
    // than signal_cycles ago has not reached it yet (lpi_state.h, I4).
    const uint64_t now_ps = to_ps(at(tl)), sig_ps = to_ps(t_signal_);
    const uint64_t visible = now_ps >= sig_ps ? now_ps - sig_ps : 0;
    const LpiState::Ack a = enabled_ && now_ps >= sig_ps ? lpi_.acknowledge(visible) : LpiState::Ack{};
    note_count();
    if (a.intid == lpi::kSpurious) {
        ++stats_.spurious_acks;
        last_ack_signalled_ps_ = 0;
        last_ack_config_ = 0;
        ack_again_ = a.none_visible || (enabled_ && now_ps < sig_ps && lpi_.has_selectable());
        return lpi::kSpurious;
    }
    ack_again_ = false;
    ++stats_.acks;
    last_ack_config_ = a.config;
    last_ack_signalled_ps_ = std::max(a.stamp + sig_ps, rise_ps_);
    if (!lazy()) post_writes(tl);   // lazy: never writes here (see the header)
    update_irq(tl);
    return a.intid;
}

void Redistributor::end_of_interrupt(uint32_t) { ++stats_.eois; }

// ---------------------------------------------------------------------------
// The interrupt line and the directly driven CPU interface
// ---------------------------------------------------------------------------

void Redistributor::update_irq(const Timeline& tl) {
    const bool want = enabled_ && lpi_.has_selectable();
    if (want) {
        if (irq_level_) {   // stays high (a fall that is armed finds it wanted)
            note_priority_change(tl);   // a higher priority may have arrived under it
            return;
        }
        const sc_time due = at(tl) + t_signal_;
        if (!rise_pending_ || due < rise_at_) {
            rise_pending_ = true;
            rise_at_ = due;
        }
        if (!in_tick_) arm(rise_at_);
    } else {
        rise_pending_ = false;
        if (in_tick_) return;   // tick() drives the line before it returns
        if (irq_level_) {
            arm(tl.now());
        } else if (ev_armed_ && !cpu_wake_ && commits_.empty()) {
            irq_ev_.cancel();
            ev_armed_ = false;
        }
    }
}

void Redistributor::arm(const sc_time& when) {
    if (ev_armed_ && ev_at_ <= when) return;
    if (ev_armed_) irq_ev_.cancel();   // not armed: nothing to cancel (tick() clears it)
    // A step's time may lie behind the kernel's while tick() catches up
    // (coalescing): what is due then runs at once.
    const sc_time& k = kernel_time();
    const sc_time at = when < k ? k : when;
    irq_ev_.notify(at - k);
    ev_armed_ = true;
    ev_at_ = at;
}

bool Redistributor::attach_cpu(CpuLink* cpu) {
    if (cpu_ || !cpu) return false;
    cpu_ = cpu;
    cpu->set_step_clock(&step_now_);   // the CPU is called from step() only
    return true;
}

void Redistributor::wake_cpu_at(const sc_time& t) {
    cpu_wake_ = true;
    cpu_at_ = t;
    if (!in_tick_) arm(t);
}


}  // namespace itsim
