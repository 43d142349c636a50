// What the GICv4 parts of the Redistributor share and nobody else sees
// (redistributor.h "GICv4"): the virtual side's state, made only with
// version 4.0 or 4.1 (a GICv3 redistributor has none of it: no object, no
// event, no process), and its LpiState backend.
//   redist_residency.cpp  GICR_VPENDBASER (schedule, deschedule), VSGIR,
//                         VSGIPENDR, INVLPIR/INVALLR with V = 1, reports
//   redist_virtual.cpp    the virtual kinds of the ITS's stream
//   redist_vline.cpp      the virtual line and the virtual CPU interface
#pragma once

#include <algorithm>

#include "itsim/redist/redistributor.h"
#include "itsim/redist/vpe_state.h"

namespace itsim {

struct Redistributor::Virt {
    explicit Virt(const VpeStateConfig& c) : state(c) {}
    VpeState state;
    VirtualStats stats;

    // Non-resident VPT read-modify-writes, one at a time (a byte another
    // thread is updating is not read until that write is done).
    bool vpt_busy = false;
    sc_core::sc_event vpt_free;

    // The virtual line (redist_vline.cpp): one event, one method (vtick).
    sc_core::sc_event ev;
    bool ev_armed = false;
    sc_core::sc_time ev_at;
    bool in_tick = false;
    bool level = false;
    bool rise_pending = false;
    sc_core::sc_time rise_at;
    bool prio_pending = false;   // CpuLink::priority_rose() due at prio_at
    sc_core::sc_time prio_at;
    uint8_t level_priority = 0xFF;   // the best priority offered since the line rose / the last acknowledge
    uint64_t rise_ps = 0;
    // The last acknowledge_virtual().
    uint32_t vack_vpeid = 0;
    uint64_t vack_signalled_ps = 0;
    uint8_t vack_priority = 0;
    bool vack_again = false;
};

// The LpiState backend of the resident vPE's vLPIs over this module's
// BusMaster and a caller's Timeline: Port's rules (redist_ports.h) - the
// local time waited out before each access in accurate mode, the update
// catching up in both modes - except on a no-wait timeline (fast mode's
// inline MSIs, lpi_stream.h), where nothing waits: the change is made at
// the call with its stamp at its time, so an acknowledge still does not
// see it before then (lpi_state.h I4). Its reports are virtual ones.
class Redistributor::VPort final : public LpiBackend {
public:
    VPort(Redistributor& rd, Timeline& tl, uint32_t vpeid, uint64_t vpt)
        : rd_(rd), tl_(tl), vpeid_(vpeid), vpt_(vpt) {}
    bool read(uint64_t addr, void* dst, unsigned len) override {
        if (tl_.mode() == TimingMode::accurate && !tl_.no_wait()) tl_.sync_now();
        return rd_.bm_.access(tlm::TLM_READ_COMMAND, addr, dst, len, tl_);
    }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        if (tl_.mode() == TimingMode::accurate && !tl_.no_wait()) tl_.sync_now();
        const bool ok = rd_.bm_.access(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, tl_);
        rd_.write_done_at_ = std::max(rd_.write_done_at_, tl_.now());
        return ok;
    }
    void on_config_lookup() override { tl_.spend(rd_.t_lookup_); }
    void on_pending_update() override {
        tl_.spend(rd_.t_update_);
        if (!tl_.no_wait()) tl_.sync_now();
    }
    uint64_t stamp() override { return to_ps(tl_.now()); }
    void on_refreshed(uint32_t vintid, uint8_t config, bool valid) override {
        rd_.vreport(VlpiChange::What::refresh, vpeid_, vpt_, vintid, true, false, tl_, config, valid);
    }
    void on_loaded(uint32_t vintid, uint8_t config, bool valid) override {
        rd_.vreport(VlpiChange::What::loaded, vpeid_, vpt_, vintid, true, false, tl_, config, valid);
    }

private:
    Redistributor& rd_;
    Timeline& tl_;
    uint32_t vpeid_;
    uint64_t vpt_;
};

}  // namespace itsim
