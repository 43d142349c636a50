// GicrRegs (gicr_regs.h): the GICR frame as a table, and its handlers.
#include "itsim/redist/gicr_regs.h"

#include <algorithm>

namespace itsim {

GicrRegs::GicrRegs(const GicrConfig& cfg) : cfg_(cfg), regs_(make_frame(cfg)) {}

// One row per register. The write mask is what a write may change; a row
// without a read handler is a constant (its reset value). GICv4 adds the
// VLPI_base frame as rows at RD_base + 0x20000 + (GICR_VPROPBASER 0x70,
// GICR_VPENDBASER 0x78, and with v4.1 GICR_VSGIR 0x80, GICR_VSGIPENDR 0x88)
// in a frame of 0x40000 bytes.
GicrRegs::Frame GicrRegs::make_frame(const GicrConfig& cfg) {
    using A = RegAccess;
    using R = GicrRegs;
    const uint64_t ctlr_reset = (cfg.allow_disable ? gicr::CTLR_CES : 0) | gicr::CTLR_IR;
    const uint64_t waker_reset = gicr::WAKER_ProcessorSleep | gicr::WAKER_ChildrenAsleep;
    // The GICv3 rows, the same with every version (PIDR2's ArchRev aside):
    //   offset          name              width reset        access     write mask                 read                write
#define ITSIM_GICR_V3_ROWS \
        {gicr::CTLR,      "GICR_CTLR",      32, ctlr_reset,    A::rw,     gicr::CTLR_EnableLPIs,      &R::read_ctlr,      &R::write_ctlr}, \
        {gicr::IIDR,      "GICR_IIDR",      32, cfg.iidr,      A::ro,     0,                          nullptr,            nullptr}, \
        {gicr::TYPER,     "GICR_TYPER",     64, cfg.typer,     A::ro,     0,                          nullptr,            nullptr}, \
        {gicr::STATUSR,   "GICR_STATUSR",   32, 0,             A::raz_wi, 0,                          nullptr,            nullptr}, \
        {gicr::WAKER,     "GICR_WAKER",     32, waker_reset,   A::rw,     gicr::WAKER_ProcessorSleep, &R::read_waker,     &R::write_waker}, \
        {gicr::SETLPIR,   "GICR_SETLPIR",   64, 0,             A::wo,     gicr::LPIR_INTID,           nullptr,            &R::write_setlpir}, \
        {gicr::CLRLPIR,   "GICR_CLRLPIR",   64, 0,             A::wo,     gicr::LPIR_INTID,           nullptr,            &R::write_clrlpir}, \
        {gicr::PROPBASER, "GICR_PROPBASER", 64, 0,             A::rw,     gicr::PROPBASER_Writable,   &R::read_propbaser, &R::write_propbaser}, \
        {gicr::PENDBASER, "GICR_PENDBASER", 64, 0,             A::rw,     gicr::PENDBASER_Writable | gicr::PENDBASER_PTZ, \
                                                                                                      &R::read_pendbaser, &R::write_pendbaser}, \
        {gicr::INVLPIR,   "GICR_INVLPIR",   64, 0,             A::wo,     gicr::LPIR_INTID | gicr::INVLPIR_V, \
                                                                                                      nullptr,            &R::write_invlpir}, \
        {gicr::INVALLR,   "GICR_INVALLR",   64, 0,             A::wo,     gicr::INVLPIR_V,            nullptr,            &R::write_invallr}, \
        {gicr::SYNCR,     "GICR_SYNCR",     32, 0,             A::ro,     0,                          &R::read_syncr,     nullptr}, \
        {gicr::PIDR2,     "GICR_PIDR2",     32, gicr_pidr2(cfg.version), A::ro, 0,                    nullptr,            nullptr},
    const bool v4 = has_gicv4(cfg.version), v41 = cfg.version == GicVersion::v4_1;
    const uint64_t vprop_mask = v41 ? gicr::VPROP_Writable_v41 : gicr::VPROP_Writable_v40;
    const uint64_t vprop_reset = v41 ? gicr::VPROP41_Entry_Size_Value : 0;
    const uint64_t vpend_mask = v41 ? gicr::VPEND_Writable_v41 : gicr::VPEND_Writable_v40;
#define ITSIM_GICR_V4_ROWS \
        {gicr::VPROPBASER, "GICR_VPROPBASER", 64, vprop_reset, A::rw, vprop_mask, &R::read_vpropbaser, &R::write_vpropbaser}, \
        {gicr::VPENDBASER, "GICR_VPENDBASER", 64, 0,           A::rw, vpend_mask, &R::read_vpendbaser, &R::write_vpendbaser},
    const uint64_t size = gicr_frame_size(cfg.version);
    if (!v4) return Frame(0, size, {ITSIM_GICR_V3_ROWS});
    if (!v41) return Frame(0, size, {ITSIM_GICR_V3_ROWS ITSIM_GICR_V4_ROWS});
    return Frame(0, size, {
        ITSIM_GICR_V3_ROWS ITSIM_GICR_V4_ROWS
        {gicr::VSGIR,     "GICR_VSGIR",     32, 0, A::wo, gicr::VPEND_vPEID, nullptr,              &R::write_vsgir},
        {gicr::VSGIPENDR, "GICR_VSGIPENDR", 32, 0, A::ro, 0,                 &R::read_vsgipendr,   nullptr},
    });
#undef ITSIM_GICR_V4_ROWS
#undef ITSIM_GICR_V3_ROWS
}

uint64_t GicrRegs::lpi_limit() const {
    const unsigned idbits = unsigned(propbaser_ & gicr::PROPBASER_IDbits);
    if (idbits < gicr::kMinIdBitsForLpis) return 0;
    const unsigned eff = std::min(idbits, cfg_.max_id_bits - 1);
    return uint64_t{1} << (eff + 1);
}

GicrRegs::Invalidations GicrRegs::take_invalidations() {
    Invalidations q;
    q.all = inv_all_;
    if (!inv_all_) q.intids.swap(inv_);
    inv_.clear();
    inv_all_ = false;
    return q;
}

void GicrRegs::drop_invalidations() {
    inv_.clear();
    inv_all_ = false;
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

uint64_t GicrRegs::read_ctlr(GicrAccess& a) const {
    return (a.owner.lpis_enabled() ? gicr::CTLR_EnableLPIs : 0) | (cfg_.allow_disable ? gicr::CTLR_CES : 0) |
           gicr::CTLR_IR;   // RWP = 0: the work of a CTLR write is done when it returns
}

void GicrRegs::write_ctlr(uint64_t v, uint64_t mask, GicrAccess& a) {
    const bool want = (v & mask & gicr::CTLR_EnableLPIs) != 0;
    const bool on = a.owner.lpis_enabled();
    if (want && !on) {
        GicrEnable e;
        e.prop_base = propbaser_ & gicr::PA_51_12;
        e.pend_base = pendbaser_ & gicr::PA_51_16;
        e.intid_limit = lpi_limit();
        e.table_zero = ptz_;
        ptz_ = false;   // consumed
        a.owner.enable_lpis(e);
    } else if (!want && on && cfg_.allow_disable) {
        a.owner.disable_lpis();
    }
}

uint64_t GicrRegs::read_waker(GicrAccess&) const {
    return processor_sleep_ ? (gicr::WAKER_ProcessorSleep | gicr::WAKER_ChildrenAsleep) : 0;
}

void GicrRegs::write_waker(uint64_t v, uint64_t mask, GicrAccess&) {
    const uint64_t old = processor_sleep_ ? gicr::WAKER_ProcessorSleep : 0;
    processor_sleep_ = (reg_merge(old, v, mask) & gicr::WAKER_ProcessorSleep) != 0;
}

void GicrRegs::write_setlpir(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (mask & gicr::LPIR_INTID) a.owner.set_lpi_pending(uint32_t(v));
}

void GicrRegs::write_clrlpir(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (mask & gicr::LPIR_INTID) a.owner.clear_lpi_pending(uint32_t(v));
}

uint64_t GicrRegs::read_propbaser(GicrAccess&) const { return propbaser_; }

void GicrRegs::write_propbaser(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (a.owner.lpis_enabled()) {
        a.owner.ignored(GicrIgnored::base_write);
        return;
    }
    propbaser_ = reg_merge(propbaser_, v, mask);
}

uint64_t GicrRegs::read_pendbaser(GicrAccess&) const { return pendbaser_; }   // PTZ reads 0

void GicrRegs::write_pendbaser(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (a.owner.lpis_enabled()) {
        a.owner.ignored(GicrIgnored::base_write);
        return;
    }
    pendbaser_ = reg_merge(pendbaser_, v, mask) & gicr::PENDBASER_Writable;
    if (mask & gicr::PENDBASER_PTZ) ptz_ = (v & gicr::PENDBASER_PTZ) != 0;
}

void GicrRegs::write_invlpir(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (!(mask & gicr::LPIR_INTID)) return;   // the high half alone: nothing to invalidate
    const uint32_t id = uint32_t(v);
    if (cfg_.version == GicVersion::v4_1 && (mask & v & gicr::INVLPIR_V)) {
        a.owner.invalidate_virtual(uint32_t((v & gicr::INVLPIR_vPEID) >> gicr::INVLPIR_vPEID_shift), false, id);
        return;
    }
    if ((mask & v & gicr::INVLPIR_V) || !a.owner.lpis_enabled() || !a.owner.lpi_in_range(id)) {
        a.owner.ignored(GicrIgnored::invalidation);
        return;
    }
    if (inv_all_) return;   // already covered
    if (inv_.size() >= cfg_.reg_inv_queue) {
        inv_.clear();
        inv_all_ = true;
    } else {
        inv_.push_back(id);
    }
}

void GicrRegs::write_invallr(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (cfg_.version == GicVersion::v4_1 && (mask & v & gicr::INVLPIR_V)) {
        a.owner.invalidate_virtual(uint32_t((v & gicr::INVLPIR_vPEID) >> gicr::INVLPIR_vPEID_shift), true, 0);
        return;
    }
    if ((mask & v & gicr::INVLPIR_V) || !a.owner.lpis_enabled()) {
        a.owner.ignored(GicrIgnored::invalidation);
        return;
    }
    inv_.clear();
    inv_all_ = true;
}

uint64_t GicrRegs::read_syncr(GicrAccess& a) const {
    if (!a.debug) a.owner.sync();   // the read completes the outstanding work
    return 0;                       // Busy = 0
}

}  // namespace itsim

namespace itsim {

// ---------------------------------------------------------------------------
// GICv4: the VLPI_base frame
// ---------------------------------------------------------------------------

uint64_t GicrRegs::vpropbaser() const {
    return vpropbaser_ | (cfg_.version == GicVersion::v4_1 ? gicr::VPROP41_Entry_Size_Value : 0);
}

uint64_t GicrRegs::read_vpropbaser(GicrAccess&) const { return vpropbaser(); }

void GicrRegs::write_vpropbaser(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (a.owner.read_vpendbaser() & gicr::VPEND_Valid) {
        a.owner.ignored(GicrIgnored::base_write);
        return;
    }
    vpropbaser_ = reg_merge(vpropbaser_, v, mask);
}

uint64_t GicrRegs::read_vpendbaser(GicrAccess& a) const { return a.owner.read_vpendbaser(); }

void GicrRegs::write_vpendbaser(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (!a.debug) a.owner.write_vpendbaser(v, mask);
}

void GicrRegs::write_vsgir(uint64_t v, uint64_t mask, GicrAccess& a) {
    if (!a.debug && (mask & gicr::VPEND_vPEID)) a.owner.write_vsgir(uint32_t(v & gicr::VPEND_vPEID));
}

uint64_t GicrRegs::read_vsgipendr(GicrAccess& a) const { return a.owner.read_vsgipendr(); }

}  // namespace itsim
