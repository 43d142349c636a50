// What the parts of the Its module share and nobody else sees: a thread's
// lane (its Timeline, its BusMaster, its ItsEnv) and time in picoseconds.
//   its.cpp              construction, the MMIO socket (registers and
//                        GITS_TRANSLATER), GITS_CREADR history, statistics
//   its_lane.cpp         the ItsEnv of a lane (memory, steps, the stream),
//                        the outstanding-access slots
//   its_engine.cpp       the command engine
//   its_translation.cpp  MSI ingress, the translation workers, the inline
//                        fast path
#pragma once

#include <cstdint>

#include "itsim/its/its.h"

namespace itsim {

// ---------------------------------------------------------------------------
// One thread's context: its local time, its bus master, its environment.
// ---------------------------------------------------------------------------
class Its::Env : public ItsEnv {
public:
    Env(Its& its, Lane& lane) : its_(its), lane_(lane) {}

    MsiRecord* msi = nullptr;   // the MSI being translated (workers)
    uint64_t fetched_ps = 0;    // command engine
    CommandRecord acted;        // command engine: has_lpi.. to_cpu of the command running

    bool read(uint64_t addr, void* dst, unsigned len, ItsAccess) override;
    bool write(uint64_t addr, const void* src, unsigned len, ItsAccess) override;
    void step(ItsStep s) override;
    // Through the `rd` port, on this lane's Timeline; an MSI's set_pending
    // is posted while the lane is `posting` (fast mode's inline path).
    LpiResult send(unsigned rd, const LpiOp& op) override;

private:
    // The command engine's milestone (out of step()'s path: step() stays a
    // leaf for the MSI's steps).
    [[gnu::noinline]] void command_fetched();
    // Accurate mode: the access in one of the pool's outstanding-access slots.
    [[gnu::noinline]] bool slotted(SlotPool& pool, uint64_t& waits, tlm::tlm_command cmd, uint64_t addr,
                                   void* data, unsigned len);
    Its& its_;
    Lane& lane_;
};

struct Its::Lane {
    Timeline tl;
    BusMaster bm;
    Env env;
    sc_core::sc_event wake;   // workers: an MSI for this slot
    // fast mode, MSIs translated by accept_inline on this slot's lane (the
    // worker thread idle): posting (the set_pending op goes out with
    // `posted`: it does not wait) and until when the slot is busy with it.
    bool posting = false;
    sc_core::sc_time busy_until;
    explicit Lane(Its& its) : tl(its.cfg_.mode), bm(its.bus, its.cfg_.use_dmi), env(its, *this) {
        bm.set_timeline(&tl);
    }
};

}  // namespace itsim
