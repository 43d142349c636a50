// What the parts of the Redistributor share and nobody else sees: the two
// LpiState backends (Port: the accesses of a caller, on its Timeline;
// PostPort: posted pending-table writes) and the LpiState tracking that a
// pending-table policy needs.
//   redistributor.cpp         construction, LpiStreamIf (the physical
//                             kinds), RedistCpuIf, the interrupt line's
//                             updates
//   redist_pending_table.cpp  pending-table writes (write-back)
//   redist_registers.cpp      register-based invalidations, the GICR
//                             register file, the sockets
//   redist_virtual.cpp        LpiStreamIf's virtual kinds (GICv4)
//   redist_coalesce.cpp       the method (tick) and its steps (the line, the
//                             directly driven CPU), coalescing, Entry
#pragma once

#include <algorithm>

#include "itsim/redist/redistributor.h"

namespace itsim {

namespace {

inline PendingTracking tracking(PendingTablePolicy p) {
    return p == PendingTablePolicy::lazy ? PendingTracking::net : PendingTracking::queue;
}

}  // namespace

// The LpiState backend over this module's BusMaster and a caller's Timeline.
// Accurate mode: the local time is waited out before each access, so that
// BusMaster::access (which does the same) cannot block once it has filled
// in its payload: the shared BusMaster is then safe for every thread that
// calls into this redistributor (bus and memory never wait in b_transport).
class Redistributor::Port final : public LpiBackend {
public:
    Port(Redistributor& rd, Timeline& tl) : rd_(rd), tl_(tl) {}
    bool read(uint64_t addr, void* dst, unsigned len) override {
        if (tl_.mode() == TimingMode::accurate) tl_.sync_now();
        return rd_.bm_.access(tlm::TLM_READ_COMMAND, addr, dst, len, tl_);
    }
    // Callers sync before computing the data (drain()), so that the byte
    // written is the one computed at the time of the write.
    bool write(uint64_t addr, const void* src, unsigned len) override {
        if (tl_.mode() == TimingMode::accurate) tl_.sync_now();
        const bool ok =
            rd_.bm_.access(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, tl_);
        rd_.write_done_at_ = std::max(rd_.write_done_at_, tl_.now());
        return ok;
    }
    void on_config_lookup() override { tl_.spend(rd_.t_lookup_); }
    // Catch up before the state changes, in both modes, so that nothing (an
    // acknowledge, a CLEAR) sees the LPI pending before its time: the CPU
    // side runs at kernel time, so a caller running ahead (fast mode) must
    // not change what it sees early. One kernel resume per new pending LPI.
    void on_pending_update() override {
        tl_.spend(rd_.t_update_);
        tl_.sync_now();
    }
    uint64_t stamp() override { return to_ps(tl_.now()); }
    void on_refreshed(uint32_t intid, uint8_t config, bool valid) override {
        rd_.report(LpiChange::What::refresh, intid, tl_.context(), to_ps(tl_.now()), config, valid);
    }
    void on_loaded(uint32_t intid, uint8_t config, bool valid) override {
        rd_.report(LpiChange::What::set, intid, tl_.context(), to_ps(tl_.now()), config, valid);
    }

private:
    Redistributor& rd_;
    Timeline& tl_;
};

// Posted pending-table writes issued by the poster (BusMaster::post: never
// waits, never DMI), on a timeline of their own.
class Redistributor::PostPort final : public MemPort {
public:
    PostPort(Redistributor& rd, Timeline& tl) : rd_(rd), tl_(tl) {}
    bool read(uint64_t, void*, unsigned) override { return false; }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        const bool ok = rd_.bm_.post(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, tl_);
        rd_.write_done_at_ = std::max(rd_.write_done_at_, tl_.now());
        return ok;
    }

private:
    Redistributor& rd_;
    Timeline& tl_;
};

// Coalescing (redist_coalesce.cpp): marks a call from outside (the ITS's
// stream, a register access) for as long as it runs; see begin_entry and
// end_entry. Nothing without coalescing.
class Redistributor::Entry {
public:
    explicit Entry(Redistributor& rd) : rd_(rd), on_(rd.coalesce_) {
        if (on_ && rd_.inside_++ == 0) rd_.begin_entry();
    }
    ~Entry() {
        if (on_ && --rd_.inside_ == 0) rd_.end_entry();
    }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

private:
    Redistributor& rd_;
    const bool on_;
};


}  // namespace itsim
