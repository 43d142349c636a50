// ItsCore, part 3 of 3 (its_core_ctx.h): access to the tables in guest
// memory, through the device, event and collection caches, and MSI
// translation - with GICv4 to a virtual ITE too (DTE -> ITE -> VTE ->
// set_vlpi at the vPE's redistributor; the vPE table: its_core_virtual.cpp).
#include "itsim/its/its_core.h"
#include "itsim/its/its_core_ctx.h"

namespace itsim {

// ---------------------------------------------------------------------------
// Table access
// ---------------------------------------------------------------------------
bool ItsCore::read64(Ctx& c, uint64_t addr, ItsAccess what, uint64_t* v) {
    uint8_t b[8];
    ++c.reads;
    if (!c.env.read(addr, b, 8, what)) return false;
    *v = load_le64(b);
    return true;
}

bool ItsCore::write64(Ctx& c, uint64_t addr, ItsAccess what, uint64_t v) {
    uint8_t b[8];
    store_le64(b, v);
    ++c.writes;
    return c.env.write(addr, b, 8, what);
}

ItsCore::Find ItsCore::entry_address(Ctx& c, const TableGeometry& t, uint64_t id, unsigned bits,
                                     ItsAccess l1_what, uint64_t* addr) {
    const EntryLocation loc = locate_entry(t, id, bits);
    if (loc.kind == EntryLocation::out_of_range) return Find::out_of_range;
    if (loc.kind == EntryLocation::entry) {
        *addr = loc.addr;
        return Find::ok;
    }
    uint64_t desc = 0;
    if (!read64(c, loc.addr, l1_what, &desc)) return Find::memory_error;
    return l2_entry_addr(t, id, desc, addr) ? Find::ok : Find::unmapped;
}

ItsCore::Find ItsCore::find_dte(Ctx& c, uint32_t dev, ItsDte* out, bool* hit) {
    *hit = false;
    const TableGeometry t = dev_table_;
    if (dev >= t.max_ids(cfg_.device_id_bits)) return Find::out_of_range;
    if (dev_cache_.entries()) {
        c.env.step(ItsStep::device_cache);
        if (const ItsDte* e = dev_cache_.lookup(dev)) {
            *out = *e;
            *hit = true;
            return Find::ok;
        }
    }
    const uint64_t epoch = dev_epoch_;
    uint64_t addr = 0, raw = 0;
    const Find f = entry_address(c, t, dev, cfg_.device_id_bits, ItsAccess::device_l1, &addr);
    if (f != Find::ok) return f;
    if (!read64(c, addr, ItsAccess::dte, &raw)) return Find::memory_error;
    *out = table_dte(raw);
    if (!out->valid) return Find::unmapped;
    if (epoch == dev_epoch_) dev_cache_.insert(dev, *out);
    else ++fills_dropped_;   // a command changed the cache while the read was in flight
    return Find::ok;
}

// The device table is guest memory: software can overwrite an entry with
// any bits. A DTE whose Size is past GITS_TYPER.ID_bits (no MAPD can write
// one) counts as invalid, so that nothing - a lookup, a MAPD sweep of 2^32
// ITEs - trusts a size the ITS never accepted.
ItsDte ItsCore::table_dte(uint64_t raw) const {
    ItsDte d = decode_dte(raw);
    if (d.size + 1u > cfg_.event_id_bits) d.valid = false;
    return d;
}

// One ITE: format 1 (8 bytes) with GICv3, format 2 (16 bytes, one access)
// with GICv4 (its_tables.h).
bool ItsCore::read_ite(Ctx& c, uint64_t addr, ItsIte* out) {
    if (!has_gicv4(cfg_.version)) {
        uint64_t raw = 0;
        if (!read64(c, addr, ItsAccess::ite, &raw)) return false;
        *out = decode_ite(raw);
        return true;
    }
    uint8_t b[kIteBytesV4];
    ++c.reads;
    if (!c.env.read(addr, b, kIteBytesV4, ItsAccess::ite)) return false;
    *out = decode_ite2({load_le64(b), load_le64(b + 8)});
    return true;
}

bool ItsCore::write_ite(Ctx& c, uint64_t addr, const ItsIte& e) {
    if (!has_gicv4(cfg_.version)) return write64(c, addr, ItsAccess::ite, encode_ite(e));
    uint8_t b[kIteBytesV4];
    const IteWords w = encode_ite2(e);
    store_le64(b, w[0]);
    store_le64(b + 8, w[1]);
    ++c.writes;
    return c.env.write(addr, b, kIteBytesV4, ItsAccess::ite);
}

ItsCore::Find ItsCore::find_ite(Ctx& c, uint32_t dev, const ItsDte& dte, uint32_t event, ItsIte* out, bool* hit) {
    *hit = false;
    if (event >= dte.event_count()) return Find::out_of_range;
    const uint64_t key = event_key(dev, event);
    if (evt_cache_.entries()) {
        c.env.step(ItsStep::event_cache);
        if (const ItsIte* e = evt_cache_.lookup(key)) {
            *out = *e;
            *hit = true;
            return Find::ok;
        }
    }
    const uint64_t epoch = evt_epoch_;
    if (!read_ite(c, ite_addr(dte.itt_addr, event, ite_bytes()), out)) return Find::memory_error;
    // GICv3: an ITE with IntType 0 is unmapped; GICv4: a virtual ITE.
    if (!out->valid || (!out->physical && !has_gicv4(cfg_.version))) return Find::unmapped;
    if (epoch == evt_epoch_) evt_cache_.insert(key, *out);
    else ++fills_dropped_;   // a command changed the cache while the read was in flight
    return Find::ok;
}

ItsCore::Find ItsCore::find_cte(Ctx& c, uint32_t icid, ItsCte* out, bool* hit) {
    *hit = false;
    const TableGeometry t = col_table_;
    if (icid >= t.max_ids(cfg_.icid_bits)) return Find::out_of_range;
    if (col_cache_.entries()) {
        c.env.step(ItsStep::collection_cache);
        if (const ItsCte* e = col_cache_.lookup(icid)) {
            *out = *e;
            *hit = true;
            return Find::ok;
        }
    }
    const uint64_t epoch = col_epoch_;
    uint64_t addr = 0, raw = 0;
    const Find f = entry_address(c, t, icid, cfg_.icid_bits, ItsAccess::collection_l1, &addr);
    if (f != Find::ok) return f;
    if (!read64(c, addr, ItsAccess::cte, &raw)) return Find::memory_error;
    *out = decode_cte(raw);
    if (!out->valid) return Find::unmapped;
    if (epoch == col_epoch_) col_cache_.insert(icid, *out);
    else ++fills_dropped_;   // a command changed the cache while the read was in flight
    return Find::ok;
}

ItsCore::Find ItsCore::find_target(Ctx& c, uint32_t icid, unsigned* rd, bool* hit) {
    ItsCte cte;
    const Find f = find_cte(c, icid, &cte, hit);
    if (f != Find::ok) return f;
    const auto r = resolve_rdbase(cte.rdbase);
    if (!r || *r >= rds_.size()) return Find::unmapped;
    *rd = *r;
    return Find::ok;
}

// ---------------------------------------------------------------------------
// Translation
// ---------------------------------------------------------------------------
void ItsCore::translate(uint32_t device, uint32_t event, ItsEnv& env, MsiRecord& rec) {
    rec.device = device;
    rec.event = event;
    rec.delivered = false;
    if (!enabled_) {
        rec.reason = "its_disabled";
        ++msis_dropped_;
        return;
    }
    ++inflight_msis_;
    Ctx c{env};
    auto finish = [&](const char* reason) {
        --inflight_msis_;
        rec.table_reads += c.reads;
        if (reason) {
            rec.reason = reason;
            ++msis_dropped_;
        } else {
            rec.delivered = true;
            ++msis_delivered_;
        }
    };
    ItsDte dte;
    switch (find_dte(c, device, &dte, &rec.device_hit)) {
    case Find::ok: break;
    case Find::out_of_range: return finish("device_out_of_range");
    case Find::unmapped: return finish("device_unmapped");
    case Find::memory_error: return finish("memory_error");
    }
    env.step(ItsStep::device_known);
    ItsIte ite;
    switch (find_ite(c, device, dte, event, &ite, &rec.event_hit)) {
    case Find::ok: break;
    case Find::out_of_range: return finish("event_out_of_range");
    case Find::unmapped: return finish("interrupt_unmapped");
    case Find::memory_error: return finish("memory_error");
    }
    env.step(ItsStep::event_known);
    if (!ite.physical) return finish(translate_virtual(c, ite, rec));   // GICv4
    unsigned rd = 0;
    switch (find_target(c, ite.icid, &rd, &rec.collection_hit)) {
    case Find::ok: break;
    case Find::memory_error: return finish("memory_error");
    default: return finish("collection_unmapped");
    }
    env.step(ItsStep::collection_known);
    rec.intid = ite.intid;
    rec.cpu = rds_[rd].processor_number;
    env.step(ItsStep::redist_hop);
    const LpiRefusal refusal = env.send(rd, LpiOp::physical(LpiOp::Kind::set_pending, ite.intid)).refusal;
    if (refusal != LpiRefusal::none) return finish(to_string(refusal));
    env.step(ItsStep::lpi_pending);
    finish(nullptr);
}

// An MSI whose ITE is virtual: the vPE's VTE (vPE cache, vPE table), then
// set_vlpi at the redistributor it names, with the ITE's doorbell (v4.0;
// 1023 with v4.1). The record says it was virtual: vpeid, vintid, doorbell;
// intid is the vINTID and cpu the vPE's redistributor. The VTE being known
// stamps collection_known (it plays the collection's part).
const char* ItsCore::translate_virtual(Ctx& c, const ItsIte& ite, MsiRecord& rec) {
    rec.virt = true;
    rec.vpeid = ite.vpeid();
    rec.vintid = ite.intid;
    rec.doorbell = ite.doorbell;
    ItsVte vte;
    unsigned rd = 0;
    switch (find_vpe_target(c, ite.vpeid(), &vte, &rd, &rec.collection_hit)) {
    case Find::ok: break;
    case Find::memory_error: return "memory_error";
    default: return "vpe_unmapped";
    }
    if (uint64_t{ite.intid} >> (vte.vpt_size + 1)) return "vintid_out_of_range";
    c.env.step(ItsStep::collection_known);
    rec.intid = ite.intid;
    rec.cpu = rds_[rd].processor_number;
    LpiOp op = LpiOp::virt(LpiOp::Kind::set_vlpi, vpe_ref(ite.vpeid(), vte), ite.intid);
    op.doorbell = ite.doorbell;
    c.env.step(ItsStep::redist_hop);
    const LpiResult r = c.env.send(rd, op);
    if (r.unsupported) return "virtual_unsupported";
    if (r.refusal != LpiRefusal::none) return to_string(r.refusal);
    c.env.step(ItsStep::lpi_pending);
    return nullptr;
}

}  // namespace itsim
