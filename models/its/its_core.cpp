// ItsCore, part 1 of 3 (its_core_ctx.h): construction and configuration,
// the redistributors RDbase names, the GITS register file, the command
// queue and process_next(). The commands: its_core_commands.cpp; table
// access, caches and MSI translation: its_core_translate.cpp.
#include "itsim/its/its_core.h"

#include <stdexcept>

namespace itsim {

namespace {

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

}  // namespace itsim
