// ItsCore, part 1 of 3 (its_core_ctx.h): construction and configuration,
// the redistributors RDbase names, the GITS register file, the command
// queue and process_next(). The commands: its_core_commands.cpp; table
// access, caches and MSI translation: its_core_translate.cpp.
#include "itsim/its/its_core.h"

#include <algorithm>
#include <stdexcept>

namespace itsim {

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
    case ItsAccess::vpe_l1: return "vpe_l1";
    case ItsAccess::vte: return "vte";
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
    case ItsStep::vpe_cache: return "vpe_cache";
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
    if (cfg_.its_number > 15) bad("its_number must be 0..15");
    dev_cache_.resize(cfg_.device_cache.entries, cfg_.device_cache.ways);
    evt_cache_.resize(cfg_.event_cache.entries, cfg_.event_cache.ways);
    col_cache_.resize(cfg_.collection_cache.entries, cfg_.collection_cache.ways);
    if (has_gicv4(cfg_.version)) vpe_cache_.resize(cfg_.vpe_cache.entries, cfg_.vpe_cache.ways);

    // Registers start at their table's reset values.
    typer_ = regs_.find(gits::TYPER)->reset;
    for (unsigned n = 0; n < 3; ++n) baser_[n] = regs_.find(gits::BASER(n))->reset;
}

void ItsCore::set_redistributors(std::vector<RdInfo> rds) {
    std::vector<std::pair<uint64_t, uint32_t>> keys;
    keys.reserve(rds.size());
    for (unsigned i = 0; i < rds.size(); ++i)
        keys.emplace_back(cfg_.pta ? (rds[i].rd_base >> 16) : rds[i].processor_number, i);
    std::sort(keys.begin(), keys.end());
    for (size_t i = 1; i < keys.size(); ++i)
        if (keys[i].first == keys[i - 1].first)
            throw std::invalid_argument("ItsCore: two redistributors share one RDbase encoding");
    rds_ = std::move(rds);
    rd_direct_.clear();
    rd_sorted_.clear();
    rd_key_min_ = keys.empty() ? 0 : keys.front().first;
    const uint64_t span = keys.empty() ? 0 : keys.back().first - rd_key_min_ + 1;
    if (!keys.empty() && span <= 4 * keys.size() + 64) {
        rd_direct_.assign(size_t(span), kNoRd);
        for (const auto& [key, i] : keys) rd_direct_[size_t(key - rd_key_min_)] = i;
    } else {
        rd_sorted_ = std::move(keys);
    }
}

std::optional<unsigned> ItsCore::resolve_rdbase(uint64_t field) const {
    if (!rd_direct_.empty()) {
        const uint64_t k = field - rd_key_min_;   // below the least key: wraps past the table
        if (k >= rd_direct_.size() || rd_direct_[size_t(k)] == kNoRd) return std::nullopt;
        return rd_direct_[size_t(k)];
    }
    auto it = std::lower_bound(rd_sorted_.begin(), rd_sorted_.end(), std::make_pair(field, uint32_t{0}));
    if (it == rd_sorted_.end() || it->first != field) return std::nullopt;
    return it->second;
}

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------
uint32_t ItsCore::ctlr() const {
    uint32_t v = enabled_ ? gits::CTLR_Enabled : 0;
    if (!enabled_ && inflight_cmds_ == 0 && inflight_msis_ == 0 && waiting_msis_ == 0) v |= gits::CTLR_Quiescent;
    if (has_gicv4(cfg_.version)) v |= cfg_.its_number << gits::CTLR_ItsNumberShift;
    return v;
}

// The control frame. Rows without a read handler are constants (their
// reset value); the write mask is what a write may change, the handler
// decides what it does (reg_frame.h). GICv4: GITS_BASER2's row becomes the
// vPE table (RW, Type 2, Entry_Size 31) and PIDR2.ArchRev reads 4.
ItsCore::Frame ItsCore::control_frame(const ItsConfig& cfg) {
    using A = RegAccess;
    auto baser_reset = [](BaserType t, unsigned entry_size = kItsEntrySizeField) {
        return (uint64_t(t) << baser::kTypeShift) | (uint64_t{entry_size} << baser::kEntrySizeShift);
    };
    const bool v4 = has_gicv4(cfg.version);
    // Type and Entry_Size are RO; Indirect only with two-level tables.
    const uint64_t baser_mask = baser::kSizeMask | baser::kPageSizeMask | baser::kShareabilityMask |
                                baser::kAddrMask | baser::kOuterCacheMask | baser::kInnerCacheMask | baser::kValid |
                                (cfg.indirect_tables ? baser::kIndirect : 0);
    // ID registers: ArchRev = 3 is architected; the rest is a neutral
    // CoreSight-style identification (part number 0x01, no JEP106 claim).
    auto id = [](uint64_t off, const char* name, uint32_t v) {
        return Frame::Reg{off, name, 32, v, A::ro, 0, nullptr, nullptr};
    };
    return Frame(0, gits::kControlFrameBytes, {
        // offset        name            width reset                     access write mask              read                   write
        {gits::CTLR,     "GITS_CTLR",     32, gits::CTLR_Quiescent,      A::rw, gits::CTLR_Enabled,     &ItsCore::read_ctlr,   &ItsCore::write_ctlr},
        {gits::IIDR,     "GITS_IIDR",     32, cfg.iidr,                  A::ro, 0,                      nullptr,               nullptr},
        {gits::TYPER,    "GITS_TYPER",    64, typer_value(cfg),          A::ro, 0,                      nullptr,               nullptr},
        {gits::CBASER,   "GITS_CBASER",   64, 0,                         A::rw, gits::CBASER_Writable,  &ItsCore::read_cbaser, &ItsCore::write_cbaser},
        {gits::CWRITER,  "GITS_CWRITER",  64, 0,                         A::rw, gits::QUEUE_OffsetMask | gits::CWRITER_Retry,
                                                                                                        &ItsCore::read_cwriter, &ItsCore::write_cwriter},
        {gits::CREADR,   "GITS_CREADR",   64, 0,                         A::ro, 0,                      &ItsCore::read_creadr, nullptr},
        {gits::BASER(0), "GITS_BASER0",   64, baser_reset(BaserType::device),     A::rw, baser_mask, &ItsCore::read_baser0, &ItsCore::write_baser0},
        {gits::BASER(1), "GITS_BASER1",   64, baser_reset(BaserType::collection), A::rw, baser_mask, &ItsCore::read_baser1, &ItsCore::write_baser1},
        v4 ? Frame::Reg{gits::BASER(2), "GITS_BASER2", 64, baser_reset(BaserType::vpe, kVteEntrySizeField), A::rw, baser_mask,
                        &ItsCore::read_baser2, &ItsCore::write_baser2}
           : Frame::Reg{gits::BASER(2), "GITS_BASER2", 64, 0, A::raz_wi, 0, nullptr, nullptr},
        {gits::BASER(3), "GITS_BASER3",   64, 0,                         A::raz_wi, 0,                  nullptr,               nullptr},
        {gits::BASER(4), "GITS_BASER4",   64, 0,                         A::raz_wi, 0,                  nullptr,               nullptr},
        {gits::BASER(5), "GITS_BASER5",   64, 0,                         A::raz_wi, 0,                  nullptr,               nullptr},
        {gits::BASER(6), "GITS_BASER6",   64, 0,                         A::raz_wi, 0,                  nullptr,               nullptr},
        {gits::BASER(7), "GITS_BASER7",   64, 0,                         A::raz_wi, 0,                  nullptr,               nullptr},
        id(gits::PIDR4,      "GITS_PIDR4", 0x00),
        id(gits::PIDR4 + 4,  "GITS_PIDR5", 0x00),
        id(gits::PIDR4 + 8,  "GITS_PIDR6", 0x00),
        id(gits::PIDR4 + 12, "GITS_PIDR7", 0x00),
        id(gits::PIDR0,      "GITS_PIDR0", 0x01),
        id(gits::PIDR1,      "GITS_PIDR1", 0x00),
        id(gits::PIDR2,      "GITS_PIDR2", v4 ? gits::PIDR2_ValueV4 : gits::PIDR2_Value),
        id(gits::PIDR3,      "GITS_PIDR3", 0x00),
        id(gits::CIDR0,      "GITS_CIDR0", 0x0D),
        id(gits::CIDR0 + 4,  "GITS_CIDR1", 0xF0),
        id(gits::CIDR0 + 8,  "GITS_CIDR2", 0x05),
        id(gits::CIDR0 + 12, "GITS_CIDR3", 0xB1),
    });
}

uint64_t ItsCore::typer_value(const ItsConfig& cfg) {
    uint64_t t = 1                                                  // Physical
                 | (uint64_t{itt_entry_size_field(cfg.version)} << 4)   // ITT_entry_size
                 | (uint64_t(cfg.event_id_bits - 1) << 8)           // ID_bits
                 | (uint64_t(cfg.device_id_bits - 1) << 13)         // Devbits
                 | (uint64_t(cfg.pta ? 1 : 0) << 19);               // PTA; SEIS = 0, HCC = 0
    if (cfg.icid_bits < 16)
        t |= (uint64_t(cfg.icid_bits - 1) << 32) | (uint64_t{1} << 36);   // CIDbits, CIL
    if (has_gicv4(cfg.version)) {
        t |= gits::TYPER_Virtual | (cfg.vmovp ? gits::TYPER_VMOVP : 0);   // SVPET = 0: no vPE-table sharing
        if (cfg.version == GicVersion::v4_1) t |= gits::TYPER_VSGI | gits::TYPER_VMAPP;
    }
    return t;
}

void ItsCore::write_ctlr(uint64_t v, uint64_t mask) {
    const bool en = (v & mask & gits::CTLR_Enabled) != 0;
    if (en && !enabled_) {
        dev_table_ = decode_baser(baser_[0]);
        col_table_ = decode_baser(baser_[1]);
        if (has_gicv4(cfg_.version)) vpe_table_ = decode_baser(baser_[2]);
        reset_caches();
    }
    enabled_ = en;
}

void ItsCore::write_baser(unsigned n, uint64_t v, uint64_t mask) {
    if (enabled_) return;
    uint64_t nv = reg_merge(baser_[n], v, mask);
    if (((nv & baser::kPageSizeMask) >> baser::kPageSizeShift) == 3)
        nv = (nv & ~baser::kPageSizeMask) | (baser::kPage64K << baser::kPageSizeShift);
    baser_[n] = nv;
}

void ItsCore::write_cbaser(uint64_t v, uint64_t mask) {
    if (enabled_) return;
    cbaser_ = reg_merge(cbaser_, v, mask);
    creadr_ = 0;
    stalled_ = false;
    ++queue_gen_;
}

void ItsCore::write_cwriter(uint64_t v, uint64_t mask) {
    cwriter_ = reg_merge(cwriter_, v, mask) & gits::QUEUE_OffsetMask;   // Retry is not stored
    if ((v & mask & gits::CWRITER_Retry) && stalled_) stalled_ = false;
}

void ItsCore::reset_caches() {
    dev_cache_.clear();
    evt_cache_.clear();
    col_cache_.clear();
    vpe_cache_.clear();
    ++vpe_epoch_;
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
