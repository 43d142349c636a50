// Waveforms of the virtual path (GICv4): the signals `itsim run --vcd`
// adds when gic.version is 4.0 or 4.1 (with version 3 none of them
// exists, so a v3 VCD is what it always was). They come after every
// GICv3 signal, so those keep their VCD identifiers.
//
//   cpuN.virq                 [1]  sampled  the redistributor's virtual line to CPU N's
//                                           virtual interface
//   cpuN.vintid               [32] stamped  the vLPI (or vSGI) CPU N's virtual interface
//                                           is handling: from its ICV_IAR1 read
//                                           (VackRecord.t_ps) to its ICV_EOIR1 (eoi_ps);
//                                           z while no virtual handler runs
//   gicrN.vpe.dirty           [1]  stamped  GICR_VPENDBASER.Dirty as software reads it:
//                                           1 from the write that set or cleared Valid
//                                           (ResidencyRecord.t_ps) to dirty_ps (the VPT
//                                           parse or write-back and the engine's
//                                           redist.vpt_parse_cycles are over)
//   gicrN.vpe.vpending        [24] sampled  vLPIs pending in the resident vPE's state
//                                           (while it is scheduled or written back)
//   gicrN.doorbells           [16] sampled  doorbell LPIs pending at redistributor N
//                                           (those rung here; each until it is taken)
//   vpeV.cpu                  [8]  stamped  the CPU whose redistributor has vPE V
//                                           resident: from the schedule's GICR_VPENDBASER
//                                           write reaching it to the deschedule's; z
//                                           while V is resident nowhere
// The V commands show in the command lane as the physical ones do
// (its.engine.opcode: VMAPP 0x29, VMOVP 0x22, ...; tools/gtkw/opcode.txt
// names them). With several ITSs (its.count = N) ITS n >= 1 has a lane of
// its own, as ITS 0's (vcd.h; sampled at its on_probe):
//   itsN.cmdq.{creadr,cwriter} [20], itsN.cmdq.occupancy [16],
//   itsN.engine.state [2], itsN.engine.opcode [8]
//
// How. The stamped signals are the models' own reports (the CPU's on_vack
// at the EOI, the redistributor's on_residency when the write's memory work
// is done), chained after the platform's callbacks. A residency report
// comes after its write by the whole parse, longer than the writer's lag:
// so while a redistributor is scheduling or descheduling (seen at the end
// of the kernel time step the write happened in, which is no later than
// the write's own time in either mode) the writer holds every change from
// then on (VcdWriter::set_hold) until the report gives the write's time.
// The sampled ones are read in the writer's step hook: a few loads per
// redistributor, plus one lookup per doorbell rung and not yet taken.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "itsim/common/records.h"
#include "vcd.h"

namespace itsim {

class System;

class VcdV4 {
public:
    // Registers the signals on `vcd` and chains the callbacks (restored by
    // the destructor). Call before the first step.
    VcdV4(System& sys, VcdWriter& vcd);
    ~VcdV4();
    VcdV4(const VcdV4&) = delete;
    VcdV4& operator=(const VcdV4&) = delete;

    // From the writer's step hook, before the traced values are read.
    void on_step(uint64_t now_ps);
    // The writer's lag this needs (the virtual acknowledge is reported at its EOI).
    uint64_t lag_ps() const;

private:
    struct Lane {   // ITS n >= 1's command lane
        unsigned n = 0;
        unsigned creadr = 0, cwriter = 0, occupancy = 0, state = 0, opcode = 0;
        uint8_t last_engine = 0;
        std::function<void()> prev;
    };
    void on_probe(Lane& l);
    void on_residency(const ResidencyRecord& r);
    uint32_t vpeid_of(const ResidencyRecord& r) const;

    System& sys_;
    VcdWriter& vcd_;
    unsigned vpes_ = 0;

    // Sampled values.
    std::vector<unsigned char> virq_;   // bool per CPU (sc_trace of a vector<bool> element is not possible)
    std::vector<unsigned> vpending_, doorbells_;
    // Stamped signals.
    std::vector<uint32_t> vintid_var_, dirty_var_, vpe_cpu_var_;
    // Redistributors in a schedule or deschedule whose report has not come:
    // the kernel time it was first seen (the hold).
    std::vector<uint64_t> held_since_;
    std::vector<bool> held_;
    // Per redistributor: doorbell INTIDs rung there -> seen pending since.
    std::vector<std::map<uint32_t, bool>> watched_;

    std::vector<std::unique_ptr<Lane>> lanes_;
    std::vector<std::function<void(const VackRecord&)>> prev_vack_;
    std::vector<std::function<void(const ResidencyRecord&)>> prev_residency_;
    std::vector<std::function<void(const DoorbellRecord&)>> prev_doorbell_;
};

}  // namespace itsim
