// Redistributor, GICv4 registers (redist_virt.h): GICR_VPENDBASER's
// schedule and deschedule with their memory traffic and time, GICR_VSGIR /
// GICR_VSGIPENDR, GICR_INVLPIR / GICR_INVALLR with V = 1, the virtual
// side's construction and its reports.
// sc_spawn (the virtual line's method, made only with GICv4) needs this
// before the first SystemC header.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "itsim/redist/redist_virt.h"

namespace itsim {

using sc_core::sc_time;

const char* to_string(VlpiChange::What w) {
    switch (w) {
    case VlpiChange::What::set: return "set";
    case VlpiChange::What::merge: return "merge";
    case VlpiChange::What::clear: return "clear";
    case VlpiChange::What::refresh: return "refresh";
    case VlpiChange::What::refused: return "refused";
    case VlpiChange::What::loaded: return "loaded";
    }
    return "?";
}

Redistributor::Virt* Redistributor::make_virt() {
    if (!has_gicv4(cfg_.version)) return nullptr;
    VpeStateConfig c;
    c.version = cfg_.version;
    c.lpi.cache_entries = cfg_.config_cache_entries;
    c.lpi.cache_ways = cfg_.config_cache_ways;
    c.lpi.line_bytes = cfg_.config_line_bytes;
    c.max_id_bits = cfg_.max_id_bits;
    c.pending_read_burst = cfg_.pending_read_burst;
    Virt* v = new Virt(c);
    // The virtual line's method (redist_vline.cpp), a child of this module.
    sc_core::sc_spawn_options o;
    o.spawn_method();
    o.set_sensitivity(&v->ev);
    o.dont_initialize();
    sc_core::sc_spawn([this] { vtick(); }, "vline", &o);
    return v;
}

void Redistributor::VirtDeleter::operator()(Virt* v) const { delete v; }

const VpeState* Redistributor::virtual_state() const { return v_ ? &v_->state : nullptr; }
const VirtualStats* Redistributor::virtual_stats() const { return v_ ? &v_->stats : nullptr; }

sc_time Redistributor::cycles(unsigned n) const { return timing_.clock_period * double(n); }

void Redistributor::vreport(VlpiChange::What w, uint32_t vpeid, uint64_t vpt, uint32_t vintid, bool resident,
                            bool vsgi, const Timeline& tl, uint8_t config, bool valid) {
    if (!on_vchange) return;
    VlpiChange c;
    c.what = w;
    c.t_ps = to_ps(tl.now());
    c.cpu = cfg_.processor_number;
    c.vpeid = vpeid;
    c.vpt_addr = vpt;
    c.vintid = vintid;
    c.vsgi = vsgi;
    c.resident = resident;
    c.cause = LpiCause::unpack(tl.context());
    c.config = config;
    c.valid = valid;
    on_vchange(c);
}

// ---------------------------------------------------------------------------
// GICR_VPENDBASER
// ---------------------------------------------------------------------------

uint64_t Redistributor::read_vpendbaser(const Timeline* tl) const {
    if (!v_) return 0;
    const sc_time now = tl ? tl->now() : sc_core::sc_time_stamp();
    return v_->state.vpendbaser(to_ps(now));
}

// The write's memory work runs on the writer's timeline (the write returns
// when it is done, as EnableLPIs' does); Dirty then reads 1 for another
// vpt_parse_cycles, the engine's own time (so a driver polling Dirty sees
// it set at least once when that time exceeds an MMIO access).
void Redistributor::write_vpendbaser(uint64_t value, uint64_t mask, Timeline& tl) {
    if (!v_) return;
    VpeState& s = v_->state;
    const uint64_t t0 = to_ps(tl.now());
    const VpeState::WriteAction a = s.write_vpendbaser(value, mask, t0, regs_.vpropbaser());
    if (a == VpeState::WriteAction::stored || a == VpeState::WriteAction::ignored) return;
    const sc_time floor = cycles(timing_.vpt_parse_cycles);
    ResidencyRecord r;
    r.cpu = cfg_.processor_number;
    r.t_ps = t0;
    if (a == VpeState::WriteAction::schedule) {
        VPort port(*this, tl, s.resident_vpeid(), s.resident_vpt());
        r.vlpis = uint32_t(s.run_schedule(port));
        s.finish(to_ps(tl.now() + floor));
        update_vline(tl);
    } else {
        update_vline(tl);   // nothing is offered from the write on
        VPort port(*this, tl, s.resident_vpeid(), s.resident_vpt());
        r.vlpis = uint32_t(s.run_deschedule(port));
        s.finish(to_ps(tl.now() + floor));
    }
    const VpeState::Change& c = s.last_change();
    r.resident = c.resident;
    r.vpeid = c.vpeid;
    r.vpt_addr = c.vpt_addr;
    r.pending_last = c.pending_last;
    r.doorbell_armed = c.doorbell_armed;
    r.dirty_ps = s.dirty_until_ps();
    if (on_residency) on_residency(r);
}

// ---------------------------------------------------------------------------
// GICR_VSGIR / GICR_VSGIPENDR (v4.1)
// ---------------------------------------------------------------------------

void Redistributor::write_vsgir(uint32_t vpeid, const Timeline& tl) {
    if (!v_) return;
    const uint64_t busy = to_ps(cycles(timing_.vsgi_query_cycles));
    if (v_->state.vsgi_query().start(vpeid, to_ps(tl.now()), busy)) ++v_->stats.vsgi_queries;
    else ++v_->stats.vsgi_queries_ignored;
}

uint32_t Redistributor::read_vsgipendr(const Timeline* tl) const {
    if (!v_) return 0;
    const sc_time now = tl ? tl->now() : sc_core::sc_time_stamp();
    return v_->state.vsgi_query().read(v_->state.vsgis(), to_ps(now));
}

// ---------------------------------------------------------------------------
// GICR_INVLPIR / GICR_INVALLR with V = 1 (v4.1): the resident vPE only
// ---------------------------------------------------------------------------

void Redistributor::invalidate_virtual(uint32_t vpeid, bool all, uint32_t vintid, Timeline& tl) {
    if (!v_) return;
    VpeState& s = v_->state;
    if (!s.is_resident_vpeid(vpeid) || !s.tables_known()) {
        ++v_->stats.reg_vinv_ignored;
        return;
    }
    tl.sync_now();   // as inv: the pending set at the caller's time
    if (!s.is_resident_vpeid(vpeid)) return;
    VPort port(*this, tl, vpeid, s.resident_vpt());
    if (all) {
        ++v_->stats.reg_vinvalls;
        s.vlpis().invall(port);
    } else {
        ++v_->stats.reg_vinvs;
        s.vlpis().inv(vintid, port);
    }
    update_vline(tl);
}

}  // namespace itsim
