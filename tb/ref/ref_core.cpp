#include "ref/ref_core.h"

#include <algorithm>

#include "params.h"

namespace itsim::ref {

namespace {
constexpr uint32_t kFirstLpi = 8192;
constexpr uint8_t bit(bool enable) { return enable ? 2 : 1; }
std::string num(uint64_t v) { return std::to_string(v); }
}  // namespace

// ---------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------
namespace {
// What the driver agent allocates for a table of `ids` IDs with 8-byte
// entries (platform/driver.cpp, setup()): flat, pages = ceil(ids * 8 /
// page); two-level, a level-1 table of ceil(ids / (page / 8)) descriptors.
// Either way GITS_BASER.Size caps it at 256 pages. Returns the IDs the ITS
// then accepts (its_tables.h TableGeometry::capacity, min with 2^bits) and,
// through `l1_ids`, the IDs the agent believes its level-1 table covers.
uint64_t table_ids(uint64_t ids, uint64_t page, bool indirect, uint64_t* l1_ids, uint64_t esz = 8) {
    const uint64_t per_page = page / esz;
    uint64_t cap = 0;
    if (!indirect) {
        const uint64_t pages = std::min<uint64_t>((ids * esz + page - 1) / page, 256);
        cap = pages * page / esz;
        *l1_ids = 0;
    } else {
        const uint64_t l1 = (ids + per_page - 1) / per_page;
        const uint64_t pages = std::min<uint64_t>((l1 * 8 + page - 1) / page, 256);
        cap = pages * page / 8 * per_page;
        *l1_ids = l1 * per_page;
    }
    return std::min(cap, ids);
}
}  // namespace

Platform platform_from(const Params& prm) {
    Platform p;
    p.cpus = unsigned(prm.integer("cpus"));
    p.pta = prm.integer("its.pta") == 1;
    const uint64_t base = prm.integer("redist.base"), stride = prm.integer("redist.stride");
    for (unsigned i = 0; i < p.cpus; ++i) p.rd_base.push_back(base + uint64_t(i) * stride);
    p.stall_policy = prm.text("error_policy") == "stall";
    p.device_bits = unsigned(prm.integer("its.device_bits"));
    p.event_bits = unsigned(prm.integer("its.event_bits"));
    p.lpi_bits = unsigned(prm.integer("its.lpi_bits"));
    const std::string& pg = prm.text("its.page_size");
    const uint64_t page = pg == "4K" ? 4096 : pg == "16K" ? 16384 : 65536;
    uint64_t l1 = 0;
    p.device_ids = table_ids(uint64_t{1} << p.device_bits, page, prm.text("its.device_table") == "indirect", &l1);
    p.device_l1_ids = l1 > p.device_ids ? std::min(l1, uint64_t{1} << p.device_bits) : 0;
    // ICIDs: its.icid_bits of them (16: GITS_TYPER.CIL = 0); the agent
    // sizes the collection table from GITS_TYPER, and no page size lets
    // 256 pages hold fewer than 2^16.
    const unsigned icid_bits = unsigned(prm.integer("its.icid_bits"));
    p.icids = table_ids(uint64_t{1} << icid_bits, page, prm.text("its.collection_table") == "indirect", &l1);
    p.config_cache = prm.integer("redist.config_cache.entries") != 0;
    p.config_line_bytes = unsigned(prm.integer("redist.config_line_bytes"));
    p.trace_base = prm.integer("ram.base");
    p.trace_end = p.trace_base + (256ull << 20);
    p.cmdq_slots = prm.integer("its.cmdq_pages") * 4096 / 32;
    p.ack_ps = prm.picoseconds("cpu.ack_latency");
    p.handler_ps = prm.picoseconds("cpu.handler_latency");
    p.version = gic_version_from_string(prm.text("gic.version")).value_or(GicVersion::v3);
    p.its_count = unsigned(prm.integer("its.count"));
    if (p.v4()) {
        p.ite_bytes = 16;
        // vPEIDs: 16 bits (Linux's ITS_MAX_VPEID_BITS), 32-byte entries.
        p.vpe_ids = table_ids(uint64_t{1} << 16, page, prm.text("its.vpe_table") == "indirect", &l1, 32);
        p.vpes = unsigned(prm.integer("gic.vpes"));
        p.vpes_per_vm = unsigned(prm.integer("gic.vpes_per_vm"));
        p.doorbell_base = uint32_t(prm.integer("gic.doorbell_base"));
        p.vmovp = prm.integer("its.vmovp") == 1;
    }
    return p;
}

// ---------------------------------------------------------------------------
// Core
// ---------------------------------------------------------------------------
Core::Core(const Platform& p) : p_(p), its_(p.its_count ? p.its_count : 1), rds_(p.cpus) {
    // The doorbells' property bytes, which the software enables at bring-up.
    if (p_.v4())
        for (unsigned v = 0; v < p_.vpes; ++v) property_[p_.doorbell_base + v] = true;
}

void Core::touch(Touch::Kind k, uint64_t key, bool write) {
    Touch t{k};
    t.key = key;
    t.write = write;
    touches_.push_back(t);
}

void Core::touch_lpi(Touch::Kind k, unsigned rd, uint32_t intid, bool hit) {
    Touch t{k};
    t.rd = rd;
    t.intid = intid;
    t.hit = hit;
    touches_.push_back(t);
}

bool Core::config_enabled(unsigned rd, uint32_t intid) const {
    return is_vkey(rd) ? vconf_enabled(rd - kVirtRd, intid) : property_enabled(intid);
}

int Core::take_cpu(unsigned rd) const {
    if (!is_vkey(rd)) return int(rd);
    auto it = vpes_.find(rd - kVirtRd);
    return it == vpes_.end() ? -1 : it->second.resident;
}

bool Core::property_enabled(uint32_t intid) const {
    auto it = property_.find(intid);
    return it != property_.end() && it->second;
}

void Core::write_property(uint32_t intid, bool enable) { property_[intid] = enable; }

int Core::resolve_rdbase(uint64_t field) const {
    if (!p_.pta) return field < p_.cpus ? int(field) : -1;
    for (unsigned i = 0; i < p_.cpus; ++i)
        if ((p_.rd_base[i] >> 16) == field) return int(i);
    return -1;
}

int Core::collection_rd(uint32_t icid) {
    touch(Touch::cte, key(icid));
    if (icid >= p_.icids) return -1;
    auto it = T().ctes.find(icid);
    return it == T().ctes.end() ? -1 : resolve_rdbase(it->second);
}

bool Core::is_pending(unsigned rd, uint32_t intid) const { return rds_.at(rd).pending.count(intid) != 0; }

std::map<uint32_t, std::set<uint32_t>> Core::pending() const {
    std::map<uint32_t, std::set<uint32_t>> out;
    for (unsigned i = 0; i < rds_.size(); ++i)
        for (const auto& [intid, en] : rds_[i].pending) out[i].insert(intid);
    return out;
}

// ---- Redistributor ---------------------------------------------------------
bool Core::lookup(unsigned rd, uint32_t intid) {
    touch_lpi(Touch::lookup, rd, intid, false);
    const bool mem = property_enabled(intid);
    if (!p_.config_cache) return mem;
    Redist& r = rds_[rd];
    auto it = r.cached.find(intid);
    const uint8_t may = it == r.cached.end() ? 0 : it->second;
    if ((may | bit(mem)) == 3)
        throw Unsupported("the configuration of LPI " + num(intid) + " at redistributor " + num(rd) +
                          " depends on its configuration cache: it may still hold Enable=" + (mem ? "0" : "1") +
                          " from before the latest `lpi` line for it (no INV/INVALL since)");
    // Unambiguous, so the value is the one in memory; the cache now holds it.
    r.cached[intid] = bit(mem);
    if (p_.config_line_bytes > 1) {
        const uint64_t line = p_.config_line_bytes;
        const uint64_t first = (uint64_t(intid) - kFirstLpi) & ~(line - 1);
        for (uint64_t i = 0; i < line; ++i) {
            const uint64_t y = kFirstLpi + first + i;
            if (y >= p_.lpi_limit()) break;
            if (y != intid) r.cached[uint32_t(y)] |= bit(property_enabled(uint32_t(y)));
        }
    }
    return mem;
}

void Core::set_pending(unsigned rd, uint32_t intid, Touch::Kind why) {
    Redist& r = rds_[rd];
    const bool hit = r.pending.count(intid) != 0;
    touch_lpi(why, rd, intid, hit);
    if (hit) return;   // already pending: the MSI merges, nothing is looked up
    const bool en = lookup(rd, intid);
    r.pending[intid] = en;
}

bool Core::clear_pending(unsigned rd, uint32_t intid, Touch::Kind why) {
    const bool hit = rds_[rd].pending.erase(intid) != 0;
    touch_lpi(why, rd, intid, hit);
    return hit;
}

void Core::inv(unsigned rd, uint32_t intid) {
    Redist& r = rds_[rd];
    auto it = r.pending.find(intid);
    touch_lpi(Touch::reread, rd, intid, it != r.pending.end());
    r.cached.erase(intid);
    if (it != r.pending.end()) it->second = lookup(rd, intid);
}

void Core::invall(unsigned rd) {
    touch_lpi(Touch::reread_all, rd, 0, false);
    Redist& r = rds_[rd];
    r.cached.clear();
    for (auto& [intid, en] : r.pending) en = lookup(rd, intid);
}

std::vector<std::pair<unsigned, uint32_t>> Core::settle() {
    std::vector<std::pair<unsigned, uint32_t>> taken;
    for (unsigned i = 0; i < rds_.size(); ++i) {
        auto& pend = rds_[i].pending;
        for (auto it = pend.begin(); it != pend.end();) {
            if (!it->second) {
                ++it;
                continue;
            }
            ++acks_[{i, it->first}];
            taken.emplace_back(i, it->first);
            it = pend.erase(it);
        }
    }
    settle_virtual(taken);
    return taken;
}

// ---- Translation -------------------------------------------------------------
uint32_t Core::find_interrupt(uint32_t device, uint32_t event, const Codes& c, uint64_t* ite_addr) {
    if (device >= p_.device_ids) return c.device_oor;
    touch(Touch::dte, key(device));
    auto d = T().dtes.find(device);
    if (d == T().dtes.end()) return c.unmapped_device;
    if (uint64_t{event} >= (uint64_t{1} << (d->second.size + 1))) return c.event_oor;
    *ite_addr = d->second.itt + uint64_t{p_.ite_bytes} * event;
    touch(Touch::ite, *ite_addr);
    if (!T().ites.count(*ite_addr)) return c.unmapped_interrupt;
    return 0;
}

MsiOutcome Core::translate(uint32_t device, uint32_t event) {
    // The reason words are the model's (models/common/records.h MsiRecord).
    const Codes words{1, 2, 3, 4, 0};
    uint64_t addr = 0;
    MsiOutcome out;
    switch (find_interrupt(device, event, words, &addr)) {
    case 1: out.reason = "device_out_of_range"; return out;
    case 2: out.reason = "device_unmapped"; return out;
    case 3: out.reason = "event_out_of_range"; return out;
    case 4: out.reason = "interrupt_unmapped"; return out;
    default: break;
    }
    const Ite ite = T().ites.at(addr);
    if (ite.virt) {   // GICv4: DTE -> ITE -> VTE -> the vPE's redistributor
        out.virt = true;
        out.vpeid = ite.icid;
        int vrd = -1;
        const Vte* vte = find_vte(ite.icid, &vrd);
        if (!vte) {
            out.reason = "vpe_unmapped";
            return out;
        }
        if (uint64_t{ite.intid} >> (vte->vpt_size + 1)) {
            out.reason = "vintid_out_of_range";
            return out;
        }
        const Vte v = *vte;
        if (!set_vlpi(unsigned(vrd), ite.icid, v, ite.intid, ite.doorbell)) {
            out.reason = "intid_out_of_range";
            return out;
        }
        out.delivered = true;
        out.intid = ite.intid;
        out.cpu = unsigned(vrd);
        out.doorbell = rang_;
        return out;
    }
    const int rd = collection_rd(ite.icid);
    if (rd < 0) {
        out.reason = "collection_unmapped";
        return out;
    }
    out.delivered = true;
    out.intid = ite.intid;
    out.cpu = unsigned(rd);   // redistributor i has processor number i
    set_pending(unsigned(rd), ite.intid);
    return out;
}

// ---- Commands ----------------------------------------------------------------
Core::Codes Core::codes_for(ItsOpcode op) {
    using namespace cmd_error;
    switch (op) {
    case ItsOpcode::INT:
        return {kIntDeviceOutOfRange, kIntUnmappedDevice, kIntEventOutOfRange, kIntUnmappedInterrupt,
                kIntUnmappedCollection};
    case ItsOpcode::CLEAR:
        return {kClearDeviceOutOfRange, kClearUnmappedDevice, kClearEventOutOfRange, kClearUnmappedInterrupt,
                kClearUnmappedCollection};
    case ItsOpcode::INV:
        return {kInvDeviceOutOfRange, kInvUnmappedDevice, kInvEventOutOfRange, kInvUnmappedInterrupt,
                kInvUnmappedCollection};
    case ItsOpcode::DISCARD:
        return {kDiscardDeviceOutOfRange, kDiscardUnmappedDevice, kDiscardEventOutOfRange,
                kDiscardUnmappedInterrupt, kDiscardUnmappedCollection};
    default:
        return {kMoviDeviceOutOfRange, kMoviUnmappedDevice, kMoviEventOutOfRange, kMoviUnmappedInterrupt,
                kMoviUnmappedCollection};
    }
}

uint32_t Core::execute(const ItsCommand& c) {
    last_sweep_ = 0;
    const CmdInfo* info = command_info(c.opcode);
    if (!info || !has_command(p_.version, *info)) return cmd_error::unknown_opcode(c.opcode);
    if (info->family == CmdFamily::virtual_) return execute_virtual(c);
    switch (static_cast<ItsOpcode>(c.opcode)) {
    case ItsOpcode::MAPD: return cmd_mapd(c);
    case ItsOpcode::MAPC: return cmd_mapc(c);
    case ItsOpcode::MAPTI: return cmd_mapti(c, false);
    case ItsOpcode::MAPI: return cmd_mapti(c, true);
    case ItsOpcode::MOVI: return cmd_movi(c);
    case ItsOpcode::INT:
    case ItsOpcode::CLEAR:
    case ItsOpcode::INV:
    case ItsOpcode::DISCARD: return cmd_by_event(c);
    case ItsOpcode::MOVALL: return cmd_movall(c);
    case ItsOpcode::INVALL: return cmd_invall(c);
    case ItsOpcode::SYNC: return 0;   // nothing to wait for in an untimed model
    default: break;
    }
    return 0;
}

uint32_t Core::cmd_mapd(const ItsCommand& c) {
    if (c.device >= p_.device_ids) return cmd_error::kMapdDeviceOutOfRange;
    if (c.valid && unsigned(c.size) + 1 > p_.event_bits) return cmd_error::kMapdSizeOutOfRange;
    touch(Touch::dte, key(c.device), true);
    auto it = T().dtes.find(c.device);
    const bool had = it != T().dtes.end();
    const Dte old = had ? it->second : Dte{};
    if (c.valid) {
        const Dte nu{c.itt_addr & kIttAddrMask, uint8_t(c.size & kSizeMask)};
        const uint64_t end = nu.itt + itt_bytes(nu.size, p_.ite_bytes);
        if (nu.itt < p_.trace_base || end > p_.trace_end)
            throw Unsupported("MAPD device " + hex(c.device) + " puts its ITT at [" + hex(nu.itt) + ", " +
                              hex(end) + "), not inside the trace's 256 MiB of RAM");
        // Two mapped devices sharing ITT memory: what one's commands write,
        // the other may still find in the ITS's event cache (keyed by
        // DeviceID and EventID), or not.
        // (Several ITSs: one ITT in two ITSs' tables is the same memory.)
        for (unsigned n = 0; n < its_.size(); ++n)
            for (const auto& [dev, d] : its_[n].dtes)
                if ((dev != c.device || n != cur_) && nu.itt < d.itt + itt_bytes(d.size, p_.ite_bytes) && d.itt < end)
                    throw Unsupported("MAPD device " + hex(c.device) + " puts its ITT at [" + hex(nu.itt) + ", " +
                                      hex(end) + "), over the ITT of device " + hex(dev) +
                                      (n != cur_ ? " of ITS " + num(n) : std::string()) +
                                      ", which is mapped: their interrupts then depend on the event cache");
        T().dtes[c.device] = nu;
    } else if (had) {
        T().dtes.erase(it);
    }
    // The old ITT's interrupts are dropped: the pending state of every
    // valid ITE in it is cleared at its collection's redistributor (ITT
    // memory itself is software's and stays as it is).
    if (had) {
        last_sweep_ = uint64_t{1} << (old.size + 1);
        const uint64_t end = old.itt + itt_bytes(old.size, p_.ite_bytes);
        std::vector<Ite> swept;
        for (auto e = T().ites.lower_bound(old.itt); e != T().ites.end() && e->first < end; ++e)
            swept.push_back(e->second);
        for (const Ite& e : swept) {
            if (e.virt) {   // GICv4: the vLPI at its vPE's redistributor, when the vPE is mapped
                int vrd = -1;
                if (find_vte(e.icid, &vrd)) clear_vlpi(unsigned(vrd), e.icid, e.intid);
                continue;
            }
            const int rd = collection_rd(e.icid);
            if (rd >= 0) clear_pending(unsigned(rd), e.intid);
        }
    }
    return 0;
}

uint32_t Core::cmd_mapc(const ItsCommand& c) {
    if (c.icid >= p_.icids) return cmd_error::kMapcIcidOutOfRange;
    if (c.valid && resolve_rdbase(c.rdbase) < 0) return cmd_error::kMapcRdbaseOutOfRange;
    touch(Touch::cte, key(c.icid), true);
    if (c.valid) T().ctes[c.icid] = c.rdbase & kRdbaseMask;
    else T().ctes.erase(c.icid);   // ITEs keep their ICID; no pending state moves
    return 0;
}

uint32_t Core::cmd_mapti(const ItsCommand& c, bool mapi) {
    using namespace cmd_error;
    const uint32_t intid = mapi ? c.event : c.intid;
    if (c.device >= p_.device_ids) return mapi ? kMapiDeviceOutOfRange : kMaptiDeviceOutOfRange;
    if (c.icid >= p_.icids) return mapi ? kMapiIcidOutOfRange : kMaptiIcidOutOfRange;
    if (intid < kFirstLpi || intid >= p_.lpi_limit()) return mapi ? kMapiIntidOutOfRange : kMaptiIntidOutOfRange;
    touch(Touch::dte, key(c.device));
    auto d = T().dtes.find(c.device);
    if (d == T().dtes.end()) return mapi ? kMapiUnmappedDevice : kMaptiUnmappedDevice;
    if (uint64_t{c.event} >= (uint64_t{1} << (d->second.size + 1)))
        return mapi ? kMapiEventOutOfRange : kMaptiEventOutOfRange;
    const uint64_t addr = d->second.itt + uint64_t{p_.ite_bytes} * c.event;
    touch(Touch::ite, addr, true);
    // Over a valid ITE (a virtual one too): overwritten; the old LPI's
    // pending state stays.
    T().ites[addr] = Ite{intid, uint16_t(c.icid)};
    return 0;
}

uint32_t Core::cmd_movi(const ItsCommand& c) {
    const Codes codes = codes_for(ItsOpcode::MOVI);
    if (c.device >= p_.device_ids) return codes.device_oor;
    if (c.icid >= p_.icids) return cmd_error::kMoviIcidOutOfRange;
    uint64_t addr = 0;
    if (uint32_t e = find_interrupt(c.device, c.event, codes, &addr)) return e;
    Ite& ite = T().ites.at(addr);
    if (ite.virt) return cmd_error::kMoviIteInvalid;   // GICv4: VMOVI moves it
    const int rd_old = collection_rd(ite.icid);
    if (rd_old < 0) return codes.unmapped_collection;
    const int rd_new = collection_rd(c.icid);
    if (rd_new < 0) return codes.unmapped_collection;
    // The pending state moves with the interrupt (same RD: only the ICID).
    if (rd_old != rd_new && clear_pending(unsigned(rd_old), ite.intid, Touch::move_out))
        set_pending(unsigned(rd_new), ite.intid);
    touch(Touch::ite, addr, true);
    ite.icid = uint16_t(c.icid);
    return 0;
}

uint32_t Core::cmd_by_event(const ItsCommand& c) {
    const auto op = static_cast<ItsOpcode>(c.opcode);
    const Codes codes = codes_for(op);
    uint64_t addr = 0;
    if (uint32_t e = find_interrupt(c.device, c.event, codes, &addr)) return e;
    const Ite ite = T().ites.at(addr);
    if (ite.virt) return on_virtual_ite(c, addr);
    const int rd = collection_rd(ite.icid);
    if (rd < 0) return codes.unmapped_collection;
    switch (op) {
    case ItsOpcode::INT: set_pending(unsigned(rd), ite.intid); break;   // status 0 even if refused
    case ItsOpcode::CLEAR: clear_pending(unsigned(rd), ite.intid); break;
    case ItsOpcode::INV: inv(unsigned(rd), ite.intid); break;
    default:   // DISCARD: the pending state, then the ITE
        clear_pending(unsigned(rd), ite.intid);
        touch(Touch::ite, addr, true);
        T().ites.erase(addr);
        break;
    }
    return 0;
}

uint32_t Core::cmd_movall(const ItsCommand& c) {
    const int rd1 = resolve_rdbase(c.rdbase), rd2 = resolve_rdbase(c.rdbase2);
    if (rd1 < 0 || rd2 < 0) return cmd_error::kMovallRdbaseOutOfRange;
    if (rd1 == rd2) return 0;
    touch_lpi(Touch::move_all, unsigned(rd1), 0, false);
    std::vector<uint32_t> moved;
    for (const auto& [intid, en] : rds_[rd1].pending) moved.push_back(intid);
    for (uint32_t intid : moved) clear_pending(unsigned(rd1), intid, Touch::move_out);
    // ORed into RD2: an LPI pending there already stays as it is.
    for (uint32_t intid : moved) set_pending(unsigned(rd2), intid);
    return 0;
}

uint32_t Core::cmd_invall(const ItsCommand& c) {
    if (c.icid >= p_.icids) return cmd_error::kInvallIcidOutOfRange;
    const int rd = collection_rd(c.icid);
    if (rd < 0) return cmd_error::kInvallUnmappedCollection;
    invall(unsigned(rd));
    return 0;
}

}  // namespace itsim::ref
