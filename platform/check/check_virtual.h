// The checker's GICv4 part (virtual.cpp): rule R7 "virtual" over the
// records of the virtual side - msi records through a virtual ITE (vpeid,
// vintid, resident, doorbell), vack, doorbell, residency, vlpi, and the
// command records that map or move virtual interrupts. The log does not
// record every change of a vLPI's pending state (commands acting on
// vLPIs have no pend records), so each rule asks only what the records
// imply (docs/check.md):
//   R7a a vLPI delivered to a resident vPE, whose byte was enabled before
//       that residency began and never written disabled, is acknowledged
//       (vack) after it, unless the vPE was descheduled, a command naming
//       the vPE (or a MAPD) completed after it, or the run stopped early;
//   R7b no vack of a vPE at a CPU where it was not resident: between the
//       GICR_VPENDBASER write that scheduled it (the residency record's
//       written_ps) and the one that descheduled it;
//   R7c doorbells. GICv4.0: a vLPI delivered to a non-resident vPE rings
//       the doorbell its ITE names (VMAPTI/VMAPI/VMOVI records), and only
//       then (one ITS; ITEs changed after the MSI was issued are skipped);
//       GICv4.1: a doorbell rings only for a request (a deschedule whose
//       residency record says doorbell_armed) at that CPU, once, and the
//       first enabled vLPI delivered to the non-resident vPE after such a
//       request rings it (unless a Default_Doorbell of 1023 was mapped); a
//       VMOVP to another redistributor (the one the ITS's VMAPP/VMOVP
//       records last named for the vPE) moves the request there.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "check/check_internal.h"

namespace itsim::check_detail {

// What names a redistributor in a command's RDbase (from the header).
struct RdbaseMap {
    bool pta = false;       // its.pta: RDbase = RD_base >> 16, else the processor number
    uint64_t cpus = 0;
    uint64_t base = 0, stride = 0;   // redist.base, redist.stride
    bool vmovp = true;      // its.vmovp: one VMOVP moves the vPE in every ITS
};

class VirtualTracker {
public:
    explicit VirtualTracker(Sink& sink) : sink_(sink) {}
    // From the header: gic.version ("3", "4.0", "4.1"), gic.vpes_per_vm, its.count.
    void configure(const std::string& version, uint64_t vpes_per_vm, uint64_t its_count, const RdbaseMap& rd = {});
    bool active() const { return v4_; }

    void msi(const Rec& r, const Fields& f);   // a delivered msi record with vintid
    void record(const Rec& r, const Fields& f);   // vack, doorbell, residency, vlpi (others ignored)
    void command(const Rec& r, const Fields& f);
    void finish(bool complete);

private:
    using CpuVpe = std::pair<uint32_t, uint32_t>;
    struct Owed {   // a vLPI delivered resident, not yet acknowledged
        uint64_t t = 0;
        RecordRef ref;
    };
    struct Residency {
        bool resident = false;
        uint64_t written = 0;
        RecordRef ref;
    };
    struct Held {   // a vack or doorbell seen before the residency record that explains it
        uint64_t t = 0;
        RecordRef ref;
    };
    struct Byte {   // a vLPI's configuration byte, per (VM, vINTID)
        bool enabled = false;
        uint64_t first_enabled = UINT64_MAX;
        bool disabled_after = false;
        uint64_t changed = 0;
    };
    void residency(const Rec& r, const Fields& f);
    void vack(const Rec& r, const Fields& f);
    void doorbell(const Rec& r, const Fields& f);
    uint64_t vm(uint32_t vpeid) const { return vpeid / (per_vm_ ? per_vm_ : 1); }
    // The CPU whose redistributor RDbase names, or -1.
    int64_t cpu_of(uint64_t rdbase) const;
    void vmovp(const Rec& r, const Fields& f, uint64_t its);

    Sink& sink_;
    bool v4_ = false, v41_ = false, one_its_ = true;
    uint64_t per_vm_ = 1;
    std::map<CpuVpe, Residency> res_;                 // (cpu, vPE)
    std::map<uint32_t, std::vector<uint64_t>> schedules_;   // vPE -> written_ps of each schedule, in order
    std::map<CpuVpe, std::vector<Held>> held_vacks_;  // not resident there (yet)
    std::map<CpuVpe, Held> last_vack_;
    std::map<std::pair<uint32_t, uint32_t>, Owed> owed_;   // (vPE, vINTID)
    std::map<std::pair<uint64_t, uint32_t>, Byte> bytes_;  // (VM, vINTID)
    // GICv4.1 doorbell requests: (cpu, vPE) -> written_ps of the deschedule.
    std::map<CpuVpe, uint64_t> armed_;
    std::map<CpuVpe, std::vector<Held>> held_rings_;  // rang before the request's record
    std::map<CpuVpe, uint64_t> last_ring_;
    std::set<uint32_t> no_default_;                   // vPEs mapped with Default_Doorbell 1023
    RdbaseMap rd_;
    std::map<std::pair<uint64_t, uint32_t>, uint32_t> vte_cpu_;   // (ITS, vPE) -> its VTE's CPU
    // GICv4.0, one ITS: the doorbell of each virtual ITE, (device, event).
    struct Ite {
        uint32_t doorbell = 1023;
        uint64_t changed = 0;
        bool known = true;
    };
    std::map<std::pair<uint32_t, uint32_t>, Ite> ites_;
    std::map<uint32_t, uint64_t> device_changed_;     // MAPD: its ITEs unknown from then on
};

}  // namespace itsim::check_detail
