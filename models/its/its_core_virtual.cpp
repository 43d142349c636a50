// ItsCore, the GICv4 part (its_core_ctx.h): the virtual commands, the
// physical commands INT, CLEAR, INV and DISCARD on virtual ITEs, the vPE
// table and its cache, and GITS_SGIR. execute() hands the `virtual` family
// to run_virtual(), which calls the command's own function:
//   VMAPP    cmd_vmapp()     map / unmap a vPE (both forms; v4.1 V=0 syncs)
//   VMAPTI   cmd_vmapti()    a virtual ITE (VMAPI: vINTID = EventID)
//   VMAPI    cmd_vmapti()
//   VMOVI    cmd_vmovi()     retarget a virtual ITE (same vPE: the doorbell)
//   VMOVP    cmd_vmovp()     a vPE's new redistributor (ITSList/Sequence);
//                            v4.1: vmovp_from to the old one, then vmovp
//   VSYNC    cmd_vpe()       the vPE's redistributor: vsync
//   VINVALL  cmd_vpe()       vinvall
//   INVDB    cmd_vpe()       invdb (v4.1)
//   VSGI     cmd_vpe()       vsgi_config (v4.1)
// Physical commands on a virtual ITE (find_event_target() hands them here):
//   INT, CLEAR, INV, DISCARD  on_virtual_ite()  set_vlpi / clear_vlpi /
//                             inv_vlpi / clear_vlpi then the ITE written invalid
//   MOVI                      cmd_movi(): MOVI_ITE_INVALID
// GITS_SGIR: write_sgir() -> set_vsgi.
//
// Documented choices (gicv4-facts.md; [pattern] codes in its_cmd.h):
//  - Check order as QEMU's (gicv4-facts.md 1.4); each failing check stops
//    the command before any table access that would follow it.
//      VMAPP   VPT_size (V=1: VPT_size + 1 > lpi_intid_bits, the vINTID space
//              is the LPI space) -> RDbase (V=1) -> Default_Doorbell (v4.1
//              V=1: 1023 or an LPI, VMAPP_PHYSICALID_OOR) -> vPEID range ->
//              (level-1 read) -> VTE write. VPT_size is [4:0] in v4.0.
//      VMAPTI  DeviceID range -> DTE -> EventID -> vINTID an LPI -> doorbell
//      VMAPI   1023 or an LPI -> vPEID range -> ITE write. The vPE need not
//              be mapped. v4.1 ITEs are written with doorbell 1023.
//      VMOVI   doorbell (D=1) -> DeviceID, DTE, EventID, ITE -> ITE virtual
//              (VMOVI_ID_IS_PHYSICAL) -> new vPEID range -> old VTE valid
//              (ITEVCPU_INVALID) -> new VTE valid (CMDVCPU_INVALID) ->
//              vINTID within both VPT_sizes (VIRTUALID_OOR) -> move -> ITE.
//      VMOVP   vPEID range -> RDbase -> (GITS_TYPER.VMOVP = 0: this ITS in
//              ITSList, SequenceNumber after the last one) -> VTE valid.
//      others  vPEID range (<cmd>_VCPU_OOR) -> VTE valid (<cmd>_VCPU_INVALID).
//  - A VTE whose RDbase names no redistributor counts as not valid.
//  - VMAPP V=1 over a valid VTE overwrites it (no pending state moves).
//    Alloc and PTZ are accepted and change nothing in the ITS (the VPT is
//    never zeroed by the ITS). VMAPP V=0 writes the VTE invalid; with v4.1
//    it is self-synchronising: the old redistributor gets a vsync (its
//    cached state for the vPE written back) before the command completes.
//  - VMOVI between two vPEs: clear_vlpi at the old vPE's redistributor and,
//    if it was pending, set_vlpi at the new one (the new ITE's doorbell);
//    to the same vPE: no pending state moves, D=1 rewrites the doorbell.
//  - VMOVP: the VTE's RDbase (and with v4.1 DB=1 its Default_Doorbell) is
//    rewritten and, when the redistributor changed, v4.1 first asks the
//    old one for what is not in memory (vmovp_from: the armed default
//    doorbell and the vSGIs), then the new one gets vmovp with it (v4.0:
//    vmovp alone; a non-resident vPE's vLPIs are in its VPT).
//    GITS_TYPER.VMOVP = 1: the entry of every peer ITS (set_peers()) that
//    has the vPE mapped is rewritten too, through this ITS's accesses, and
//    their vPE caches follow. VMOVP = 0: SequenceNumber must come after the
//    last one this ITS executed ((seq - last) mod 2^16 in 1..0x7FFF; the
//    first is free), and ITSList must hold bit ITS_Number.
//  - INT/CLEAR/INV/DISCARD on a virtual ITE whose vPE is unmapped, or whose
//    vINTID is past 2^(VPT_size + 1): <cmd>_ITE_INVALID, nothing changes.
//  - A MAPD sweep (its_core_commands.cpp) clears a virtual ITE's vLPI at its
//    vPE's redistributor when the vPE is mapped.
//  - GITS_SGIR with the ITS disabled, a vPEID past the vPE table or an
//    unmapped vPE is dropped (counted in vsgis_dropped()).
#include "itsim/its/its_core.h"
#include "itsim/its/its_core_ctx.h"

namespace itsim {

namespace {

constexpr uint32_t kFirstLpi = 8192;
using Kind = LpiOp::Kind;

}  // namespace

// ---------------------------------------------------------------------------
// The vPE table, through the vPE cache
// ---------------------------------------------------------------------------
bool ItsCore::is_lpi(uint32_t intid) const {
    return intid >= kFirstLpi && uint64_t{intid} < (uint64_t{1} << cfg_.lpi_intid_bits);
}

ItsCore::Find ItsCore::vte_address(Ctx& c, const TableGeometry& t, uint32_t vpeid, uint64_t* addr) {
    return entry_address(c, t, vpeid, kVpeidBits, ItsAccess::vpe_l1, addr);
}

bool ItsCore::read_vte(Ctx& c, uint64_t addr, ItsVte* out) {
    uint8_t b[kVteBytes];
    ++c.reads;
    if (!c.env.read(addr, b, kVteBytes, ItsAccess::vte)) return false;
    VteWords w;
    for (unsigned i = 0; i < 4; ++i) w[i] = load_le64(b + 8 * i);
    *out = decode_vte(w);
    return true;
}

bool ItsCore::write_vte(Ctx& c, uint64_t addr, const ItsVte& e) {
    uint8_t b[kVteBytes];
    const VteWords w = encode_vte(e);
    for (unsigned i = 0; i < 4; ++i) store_le64(b + 8 * i, w[i]);
    ++c.writes;
    return c.env.write(addr, b, kVteBytes, ItsAccess::vte);
}

ItsCore::Find ItsCore::find_vte(Ctx& c, uint32_t vpeid, ItsVte* out, bool* hit) {
    *hit = false;
    const TableGeometry t = vpe_table_;
    if (vpeid >= t.max_ids(kVpeidBits)) return Find::out_of_range;
    if (vpe_cache_.entries()) {
        c.env.step(ItsStep::vpe_cache);
        if (const ItsVte* e = vpe_cache_.lookup(vpeid)) {
            *out = *e;
            *hit = true;
            return Find::ok;
        }
    }
    const uint64_t epoch = vpe_epoch_;
    uint64_t addr = 0;
    const Find f = vte_address(c, t, vpeid, &addr);
    if (f != Find::ok) return f;
    if (!read_vte(c, addr, out)) return Find::memory_error;
    if (!out->valid) return Find::unmapped;
    if (epoch == vpe_epoch_) vpe_cache_.insert(vpeid, *out);
    else ++fills_dropped_;   // a command changed the cache while the read was in flight
    return Find::ok;
}

ItsCore::Find ItsCore::find_vpe_target(Ctx& c, uint32_t vpeid, ItsVte* vte, unsigned* rd, bool* hit) {
    const Find f = find_vte(c, vpeid, vte, hit);
    if (f != Find::ok) return f;
    const auto r = resolve_rdbase(vte->rdbase);
    if (!r || *r >= rds_.size()) return Find::unmapped;
    *rd = *r;
    return Find::ok;
}

VpeRef ItsCore::vpe_ref(uint32_t vpeid, const ItsVte& e) {
    VpeRef v;
    v.vpeid = vpeid;
    v.vpt_addr = e.vpt_addr;
    v.vpt_size = e.vpt_size;
    v.vconf_addr = e.vconf_addr;
    v.default_doorbell = e.default_doorbell;
    return v;
}

void ItsCore::note_vpe(CommandRecord& rec, uint32_t vpeid, unsigned rd) const {
    if (!rec.has_vpe) {
        rec.has_vpe = true;
        rec.vpeid = vpeid;
    }
    if (!rec.has_vcpu) {
        rec.has_vcpu = true;
        rec.vcpu = rds_[rd].processor_number;
    }
}

// ---------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------
void ItsCore::run_virtual(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    switch (static_cast<ItsOpcode>(cmd.opcode)) {
    case ItsOpcode::VMAPP: cmd_vmapp(c, cmd, rec); return;
    case ItsOpcode::VMAPTI: cmd_vmapti(c, cmd, cmd.vintid, cmd_error::kVmaptiCodes, rec); return;
    case ItsOpcode::VMAPI: cmd_vmapti(c, cmd, cmd.event, cmd_error::kVmapiCodes, rec); return;   // vINTID = EventID
    case ItsOpcode::VMOVI: cmd_vmovi(c, cmd, rec); return;
    case ItsOpcode::VMOVP: cmd_vmovp(c, cmd, rec); return;
    case ItsOpcode::VSYNC: cmd_vpe(c, cmd, Kind::vsync, cmd_error::kVsyncCodes, rec); return;
    case ItsOpcode::VINVALL: cmd_vpe(c, cmd, Kind::vinvall, cmd_error::kVinvallCodes, rec); return;
    case ItsOpcode::INVDB: cmd_vpe(c, cmd, Kind::invdb, cmd_error::kInvdbCodes, rec); return;
    case ItsOpcode::VSGI: cmd_vpe(c, cmd, Kind::vsgi_config, cmd_error::kVsgiCodes, rec); return;
    default: return;
    }
}

// ---------------------------------------------------------------------------
// Physical commands on a virtual ITE
// ---------------------------------------------------------------------------
void ItsCore::on_virtual_ite(Ctx& c, const ItsCommand& cmd, const ItsDte& dte, const ItsIte& ite,
                             CommandRecord& rec) {
    using namespace cmd_error;
    const auto op = static_cast<ItsOpcode>(cmd.opcode);
    const uint32_t invalid = op == ItsOpcode::INT     ? kIntIteInvalid
                             : op == ItsOpcode::CLEAR ? kClearIteInvalid
                             : op == ItsOpcode::INV   ? kInvIteInvalid
                                                      : kDiscardIteInvalid;
    ItsVte vte;
    unsigned rd = 0;
    bool hit = false;
    switch (find_vpe_target(c, ite.vpeid(), &vte, &rd, &hit)) {
    case Find::ok: break;
    case Find::memory_error: rec.memory_error = true; return;
    default: rec.status = invalid; return;
    }
    if (uint64_t{ite.intid} >> (vte.vpt_size + 1)) { rec.status = invalid; return; }
    note_vpe(rec, ite.vpeid(), rd);
    rec.has_vintid = true;
    rec.vintid = ite.intid;
    LpiOp m = LpiOp::virt(Kind::clear_vlpi, vpe_ref(ite.vpeid(), vte), ite.intid);
    if (op == ItsOpcode::INT) {
        m.kind = Kind::set_vlpi;
        m.doorbell = ite.doorbell;
    } else if (op == ItsOpcode::INV) {
        m.kind = Kind::inv_vlpi;
    }
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, m);
    if (op != ItsOpcode::DISCARD) return;
    if (!write_ite(c, ite_addr(dte.itt_addr, cmd.event, ite_bytes()), ItsIte{})) { rec.memory_error = true; return; }
    ++evt_epoch_;
    evt_cache_.invalidate(event_key(cmd.device, cmd.event));
}

// ---------------------------------------------------------------------------
// The virtual commands, by opcode
// ---------------------------------------------------------------------------
void ItsCore::cmd_vmovi(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    using namespace cmd_error;
    const LookupCodes& codes = kVmoviCodes;
    if (cmd.db_valid && !valid_doorbell(cmd.doorbell)) { rec.status = kVmoviDoorbellOutOfRange; return; }
    ItsDte dte;
    ItsIte ite;
    if (!find_interrupt(c, cmd.device, cmd.event, codes, rec, &dte, &ite)) return;
    if (ite.physical) { rec.status = kVmoviIdIsPhysical; return; }
    if (cmd.vpeid >= max_vpeids()) { rec.status = kVmoviVpeOutOfRange; return; }
    ItsVte old_vte, new_vte;
    unsigned rd_old = 0, rd_new = 0;
    bool hit = false;
    switch (find_vpe_target(c, ite.vpeid(), &old_vte, &rd_old, &hit)) {
    case Find::ok: break;
    case Find::memory_error: rec.memory_error = true; return;
    default: rec.status = kVmoviIteVpeInvalid; return;
    }
    switch (find_vpe_target(c, cmd.vpeid, &new_vte, &rd_new, &hit)) {
    case Find::ok: break;
    case Find::memory_error: rec.memory_error = true; return;
    default: rec.status = kVmoviCmdVpeInvalid; return;
    }
    if ((uint64_t{ite.intid} >> (old_vte.vpt_size + 1)) || (uint64_t{ite.intid} >> (new_vte.vpt_size + 1))) {
        rec.status = kVmoviVintidOutOfRange;
        return;
    }
    ItsIte moved = ite;
    moved.icid = static_cast<uint16_t>(cmd.vpeid);
    if (cmd.db_valid) moved.doorbell = cfg_.version == GicVersion::v4_1 ? kNoDoorbellIntid : cmd.doorbell;
    note_vpe(rec, ite.vpeid(), rd_old);
    rec.has_vintid = true;
    rec.vintid = ite.intid;
    if (cmd.vpeid != ite.vpeid()) {
        c.env.step(ItsStep::redist_hop);
        const LpiResult r = c.env.send(rd_old, LpiOp::virt(Kind::clear_vlpi, vpe_ref(ite.vpeid(), old_vte), ite.intid));
        if (r.was_pending) {
            LpiOp set = LpiOp::virt(Kind::set_vlpi, vpe_ref(cmd.vpeid, new_vte), ite.intid);
            set.doorbell = moved.doorbell;
            c.env.step(ItsStep::redist_hop);
            c.env.send(rd_new, set);
        }
    }
    if (!write_ite(c, ite_addr(dte.itt_addr, cmd.event, ite_bytes()), moved)) { rec.memory_error = true; return; }
    ++evt_epoch_;
    evt_cache_.update(event_key(cmd.device, cmd.event), moved);
}

void ItsCore::cmd_vmovp(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    using namespace cmd_error;
    if (cmd.vpeid >= max_vpeids()) { rec.status = kVmovpVpeOutOfRange; return; }
    const auto rd_new = resolve_rdbase(cmd.rdbase);
    if (!rd_new || *rd_new >= rds_.size()) { rec.status = kVmovpRdbaseOutOfRange; return; }
    if (!cfg_.vmovp) {
        if (!((cmd.its_list >> cfg_.its_number) & 1)) { rec.status = kVmovpItsListInvalid; return; }
        const uint32_t ahead = (cmd.seqnum - last_seqnum_) & 0xFFFF;
        if (have_seqnum_ && (ahead == 0 || ahead >= 0x8000)) { rec.status = kVmovpSequenceInvalid; return; }
    }
    ItsVte vte;
    bool hit = false;
    uint64_t addr = 0;
    switch (find_vte(c, cmd.vpeid, &vte, &hit)) {
    case Find::ok: break;
    case Find::memory_error: rec.memory_error = true; return;
    default: rec.status = kVmovpVpeInvalid; return;
    }
    if (!cfg_.vmovp) {
        have_seqnum_ = true;
        last_seqnum_ = cmd.seqnum & 0xFFFF;
    }
    const auto rd_old = resolve_rdbase(vte.rdbase);
    ItsVte nu = vte;
    nu.rdbase = cmd.rdbase & kCteRdbaseMask;
    if (cfg_.version == GicVersion::v4_1 && cmd.db) nu.default_doorbell = cmd.default_doorbell;
    switch (vte_address(c, vpe_table_, cmd.vpeid, &addr)) {
    case Find::ok: break;
    case Find::memory_error: rec.memory_error = true; return;
    default: rec.status = kVmovpVpeInvalid; return;
    }
    if (!write_vte(c, addr, nu)) { rec.memory_error = true; return; }
    ++vpe_epoch_;
    vpe_cache_.update(cmd.vpeid, nu);
    note_vpe(rec, cmd.vpeid, *rd_new);
    if (!rd_old || *rd_old != *rd_new) {
        LpiOp move = LpiOp::virt(Kind::vmovp, vpe_ref(cmd.vpeid, nu));
        if (cfg_.version == GicVersion::v4_1 && rd_old && *rd_old < rds_.size()) {
            c.env.step(ItsStep::redist_hop);   // the old redistributor hands the vPE's state over
            move.handover = c.env.send(*rd_old, LpiOp::virt(Kind::vmovp_from, vpe_ref(cmd.vpeid, vte))).handover;
        }
        c.env.step(ItsStep::redist_hop);
        c.env.send(*rd_new, move);
    }
    if (cfg_.vmovp && vmovp_peers(c, cmd) == Find::memory_error) rec.memory_error = true;
}

// GITS_TYPER.VMOVP = 1: one VMOVP updates the vPE's entry in every ITS.
ItsCore::Find ItsCore::vmovp_peers(Ctx& c, const ItsCommand& cmd) {
    for (ItsCore* p : peers_) {
        if (p == this || !p->enabled_ || !has_gicv4(p->cfg_.version)) continue;
        const TableGeometry t = p->vpe_table_;
        if (cmd.vpeid >= t.max_ids(kVpeidBits)) continue;
        uint64_t addr = 0;
        const Find f = vte_address(c, t, cmd.vpeid, &addr);
        if (f == Find::memory_error) return f;
        if (f != Find::ok) continue;
        ItsVte e;
        if (!read_vte(c, addr, &e)) return Find::memory_error;
        if (!e.valid) continue;   // not mapped there
        e.rdbase = cmd.rdbase & kCteRdbaseMask;
        if (p->cfg_.version == GicVersion::v4_1 && cmd.db) e.default_doorbell = cmd.default_doorbell;
        if (!write_vte(c, addr, e)) return Find::memory_error;
        ++p->vpe_epoch_;
        p->vpe_cache_.update(cmd.vpeid, e);
    }
    return Find::ok;
}

void ItsCore::cmd_vmapp(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    using namespace cmd_error;
    const bool v41 = cfg_.version == GicVersion::v4_1;
    const uint8_t vpt_size = v41 ? cmd.vpt_size : uint8_t(cmd.vpt_size & 0x1F);
    if (cmd.valid && unsigned(vpt_size) + 1 > cfg_.lpi_intid_bits) { rec.status = kVmappVptSizeOutOfRange; return; }
    if (cmd.valid && (!resolve_rdbase(cmd.rdbase) || *resolve_rdbase(cmd.rdbase) >= rds_.size())) {
        rec.status = kVmappRdbaseOutOfRange;
        return;
    }
    if (v41 && cmd.valid && !valid_doorbell(cmd.default_doorbell)) { rec.status = kVmappDoorbellOutOfRange; return; }
    const uint32_t vpeid = cmd.vpeid;
    const TableGeometry t = vpe_table_;
    if (vpeid >= t.max_ids(kVpeidBits)) { rec.status = kVmappVpeOutOfRange; return; }
    uint64_t addr = 0;
    switch (vte_address(c, t, vpeid, &addr)) {
    case Find::ok: break;
    case Find::out_of_range: rec.status = kVmappVpeOutOfRange; return;
    case Find::memory_error: rec.memory_error = true; return;
    case Find::unmapped:   // invalid level-1 descriptor: write discarded
        ++vpe_epoch_;
        vpe_cache_.invalidate(vpeid);
        return;
    }
    // The old entry, for the v4.1 unmap's synchronisation.
    ItsVte old;
    if (!cmd.valid && v41) {
        bool hit = false;
        if (vpe_cache_.entries()) {
            c.env.step(ItsStep::vpe_cache);
            if (const ItsVte* e = vpe_cache_.lookup(vpeid)) { old = *e; hit = true; }
        }
        if (!hit && !read_vte(c, addr, &old)) { rec.memory_error = true; return; }
    }
    ItsVte nu;
    if (cmd.valid) {
        nu.valid = true;
        nu.vpt_addr = cmd.vpt_addr & kVteAddrMask;
        nu.vpt_size = vpt_size;
        nu.rdbase = cmd.rdbase & kCteRdbaseMask;
        if (v41) {
            nu.vconf_addr = cmd.vconf_addr & kVteAddrMask;
            nu.default_doorbell = cmd.default_doorbell;
        }
    }
    if (!write_vte(c, addr, nu)) { rec.memory_error = true; return; }
    ++vpe_epoch_;
    if (nu.valid) vpe_cache_.update(vpeid, nu);
    else vpe_cache_.invalidate(vpeid);
    if (nu.valid) {
        note_vpe(rec, vpeid, *resolve_rdbase(nu.rdbase));
    } else if (old.valid) {
        const auto rd = resolve_rdbase(old.rdbase);
        if (rd && *rd < rds_.size()) {   // v4.1: self-synchronising
            note_vpe(rec, vpeid, *rd);
            c.env.step(ItsStep::redist_hop);
            c.env.send(*rd, LpiOp::virt(Kind::vsync, vpe_ref(vpeid, old)));
        }
    }
}

void ItsCore::cmd_vmapti(Ctx& c, const ItsCommand& cmd, uint32_t vintid, const cmd_error::VmapCodes& codes,
                         CommandRecord& rec) {
    const uint32_t dev = cmd.device;
    if (dev >= max_device_ids()) { rec.status = codes.device_oor; return; }
    ItsDte dte;
    bool hit = false;
    switch (find_dte(c, dev, &dte, &hit)) {
    case Find::ok: break;
    case Find::out_of_range: rec.status = codes.device_oor; return;
    case Find::unmapped: rec.status = codes.unmapped_device; return;
    case Find::memory_error: rec.memory_error = true; return;
    }
    if (cmd.event >= dte.event_count()) { rec.status = codes.event_oor; return; }
    if (!is_lpi(vintid)) { rec.status = codes.vintid_oor; return; }
    if (!valid_doorbell(cmd.doorbell)) { rec.status = codes.doorbell_oor; return; }
    if (cmd.vpeid >= max_vpeids()) { rec.status = codes.vpe_oor; return; }
    ItsIte ite;
    ite.valid = true;
    ite.physical = false;
    ite.icid = static_cast<uint16_t>(cmd.vpeid);
    ite.intid = vintid;
    ite.doorbell = cfg_.version == GicVersion::v4_1 ? kNoDoorbellIntid : cmd.doorbell;
    rec.has_vpe = true;
    rec.vpeid = cmd.vpeid;
    rec.has_vintid = true;
    rec.vintid = vintid;
    if (!write_ite(c, ite_addr(dte.itt_addr, cmd.event, ite_bytes()), ite)) { rec.memory_error = true; return; }
    ++evt_epoch_;
    evt_cache_.update(event_key(dev, cmd.event), ite);
}

void ItsCore::cmd_vpe(Ctx& c, const ItsCommand& cmd, LpiOp::Kind kind, const cmd_error::VpeCodes& codes,
                      CommandRecord& rec) {
    if (cmd.vpeid >= max_vpeids()) { rec.status = codes.vpe_oor; return; }
    ItsVte vte;
    unsigned rd = 0;
    bool hit = false;
    switch (find_vpe_target(c, cmd.vpeid, &vte, &rd, &hit)) {
    case Find::ok: break;
    case Find::memory_error: rec.memory_error = true; return;
    default: rec.status = codes.vpe_invalid; return;
    }
    note_vpe(rec, cmd.vpeid, rd);
    LpiOp m = LpiOp::virt(kind, vpe_ref(cmd.vpeid, vte));
    if (kind == Kind::vsgi_config) {
        m.intid = cmd.vintid & 0xF;
        m.priority = cmd.priority;
        m.group = cmd.group;
        m.enable = cmd.enable;
        m.clear = cmd.clear;
    }
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, m);
}

// ---------------------------------------------------------------------------
// GITS_SGIR (GICv4.1)
// ---------------------------------------------------------------------------
bool ItsCore::write_sgir(uint64_t value, ItsEnv& env) {
    if (cfg_.version != GicVersion::v4_1) return false;
    ++sgir_writes_;
    const uint32_t vpeid = static_cast<uint32_t>((value >> gits::SGIR_VpeidShift) & 0xFFFF);
    const uint32_t vintid = static_cast<uint32_t>(value & gits::SGIR_VintidMask);
    if (!enabled_) { ++vsgis_dropped_; return false; }
    Ctx c{env};
    ++inflight_msis_;   // Quiescent waits for it as for an MSI
    ItsVte vte;
    unsigned rd = 0;
    bool hit = false;
    const bool ok = find_vpe_target(c, vpeid, &vte, &rd, &hit) == Find::ok;
    if (ok) {
        env.step(ItsStep::redist_hop);
        env.send(rd, LpiOp::virt(Kind::set_vsgi, vpe_ref(vpeid, vte), vintid));
    } else {
        ++vsgis_dropped_;
    }
    --inflight_msis_;
    return ok;
}

}  // namespace itsim
