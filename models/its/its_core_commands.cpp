// ItsCore, part 2 of 3 (its_core_ctx.h): the twelve GICv3 physical commands.
// execute() looks the opcode up in the command table (its_cmd_table.h) and
// hands the command to the handler of its family, which calls the
// command's own function:
//   mapping            run_mapping()            MAPD cmd_mapd() (sweep_itt() for
//                                               the old ITT), MAPC cmd_mapc(),
//                                               MAPTI and MAPI cmd_mapti()
//                                               (MAPI: pINTID = EventID)
//   per-interrupt      run_per_interrupt()      INT cmd_int(), CLEAR cmd_clear(),
//                                               INV cmd_inv(), DISCARD cmd_discard(),
//                                               MOVI cmd_movi()
//   per-redistributor  run_per_redistributor()  INVALL cmd_invall(), MOVALL
//                                               cmd_movall(), SYNC cmd_sync()
//   virtual            run_virtual() in its_core_virtual.cpp (GICv4: the
//                      commands ItsConfig::version has; on a GICv3 ITS a
//                      GICv4 command is cmd_error::unknown_opcode() as any
//                      byte no GICv3 command has)
// On a GICv4 ITS, INT, CLEAR, INV and DISCARD of a virtual ITE go to
// on_virtual_ite() (its_core_virtual.cpp, from find_event_target()), and
// MOVI of one is MOVI_ITE_INVALID.
// Before them: the lookups of (DeviceID, EventID) and of a collection as a
// command reports their failures (cmd_error::EventCodes holds the codes).
#include "itsim/its/its_core.h"

#include <algorithm>

#include "itsim/its/its_core_ctx.h"

namespace itsim {

namespace {

constexpr uint32_t kFirstLpi = 8192;

}  // namespace

// ---------------------------------------------------------------------------
// Lookups as commands report them
// ---------------------------------------------------------------------------
bool ItsCore::find_interrupt(Ctx& c, uint32_t dev, uint32_t event, const LookupCodes& codes, CommandRecord& rec,
                             ItsDte* dte, ItsIte* ite) {
    bool hit = false;
    switch (find_dte(c, dev, dte, &hit)) {
    case Find::ok: break;
    case Find::out_of_range: rec.status = codes.device_oor; return false;
    case Find::unmapped: rec.status = codes.unmapped_device; return false;
    case Find::memory_error: rec.memory_error = true; return false;
    }
    switch (find_ite(c, dev, *dte, event, ite, &hit)) {
    case Find::ok: return true;
    case Find::out_of_range: rec.status = codes.event_oor; return false;
    case Find::unmapped: rec.status = codes.unmapped_interrupt; return false;
    case Find::memory_error: rec.memory_error = true; return false;
    }
    return false;
}

bool ItsCore::find_command_target(Ctx& c, uint32_t icid, uint32_t unmapped, CommandRecord& rec, unsigned* rd) {
    bool hit = false;
    switch (find_target(c, icid, rd, &hit)) {
    case Find::ok: return true;
    case Find::memory_error: rec.memory_error = true; return false;
    default: rec.status = unmapped; return false;   // not valid, no redistributor, ICID out of range
    }
}

bool ItsCore::find_event_target(Ctx& c, const ItsCommand& cmd, const LookupCodes& codes, CommandRecord& rec,
                                ItsDte* dte, ItsIte* ite, unsigned* rd) {
    if (!find_interrupt(c, cmd.device, cmd.event, codes, rec, dte, ite)) return false;
    if (!ite->physical) {   // GICv4 only (find_ite): the command acts on the vLPI
        on_virtual_ite(c, cmd, *dte, *ite, rec);
        return false;
    }
    return find_command_target(c, ite->icid, codes.unmapped_collection, rec, rd);
}

// ---------------------------------------------------------------------------
// Dispatch
// ---------------------------------------------------------------------------
void ItsCore::execute(const ItsCommand& cmd, ItsEnv& env, CommandRecord& rec) {
    Ctx c{env};
    rec.status = 0;
    ++inflight_cmds_;
    const CmdInfo* info = command_info(cmd.opcode);
    if (!info || !has_command(cfg_.version, *info)) {
        rec.status = cmd_error::unknown_opcode(cmd.opcode);
    } else {
        env.step(ItsStep::command_execute);
        switch (info->family) {
        case CmdFamily::mapping: run_mapping(c, cmd, rec); break;
        case CmdFamily::per_interrupt: run_per_interrupt(c, cmd, rec); break;
        case CmdFamily::per_redistributor: run_per_redistributor(c, cmd, rec); break;
        case CmdFamily::virtual_: run_virtual(c, cmd, rec); break;
        }
    }
    --inflight_cmds_;
    rec.table_reads += c.reads;
    rec.table_writes += c.writes;
    ++commands_executed_;
    ++by_opcode_[cmd.opcode];
    if (rec.status != 0 || rec.memory_error) ++command_errors_;
}

void ItsCore::run_mapping(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    switch (static_cast<ItsOpcode>(cmd.opcode)) {
    case ItsOpcode::MAPD: cmd_mapd(c, cmd, rec); return;
    case ItsOpcode::MAPC: cmd_mapc(c, cmd, rec); return;
    case ItsOpcode::MAPTI: cmd_mapti(c, cmd, cmd.intid, rec); return;
    case ItsOpcode::MAPI: cmd_mapti(c, cmd, cmd.event, rec); return;   // pINTID = EventID
    default: return;
    }
}

void ItsCore::run_per_interrupt(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    switch (static_cast<ItsOpcode>(cmd.opcode)) {
    case ItsOpcode::INT: cmd_int(c, cmd, rec); return;
    case ItsOpcode::CLEAR: cmd_clear(c, cmd, rec); return;
    case ItsOpcode::INV: cmd_inv(c, cmd, rec); return;
    case ItsOpcode::DISCARD: cmd_discard(c, cmd, rec); return;
    case ItsOpcode::MOVI: cmd_movi(c, cmd, rec); return;
    default: return;
    }
}

void ItsCore::run_per_redistributor(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    switch (static_cast<ItsOpcode>(cmd.opcode)) {
    case ItsOpcode::INVALL: cmd_invall(c, cmd, rec); return;
    case ItsOpcode::MOVALL: cmd_movall(c, cmd, rec); return;
    case ItsOpcode::SYNC: cmd_sync(c, cmd, rec); return;
    default: return;
    }
}

// ---------------------------------------------------------------------------
// Commands, in the order of the architecture's command list
// ---------------------------------------------------------------------------
void ItsCore::cmd_clear(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    ItsDte dte;
    ItsIte ite;
    unsigned rd = 0;
    if (!find_event_target(c, cmd, cmd_error::kClearCodes, rec, &dte, &ite, &rd)) return;
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, LpiOp::physical(LpiOp::Kind::clear_pending, ite.intid));
}

void ItsCore::cmd_discard(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    ItsDte dte;
    ItsIte ite;
    unsigned rd = 0;
    if (!find_event_target(c, cmd, cmd_error::kDiscardCodes, rec, &dte, &ite, &rd)) return;
    // The pending state first, then the ITE.
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, LpiOp::physical(LpiOp::Kind::clear_pending, ite.intid));
    if (!write_ite(c, ite_addr(dte.itt_addr, cmd.event, ite_bytes()), ItsIte{})) { rec.memory_error = true; return; }
    ++evt_epoch_;
    evt_cache_.invalidate(event_key(cmd.device, cmd.event));
}

void ItsCore::cmd_int(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    ItsDte dte;
    ItsIte ite;
    unsigned rd = 0;
    if (!find_event_target(c, cmd, cmd_error::kIntCodes, rec, &dte, &ite, &rd)) return;
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, LpiOp::physical(LpiOp::Kind::set_pending, ite.intid));
}

void ItsCore::cmd_inv(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    ItsDte dte;
    ItsIte ite;
    unsigned rd = 0;
    if (!find_event_target(c, cmd, cmd_error::kInvCodes, rec, &dte, &ite, &rd)) return;
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, LpiOp::physical(LpiOp::Kind::inv, ite.intid));
}

void ItsCore::cmd_invall(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    if (cmd.icid >= max_icids()) { rec.status = cmd_error::kInvallIcidOutOfRange; return; }
    unsigned rd = 0;
    if (!find_command_target(c, cmd.icid, cmd_error::kInvallUnmappedCollection, rec, &rd)) return;
    c.env.step(ItsStep::redist_hop);
    c.env.send(rd, LpiOp::physical(LpiOp::Kind::invall));
}

void ItsCore::cmd_mapc(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const uint32_t icid = cmd.icid;
    const TableGeometry t = col_table_;
    if (icid >= t.max_ids(cfg_.icid_bits)) { rec.status = cmd_error::kMapcIcidOutOfRange; return; }
    if (cmd.valid && !resolve_rdbase(cmd.rdbase)) { rec.status = cmd_error::kMapcRdbaseOutOfRange; return; }
    uint64_t addr = 0;
    switch (entry_address(c, t, icid, cfg_.icid_bits, ItsAccess::collection_l1, &addr)) {
    case Find::ok: break;
    case Find::out_of_range: rec.status = cmd_error::kMapcIcidOutOfRange; return;
    case Find::memory_error: rec.memory_error = true; return;
    case Find::unmapped:   // invalid level-1 descriptor: write discarded
        ++col_epoch_;
        col_cache_.invalidate(icid);
        return;
    }
    ItsCte cte;
    cte.valid = cmd.valid;
    cte.rdbase = cmd.rdbase & kCteRdbaseMask;
    if (!write64(c, addr, ItsAccess::cte, encode_cte(cte))) { rec.memory_error = true; return; }
    ++col_epoch_;
    if (cte.valid) col_cache_.update(icid, cte);
    else col_cache_.invalidate(icid);
}

void ItsCore::cmd_mapd(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const uint32_t dev = cmd.device;
    const TableGeometry t = dev_table_;
    if (dev >= t.max_ids(cfg_.device_id_bits)) { rec.status = cmd_error::kMapdDeviceOutOfRange; return; }
    if (cmd.valid && unsigned(cmd.size) + 1 > cfg_.event_id_bits) {
        rec.status = cmd_error::kMapdSizeOutOfRange;
        return;
    }
    auto drop_device_lines = [&] {
        ++dev_epoch_;
        ++evt_epoch_;
        dev_cache_.invalidate(dev);
        evt_cache_.invalidate_if([dev](uint64_t key, const ItsIte&) { return (key >> 32) == dev; });
    };
    uint64_t addr = 0;
    switch (entry_address(c, t, dev, cfg_.device_id_bits, ItsAccess::device_l1, &addr)) {
    case Find::ok: break;
    case Find::out_of_range: rec.status = cmd_error::kMapdDeviceOutOfRange; return;
    case Find::memory_error: rec.memory_error = true; return;
    case Find::unmapped: drop_device_lines(); return;   // invalid level-1 descriptor: write discarded
    }
    // The old mapping, through the device cache.
    ItsDte old;
    bool hit = false;
    if (dev_cache_.entries()) {
        c.env.step(ItsStep::device_cache);
        if (const ItsDte* e = dev_cache_.lookup(dev)) { old = *e; hit = true; }
    }
    if (!hit) {
        uint64_t raw = 0;
        if (!read64(c, addr, ItsAccess::dte, &raw)) { rec.memory_error = true; return; }
        old = table_dte(raw);
    }
    ItsDte nu;
    nu.valid = cmd.valid;
    nu.itt_addr = cmd.itt_addr & kDteIttMask;
    nu.size = cmd.size & kDteSizeMask;
    if (!write64(c, addr, ItsAccess::dte, encode_dte(nu))) { rec.memory_error = true; return; }
    drop_device_lines();
    if (old.valid && sweep_itt(c, old) == Find::memory_error) rec.memory_error = true;
}

ItsCore::Find ItsCore::sweep_itt(Ctx& c, const ItsDte& old) {
    const unsigned esz = ite_bytes();   // 8, or 16 with GICv4
    const uint64_t total = old.event_count() * esz;
    const unsigned burst = esz == kItsEntryBytes ? cfg_.sweep_burst_bytes
                                                 : std::max(16u, cfg_.sweep_burst_bytes / 16 * 16);
    uint8_t buf[256];
    for (uint64_t off = 0; off < total; off += burst) {
        const unsigned len = static_cast<unsigned>(total - off < burst ? total - off : burst);
        ++c.reads;
        if (!c.env.read(old.itt_addr + off, buf, len, ItsAccess::itt_sweep)) return Find::memory_error;
        for (unsigned i = 0; i + esz <= len; i += esz) {
            const ItsIte ite = esz == kItsEntryBytes ? decode_ite(load_le64(buf + i))
                                                     : decode_ite2({load_le64(buf + i), load_le64(buf + i + 8)});
            if (!ite.valid) continue;
            unsigned rd = 0;
            bool hit = false;
            if (!ite.physical) {   // GICv4: the vLPI, at its vPE's redistributor
                if (esz == kItsEntryBytes) continue;
                ItsVte vte;
                const Find f = find_vpe_target(c, ite.vpeid(), &vte, &rd, &hit);
                if (f == Find::memory_error) return f;
                if (f != Find::ok) continue;
                c.env.step(ItsStep::redist_hop);
                c.env.send(rd, LpiOp::virt(LpiOp::Kind::clear_vlpi, vpe_ref(ite.vpeid(), vte), ite.intid));
                continue;
            }
            const Find f = find_target(c, ite.icid, &rd, &hit);
            if (f == Find::memory_error) return f;
            if (f != Find::ok) continue;   // no redistributor holds it
            c.env.step(ItsStep::redist_hop);
            c.env.send(rd, LpiOp::physical(LpiOp::Kind::clear_pending, ite.intid));
        }
    }
    return Find::ok;
}

void ItsCore::cmd_mapti(Ctx& c, const ItsCommand& cmd, uint32_t intid, CommandRecord& rec) {
    using namespace cmd_error;
    const bool mapi = cmd.opcode == uint8_t(ItsOpcode::MAPI);
    const uint32_t dev = cmd.device;
    if (dev >= max_device_ids()) { rec.status = mapi ? kMapiDeviceOutOfRange : kMaptiDeviceOutOfRange; return; }
    if (cmd.icid >= max_icids()) { rec.status = mapi ? kMapiIcidOutOfRange : kMaptiIcidOutOfRange; return; }
    if (intid < kFirstLpi || uint64_t{intid} >= (uint64_t{1} << cfg_.lpi_intid_bits)) {
        rec.status = mapi ? kMapiIntidOutOfRange : kMaptiIntidOutOfRange;
        return;
    }
    ItsDte dte;
    bool hit = false;
    switch (find_dte(c, dev, &dte, &hit)) {
    case Find::ok: break;
    case Find::out_of_range: rec.status = mapi ? kMapiDeviceOutOfRange : kMaptiDeviceOutOfRange; return;
    case Find::unmapped: rec.status = mapi ? kMapiUnmappedDevice : kMaptiUnmappedDevice; return;
    case Find::memory_error: rec.memory_error = true; return;
    }
    if (cmd.event >= dte.event_count()) {
        rec.status = mapi ? kMapiEventOutOfRange : kMaptiEventOutOfRange;
        return;
    }
    ItsIte ite;
    ite.valid = true;
    ite.physical = true;
    ite.icid = static_cast<uint16_t>(cmd.icid);
    ite.intid = intid;
    if (!write_ite(c, ite_addr(dte.itt_addr, cmd.event, ite_bytes()), ite)) {
        rec.memory_error = true;
        return;
    }
    ++evt_epoch_;
    evt_cache_.update(event_key(dev, cmd.event), ite);
}

void ItsCore::cmd_movall(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const auto rd1 = resolve_rdbase(cmd.rdbase);
    const auto rd2 = resolve_rdbase(cmd.rdbase2);
    if (!rd1 || !rd2) { rec.status = cmd_error::kMovallRdbaseOutOfRange; return; }
    if (*rd1 == *rd2) return;
    c.env.step(ItsStep::redist_hop);
    const std::vector<uint32_t> moved = c.env.send(*rd1, LpiOp::physical(LpiOp::Kind::take_all)).taken;
    for (uint32_t intid : moved) {
        c.env.step(ItsStep::redist_hop);
        c.env.send(*rd2, LpiOp::physical(LpiOp::Kind::set_pending, intid));
    }
}

void ItsCore::cmd_movi(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const uint32_t dev = cmd.device;
    const LookupCodes& codes = cmd_error::kMoviCodes;
    if (dev >= max_device_ids()) { rec.status = codes.device_oor; return; }
    if (cmd.icid >= max_icids()) { rec.status = cmd_error::kMoviIcidOutOfRange; return; }
    ItsDte dte;
    ItsIte ite;
    if (!find_interrupt(c, dev, cmd.event, codes, rec, &dte, &ite)) return;
    if (!ite.physical) { rec.status = cmd_error::kMoviIteInvalid; return; }   // GICv4: VMOVI moves it
    unsigned rd_old = 0, rd_new = 0;
    if (!find_command_target(c, ite.icid, codes.unmapped_collection, rec, &rd_old)) return;
    if (!find_command_target(c, cmd.icid, codes.unmapped_collection, rec, &rd_new)) return;
    if (rd_old != rd_new) {
        c.env.step(ItsStep::redist_hop);
        if (c.env.send(rd_old, LpiOp::physical(LpiOp::Kind::clear_pending, ite.intid)).was_pending) {
            c.env.step(ItsStep::redist_hop);
            c.env.send(rd_new, LpiOp::physical(LpiOp::Kind::set_pending, ite.intid));
        }
    }
    ItsIte moved = ite;
    moved.icid = static_cast<uint16_t>(cmd.icid);
    if (!write_ite(c, ite_addr(dte.itt_addr, cmd.event, ite_bytes()), moved)) {
        rec.memory_error = true;
        return;
    }
    ++evt_epoch_;
    evt_cache_.update(event_key(dev, cmd.event), moved);
}

void ItsCore::cmd_sync(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const auto rd = resolve_rdbase(cmd.rdbase);
    if (!rd) return;   // names no redistributor: nothing to wait for
    c.env.step(ItsStep::redist_hop);
    c.env.send(*rd, LpiOp::physical(LpiOp::Kind::sync));
}

}  // namespace itsim
