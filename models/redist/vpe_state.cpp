// VpeState (vpe_state.h): residency, the resident vPE, doorbells.
#include "itsim/redist/vpe_state.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace itsim {

namespace {

constexpr unsigned kMaxBurst = 256;

LpiStateConfig net(LpiStateConfig c) {
    c.tracking = PendingTracking::net;
    return c;
}

const VpeStateConfig& checked(const VpeStateConfig& c) {
    if (c.version == GicVersion::v3) throw std::invalid_argument("VpeState: needs GICv4.0 or GICv4.1");
    if (c.max_id_bits < 14 || c.max_id_bits > 24) throw std::invalid_argument("VpeState: max_id_bits must be 14..24");
    return c;
}

uint64_t le64(const uint8_t* b) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= uint64_t(b[i]) << (8 * i);
    return v;
}

}  // namespace

const char* to_string(Residency r) {
    switch (r) {
    case Residency::idle: return "idle";
    case Residency::scheduling: return "scheduling";
    case Residency::resident: return "resident";
    case Residency::descheduling: return "descheduling";
    }
    return "?";
}

VptParsePlan vpt_parse_plan(uint64_t intid_limit, unsigned burst) {
    VptParsePlan p;
    if (intid_limit <= lpi::kFirstLpi) return p;
    burst = std::clamp(burst, 1u, kMaxBurst);
    p.bytes = intid_limit / 8 - lpi::kPendingTableReserved;
    p.bursts = (p.bytes + burst - 1) / burst;
    return p;
}

uint64_t vpt_limit(unsigned vpt_size, unsigned max_id_bits) {
    const unsigned bits = std::min(vpt_size + 1, max_id_bits);
    return bits <= 13 ? 0 : uint64_t{1} << bits;
}

VpeTableGeometry decode_vpropbaser41(uint64_t v) {
    VpeTableGeometry g;
    g.valid = (v & gicr::VPROP41_Valid) != 0;
    g.indirect = (v & gicr::VPROP41_Indirect) != 0;
    const unsigned ps = unsigned((v & gicr::VPROP41_Page_Size) >> gicr::VPROP41_Page_Size_shift);
    g.page_bytes = ps == 0 ? 4096 : ps == 1 ? 16384 : 65536;   // 0b11 (reserved) taken as 64K, as GITS_BASER
    g.base = v & gicr::PA_51_12 & ~uint64_t(g.page_bytes - 1);
    g.pages = uint32_t(v & gicr::VPROP41_Size) + 1;
    return g;
}

VpeEntry decode_vpe_entry(const uint64_t w[4]) {
    VpeEntry e;
    e.valid = (w[0] >> 63) & 1;
    if (!e.valid) return e;
    e.vpt_size = uint8_t((w[0] >> 56) & 0x1F);
    e.vpt_addr = w[0] & gicr::PA_51_16;
    e.vconf_addr = w[2] & gicr::PA_51_16;
    e.default_doorbell = uint32_t(w[3]);
    return e;
}

VpeState::VpeState(const VpeStateConfig& cfg) : cfg_(checked(cfg)), lpi_(net(cfg.lpi)) {}

// ---------------------------------------------------------------------------
// GICR_VPENDBASER
// ---------------------------------------------------------------------------

uint64_t VpeState::vpendbaser(uint64_t now_ps) const {
    return reg_ | (dirty(now_ps) ? gicr::VPEND_Dirty : 0);
}

VpeState::WriteAction VpeState::write_vpendbaser(uint64_t value, uint64_t mask, uint64_t now_ps,
                                                 uint64_t vpropbaser) {
    mask &= v41() ? gicr::VPEND_Writable_v41 : gicr::VPEND_Writable_v40;
    const uint64_t merged = reg_merge(reg_, value, mask);
    const bool was = valid(), want = (merged & gicr::VPEND_Valid) != 0;
    if (was && want) {   // Valid stays 1: other bits are not written
        if (merged != reg_) ++stats_.ignored_writes;
        return WriteAction::ignored;
    }
    if (!was && !want) {
        reg_ = merged;
        return WriteAction::stored;
    }
    if (dirty(now_ps)) {   // a residency change while the last one is not done
        ++stats_.ignored_writes;
        return WriteAction::ignored;
    }
    if (want) {   // Valid 0 -> 1
        if (v41() && !decode_vpropbaser41(vpropbaser).valid) {
            ++stats_.ignored_writes;
            return WriteAction::ignored;
        }
        reg_ = merged;
        vpropbaser_ = vpropbaser;
        state_ = Residency::scheduling;
        tables_known_ = false;
        if (v41()) {
            vpeid_ = uint32_t(merged & gicr::VPEND_vPEID);
            armed_.erase(vpeid_);   // resident again: the doorbell request of its deschedule lapses
            vpt_addr_ = 0;
        } else {
            vpeid_ = kUnknownVpeid;
            vpt_addr_ = merged & gicr::PA_51_16;
            // v4.0: the tables are the registers'.
            const unsigned idbits = unsigned(vpropbaser & gicr::PROPBASER_IDbits);
            const uint64_t limit = idbits < gicr::kMinIdBitsForLpis ? 0 : vpt_limit(idbits, cfg_.max_id_bits);
            lpi_.set_tables(vpropbaser & gicr::PA_51_12, vpt_addr_, limit);
            tables_known_ = true;
        }
        change_ = Change{};
        change_.resident = true;
        change_.vpeid = vpeid_;
        change_.vpt_addr = vpt_addr_;
        ++stats_.schedules;
        verify();
        return WriteAction::schedule;
    }
    // Valid 1 -> 0. The Doorbell request (v4.1): with PendingLast written 0,
    // and only if nothing enabled is pending now.
    const bool pl_written = (merged & gicr::VPEND_PendingLast) != 0;
    const bool db = v41() && (merged & gicr::VPEND_Doorbell) && !pl_written && !enabled_pending();
    reg_ = v41() ? merged & ~gicr::VPEND_Doorbell : merged;   // v4.1: the request is consumed
    state_ = Residency::descheduling;
    change_ = Change{};
    change_.resident = false;
    change_.vpeid = vpeid_;
    change_.vpt_addr = vpt_addr_;
    change_.doorbell_armed = db;
    if (db) {
        armed_.insert(vpeid_);
        ++stats_.doorbells_armed;
    }
    ++stats_.deschedules;
    verify();
    return WriteAction::deschedule;
}

bool VpeState::adopt(const VpeRef& v) {
    if (tables_known_) return true;
    if (state_ != Residency::scheduling || !v41() || v.vpeid != vpeid_) return false;
    lpi_.set_tables(v.vconf_addr, v.vpt_addr, vpt_limit(v.vpt_size, cfg_.max_id_bits));
    vpt_addr_ = v.vpt_addr;
    change_.vpt_addr = vpt_addr_;
    tables_known_ = true;
    return true;
}

size_t VpeState::run_schedule(LpiBackend& mem) {
    if (state_ != Residency::scheduling) return 0;
    if (v41() && !tables_known_) {
        // The vPE's entry in the vPE configuration table.
        const VpeTableGeometry g = decode_vpropbaser41(vpropbaser_);
        const uint64_t per_page = g.page_bytes / gicr::kVpeEntryBytes;
        const uint64_t span = uint64_t(g.pages) * g.page_bytes;
        uint64_t w[4] = {0, 0, 0, 0};
        bool have = false;
        uint64_t addr = 0;
        if (!g.indirect) {
            if (uint64_t(vpeid_) * gicr::kVpeEntryBytes < span) {
                addr = g.base + uint64_t(vpeid_) * gicr::kVpeEntryBytes;
                have = true;
            }
        } else if ((vpeid_ / per_page) * 8 < span) {
            uint8_t d[8];
            ++stats_.vte_reads;
            if (!mem.read(g.base + (vpeid_ / per_page) * 8, d, 8)) {
                ++stats_.vte_read_errors;
            } else if (le64(d) >> 63) {
                addr = (le64(d) & gicr::PA_51_12 & ~uint64_t(g.page_bytes - 1)) +
                       (vpeid_ % per_page) * gicr::kVpeEntryBytes;
                have = true;
            }
        }
        if (have) {
            uint8_t b[gicr::kVpeEntryBytes];
            ++stats_.vte_reads;
            if (mem.read(addr, b, gicr::kVpeEntryBytes)) {
                for (unsigned i = 0; i < 4; ++i) w[i] = le64(b + 8 * i);
            } else {
                ++stats_.vte_read_errors;
            }
        }
        if (state_ != Residency::scheduling) return 0;
        if (!tables_known_) {   // no operation brought the entry meanwhile
            const VpeEntry e = decode_vpe_entry(w);
            if (!e.valid) ++stats_.vte_invalid;
            lpi_.set_tables(e.vconf_addr, e.vpt_addr, e.valid ? vpt_limit(e.vpt_size, cfg_.max_id_bits) : 0);
            vpt_addr_ = e.vpt_addr;
            change_.vpt_addr = vpt_addr_;
            tables_known_ = true;
        }
    }
    const size_t n = lpi_.load_pending_table(mem, cfg_.pending_read_burst);
    stats_.vlpis_loaded += n;
    return n;
}

size_t VpeState::run_deschedule(LpiBackend& mem) {
    if (state_ != Residency::descheduling) return 0;
    // The bytes that differ from memory; vLPIs joining meanwhile add theirs.
    const size_t bytes = lpi_.flush(mem);
    change_.pending_last = enabled_pending();
    if (change_.pending_last) reg_ |= gicr::VPEND_PendingLast;
    else reg_ &= ~gicr::VPEND_PendingLast;
    lpi_.drop_all();
    lpi_.set_tables(0, 0, 0);
    state_ = Residency::idle;
    tables_known_ = false;
    verify();
    return bytes;
}

void VpeState::finish(uint64_t dirty_until_ps) {
    if (state_ == Residency::scheduling) state_ = Residency::resident;
    dirty_until_ps_ = dirty_until_ps;
    verify();
}

// ---------------------------------------------------------------------------
// The resident vPE
// ---------------------------------------------------------------------------

bool VpeState::is_resident(const VpeRef& v) const {
    if (state_ != Residency::scheduling && state_ != Residency::resident) return false;
    return v41() ? v.vpeid == vpeid_ : v.vpt_addr == vpt_addr_;
}

bool VpeState::is_descheduling(const VpeRef& v) const {
    if (state_ != Residency::descheduling) return false;
    return v41() ? v.vpeid == vpeid_ : v.vpt_addr == vpt_addr_;
}

bool VpeState::is_resident_vpeid(uint32_t vpeid) const {
    return v41() && (state_ == Residency::scheduling || state_ == Residency::resident) && vpeid == vpeid_;
}

bool VpeState::enabled_pending() const {
    return lpi_.has_selectable() || (v41() && vpeid_ != kUnknownVpeid && vsgis_.any_enabled_pending(vpeid_));
}

VpeState::Pick VpeState::highest() const {
    Pick p;
    if (state_ != Residency::scheduling && state_ != Residency::resident) return p;
    if (grp1_enabled()) {
        const uint32_t id = lpi_.highest();
        if (id != lpi::kSpurious) {
            p.intid = id;
            p.priority = lpi_.pending_config(id).value_or(0) & lpi::kPropPriorityMask;
        }
    }
    if (v41()) {
        uint8_t prio = 0;
        const uint32_t n = vsgis_.highest(vpeid_, grp0_enabled(), grp1_enabled(), &prio);
        // vSGI INTIDs (0..15) are below every vLPI's: equal priorities go to the vSGI.
        if (n != vsgi::kNone && (p.intid == lpi::kSpurious || prio <= p.priority)) {
            p = Pick{};
            p.intid = n;
            p.priority = prio;
            p.vsgi = true;
        }
    }
    return p;
}

VpeState::Pick VpeState::acknowledge(uint64_t visible) {
    const Pick h = highest();
    if (h.intid == lpi::kSpurious) return Pick{};
    if (h.vsgi) {
        vsgis_.clear(vpeid_, h.intid);
        return h;
    }
    const LpiState::Ack a = lpi_.acknowledge(visible);
    if (a.intid != lpi::kSpurious) {
        Pick p;
        p.intid = a.intid;
        p.priority = a.config & lpi::kPropPriorityMask;
        p.stamp = a.stamp;
        return p;
    }
    return Pick{};
}

// ---------------------------------------------------------------------------
// Non-resident vPEs
// ---------------------------------------------------------------------------

bool VpeState::vpt_in_range(const VpeRef& v, uint32_t vintid, unsigned max_id_bits) {
    return vintid >= lpi::kFirstLpi && vintid < vpt_limit(v.vpt_size, max_id_bits);
}

bool VpeState::vpt_update(const VpeRef& v, uint32_t vintid, bool set, MemPort& mem, bool* in_range) {
    const bool ok = vpt_in_range(v, vintid, cfg_.max_id_bits);
    if (in_range) *in_range = ok;
    if (!ok) return false;
    const uint64_t addr = v.vpt_addr + vintid / 8;
    const uint8_t bit = uint8_t(1u << (vintid % 8));
    uint8_t b = 0;
    ++stats_.vpt_rmw_reads;
    if (!mem.read(addr, &b, 1)) {
        ++stats_.vpt_errors;
        b = 0;   // counts as zero
    }
    const bool was = (b & bit) != 0;
    if (was == set) return was;   // nothing to write
    b = set ? uint8_t(b | bit) : uint8_t(b & ~bit);
    ++stats_.vpt_rmw_writes;
    if (!mem.write(addr, &b, 1)) ++stats_.vpt_errors;
    return was;
}

uint32_t VpeState::doorbell_for(const VpeRef& v, uint32_t intid, uint32_t ite_doorbell, bool vsgi, MemPort& mem,
                                const uint8_t* known_config) {
    if (!v41()) return vsgi ? kNoDoorbellIntid : ite_doorbell;
    if (!armed_.count(v.vpeid) || v.default_doorbell == kNoDoorbellIntid) return kNoDoorbellIntid;
    bool enabled = false;
    if (vsgi) {
        enabled = vsgis_.get(v.vpeid, intid).enable;
    } else if (known_config) {
        enabled = (*known_config & lpi::kPropEnable) != 0;
    } else {
        uint8_t c = 0;
        ++stats_.doorbell_config_reads;
        enabled = intid >= lpi::kFirstLpi && mem.read(v.vconf_addr + (intid - lpi::kFirstLpi), &c, 1) &&
                  (c & lpi::kPropEnable);
    }
    if (!enabled || !armed_.count(v.vpeid)) return kNoDoorbellIntid;   // (rung meanwhile by another)
    armed_.erase(v.vpeid);
    ++stats_.doorbells_rung;
    verify();
    return v.default_doorbell;
}

// ---------------------------------------------------------------------------
// VMOVP (v4.1)
// ---------------------------------------------------------------------------

VpeHandover VpeState::hand_over(uint32_t vpeid) {
    VpeHandover h;
    if (!v41()) return h;
    h.doorbell_armed = armed_.erase(vpeid) != 0;
    if (const VsgiSet* set = vsgis_.find(vpeid)) {
        const VsgiSet copy = *set;   // the calls below may forget the set
        h.vsgis = true;
        h.vsgi_pending = copy.pending_mask();
        for (unsigned n = 0; n < vsgi::kCount; ++n) {
            const Vsgi& g = copy.sgi[n];
            h.vsgi_config[n] = uint8_t((g.enable ? 1 : 0) | (g.group ? 2 : 0) | (g.priority & vsgi::kPriorityMask));
            vsgis_.clear(vpeid, n);
            vsgis_.configure(vpeid, n, false, false, 0);
        }
    }
    verify();
    return h;
}

void VpeState::take_over(uint32_t vpeid, const VpeHandover& h) {
    if (!v41()) return;
    if (h.doorbell_armed) armed_.insert(vpeid);
    if (h.vsgis) {
        for (unsigned n = 0; n < vsgi::kCount; ++n) {
            const uint8_t c = h.vsgi_config[n];
            vsgis_.configure(vpeid, n, (c & 1) != 0, (c & 2) != 0, uint8_t(c & vsgi::kPriorityMask));
            if ((h.vsgi_pending >> n) & 1) vsgis_.set_pending(vpeid, n);
        }
    }
    verify();
}

// ---------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------

std::string VpeState::check_invariants() const {
    if (std::string s = lpi_.check_invariants(); !s.empty()) return s;
    if (std::string s = vsgis_.check_invariants(); !s.empty()) return s;
    const bool idle_like = state_ == Residency::idle || state_ == Residency::descheduling;
    if (idle_like == valid()) return "R1: residency " + std::string(to_string(state_)) + " with Valid = " +
                                     (valid() ? "1" : "0");
    if (state_ == Residency::idle && lpi_.pending_count() != 0)
        return "R2: " + std::to_string(lpi_.pending_count()) + " vLPIs pending with no vPE resident";
    if (!v41() && !armed_.empty()) return "R3: a GICv4.0 redistributor armed a default doorbell";
    return {};
}

void VpeState::verify() const {
#ifdef ITSIM_CHECK_INVARIANTS
    const std::string broken = check_invariants();
    if (!broken.empty()) {
        std::fprintf(stderr, "itsim: VpeState invariant broken: %s\n", broken.c_str());
        std::abort();
    }
#endif
}

}  // namespace itsim
