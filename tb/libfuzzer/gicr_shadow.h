// The GICR register table of gicr_regs.h, as fuzz_gicr_regs checks it:
// what each register reads, kept from what was written, and the response
// each access must get (the bad-access rule of common/reg_frame.h). Written
// from the headers' tables, not from the code.
#pragma once

#include <algorithm>
#include <cstdint>

#include <tlm>

#include "itsim/redist/redistributor.h"

namespace itsim::fuzz {

struct GicrShadow {
    RedistConfig cfg;
    bool enabled = false;
    bool sleep = true;     // WAKER.ProcessorSleep resets to 1
    bool ptz = false;      // PTZ remembered for the next EnableLPIs 0 -> 1
    uint64_t propbaser = 0, pendbaser = 0;
    uint64_t limit = 0;    // LPI range end latched at EnableLPIs 0 -> 1

    // Past 128 KiB: address error; anything else OK (a bad access too).
    static tlm::tlm_response_status expected_status(uint64_t off, unsigned len) {
        if (off >= gicr::FRAME_SIZE || len > gicr::FRAME_SIZE - off) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
        return tlm::TLM_OK_RESPONSE;
    }
    // A 4-byte slot of a register in the table.
    static bool register_slot(uint64_t w) {
        switch (w) {
        case gicr::CTLR: case gicr::IIDR: case gicr::TYPER: case gicr::TYPER + 4: case gicr::STATUSR:
        case gicr::WAKER: case gicr::SYNCR: case gicr::PIDR2: return true;
        default: return is_reg64(w & ~uint64_t{7});
        }
    }
    // 4 or 8 bytes, naturally aligned, reaching a register; every other
    // access in the frame reads 0 and changes nothing (still OK).
    static bool good_access(uint64_t off, unsigned len) {
        if ((len != 4 && len != 8) || off % len || off >= gicr::FRAME_SIZE) return false;
        return register_slot(off) || (len == 8 && register_slot(off + 4));
    }
    static bool is_reg64(uint64_t off) {
        switch (off) {
        case gicr::TYPER: case gicr::SETLPIR: case gicr::CLRLPIR: case gicr::PROPBASER:
        case gicr::PENDBASER: case gicr::INVLPIR: case gicr::INVALLR: return true;
        default: return false;
        }
    }

    bool in_range(uint64_t id) const { return enabled && id >= 8192 && id < limit; }

    uint64_t typer() const {
        return gicr::TYPER_PLPIS | gicr::TYPER_DirectLPI | (cfg.last ? gicr::TYPER_Last : 0) |
               (uint64_t(cfg.processor_number) << 8) | (uint64_t(cfg.affinity) << 32);
    }

    // The 32-bit word at a 4-aligned offset.
    uint32_t read32(uint64_t w) const {
        switch (w) {
        case gicr::CTLR:
            return (enabled ? gicr::CTLR_EnableLPIs : 0) | (cfg.allow_disable ? gicr::CTLR_CES : 0) | gicr::CTLR_IR;
        case gicr::IIDR: return cfg.iidr;
        case gicr::TYPER: return uint32_t(typer());
        case gicr::TYPER + 4: return uint32_t(typer() >> 32);
        case gicr::WAKER: return sleep ? (gicr::WAKER_ProcessorSleep | gicr::WAKER_ChildrenAsleep) : 0;
        case gicr::PROPBASER: return uint32_t(propbaser);
        case gicr::PROPBASER + 4: return uint32_t(propbaser >> 32);
        case gicr::PENDBASER: return uint32_t(pendbaser);   // PTZ reads 0 (not stored)
        case gicr::PENDBASER + 4: return uint32_t(pendbaser >> 32);
        case gicr::PIDR2: return gicr::PIDR2_Value;
        default: return 0;   // WO registers, SYNCR (Busy = 0), RAZ/WI
        }
    }
    // A read: 64-bit registers and pairs of 32-bit ones alike; 0 for a bad access.
    uint64_t read(uint64_t off, unsigned len) const {
        if (!good_access(off, len)) return 0;
        uint64_t v = read32(off);
        if (len == 8) v |= uint64_t(read32(off + 4)) << 32;
        return v;
    }

    // A write; a bad access changes nothing.
    void write(uint64_t off, unsigned len, uint64_t v) {
        if (!good_access(off, len)) return;
        if (len == 8 && is_reg64(off)) {
            write64(off, v, ~uint64_t{0});
        } else if (len == 8) {
            write32(off, uint32_t(v));
            write32(off + 4, uint32_t(v >> 32));
        } else if (is_reg64(off & ~uint64_t{7})) {
            const unsigned sh = unsigned(off & 4) * 8;
            write64(off & ~uint64_t{7}, v << sh, uint64_t{0xFFFFFFFF} << sh);
        } else {
            write32(off, uint32_t(v));
        }
    }

private:
    // PROPBASER and PENDBASER take their writable fields while EnableLPIs = 0.
    void write64(uint64_t off, uint64_t v, uint64_t mask) {
        if (off == gicr::PROPBASER && !enabled)
            propbaser = ((propbaser & ~mask) | (v & mask)) & gicr::PROPBASER_Writable;
        if (off == gicr::PENDBASER && !enabled) {
            pendbaser = ((pendbaser & ~mask) | (v & mask)) & gicr::PENDBASER_Writable;
            if (mask & gicr::PENDBASER_PTZ) ptz = (v & gicr::PENDBASER_PTZ) != 0;
        }
    }
    // CTLR.EnableLPIs 0 -> 1 latches the range; 1 -> 0 only with allow_disable.
    void write32(uint64_t off, uint32_t v) {
        if (off == gicr::WAKER) sleep = (v & gicr::WAKER_ProcessorSleep) != 0;
        if (off != gicr::CTLR) return;
        const bool want = v & gicr::CTLR_EnableLPIs;
        if (want && !enabled) {
            const unsigned idbits = unsigned(propbaser & gicr::PROPBASER_IDbits);
            const unsigned eff = std::min(idbits, cfg.max_id_bits - 1);
            limit = idbits < gicr::kMinIdBitsForLpis ? 0 : uint64_t{1} << (eff + 1);
            enabled = true;
            ptz = false;
        } else if (!want && enabled && cfg.allow_disable) {
            enabled = false;
        }
    }
};

}  // namespace itsim::fuzz
