// Redistributor, part 3 of 3 (redist_ports.h): register-based invalidations
// (GICR_INVLPIR, GICR_INVALLR), the GICR register file, EnableLPIs on and
// off, and the MMIO socket (b_transport, transport_dbg).
#include "itsim/redist/redistributor.h"

#include <algorithm>

#include "itsim/redist/redist_ports.h"

namespace itsim {

using sc_core::sc_time;

// ---------------------------------------------------------------------------
// Register-based invalidations
// ---------------------------------------------------------------------------

void Redistributor::complete_reg_invalidations(Timeline& tl) {
    if (!enabled_) {
        reg_inv_.clear();
        reg_invall_ = false;
        return;
    }
    if (!reg_invall_ && reg_inv_.empty()) return;
    tl.sync_now();   // as inv: the pending set at the caller's time
    if (!enabled_) return;
    // The refreshes are the register writes' (whoever completes them).
    const uint64_t ctx = tl.context();
    tl.set_context(LpiCause::reg(reg_invall_ ? LpiCause::INVALLR : LpiCause::INVLPIR).pack());
    Port port(*this, tl);
    if (reg_invall_) {
        reg_invall_ = false;
        reg_inv_.clear();
        ++stats_.reg_invalls;
        lpi_.invall(port);
    } else {
        std::vector<uint32_t> ids;
        ids.swap(reg_inv_);
        for (uint32_t id : ids) {
            if (!enabled_) break;   // EnableLPIs 1 -> 0 while a re-read waited
            ++stats_.reg_invs;
            lpi_.inv(id, port);
        }
    }
    tl.set_context(ctx);
    update_irq(tl);
}

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------

bool Redistributor::is_reg64(uint64_t off) {
    switch (off) {
    case gicr::TYPER:
    case gicr::SETLPIR:
    case gicr::CLRLPIR:
    case gicr::PROPBASER:
    case gicr::PENDBASER:
    case gicr::INVLPIR:
    case gicr::INVALLR:
        return true;
    default:
        return false;
    }
}

uint64_t Redistributor::read_reg64(uint64_t off, Timeline*) {
    switch (off) {
    case gicr::TYPER: return typer();
    case gicr::PROPBASER: return propbaser_;
    case gicr::PENDBASER: return pendbaser_;   // PTZ reads 0
    default: return 0;                        // SETLPIR, CLRLPIR, INVLPIR, INVALLR: WO
    }
}

uint32_t Redistributor::read_reg32(uint64_t off, Timeline* tl) {
    switch (off) {
    case gicr::CTLR:
        return (enabled_ ? gicr::CTLR_EnableLPIs : 0) | (cfg_.allow_disable ? gicr::CTLR_CES : 0) |
               gicr::CTLR_IR;   // RWP = 0: the work of a CTLR write is done when it returns
    case gicr::IIDR: return cfg_.iidr;
    case gicr::WAKER:
        return processor_sleep_ ? (gicr::WAKER_ProcessorSleep | gicr::WAKER_ChildrenAsleep) : 0;
    case gicr::SYNCR:
        if (tl) {   // the read completes the outstanding work
            tl->set_context(LpiCause::reg(LpiCause::SYNCR).pack());
            sync(*tl);
        }
        return 0;
    case gicr::PIDR2: return gicr::PIDR2_Value;
    default: return 0;
    }
}

void Redistributor::write_reg64(uint64_t off, uint64_t value, uint64_t mask, Timeline& tl) {
    const bool low = (mask & 0xFFFFFFFFull) != 0;
    switch (off) {
    case gicr::SETLPIR:
        tl.set_context(LpiCause::reg(LpiCause::SETLPIR).pack());
        if (low && set_pending(uint32_t(value), tl) != LpiRefusal::none) ++stats_.reg_ignored;
        break;
    case gicr::CLRLPIR:
        tl.set_context(LpiCause::reg(LpiCause::CLRLPIR).pack());
        if (low) clear_pending(uint32_t(value), tl);
        break;
    case gicr::PROPBASER:
        if (enabled_) {
            ++stats_.ignored_base_writes;
            break;
        }
        propbaser_ = ((propbaser_ & ~mask) | (value & mask)) & gicr::PROPBASER_Writable;
        break;
    case gicr::PENDBASER:
        if (enabled_) {
            ++stats_.ignored_base_writes;
            break;
        }
        pendbaser_ = ((pendbaser_ & ~mask) | (value & mask)) & gicr::PENDBASER_Writable;
        if (mask & gicr::PENDBASER_PTZ) ptz_ = (value & gicr::PENDBASER_PTZ) != 0;
        break;
    case gicr::INVLPIR: {
        if (!low) break;
        const uint32_t id = uint32_t(value);
        if ((mask & value & gicr::INVLPIR_V) || !enabled_ || !lpi_.in_range(id)) {
            ++stats_.reg_ignored;
            break;
        }
        if (reg_invall_) break;   // already covered
        if (reg_inv_.size() >= cfg_.reg_inv_queue) {
            reg_inv_.clear();
            reg_invall_ = true;
        } else {
            reg_inv_.push_back(id);
        }
        break;
    }
    case gicr::INVALLR:
        if ((mask & value & gicr::INVLPIR_V) || !enabled_) {
            ++stats_.reg_ignored;
            break;
        }
        reg_inv_.clear();
        reg_invall_ = true;
        break;
    default:
        break;   // TYPER: RO
    }
}

void Redistributor::write_reg32(uint64_t off, uint32_t value, Timeline& tl) {
    switch (off) {
    case gicr::CTLR: write_ctlr(value, tl); break;
    case gicr::WAKER: processor_sleep_ = (value & gicr::WAKER_ProcessorSleep) != 0; break;
    default: break;
    }
}

void Redistributor::write_ctlr(uint32_t value, Timeline& tl) {
    const bool want = (value & gicr::CTLR_EnableLPIs) != 0;
    if (want && !enabled_) enable_lpis(tl);
    else if (!want && enabled_ && cfg_.allow_disable) disable_lpis(tl);
}

void Redistributor::enable_lpis(Timeline& tl) {
    const unsigned idbits = unsigned(propbaser_ & gicr::PROPBASER_IDbits);
    const unsigned eff = std::min(idbits, cfg_.max_id_bits - 1);
    const uint64_t limit = idbits < gicr::kMinIdBitsForLpis ? 0 : uint64_t{1} << (eff + 1);
    lpi_.set_tables(propbaser_ & gicr::PA_51_12, pendbaser_ & gicr::PA_51_16, limit);
    enabled_ = true;
    const bool zero = ptz_;
    ptz_ = false;   // consumed
    if (!zero && limit > lpi::kFirstLpi) {
        ++stats_.pending_table_loads;
        const uint64_t ctx = tl.context();
        tl.set_context(LpiCause::reg(LpiCause::enable).pack());
        Port port(*this, tl);
        stats_.lpis_loaded += lpi_.load_pending_table(port, cfg_.pending_read_burst);
        tl.set_context(ctx);
    }
    update_irq(tl);
}

void Redistributor::disable_lpis(Timeline& tl) {
    enabled_ = false;   // refuse new LPIs from now on
    lpi_.abandon_waiting();   // and those whose update is still running
    // From now on nothing is pending for the CPU (an acknowledge finds
    // nothing): the LPIs are dropped now, when the write reaches this
    // redistributor (the kernel's time; the access's own latency is the
    // writer's); their state is written back below.
    const uint64_t drop_ps = to_ps(sc_core::sc_time_stamp());
    for (uint32_t intid : lpi_.pending_list())
        report(LpiChange::What::drop, intid, LpiCause::reg(LpiCause::disable).pack(), drop_ps);
    for (const Commit& c : commits_) report(LpiChange::What::refused, c.intid, c.cause, drop_ps);
    ++stats_.write_backs;
    if (lazy() && lpi_.has_dirty()) ++stats_.lazy_flushes;
    drain(tl);                        // queued writes
    lpi_.mark_all_pending_dirty();    // full write-back
    drain(tl);
    wait_writes(tl);
    lpi_.drop_all();
    commits_.clear();   // posted LPIs not recorded yet go with the state
    reg_inv_.clear();
    reg_invall_ = false;
    update_irq(tl);
}

// ---------------------------------------------------------------------------
// Sockets
// ---------------------------------------------------------------------------

void Redistributor::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
    const uint64_t off = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    const tlm::tlm_command cmd = trans.get_command();
    delay += t_mmio_;

    if (off >= gicr::FRAME_SIZE || len > gicr::FRAME_SIZE - off) {
        ++stats_.mmio_errors;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (cmd == tlm::TLM_IGNORE_COMMAND) {
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if ((len != 4 && len != 8) || (off % len) != 0 || !data || trans.get_byte_enable_ptr() ||
        trans.get_streaming_width() < len) {
        ++stats_.mmio_errors;
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }

    Timeline tl(cfg_.mode);
    tl.spend(delay);
    if (cmd == tlm::TLM_READ_COMMAND) {
        uint64_t v;
        if (len == 8 && is_reg64(off)) {
            v = read_reg64(off, &tl);
        } else if (len == 8) {
            v = read_reg32(off, &tl) | (uint64_t(read_reg32(off + 4, &tl)) << 32);
        } else if (is_reg64(off & ~uint64_t{7})) {
            v = uint32_t(read_reg64(off & ~uint64_t{7}, &tl) >> ((off & 4) * 8));
        } else {
            v = read_reg32(off, &tl);
        }
        for (unsigned i = 0; i < len; ++i) data[i] = (unsigned char)(v >> (8 * i));
    } else {
        uint64_t v = 0;
        for (unsigned i = 0; i < len; ++i) v |= uint64_t(data[i]) << (8 * i);
        if (len == 8 && is_reg64(off)) {
            write_reg64(off, v, ~uint64_t{0}, tl);
        } else if (len == 8) {
            write_reg32(off, uint32_t(v), tl);
            write_reg32(off + 4, uint32_t(v >> 32), tl);
        } else if (is_reg64(off & ~uint64_t{7})) {
            const unsigned sh = unsigned(off & 4) * 8;
            write_reg64(off & ~uint64_t{7}, v << sh, uint64_t{0xFFFFFFFF} << sh, tl);
        } else {
            write_reg32(off, uint32_t(v), tl);
        }
    }
    delay = tl.local();
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned Redistributor::transport_dbg(tlm::tlm_generic_payload& trans) {
    const uint64_t off = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    if (trans.get_command() != tlm::TLM_READ_COMMAND || !data || off >= gicr::FRAME_SIZE ||
        len > gicr::FRAME_SIZE - off)
        return 0;
    // Byte by byte over aligned 32-bit words, so any length and alignment works.
    for (unsigned i = 0; i < len; ++i) {
        const uint64_t a = off + i;
        const uint64_t word = a & ~uint64_t{3};
        uint32_t w;
        if (is_reg64(word & ~uint64_t{7}))
            w = uint32_t(read_reg64(word & ~uint64_t{7}, nullptr) >> ((word & 4) * 8));
        else
            w = read_reg32(word, nullptr);
        data[i] = (unsigned char)(w >> (8 * (a & 3)));
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

}  // namespace itsim
