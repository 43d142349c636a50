// Waveforms of the virtual path (vcd_v4.h).
#include "vcd_v4.h"

#include <algorithm>
#include <string>

#include "itsim/redist/gicr_regs.h"
#include "itsim/redist/vpe_state.h"
#include "system.h"

namespace itsim {

namespace {
constexpr uint32_t kUnknownVpeid = 0xFFFFFFFFu;
}  // namespace

VcdV4::VcdV4(System& sys, VcdWriter& vcd) : sys_(sys), vcd_(vcd) {
    const unsigned n = sys_.cpus();
    vpes_ = sys_.config().platform.vpes;
    virq_.assign(n, 0);
    vpending_.assign(n, 0);
    doorbells_.assign(n, 0);
    held_since_.assign(n, 0);
    held_.assign(n, false);
    watched_.resize(n);
    for (unsigned i = 0; i < n; ++i) {
        const std::string c = "cpu" + std::to_string(i);
        sc_core::sc_trace(&vcd_, virq_[i], c + ".virq", 1);
        vintid_var_.push_back(vcd_.add_stamped(c + ".vintid", 32, VcdWriter::kZ));
    }
    for (unsigned i = 0; i < n; ++i) {
        const std::string g = "gicr" + std::to_string(i);
        dirty_var_.push_back(vcd_.add_stamped(g + ".vpe.dirty", 1, 0));
        sc_core::sc_trace(&vcd_, vpending_[i], g + ".vpe.vpending", 24);
        sc_core::sc_trace(&vcd_, doorbells_[i], g + ".doorbells", 16);
    }
    for (unsigned v = 0; v < vpes_; ++v)
        vpe_cpu_var_.push_back(vcd_.add_stamped("vpe" + std::to_string(v) + ".cpu", 8, VcdWriter::kZ));

    for (unsigned k = 1; k < sys_.its_count(); ++k) {
        auto l = std::make_unique<Lane>();
        l->n = k;
        const std::string p = "its" + std::to_string(k);
        sc_core::sc_trace(&vcd_, l->creadr, p + ".cmdq.creadr", 20);
        sc_core::sc_trace(&vcd_, l->cwriter, p + ".cmdq.cwriter", 20);
        sc_core::sc_trace(&vcd_, l->occupancy, p + ".cmdq.occupancy", 16);
        sc_core::sc_trace(&vcd_, l->state, p + ".engine.state", 2);
        sc_core::sc_trace(&vcd_, l->opcode, p + ".engine.opcode", 8);
        Lane* lp = l.get();
        l->prev = sys_.its(k).on_probe;
        sys_.its(k).on_probe = [this, lp] {
            if (lp->prev) lp->prev();
            on_probe(*lp);
        };
        on_probe(*lp);
        lanes_.push_back(std::move(l));
    }
    for (unsigned i = 0; i < n; ++i) {
        CpuInterface& cpu = sys_.cpu(i);
        prev_vack_.push_back(cpu.on_vack);
        cpu.on_vack = [this, i](const VackRecord& a) {
            if (prev_vack_[i]) prev_vack_[i](a);
            vcd_.change(a.t_ps, vintid_var_[i], a.vintid);
            vcd_.change(a.eoi_ps, vintid_var_[i], VcdWriter::kZ);
        };
        Redistributor& rd = sys_.redist(i);
        prev_residency_.push_back(rd.on_residency);
        rd.on_residency = [this, i](const ResidencyRecord& r) {
            if (prev_residency_[i]) prev_residency_[i](r);
            on_residency(r);
        };
        prev_doorbell_.push_back(rd.on_doorbell);
        rd.on_doorbell = [this, i](const DoorbellRecord& d) {
            if (prev_doorbell_[i]) prev_doorbell_[i](d);
            if (d.cpu < watched_.size()) watched_[d.cpu].emplace(d.intid, false);
        };
    }
}

VcdV4::~VcdV4() {
    for (const auto& l : lanes_) sys_.its(l->n).on_probe = l->prev;
    for (unsigned i = 0; i < prev_vack_.size(); ++i) {
        sys_.cpu(i).on_vack = prev_vack_[i];
        sys_.redist(i).on_residency = prev_residency_[i];
        sys_.redist(i).on_doorbell = prev_doorbell_[i];
    }
}

// As ITS 0's lane (vcd.cpp): the opcode of the command executing read
// from the queue in memory at the transition to executing.
void VcdV4::on_probe(Lane& l) {
    const Its& its = sys_.its(l.n);
    const ItsProbe& p = its.probe();
    l.creadr = unsigned(p.creadr & ~uint64_t{0x1F});
    l.cwriter = unsigned(p.cwriter & ~uint64_t{0x1F});
    l.occupancy = p.queue_occupancy;
    l.state = p.engine;
    if (p.engine == ItsProbe::executing && l.last_engine != ItsProbe::executing) {
        const uint64_t rd = its.core().creadr() & ~uint64_t{0x1F};
        const uint64_t pa = its.core().cbaser() & ((uint64_t{1} << 52) - 1) & ~uint64_t{0xFFF};
        const uint64_t ram = sys_.config().platform.ram_base;
        uint8_t op = 0;
        if (pa + rd >= ram && sys_.ram().store().read(pa + rd - ram, &op, 1)) l.opcode = op;
        else l.opcode = p.opcode;
    }
    l.last_engine = p.engine;
}

uint64_t VcdV4::lag_ps() const {
    if (!sys_.cpus()) return 0;
    const CpuInterfaceConfig& c = sys_.cpu(0).config();
    return c.vack_latency.value() + c.vhandler_latency.value() + 1000;
}

uint32_t VcdV4::vpeid_of(const ResidencyRecord& r) const {
    if (r.vpeid != kUnknownVpeid) return r.vpeid;
    // GICv4.0: the redistributor knows the vPE by its VPT; the software
    // gave each vPE its own.
    for (unsigned v = 0; v < vpes_; ++v)
        if ((sys_.driver().vpt(v) & gicr::PA_51_16) == (r.vpt_addr & gicr::PA_51_16)) return v;
    return kUnknownVpeid;
}

void VcdV4::on_residency(const ResidencyRecord& r) {
    if (r.cpu >= dirty_var_.size()) return;
    vcd_.change(r.t_ps, dirty_var_[r.cpu], 1);
    vcd_.change(r.dirty_ps, dirty_var_[r.cpu], 0);
    const uint32_t v = vpeid_of(r);
    if (v < vpe_cpu_var_.size()) vcd_.change(r.t_ps, vpe_cpu_var_[v], r.resident ? r.cpu : VcdWriter::kZ);
    held_[r.cpu] = false;
}

void VcdV4::on_step(uint64_t now) {
    uint64_t hold = VcdWriter::kNoHold;
    for (unsigned i = 0; i < virq_.size(); ++i) {
        const Redistributor& rd = sys_.redist(i);
        virq_[i] = rd.vline_level() ? 1 : 0;
        const VpeState* s = rd.virtual_state();
        if (s) {
            vpending_[i] = unsigned(s->vlpis().pending_count());
            const bool busy = s->residency() == Residency::scheduling || s->residency() == Residency::descheduling;
            if (busy && !held_[i]) {
                held_[i] = true;
                held_since_[i] = now;
            }
        }
        if (held_[i]) hold = std::min(hold, held_since_[i]);
        // Doorbells rung here: pending until taken (then no longer watched).
        unsigned count = 0;
        auto& w = watched_[i];
        for (auto it = w.begin(); it != w.end();) {
            if (rd.lpis().is_pending(it->first)) {
                it->second = true;
                ++count;
                ++it;
            } else if (it->second) {
                it = w.erase(it);
            } else {
                ++it;   // rung, its set-pending not yet seen
            }
        }
        doorbells_[i] = count;
    }
    vcd_.set_hold(hold);
}

}  // namespace itsim
