// VpeState: the virtual side of one GICv4 redistributor, as plain C++ (no
// simulation kernel): which vPE is resident, its pending vLPIs in priority
// order with its vLPI configuration cache, the residency state machine of
// GICR_VPENDBASER, the doorbells, and the vSGIs (vsgi_state.h). The
// Redistributor module (redistributor.h, redist_virtual.cpp) wraps it with
// registers, the bus and time, as it wraps LpiState for physical LPIs.
//
// The resident vPE's vLPIs are an LpiState (lpi_state.h) with net tracking:
// the VPT has the pending table's format (one bit per vINTID, the first
// 1 KiB IMPLEMENTATION DEFINED and never used here), the vLPI configuration
// table the property table's (one byte per vLPI from 8192, Enable[0],
// Priority[7:2]). So the invariants I1..I4 of lpi_state.h hold for the
// resident vPE too, and the visibility rules are the same (a vLPI keeps
// the configuration it was made pending with until INV/VINVALL or
// INVLPIR/INVALLR with V = 1).
//
// Which vPE is resident (IHI 0069; gicv4-facts 2.4):
//   GICv4.0  the one whose VPT address is GICR_VPENDBASER.PA (an operation
//            names its vPE by the VTE's VPT_addr); its vLPI configuration
//            table is GICR_VPROPBASER.PA, its vINTID range
//            8192 <= vINTID < 2^(min(VPROPBASER.IDbits, max_id_bits-1)+1)
//            (IDbits < 13: no vLPI; larger vINTIDs are dropped).
//   GICv4.1  the one whose vPEID is GICR_VPENDBASER.vPEID. At schedule the
//            redistributor reads the vPE's entry (VTE, 32 bytes, the ITS's
//            layout: models/its/its_tables.h) from the vPE configuration
//            table GICR_VPROPBASER describes (flat or two-level, as
//            GITS_BASER2): VPT_addr, VPT_size (range 2^(VPT_size+1), capped
//            as above), VCONF_addr (the vLPI configuration table) and the
//            default doorbell. An invalid entry, a vPEID past the table or
//            a failed read: the vPE is resident with no vLPI range (every
//            vLPI for it is refused out of range, counted).
//
// Residency state machine (the VPENDBASER write's owner runs the steps):
//   idle --Valid 0->1--> scheduling --parse done--> resident
//   resident --Valid 1->0--> descheduling --write-back done--> idle
// Dirty reads 1 in scheduling and descheduling and until dirty_until (the
// owner adds the fixed part of the engine's time, redist.vpt_parse_cycles,
// after the memory traffic: see redistributor.h). Writes:
//   - Valid 0 -> 1 (schedule): the other fields as written; PendingLast
//     reads as written while resident (Linux writes 1). The parse (run_
//     schedule): v4.1 the VTE read; then the VPT from byte 1024 to its end
//     in bursts of pending_read_burst bytes, each set bit becoming pending
//     with its configuration looked up (cache, then the table) - LpiState::
//     load_pending_table. vLPIs arriving meanwhile join the resident state
//     (a bit found set for a vLPI already pending merges).
//   - Valid 1 -> 0 (deschedule): v4.1 Doorbell = 1 with PendingLast written
//     0 arms the vPE's default doorbell, unless an enabled vLPI or vSGI is
//     pending then (treated as Doorbell = 0, IHI 0069). The write-back
//     (run_deschedule) writes the VPT bytes whose state changed while
//     resident (net tracking: memory is exact for the others, read at the
//     parse), in address order, merged per 64-byte line; vLPIs arriving
//     meanwhile join the state being written back (so memory gets them),
//     and the doorbell rules apply to them as to a non-resident vPE (the
//     doorbell can ring inside the 1 -> 0 window: gicv4-facts pitfall 19).
//     At its end PendingLast = an enabled vLPI or vSGI was pending, the
//     state is dropped (cache included) and the vPE is not resident.
//   - Valid stays 1: the write is ignored whatever it writes (IHI 0069:
//     UNPREDICTABLE; QEMU ignores it too), counted when it would change a
//     bit. Valid stays 0: the fields are stored.
//   - Valid 0 -> 1 or 1 -> 0 while Dirty = 1: ignored (UNPREDICTABLE in
//     v4.1; itsim does the same in v4.0), counted.
//   - v4.1 Valid 0 -> 1 while GICR_VPROPBASER.Valid = 0: ignored
//     (UNPREDICTABLE), counted.
//   - IDAI (v4.0) reads as written: the first 1 KiB of the VPT is never
//     read or written by itsim, so nothing changes with it.
//   - VGrp0En/VGrp1En (v4.1) are the vPE's group enables: a vLPI (Group 1)
//     or vSGI is offered to the virtual interface only with its group's bit
//     set. v4.0 has no such bits: everything is offered.
//
// Non-resident vPEs: the owner sets or clears the vINTID's bit in the VPT
// in memory (read-modify-write of its byte: vpt_update; no write when the
// bit already has the value), range 8192 <= vINTID < 2^(VPT_size+1) from
// the operation's VpeRef. Then the doorbell (doorbell_for):
//   v4.0  the ITE's Dbell_pINTID if not 1023, whatever the vLPI's enable
//         (v4.0 hardware rings regardless: Linux masks a vLPI by removing
//         its doorbell with VMOVI);
//   v4.1  the vPE's default doorbell if armed at its deschedule here and
//         the vLPI is enabled (its configuration byte read from VCONF_addr;
//         a vSGI: its Enable): rings once and is disarmed.
// VMOVP (v4.1): the armed doorbell and the vSGIs move with the vPE
// (hand_over / take_over below).
// INV/VINVALL of a non-resident vPE do nothing (its configuration is read
// when it is scheduled; QEMU does the same).
//
// Memory errors: a failed VTE or VPT read counts as all zero; a failed
// configuration read leaves the vLPI pending and not selectable (as
// LpiState); a failed write is counted and not retried.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "itsim/common/gic_version.h"
#include "itsim/common/lpi_stream.h"
#include "itsim/common/mem_port.h"
#include "itsim/redist/gicr_regs.h"
#include "itsim/redist/lpi_state.h"
#include "itsim/redist/vsgi_state.h"

namespace itsim {

struct VpeStateConfig {
    GicVersion version = GicVersion::v4_0;
    LpiStateConfig lpi{};             // the resident vPE's configuration cache (tracking: net)
    unsigned max_id_bits = 16;        // vINTID bits the redistributor supports (14..24)
    unsigned pending_read_burst = 64; // bytes per VPT read at the parse (1..256)
};

enum class Residency : uint8_t { idle, scheduling, resident, descheduling };
const char* to_string(Residency r);

// The VPT reads of a parse: bytes [1024, intid_limit / 8) in bursts.
struct VptParsePlan {
    uint64_t bytes = 0;    // VPT bytes read
    uint64_t bursts = 0;   // bus reads
};
VptParsePlan vpt_parse_plan(uint64_t intid_limit, unsigned burst);

// The vINTID range of a VPT_size (vINTID bits - 1), capped at max_id_bits:
// the first vINTID past it (<= 8192: no vLPI).
uint64_t vpt_limit(unsigned vpt_size, unsigned max_id_bits);

// Where a vPE configuration table entry is (GICv4.1 GICR_VPROPBASER).
struct VpeTableGeometry {
    bool valid = false;
    bool indirect = false;
    uint64_t base = 0;
    uint32_t page_bytes = 4096;
    uint32_t pages = 1;
};
VpeTableGeometry decode_vpropbaser41(uint64_t v);

// A vPE configuration table entry, as the redistributor reads it (the
// ITS's VTE layout, its_tables.h: word 0 Valid[63] VPT_size[60:56]
// VPT_addr[51:16]; word 2 VCONF_addr[51:16]; word 3 Default_Doorbell[31:0]).
struct VpeEntry {
    bool valid = false;
    uint8_t vpt_size = 0;
    uint64_t vpt_addr = 0;
    uint64_t vconf_addr = 0;
    uint32_t default_doorbell = kNoDoorbellIntid;
};
VpeEntry decode_vpe_entry(const uint64_t w[4]);

struct VpeStats {
    uint64_t schedules = 0, deschedules = 0;
    uint64_t ignored_writes = 0;       // VPENDBASER writes ignored (Valid=1, Dirty=1, v4.1 table invalid)
    uint64_t vte_reads = 0, vte_read_errors = 0, vte_invalid = 0;
    uint64_t vlpis_loaded = 0;         // found pending in the VPT at a parse
    uint64_t vpt_rmw_reads = 0, vpt_rmw_writes = 0, vpt_errors = 0;
    uint64_t doorbells_armed = 0, doorbells_rung = 0;
    uint64_t doorbell_config_reads = 0;
};

// What the owner of a VpeState (the Redistributor module) counts.
struct VirtualStats {
    uint64_t resident_sets = 0, resident_merges = 0;   // set_vlpi to the resident vPE
    uint64_t vpt_sets = 0, vpt_merges = 0;             // set_vlpi to a VPT in memory
    uint64_t refused_range = 0;                        // vINTID out of the vPE's range
    uint64_t cleared = 0;                              // clear_vlpi that cleared something
    uint64_t invs = 0, invalls = 0, vsyncs = 0, vmovps = 0;
    uint64_t vsgis = 0;                                // set_vsgi
    uint64_t doorbells = 0;                            // doorbells rung
    uint64_t reg_vinvs = 0, reg_vinvalls = 0, reg_vinv_ignored = 0;   // INVLPIR/INVALLR V=1
    uint64_t vsgi_queries = 0, vsgi_queries_ignored = 0;              // GICR_VSGIR writes
    uint64_t vacks = 0, spurious_vacks = 0, veois = 0;
    uint64_t vline_rises = 0, activations = 0;
};

class VpeState {
public:
    // Throws std::invalid_argument as LpiState does; version 3 is refused.
    explicit VpeState(const VpeStateConfig& cfg);
    const VpeStateConfig& config() const { return cfg_; }
    GicVersion version() const { return cfg_.version; }
    bool v41() const { return cfg_.version == GicVersion::v4_1; }

    // ---- GICR_VPENDBASER ----
    // As read at now_ps: the stored fields, Dirty from the engine.
    uint64_t vpendbaser(uint64_t now_ps) const;
    bool dirty(uint64_t now_ps) const {
        return state_ == Residency::scheduling || state_ == Residency::descheduling || now_ps < dirty_until_ps_;
    }
    bool valid() const { return (reg_ & gicr::VPEND_Valid) != 0; }
    Residency residency() const { return state_; }
    uint64_t dirty_until_ps() const { return dirty_until_ps_; }

    enum class WriteAction : uint8_t { stored, ignored, schedule, deschedule };
    // A write (value, mask as reg_frame.h gives them) at now_ps, with the
    // current GICR_VPROPBASER. schedule/deschedule: the state is now
    // scheduling/descheduling and the owner must call run_schedule /
    // run_deschedule, then finish(dirty_until_ps).
    WriteAction write_vpendbaser(uint64_t value, uint64_t mask, uint64_t now_ps, uint64_t vpropbaser);

    // The parse (see the file comment); returns the vLPIs found pending.
    size_t run_schedule(LpiBackend& mem);
    // The write-back; returns the bytes written.
    size_t run_deschedule(LpiBackend& mem);
    // The memory work is over: Dirty reads 1 until dirty_until_ps.
    void finish(uint64_t dirty_until_ps);

    // What the last residency change decided (for the owner's report).
    struct Change {
        bool resident = false;
        uint32_t vpeid = 0;          // v4.0: kUnknownVpeid
        bool pending_last = false;   // deschedule
        bool doorbell_armed = false; // deschedule (v4.1)
        uint64_t vpt_addr = 0;
    };
    const Change& last_change() const { return change_; }
    static constexpr uint32_t kUnknownVpeid = 0xFFFFFFFFu;

    // ---- The resident vPE ----
    // Whether an operation's vPE is the one in the resident state (Valid = 1:
    // scheduling or resident), or being written back (descheduling).
    bool is_resident(const VpeRef& v) const;
    bool is_descheduling(const VpeRef& v) const;
    bool is_resident_vpeid(uint32_t vpeid) const;   // v4.1 (INVLPIR/INVALLR V=1)
    // v4.1: until the parse has read the VTE the vLPI tables are unknown;
    // an operation arriving meanwhile brings the same entry (the ITS's VTE:
    // one table, shared) and the resident state adopts it, so that its
    // vLPI joins the state. The VTE read then changes nothing. Returns
    // whether the tables are known.
    bool adopt(const VpeRef& v);
    bool tables_known() const { return tables_known_; }
    // v4.0: the resident vPE is known by its VPT; the first operation that
    // names it tells its vPEID (for reports). Nothing otherwise.
    void learn(const VpeRef& v) {
        if (!v41() && vpeid_ == kUnknownVpeid && is_resident(v)) vpeid_ = change_.vpeid = v.vpeid;
    }
    uint32_t resident_vpeid() const { return vpeid_; }
    uint64_t resident_vpt() const { return vpt_addr_; }
    LpiState& vlpis() { return lpi_; }
    const LpiState& vlpis() const { return lpi_; }
    bool grp0_enabled() const { return !v41() || (reg_ & gicr::VPEND_VGrp0En); }
    bool grp1_enabled() const { return !v41() || (reg_ & gicr::VPEND_VGrp1En); }

    // What the virtual CPU interface would take: the highest-priority
    // offered vLPI or vSGI of the resident vPE (Valid = 1), ties to the
    // lower vINTID (so vSGIs first), or 1023.
    struct Pick {
        uint32_t intid = lpi::kSpurious;
        uint8_t priority = 0;
        bool vsgi = false;
        uint64_t stamp = 0;   // when it became selectable (a vSGI: 0, visible at once)
    };
    Pick highest() const;
    bool has_selectable() const { return highest().intid != lpi::kSpurious; }
    // ICV_IAR1: take it (it stops being pending). vLPIs only once visible
    // (stamp <= visible, lpi_state.h I4); vSGIs at once.
    Pick acknowledge(uint64_t visible);

    // ---- Non-resident vPEs ----
    // The VPT byte read-modify-write for vINTID of `v`: set or clear its
    // bit. Returns whether the bit was set before; `ok` false on a range
    // refusal (nothing accessed) - *in_range tells which.
    bool vpt_update(const VpeRef& v, uint32_t vintid, bool set, MemPort& mem, bool* in_range);
    static bool vpt_in_range(const VpeRef& v, uint32_t vintid, unsigned max_id_bits);
    // The doorbell a vLPI (vsgi = false) or vSGI (vsgi = true) for the
    // non-resident vPE `v` rings, or 1023 (see the file comment). v4.1
    // disarms what it rings; for a vLPI it reads the configuration byte
    // through `mem` (one byte at VCONF_addr + vINTID - 8192) unless
    // `known_config` gives it (a vLPI that joined the state being written
    // back was looked up already).
    uint32_t doorbell_for(const VpeRef& v, uint32_t intid, uint32_t ite_doorbell, bool vsgi, MemPort& mem,
                          const uint8_t* known_config = nullptr);
    bool doorbell_armed(uint32_t vpeid) const { return armed_.count(vpeid) != 0; }

    // ---- VMOVP (GICv4.1) ----
    // What moves with a vPE between redistributors besides its VPT (in
    // memory): its armed default doorbell and its vSGIs (pending and
    // configuration). hand_over: the old redistributor gives them and
    // forgets them (a vPE resident here keeps nothing either: software moves
    // a vPE only while it is not resident). take_over: the new one adds them
    // to what it holds - an armed doorbell stays armed, pending vSGIs are
    // ORed, the configuration is the one handed over when any was held - so
    // a second VMOVP of the same move (ITSList: one per ITS) changes
    // nothing. v4.0: nothing to move (empty handover, nothing taken).
    VpeHandover hand_over(uint32_t vpeid);
    void take_over(uint32_t vpeid, const VpeHandover& h);
    size_t doorbells_armed() const { return armed_.size(); }

    // ---- vSGIs (GICv4.1) ----
    VsgiState& vsgis() { return vsgis_; }
    const VsgiState& vsgis() const { return vsgis_; }
    VsgiQuery& vsgi_query() { return query_; }
    const VsgiQuery& vsgi_query() const { return query_; }

    const VpeStats& stats() const { return stats_; }
    // LpiState's invariants for the resident vPE, VsgiState's, and the
    // state machine's: R1 idle/descheduling <-> Valid = 0; R2 nothing
    // pending while idle; R3 v4.0: no doorbell is ever armed.
    std::string check_invariants() const;

private:
    bool enabled_pending() const;   // an enabled vLPI or vSGI of the resident vPE is pending
    void verify() const;

    VpeStateConfig cfg_;
    LpiState lpi_;
    VsgiState vsgis_;
    VsgiQuery query_;
    uint64_t reg_ = 0;              // GICR_VPENDBASER without Dirty
    uint64_t vpropbaser_ = 0;       // as latched at the schedule
    Residency state_ = Residency::idle;
    uint64_t dirty_until_ps_ = 0;
    // The vPE in the resident state (scheduling, resident, descheduling).
    uint32_t vpeid_ = kUnknownVpeid;
    uint64_t vpt_addr_ = 0;
    bool tables_known_ = false;     // the resident vPE's VPT/configuration/range are set
    Change change_;
    std::set<uint32_t> armed_;      // v4.1: vPEIDs whose default doorbell is armed here
    VpeStats stats_;
};

}  // namespace itsim
