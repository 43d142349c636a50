// GicrRegs: the GICR register file of one redistributor, as plain C++ beside
// LpiState (no simulation kernel). Its frame is a table (gicr_regs.cpp,
// make_frame(): one row per register) read by the access routine every
// frame shares (common/reg_frame.h). What a register write sets in motion -
// reading the pending table, writing it back, making an LPI pending,
// completing invalidations - is its owner's (GicrOwner, below): the
// Redistributor module implements it with its bus, its time and what
// blocks; a test implements it with a few fields.
//
// Registers (offsets from RD_base; the frame covers RD_base + SGI_base,
// 128 KiB, and every offset that is no row - the whole SGI_base frame
// included - is a bad access):
//
//   0x0000 GICR_CTLR      32 RW  EnableLPIs[0] (write mask); CES[1] RO =
//                                allow_disable; IR[2] RO = 1; RWP[3] RO = 0
//                                (every write's work is done when it
//                                returns); rest RES0. EnableLPIs reads the
//                                owner's state: 0 -> 1 calls enable_lpis()
//                                with the tables and the LPI range, 1 -> 0
//                                calls disable_lpis() (only with
//                                allow_disable; otherwise EnableLPIs is RES1
//                                once set and the write is ignored)
//   0x0004 GICR_IIDR      32 RO  config.iidr
//   0x0008 GICR_TYPER     64 RO  config.typer (the owner lays it out:
//                                redistributor.h)
//   0x0010 GICR_STATUSR   32 RAZ/WI (no error reporting)
//   0x0014 GICR_WAKER     32 RW  ProcessorSleep[1] (write mask; resets to 1);
//                                ChildrenAsleep[2] RO = ProcessorSleep
//   0x0040 GICR_SETLPIR   64 WO  pINTID[31:0]: a write reaching the low half
//                                calls set_lpi_pending(pINTID)
//   0x0048 GICR_CLRLPIR   64 WO  pINTID[31:0]: clear_lpi_pending(pINTID)
//   0x0070 GICR_PROPBASER 64 RW  IDbits[4:0], InnerCache[9:7],
//                                Shareability[11:10], PA[51:12],
//                                OuterCache[58:56]
//   0x0078 GICR_PENDBASER 64 RW  InnerCache[9:7], Shareability[11:10],
//                                PA[51:16], OuterCache[58:56], PTZ[62] (WO,
//                                reads 0)
//                                Writes to PROPBASER and PENDBASER are
//                                ignored while EnableLPIs = 1 (IHI 0069 makes
//                                them UNPREDICTABLE; KVM ignores them too),
//                                and counted (ignored(base_write)). PTZ is
//                                remembered from the last write reaching bit
//                                62 and consumed at the next EnableLPIs 0 -> 1.
//   0x00A0 GICR_INVLPIR   64 WO  INTID[31:0], V[63]. V = 1 (a GICv4.1 vLPI),
//                                a non-LPI INTID (below 8192 or past the
//                                range) and any write while LPIs are disabled
//                                are ignored (KVM fix d561491ba927) and
//                                counted (ignored(invalidation)); otherwise
//                                the INTID is queued for SYNCR. Past
//                                config.reg_inv_queue INTIDs the queue turns
//                                into one INVALLR (bounded state).
//   0x00B0 GICR_INVALLR   64 WO  V[63]: V = 1 or LPIs disabled: ignored and
//                                counted; otherwise every LPI is queued.
//   0x00C0 GICR_SYNCR     32 RO  Busy[0]. Reads 0: the read itself calls the
//                                owner's sync(), which completes the queued
//                                invalidations (take_invalidations()) and
//                                the pending-table writes on the reader's
//                                time (an implementation may stall the read,
//                                IHI 0069). A debug read does nothing.
//   0xFFE8 GICR_PIDR2     32 RO  0x3B: ArchRev[7:4] = 3 (GICv3)
//
// LPI range latched at EnableLPIs 0 -> 1 (GicrEnable::intid_limit):
// 8192 <= INTID < 2^(min(PROPBASER.IDbits, max_id_bits - 1) + 1);
// PROPBASER.IDbits < 13 leaves no LPI.
#pragma once

#include <cstdint>
#include <vector>

#include "itsim/common/reg_frame.h"

namespace itsim {

namespace gicr {
constexpr uint64_t CTLR = 0x0000;
constexpr uint64_t IIDR = 0x0004;
constexpr uint64_t TYPER = 0x0008;
constexpr uint64_t STATUSR = 0x0010;
constexpr uint64_t WAKER = 0x0014;
constexpr uint64_t SETLPIR = 0x0040;
constexpr uint64_t CLRLPIR = 0x0048;
constexpr uint64_t PROPBASER = 0x0070;
constexpr uint64_t PENDBASER = 0x0078;
constexpr uint64_t INVLPIR = 0x00A0;
constexpr uint64_t INVALLR = 0x00B0;
constexpr uint64_t SYNCR = 0x00C0;
constexpr uint64_t PIDR2 = 0xFFE8;
constexpr uint64_t SGI_base = 0x10000;
constexpr uint64_t FRAME_SIZE = 0x20000;   // RD_base + SGI_base

constexpr uint32_t CTLR_EnableLPIs = 1u << 0;
constexpr uint32_t CTLR_CES = 1u << 1;
constexpr uint32_t CTLR_IR = 1u << 2;
constexpr uint32_t CTLR_RWP = 1u << 3;
constexpr uint64_t TYPER_PLPIS = 1u << 0;
constexpr uint64_t TYPER_DirectLPI = 1u << 3;
constexpr uint64_t TYPER_Last = 1u << 4;
constexpr unsigned TYPER_Processor_Number_shift = 8;
constexpr unsigned TYPER_Affinity_shift = 32;
constexpr uint32_t WAKER_ProcessorSleep = 1u << 1;
constexpr uint32_t WAKER_ChildrenAsleep = 1u << 2;
constexpr uint64_t PA_51_12 = ((uint64_t{1} << 52) - 1) & ~uint64_t{0xFFF};
constexpr uint64_t PA_51_16 = ((uint64_t{1} << 52) - 1) & ~uint64_t{0xFFFF};
// InnerCache[9:7], Shareability[11:10], OuterCache[58:56] of PROPBASER and PENDBASER.
constexpr uint64_t BASER_InnerCache = uint64_t{7} << 7;
constexpr uint64_t BASER_Shareability = uint64_t{3} << 10;
constexpr uint64_t BASER_OuterCache = uint64_t{7} << 56;
constexpr uint64_t BASER_Attrs = BASER_InnerCache | BASER_Shareability | BASER_OuterCache;
constexpr uint64_t PROPBASER_IDbits = 0x1F;
constexpr uint64_t PROPBASER_Writable = PROPBASER_IDbits | BASER_Attrs | PA_51_12;
constexpr uint64_t PENDBASER_PTZ = uint64_t{1} << 62;
constexpr uint64_t PENDBASER_Writable = BASER_Attrs | PA_51_16;   // PTZ is not stored
constexpr uint64_t LPIR_INTID = 0xFFFFFFFF;        // SETLPIR/CLRLPIR pINTID, INVLPIR INTID
constexpr uint64_t INVLPIR_V = uint64_t{1} << 63;  // INVLPIR and INVALLR: a virtual INTID / vPE
constexpr uint32_t PIDR2_Value = 0x3B;
constexpr unsigned kMinIdBitsForLpis = 13;   // PROPBASER.IDbits below this: no LPIs
}  // namespace gicr

// What the register file's semantics depend on (the owner fills it in).
struct GicrConfig {
    uint32_t iidr = 0x01000000;     // GICR_IIDR
    uint64_t typer = 0;             // GICR_TYPER, laid out by the owner
    bool allow_disable = true;      // GICR_CTLR.CES: EnableLPIs may be cleared
    unsigned max_id_bits = 16;      // INTID bits the redistributor supports (14..24)
    unsigned reg_inv_queue = 64;    // INVLPIRs remembered until SYNCR
};

// What EnableLPIs 0 -> 1 hands the owner (PTZ is consumed by it).
struct GicrEnable {
    uint64_t prop_base = 0;     // PROPBASER.PA[51:12]
    uint64_t pend_base = 0;     // PENDBASER.PA[51:16]
    uint64_t intid_limit = 0;   // first INTID past the LPI range (<= 8192: no LPI)
    bool table_zero = false;    // PTZ was written as 1: the pending table is all zero
};

// Writes the register file ignores and its owner counts.
enum class GicrIgnored : uint8_t {
    base_write,     // PROPBASER/PENDBASER while EnableLPIs = 1
    invalidation,   // INVLPIR/INVALLR: V = 1, LPIs disabled, not an LPI in range
};

// The owner: the state the registers show and the work they start. Called
// from inside an access, synchronously; the blocking calls (enable_lpis,
// disable_lpis, set/clear_lpi_pending, sync) are never made by a debug access.
class GicrOwner {
public:
    virtual ~GicrOwner() = default;
    virtual bool lpis_enabled() const = 0;                 // GICR_CTLR.EnableLPIs
    virtual bool lpi_in_range(uint32_t intid) const = 0;   // of the range latched at enable
    virtual void enable_lpis(const GicrEnable& e) = 0;     // EnableLPIs 0 -> 1
    virtual void disable_lpis() = 0;                       // EnableLPIs 1 -> 0
    virtual void set_lpi_pending(uint32_t intid) = 0;      // GICR_SETLPIR
    virtual void clear_lpi_pending(uint32_t intid) = 0;    // GICR_CLRLPIR
    virtual void sync() = 0;                               // a GICR_SYNCR read
    virtual void ignored(GicrIgnored what) = 0;
};

// The context of one access.
struct GicrAccess {
    GicrOwner& owner;
    bool debug = false;   // transport_dbg: no side effect at all
};

class GicrRegs {
public:
    using Frame = RegFrame<GicrRegs, GicrAccess>;

    explicit GicrRegs(const GicrConfig& cfg = {});
    const GicrConfig& config() const { return cfg_; }
    const Frame& frame() const { return regs_; }

    // One access (reg_frame.h); false: a bad access (reads 0, no effect).
    bool read(GicrAccess& a, uint64_t offset, unsigned size, uint64_t* value) const {
        return regs_.read(*this, &a, offset, size, value);
    }
    bool write(GicrAccess& a, uint64_t offset, unsigned size, uint64_t value) {
        return regs_.write(*this, &a, offset, size, value);
    }

    // ---- State ----
    uint64_t propbaser() const { return propbaser_; }
    uint64_t pendbaser() const { return pendbaser_; }
    bool ptz() const { return ptz_; }                        // for the next EnableLPIs 0 -> 1
    bool processor_sleep() const { return processor_sleep_; }
    uint64_t lpi_limit() const;   // the range EnableLPIs 0 -> 1 would latch now

    // Invalidations written (INVLPIR, INVALLR) and not completed yet.
    struct Invalidations {
        bool all = false;                // an INVALLR (or an INVLPIR queue overflow)
        std::vector<uint32_t> intids;    // otherwise: these, in write order
    };
    bool invalidations_queued() const { return inv_all_ || !inv_.empty(); }
    Invalidations take_invalidations();   // and forget them
    void drop_invalidations();            // LPIs disabled: they have nothing left to do

private:
    static Frame make_frame(const GicrConfig& cfg);
    uint64_t read_ctlr(GicrAccess& a) const;
    void write_ctlr(uint64_t v, uint64_t mask, GicrAccess& a);
    uint64_t read_waker(GicrAccess& a) const;
    void write_waker(uint64_t v, uint64_t mask, GicrAccess& a);
    void write_setlpir(uint64_t v, uint64_t mask, GicrAccess& a);
    void write_clrlpir(uint64_t v, uint64_t mask, GicrAccess& a);
    uint64_t read_propbaser(GicrAccess& a) const;
    void write_propbaser(uint64_t v, uint64_t mask, GicrAccess& a);
    uint64_t read_pendbaser(GicrAccess& a) const;
    void write_pendbaser(uint64_t v, uint64_t mask, GicrAccess& a);
    void write_invlpir(uint64_t v, uint64_t mask, GicrAccess& a);
    void write_invallr(uint64_t v, uint64_t mask, GicrAccess& a);
    uint64_t read_syncr(GicrAccess& a) const;

    GicrConfig cfg_;
    uint64_t propbaser_ = 0, pendbaser_ = 0;
    bool ptz_ = false;
    bool processor_sleep_ = true;
    std::vector<uint32_t> inv_;
    bool inv_all_ = false;
    Frame regs_;
};

}  // namespace itsim
