#include "redist/redistributor.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace itsim {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {

PendingTracking tracking(PendingTablePolicy p) {
    return p == PendingTablePolicy::lazy ? PendingTracking::net : PendingTracking::queue;
}

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

// The LpiState backend over this module's BusMaster and a caller's Timeline.
// Accurate mode: the local time is waited out before each access, so that
// BusMaster::access (which does the same) cannot block once it has filled
// in its payload: the shared BusMaster is then safe for every thread that
// calls into this redistributor (bus and memory never wait in b_transport).
class Redistributor::Port final : public LpiBackend {
public:
    Port(Redistributor& rd, Timeline& tl) : rd_(rd), tl_(tl) {}
    bool read(uint64_t addr, void* dst, unsigned len) override {
        if (tl_.mode() == TimingMode::accurate) tl_.sync_now();
        return rd_.bm_.access(tlm::TLM_READ_COMMAND, addr, dst, len, tl_);
    }
    // Callers sync before computing the data (drain()), so that the byte
    // written is the one computed at the time of the write.
    bool write(uint64_t addr, const void* src, unsigned len) override {
        if (tl_.mode() == TimingMode::accurate) tl_.sync_now();
        const bool ok =
            rd_.bm_.access(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, tl_);
        rd_.write_done_at_ = std::max(rd_.write_done_at_, tl_.now());
        return ok;
    }
    void on_config_lookup() override { tl_.spend(rd_.t_lookup_); }
    // Catch up before the state changes, in both modes, so that nothing (an
    // acknowledge, a CLEAR) sees the LPI pending before its time: the CPU
    // side runs at kernel time, so a caller running ahead (fast mode) must
    // not change what it sees early. One kernel resume per new pending LPI.
    void on_pending_update() override {
        tl_.spend(rd_.t_update_);
        tl_.sync_now();
    }
    uint64_t stamp() override { return rd_.to_ps(tl_.now()); }
    void on_refreshed(uint32_t intid, uint8_t config, bool valid) override {
        rd_.report(LpiChange::What::refresh, intid, tl_.context(), rd_.to_ps(tl_.now()), config, valid);
    }
    void on_loaded(uint32_t intid, uint8_t config, bool valid) override {
        rd_.report(LpiChange::What::set, intid, tl_.context(), rd_.to_ps(tl_.now()), config, valid);
    }

private:
    Redistributor& rd_;
    Timeline& tl_;
};

// Posted pending-table writes issued by the poster (BusMaster::post: never
// waits, never DMI), on a timeline of their own.
class Redistributor::PostPort final : public MemPort {
public:
    PostPort(Redistributor& rd, Timeline& tl) : rd_(rd), tl_(tl) {}
    bool read(uint64_t, void*, unsigned) override { return false; }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        const bool ok = rd_.bm_.post(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, tl_);
        rd_.write_done_at_ = std::max(rd_.write_done_at_, tl_.now());
        return ok;
    }

private:
    Redistributor& rd_;
    Timeline& tl_;
};

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
      one_ps_(1, sc_core::SC_PS),
      bm_(bus, cfg.use_dmi),
      lpi_(lpi_config(cfg)) {
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
// LpiTarget
// ---------------------------------------------------------------------------

LpiRefusal Redistributor::refusal(uint32_t intid) {
    if (!enabled_) {
        ++stats_.refused_disabled;
        return LpiRefusal::lpis_disabled;
    }
    if (!lpi_.in_range(intid)) {
        ++stats_.refused_range;
        return LpiRefusal::out_of_range;
    }
    return LpiRefusal::none;
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

LpiRefusal Redistributor::set_pending(uint32_t intid, Timeline& tl) {
    if (const LpiRefusal no = refusal(intid); no != LpiRefusal::none) {
        report(LpiChange::What::refused, intid, tl.context(), to_ps(tl.now()));
        return no;
    }
    Port port(*this, tl);
    // Lookup, update, and the decision at the end of the update (lpi_state.h).
    const LpiState::SetResult r = lpi_.set_pending(intid, port);
    if (r.newly_pending) {
        ++stats_.set_pending;
        auto cfg = lpi_.pending_config(intid);
        report(LpiChange::What::set, intid, tl.context(), to_ps(tl.now()), cfg.value_or(0), cfg.has_value());
        update_irq(tl);
        note_change(tl);
    } else {
        // LPIs went away while the lookup or the update ran: refused after all.
        if (r.abandoned || !enabled_) {
            report(LpiChange::What::refused, intid, tl.context(), to_ps(tl.now()));
            return LpiRefusal::lpis_disabled;
        }
        // Pending at the end of the update: nothing changes.
        ++stats_.already_pending;
        report(LpiChange::What::merge, intid, tl.context(), to_ps(tl.now()));
    }
    return LpiRefusal::none;
}

LpiRefusal Redistributor::post_pending(uint32_t intid, Timeline& tl) {
    if (const LpiRefusal no = refusal(intid); no != LpiRefusal::none) {
        report(LpiChange::What::refused, intid, tl.context(), to_ps(tl.now()));
        return no;
    }
    Port port(*this, tl);
    const LpiState::Prepared p = lpi_.prepare_pending(intid, port);
    tl.spend(t_update_);
    // Decided and recorded by tick() at the end of the update (pending by
    // then: a merge), as set_pending decides; equal times keep their order.
    const sc_time at = tl.now();
    auto it = std::upper_bound(commits_.begin(), commits_.end(), at,
                               [](const sc_time& t, const Commit& c) { return t < c.at; });
    commits_.insert(it, Commit{at, intid, p, tl.context()});
    if (!in_tick_) arm(at);
    return LpiRefusal::none;
}

void Redistributor::apply_commits(const sc_time& now) {
    while (!commits_.empty() && commits_.front().at <= now) {
        const Commit c = commits_.front();
        commits_.erase(commits_.begin());
        if (!enabled_) {   // LPIs went away meanwhile (the state was dropped)
            report(LpiChange::What::refused, c.intid, c.cause, to_ps(c.at));
            continue;
        }
        const LpiState::SetResult r = lpi_.commit_pending(c.intid, c.p, to_ps(c.at));
        if (r.abandoned) {   // disabled and enabled again since it was posted
            report(LpiChange::What::refused, c.intid, c.cause, to_ps(c.at));
            continue;
        }
        if (!r.newly_pending) {
            ++stats_.already_pending;
            report(LpiChange::What::merge, c.intid, c.cause, to_ps(c.at));
            continue;
        }
        ++stats_.set_pending;
        auto cfg = lpi_.pending_config(c.intid);
        report(LpiChange::What::set, c.intid, c.cause, to_ps(c.at), cfg.value_or(0), cfg.has_value());
        // This method must never wait: a no-wait timeline at `now`.
        Timeline tl(cfg_.mode);
        tl.set_no_wait(true);
        update_irq(tl);
        note_change(tl);
    }
}

bool Redistributor::clear_pending(uint32_t intid, Timeline& tl) {
    if (!enabled_ || !lpi_.in_range(intid)) return false;
    tl.spend(t_update_);
    tl.sync_now();  // the change happens at its time (see Port::on_pending_update)
    if (!enabled_ || !lpi_.clear_pending(intid)) return false;
    ++stats_.cleared;
    report(LpiChange::What::clear, intid, tl.context(), to_ps(tl.now()));
    update_irq(tl);
    note_change(tl);
    return true;
}

void Redistributor::inv(uint32_t intid, Timeline& tl) {
    if (!enabled_ || !lpi_.in_range(intid)) return;
    // Which LPIs are pending is looked at at the caller's time (a caller
    // running ahead in fast mode would miss an LPI recorded meanwhile).
    tl.sync_now();
    if (!enabled_) return;
    ++stats_.invs;
    Port port(*this, tl);
    if (lpi_.inv(intid, port)) update_irq(tl);
}

void Redistributor::invall(Timeline& tl) {
    if (!enabled_) return;
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
    if (!enabled_) return {};
    tl.sync_now();  // as clear_pending: the state changes at the caller's time
    if (!enabled_) return {};
    std::vector<uint32_t> all = lpi_.take_all();
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
    const uint64_t now_ps = to_ps(tl.now()), sig_ps = to_ps(t_signal_);
    const uint64_t visible = now_ps >= sig_ps ? now_ps - sig_ps : 0;
    const LpiState::Ack a = enabled_ && now_ps >= sig_ps ? lpi_.acknowledge(visible) : LpiState::Ack{};
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

// ---------------------------------------------------------------------------
// Register-based invalidations
// ---------------------------------------------------------------------------

void Redistributor::complete_reg_invalidations(Timeline& tl) {
    if (!enabled_) {
        reg_inv_.clear();
        reg_invall_ = false;
        return;
    }
    if (!reg_invall_ && reg_inv_.empty()) return;
    tl.sync_now();   // as inv: the pending set at the caller's time
    if (!enabled_) return;
    // The refreshes are the register writes' (whoever completes them).
    const uint64_t ctx = tl.context();
    tl.set_context(LpiCause::reg(reg_invall_ ? LpiCause::INVALLR : LpiCause::INVLPIR).pack());
    Port port(*this, tl);
    if (reg_invall_) {
        reg_invall_ = false;
        reg_inv_.clear();
        ++stats_.reg_invalls;
        lpi_.invall(port);
    } else {
        std::vector<uint32_t> ids;
        ids.swap(reg_inv_);
        for (uint32_t id : ids) {
            if (!enabled_) break;   // EnableLPIs 1 -> 0 while a re-read waited
            ++stats_.reg_invs;
            lpi_.inv(id, port);
        }
    }
    tl.set_context(ctx);
    update_irq(tl);
}

// ---------------------------------------------------------------------------
// The interrupt line and the directly driven CPU interface
// ---------------------------------------------------------------------------

void Redistributor::update_irq(const Timeline& tl) {
    const bool want = enabled_ && lpi_.has_selectable();
    if (want) {
        if (irq_level_) return;   // stays high (a fall that is armed finds it wanted)
        const sc_time due = tl.now() + t_signal_;
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

void Redistributor::arm(const sc_time& at) {
    if (ev_armed_ && ev_at_ <= at) return;
    irq_ev_.cancel();
    irq_ev_.notify(at - sc_core::sc_time_stamp());
    ev_armed_ = true;
    ev_at_ = at;
}

bool Redistributor::attach_cpu(CpuLink* cpu) {
    if (cpu_ || !cpu) return false;
    cpu_ = cpu;
    return true;
}

void Redistributor::wake_cpu_at(const sc_time& t) {
    cpu_wake_ = true;
    cpu_at_ = t;
    if (!in_tick_) arm(t);
}

void Redistributor::drive_line(const sc_time& now) {
    const bool want = enabled_ && lpi_.has_selectable();
    if (!want) {
        rise_pending_ = false;
        if (irq_level_) {
            irq_level_ = false;
            irq.write(false);
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
    irq.write(true);
    if (cpu_) cpu_->line_rose();
}

void Redistributor::tick() {
    ++stats_.activations;
    ev_armed_ = false;
    const sc_time now = sc_core::sc_time_stamp();
    in_tick_ = true;
    if (!commits_.empty()) apply_commits(now);
    drive_line(now);
    if (cpu_wake_ && now >= cpu_at_) {
        cpu_wake_ = false;
        cpu_->wake();      // may acknowledge: the line then falls right here
        drive_line(now);
    }
    in_tick_ = false;
    // What is still ahead: a rise, the CPU's next wake-up.
    bool any = false;
    sc_time next;
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
    if (any) arm(std::max(next, now));
}

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------

bool Redistributor::is_reg64(uint64_t off) {
    switch (off) {
    case gicr::TYPER:
    case gicr::SETLPIR:
    case gicr::CLRLPIR:
    case gicr::PROPBASER:
    case gicr::PENDBASER:
    case gicr::INVLPIR:
    case gicr::INVALLR:
        return true;
    default:
        return false;
    }
}

uint64_t Redistributor::read_reg64(uint64_t off, Timeline*) {
    switch (off) {
    case gicr::TYPER: return typer();
    case gicr::PROPBASER: return propbaser_;
    case gicr::PENDBASER: return pendbaser_;   // PTZ reads 0
    default: return 0;                        // SETLPIR, CLRLPIR, INVLPIR, INVALLR: WO
    }
}

uint32_t Redistributor::read_reg32(uint64_t off, Timeline* tl) {
    switch (off) {
    case gicr::CTLR:
        return (enabled_ ? gicr::CTLR_EnableLPIs : 0) | (cfg_.allow_disable ? gicr::CTLR_CES : 0) |
               gicr::CTLR_IR;   // RWP = 0: the work of a CTLR write is done when it returns
    case gicr::IIDR: return cfg_.iidr;
    case gicr::WAKER:
        return processor_sleep_ ? (gicr::WAKER_ProcessorSleep | gicr::WAKER_ChildrenAsleep) : 0;
    case gicr::SYNCR:
        if (tl) {   // the read completes the outstanding work
            tl->set_context(LpiCause::reg(LpiCause::SYNCR).pack());
            sync(*tl);
        }
        return 0;
    case gicr::PIDR2: return gicr::PIDR2_Value;
    default: return 0;
    }
}

void Redistributor::write_reg64(uint64_t off, uint64_t value, uint64_t mask, Timeline& tl) {
    const bool low = (mask & 0xFFFFFFFFull) != 0;
    switch (off) {
    case gicr::SETLPIR:
        tl.set_context(LpiCause::reg(LpiCause::SETLPIR).pack());
        if (low && set_pending(uint32_t(value), tl) != LpiRefusal::none) ++stats_.reg_ignored;
        break;
    case gicr::CLRLPIR:
        tl.set_context(LpiCause::reg(LpiCause::CLRLPIR).pack());
        if (low) clear_pending(uint32_t(value), tl);
        break;
    case gicr::PROPBASER:
        if (enabled_) {
            ++stats_.ignored_base_writes;
            break;
        }
        propbaser_ = ((propbaser_ & ~mask) | (value & mask)) & gicr::PROPBASER_Writable;
        break;
    case gicr::PENDBASER:
        if (enabled_) {
            ++stats_.ignored_base_writes;
            break;
        }
        pendbaser_ = ((pendbaser_ & ~mask) | (value & mask)) & gicr::PENDBASER_Writable;
        if (mask & gicr::PENDBASER_PTZ) ptz_ = (value & gicr::PENDBASER_PTZ) != 0;
        break;
    case gicr::INVLPIR: {
        if (!low) break;
        const uint32_t id = uint32_t(value);
        if ((mask & value & gicr::INVLPIR_V) || !enabled_ || !lpi_.in_range(id)) {
            ++stats_.reg_ignored;
            break;
        }
        if (reg_invall_) break;   // already covered
        if (reg_inv_.size() >= cfg_.reg_inv_queue) {
            reg_inv_.clear();
            reg_invall_ = true;
        } else {
            reg_inv_.push_back(id);
        }
        break;
    }
    case gicr::INVALLR:
        if ((mask & value & gicr::INVLPIR_V) || !enabled_) {
            ++stats_.reg_ignored;
            break;
        }
        reg_inv_.clear();
        reg_invall_ = true;
        break;
    default:
        break;   // TYPER: RO
    }
}

void Redistributor::write_reg32(uint64_t off, uint32_t value, Timeline& tl) {
    switch (off) {
    case gicr::CTLR: write_ctlr(value, tl); break;
    case gicr::WAKER: processor_sleep_ = (value & gicr::WAKER_ProcessorSleep) != 0; break;
    default: break;
    }
}

void Redistributor::write_ctlr(uint32_t value, Timeline& tl) {
    const bool want = (value & gicr::CTLR_EnableLPIs) != 0;
    if (want && !enabled_) enable_lpis(tl);
    else if (!want && enabled_ && cfg_.allow_disable) disable_lpis(tl);
}

void Redistributor::enable_lpis(Timeline& tl) {
    const unsigned idbits = unsigned(propbaser_ & gicr::PROPBASER_IDbits);
    const unsigned eff = std::min(idbits, cfg_.max_id_bits - 1);
    const uint64_t limit = idbits < gicr::kMinIdBitsForLpis ? 0 : uint64_t{1} << (eff + 1);
    lpi_.set_tables(propbaser_ & gicr::PA_51_12, pendbaser_ & gicr::PA_51_16, limit);
    enabled_ = true;
    const bool zero = ptz_;
    ptz_ = false;   // consumed
    if (!zero && limit > lpi::kFirstLpi) {
        ++stats_.pending_table_loads;
        const uint64_t ctx = tl.context();
        tl.set_context(LpiCause::reg(LpiCause::enable).pack());
        Port port(*this, tl);
        stats_.lpis_loaded += lpi_.load_pending_table(port, cfg_.pending_read_burst);
        tl.set_context(ctx);
    }
    update_irq(tl);
}

void Redistributor::disable_lpis(Timeline& tl) {
    enabled_ = false;   // refuse new LPIs from now on
    lpi_.abandon_waiting();   // and those whose update is still running
    // From now on nothing is pending for the CPU (an acknowledge finds
    // nothing): the LPIs are dropped now, when the write reaches this
    // redistributor (the kernel's time; the access's own latency is the
    // writer's); their state is written back below.
    const uint64_t drop_ps = to_ps(sc_core::sc_time_stamp());
    for (uint32_t intid : lpi_.pending_list())
        report(LpiChange::What::drop, intid, LpiCause::reg(LpiCause::disable).pack(), drop_ps);
    for (const Commit& c : commits_) report(LpiChange::What::refused, c.intid, c.cause, drop_ps);
    ++stats_.write_backs;
    if (lazy() && lpi_.has_dirty()) ++stats_.lazy_flushes;
    drain(tl);                        // queued writes
    lpi_.mark_all_pending_dirty();    // full write-back
    drain(tl);
    wait_writes(tl);
    lpi_.drop_all();
    commits_.clear();   // posted LPIs not recorded yet go with the state
    reg_inv_.clear();
    reg_invall_ = false;
    update_irq(tl);
}

// ---------------------------------------------------------------------------
// Sockets
// ---------------------------------------------------------------------------

void Redistributor::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
    const uint64_t off = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    const tlm::tlm_command cmd = trans.get_command();
    delay += t_mmio_;

    if (off >= gicr::FRAME_SIZE || len > gicr::FRAME_SIZE - off) {
        ++stats_.mmio_errors;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (cmd == tlm::TLM_IGNORE_COMMAND) {
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if ((len != 4 && len != 8) || (off % len) != 0 || !data || trans.get_byte_enable_ptr() ||
        trans.get_streaming_width() < len) {
        ++stats_.mmio_errors;
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }

    Timeline tl(cfg_.mode);
    tl.spend(delay);
    if (cmd == tlm::TLM_READ_COMMAND) {
        uint64_t v;
        if (len == 8 && is_reg64(off)) {
            v = read_reg64(off, &tl);
        } else if (len == 8) {
            v = read_reg32(off, &tl) | (uint64_t(read_reg32(off + 4, &tl)) << 32);
        } else if (is_reg64(off & ~uint64_t{7})) {
            v = uint32_t(read_reg64(off & ~uint64_t{7}, &tl) >> ((off & 4) * 8));
        } else {
            v = read_reg32(off, &tl);
        }
        for (unsigned i = 0; i < len; ++i) data[i] = (unsigned char)(v >> (8 * i));
    } else {
        uint64_t v = 0;
        for (unsigned i = 0; i < len; ++i) v |= uint64_t(data[i]) << (8 * i);
        if (len == 8 && is_reg64(off)) {
            write_reg64(off, v, ~uint64_t{0}, tl);
        } else if (len == 8) {
            write_reg32(off, uint32_t(v), tl);
            write_reg32(off + 4, uint32_t(v >> 32), tl);
        } else if (is_reg64(off & ~uint64_t{7})) {
            const unsigned sh = unsigned(off & 4) * 8;
            write_reg64(off & ~uint64_t{7}, v << sh, uint64_t{0xFFFFFFFF} << sh, tl);
        } else {
            write_reg32(off, uint32_t(v), tl);
        }
    }
    delay = tl.local();
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned Redistributor::transport_dbg(tlm::tlm_generic_payload& trans) {
    const uint64_t off = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    if (trans.get_command() != tlm::TLM_READ_COMMAND || !data || off >= gicr::FRAME_SIZE ||
        len > gicr::FRAME_SIZE - off)
        return 0;
    // Byte by byte over aligned 32-bit words, so any length and alignment works.
    for (unsigned i = 0; i < len; ++i) {
        const uint64_t a = off + i;
        const uint64_t word = a & ~uint64_t{3};
        uint32_t w;
        if (is_reg64(word & ~uint64_t{7}))
            w = uint32_t(read_reg64(word & ~uint64_t{7}, nullptr) >> ((word & 4) * 8));
        else
            w = read_reg32(word, nullptr);
        data[i] = (unsigned char)(w >> (8 * (a & 3)));
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

}  // namespace itsim
