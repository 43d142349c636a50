// What the models report about each MSI, command and acknowledge. The
// platform turns these into the event log and the statistics; the models
// only fill them in. Times are integer picoseconds of simulated time.
#pragma once

#include <cstdint>
#include <string_view>

#include "its_cmd.h"

namespace itsim {

struct MsiRecord {
    uint64_t tag = 0;            // MsiExtension::tag of the write
    uint32_t device = 0;
    uint32_t event = 0;
    bool delivered = false;      // made pending at a redistributor
    uint32_t intid = 0;          // when delivered
    uint32_t cpu = 0;            // processor number of the target, when delivered
    // When dropped: "its_disabled", "device_out_of_range", "device_unmapped",
    // "event_out_of_range", "interrupt_unmapped", "collection_unmapped",
    // "memory_error", "lpis_disabled", "intid_out_of_range", ... The models
    // set it from string literals only (static storage): copying a record
    // copies no characters. Empty while delivered.
    std::string_view reason;
    // Stage stamps (0 = stage not reached).
    uint64_t accepted_ps = 0;    // the ITS took the GITS_TRANSLATER write
    uint64_t started_ps = 0;     // a translation slot began work on it
    uint64_t device_ps = 0;      // DTE known (cache or table)
    uint64_t event_ps = 0;       // ITE known
    uint64_t collection_ps = 0;  // CTE known
    uint64_t pending_ps = 0;     // pending at the target redistributor
    // How it was found.
    bool device_hit = false, event_hit = false, collection_hit = false;
    uint32_t table_reads = 0;    // bus reads the translation issued
    // GICv4: the ITE was virtual (intid is then the vINTID, cpu the
    // processor number of the vPE's redistributor; the VTE stamps
    // collection_ps and its vPE-cache hit is collection_hit).
    bool virt = false;
    uint32_t vpeid = 0, vintid = 0;
    uint32_t doorbell = 1023;    // the ITE's Dbell_pINTID (GICv4.0; 1023 = none)
};

struct CommandRecord {
    uint64_t offset = 0;         // byte offset of the command in the queue
    ItsCommand cmd;              // as decoded from the queue
    uint32_t status = 0;         // 0 = ok, else the architected error code
    bool memory_error = false;   // a bus error while reading the command or a table
    uint64_t fetched_ps = 0;     // the command's 32 bytes were read
    uint64_t done_ps = 0;        // CREADR moved past it
    uint32_t table_reads = 0;
    uint32_t table_writes = 0;
    // The redistributor(s) the command acted on, by processor number, and
    // the LPI (INT, CLEAR, INV, DISCARD, MOVI that moved pending state:
    // lpi_cpu is the old target, to_cpu the new one; INVALL: lpi_cpu only).
    bool has_lpi = false, has_cpu = false, has_to_cpu = false;
    uint32_t lpi_intid = 0, lpi_cpu = 0, to_cpu = 0;
    // GICv4: the vPE a virtual command (or INT/CLEAR/INV/DISCARD of a
    // virtual ITE) acted on, the vLPI (those four, VMAPTI, VMAPI, VMOVI) and
    // the processor number of the redistributor the ITS sent the vPE's op
    // to (VMOVI: the old vPE's; VMOVP: the new one; VMAPP V=1: the mapped).
    bool has_vpe = false, has_vintid = false, has_vcpu = false;
    uint32_t vpeid = 0, vintid = 0, vcpu = 0;
};

struct StallRecord {
    uint64_t t_ps = 0;
    uint64_t creadr = 0;         // GITS_CREADR offset of the stalled command
    uint32_t error = 0;          // its error code (0 for a memory error)
};

struct AckRecord {
    uint32_t cpu = 0;
    uint32_t intid = 0;
    uint64_t t_ps = 0;           // ICC_IAR1 read returned the INTID
    uint64_t signalled_ps = 0;   // the CPU's interrupt line went high for it
    uint64_t eoi_ps = 0;         // the handler ended (EOI)
    uint8_t priority = 0;        // the priority the redistributor selected it with
    // cpu.preempt = 1: time the handler spent interrupted by higher-priority
    // handlers (physical or virtual) between t_ps and eoi_ps; 0 otherwise.
    uint64_t preempted_ps = 0;
};

// A virtual interrupt the CPU took through its virtual CPU interface
// (ICV_IAR1_EL1, GICv4): a vLPI (vintid >= 8192) or a vSGI (0..15) of the
// vPE resident on the CPU's redistributor. Reported at its EOI.
struct VackRecord {
    uint32_t cpu = 0;
    uint32_t vpeid = 0;
    uint32_t vintid = 0;
    uint64_t t_ps = 0;           // ICV_IAR1 read returned the vINTID
    uint64_t signalled_ps = 0;   // the virtual line went high for it
    uint64_t eoi_ps = 0;         // the handler ended (ICV_EOIR1)
    uint8_t priority = 0;        // the priority it was selected with
    uint64_t preempted_ps = 0;   // as AckRecord::preempted_ps
};

// GICv4: a residency change at a redistributor (a GICR_VPENDBASER write
// that set or cleared Valid), reported once its memory work is done.
struct ResidencyRecord {
    uint32_t cpu = 0;             // processor number of the redistributor
    uint32_t vpeid = 0;           // v4.1: VPENDBASER.vPEID; v4.0: 0xFFFFFFFF (the RD knows the VPT,
                                  // vpt_addr) unless an operation named the vPE while it was resident
    uint64_t vpt_addr = 0;        // the vPE's VPT (v4.0: VPENDBASER.PA; v4.1: from its VTE)
    bool resident = false;        // true: Valid 0 -> 1 (schedule); false: 1 -> 0 (deschedule)
    uint64_t t_ps = 0;            // the write reached the redistributor
    uint64_t dirty_ps = 0;        // Dirty reads 0 from then on (VPT parse / write-back done)
    bool pending_last = false;    // deschedule: an enabled vLPI or vSGI was pending (PendingLast)
    bool doorbell_armed = false;  // deschedule, v4.1: the default doorbell was armed
    uint32_t vlpis = 0;           // schedule: vLPIs found pending in the VPT; deschedule: VPT bytes written
};

// GICv4: a doorbell rung at a redistributor (a vLPI or vSGI reached a
// non-resident vPE): `intid` is made pending here as a physical LPI.
struct DoorbellRecord {
    uint32_t cpu = 0;
    uint32_t vpeid = 0;
    uint32_t intid = 0;           // the doorbell's pINTID
    uint32_t vintid = 0;          // the vLPI (or vSGI) that rang it
    bool vsgi = false;
    uint64_t t_ps = 0;            // the doorbell rang (its set_pending starts)
};

}  // namespace itsim
