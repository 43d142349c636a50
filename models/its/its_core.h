// itsim ITS behaviour: the GITS register file, the command queue, the twelve
// GICv3 physical commands, MSI translation and the ITS caches, as plain C++.
//
// No time lives here. Everything the ITS does outside itself goes through an
// ItsEnv passed to each call: memory reads and writes (the tables and the
// command queue live in guest memory), messages to redistributors, and
// `step()` notifications that let whoever drives the core charge pipeline
// cycles and stamp milestones. The SystemC module (its.h) implements ItsEnv
// over the bus and its `rd` port (the LpiOp stream, common/lpi_stream.h);
// tests implement it over a byte array.
//
// Calls may interleave: the module runs the command engine and several
// translation workers as threads, and an ItsEnv call may block. The core
// keeps no per-call state in members across ItsEnv calls, and a cache fill
// is dropped when any command changed that cache while the fill's table read
// was in flight (per-cache epoch), so no stale line survives.
//
// Table entry formats: its_tables.h. The behaviour is in three parts:
// its_core.cpp (construction, registers, command queue),
// its_core_commands.cpp (the twelve commands, indexed at its top),
// its_core_translate.cpp (table access, caches, MSI translation) and, for
// GICv4 (ItsConfig::version), its_core_virtual.cpp (the virtual commands,
// the vPE table and cache, GITS_SGIR; its own documented choices at its top).
//
// ---------------------------------------------------------------------------
// Documented choices (IMPLEMENTATION DEFINED or CONSTRAINED UNPREDICTABLE)
// ---------------------------------------------------------------------------
// Registers
//  - GITS_CBASER and GITS_BASER<n> writes while GITS_CTLR.Enabled == 1 are
//    ignored. A CBASER write (while disabled) clears GITS_CREADR (Offset and
//    Stalled) and nothing else; a command in flight at that moment completes
//    but does not move the new CREADR.
//  - GITS_CWRITER holding an offset outside the queue ((CBASER.Size+1)*4K)
//    is stored, and the queue counts as invalid (nothing is processed) until
//    a valid offset is written. CBASER.Valid == 0 likewise stops processing.
//  - CWRITER.Retry = 1 while stalled clears CREADR.Stalled and re-runs the
//    command at CREADR; otherwise it has no effect. Retry reads as 0.
//  - GITS_CTLR.Enabled 0->1 latches the device and collection table geometry
//    from BASER0/BASER1 and empties the caches. Quiescent reads 1 when the
//    ITS is disabled and no command or translation is in progress or waiting
//    in the ingress buffer.
//  - BASER0 = Device table, BASER1 = Collection table (Type and Entry_Size
//    RO), BASER2..7 RAZ/WI; with GICv4 BASER2 = vPE table (Type 2,
//    Entry_Size 31: 32-byte VTEs, flat or two-level), latched with the
//    others at Enabled 0 -> 1. Page_Size 0b11 (reserved) is stored as 0b10
//    (64K). Indirect is writable when ItsConfig::indirect_tables (else
//    RAZ/WI). Shareability and cacheability fields are stored as written.
//  - The control frame is a table (its_core.cpp control_frame(), one row per
//    register: offset, name, width, reset, access class, write mask,
//    handlers) read by the access routine every frame shares
//    (common/reg_frame.h): 32-bit halves of 64-bit registers, a 64-bit
//    access to two 32-bit registers, and the bad-access rule - a size, an
//    alignment or an offset that reaches no register reads 0, changes
//    nothing, and read_register/write_register return false (the module
//    answers it with an OK response and counts it). Offsets 0xFFD0-0xFFFC
//    hold the ID registers (PIDR4-7, PIDR0-3, CIDR0-3).
// Commands
//  - Checks run in this order and each stops the command before any table
//    access that would follow it: DeviceID range -> ICID / pINTID / Size /
//    RDbase field ranges -> (level-1 descriptor read) -> DTE read -> DTE
//    valid -> EventID range -> ITE read -> ITE valid -> CTE read -> CTE
//    valid. Each failing check has its own code (models/common/its_cmd.h
//    cmd_error, which names the source of every value):
//      check            INT       CLEAR     INV       DISCARD   MOVI
//      DeviceID range   0x010301  0x010501  0x010C01  0x010F01  0x010101
//      ICID range       -         -         -         -         0x010103
//      DTE valid        0x010304  0x010504  0x010C04  0x010F04* 0x010104
//      EventID range    0x010305  0x010505  0x010C05  0x010F05  0x010105
//      ITE valid        0x010307  0x010507  0x010C07  0x010F07  0x010107
//      CTE valid        0x010307  0x010507  0x010C07  0x010F07  0x010109
//    (* derived from the code pattern; no source lists it). An invalid
//    level-1 descriptor counts as "DTE not valid". A CTE that is not
//    valid, that sits behind an invalid level-1 descriptor, whose RDbase
//    names no redistributor, or whose ICID (read from the ITE) is out of
//    range, is "CTE not valid". An ITE that is valid but not physical is
//    "ITE not valid". MOVI checks the ITE's collection, then the new one.
//  - MAPTI / MAPI: DeviceID range (0x010A01 / 0x010B01), ICID range
//    (0x010A03 / 0x010B03), pINTID an LPI (0x010A06 / 0x010B06, MAPI's
//    pINTID being its EventID), DTE valid (0x010A04 / 0x010B04), EventID
//    range (0x010A05 / 0x010B05). MAPD: DeviceID range 0x010801, Size
//    0x010802. MAPC: ICID range 0x010903, RDbase 0x010902. INVALL: ICID
//    range 0x010D03, collection 0x010D09. MOVALL: RDbase 0x010E01.
//  - An invalid level-1 descriptor: MAPD and MAPC writes are discarded (the
//    command succeeds, as the architecture says); lookups see an unmapped
//    device or collection.
//  - A DTE read from the device table whose Size is past ID_bits (only
//    software overwriting the table can make one) counts as invalid: the
//    device is unmapped and a MAPD over it sweeps nothing.
//  - MAPD: Size is checked only when V=1. If the old DTE was valid (re-map,
//    or V=0), the new DTE is written first, the caches drop the device, and
//    then the old ITT is swept: its 2^(Size+1) ITEs are read in bursts of
//    `sweep_burst_bytes`, and the pending state of every valid ITE is
//    cleared at its collection's redistributor (the device's interrupts are
//    dropped). ITT memory itself is software's: it is not rewritten. The
//    sweep costs 2^(Size+1) * 8 / sweep_burst_bytes reads (8192 with the
//    default 16 EventID bits and 64-byte bursts).
//  - MAPC: RDbase is checked only when V=1 (an RDbase that names no
//    redistributor is 0x010902). V=0 writes the CTE invalid; ITEs keep their
//    ICID, so a later MAPC V=1 restores delivery. No pending state moves.
//  - MAPTI/MAPI over a valid ITE overwrites it (UNPREDICTABLE in the
//    architecture); the old LPI's pending state is left as it is.
//  - DISCARD clears the pending state at the redistributor, then writes the
//    ITE invalid (all zero).
//  - INT on a redistributor that refuses the LPI (LPIs disabled, INTID past
//    its PROPBASER.IDbits) completes with status 0: the ITS did its part.
//  - SYNC whose RDbase names no redistributor completes at once with status
//    0 (there is no architected error code for it).
//  - An unknown opcode is cmd_error::unknown_opcode(op).
//  - Error policy `ignore`: the failing command is skipped and CREADR
//    advances. `stall`: CREADR.Stalled = 1 and CREADR stays at the command.
//    A memory error (reading the command or a table, writing a table)
//    stalls under either policy; its CommandRecord has memory_error = true
//    and status 0.
// MSIs
//  - An MSI while the ITS is disabled is dropped ("its_disabled"). A memory
//    error during a translation drops the MSI ("memory_error"); it does not
//    stall the command queue.
// Caches
//  - Device cache: DeviceID -> DTE; event cache: (DeviceID, EventID) -> ITE;
//    collection cache: ICID -> CTE. Set-associative, LRU within a set
//    (common/set_assoc_cache.h); 0 entries = no cache (no lookup cost).
//    Only valid entries are cached. A command that writes an entry updates
//    a cached line if there is one (no allocation), and invalidates it when
//    the entry becomes invalid; MAPD drops the device and all its events.
//    Commands look entries up through the caches too.
//  - The event cache is keyed by (DeviceID, EventID), not by ITE address:
//    two devices mapped to overlapping ITT memory (a software error the
//    architecture leaves UNPREDICTABLE) see a command through one device
//    only in that device's lines; the other keeps its cached line until
//    it is evicted or its device is re-mapped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/common/config_fields.h"
#include "itsim/common/its_cmd.h"
#include "itsim/common/lpi_stream.h"
#include "itsim/common/records.h"
#include "itsim/common/reg_frame.h"
#include "itsim/common/set_assoc_cache.h"
#include "itsim/its/its_gits.h"
#include "itsim/its/its_tables.h"

namespace itsim {

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------
enum class ItsErrorPolicy : uint8_t { ignore, stall };
const char* to_string(ItsErrorPolicy p);

struct ItsCacheGeometry {
    size_t entries = 0;   // lines; a multiple of ways; 0 = no cache
    size_t ways = 1;
};

struct ItsConfig {
    unsigned device_id_bits = 16;   // GITS_TYPER.Devbits + 1 (1..32)
    unsigned event_id_bits = 16;    // GITS_TYPER.ID_bits + 1 (1..32)
    unsigned icid_bits = 16;        // 16: CIL = 0; 1..15: CIL = 1, CIDbits = bits - 1
    unsigned lpi_intid_bits = 16;   // pINTID valid range 8192 .. 2^bits - 1 (14..32)
    bool pta = false;               // GITS_TYPER.PTA: RDbase = PA[51:16] instead of processor number
    ItsErrorPolicy error_policy = ItsErrorPolicy::ignore;
    bool indirect_tables = true;    // two-level tables supported (BASER.Indirect writable)
    // GIC-600-like sizes: a few dozen devices, a few hundred hot events, one
    // collection per CPU.
    ItsCacheGeometry device_cache{64, 4};
    ItsCacheGeometry event_cache{256, 4};
    ItsCacheGeometry collection_cache{16, 16};
    // GITS_IIDR: ProductID 0x01, Variant 0, Revision 0, Implementer 0 (not a
    // JEP106 code, so no driver applies another vendor's errata).
    uint32_t iidr = 0x01000000;
    // Read size while sweeping an old ITT on MAPD (a multiple of 8, 8..256;
    // with GICv4's 16-byte ITEs rounded down to a multiple of 16, at least 16).
    unsigned sweep_burst_bytes = 64;

    // GICv4 (gicv4-design.md 1). With version v3 (the default; set in code
    // from gic.version) these change nothing: every part is GICv3's.
    GicVersion version = GicVersion::v3;
    bool vmovp = true;              // GITS_TYPER.VMOVP: one VMOVP suffices (1) or each ITS in ITSList gets it (0)
    unsigned its_number = 0;        // GITS_CTLR.ITS_Number (0..15, RO): this ITS's ITSList bit (set in code)
    ItsCacheGeometry vpe_cache{32, 4};   // vPEID -> VTE

    // By name, as `itsim params` spells them after "its." (config_fields.h):
    // device_bits, event_bits, icid_bits, lpi_bits, pta, error_policy and
    // the caches' entries/ways, vmovp and vpe_cache.entries/ways. iidr,
    // indirect_tables, sweep_burst_bytes, version and its_number are set in
    // code only.
    static const ConfigFields<ItsConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

// A redistributor the ITS can target: RDbase resolves to one of these.
struct RdInfo {
    uint32_t processor_number = 0;  // GICR_TYPER.Processor_Number (PTA = 0)
    uint64_t rd_base = 0;           // RD_base PA, 64 KB aligned (PTA = 1)
};

// ---------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------
// What a memory access is for (lets the timing side and tests tell them apart).
enum class ItsAccess : uint8_t {
    command,        // 32-byte command from the queue
    device_l1,      // level-1 descriptor of the device table
    dte,
    collection_l1,
    cte,
    ite,
    itt_sweep,      // MAPD reading an old ITT in bursts
    vpe_l1,         // GICv4: level-1 descriptor of the vPE table
    vte,            // GICv4: vPE table entry (32 bytes)
};
const char* to_string(ItsAccess a);

// Pipeline steps. "cost" steps are where the timing side charges cycles;
// "milestone" steps cost nothing and mark a point a record stamps.
enum class ItsStep : uint8_t {
    command_fetched,    // milestone: the command's 32 bytes arrived
    command_decode,     // cost: decode, once per fetched command
    command_execute,    // cost: execute, once per command with a known opcode
    command_retire,     // milestone: CREADR is about to move (or the queue stall)
    device_cache,       // cost: a device-cache lookup (hit or miss)
    event_cache,        // cost: an event-cache lookup
    collection_cache,   // cost: a collection-cache lookup
    redist_hop,         // cost: a message to a redistributor, before each call
    device_known,       // milestone (MSI): DTE known
    event_known,        // milestone (MSI): ITE known
    collection_known,   // milestone (MSI): CTE known
    lpi_pending,        // milestone (MSI): the redistributor made the LPI pending
    vpe_cache,          // cost (GICv4): a vPE-cache lookup
};
const char* to_string(ItsStep s);

class ItsEnv {
public:
    virtual ~ItsEnv() = default;
    // Memory; false = the access failed (bus error response).
    virtual bool read(uint64_t addr, void* dst, unsigned len, ItsAccess what) = 0;
    virtual bool write(uint64_t addr, const void* src, unsigned len, ItsAccess what) = 0;
    virtual void step(ItsStep s) = 0;
    // A message on the ITS-to-redistributor stream (common/lpi_stream.h) to
    // redistributor `rd`, an index into the list given to
    // set_redistributors() (the module: its `rd` port's binding order).
    // The core sends the physical kinds without `posted`; the module posts
    // an MSI's set_pending in fast mode (its_lane.cpp).
    virtual LpiResult send(unsigned rd, const LpiOp& op) = 0;
};

// The register map (offsets, fields): its_gits.h.


// ---------------------------------------------------------------------------
// The core
// ---------------------------------------------------------------------------
class ItsCore {
public:
    explicit ItsCore(const ItsConfig& cfg = {});   // throws std::invalid_argument on a bad config
    const ItsConfig& config() const { return cfg_; }

    // Redistributors RDbase can name. PTA = 0: RDbase = processor_number;
    // PTA = 1: RDbase = rd_base >> 16.
    void set_redistributors(std::vector<RdInfo> rds);
    const std::vector<RdInfo>& redistributors() const { return rds_; }
    std::optional<unsigned> resolve_rdbase(uint64_t field) const;

    // ---- Register file (the control frame) ----
    // Through register_frame()'s access routine (common/reg_frame.h): size 4
    // or 8, aligned to it; a 32-bit access to a 64-bit register reaches its
    // low (offset) or high (offset + 4) half; an 8-byte access at CTLR reads
    // CTLR and IIDR. false: a bad access (reads 0, changes nothing). Reads
    // have no side effect.
    bool read_register(uint64_t offset, unsigned size, uint64_t* value) const {
        return regs_.read(*this, nullptr, offset, size, value);
    }
    bool write_register(uint64_t offset, unsigned size, uint64_t value) {
        return regs_.write(*this, nullptr, offset, size, value);
    }
    using Frame = RegFrame<ItsCore>;
    const Frame& register_frame() const { return regs_; }

    uint32_t ctlr() const;
    uint64_t typer() const { return typer_; }
    uint64_t cbaser() const { return cbaser_; }
    uint64_t cwriter() const { return cwriter_; }
    uint64_t creadr() const { return creadr_ | (stalled_ ? gits::CREADR_Stalled : 0); }
    uint64_t baser(unsigned n) const { return n < 8 ? baser_[n] : 0; }
    bool enabled() const { return enabled_; }
    bool stalled() const { return stalled_; }

    // Latched at Enabled 0 -> 1.
    const TableGeometry& device_table() const { return dev_table_; }
    const TableGeometry& collection_table() const { return col_table_; }
    uint64_t max_device_ids() const { return dev_table_.max_ids(cfg_.device_id_bits); }
    uint64_t max_icids() const { return col_table_.max_ids(cfg_.icid_bits); }
    // GICv4: the vPE table (BASER2), latched likewise; vPEIDs are 16 bits.
    static constexpr unsigned kVpeidBits = 16;
    const TableGeometry& vpe_table() const { return vpe_table_; }
    uint64_t max_vpeids() const { return vpe_table_.max_ids(kVpeidBits); }
    unsigned ite_bytes() const { return itsim::ite_bytes(cfg_.version); }   // 8, 16 with GICv4

    // ---- Command queue ----
    uint64_t queue_bytes() const;        // (CBASER.Size + 1) * 4K, 0 when CBASER is invalid
    bool queue_valid() const;            // CBASER valid and CWRITER inside the queue
    bool command_ready() const;          // enabled, valid, not stalled, CREADR != CWRITER
    unsigned queue_occupancy() const;    // commands between CREADR and CWRITER
    uint64_t queue_generation() const { return queue_gen_; }   // bumped by CBASER writes

    struct CommandResult {
        CommandRecord record;   // offset, cmd, status, memory_error, table_reads/writes
        bool stalled = false;   // the queue stalled at this command
        bool retired = false;   // CREADR moved past it
    };
    // Fetch the command at CREADR, execute it, then advance CREADR or stall.
    // Precondition: command_ready().
    CommandResult process_next(ItsEnv& env);
    // Execute one decoded command against the current tables (no queue
    // effects; the ITS must be enabled for its tables to exist). Fills
    // status, memory_error, table_reads and table_writes of `rec`.
    void execute(const ItsCommand& cmd, ItsEnv& env, CommandRecord& rec);

    // ---- Translation ----
    // Translate an MSI and make its LPI pending. Fills delivered, intid,
    // cpu, reason, the *_hit flags and table_reads of `rec`.
    void translate(uint32_t device, uint32_t event, ItsEnv& env, MsiRecord& rec);
    // GICv4.1 GITS_SGIR write: set_vsgi of vINTID[3:0] at the redistributor
    // of vPE vPEID[47:32]. false: dropped (not 4.1, disabled, vPE unmapped).
    bool write_sgir(uint64_t value, ItsEnv& env);
    // GICv4, several ITSs (this one may be listed): with GITS_TYPER.VMOVP
    // = 1 a VMOVP rewrites their vPE table entries too.
    void set_peers(std::vector<ItsCore*> peers) { peers_ = std::move(peers); }

    // ---- Statistics ----
    const CacheStats& device_cache_stats() const { return dev_cache_.stats(); }
    const CacheStats& event_cache_stats() const { return evt_cache_.stats(); }
    const CacheStats& collection_cache_stats() const { return col_cache_.stats(); }
    const CacheStats& vpe_cache_stats() const { return vpe_cache_.stats(); }   // GICv4
    uint64_t sgir_writes() const { return sgir_writes_; }
    uint64_t vsgis_dropped() const { return vsgis_dropped_; }
    uint64_t commands_executed() const { return commands_executed_; }
    uint64_t command_errors() const { return command_errors_; }
    uint64_t commands_by_opcode(uint8_t op) const { return by_opcode_[op]; }
    uint64_t msis_delivered() const { return msis_delivered_; }
    uint64_t msis_dropped() const { return msis_dropped_; }
    // Cache fills abandoned because a command changed that cache while
    // the fill's table read was in flight (the fill race, see the top).
    uint64_t fills_dropped() const { return fills_dropped_; }
    unsigned translations_in_flight() const { return inflight_msis_; }
    // The module's count of MSIs it accepted but has not translated yet
    // (its ingress buffer): GITS_CTLR.Quiescent waits for them too.
    void set_waiting_msis(unsigned n) { waiting_msis_ = n; }
    bool command_in_flight() const { return inflight_cmds_ != 0; }

    // Test and debug access to cached lines (no statistics touched).
    const ItsDte* peek_device_cache(uint32_t dev) const { return dev_cache_.peek(dev); }
    const ItsIte* peek_event_cache(uint32_t dev, uint32_t ev) const { return evt_cache_.peek(event_key(dev, ev)); }
    const ItsCte* peek_collection_cache(uint32_t icid) const { return col_cache_.peek(icid); }
    const ItsVte* peek_vpe_cache(uint32_t vpeid) const { return vpe_cache_.peek(vpeid); }

private:
    enum class Find : uint8_t { ok, out_of_range, unmapped, memory_error };
    struct Ctx;

    static uint64_t event_key(uint32_t dev, uint32_t ev) { return (uint64_t{dev} << 32) | ev; }

    // Memory helpers (count reads/writes in ctx).
    bool read64(Ctx& c, uint64_t addr, ItsAccess what, uint64_t* v);
    bool write64(Ctx& c, uint64_t addr, ItsAccess what, uint64_t v);
    // Entry address of `id` in a table: out_of_range, unmapped (invalid
    // level-1 descriptor), memory_error or ok.
    Find entry_address(Ctx& c, const TableGeometry& t, uint64_t id, unsigned bits, ItsAccess l1_what,
                       uint64_t* addr);
    Find find_dte(Ctx& c, uint32_t dev, ItsDte* out, bool* hit);
    ItsDte table_dte(uint64_t raw) const;   // decode_dte, Size checked against ID_bits
    // One ITE in the version's format (8 bytes, or 16 as one access).
    bool read_ite(Ctx& c, uint64_t addr, ItsIte* out);
    bool write_ite(Ctx& c, uint64_t addr, const ItsIte& e);
    Find find_ite(Ctx& c, uint32_t dev, const ItsDte& dte, uint32_t event, ItsIte* out, bool* hit);
    Find find_cte(Ctx& c, uint32_t icid, ItsCte* out, bool* hit);
    // CTE of `icid` resolved to a redistributor index (an RDbase naming no
    // redistributor counts as unmapped).
    Find find_target(Ctx& c, uint32_t icid, unsigned* rd, bool* hit);
    // The codes a command that names (DeviceID, EventID) reports, one per
    // failing check (cmd_error::kIntCodes ... kMoviCodes).
    using LookupCodes = cmd_error::EventCodes;
    // DTE then ITE of (dev, event). On a failed check sets rec.status from
    // `codes` (or rec.memory_error) and returns false.
    bool find_interrupt(Ctx& c, uint32_t dev, uint32_t event, const LookupCodes& codes, CommandRecord& rec,
                        ItsDte* dte, ItsIte* ite);
    // CTE of `icid` resolved to a redistributor; on failure sets
    // rec.status = `unmapped` (or rec.memory_error) and returns false.
    bool find_command_target(Ctx& c, uint32_t icid, uint32_t unmapped, CommandRecord& rec, unsigned* rd);
    // find_interrupt, then the redistributor of the ITE's collection.
    bool find_event_target(Ctx& c, const ItsCommand& cmd, const LookupCodes& codes, CommandRecord& rec,
                           ItsDte* dte, ItsIte* ite, unsigned* rd);

    // Commands (its_core_commands.cpp): execute() looks the opcode up in
    // the command table and hands it to the handler of its family (the
    // commands cfg_.version has).
    void run_mapping(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);             // MAPD MAPC MAPTI MAPI
    void run_per_interrupt(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);       // INT CLEAR INV DISCARD MOVI
    void run_per_redistributor(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);   // INVALL MOVALL SYNC
    void cmd_mapd(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_mapc(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_mapti(Ctx& c, const ItsCommand& cmd, uint32_t intid, CommandRecord& rec);   // MAPI: intid = EventID
    void cmd_int(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_clear(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_inv(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_discard(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_movi(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_invall(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_movall(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_sync(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    Find sweep_itt(Ctx& c, const ItsDte& old);

    // GICv4 (its_core_virtual.cpp; read_ite/write_ite, translate_virtual:
    // its_core_translate.cpp). find_vpe_target: the VTE resolved to a
    // redistributor (an RDbase naming none: unmapped); on_virtual_ite: INT
    // CLEAR INV DISCARD whose ITE is virtual; cmd_vpe: VSYNC VINVALL INVDB
    // VSGI; translate_virtual: the reason an MSI was dropped, or nullptr.
    bool is_lpi(uint32_t intid) const;
    bool valid_doorbell(uint32_t intid) const { return intid == kNoDoorbellIntid || is_lpi(intid); }
    Find vte_address(Ctx& c, const TableGeometry& t, uint32_t vpeid, uint64_t* addr);
    bool read_vte(Ctx& c, uint64_t addr, ItsVte* out);
    bool write_vte(Ctx& c, uint64_t addr, const ItsVte& e);
    Find find_vte(Ctx& c, uint32_t vpeid, ItsVte* out, bool* hit);
    Find find_vpe_target(Ctx& c, uint32_t vpeid, ItsVte* vte, unsigned* rd, bool* hit);
    static VpeRef vpe_ref(uint32_t vpeid, const ItsVte& e);
    void note_vpe(CommandRecord& rec, uint32_t vpeid, unsigned rd) const;
    void run_virtual(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void on_virtual_ite(Ctx& c, const ItsCommand& cmd, const ItsDte& dte, const ItsIte& ite, CommandRecord& rec);
    void cmd_vmapp(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_vmapti(Ctx& c, const ItsCommand& cmd, uint32_t vintid, const cmd_error::VmapCodes& codes,
                    CommandRecord& rec);
    void cmd_vmovi(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    void cmd_vmovp(Ctx& c, const ItsCommand& cmd, CommandRecord& rec);
    Find vmovp_peers(Ctx& c, const ItsCommand& cmd);
    void cmd_vpe(Ctx& c, const ItsCommand& cmd, LpiOp::Kind kind, const cmd_error::VpeCodes& codes,
                 CommandRecord& rec);
    const char* translate_virtual(Ctx& c, const ItsIte& ite, MsiRecord& rec);

    // The control frame's table and its handlers (its_core.cpp).
    static Frame control_frame(const ItsConfig& cfg);
    static uint64_t typer_value(const ItsConfig& cfg);
    uint64_t read_ctlr() const { return ctlr(); }
    void write_ctlr(uint64_t v, uint64_t mask);
    uint64_t read_cbaser() const { return cbaser_; }
    void write_cbaser(uint64_t v, uint64_t mask);
    uint64_t read_cwriter() const { return cwriter_; }
    void write_cwriter(uint64_t v, uint64_t mask);
    uint64_t read_creadr() const { return creadr(); }
    uint64_t read_baser0() const { return baser_[0]; }
    uint64_t read_baser1() const { return baser_[1]; }
    void write_baser0(uint64_t v, uint64_t mask) { write_baser(0, v, mask); }
    void write_baser1(uint64_t v, uint64_t mask) { write_baser(1, v, mask); }
    uint64_t read_baser2() const { return baser_[2]; }
    void write_baser2(uint64_t v, uint64_t mask) { write_baser(2, v, mask); }
    void write_baser(unsigned n, uint64_t v, uint64_t mask);
    void reset_caches();

    ItsConfig cfg_;
    std::vector<RdInfo> rds_;
    // RDbase encoding -> index into rds_, flat: a direct table over
    // [rd_key_min_, rd_key_min_ + size) when the encodings are dense (PTA=0:
    // processor numbers), else (key, index) pairs in key order.
    static constexpr uint32_t kNoRd = UINT32_MAX;
    uint64_t rd_key_min_ = 0;
    std::vector<uint32_t> rd_direct_;
    std::vector<std::pair<uint64_t, uint32_t>> rd_sorted_;

    // Registers.
    bool enabled_ = false;
    uint64_t typer_ = 0;
    uint64_t cbaser_ = 0;
    uint64_t cwriter_ = 0;     // Offset bits only
    uint64_t creadr_ = 0;      // Offset bits only
    bool stalled_ = false;
    std::array<uint64_t, 8> baser_{};
    uint64_t queue_gen_ = 0;
    Frame regs_{control_frame(cfg_)};   // after cfg_: built from it

    TableGeometry dev_table_, col_table_, vpe_table_;

    SetAssocCache<ItsDte> dev_cache_;
    SetAssocCache<ItsIte> evt_cache_;
    SetAssocCache<ItsCte> col_cache_;
    uint64_t dev_epoch_ = 0, evt_epoch_ = 0, col_epoch_ = 0;
    SetAssocCache<ItsVte> vpe_cache_;   // GICv4
    uint64_t vpe_epoch_ = 0;
    bool have_seqnum_ = false;          // VMOVP with GITS_TYPER.VMOVP = 0
    uint32_t last_seqnum_ = 0;
    std::vector<ItsCore*> peers_;
    uint64_t sgir_writes_ = 0, vsgis_dropped_ = 0;

    unsigned inflight_msis_ = 0;
    unsigned waiting_msis_ = 0;
    unsigned inflight_cmds_ = 0;
    uint64_t commands_executed_ = 0, command_errors_ = 0;
    std::array<uint64_t, 256> by_opcode_{};
    uint64_t msis_delivered_ = 0, msis_dropped_ = 0;
    uint64_t fills_dropped_ = 0;
};

}  // namespace itsim
