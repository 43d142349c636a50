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
//   0xFFE8 GICR_PIDR2     32 RO  0x3B: ArchRev[7:4] = 3 (GICv3); 0x4B with GICv4
//
// GICv4 (config.version 4.0 or 4.1): the frame is 4 x 64 KiB (RD_base,
// SGI_base, VLPI_base at +0x20000, a reserved frame), with these rows; with
// version 3 none of them exists and every row above is as listed.
//   0x20070 GICR_VPROPBASER 64 RW  v4.0: the vLPI configuration table, the
//                                  PROPBASER layout (IDbits, PA[51:12],
//                                  attributes). v4.1: the vPE configuration
//                                  table (Valid, Entry_Size RO = 3, Indirect,
//                                  Page_Size, Z, PA[51:12], Size, attributes).
//                                  Writes while VPENDBASER.Valid = 1 are
//                                  ignored and counted (ignored(base_write)):
//                                  UNPREDICTABLE in IHI 0069.
//   0x20078 GICR_VPENDBASER 64 RW  read and written through the owner
//                                  (read_vpendbaser / write_vpendbaser): the
//                                  residency state machine (vpe_state.h)
//   0x20080 GICR_VSGIR      32 WO  v4.1: vPEID[15:0] -> owner.write_vsgir
//   0x20088 GICR_VSGIPENDR  32 RO  v4.1: Busy[31], Pending[15:0] from the owner
// GICR_INVLPIR / GICR_INVALLR with V = 1 under v4.1: vPEID[47:32] (and the
// vINTID) go to owner.invalidate_virtual at the write, whether or not
// physical LPIs are enabled (the write's work is done when it returns;
// SYNCR then has nothing of it to wait for). With v3 and v4.0, V = 1 is
// ignored and counted as above.
//
// LPI range latched at EnableLPIs 0 -> 1 (GicrEnable::intid_limit):
// 8192 <= INTID < 2^(min(PROPBASER.IDbits, max_id_bits - 1) + 1);
// PROPBASER.IDbits < 13 leaves no LPI.
#pragma once

#include <cstdint>
#include <vector>

#include "itsim/common/gic_version.h"
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

// ---- GICv4: GICR_TYPER bits, PIDR2, the VLPI_base frame ----
constexpr uint64_t TYPER_VLPIS = uint64_t{1} << 1;
constexpr uint64_t TYPER_Dirty = uint64_t{1} << 2;
constexpr uint64_t TYPER_RVPEID = uint64_t{1} << 7;
constexpr uint64_t TYPER_VSGI = uint64_t{1} << 26;
constexpr uint32_t PIDR2_Value_v4 = 0x4B;          // ArchRev[7:4] = 4
constexpr uint64_t VLPI_base = 0x20000;
constexpr uint64_t VPROPBASER = VLPI_base + 0x70;
constexpr uint64_t VPENDBASER = VLPI_base + 0x78;
constexpr uint64_t VSGIR = VLPI_base + 0x80;       // GICv4.1
constexpr uint64_t VSGIPENDR = VLPI_base + 0x88;   // GICv4.1
constexpr uint64_t FRAME_SIZE_V4 = 0x40000;        // RD_base, SGI_base, VLPI_base, reserved
// GICR_VPENDBASER, both layouts (IHI 0069; GICv4.1 drops the address).
constexpr uint64_t VPEND_Valid = uint64_t{1} << 63;
constexpr uint64_t VPEND_IDAI = uint64_t{1} << 62;          // GICv4.0
constexpr uint64_t VPEND_Doorbell = uint64_t{1} << 62;      // GICv4.1
constexpr uint64_t VPEND_PendingLast = uint64_t{1} << 61;
constexpr uint64_t VPEND_Dirty = uint64_t{1} << 60;         // RO
constexpr uint64_t VPEND_VGrp0En = uint64_t{1} << 59;       // GICv4.1
constexpr uint64_t VPEND_VGrp1En = uint64_t{1} << 58;       // GICv4.1
constexpr uint64_t VPEND_vPEID = 0xFFFF;                    // GICv4.1: 16-bit vPEIDs
constexpr uint64_t VPEND_Writable_v40 =
    VPEND_Valid | VPEND_IDAI | VPEND_PendingLast | BASER_Attrs | PA_51_16;
constexpr uint64_t VPEND_Writable_v41 =
    VPEND_Valid | VPEND_Doorbell | VPEND_PendingLast | VPEND_VGrp0En | VPEND_VGrp1En | VPEND_vPEID;
// GICR_VPROPBASER. GICv4.0: the vLPI configuration table, as PROPBASER
// (IDbits[4:0], PA[51:12], attributes). GICv4.1: the vPE configuration
// table, "a mix of VPROPBASER and GITS_BASER": Valid[63], Entry_Size[61:59]
// RO (doublewords per entry - 1), OuterCache[58:56], Indirect[55],
// Page_Size[54:53], Z[52], PA[51:12], Shareability[11:10], InnerCache[9:7],
// Size[6:0] (pages - 1).
constexpr uint64_t VPROP_Writable_v40 = PROPBASER_Writable;
constexpr uint64_t VPROP41_Valid = uint64_t{1} << 63;
constexpr unsigned VPROP41_Entry_Size_shift = 59;
constexpr uint64_t VPROP41_Entry_Size = uint64_t{7} << VPROP41_Entry_Size_shift;
constexpr uint64_t VPROP41_Indirect = uint64_t{1} << 55;
constexpr unsigned VPROP41_Page_Size_shift = 53;
constexpr uint64_t VPROP41_Page_Size = uint64_t{3} << VPROP41_Page_Size_shift;
constexpr uint64_t VPROP41_Z = uint64_t{1} << 52;
constexpr uint64_t VPROP41_Size = 0x7F;
constexpr uint64_t VPROP_Writable_v41 = VPROP41_Valid | BASER_OuterCache | VPROP41_Indirect | VPROP41_Page_Size |
                                        VPROP41_Z | PA_51_12 | BASER_Shareability | BASER_InnerCache | VPROP41_Size;
constexpr unsigned kVpeEntryBytes = 32;   // the vPE table entry (its_tables.h), Entry_Size = 3 doublewords - 1
constexpr uint64_t VPROP41_Entry_Size_Value = uint64_t{kVpeEntryBytes / 8 - 1} << VPROP41_Entry_Size_shift;
// GICR_INVLPIR / GICR_INVALLR with V = 1 (GICv4.1): vPEID[47:32].
constexpr unsigned INVLPIR_vPEID_shift = 32;
constexpr uint64_t INVLPIR_vPEID = uint64_t{0xFFFF} << INVLPIR_vPEID_shift;
}  // namespace gicr

// The GICR span of one redistributor and its TYPER/PIDR2 version bits
// (with v3 exactly those of a GICv3 redistributor).
constexpr uint64_t gicr_frame_size(GicVersion v) { return v != GicVersion::v3 ? gicr::FRAME_SIZE_V4 : gicr::FRAME_SIZE; }
constexpr uint64_t gicr_typer_version_bits(GicVersion v) {
    return v == GicVersion::v3   ? 0
           : v == GicVersion::v4_0 ? (gicr::TYPER_VLPIS | gicr::TYPER_Dirty)
                                   : (gicr::TYPER_VLPIS | gicr::TYPER_Dirty | gicr::TYPER_RVPEID | gicr::TYPER_VSGI);
}
constexpr uint32_t gicr_pidr2(GicVersion v) { return v != GicVersion::v3 ? gicr::PIDR2_Value_v4 : gicr::PIDR2_Value; }

// What the register file's semantics depend on (the owner fills it in).
struct GicrConfig {
    uint32_t iidr = 0x01000000;     // GICR_IIDR
    uint64_t typer = 0;             // GICR_TYPER, laid out by the owner
    bool allow_disable = true;      // GICR_CTLR.CES: EnableLPIs may be cleared
    unsigned max_id_bits = 16;      // INTID bits the redistributor supports (14..24)
    unsigned reg_inv_queue = 64;    // INVLPIRs remembered until SYNCR
    GicVersion version = GicVersion::v3;   // 4.0/4.1: the VLPI_base frame (below)
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

    // ---- GICv4 (the VLPI_base frame; never called with version 3) ----
    // GICR_VPENDBASER as read now (Valid, Dirty, PendingLast, ...), and a
    // write (value, mask as reg_frame.h gives them): the residency state
    // machine is the owner's (vpe_state.h).
    virtual uint64_t read_vpendbaser() const { return 0; }
    virtual void write_vpendbaser(uint64_t value, uint64_t mask) { (void)value, (void)mask; }
    // GICR_VSGIR (v4.1): start a query of vPEID's pending vSGIs;
    // GICR_VSGIPENDR: Busy[31], Pending[15:0].
    virtual void write_vsgir(uint32_t vpeid) { (void)vpeid; }
    virtual uint32_t read_vsgipendr() const { return 0; }
    // GICR_INVLPIR (all = false: vINTID) / GICR_INVALLR (all = true) with
    // V = 1 (v4.1): re-read the vLPI configuration of vPEID if it is
    // resident here; nothing otherwise.
    virtual void invalidate_virtual(uint32_t vpeid, bool all, uint32_t vintid) { (void)vpeid, (void)all, (void)vintid; }
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
    uint64_t vpropbaser() const;   // GICv4: GICR_VPROPBASER as it reads
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
    // GICv4
    uint64_t read_vpropbaser(GicrAccess& a) const;
    void write_vpropbaser(uint64_t v, uint64_t mask, GicrAccess& a);
    uint64_t read_vpendbaser(GicrAccess& a) const;
    void write_vpendbaser(uint64_t v, uint64_t mask, GicrAccess& a);
    void write_vsgir(uint64_t v, uint64_t mask, GicrAccess& a);
    uint64_t read_vsgipendr(GicrAccess& a) const;

    GicrConfig cfg_;
    uint64_t propbaser_ = 0, pendbaser_ = 0, vpropbaser_ = 0;
    bool ptz_ = false;
    bool processor_sleep_ = true;
    std::vector<uint32_t> inv_;
    bool inv_all_ = false;
    Frame regs_;
};

}  // namespace itsim
