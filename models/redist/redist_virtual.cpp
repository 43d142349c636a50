// Redistributor, its virtual side (redist_virt.h): the virtual kinds of the
// ITS's stream (GICv4: set_vlpi, clear_vlpi, inv_vlpi, vinvall, vsync,
// invdb, vmovp, set_vsgi, vsgi_config; common/lpi_stream.h), which
// deliver() hands here. A GICv3 redistributor answers every one
// `unsupported` and nothing changes; a GICv4.0 one answers the v4.1 kinds
// (invdb, set_vsgi, vsgi_config) so.
//
// The resident vPE (vpe_state.h) gets its vLPIs as set_pending gets LPIs:
// the lookup, the update, the decision at the end of the update; then the
// virtual line. A non-resident vPE's vLPI is set in its VPT in memory (the
// byte read, the bit set, the byte written: timed on the caller's
// timeline, one such read-modify-write at a time per redistributor), then
// the doorbell rules ring, as an ordinary physical LPI made pending here
// (set_pending, its own costs and refusals), v4.0 the ITE's doorbell, v4.1
// the vPE's default doorbell if armed. A vLPI for the vPE being written
// back (Valid 1 -> 0 until Dirty falls) joins that state, so memory gets it,
// and the doorbell rules apply to it.
// Costs: set_vlpi to the resident vPE as set_pending (lookup + read on a
// miss + pending_update); to memory: the byte read + pending_update + the
// write (when the bit changes). clear_vlpi: pending_update (resident), or
// the read-modify-write. inv_vlpi / vinvall as inv / invall for the
// resident vPE, nothing otherwise. vsync: nothing is left to do (every
// effect is made before its op returns). vmovp_from / vmovp (v4.1): the
// old redistributor hands the vPE's armed default doorbell and vSGIs over
// and the new one takes them (vpe_state.h), at no cost beyond the ITS's
// messages (a non-resident vPE's vLPIs are in its VPT in memory: nothing
// else moves); v4.0 has nothing to move. set_vsgi / vsgi_config:
// pending_update.
#include "itsim/redist/redist_virt.h"

namespace itsim {

namespace {
bool v41_kind(LpiOp::Kind k) {
    return k == LpiOp::Kind::invdb || k == LpiOp::Kind::set_vsgi || k == LpiOp::Kind::vsgi_config ||
           k == LpiOp::Kind::vmovp_from;
}
}  // namespace

LpiResult Redistributor::deliver_virtual(const LpiOp& op, Timeline& tl) {
    LpiResult r;
    if (!v_ || (v41_kind(op.kind) && !v_->state.v41())) {
        r.unsupported = true;
        return r;
    }
    VpeState& s = v_->state;
    s.learn(op.vpe);
    switch (op.kind) {
    case LpiOp::Kind::set_vlpi: return set_vlpi(op, tl);
    case LpiOp::Kind::clear_vlpi: r.was_pending = clear_vlpi(op.vpe, op.intid, tl); break;
    case LpiOp::Kind::inv_vlpi:
    case LpiOp::Kind::vinvall: {
        if (!s.is_resident(op.vpe)) break;   // read at the next schedule
        if (!tl.no_wait()) tl.sync_now();
        if (!s.is_resident(op.vpe)) break;
        s.adopt(op.vpe);
        VPort port(*this, tl, op.vpe.vpeid, op.vpe.vpt_addr);
        if (op.kind == LpiOp::Kind::inv_vlpi) {
            ++v_->stats.invs;
            s.vlpis().inv(op.intid, port);
        } else {
            ++v_->stats.invalls;
            s.vlpis().invall(port);
        }
        update_vline(tl);
        break;
    }
    case LpiOp::Kind::vsync: ++v_->stats.vsyncs; break;
    case LpiOp::Kind::invdb:   // the default doorbell's configuration, a physical LPI's
        if (op.vpe.default_doorbell != kNoDoorbellIntid) inv(op.vpe.default_doorbell, tl);
        break;
    case LpiOp::Kind::vmovp:   // v4.1: the old redistributor's handover (empty with v4.0)
        ++v_->stats.vmovps;
        if (!tl.no_wait()) tl.sync_now();
        s.take_over(op.vpe.vpeid, op.handover);
        break;
    case LpiOp::Kind::vmovp_from:
        if (!tl.no_wait()) tl.sync_now();
        r.handover = s.hand_over(op.vpe.vpeid);
        break;
    case LpiOp::Kind::set_vsgi: return set_vsgi(op, tl);
    case LpiOp::Kind::vsgi_config: {
        tl.spend(t_update_);
        if (!tl.no_wait()) tl.sync_now();
        const bool resident = s.is_resident(op.vpe);
        if (op.clear) {
            if (s.vsgis().clear(op.vpe.vpeid, op.intid))
                vreport(VlpiChange::What::clear, op.vpe.vpeid, op.vpe.vpt_addr, op.intid, resident, true, tl);
        } else {
            s.vsgis().configure(op.vpe.vpeid, op.intid, op.enable, op.group, op.priority);
        }
        if (resident) update_vline(tl);
        break;
    }
    default: r.unsupported = true; break;
    }
    return r;
}

// ---------------------------------------------------------------------------
// vLPIs
// ---------------------------------------------------------------------------

LpiResult Redistributor::set_vlpi(const LpiOp& op, Timeline& tl) {
    LpiResult r;
    VpeState& s = v_->state;
    const VpeRef& v = op.vpe;
    const uint32_t vintid = op.intid;
    const uint64_t cause = tl.context();
    if (s.is_resident(v) || s.is_descheduling(v)) {
        s.adopt(v);
        bool joined = false;
        r = set_vlpi_resident(v, vintid, tl, &joined);
        if (joined) {
            r.resident = s.is_resident(v);
            if (!r.resident) ring(op, tl, r, s.vlpis().pending_config(vintid));   // the write-back window
            return r;
        }
        if (r.refusal != LpiRefusal::none) return r;
        // Dropped meanwhile (descheduled and written back): to memory.
    }
    // Not resident: the VPT in memory.
    bool in_range = false;
    const bool was = vpt_rmw(v, vintid, true, tl, &in_range);
    if (!in_range) {
        ++v_->stats.refused_range;
        vreport(VlpiChange::What::refused, v.vpeid, v.vpt_addr, vintid, false, false, tl);
        r.refusal = LpiRefusal::out_of_range;
        return r;
    }
    tl.set_context(cause);
    if (s.is_resident(v)) {
        // Scheduled while the byte was written: the parse may have read it
        // before; make it pending in the resident state too (a merge if found).
        bool joined = false;
        LpiResult rr = set_vlpi_resident(v, vintid, tl, &joined);
        if (joined) {
            rr.resident = true;
            return rr;
        }
    }
    ++(was ? v_->stats.vpt_merges : v_->stats.vpt_sets);
    vreport(was ? VlpiChange::What::merge : VlpiChange::What::set, v.vpeid, v.vpt_addr, vintid, false, false, tl);
    ring(op, tl, r, std::nullopt);
    return r;
}

// The resident vPE's (or the one being written back): as set_pending. `joined`
// false: the state was dropped meanwhile (the caller goes to memory) or refused.
LpiResult Redistributor::set_vlpi_resident(const VpeRef& v, uint32_t vintid, Timeline& tl, bool* joined) {
    LpiResult r;
    VpeState& s = v_->state;
    *joined = false;
    LpiState& l = s.vlpis();
    if (s.tables_known() && !l.in_range(vintid)) {
        ++v_->stats.refused_range;
        vreport(VlpiChange::What::refused, v.vpeid, v.vpt_addr, vintid, true, false, tl);
        r.refusal = LpiRefusal::out_of_range;
        return r;
    }
    VPort port(*this, tl, v.vpeid, v.vpt_addr);
    const LpiState::Prepared p = l.prepare_pending(vintid, port);
    port.on_pending_update();
    if (!(s.is_resident(v) || s.is_descheduling(v))) return r;   // gone: memory
    const LpiState::SetResult sr = l.commit_pending(vintid, p, port.stamp());
    if (sr.abandoned || p.skip) return r;
    *joined = true;
    r.resident = true;
    if (sr.newly_pending) {
        ++v_->stats.resident_sets;
        auto c = l.pending_config(vintid);
        vreport(VlpiChange::What::set, v.vpeid, v.vpt_addr, vintid, true, false, tl, c.value_or(0), c.has_value());
        if (s.is_resident(v)) update_vline(tl);
    } else {
        ++v_->stats.resident_merges;
        vreport(VlpiChange::What::merge, v.vpeid, v.vpt_addr, vintid, true, false, tl);
    }
    return r;
}

bool Redistributor::clear_vlpi(const VpeRef& v, uint32_t vintid, Timeline& tl) {
    VpeState& s = v_->state;
    if (s.is_resident(v) || s.is_descheduling(v)) {
        tl.spend(t_update_);
        if (!tl.no_wait()) tl.sync_now();
        if (s.is_resident(v) || s.is_descheduling(v)) {
            const bool was = s.vlpis().clear_pending(vintid);
            if (was) {
                ++v_->stats.cleared;
                vreport(VlpiChange::What::clear, v.vpeid, v.vpt_addr, vintid, true, false, tl);
                update_vline(tl);
            }
            // Being written back: the write-back writes the byte from the
            // state (memory holds no bit the state does not).
            return was;
        }
    }
    bool in_range = false;
    const bool was = vpt_rmw(v, vintid, false, tl, &in_range);
    if (was) {
        ++v_->stats.cleared;
        vreport(VlpiChange::What::clear, v.vpeid, v.vpt_addr, vintid, false, false, tl);
    }
    return was;
}

// One read-modify-write of a VPT byte at a time.
bool Redistributor::vpt_rmw(const VpeRef& v, uint32_t vintid, bool set, Timeline& tl, bool* in_range) {
    Virt& w = *v_;
    if (!VpeState::vpt_in_range(v, vintid, cfg_.max_id_bits)) {
        *in_range = false;
        return false;
    }
    if (!tl.no_wait()) {
        if (tl.mode() == TimingMode::accurate) tl.sync_now();
        while (w.vpt_busy) {
            tl.sync_now();
            sc_core::wait(w.vpt_free);
        }
    }
    w.vpt_busy = true;
    VPort port(*this, tl, v.vpeid, v.vpt_addr);
    const bool was = w.state.vpt_update(v, vintid, set, port, in_range);
    tl.spend(t_update_);
    w.vpt_busy = false;
    w.vpt_free.notify(sc_core::SC_ZERO_TIME);
    return was;
}

// The doorbell rules after a vLPI reached a non-resident vPE (vpe_state.h).
void Redistributor::ring(const LpiOp& op, Timeline& tl, LpiResult& r, std::optional<uint8_t> known) {
    VPort port(*this, tl, op.vpe.vpeid, op.vpe.vpt_addr);
    const uint32_t db =
        v_->state.doorbell_for(op.vpe, op.intid, op.doorbell, op.kind == LpiOp::Kind::set_vsgi, port,
                               known ? &*known : nullptr);
    if (db == kNoDoorbellIntid) return;
    r.doorbell = db;
    ++v_->stats.doorbells;
    if (on_doorbell) {
        DoorbellRecord d;
        d.cpu = cfg_.processor_number;
        d.vpeid = op.vpe.vpeid;
        d.intid = db;
        d.vintid = op.intid;
        d.vsgi = op.kind == LpiOp::Kind::set_vsgi;
        d.t_ps = to_ps(tl.now());
        on_doorbell(d);
    }
    // An ordinary physical LPI on this redistributor; posted on a no-wait
    // timeline (fast mode's inline MSIs: recorded at its time by tick()).
    set_pending(db, tl, tl.no_wait());
}

// ---------------------------------------------------------------------------
// vSGIs (v4.1)
// ---------------------------------------------------------------------------

LpiResult Redistributor::set_vsgi(const LpiOp& op, Timeline& tl) {
    LpiResult r;
    VpeState& s = v_->state;
    if (op.intid >= vsgi::kCount) {
        r.refusal = LpiRefusal::out_of_range;
        return r;
    }
    tl.spend(t_update_);
    if (!tl.no_wait()) tl.sync_now();
    const bool resident = s.is_resident(op.vpe);
    const bool newly = s.vsgis().set_pending(op.vpe.vpeid, op.intid);
    ++v_->stats.vsgis;
    vreport(newly ? VlpiChange::What::set : VlpiChange::What::merge, op.vpe.vpeid, op.vpe.vpt_addr, op.intid,
            resident, true, tl);
    r.resident = resident;
    if (resident) update_vline(tl);
    else ring(op, tl, r, std::nullopt);
    return r;
}

}  // namespace itsim
