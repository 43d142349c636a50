// The reference's state machine: untimed ITSs (GICv3, and with GICv4 the
// virtual side: ref_core_virtual.cpp), their redistributors and CPUs, as
// plain maps; with its.count > 1 each ITS has its own tables (select_its). It shares nothing with models/its or
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

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "itsim/common/gic_version.h"
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
    // GICv4 and several ITSs (ref_core_virtual.cpp).
    GicVersion version = GicVersion::v3;   // gic.version
    unsigned its_count = 1;                // its.count
    unsigned ite_bytes = 8;                // 16 with GICv4
    uint64_t vpe_ids = 0;                  // vPEIDs the vPE table holds (GITS_BASER2 as the agent sizes it)
    unsigned vpes = 0, vpes_per_vm = 1;    // gic.vpes, gic.vpes_per_vm
    uint32_t doorbell_base = 0xFF00;       // gic.doorbell_base
    bool vmovp = true;                     // its.vmovp (GITS_TYPER.VMOVP)

    uint64_t lpi_limit() const { return uint64_t{1} << lpi_bits; }
    bool v4() const { return has_gicv4(version); }
    bool v41() const { return version == GicVersion::v4_1; }
};
// From parameters that already hold the trace's platform line.
Platform platform_from(const Params& p);

// One MSI's translation.
struct MsiOutcome {
    bool delivered = false;
    uint32_t intid = 0, cpu = 0;   // a virtual one: intid is the vINTID, cpu the vPE's redistributor
    std::string reason;   // dropped: the model's reason word
    bool virt = false;    // through a virtual ITE (GICv4)
    uint32_t vpeid = 0;
    uint32_t doorbell = 0;   // the doorbell LPI it rang; 0: none
};

// The pending state of vPE V's vLPIs and vSGIs is keyed in touches, takes
// and acknowledge counts as that of a redistributor numbered kVirtRd + V
// (ref_core_virtual.cpp).
constexpr unsigned kVirtRd = 1u << 20;
inline unsigned vkey(uint32_t vpeid) { return kVirtRd + vpeid; }
inline bool is_vkey(unsigned rd) { return rd >= kVirtRd; }

struct Touch {
    enum Kind : uint8_t {
        dte,         // key = ITS << 40 | DeviceID (read or written)
        ite,         // key = ITE address
        cte,         // key = ITS << 40 | ICID
        vte,         // key = ITS << 40 | vPEID (GICv4)
        set,         // make (rd, intid) pending; hit = it was pending already
        clear,       // clear (rd, intid); hit = it was pending
        move_out,    // MOVI/MOVALL take (rd, intid) away; hit = it was pending
        move_all,    // MOVALL takes every pending LPI of rd away (then move_out each);
                     // a schedule or deschedule of vPE V: rd = vkey(V)
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

    // The ITS the next execute() / translate() / sgi() goes to (0 ..
    // its_count - 1): each has its own tables.
    void select_its(unsigned n) { cur_ = n; }
    // Execute one command; returns its status (0 or the error code).
    // Throws Unsupported.
    uint32_t execute(const ItsCommand& cmd);
    MsiOutcome translate(uint32_t device, uint32_t event);

    // GICv4 (ref_core_virtual.cpp). VMAPP with the fields the trace left to the
    // software filled in as the driver agent does; throws Unsupported for
    // a VMAPP V=1 that names its own VPT or VCONF (or a vPE without one).
    ItsCommand fill_vmapp(const ItsCommand& cmd, uint32_t defaulted);
    void write_vconf(uint32_t vpeid, uint32_t vintid, bool enable);   // a `vlpi` line
    void schedule(unsigned cpu, uint32_t vpeid);
    void deschedule(unsigned cpu, bool doorbell);
    void sgi(uint32_t vpeid, uint32_t vintid);                        // GITS_SGIR of the selected ITS
    unsigned vm_of(uint32_t vpeid) const { return vpeid / (p_.vpes_per_vm ? p_.vpes_per_vm : 1); }
    bool vconf_enabled(uint32_t vpeid, uint32_t vintid) const;
    // The Enable a configuration lookup of (rd, intid) reads in memory
    // (rd a redistributor or a vkey()).
    bool config_enabled(unsigned rd, uint32_t intid) const;
    // The CPU that takes what is pending at rd (a vkey(): where the vPE is
    // resident, or -1).
    int take_cpu(unsigned rd) const;
    const std::map<uint32_t, uint64_t>& doorbells() const { return doorbells_; }
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
    // GICv4.1: (cpu, vPEID) -> the vSGIs pending at that redistributor (bit n: vSGI n).
    std::map<std::pair<uint32_t, uint32_t>, uint16_t> vsgi_pending() const;
    bool is_pending(unsigned rd, uint32_t intid) const;
    // Redistributor index RDbase names, or -1.
    int resolve_rdbase(uint64_t field) const;
    // Redistributor the collection of `icid` targets, or -1 (unmapped).
    int collection_rd(uint32_t icid);
    // ITT span of a DTE: [itt, itt + 8 * 2^(size+1)).
    static uint64_t itt_bytes(uint8_t size, unsigned ite_bytes = 8) { return uint64_t{ite_bytes} << (size + 1); }

private:
    struct Dte {
        uint64_t itt = 0;
        uint8_t size = 0;
    };
    struct Ite {
        uint32_t intid = 0;       // virtual: the vINTID
        uint16_t icid = 0;        // virtual: the vPEID
        bool virt = false;
        uint32_t doorbell = kNoDoorbell;   // virtual, GICv4.0: Dbell_pINTID
    };
    struct Vte {
        uint64_t rdbase = 0;      // as written
        uint8_t vpt_size = 0;
        uint32_t default_doorbell = kNoDoorbell;
    };
    // One ITS's tables.
    struct Tables {
        std::map<uint32_t, Dte> dtes;
        std::map<uint64_t, Ite> ites;
        std::map<uint32_t, uint64_t> ctes;
        std::map<uint32_t, Vte> vtes;
        bool have_seqnum = false;   // VMOVP with GITS_TYPER.VMOVP = 0
        uint32_t last_seqnum = 0;
    };
    // One vPE: its pending vLPIs (the VPT, or the resident state with the
    // snapshot's Enable), where it is resident, the resident state's
    // vINTID limit and configuration cache.
    struct Vpe {
        std::map<uint32_t, bool> pending;
        int resident = -1;
        uint64_t limit = 0;
        std::map<uint32_t, uint8_t> cached;
    };
    struct Vsgi {
        bool pending = false, enable = false, group = false;
        uint8_t priority = 0;   // priority[7:4] (only to tell a reset vSGI)
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
    // GICv4 (ref_core_virtual.cpp).
    uint32_t execute_virtual(const ItsCommand& c);
    uint32_t cmd_vmapp(const ItsCommand& c);
    uint32_t cmd_vmapti(const ItsCommand& c, uint32_t vintid, const cmd_error::VmapCodes& codes);
    uint32_t cmd_vmovi(const ItsCommand& c);
    uint32_t cmd_vmovp(const ItsCommand& c);
    uint32_t cmd_vpe(const ItsCommand& c, const cmd_error::VpeCodes& codes);
    uint32_t on_virtual_ite(const ItsCommand& c, uint64_t ite_addr);
    // The vPE's VTE on the selected ITS and its redistributor, or nullptr.
    const Vte* find_vte(uint32_t vpeid, int* rd);
    // What a redistributor does with a vLPI of vPE v (set_vlpi/clear_vlpi):
    // set returns false when refused (out of range).
    bool set_vlpi(unsigned rd, uint32_t vpeid, const Vte& vte, uint32_t vintid, uint32_t ite_doorbell);
    bool clear_vlpi(unsigned rd, uint32_t vpeid, uint32_t vintid);
    void inv_vlpi(unsigned rd, uint32_t vpeid, uint32_t vintid, bool all);
    bool vlookup(uint32_t vpeid, uint32_t vintid);
    void ring(unsigned rd, uint32_t vpeid, const Vte& vte, bool enabled, uint32_t ite_doorbell);
    void settle_virtual(std::vector<std::pair<unsigned, uint32_t>>& taken);
    // VMOVP (v4.1) from redistributor `from` to `to`: the armed default
    // doorbell and the vSGIs go along.
    void hand_over(unsigned from, unsigned to, uint32_t vpeid);
    bool valid_doorbell(uint32_t intid) const;   // 1023 or an LPI
    void check_resident_here(unsigned rd, uint32_t vpeid, const Vpe& v) const;
    uint64_t key(uint64_t id) const { return (uint64_t{cur_} << 40) | id; }
    Tables& T() { return its_[cur_]; }

    // Redistributor operations.
    bool lookup(unsigned rd, uint32_t intid);   // configuration Enable; may throw
    void set_pending(unsigned rd, uint32_t intid, Touch::Kind why = Touch::set);
    bool clear_pending(unsigned rd, uint32_t intid, Touch::Kind why = Touch::clear);
    void inv(unsigned rd, uint32_t intid);
    void invall(unsigned rd);

    Platform p_;
    std::vector<Tables> its_;
    unsigned cur_ = 0;
    std::vector<Redist> rds_;
    // GICv4, over the whole platform.
    std::map<uint32_t, Vpe> vpes_;
    std::map<std::pair<unsigned, uint32_t>, std::array<Vsgi, 16>> vsgis_;   // (rd, vPEID)
    std::set<std::pair<unsigned, uint32_t>> armed_;          // (rd, vPEID): v4.1 default doorbell armed
    std::map<std::pair<unsigned, uint32_t>, bool> vconf_;   // (VM, vINTID) -> Enable
    std::map<uint32_t, uint64_t> doorbells_;                // vPEID -> rings
    uint32_t rang_ = 0;                                     // the doorbell the last set_vlpi rang
    std::string vmapp_issue_;                               // why the filled VMAPP is unsupported
    std::map<uint32_t, bool> property_;   // INTID -> Enable (absent: 0)
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> acks_;
    std::vector<Touch> touches_;
    uint64_t last_sweep_ = 0;
};

}  // namespace itsim::ref
