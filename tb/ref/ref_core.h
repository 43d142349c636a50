// The reference's state machine: an untimed GICv3 ITS, its redistributors
// and CPUs, as plain maps. It shares nothing with models/its or
// models/redist except the command encoding (common/its_cmd.h): it is
// written from the architecture (shared/spec/its-facts.md) and the choices
// the model documents (top of models/its/its_core.h, its_tables.h,
// models/redist/lpi_state.h and redistributor.h, README "Architected
// behaviour"), so that a disagreement points at one of the two.
//
// State
//   - DTEs by DeviceID; CTEs (the RDbase field as written) by ICID.
//   - ITEs by their address in memory, ITT_addr + 8 * EventID: the ITT is
//     software's memory, so an ITE outlives the MAPD that made it
//     reachable (a device re-mapped to the same ITT finds its ITEs again),
//     as in the model, which never rewrites ITT memory (its_core.h, MAPD).
//     Two devices mapped at once over overlapping ITTs are unsupported:
//     the model's event cache is keyed by (DeviceID, EventID), so what a
//     command writes through one may stay stale in the other's lines.
//   - per redistributor: the pending LPIs with the configuration snapshot
//     they were made pending with (only Enable matters here: nothing masks
//     by priority), and what its configuration cache may hold (below).
//   - the property table: the Enable bit of the latest `lpi` line per LPI.
//   - acknowledge counts per (CPU, INTID).
//
// The CPU (settle rule): after every command and every trace line, each
// pending LPI whose snapshot is enabled is acknowledged exactly once by its
// CPU and stops being pending (LPIs have no active state). What is pending
// between lines is therefore exactly the LPIs pending with Enable = 0.
//
// Configuration cache. A new pending LPI takes its configuration from the
// redistributor's cache or, on a miss, from memory; INV and INVALL drop
// cached bytes and re-read pending LPIs. The reference does not model the
// cache's capacity; it keeps, per redistributor and LPI, the set of Enable
// values the cache might hold ({} = surely not cached: never looked up, or
// invalidated since). A lookup may return any value in that set or the one
// in memory; when those disagree the outcome depends on evictions, and the
// lookup throws Unsupported ("cache-dependent"). A lookup leaves the cache
// holding what it returned; with redist.config_line_bytes > 1 a miss also
// fills the neighbours of the aligned line with their bytes in memory, so
// they may hold those too. redist.config_cache.entries = 0: no cache, every
// lookup reads memory.
//
// Touches: every operation records what it read or changed (a DTE, an ITE
// address, a CTE, the pending state or a configuration lookup of one LPI
// at one redistributor), for the race guard (ref_races.h).
//
// Plain C++: no simulation kernel.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "itsim/common/its_cmd.h"

namespace itsim {
class Params;
}

namespace itsim::ref {

// The trace asks for something the reference cannot predict.
struct Unsupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the reference needs to know about the platform (platform_from()).
struct Platform {
    unsigned cpus = 4;
    bool pta = false;
    std::vector<uint64_t> rd_base;   // RD_base of redistributor i (PTA = 1)
    bool stall_policy = false;       // error_policy=stall
    unsigned device_bits = 16, event_bits = 16, lpi_bits = 16;
    // DeviceIDs / ICIDs the ITS accepts: min(2^bits, what the table the
    // driver agent allocates holds; GITS_BASER.Size caps it at 256 pages).
    uint64_t device_ids = 1ull << 16;
    uint64_t icids = 1ull << 16;
    // Two-level device table whose level-1 table was capped: the driver
    // agent believes it covers this many IDs (more than device_ids), and a
    // MAPD V=1 of an ID between the two makes it write a level-1
    // descriptor past its table (unsupported; see platform_from()).
    uint64_t device_l1_ids = 0;
    bool config_cache = true;        // redist.config_cache.entries != 0
    unsigned config_line_bytes = 1;
    uint64_t trace_base = 0x40000000, trace_end = 0x50000000;   // the trace's RAM
    uint64_t cmdq_slots = 2048;      // command queue slots (its.cmdq_pages * 128)
    uint64_t ack_ps = 20000, handler_ps = 200000;   // cpu.ack_latency, cpu.handler_latency

    uint64_t lpi_limit() const { return uint64_t{1} << lpi_bits; }
};
// From parameters that already hold the trace's platform line.
Platform platform_from(const Params& p);

// One MSI's translation.
struct MsiOutcome {
    bool delivered = false;
    uint32_t intid = 0, cpu = 0;
    std::string reason;   // dropped: the model's reason word
};

struct Touch {
    enum Kind : uint8_t {
        dte,         // key = DeviceID (read or written)
        ite,         // key = ITE address
        cte,         // key = ICID
        set,         // make (rd, intid) pending; hit = it was pending already
        clear,       // clear (rd, intid); hit = it was pending
        move_out,    // MOVI/MOVALL take (rd, intid) away; hit = it was pending
        move_all,    // MOVALL takes every pending LPI of rd away (then move_out each)
        reread,      // INV of (rd, intid); hit = it was pending
        reread_all,  // INVALL of rd
        lookup,      // configuration read of (rd, intid)
    };
    Kind kind;
    bool write = false;     // dte/ite/cte: written (else read)
    uint64_t key = 0;
    unsigned rd = 0;
    uint32_t intid = 0;
    bool hit = false;
};

class Core {
public:
    explicit Core(const Platform& p);
    const Platform& platform() const { return p_; }

    // Execute one command; returns its status (0 or the error code).
    // Throws Unsupported.
    uint32_t execute(const ItsCommand& cmd);
    MsiOutcome translate(uint32_t device, uint32_t event);
    // An `lpi` line: the LPI's byte in the property table.
    void write_property(uint32_t intid, bool enable);
    // The settle rule; returns the (rd, intid) acknowledged, INTID order per rd.
    std::vector<std::pair<unsigned, uint32_t>> settle();

    // EventIDs the last MAPD swept (the old ITT's 2^(Size+1); 0 otherwise).
    uint64_t last_sweep_events() const { return last_sweep_; }
    // Touches since the last clear_touches().
    const std::vector<Touch>& touches() const { return touches_; }
    void clear_touches() { touches_.clear(); }

    // Inspection.
    bool property_enabled(uint32_t intid) const;
    const std::map<std::pair<uint32_t, uint32_t>, uint64_t>& acks() const { return acks_; }
    std::map<uint32_t, std::set<uint32_t>> pending() const;   // cpu -> INTIDs
    bool is_pending(unsigned rd, uint32_t intid) const;
    // Redistributor index RDbase names, or -1.
    int resolve_rdbase(uint64_t field) const;
    // Redistributor the collection of `icid` targets, or -1 (unmapped).
    int collection_rd(uint32_t icid);
    // ITT span of a DTE: [itt, itt + 8 * 2^(size+1)).
    static uint64_t itt_bytes(uint8_t size) { return uint64_t{8} << (size + 1); }

private:
    struct Dte {
        uint64_t itt = 0;
        uint8_t size = 0;
    };
    struct Ite {
        uint32_t intid = 0;
        uint16_t icid = 0;
    };
    struct Redist {
        std::map<uint32_t, bool> pending;    // INTID -> snapshot Enable
        std::map<uint32_t, uint8_t> cached;  // INTID -> Enable values the cache may hold (bit0: 0, bit1: 1)
    };
    // Error codes of one command that names (DeviceID, EventID).
    struct Codes {
        uint32_t device_oor, unmapped_device, event_oor, unmapped_interrupt, unmapped_collection;
    };
    static Codes codes_for(ItsOpcode op);

    void touch(Touch::Kind k, uint64_t key, bool write = false);
    void touch_lpi(Touch::Kind k, unsigned rd, uint32_t intid, bool hit);
    // DTE, EventID range and ITE of (device, event): 0 and the ITE's
    // address, or the failing check's code.
    uint32_t find_interrupt(uint32_t device, uint32_t event, const Codes& c, uint64_t* ite_addr);

    uint32_t cmd_mapd(const ItsCommand& c);
    uint32_t cmd_mapc(const ItsCommand& c);
    uint32_t cmd_mapti(const ItsCommand& c, bool mapi);
    uint32_t cmd_movi(const ItsCommand& c);
    uint32_t cmd_by_event(const ItsCommand& c);   // INT CLEAR INV DISCARD
    uint32_t cmd_movall(const ItsCommand& c);
    uint32_t cmd_invall(const ItsCommand& c);

    // Redistributor operations.
    bool lookup(unsigned rd, uint32_t intid);   // configuration Enable; may throw
    void set_pending(unsigned rd, uint32_t intid, Touch::Kind why = Touch::set);
    bool clear_pending(unsigned rd, uint32_t intid, Touch::Kind why = Touch::clear);
    void inv(unsigned rd, uint32_t intid);
    void invall(unsigned rd);

    Platform p_;
    std::map<uint32_t, Dte> dtes_;
    std::map<uint64_t, Ite> ites_;
    std::map<uint32_t, uint64_t> ctes_;
    std::vector<Redist> rds_;
    std::map<uint32_t, bool> property_;   // INTID -> Enable (absent: 0)
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> acks_;
    std::vector<Touch> touches_;
    uint64_t last_sweep_ = 0;
};

}  // namespace itsim::ref
