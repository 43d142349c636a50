// The driver agent's GICv4 part (driver.h): the vPE table pages, VPTs, vLPI
// configuration tables and doorbells at bring-up, VMAPP's fields the trace
// leaves to the software, schedule / deschedule (GICR_VPROPBASER,
// GICR_VPENDBASER, the Dirty poll), vLPI configuration bytes, GITS_SGIR.
// The sequences are Linux's (irq-gic-v3-its.c: its_vpe_schedule,
// its_vpe_4_1_schedule, its_clear_vpend_valid, its_wait_vpt_parse_complete)
// as gicv4-facts section 4 lists them.
#include "driver.h"

#include <algorithm>

#include "itsim/common/lpi_stream.h"
#include "itsim/its/its_core.h"
#include "itsim/redist/gicr_regs.h"

namespace itsim {

namespace {
constexpr uint64_t kInnerShareable = uint64_t{1} << 10;
constexpr uint64_t kRdInnerWaWb = gicr::BASER_InnerCache;
constexpr uint8_t kDoorbellPriority = 0xA0;   // Linux's default priority (GICD_INT_DEF_PRI)
constexpr uint64_t kGitsSgir = 0x20020;       // GICv4.1: the ITS's third frame + 0x20
uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }
}  // namespace

uint64_t DriverAgent::vconf(uint32_t vpeid) const {
    const unsigned per_vm = std::max(1u, cfg_.vpes_per_vm);
    return vpeid < vpt_.size() ? vconf_.at(vpeid / per_vm) : 0;
}

bool DriverAgent::setup_vpe_l2(unsigned n) {
    // Linux allocates the level-2 pages of every vPE on every ITS before
    // the vPE is used (its_alloc_vpe_table).
    Table& t = q_[n].table[kVpe];
    if (t.l2.empty()) return true;
    const uint64_t per_l2 = cfg_.page_size / t.esz;
    for (uint64_t l1 = 0; l1 < t.l2.size() && l1 * per_l2 < cfg_.vpes; ++l1) {
        const uint64_t l2 = alloc(cfg_.page_size, cfg_.page_size);
        if (!setup_write(t.base + l1 * 8, (uint64_t{1} << 63) | l2, 8)) {
            setup_error_ = "vPE table level-1 write failed";
            return false;
        }
        t.l2[l1] = true;
    }
    return true;
}

bool DriverAgent::setup_v4() {
    const uint64_t nlpis = uint64_t{1} << cfg_.lpi_bits;
    const unsigned per_vm = std::max(1u, cfg_.vpes_per_vm);
    for (unsigned v = 0; v < cfg_.vpes; ++v) vpt_.push_back(alloc(round_up(nlpis / 8, 65536), 65536));
    for (unsigned vm = 0; vm * per_vm < cfg_.vpes; ++vm) vconf_.push_back(alloc(round_up(nlpis - 8192, 65536), 65536));
    mapped_on_.assign(cfg_.vpes, 0);
    idai_.assign(cfg_.vpes, true);   // Linux starts with idai = true (the VPT's first 1 KiB unknown)
    // The doorbells: ordinary LPIs, enabled (v4.1 doorbells stay enabled in
    // Linux; v4.0's are enabled here once rather than around each WFI).
    for (unsigned v = 0; v < cfg_.vpes; ++v) {
        const uint8_t byte = kDoorbellPriority | 0x2 | 0x1;
        if (!setup_write(prop_base_ + (doorbell_of(v) - 8192), byte, 1)) {
            setup_error_ = "doorbell property write failed";
            return false;
        }
    }
    const Table& vt = q_[0].table[kVpe];
    if (cfg_.version == GicVersion::v4_1 && vt.base == 0) {
        setup_error_ = "the ITS has no vPE table (GITS_BASER2 is not Type 2)";
        return false;
    }
    const uint64_t page_code = cfg_.page_size == 4096 ? 0 : cfg_.page_size == 16384 ? 1 : 2;
    for (unsigned i = 0; i < cfg_.cpus; ++i) {
        uint64_t v = 0;
        if (cfg_.version == GicVersion::v4_0) {
            // its_cpu_init_lpis: IDbits before any vPE is scheduled.
            v = kInnerShareable | kRdInnerWaWb | uint64_t(cfg_.lpi_bits - 1);
        } else {
            // The vPE configuration table: ITS 0's vPE table (its geometry;
            // Size holds at most 128 pages).
            const uint64_t pages = std::min<uint64_t>(vt.pages, 128);
            v = gicr::VPROP41_Valid | (vt.indirect ? gicr::VPROP41_Indirect : 0) |
                (page_code << gicr::VPROP41_Page_Size_shift) | (vt.base & gicr::PA_51_12) | kInnerShareable |
                kRdInnerWaWb | (pages - 1);
        }
        if (!setup_write(vlpi_base(i) + 0x70, v, 8)) {
            setup_error_ = "redistributor " + std::to_string(i) + " did not accept GICR_VPROPBASER";
            return false;
        }
    }
    return true;
}

void DriverAgent::fill_vmapp(ItsCommand& cmd, unsigned its, uint32_t defaulted) {
    const bool v41 = cfg_.version == GicVersion::v4_1;
    const uint32_t v = cmd.vpeid;
    const bool known = v < vpt_.size();
    const uint32_t bit = uint32_t{1} << its;
    if (defaulted) {
        const CmdInfo* info = command_info(cmd.opcode);
        unsigned i = 0;
        for (const CmdFieldInfo& f : *info) {
            if (defaulted >> i++ & 1) {
                uint64_t value = 0;
                switch (f.member) {
                case CmdField::vpt_addr: value = known ? vpt(v) : 0; break;
                case CmdField::vpt_size: value = cfg_.lpi_bits - 1; break;
                case CmdField::vconf_addr: value = v41 && known ? vconf(v) : 0; break;
                case CmdField::default_doorbell: value = !v41 ? 0 : known ? doorbell_of(v) : kNoDoorbellIntid; break;
                case CmdField::alloc:
                    // Linux's vmapp_count: Alloc on the first map and on the last unmap.
                    value = v41 && known && (cmd.valid ? (mapped_on_[v] & ~bit) == 0 : mapped_on_[v] == bit);
                    break;
                default: break;   // ptz: 0, as Linux
                }
                set_field_value(cmd, f.member, value);
            }
        }
    }
    if (known) mapped_on_[v] = cmd.valid ? (mapped_on_[v] | bit) : (mapped_on_[v] & ~bit);
}

bool DriverAgent::set_vlpi_config(uint32_t vpeid, uint32_t vintid, uint8_t priority, bool enable) {
    if (vpeid >= vpt_.size() || vintid < 8192 || vintid >= (uint64_t{1} << cfg_.lpi_bits)) return false;
    const uint8_t byte = uint8_t((priority & 0xFC) | 0x2 | (enable ? 1 : 0));
    tl_.sync_now();   // at its time, as store()
    return cpu_.access(tlm::TLM_WRITE_COMMAND, vconf(vpeid) + (vintid - 8192), const_cast<uint8_t*>(&byte), 1, tl_);
}

uint64_t DriverAgent::poll_dirty(unsigned cpu, DriverResidency& r) {
    // readq_relaxed_poll_atomic(..., !(val & Dirty), 1, 500): read at once,
    // then every driver.dirty_poll until the timeout.
    const uint64_t start = now_ps();
    for (;;) {
        tl_.sync_now();
        const uint64_t v = read64(vlpi_base(cpu) + 0x78);
        ++r.polls;
        if (!(v & gicr::VPEND_Dirty)) return v;
        if (now_ps() - start >= cfg_.dirty_timeout_ps) {
            r.dirty_timeout = true;
            return v;
        }
        tl_.spend(sc_core::sc_time::from_value(cfg_.dirty_poll_ps));
    }
}

void DriverAgent::schedule(unsigned cpu, uint32_t vpeid) {
    tl_.sync_now();
    DriverResidency r;
    r.t_ps = now_ps();
    r.cpu = cpu;
    r.vpeid = vpeid;
    r.schedule = true;
    const uint64_t vb = vlpi_base(cpu);
    if (cfg_.version == GicVersion::v4_0) {
        // its_vpe_schedule: the VM's table, then VPT | PendingLast | IDAI | Valid.
        write64(vb + 0x70, (vconf(vpeid) & gicr::PA_51_12) | kInnerShareable | kRdInnerWaWb |
                               uint64_t(cfg_.lpi_bits - 1));
        const bool idai = vpeid < idai_.size() ? idai_[vpeid] : true;
        write64(vb + 0x78, (vpt(vpeid) & gicr::PA_51_16) | kInnerShareable | kRdInnerWaWb |
                               gicr::VPEND_PendingLast | (idai ? gicr::VPEND_IDAI : 0) | gicr::VPEND_Valid);
    } else {
        // its_vpe_4_1_schedule: Valid | VGrp1En | vPEID (KVM: g0en false).
        write64(vb + 0x78, gicr::VPEND_Valid | gicr::VPEND_VGrp1En | (vpeid & gicr::VPEND_vPEID));
    }
    resident_.at(cpu) = int32_t(vpeid);   // from the write on: its vLPIs may be taken while the VPT is parsed
    poll_dirty(cpu, r);
    r.done_ps = now_ps();
    if (on_residency) on_residency(r);
}

void DriverAgent::deschedule(unsigned cpu, bool doorbell) {
    tl_.sync_now();
    DriverResidency r;
    r.cpu = cpu;
    r.doorbell = doorbell && cfg_.version == GicVersion::v4_1;
    const uint64_t vb = vlpi_base(cpu);
    // its_clear_vpend_valid: Dirty = 0 first, then Valid = 0 with the
    // version's bits, then Dirty = 0 again.
    DriverResidency before;
    uint64_t v = poll_dirty(cpu, before);
    r.t_ps = now_ps();
    if (resident_.at(cpu) >= 0) {
        r.vpeid = uint32_t(resident_[cpu]);
    } else if (cfg_.version == GicVersion::v4_1) {
        r.vpeid = uint32_t(v & gicr::VPEND_vPEID);
    } else {
        auto it = std::find(vpt_.begin(), vpt_.end(), v & gicr::PA_51_16);
        r.vpeid = it == vpt_.end() ? 0 : uint32_t(it - vpt_.begin());
    }
    v &= ~gicr::VPEND_Valid;
    if (cfg_.version == GicVersion::v4_1) {
        if (doorbell) v = (v & ~gicr::VPEND_PendingLast) | gicr::VPEND_Doorbell;
        else v |= gicr::VPEND_PendingLast;
    }
    write64(vb + 0x78, v);
    v = poll_dirty(cpu, r);
    r.done_ps = now_ps();
    // Linux: PendingLast forced to 1 when Dirty never cleared.
    r.pending_last = r.dirty_timeout || (v & gicr::VPEND_PendingLast);
    if (cfg_.version == GicVersion::v4_0 && r.vpeid < idai_.size()) idai_[r.vpeid] = (v & gicr::VPEND_IDAI) != 0;
    resident_.at(cpu) = -1;
    if (on_residency) on_residency(r);
}

void DriverAgent::read_vsgi(unsigned cpu, uint32_t vpeid, uint64_t seq) {
    tl_.sync_now();
    DriverVsgiRead r;
    r.t_ps = now_ps();
    r.cpu = cpu;
    r.vpeid = vpeid;
    r.seq = seq;
    uint8_t buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = uint8_t((vpeid & 0xFFFF) >> (8 * i));
    cpu_.access(tlm::TLM_WRITE_COMMAND, vlpi_base(cpu) + 0x80, buf, 4, tl_);   // GICR_VSGIR
    const uint64_t start = now_ps();
    for (;;) {
        tl_.sync_now();
        uint8_t in[4] = {};
        cpu_.access(tlm::TLM_READ_COMMAND, vlpi_base(cpu) + 0x88, in, 4, tl_);   // GICR_VSGIPENDR
        ++r.polls;
        const uint32_t v = uint32_t(in[0]) | uint32_t(in[1]) << 8 | uint32_t(in[2]) << 16 | uint32_t(in[3]) << 24;
        if (!(v & 0x80000000u)) {
            r.pending = v & 0xFFFF;
            break;
        }
        if (now_ps() - start >= cfg_.dirty_timeout_ps) {
            r.timeout = true;
            break;
        }
        tl_.spend(sc_core::sc_time::from_value(cfg_.dirty_poll_ps));
    }
    r.done_ps = now_ps();
    if (on_vsgi_read) on_vsgi_read(r);
}

void DriverAgent::send_vsgi(uint32_t vpeid, uint32_t vintid, unsigned its) {
    tl_.sync_now();
    write64(q_.at(its).base + kGitsSgir, (uint64_t(vpeid & 0xFFFF) << 32) | (vintid & 0xF));
}

}  // namespace itsim
