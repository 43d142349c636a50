#include "its/its_core.h"

#include <stdexcept>

namespace itsim {

namespace {

uint64_t load_le64(const uint8_t* p) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}

void store_le64(uint8_t* p, uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

constexpr uint32_t kFirstLpi = 8192;

// ID registers (32-bit, at 0xFFD0..0xFFFC). ArchRev = 3 is architected; the
// rest is a neutral CoreSight-style identification (no JEP106 claim).
uint32_t id_register(uint64_t offset) {
    switch (offset) {
    case gits::PIDR2: return gits::PIDR2_Value;
    case gits::PIDR0: return 0x01;   // part number [7:0]
    case gits::CIDR0: return 0x0D;
    case gits::CIDR0 + 4: return 0xF0;
    case gits::CIDR0 + 8: return 0x05;
    case gits::CIDR0 + 12: return 0xB1;
    default: return 0;
    }
}

}  // namespace

const char* to_string(ItsErrorPolicy p) {
    return p == ItsErrorPolicy::stall ? "stall" : "ignore";
}

const char* to_string(ItsAccess a) {
    switch (a) {
    case ItsAccess::command: return "command";
    case ItsAccess::device_l1: return "device_l1";
    case ItsAccess::dte: return "dte";
    case ItsAccess::collection_l1: return "collection_l1";
    case ItsAccess::cte: return "cte";
    case ItsAccess::ite: return "ite";
    case ItsAccess::itt_sweep: return "itt_sweep";
    }
    return "?";
}

const char* to_string(ItsStep s) {
    switch (s) {
    case ItsStep::command_fetched: return "command_fetched";
    case ItsStep::command_decode: return "command_decode";
    case ItsStep::command_execute: return "command_execute";
    case ItsStep::command_retire: return "command_retire";
    case ItsStep::device_cache: return "device_cache";
    case ItsStep::event_cache: return "event_cache";
    case ItsStep::collection_cache: return "collection_cache";
    case ItsStep::redist_hop: return "redist_hop";
    case ItsStep::device_known: return "device_known";
    case ItsStep::event_known: return "event_known";
    case ItsStep::collection_known: return "collection_known";
    case ItsStep::lpi_pending: return "lpi_pending";
    }
    return "?";
}

struct ItsCore::Ctx {
    ItsEnv& env;
    uint32_t reads = 0;
    uint32_t writes = 0;
};

// ---------------------------------------------------------------------------
// Construction, redistributors
// ---------------------------------------------------------------------------
ItsCore::ItsCore(const ItsConfig& cfg) : cfg_(cfg) {
    auto bad = [](const char* what) { throw std::invalid_argument(std::string("ItsConfig: ") + what); };
    if (cfg_.device_id_bits < 1 || cfg_.device_id_bits > 32) bad("device_id_bits must be 1..32");
    if (cfg_.event_id_bits < 1 || cfg_.event_id_bits > 32) bad("event_id_bits must be 1..32");
    if (cfg_.icid_bits < 1 || cfg_.icid_bits > 16) bad("icid_bits must be 1..16");
    if (cfg_.lpi_intid_bits < 14 || cfg_.lpi_intid_bits > 32) bad("lpi_intid_bits must be 14..32");
    if (cfg_.sweep_burst_bytes < 8 || cfg_.sweep_burst_bytes > 256 || cfg_.sweep_burst_bytes % 8)
        bad("sweep_burst_bytes must be a multiple of 8 in 8..256");
    dev_cache_.resize(cfg_.device_cache.entries, cfg_.device_cache.ways);
    evt_cache_.resize(cfg_.event_cache.entries, cfg_.event_cache.ways);
    col_cache_.resize(cfg_.collection_cache.entries, cfg_.collection_cache.ways);

    typer_ = 1                                                  // Physical
             | (uint64_t{kItsEntrySizeField} << 4)              // ITT_entry_size
             | (uint64_t(cfg_.event_id_bits - 1) << 8)          // ID_bits
             | (uint64_t(cfg_.device_id_bits - 1) << 13)        // Devbits
             | (uint64_t(cfg_.pta ? 1 : 0) << 19);              // PTA; SEIS = 0, HCC = 0
    if (cfg_.icid_bits < 16)
        typer_ |= (uint64_t(cfg_.icid_bits - 1) << 32) | (uint64_t{1} << 36);  // CIDbits, CIL

    baser_[0] = (uint64_t(BaserType::device) << baser::kTypeShift) |
                (uint64_t{kItsEntrySizeField} << baser::kEntrySizeShift);
    baser_[1] = (uint64_t(BaserType::collection) << baser::kTypeShift) |
                (uint64_t{kItsEntrySizeField} << baser::kEntrySizeShift);
}

void ItsCore::set_redistributors(std::vector<RdInfo> rds) {
    std::unordered_map<uint64_t, unsigned> map;
    for (unsigned i = 0; i < rds.size(); ++i) {
        const uint64_t key = cfg_.pta ? (rds[i].rd_base >> 16) : rds[i].processor_number;
        if (!map.emplace(key, i).second)
            throw std::invalid_argument("ItsCore: two redistributors share one RDbase encoding");
    }
    rds_ = std::move(rds);
    rd_by_field_ = std::move(map);
}

std::optional<unsigned> ItsCore::resolve_rdbase(uint64_t field) const {
    auto it = rd_by_field_.find(field);
    if (it == rd_by_field_.end()) return std::nullopt;
    return it->second;
}

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------
uint32_t ItsCore::ctlr() const {
    uint32_t v = enabled_ ? gits::CTLR_Enabled : 0;
    if (!enabled_ && inflight_cmds_ == 0 && inflight_msis_ == 0 && waiting_msis_ == 0) v |= gits::CTLR_Quiescent;
    return v;
}

uint64_t ItsCore::reg64(uint64_t slot) const {
    switch (slot) {
    case gits::CTLR: return ctlr() | (uint64_t{cfg_.iidr} << 32);
    case gits::TYPER: return typer_;
    case gits::CBASER: return cbaser_;
    case gits::CWRITER: return cwriter_;
    case gits::CREADR: return creadr();
    default: break;
    }
    if (slot >= gits::BASER0 && slot < gits::BASER0 + 64) return baser_[(slot - gits::BASER0) / 8];
    if (slot >= gits::PIDR4 && slot < 0x10000)
        return id_register(slot) | (uint64_t{id_register(slot + 4)} << 32);
    return 0;
}

bool ItsCore::read_register(uint64_t offset, unsigned size, uint64_t* value) const {
    *value = 0;
    if ((size != 4 && size != 8) || offset % size || offset >= 0x10000) return false;
    const uint64_t v = reg64(offset & ~uint64_t{7});
    *value = size == 8 ? v : ((offset & 4) ? v >> 32 : v & 0xFFFFFFFFu);
    return true;
}

bool ItsCore::write_register(uint64_t offset, unsigned size, uint64_t value) {
    if ((size != 4 && size != 8) || offset % size || offset >= 0x10000) return false;
    const uint64_t slot = offset & ~uint64_t{7};
    if (slot == gits::CTLR) {
        // CTLR (32-bit) at 0, IIDR (RO) at 4.
        if (offset == gits::CTLR) write_ctlr(static_cast<uint32_t>(value));
        return true;
    }
    uint64_t nv = value;
    if (size == 4) {
        const uint64_t old = reg64(slot);
        nv = (offset & 4) ? ((old & 0xFFFFFFFFu) | (value << 32))
                          : ((old & ~uint64_t{0xFFFFFFFFu}) | (value & 0xFFFFFFFFu));
    }
    write64_slot(slot, nv);
    return true;
}

void ItsCore::write64_slot(uint64_t slot, uint64_t v) {
    switch (slot) {
    case gits::CBASER: write_cbaser(v); return;
    case gits::CWRITER: write_cwriter(v); return;
    default: break;
    }
    if (slot >= gits::BASER0 && slot < gits::BASER0 + 64) write_baser(unsigned((slot - gits::BASER0) / 8), v);
    // TYPER, CREADR, ID registers and everything else: RO / RAZ/WI.
}

void ItsCore::write_ctlr(uint32_t v) {
    const bool en = (v & gits::CTLR_Enabled) != 0;
    if (en && !enabled_) {
        dev_table_ = decode_baser(baser_[0]);
        col_table_ = decode_baser(baser_[1]);
        reset_caches();
    }
    enabled_ = en;
}

void ItsCore::write_baser(unsigned n, uint64_t v) {
    if (enabled_ || n > 1) return;
    uint64_t writable = baser::kSizeMask | baser::kPageSizeMask | baser::kShareabilityMask | baser::kAddrMask |
                        baser::kOuterCacheMask | baser::kInnerCacheMask | baser::kValid;
    if (cfg_.indirect_tables) writable |= baser::kIndirect;
    uint64_t nv = (v & writable) | (baser_[n] & (baser::kTypeMask | baser::kEntrySizeMask));
    if (((nv & baser::kPageSizeMask) >> baser::kPageSizeShift) == 3)
        nv = (nv & ~baser::kPageSizeMask) | (baser::kPage64K << baser::kPageSizeShift);
    baser_[n] = nv;
}

void ItsCore::write_cbaser(uint64_t v) {
    if (enabled_) return;
    cbaser_ = v & gits::CBASER_Writable;
    creadr_ = 0;
    stalled_ = false;
    ++queue_gen_;
}

void ItsCore::write_cwriter(uint64_t v) {
    cwriter_ = v & gits::QUEUE_OffsetMask;
    if ((v & gits::CWRITER_Retry) && stalled_) stalled_ = false;
}

void ItsCore::reset_caches() {
    dev_cache_.clear();
    evt_cache_.clear();
    col_cache_.clear();
    ++dev_epoch_;
    ++evt_epoch_;
    ++col_epoch_;
}

// ---------------------------------------------------------------------------
// Command queue
// ---------------------------------------------------------------------------
uint64_t ItsCore::queue_bytes() const {
    if (!(cbaser_ & gits::CBASER_Valid)) return 0;
    return ((cbaser_ & gits::CBASER_SizeMask) + 1) * 4096;
}

bool ItsCore::queue_valid() const {
    const uint64_t qb = queue_bytes();
    return qb != 0 && cwriter_ < qb && creadr_ < qb;
}

bool ItsCore::command_ready() const {
    return enabled_ && !stalled_ && queue_valid() && creadr_ != cwriter_;
}

unsigned ItsCore::queue_occupancy() const {
    if (!queue_valid()) return 0;
    const uint64_t qb = queue_bytes();
    return static_cast<unsigned>(((cwriter_ + qb - creadr_) % qb) / 32);
}

ItsCore::CommandResult ItsCore::process_next(ItsEnv& env) {
    CommandResult r;
    CommandRecord& rec = r.record;
    const uint64_t gen = queue_gen_;
    const uint64_t off = creadr_;
    const uint64_t qb = queue_bytes();
    rec.offset = off;
    ++inflight_cmds_;
    uint8_t bytes[32];
    if (!env.read((cbaser_ & gits::CBASER_AddrMask) + off, bytes, sizeof bytes, ItsAccess::command)) {
        rec.memory_error = true;
        ++command_errors_;
    } else {
        env.step(ItsStep::command_fetched);
        env.step(ItsStep::command_decode);
        rec.cmd = decode(from_bytes(bytes));
        execute(rec.cmd, env, rec);
    }
    env.step(ItsStep::command_retire);
    --inflight_cmds_;
    if (gen != queue_gen_) return r;   // CBASER rewritten meanwhile: the old queue is gone
    if (rec.memory_error || (rec.status != 0 && cfg_.error_policy == ItsErrorPolicy::stall)) {
        stalled_ = true;
        r.stalled = true;
        return r;
    }
    creadr_ = qb ? (off + 32) % qb : 0;
    r.retired = true;
    return r;
}

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
    uint64_t raw = 0;
    if (!read64(c, ite_addr(dte.itt_addr, event), ItsAccess::ite, &raw)) return Find::memory_error;
    *out = decode_ite(raw);
    if (!out->valid || !out->physical) return Find::unmapped;
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

ItsCore::LookupCodes ItsCore::lookup_codes(ItsOpcode op) {
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

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------
void ItsCore::execute(const ItsCommand& cmd, ItsEnv& env, CommandRecord& rec) {
    Ctx c{env};
    rec.status = 0;
    ++inflight_cmds_;
    if (!is_known_opcode(cmd.opcode)) {
        rec.status = cmd_error::unknown_opcode(cmd.opcode);
    } else {
        env.step(ItsStep::command_execute);
        switch (static_cast<ItsOpcode>(cmd.opcode)) {
        case ItsOpcode::MAPD: cmd_mapd(c, cmd, rec); break;
        case ItsOpcode::MAPC: cmd_mapc(c, cmd, rec); break;
        case ItsOpcode::MAPTI: cmd_mapti(c, cmd, cmd.intid, rec); break;
        case ItsOpcode::MAPI: cmd_mapti(c, cmd, cmd.event, rec); break;   // pINTID = EventID
        case ItsOpcode::MOVI: cmd_movi(c, cmd, rec); break;
        case ItsOpcode::MOVALL: cmd_movall(c, cmd, rec); break;
        case ItsOpcode::INT:
        case ItsOpcode::CLEAR:
        case ItsOpcode::INV:
        case ItsOpcode::DISCARD: cmd_interrupt_op(c, cmd, rec); break;
        case ItsOpcode::INVALL: cmd_invall(c, cmd, rec); break;
        case ItsOpcode::SYNC: cmd_sync(c, cmd, rec); break;
        }
    }
    --inflight_cmds_;
    rec.table_reads += c.reads;
    rec.table_writes += c.writes;
    ++commands_executed_;
    ++by_opcode_[cmd.opcode];
    if (rec.status != 0 || rec.memory_error) ++command_errors_;
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
    const uint64_t total = old.event_count() * kItsEntryBytes;
    const unsigned burst = cfg_.sweep_burst_bytes;
    uint8_t buf[256];
    for (uint64_t off = 0; off < total; off += burst) {
        const unsigned len = static_cast<unsigned>(total - off < burst ? total - off : burst);
        ++c.reads;
        if (!c.env.read(old.itt_addr + off, buf, len, ItsAccess::itt_sweep)) return Find::memory_error;
        for (unsigned i = 0; i < len; i += kItsEntryBytes) {
            const ItsIte ite = decode_ite(load_le64(buf + i));
            if (!ite.valid || !ite.physical) continue;
            unsigned rd = 0;
            bool hit = false;
            const Find f = find_target(c, ite.icid, &rd, &hit);
            if (f == Find::memory_error) return f;
            if (f != Find::ok) continue;   // no redistributor holds it
            c.env.step(ItsStep::redist_hop);
            c.env.clear_pending(rd, ite.intid);
        }
    }
    return Find::ok;
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
    if (!write64(c, ite_addr(dte.itt_addr, cmd.event), ItsAccess::ite, encode_ite(ite))) {
        rec.memory_error = true;
        return;
    }
    ++evt_epoch_;
    evt_cache_.update(event_key(dev, cmd.event), ite);
}

void ItsCore::cmd_movi(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const uint32_t dev = cmd.device;
    const LookupCodes codes = lookup_codes(ItsOpcode::MOVI);
    if (dev >= max_device_ids()) { rec.status = codes.device_oor; return; }
    if (cmd.icid >= max_icids()) { rec.status = cmd_error::kMoviIcidOutOfRange; return; }
    ItsDte dte;
    ItsIte ite;
    if (!find_interrupt(c, dev, cmd.event, codes, rec, &dte, &ite)) return;
    unsigned rd_old = 0, rd_new = 0;
    if (!find_command_target(c, ite.icid, codes.unmapped_collection, rec, &rd_old)) return;
    if (!find_command_target(c, cmd.icid, codes.unmapped_collection, rec, &rd_new)) return;
    if (rd_old != rd_new) {
        c.env.step(ItsStep::redist_hop);
        if (c.env.clear_pending(rd_old, ite.intid)) {
            c.env.step(ItsStep::redist_hop);
            c.env.set_pending(rd_new, ite.intid);
        }
    }
    ItsIte moved = ite;
    moved.icid = static_cast<uint16_t>(cmd.icid);
    if (!write64(c, ite_addr(dte.itt_addr, cmd.event), ItsAccess::ite, encode_ite(moved))) {
        rec.memory_error = true;
        return;
    }
    ++evt_epoch_;
    evt_cache_.update(event_key(dev, cmd.event), moved);
}

void ItsCore::cmd_interrupt_op(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const auto op = static_cast<ItsOpcode>(cmd.opcode);
    const LookupCodes codes = lookup_codes(op);
    ItsDte dte;
    ItsIte ite;
    if (!find_interrupt(c, cmd.device, cmd.event, codes, rec, &dte, &ite)) return;
    unsigned rd = 0;
    if (!find_command_target(c, ite.icid, codes.unmapped_collection, rec, &rd)) return;
    c.env.step(ItsStep::redist_hop);
    switch (op) {
    case ItsOpcode::INT: c.env.set_pending(rd, ite.intid); return;
    case ItsOpcode::CLEAR: c.env.clear_pending(rd, ite.intid); return;
    case ItsOpcode::INV: c.env.inv(rd, ite.intid); return;
    default: break;
    }
    // DISCARD: the pending state went above; now the ITE.
    c.env.clear_pending(rd, ite.intid);
    if (!write64(c, ite_addr(dte.itt_addr, cmd.event), ItsAccess::ite, 0)) { rec.memory_error = true; return; }
    ++evt_epoch_;
    evt_cache_.invalidate(event_key(cmd.device, cmd.event));
}

void ItsCore::cmd_movall(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const auto rd1 = resolve_rdbase(cmd.rdbase);
    const auto rd2 = resolve_rdbase(cmd.rdbase2);
    if (!rd1 || !rd2) { rec.status = cmd_error::kMovallRdbaseOutOfRange; return; }
    if (*rd1 == *rd2) return;
    c.env.step(ItsStep::redist_hop);
    const std::vector<uint32_t> moved = c.env.take_all_pending(*rd1);
    for (uint32_t intid : moved) {
        c.env.step(ItsStep::redist_hop);
        c.env.set_pending(*rd2, intid);
    }
}

void ItsCore::cmd_invall(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    if (cmd.icid >= max_icids()) { rec.status = cmd_error::kInvallIcidOutOfRange; return; }
    unsigned rd = 0;
    if (!find_command_target(c, cmd.icid, cmd_error::kInvallUnmappedCollection, rec, &rd)) return;
    c.env.step(ItsStep::redist_hop);
    c.env.invall(rd);
}

void ItsCore::cmd_sync(Ctx& c, const ItsCommand& cmd, CommandRecord& rec) {
    const auto rd = resolve_rdbase(cmd.rdbase);
    if (!rd) return;   // names no redistributor: nothing to wait for
    c.env.step(ItsStep::redist_hop);
    c.env.sync(*rd);
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
    const LpiRefusal refusal = env.set_pending(rd, ite.intid);
    if (refusal != LpiRefusal::none) return finish(to_string(refusal));
    env.step(ItsStep::lpi_pending);
    finish(nullptr);
}

}  // namespace itsim
