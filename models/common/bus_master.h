// BusMaster: how every initiator (ITS, redistributors, driver agent, MSI
// devices) talks to the bus. Implements MemPort over a TLM initiator socket
// and charges the cost to the calling thread's Timeline.
//
//   accurate: tl.sync_now() before each transaction (each access starts at
//             its true time, so they reach the bus in time order and the
//             bus's contention is exact), b_transport with delay 0, then
//             tl.spend(delay); no wait after, the caller's next sync pays it.
//   fast:     an access of <= 8 bytes inside a cached DMI region (no
//             extension attached) is a memcpy through the host pointer plus
//             tl.spend(the region's read/write latency); otherwise
//             b_transport with the thread's local offset as delay, the
//             returned delay becomes the new offset. Then tl.sync() (which
//             waits only past the global quantum). DMI is requested once per
//             region, when a b_transport response carries the DMI hint.
// On an idle system both modes give the same times for accesses of up to
// 8 bytes, since the DMI latency the bus reports is the memory's 8-byte
// cost plus the hop (true when the memory moves >= 8 bytes per cycle).
//
// post(): an access that never waits and never takes the DMI path, for
// posted writes issued from any process (an SC_METHOD too): b_transport
// with the timeline's local offset as the delay (the access starts at
// tl.now(), the bus queues it by that time), and the returned delay becomes
// the new offset. Same in both modes; the caller decides when that is
// exact (in accurate mode: local offset zero, i.e. issued at its time).
//
// A response other than TLM_OK_RESPONSE makes read/write/access return
// false (never throw); last_status() says which. One payload is reused for
// every access: a BusMaster belongs to one thread and is not re-entrant.
//
// The owner must forward its socket's invalidate_direct_mem_ptr callback
// to invalidate(start, end), e.g. with a simple_initiator_socket:
//     socket.register_invalidate_direct_mem_ptr(this, &Owner::invalidate);
//     void invalidate(sc_dt::uint64 s, sc_dt::uint64 e) { bm.invalidate(s, e); }
#pragma once

#include <cstdint>

#include <systemc>
#include <tlm>

#include "itsim/common/mem_port.h"
#include "itsim/common/timeline.h"

namespace itsim {

struct BusMasterStats {
    uint64_t reads = 0, writes = 0;  // completed accesses (any path)
    uint64_t errors = 0;             // non-OK responses
    uint64_t dmi_accesses = 0;       // accesses served through a DMI pointer
};

class BusMaster : public MemPort {
public:
    // Regions cached at once; the oldest is replaced.
    static constexpr unsigned kDmiSlots = 4;
    // Largest access served through DMI (its cost is the 8-byte cost).
    static constexpr unsigned kDmiMaxLen = 8;

    BusMaster(tlm::tlm_initiator_socket<>& socket, bool use_dmi);

    // The calling thread's timeline; must be set before read/write.
    void set_timeline(Timeline* tl) { tl_ = tl; }
    Timeline* timeline() const { return tl_; }

    bool read(uint64_t addr, void* dst, unsigned len) override;
    bool write(uint64_t addr, const void* src, unsigned len) override;

    bool access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, Timeline& tl) {
        return transact(cmd, addr, data, len, tl, 0, nullptr);
    }
    // As access(), but never through DMI: in fast mode too the access goes
    // through the bus (occupies it and the target, so later accesses queue
    // behind it as in accurate mode).
    bool access_bus(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, Timeline& tl) {
        return transact(cmd, addr, data, len, tl, 0, nullptr, false);
    }
    // With an extension (e.g. an MsiExtension) attached for this one
    // transaction and removed afterwards; the caller keeps ownership. Such
    // an access never takes the DMI path: the target must see it.
    template <typename Ext>
    bool access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, Timeline& tl,
                Ext* ext) {
        return transact(cmd, addr, data, len, tl, Ext::ID, ext);
    }

    // Never waits, never DMI (see above).
    bool post(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, Timeline& tl);

    // Drop cached DMI regions overlapping [start, end] (global addresses).
    void invalidate(uint64_t start, uint64_t end);

    const BusMasterStats& stats() const { return stats_; }
    tlm::tlm_response_status last_status() const { return last_status_; }
    bool use_dmi() const { return use_dmi_; }

private:
    struct DmiRegion {
        bool valid = false;
        bool readable = false, writable = false;
        uint64_t start = 0, end = 0;
        unsigned char* ptr = nullptr;
        sc_core::sc_time read_latency, write_latency;
    };

    bool transact(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, Timeline& tl,
                  unsigned ext_id, tlm::tlm_extension_base* ext, bool allow_dmi = true);
    const DmiRegion* find_dmi(tlm::tlm_command cmd, uint64_t addr, unsigned len) const;
    void request_dmi(uint64_t addr);

    tlm::tlm_initiator_socket<>& socket_;
    bool use_dmi_;
    Timeline* tl_ = nullptr;
    tlm::tlm_generic_payload trans_;
    // Extension slots trans_ holds (resize_extensions() when an ID is not
    // below it: extension IDs are registered once, so that is rare).
    unsigned ext_slots_ = 0;
    tlm::tlm_dmi dmi_;
    DmiRegion regions_[kDmiSlots];
    unsigned next_slot_ = 0;
    BusMasterStats stats_;
    tlm::tlm_response_status last_status_ = tlm::TLM_INCOMPLETE_RESPONSE;
};

}  // namespace itsim
