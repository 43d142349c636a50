// VsgiState: the GICv4.1 virtual SGIs a redistributor holds, as plain C++
// (no simulation kernel). Part of the redistributor's virtual side
// (vpe_state.h).
//
// Per vPE, 16 vSGIs (vINTIDs 0..15), each {pending, enable, group,
// priority[7:4]}. Where an implementation keeps this state is IMPLEMENTATION
// DEFINED (IHI 0069 leaves it open; no public GIC-700 figure): itsim keeps
// it in the redistributor that receives the vSGI operations, keyed by
// vPEID, in a map holding only vPEs that have a non-reset vSGI (reset: not
// pending, disabled, group 0, priority 0). Memory is bounded by 2^16 vPEIDs
// x one small record. A vPE moved to another redistributor by VMOVP takes
// its vSGI state with it (VpeState::hand_over / take_over, vpe_state.h).
//
// Operations (the ITS-to-redistributor stream, lpi_stream.h):
//   set_pending(vpeid, n)          GITS_SGIR: vSGI n becomes pending
//   configure(vpeid, n, e, g, p)   VSGI with Clear = 0: Enable, Group and
//                                  Priority[7:4] change, pending does not
//   clear(vpeid, n)                VSGI with Clear = 1: pending is cleared,
//                                  the configuration does not change
// ("You just can't do both at once", so a VSGI is one or the other.)
//
// Selection for the virtual CPU interface (a resident vPE): the
// highest-priority vSGI that is pending, enabled and whose group is enabled
// (VGrp0En/VGrp1En of GICR_VPENDBASER), lower priority value first, ties to
// the lower vINTID. vSGIs have no active state ("active-less SGIs", the
// guest opted in through GICD_CTLR.nASSGIreq): an acknowledge clears pending.
//
// GICR_VSGIR / GICR_VSGIPENDR: a query (VsgiQuery) for one vPEID is Busy
// for a fixed time from the VSGIR write; once Busy reads 0, Pending[15:0]
// reads the vPE's pending vSGIs at the time of the read (the state held
// here; itsim takes no snapshot). A VSGIR write while Busy = 1 is ignored
// (one of the two CONSTRAINED UNPREDICTABLE outcomes; counted by the owner).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace itsim {

namespace vsgi {
constexpr unsigned kCount = 16;              // vINTIDs 0..15
constexpr uint8_t kPriorityMask = 0xF0;      // Priority[7:4] as the VSGI command carries it
constexpr uint32_t kNone = 1023;             // nothing selectable
}  // namespace vsgi

// One vSGI's state.
struct Vsgi {
    bool pending = false;
    bool enable = false;
    bool group = false;       // 0 = Group 0, 1 = Group 1
    uint8_t priority = 0;     // priority[7:4] in place (bits 3:0 zero)
    bool operator==(const Vsgi& o) const {
        return pending == o.pending && enable == o.enable && group == o.group && priority == o.priority;
    }
};

// The 16 vSGIs of one vPE.
struct VsgiSet {
    Vsgi sgi[vsgi::kCount];

    uint16_t pending_mask() const;
    // Pending and enabled (whatever the group enables): what PendingLast
    // and the v4.1 doorbell count as "enabled pending".
    bool any_enabled_pending() const;
    // The vSGI the virtual interface would take with these group enables:
    // its vINTID, or vsgi::kNone.
    uint32_t highest(bool grp0_en, bool grp1_en) const;
    bool is_reset() const;
};

class VsgiState {
public:
    // n >= 16 is ignored (returns false). set_pending: whether it was not
    // pending before; clear: whether it was pending.
    bool set_pending(uint32_t vpeid, uint32_t n);
    void configure(uint32_t vpeid, uint32_t n, bool enable, bool group, uint8_t priority);
    bool clear(uint32_t vpeid, uint32_t n);
    // The vSGI `n` of vpeid (a reset one if none is held).
    Vsgi get(uint32_t vpeid, uint32_t n) const;
    const VsgiSet* find(uint32_t vpeid) const;
    uint16_t pending_mask(uint32_t vpeid) const;
    bool any_enabled_pending(uint32_t vpeid) const;
    // The highest-priority selectable vSGI of vpeid (vsgi::kNone if none),
    // and its priority.
    uint32_t highest(uint32_t vpeid, bool grp0_en, bool grp1_en, uint8_t* priority = nullptr) const;
    // Acknowledge: clear the pending state of the vSGI highest() returns.
    uint32_t acknowledge(uint32_t vpeid, bool grp0_en, bool grp1_en, uint8_t* priority = nullptr);
    size_t vpes_held() const { return sets_.size(); }
    // Every held set differs from reset; an empty string when that holds.
    std::string check_invariants() const;

private:
    VsgiSet& at(uint32_t vpeid) { return sets_[vpeid]; }
    void tidy(uint32_t vpeid);   // forget a set that went back to reset
    void verify() const;
    std::map<uint32_t, VsgiSet> sets_;
};

// GICR_VSGIR / GICR_VSGIPENDR (see the file comment). Times in ps.
class VsgiQuery {
public:
    // A VSGIR write at `now`; false when ignored (Busy).
    bool start(uint32_t vpeid, uint64_t now_ps, uint64_t busy_ps);
    bool busy(uint64_t now_ps) const { return started_ && now_ps < done_ps_; }
    // GICR_VSGIPENDR as read at `now`: Busy[31] while busy (Pending reads 0
    // then: UNKNOWN in the architecture), else Pending[15:0] of the vPEID
    // last written (0 before any query).
    uint32_t read(const VsgiState& s, uint64_t now_ps) const;
    uint32_t vpeid() const { return vpeid_; }
    uint64_t done_ps() const { return done_ps_; }

private:
    bool started_ = false;
    uint32_t vpeid_ = 0;
    uint64_t done_ps_ = 0;
};

namespace vsgi {
constexpr uint32_t kPendrBusy = 1u << 31;    // GICR_VSGIPENDR.Busy
constexpr uint32_t kPendrPending = 0xFFFF;   // GICR_VSGIPENDR.Pending[15:0]
constexpr uint32_t kVsgirVpeid = 0xFFFF;     // GICR_VSGIR.vPEID[15:0]
}  // namespace vsgi

}  // namespace itsim
