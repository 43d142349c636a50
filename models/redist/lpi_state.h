// LpiState: what one redistributor knows about its physical LPIs, as plain
// C++ (no simulation kernel). The Redistributor module (redistributor.h)
// wraps it with registers, a bus port and time.
//
// State (memory bounded by the number of pending LPIs plus the fixed-size
// configuration cache, never by 2^IDbits):
//   - pending set: INTID -> the configuration snapshot it was made pending
//     with (enable, priority), the stamp of when it became selectable, and
//     whether the snapshot is valid (a failed property read leaves it
//     invalid: pending, never selectable, until INV/INVALL re-reads it);
//   - the enabled pending LPIs ordered by (priority, INTID): lower priority
//     value first, ties to the lower INTID. highest() is O(1), every
//     insertion or removal O(log n); nothing ever scans all LPIs. The
//     pending set and the order live in flat storage (lpi_pending_set.h);
//   - an LPI configuration cache (SetAssocCache, key = INTID, value = the
//     property byte, LRU), filled from the property table in memory on a miss;
//   - the set of pending-table bytes whose in-memory copy is out of date
//     (the write queue, see "Pending table" below).
//
// Configuration (property) table, IHI 0069 "LPI Configuration tables":
// one byte per LPI at prop_base + (INTID - 8192); bit 0 = Enable, bits
// [7:2] = Priority[7:2] (priority = byte & 0xFC), bit 1 RES1 (ignored).
// Visibility rules:
//   - a change software makes in memory is invisible while the byte is
//     cached; INV (one LPI) re-reads it, INVALL drops every cached byte and
//     re-reads the configuration of every pending LPI;
//   - a pending LPI keeps the snapshot it was made pending with until INV or
//     INVALL, even if its cache line is evicted and re-filled meanwhile;
//   - set_pending on an LPI that is already pending changes nothing (no
//     lookup); a new pending LPI looks its byte up in the cache. An LPI
//     whose line was evicted therefore sees the new byte early, which the
//     architecture allows (a cache may drop entries at any time).
//   - line_bytes > 1: a miss reads the aligned line of line_bytes bytes
//     containing the byte (clipped to the LPI range) in one access and
//     also inserts the neighbours that are not cached yet (line fill). The
//     cache stays keyed per LPI, so INV drops exactly one byte.
//
// Pending table, IHI 0069 "LPI Pending tables": one bit per INTID from 0,
// byte INTID/8, bit INTID%8, at pend_base. The redistributor owns the
// state; the byte written is always computed from the state at the moment
// of the write, so no read is needed and coalesced writes are always
// correct. Bits of INTIDs below 8192 (the first 1 KiB, IMPLEMENTATION
// DEFINED) are always written 0. Which bytes are dirty depends on
// LpiStateConfig::tracking:
//   queue  every change queues its byte INTID/8 (write-through): the queue
//          is drained oldest first, a byte changed again while queued is
//          written once, and a byte is written even if the state went back
//          to what memory holds (set, then acknowledged before the write);
//   net    a byte is dirty only while the state differs from what memory
//          holds (memory is exact for every clean byte: PTZ, the table
//          read at enable, or an earlier write). A change toggles the
//          byte's bit in a mask; a byte whose mask returns to 0 is clean
//          again, so an LPI set and acknowledged leaves nothing to write.
//          Dirty bytes are written in address order, adjacent ones merged
//          into one write of up to kMaxWriteRun bytes inside one aligned
//          kMaxWriteRun-byte line.
// Who drains the dirty bytes, and when, is the owner's choice (write_next()
// one access at a time, flush() all now).
// load_pending_table() reads the table (from byte 1024 up) when LPIs are
// enabled; mark_all_pending_dirty() + flush() is the full write-back when
// they are disabled (every pending LPI's byte is written, dirty or not).
//
// Re-entrancy: a MemPort access and the backend's hooks may block (accurate
// mode; on_pending_update() waits out the caller's local time in both
// modes). Every operation re-finds its LPI after each call that may block,
// never keeps an iterator or reference into the pending set across one,
// and drop_all() meanwhile makes the operation that was waiting abandon its
// result (an LPI the caller was making pending is not added to the dropped
// state).
//
// When "pending" is decided: set_pending looks the configuration up at the
// call (if the LPI is not pending then), charges the update, and decides at
// the end of the update (the moment it is recorded, its stamp): pending by
// then = the MSI merges into it; not pending (never was, or acknowledged or
// cleared while the update ran) = newly pending. An LPI acknowledged during
// the update of a set_pending that found it pending at the call is thus
// made pending again (LPIs have no active state: a set after the
// acknowledge must be taken again); its configuration is then the cached
// byte, or the snapshot it was pending with if the line is gone.
//
// Invariants (check_invariants(); run after every change in builds with
// ITSIM_CHECK_INVARIANTS, which the sanitizer build defines):
//   I1 the order holds exactly the keys (priority, INTID) of the selectable
//      pending LPIs (enabled, valid snapshot), one each;
//   I2 every pending LPI is in range; nothing is pending while the range is
//      empty;
//   I3 queue tracking: the dirty FIFO and its set hold the same bytes, each
//      once; net tracking: the dirty bytes are strictly descending, each
//      with a non-zero toggle mask or forced;
//   I4 acknowledge(v) returns the first LPI of the order whose stamp <= v,
//      i.e. the highest-priority selectable LPI visible at v.
// "Visible at v": an LPI's stamp is the time it became selectable (kernel
// time at the end of its update, so stamps never run ahead of the kernel);
// the owner passes v = now - signal latency so that an acknowledge never
// returns an LPI before its signal could have reached the CPU.
//
// Memory errors: a failed property read leaves the LPI pending with an
// invalid snapshot (not selectable, not cached); a failed pending-table read
// counts its bytes as zero; a failed write is counted and not retried.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "itsim/common/flat_u32_set.h"
#include "itsim/common/mem_port.h"
#include "itsim/common/set_assoc_cache.h"
#include "itsim/redist/lpi_defs.h"
#include "itsim/redist/lpi_pending_set.h"

namespace itsim {

// What LpiState needs from its owner: memory, plus hooks so that a timed
// owner can charge each step in order on the caller's timeline.
class LpiBackend : public MemPort {
public:
    // Before every configuration lookup (so before the read a miss causes).
    virtual void on_config_lookup() {}
    // After a lookup, when LpiState records an LPI's pending state or
    // snapshot (set_pending, load_pending_table, INV/INVALL re-reads).
    virtual void on_pending_update() {}
    // The owner's notion of "now", recorded as the time an LPI became
    // selectable (called right after on_pending_update()).
    virtual uint64_t stamp() { return 0; }
    // Reports (cost nothing, never block): INV/INVALL replaced a pending
    // LPI's snapshot; load_pending_table made an LPI pending.
    virtual void on_refreshed(uint32_t intid, uint8_t config, bool valid) {
        (void)intid, (void)config, (void)valid;
    }
    virtual void on_loaded(uint32_t intid, uint8_t config, bool valid) {
        (void)intid, (void)config, (void)valid;
    }
};

// How pending-table changes are remembered (see "Pending table" above).
enum class PendingTracking : uint8_t { queue, net };

struct LpiStateConfig {
    size_t cache_entries = 512;   // configuration cache lines (LPIs); 0 = no cache
    size_t cache_ways = 4;
    unsigned line_bytes = 1;      // bytes read per miss: 1,2,4,..,64
    PendingTracking tracking = PendingTracking::queue;
};

struct LpiStats {
    uint64_t config_reads = 0;          // property-table reads (bus accesses)
    uint64_t config_read_errors = 0;
    uint64_t pending_writes = 0;        // pending-table byte writes
    uint64_t pending_write_errors = 0;
    uint64_t pending_table_reads = 0;   // bursts read by load_pending_table
    uint64_t pending_table_read_errors = 0;
};

class LpiState {
public:
    // Throws std::invalid_argument on a bad geometry (entries not a multiple
    // of ways, line_bytes not a power of two in 1..64).
    explicit LpiState(const LpiStateConfig& cfg = {});

    // Where the tables are and how far the LPI range goes:
    // valid INTIDs are 8192 <= INTID < intid_limit (intid_limit <= 8192: none).
    void set_tables(uint64_t prop_base, uint64_t pend_base, uint64_t intid_limit);
    uint64_t prop_base() const { return prop_base_; }
    uint64_t pend_base() const { return pend_base_; }
    uint64_t intid_limit() const { return limit_; }
    bool in_range(uint64_t intid) const { return intid >= lpi::kFirstLpi && intid < limit_; }

    struct SetResult {
        bool newly_pending = false;   // false: already pending (nothing changed) or out of range
        bool selectable = false;      // enabled with a valid snapshot
        bool new_highest = false;     // it is now highest() and was not before
        bool abandoned = false;       // the state was dropped (abandon_waiting, drop_all) meanwhile
        // newly_pending: the snapshot it is pending with (pending_config()'s answer)
        bool valid = false;
        uint8_t config = 0;
    };
    // Make an in-range LPI pending (out of range: nothing happens).
    // Steps: on_config_lookup, a property read on a miss, on_pending_update.
    // The same as prepare_pending(), on_pending_update(), then
    // commit_pending(stamp()) unless it was already pending.
    SetResult set_pending(uint32_t intid, LpiBackend& mem);

    // set_pending in two halves, for an owner that records the change
    // later (at its time) than it looks the configuration up.
    struct Prepared {
        bool skip = false;         // out of range: nothing to commit
        bool already = false;      // pending at prepare time: no lookup was made
        bool selectable = false;   // already: whether it was selectable then
        bool valid = false;        // the configuration byte was read (already: the snapshot's)
        uint8_t config = 0;        // the byte read, or (already) the snapshot it was pending with
        uint64_t generation = 0;   // drop_all() since then abandons the commit
    };
    // The lookup (on_config_lookup, a property read on a miss) unless the
    // LPI is pending now; no change of pending state, no on_pending_update.
    Prepared prepare_pending(uint32_t intid, LpiBackend& mem);
    // The decision at the end of the update (see "When pending is
    // decided"): pending now -> nothing changes (a merge); otherwise record
    // it pending with `stamp` (and its byte dirty). Nothing when skipped or
    // the state was dropped since prepare.
    SetResult commit_pending(uint32_t intid, const Prepared& p, uint64_t stamp);
    // Returns whether it was pending.
    bool clear_pending(uint32_t intid);

    struct Ack {
        uint32_t intid = lpi::kSpurious;
        uint64_t stamp = 0;       // when it became selectable
        uint8_t config = 0;       // its snapshot
        // Spurious only: selectable LPIs exist but none is visible yet;
        // the earliest of their stamps.
        bool none_visible = false;
        uint64_t earliest_stamp = 0;
    };
    // Highest-priority enabled pending LPI, or 1023.
    uint32_t highest() const;
    // The highest-priority selectable LPI whose stamp <= visible (I4), and
    // clear its pending state (LPIs have no active state); 1023 if none.
    Ack acknowledge(uint64_t visible = UINT64_MAX);

    // INV: drop the cached byte (one on_config_lookup); if the LPI is
    // pending, re-read its configuration now (the lookup misses: a property
    // read, then on_pending_update) and replace its snapshot. Returns
    // whether the LPI's selectability or priority changed.
    bool inv(uint32_t intid, LpiBackend& mem);
    // INVALL: drop every cached byte, re-read the configuration of every
    // pending LPI (in INTID order; lookup, read or line hit, update each).
    void invall(LpiBackend& mem);

    // MOVALL source side: clear every pending LPI, return them in INTID order.
    std::vector<uint32_t> take_all();

    // Read the pending table [1 KiB, intid_limit/8) in bursts of `burst`
    // bytes and make every LPI whose bit is set pending (its configuration
    // looked up as for set_pending; no byte is marked dirty: memory already
    // holds it). Returns the number of LPIs made pending.
    size_t load_pending_table(LpiBackend& mem, unsigned burst);
    // Mark the byte of every pending LPI dirty (full write-back).
    void mark_all_pending_dirty();
    // Forget every pending LPI, cached byte and dirty byte (after a write-back).
    void drop_all();
    // Abandon every operation waiting in a backend call (set_pending,
    // INV/INVALL, load_pending_table) without changing the state: what
    // they would record is not recorded. The owner calls it when it stops
    // accepting LPIs (EnableLPIs 1 -> 0), before the write-back.
    void abandon_waiting() { ++generation_; }

    // ---- Dirty pending-table bytes ----
    bool has_dirty() const { return dirty_count() != 0; }
    size_t dirty_count() const {
        return cfg_.tracking == PendingTracking::queue ? dirty_fifo_.size() : net_.size();
    }
    // Next dirty byte index (INTID/8): queue: the oldest; net: the lowest.
    // Removes it from the dirty set.
    uint32_t pop_dirty();
    // The byte the table should hold at index `byte_index`, from the state now.
    uint8_t pending_byte(uint32_t byte_index) const;
    uint64_t pending_byte_addr(uint32_t byte_index) const { return pend_base_ + byte_index; }
    // One write access: queue: one byte (the oldest); net: the lowest dirty
    // byte and the dirty bytes right after it in the same aligned
    // kMaxWriteRun-byte line. Computes the bytes from the state now and
    // writes them; false if nothing was dirty. `len` (if given) gets the
    // number of bytes written.
    bool write_next(MemPort& mem, unsigned* len = nullptr);
    // write_next() under its old name (one byte in queue tracking).
    bool write_one(MemPort& mem) { return write_next(mem); }
    // Write every dirty byte now; returns the number of bytes written.
    size_t flush(MemPort& mem);

    // ---- Inspection ----
    bool is_pending(uint32_t intid) const { return pending_.contains(intid); }
    // The snapshot a pending LPI holds (nullopt: not pending or invalid snapshot).
    std::optional<uint8_t> pending_config(uint32_t intid) const;
    size_t pending_count() const { return pending_.size(); }
    size_t selectable_count() const { return pending_.selectable_count(); }
    bool has_selectable() const { return pending_.selectable_count() != 0; }
    std::vector<uint32_t> pending_list() const;   // INTID order
    const SetAssocCache<uint8_t>& cache() const { return cache_; }
    const CacheStats& cache_stats() const { return cache_.stats(); }
    const LpiStats& stats() const { return stats_; }
    const LpiStateConfig& config() const { return cfg_; }
    // Change the tracking; only while nothing is dirty (returns false otherwise).
    bool set_tracking(PendingTracking t);
    // I1..I3 of the header; an empty string when they hold, else what broke.
    std::string check_invariants() const;

private:
    // Cache lookup, then memory on a miss. nullopt = the read failed.
    std::optional<uint8_t> lookup_config(uint32_t intid, LpiBackend& mem);
    void mark_dirty(uint32_t intid);
    // Re-read a pending LPI's configuration and replace its snapshot,
    // unless the state changed generation since `gen`.
    bool refresh(uint32_t intid, LpiBackend& mem, uint64_t gen);
    // After a change: the invariants, when ITSIM_CHECK_INVARIANTS is defined.
    void verify() const;

    LpiStateConfig cfg_;
    uint64_t prop_base_ = 0, pend_base_ = 0, limit_ = 0;
    // The pending LPIs and, of the selectable ones, the priority order.
    LpiPendingSet pending_;
    SetAssocCache<uint8_t> cache_;
    // net tracking (the lazy policy's: an MSI's, beside the fields above):
    // dirty bytes in address order (a flat sorted vector: no allocation per
    // change once it has grown; the owner bounds its size).
    struct NetByte {
        uint32_t index;
        uint8_t toggled;   // bits changed since memory held the state
        bool forced;       // written whatever the mask (full write-back)
    };
    std::vector<NetByte> net_;
    std::vector<NetByte>::iterator net_find(uint32_t index);
    uint64_t generation_ = 0;   // incremented by drop_all()
    LpiStats stats_;
    // queue tracking (write-through)
    std::deque<uint32_t> dirty_fifo_;
    FlatU32Set dirty_set_;
};

}  // namespace itsim
