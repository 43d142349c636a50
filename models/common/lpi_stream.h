// The ITS-to-redistributor stream (the GIC-600 "ITS to redistributor"
// messages) as one message type bound through a port.
//
// An ITS sends an LpiOp to the redistributor a command or an MSI names and
// gets an LpiResult back. The redistributor implements LpiStreamIf; the ITS
// reaches every redistributor through one multi-port, `Its::rd`
// (sc_core::sc_port<LpiStreamIf, 0>), which the platform binds once per
// redistributor, in redistributor-index order, before simulation:
//     for (auto& r : redists) its.rd(*r);      // its.rd(redist0); its.rd(redist1); ...
// The binding order is the index the ITS's core uses (ItsEnv::send(rd, op),
// its_core.h). At the end of elaboration the ITS reads processor_number()
// and rd_base() of each bound redistributor: a command's RDbase is resolved
// against processor_number() (GITS_TYPER.PTA = 0) or rd_base() (PTA = 1).
// At least one redistributor must be bound (the port's default policy).
//
// deliver() runs in the caller's thread with the caller's Timeline, so the
// redistributor charges its own cycles and bus time to the caller
// (loosely-timed style), and it may wait in accurate mode - except for an
// op with `posted` set (fast mode's inline translation, called from inside
// another process's b_transport): then nothing waits, the decision is made
// now and the effect is recorded at tl.now() on return by the
// redistributor's own process, so nothing sees it earlier. `posted` is not
// a second interface: every implementation honours it (set_pending is the
// only kind the ITS posts; an implementation that never waits anyway may
// treat it as a plain set_pending), and the ITS posts whenever it runs in
// fast mode.
//
// The physical kinds are GICv3's. The virtual kinds (GICv4) carry the vPE
// as the ITS read it from its vPE table entry; a redistributor without
// GICv4 answers them with `unsupported`.
//
// Plain C++ but for the interface's sc_interface base.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>

#include "itsim/common/lpi_target.h"
#include "itsim/common/timeline.h"

namespace itsim {

// Dbell_pINTID / Default_Doorbell 1023: no doorbell.
constexpr uint32_t kNoDoorbellIntid = 1023;

// A vPE as the ITS read it from its vPE table entry (VTE).
struct VpeRef {
    uint32_t vpeid = 0;
    uint64_t vpt_addr = 0;                         // physical address of the VPT, 64 KB aligned
    uint8_t vpt_size = 0;                          // VPT_size: vINTID bits - 1
    uint64_t vconf_addr = 0;                       // GICv4.1: the vLPI configuration table
    uint32_t default_doorbell = kNoDoorbellIntid;  // GICv4.1: Default_Doorbell pINTID
};

// VMOVP (GICv4.1): what a vPE's state at its old redistributor that is not
// in memory - its armed default doorbell and its vSGIs - as the old one
// hands it over (vmovp_from's result) and the new one takes it (vmovp).
struct VpeHandover {
    bool doorbell_armed = false;
    bool vsgis = false;          // the vSGIs below are held (else: reset)
    uint16_t vsgi_pending = 0;   // bit n: vSGI n pending
    uint8_t vsgi_config[16] = {};  // per vSGI: Enable[0], Group[1], Priority[7:4]
};

struct LpiOp {
    enum class Kind : uint8_t {
        // GICv3 (physical LPIs, `intid` is the pINTID)
        set_pending,    // make intid pending (MSI, INT, MOVI's destination side)
        clear_pending,  // CLEAR, DISCARD, MOVI's source side
        inv,            // INV: re-read intid's configuration
        invall,         // INVALL: drop cached configuration, re-read the pending LPIs'
        sync,           // SYNC: every earlier op to this redistributor is visible
        take_all,       // MOVALL source side: clear and return every pending LPI
        // GICv4 (virtual LPIs of `vpe`, `intid` is the vINTID)
        set_vlpi,       // MSI/INT to a virtual ITE; `doorbell` is the ITE's Dbell_pINTID (v4.0)
        clear_vlpi,     // CLEAR/DISCARD on a virtual ITE, VMOVI's source side
        inv_vlpi,       // INV on a virtual ITE
        vinvall,        // VINVALL
        vsync,          // VSYNC
        invdb,          // INVDB (v4.1): re-read the default doorbell's configuration
        vmovp,          // VMOVP: `vpe` now belongs to this redistributor
        set_vsgi,       // GITS_SGIR (v4.1): vSGI `intid` of `vpe` becomes pending
        vsgi_config,    // VSGI (v4.1): configure (and with `clear` clear) vSGI `intid`
        vmovp_from,     // VMOVP (v4.1): `vpe` leaves this redistributor; its handover in the result
    };
    Kind kind = Kind::set_pending;
    uint32_t intid = 0;
    bool posted = false;                   // set_pending only: see the file comment
    VpeRef vpe{};                          // virtual kinds
    uint32_t doorbell = kNoDoorbellIntid;  // set_vlpi
    // vsgi_config
    uint8_t priority = 0;
    bool group = false, enable = false, clear = false;
    VpeHandover handover{};                // vmovp (v4.1): the state vmovp_from gave

    static LpiOp physical(Kind k, uint32_t intid = 0) {
        LpiOp op;
        op.kind = k;
        op.intid = intid;
        return op;
    }
    static LpiOp virt(Kind k, const VpeRef& vpe, uint32_t vintid = 0) {
        LpiOp op;
        op.kind = k;
        op.vpe = vpe;
        op.intid = vintid;
        return op;
    }
    bool is_virtual() const { return kind >= Kind::set_vlpi; }
};
const char* to_string(LpiOp::Kind k);

struct LpiResult {
    LpiRefusal refusal = LpiRefusal::none;  // set_pending, set_vlpi
    bool was_pending = false;               // clear_pending, clear_vlpi
    std::vector<uint32_t> taken;            // take_all, in INTID order
    bool unsupported = false;               // this redistributor does not implement the kind
    // set_vlpi, set_vsgi (GICv4): whether the vPE was resident there, and
    // the doorbell rung for it (kNoDoorbellIntid: none).
    bool resident = false;
    uint32_t doorbell = kNoDoorbellIntid;
    VpeHandover handover{};                 // vmovp_from
};

class LpiStreamIf : public virtual sc_core::sc_interface {
public:
    // GICR_TYPER.Processor_Number and the RD_base address: the two RDbase
    // encodings (GITS_TYPER.PTA = 0 / 1).
    virtual uint32_t processor_number() const = 0;
    virtual uint64_t rd_base() const = 0;
    virtual LpiResult deliver(const LpiOp& op, Timeline& tl) = 0;
};

}  // namespace itsim
