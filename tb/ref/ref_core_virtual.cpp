// The reference's GICv4 side (Core, ref_core.h): the vPE table per ITS,
// virtual ITEs, each vPE's pending vLPIs, residency, vSGIs and doorbells,
// as plain maps. Written from the architecture (shared/spec/gicv4-facts.md)
// and the model's documented choices (the top of models/its/
// its_core_virtual.cpp and models/redist/vpe_state.h); it shares only the
// command encoding and the error table (common/its_cmd.h) with the model.
//
// State
//   - per ITS: VTEs by vPEID (RDbase as written, VPT_size, v4.1
//     Default_Doorbell); ITEs gain a virtual form (vPEID, vINTID, the v4.0
//     doorbell; 16 bytes each with GICv4); VMOVP's last SequenceNumber.
//   - per vPE: its pending vLPIs - one set whether they are in the VPT or
//     in a redistributor's resident state (the VPT is the vPE's, whichever
//     redistributor writes it) - and, while resident at CPU C, the
//     configuration snapshot each was made pending with, the resident
//     vINTID range and the configuration cache (as a redistributor's, ref_
//     core.h; dropped at schedule and deschedule).
//   - per (redistributor, vPE): the vSGIs (pending, Enable, Group) and the
//     v4.1 default-doorbell request.
//   - per VM (gic.vpes_per_vm vPEs): the vLPI configuration table's Enable
//     of the latest `vlpi` line.
//   - doorbell rings per vPE; virtual acknowledges count in acks() under
//     vkey(vPEID).
// Rules
//   - the commands' checks in the model's order, with the codes of the
//     error table (a VTE counts when valid and its RDbase names a
//     redistributor); a virtual ITE's vINTID past 2^(VPT_size + 1) makes an
//     MSI `vintid_out_of_range` and INT/CLEAR/INV/DISCARD <cmd>_ITE_INVALID.
//   - a vLPI for a resident vPE: pending with its configuration looked up
//     (refused past the resident range: v4.0 2^its.lpi_bits, v4.1 ITS 0's
//     VTE as the redistributor reads it at the schedule); for a non-resident
//     one: its VPT bit, then the doorbell - v4.0 the ITE's (not 1023),
//     whatever the vLPI's Enable; v4.1 the VTE's Default_Doorbell when the
//     vPE was descheduled here with doorbell=1 and the vLPI (vSGI) is
//     enabled in memory, once. A doorbell is an ordinary LPI made pending
//     at that redistributor.
//   - schedule: the VPT's pending vLPIs become the resident state, each
//     with its configuration read afresh; a doorbell request at that CPU
//     lapses. deschedule: the state goes back to the VPT; v4.1 doorbell=1
//     arms the request unless an enabled vLPI or vSGI is pending.
//   - settle: each resident vPE's enabled pending vLPIs, and its enabled
//     Group 1 (v4.1) pending vSGIs at that redistributor, are taken once.
//   - INV/VINVALL of a non-resident vPE: nothing (its configuration is read
//     at the schedule); VSYNC: nothing.
//   - VMOVP to another redistributor (the ITS's own VTE's before and
//     after): v4.1 moves the default-doorbell request and the vSGIs held
//     at the old one - a request stays a request, pending vSGIs add to
//     the new one's, and the configuration replaces the new one's when any
//     vSGI was not in reset (pending, Enable, Group, priority all 0); the
//     old one keeps nothing, so the next VMOVP of the same move (one per
//     ITS in ITSList) moves nothing. v4.0 moves nothing (the VPT is in
//     memory; the ITE's doorbell is the ITS's).
// Unsupported: a vLPI (INT, CLEAR, MSI, VMOVI, MAPD's sweep) reaching a
// redistributor while its vPE is resident at another (the VPT and the
// resident state then differ); a schedule at a CPU with a resident vPE or
// of a vPE resident elsewhere; a VMAPP V=1 naming its own VPT or VCONF (the
// software's are assumed), or of a vPE without a VPT (gic.vpes); a vLPI
// pending in the VPT past the range a schedule gives.
#include <algorithm>

#include "ref/ref_core.h"

namespace itsim::ref {

namespace {
constexpr uint32_t kFirstLpi = 8192;
constexpr uint8_t bit(bool enable) { return enable ? 2 : 1; }
std::string num(uint64_t v) { return std::to_string(v); }
std::string vpe_name(uint32_t v) { return "vPE " + num(v); }
}  // namespace

// vpe_state.h vpt_limit: vINTIDs below 2^min(VPT_size + 1, bits), none when <= 2^13.
static uint64_t vpt_limit(unsigned vpt_size, unsigned max_bits) {
    const unsigned b = std::min(vpt_size + 1, max_bits);
    return b <= 13 ? 0 : uint64_t{1} << b;
}

bool Core::vconf_enabled(uint32_t vpeid, uint32_t vintid) const {
    auto it = vconf_.find({vm_of(vpeid), vintid});
    return it != vconf_.end() && it->second;
}

void Core::write_vconf(uint32_t vpeid, uint32_t vintid, bool enable) { vconf_[{vm_of(vpeid), vintid}] = enable; }

ItsCommand Core::fill_vmapp(const ItsCommand& cmd, uint32_t defaulted) {
    ItsCommand c = cmd;
    vmapp_issue_.clear();
    const CmdInfo* info = command_info(ItsOpcode::VMAPP);
    bool own_vpt = false, own_vconf = false;
    unsigned i = 0;
    for (const CmdFieldInfo& f : *info) {
        const bool dflt = (defaulted >> i++) & 1;
        switch (f.member) {
        case CmdField::vpt_addr: own_vpt = !dflt; break;
        case CmdField::vconf_addr: own_vconf = !dflt && p_.v41(); break;
        case CmdField::vpt_size:
            if (dflt) c.vpt_size = uint8_t(p_.lpi_bits - 1);
            break;
        case CmdField::default_doorbell:
            if (dflt) c.default_doorbell = !p_.v41() ? 0 : c.vpeid < p_.vpes ? p_.doorbell_base + c.vpeid : kNoDoorbell;
            break;
        default: break;
        }
    }
    if (own_vpt || own_vconf)
        vmapp_issue_ = "VMAPP of " + vpe_name(c.vpeid) + " names its own " + (own_vpt ? "VPT" : "VCONF") +
                       " (the reference assumes the software's tables)";
    else if (c.vpeid >= p_.vpes)
        vmapp_issue_ = "VMAPP V=1 of " + vpe_name(c.vpeid) + ", which has no VPT (gic.vpes=" + num(p_.vpes) + ")";
    return c;
}

bool Core::valid_doorbell(uint32_t intid) const {
    return intid == kNoDoorbell || (intid >= kFirstLpi && intid < p_.lpi_limit());
}

const Core::Vte* Core::find_vte(uint32_t vpeid, int* rd) {
    touch(Touch::vte, key(vpeid));
    if (vpeid >= p_.vpe_ids) return nullptr;
    auto it = T().vtes.find(vpeid);
    if (it == T().vtes.end()) return nullptr;
    const int r = resolve_rdbase(it->second.rdbase);
    if (r < 0) return nullptr;
    *rd = r;
    return &it->second;
}

// ---- Commands ----------------------------------------------------------------
uint32_t Core::execute_virtual(const ItsCommand& c) {
    using namespace cmd_error;
    switch (static_cast<ItsOpcode>(c.opcode)) {
    case ItsOpcode::VMAPP: return cmd_vmapp(c);
    case ItsOpcode::VMAPTI: return cmd_vmapti(c, c.vintid, kVmaptiCodes);
    case ItsOpcode::VMAPI: return cmd_vmapti(c, c.event, kVmapiCodes);   // vINTID = EventID
    case ItsOpcode::VMOVI: return cmd_vmovi(c);
    case ItsOpcode::VMOVP: return cmd_vmovp(c);
    case ItsOpcode::VSYNC: return cmd_vpe(c, kVsyncCodes);
    case ItsOpcode::VINVALL: return cmd_vpe(c, kVinvallCodes);
    case ItsOpcode::INVDB: return cmd_vpe(c, kInvdbCodes);
    case ItsOpcode::VSGI: return cmd_vpe(c, kVsgiCodes);
    default: return 0;
    }
}

uint32_t Core::cmd_vmapp(const ItsCommand& c) {
    using namespace cmd_error;
    const bool v41 = p_.v41();
    const uint8_t vpt_size = v41 ? c.vpt_size : uint8_t(c.vpt_size & 0x1F);
    if (c.valid && unsigned(vpt_size) + 1 > p_.lpi_bits) return kVmappVptSizeOutOfRange;
    if (c.valid && resolve_rdbase(c.rdbase) < 0) return kVmappRdbaseOutOfRange;
    if (v41 && c.valid && !valid_doorbell(c.default_doorbell)) return kVmappDoorbellOutOfRange;
    if (c.vpeid >= p_.vpe_ids) return kVmappVpeOutOfRange;
    touch(Touch::vte, key(c.vpeid), true);
    if (!c.valid) {   // v4.1: the old redistributor's vsync changes nothing here
        T().vtes.erase(c.vpeid);
        return 0;
    }
    if (!vmapp_issue_.empty()) throw Unsupported(vmapp_issue_);
    T().vtes[c.vpeid] = Vte{c.rdbase & kRdbaseMask, vpt_size, v41 ? c.default_doorbell : kNoDoorbell};
    return 0;
}

uint32_t Core::cmd_vmapti(const ItsCommand& c, uint32_t vintid, const cmd_error::VmapCodes& codes) {
    if (c.device >= p_.device_ids) return codes.device_oor;
    touch(Touch::dte, key(c.device));
    auto d = T().dtes.find(c.device);
    if (d == T().dtes.end()) return codes.unmapped_device;
    if (uint64_t{c.event} >= (uint64_t{1} << (d->second.size + 1))) return codes.event_oor;
    if (vintid < kFirstLpi || vintid >= p_.lpi_limit()) return codes.vintid_oor;
    if (!valid_doorbell(c.doorbell)) return codes.doorbell_oor;
    if (c.vpeid >= p_.vpe_ids) return codes.vpe_oor;   // the vPE need not be mapped
    const uint64_t addr = d->second.itt + uint64_t{p_.ite_bytes} * c.event;
    touch(Touch::ite, addr, true);
    T().ites[addr] = Ite{vintid, uint16_t(c.vpeid), true, p_.v41() ? kNoDoorbell : c.doorbell};
    return 0;
}

uint32_t Core::on_virtual_ite(const ItsCommand& c, uint64_t addr) {
    using namespace cmd_error;
    const auto op = static_cast<ItsOpcode>(c.opcode);
    const uint32_t invalid = op == ItsOpcode::INT     ? kIntIteInvalid
                             : op == ItsOpcode::CLEAR ? kClearIteInvalid
                             : op == ItsOpcode::INV   ? kInvIteInvalid
                                                      : kDiscardIteInvalid;
    const Ite ite = T().ites.at(addr);
    int rd = -1;
    const Vte* found = find_vte(ite.icid, &rd);
    if (!found || (uint64_t{ite.intid} >> (found->vpt_size + 1))) return invalid;
    const Vte vte = *found;
    switch (op) {
    case ItsOpcode::INT: set_vlpi(unsigned(rd), ite.icid, vte, ite.intid, ite.doorbell); break;   // ok even if refused
    case ItsOpcode::CLEAR: clear_vlpi(unsigned(rd), ite.icid, ite.intid); break;
    case ItsOpcode::INV: inv_vlpi(unsigned(rd), ite.icid, ite.intid, false); break;
    default:   // DISCARD: the vLPI, then the ITE
        clear_vlpi(unsigned(rd), ite.icid, ite.intid);
        touch(Touch::ite, addr, true);
        T().ites.erase(addr);
        break;
    }
    return 0;
}

uint32_t Core::cmd_vmovi(const ItsCommand& c) {
    using namespace cmd_error;
    if (c.db_valid && !valid_doorbell(c.doorbell)) return kVmoviDoorbellOutOfRange;
    const Codes codes{kVmoviCodes.device_oor, kVmoviCodes.unmapped_device, kVmoviCodes.event_oor,
                      kVmoviCodes.unmapped_interrupt, kVmoviCodes.unmapped_collection};
    uint64_t addr = 0;
    if (uint32_t e = find_interrupt(c.device, c.event, codes, &addr)) return e;
    const Ite ite = T().ites.at(addr);
    if (!ite.virt) return kVmoviIdIsPhysical;
    if (c.vpeid >= p_.vpe_ids) return kVmoviVpeOutOfRange;
    int rd_old = -1, rd_new = -1;
    const Vte* ov = find_vte(ite.icid, &rd_old);
    if (!ov) return kVmoviIteVpeInvalid;
    const Vte old_vte = *ov;
    const Vte* nv = find_vte(c.vpeid, &rd_new);
    if (!nv) return kVmoviCmdVpeInvalid;
    const Vte new_vte = *nv;
    if ((uint64_t{ite.intid} >> (old_vte.vpt_size + 1)) || (uint64_t{ite.intid} >> (new_vte.vpt_size + 1)))
        return kVmoviVintidOutOfRange;
    Ite moved = ite;
    moved.icid = uint16_t(c.vpeid);
    if (c.db_valid) moved.doorbell = p_.v41() ? kNoDoorbell : c.doorbell;
    // Between two vPEs the pending state moves; to the same vPE only the doorbell changes.
    if (c.vpeid != ite.icid && clear_vlpi(unsigned(rd_old), ite.icid, ite.intid))
        set_vlpi(unsigned(rd_new), c.vpeid, new_vte, ite.intid, moved.doorbell);
    touch(Touch::ite, addr, true);
    T().ites[addr] = moved;
    return 0;
}

uint32_t Core::cmd_vmovp(const ItsCommand& c) {
    using namespace cmd_error;
    if (c.vpeid >= p_.vpe_ids) return kVmovpVpeOutOfRange;
    if (resolve_rdbase(c.rdbase) < 0) return kVmovpRdbaseOutOfRange;
    Tables& t = T();
    if (!p_.vmovp) {   // each ITS in ITSList gets the command: this one must be in it, in sequence
        if (!((c.its_list >> cur_) & 1)) return kVmovpItsListInvalid;
        const uint32_t ahead = (c.seqnum - t.last_seqnum) & 0xFFFF;
        if (t.have_seqnum && (ahead == 0 || ahead >= 0x8000)) return kVmovpSequenceInvalid;
    }
    touch(Touch::vte, key(c.vpeid), true);
    auto it = t.vtes.find(c.vpeid);
    if (it == t.vtes.end()) return kVmovpVpeInvalid;
    if (!p_.vmovp) {
        t.have_seqnum = true;
        t.last_seqnum = c.seqnum & 0xFFFF;
    }
    const int from = resolve_rdbase(it->second.rdbase), to = resolve_rdbase(c.rdbase);
    if (p_.v41() && from >= 0 && from != to) hand_over(unsigned(from), unsigned(to), c.vpeid);
    auto move = [&](Vte& e) {
        e.rdbase = c.rdbase & kRdbaseMask;
        if (p_.v41() && c.db) e.default_doorbell = c.default_doorbell;
    };
    move(it->second);
    if (p_.vmovp)   // one VMOVP moves the vPE in every ITS that has it mapped
        for (unsigned n = 0; n < its_.size(); ++n) {
            if (n == cur_) continue;
            touch(Touch::vte, (uint64_t{n} << 40) | c.vpeid, true);
            auto p = its_[n].vtes.find(c.vpeid);
            if (p != its_[n].vtes.end()) move(p->second);
        }
    return 0;
}

uint32_t Core::cmd_vpe(const ItsCommand& c, const cmd_error::VpeCodes& codes) {
    if (c.vpeid >= p_.vpe_ids) return codes.vpe_oor;
    int rd = -1;
    const Vte* vte = find_vte(c.vpeid, &rd);
    if (!vte) return codes.vpe_invalid;
    switch (static_cast<ItsOpcode>(c.opcode)) {
    case ItsOpcode::VINVALL: inv_vlpi(unsigned(rd), c.vpeid, 0, true); break;
    case ItsOpcode::INVDB:   // the default doorbell's configuration, a physical LPI's
        if (vte->default_doorbell != kNoDoorbell) inv(unsigned(rd), vte->default_doorbell);
        break;
    case ItsOpcode::VSGI: {
        Vsgi& s = vsgis_[{unsigned(rd), c.vpeid}][c.vintid & 0xF];
        touch_lpi(c.clear ? Touch::clear : Touch::reread, vkey(c.vpeid), c.vintid & 0xF, s.pending);
        if (c.clear) {
            s.pending = false;
        } else {
            s.enable = c.enable;
            s.group = c.group;
            s.priority = uint8_t(c.priority & 0xF0);
        }
        break;
    }
    default: break;   // VSYNC: every effect is made before it
    }
    return 0;
}

// ---- The redistributors' virtual side ----------------------------------------
void Core::check_resident_here(unsigned rd, uint32_t vpeid, const Vpe& v) const {
    if (v.resident >= 0 && unsigned(v.resident) != rd)
        throw Unsupported("a vLPI of " + vpe_name(vpeid) + " reaches redistributor " + num(rd) +
                          " while the vPE is resident at cpu " + num(unsigned(v.resident)) +
                          " (its VPT and the resident state would differ)");
}

bool Core::set_vlpi(unsigned rd, uint32_t vpeid, const Vte& vte, uint32_t vintid, uint32_t ite_doorbell) {
    rang_ = 0;
    Vpe& v = vpes_[vpeid];
    check_resident_here(rd, vpeid, v);
    const unsigned k = vkey(vpeid);
    const bool hit = v.pending.count(vintid) != 0;
    if (v.resident >= 0) {
        if (vintid < kFirstLpi || vintid >= v.limit) return false;   // refused: past the resident range
        touch_lpi(Touch::set, k, vintid, hit);
        if (!hit) v.pending[vintid] = vlookup(vpeid, vintid);
        return true;
    }
    if (vintid < kFirstLpi || vintid >= vpt_limit(vte.vpt_size, p_.lpi_bits)) return false;
    touch_lpi(Touch::set, k, vintid, hit);
    v.pending[vintid] = false;   // in the VPT: the configuration is read at the schedule
    bool enabled = false;
    if (p_.v41() && armed_.count({rd, vpeid})) {
        touch_lpi(Touch::lookup, k, vintid, false);   // the doorbell rule reads the vLPI's byte
        enabled = vconf_enabled(vpeid, vintid);
    }
    ring(rd, vpeid, vte, enabled, ite_doorbell);
    return true;
}

bool Core::clear_vlpi(unsigned rd, uint32_t vpeid, uint32_t vintid) {
    Vpe& v = vpes_[vpeid];
    check_resident_here(rd, vpeid, v);
    const bool hit = v.pending.erase(vintid) != 0;
    touch_lpi(Touch::clear, vkey(vpeid), vintid, hit);
    return hit;
}

void Core::inv_vlpi(unsigned rd, uint32_t vpeid, uint32_t vintid, bool all) {
    Vpe& v = vpes_[vpeid];
    if (v.resident < 0 || unsigned(v.resident) != rd) return;   // not resident here: read at the schedule
    const unsigned k = vkey(vpeid);
    if (all) {
        touch_lpi(Touch::reread_all, k, 0, false);
        v.cached.clear();
        for (auto& [i, en] : v.pending) en = vlookup(vpeid, i);
        return;
    }
    auto it = v.pending.find(vintid);
    touch_lpi(Touch::reread, k, vintid, it != v.pending.end());
    v.cached.erase(vintid);
    if (it != v.pending.end()) it->second = vlookup(vpeid, vintid);
}

bool Core::vlookup(uint32_t vpeid, uint32_t vintid) {
    touch_lpi(Touch::lookup, vkey(vpeid), vintid, false);
    const bool mem = vconf_enabled(vpeid, vintid);
    if (!p_.config_cache) return mem;
    Vpe& v = vpes_[vpeid];
    auto it = v.cached.find(vintid);
    const uint8_t may = it == v.cached.end() ? 0 : it->second;
    if ((may | bit(mem)) == 3)
        throw Unsupported("the configuration of vLPI " + num(vintid) + " of " + vpe_name(vpeid) +
                          " depends on the resident vPE's configuration cache: it may still hold Enable=" +
                          (mem ? "0" : "1") + " from before the latest `vlpi` line for it (no INV/VINVALL since)");
    v.cached[vintid] = bit(mem);
    if (p_.config_line_bytes > 1) {
        const uint64_t line = p_.config_line_bytes;
        const uint64_t first = (uint64_t(vintid) - kFirstLpi) & ~(line - 1);
        for (uint64_t i = 0; i < line; ++i) {
            const uint64_t y = kFirstLpi + first + i;
            if (y >= v.limit) break;
            if (y != vintid) v.cached[uint32_t(y)] |= bit(vconf_enabled(vpeid, uint32_t(y)));
        }
    }
    return mem;
}

void Core::ring(unsigned rd, uint32_t vpeid, const Vte& vte, bool enabled, uint32_t ite_doorbell) {
    uint32_t db = kNoDoorbell;
    if (!p_.v41()) {
        db = ite_doorbell;
    } else if (enabled && vte.default_doorbell != kNoDoorbell && armed_.erase({rd, vpeid})) {
        db = vte.default_doorbell;
    }
    if (db == kNoDoorbell) return;
    ++doorbells_[vpeid];
    rang_ = db;
    // An ordinary physical LPI at this redistributor (refused outside the LPI range).
    if (db >= kFirstLpi && db < p_.lpi_limit()) set_pending(rd, db);
}

void Core::schedule(unsigned cpu, uint32_t vpeid) {
    touch_lpi(Touch::move_all, vkey(vpeid), 0, false);
    if (p_.v41()) touch(Touch::vte, vpeid);   // the redistributor reads ITS 0's entry
    for (const auto& [id, v] : vpes_)
        if (v.resident == int(cpu))
            throw Unsupported("schedule of " + vpe_name(vpeid) + " at cpu " + num(cpu) + " while " + vpe_name(id) +
                              " is resident there (GICR_VPENDBASER.Valid stays 1: the write is ignored)");
    Vpe& v = vpes_[vpeid];
    if (v.resident >= 0)
        throw Unsupported("schedule of " + vpe_name(vpeid) + " at cpu " + num(cpu) + " while it is resident at cpu " +
                          num(unsigned(v.resident)));
    if (!p_.v41()) {
        v.limit = vpt_limit(p_.lpi_bits - 1, p_.lpi_bits);   // GICR_VPROPBASER.IDbits
    } else {   // the vPE's entry in ITS 0's vPE table; none: no vLPI range
        auto e = its_[0].vtes.find(vpeid);
        v.limit = e == its_[0].vtes.end() ? 0 : vpt_limit(e->second.vpt_size, p_.lpi_bits);
    }
    v.resident = int(cpu);
    v.cached.clear();
    armed_.erase({cpu, vpeid});   // the vPE is resident again: the doorbell request has lapsed
    for (auto& [vintid, en] : v.pending) {
        if (vintid >= v.limit)
            throw Unsupported("vLPI " + num(vintid) + " of " + vpe_name(vpeid) +
                              " is pending in its VPT past the range its schedule gives");
        en = vlookup(vpeid, vintid);
    }
}

void Core::deschedule(unsigned cpu, bool doorbell) {
    for (auto& [id, v] : vpes_) {
        if (v.resident != int(cpu)) continue;
        touch_lpi(Touch::move_all, vkey(id), 0, false);
        bool enabled_pending = false;
        for (const auto& [vintid, en] : v.pending) enabled_pending |= en;
        auto s = vsgis_.find({cpu, id});
        if (s != vsgis_.end())
            for (const Vsgi& g : s->second) enabled_pending |= g.pending && g.enable;
        if (p_.v41() && doorbell && !enabled_pending) armed_.insert({cpu, id});
        v.resident = -1;
        v.limit = 0;
        v.cached.clear();
        return;
    }
    // No vPE resident: Valid stays 0, nothing happens.
}

void Core::sgi(uint32_t vpeid, uint32_t vintid) {
    rang_ = 0;
    int rd = -1;
    const Vte* found = p_.v41() && vintid < 16 ? find_vte(vpeid, &rd) : nullptr;
    if (!found) return;   // dropped
    const Vte vte = *found;
    Vsgi& s = vsgis_[{unsigned(rd), vpeid}][vintid];
    touch_lpi(Touch::set, vkey(vpeid), vintid, s.pending);
    s.pending = true;
    // vSGIs live at the redistributor: one resident elsewhere never sees these.
    const Vpe& v = vpes_[vpeid];
    if (v.resident != rd) ring(unsigned(rd), vpeid, vte, s.enable, kNoDoorbell);
}

void Core::hand_over(unsigned from, unsigned to, uint32_t vpeid) {
    // When something moves, it is an operation on all of vkey(V) as a
    // schedule is (the race guard's view: an MSI or vSGI to the vPE that
    // may still be on its way through another ITS). The VMOVP that moves
    // nothing (the next of the same move) commutes with it.
    const bool armed = armed_.erase({from, vpeid}) != 0;
    auto old = vsgis_.find({from, vpeid});
    if (armed || old != vsgis_.end()) touch_lpi(Touch::move_all, vkey(vpeid), 0, false);
    if (armed) armed_.insert({to, vpeid});
    if (old == vsgis_.end()) return;
    const std::array<Vsgi, 16> gave = old->second;
    vsgis_.erase(old);
    bool held = false;
    for (const Vsgi& g : gave) held |= g.pending || g.enable || g.group || g.priority;
    if (!held) return;   // all in reset: nothing to hand over
    std::array<Vsgi, 16>& got = vsgis_[{to, vpeid}];
    for (unsigned n = 0; n < 16; ++n) {
        got[n].pending = got[n].pending || gave[n].pending;
        got[n].enable = gave[n].enable;
        got[n].group = gave[n].group;
        got[n].priority = gave[n].priority;
    }
}

std::map<std::pair<uint32_t, uint32_t>, uint16_t> Core::vsgi_pending() const {
    std::map<std::pair<uint32_t, uint32_t>, uint16_t> out;
    for (const auto& [key, set] : vsgis_) {
        uint16_t mask = 0;
        for (unsigned n = 0; n < 16; ++n)
            if (set[n].pending) mask = uint16_t(mask | (1u << n));
        if (mask) out[{key.first, key.second}] = mask;
    }
    return out;
}

void Core::settle_virtual(std::vector<std::pair<unsigned, uint32_t>>& taken) {
    for (auto& [id, v] : vpes_) {
        if (v.resident < 0) continue;
        const unsigned k = vkey(id);
        for (auto it = v.pending.begin(); it != v.pending.end();) {
            if (!it->second) {
                ++it;
                continue;
            }
            ++acks_[{k, it->first}];
            taken.emplace_back(k, it->first);
            it = v.pending.erase(it);
        }
        auto s = vsgis_.find({unsigned(v.resident), id});
        if (s == vsgis_.end()) continue;
        for (uint32_t n = 0; n < 16; ++n) {
            Vsgi& g = s->second[n];
            if (!g.pending || !g.enable || !g.group) continue;   // GICR_VPENDBASER: VGrp1En only
            g.pending = false;
            ++acks_[{k, n}];
            taken.emplace_back(k, n);
        }
    }
}

}  // namespace itsim::ref
