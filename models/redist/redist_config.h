// The redistributor's configuration (RedistConfig, with its fields by name
// for `itsim params`), timing (RedistTiming), statistics (RedistStats) and
// the changes of pending state it reports as they happen (LpiChange,
// VlpiChange). The module that uses them: redistributor.h; the documented
// choices behind the parameters: the top of redistributor.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <systemc>

#include "itsim/common/config_fields.h"
#include "itsim/common/gic_version.h"
#include "itsim/common/lpi_target.h"
#include "itsim/redist/lpi_state.h"

namespace itsim {

// When the pending table in memory is written (see "Pending-table coherence").
enum class PendingTablePolicy : uint8_t { lazy, through };
const char* to_string(PendingTablePolicy p);

struct RedistConfig {
    // GICR_TYPER.Processor_Number (0..0xFFFF): the RDbase an ITS with PTA=0 uses.
    uint32_t processor_number = 0;
    // Physical address of this RD_base frame (the RDbase with PTA=1); QEMU virt's first.
    uint64_t rd_base = 0x080A0000;
    // GICR_TYPER.Affinity: Aff3.Aff2.Aff1.Aff0 of the CPU.
    uint32_t affinity = 0;
    // GICR_TYPER.Last: the platform sets it on the last redistributor of the region.
    bool last = true;
    // GICR_IIDR: ProductID 0x01, Implementer 0 (no JEP106 code: no errata match), as GITS_IIDR.
    uint32_t iidr = 0x01000000;
    // INTID bits the RD supports (GICD_TYPER.IDbits + 1), 14..24; 16 as KVM.
    unsigned max_id_bits = 16;
    // LPI configuration cache: lines (one LPI each) and ways; 0 entries = no cache.
    size_t config_cache_entries = 512;
    size_t config_cache_ways = 4;
    // Bytes read from the property table per miss (power of two, 1..64).
    unsigned config_line_bytes = 1;
    // Bytes per bus read when loading the pending table at enable (1..256): a cache line.
    unsigned pending_read_burst = 64;
    // GICR_CTLR.EnableLPIs may be cleared (CES = 1); false: RES1 once set.
    bool allow_disable = true;
    // INVLPIRs remembered until SYNCR; one more turns them into an INVALLR (bounded state).
    unsigned reg_inv_queue = 64;
    // Pending-table coherence: lazy (written back at SYNC, GICR_SYNCR, disable
    // and overflow) or through (every change written through a write buffer).
    PendingTablePolicy pending_table = PendingTablePolicy::lazy;
    // lazy: dirty pending-table bytes remembered (1..4096); a change that
    // leaves more dirty makes its caller write them all back.
    unsigned lazy_dirty_limit = 256;
    // Timing mode of the threads this module owns (write buffer, MMIO handling).
    TimingMode mode = TimingMode::accurate;
    // Bus accesses through DMI in fast mode.
    bool use_dmi = false;
    // Run the line, the directly driven CPU and posted LPIs lazily, with
    // one timed activation per simple interrupt ("Coalescing" in
    // redistributor.h). The platform sets it; it takes effect only where
    // the results cannot change.
    bool coalesce = false;
    // GIC architecture version (the platform sets it from gic.version): 4.0
    // and 4.1 add the virtual side (GICv4 below); 3: none of it, every
    // register, frame and result as a GICv3 redistributor's.
    GicVersion version = GicVersion::v3;

    // By name, as `itsim params` spells them after "redist."
    // (config_fields.h): config_cache.entries, config_cache.ways,
    // config_line_bytes, pending_read_burst, pending_table,
    // lazy_dirty_limit, allow_disable. The rest is set in code: the
    // platform numbers each redistributor, places its frame, gives it the
    // ITS's LPI INTID bits, its timing mode, use_dmi and coalesce.
    static const ConfigFields<RedistConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct RedistTiming {
    // 1 ns: a 1 GHz GIC clock (GIC-600 runs at the interconnect's clock).
    sc_core::sc_time clock_period = sc_core::sc_time(1, sc_core::SC_NS);
    // 1 cycle: one tag-and-data read of a small SRAM cache.
    unsigned config_lookup_cycles = 1;
    // 1 cycle: set a bit and insert into the priority order (a pipelined sorter).
    unsigned pending_update_cycles = 1;
    // 2 cycles: register stages of the stream from the redistributor to the CPU interface.
    unsigned signal_cycles = 2;
    // 2 cycles: the register-slave path of an MMIO access (decode + response).
    unsigned mmio_cycles = 2;
    // GICv4: 300 cycles, the residency engine's own time per schedule or
    // deschedule beside its memory accesses: GICR_VPENDBASER.Dirty reads 1
    // for this long after them (a parse takes "a few hundred ns" on
    // Kunpeng 920 with an empty VPT).
    unsigned vpt_parse_cycles = 300;
    // GICv4.1: 100 cycles from a GICR_VSGIR write until GICR_VSGIPENDR.Busy
    // reads 0 (no public figure: an assumption of the same order).
    unsigned vsgi_query_cycles = 100;

    // By name, as `itsim params` spells them after "redist."
    // (config_fields.h): clock (a frequency), lookup_cycles, pending_cycles,
    // signal_cycles, register_cycles.
    static const ConfigFields<RedistTiming>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct RedistStats {
    uint64_t set_pending = 0;          // LPIs newly made pending (ITS, SETLPIR)
    uint64_t already_pending = 0;      // set_pending of an LPI that was pending
    uint64_t refused_disabled = 0;     // refused: EnableLPIs == 0
    uint64_t refused_range = 0;        // refused: INTID out of range
    uint64_t cleared = 0;              // pending state cleared (ITS, CLRLPIR)
    uint64_t acks = 0, spurious_acks = 0, eois = 0;
    uint64_t irq_rises = 0;
    uint64_t activations = 0;          // runs of the line/CPU method (tick)
    uint64_t invs = 0, invalls = 0;              // from the ITS
    uint64_t reg_invs = 0, reg_invalls = 0;      // register-based, completed
    uint64_t reg_ignored = 0;          // INVLPIR/INVALLR/SETLPIR/CLRLPIR writes ignored
    uint64_t ignored_base_writes = 0;  // PROPBASER/PENDBASER writes while enabled
    uint64_t pending_table_loads = 0;  // EnableLPIs 0 -> 1 that read the table
    uint64_t lpis_loaded = 0;          // LPIs found pending in the table
    uint64_t write_backs = 0;          // EnableLPIs 1 -> 0 write-backs
    uint64_t syncs = 0;                // sync() calls and GICR_SYNCR reads
    uint64_t lazy_flushes = 0;         // lazy: write-backs that wrote something (any cause)
    uint64_t lazy_overflows = 0;       // lazy: write-backs forced by lazy_dirty_limit
    uint64_t bad_accesses = 0;         // MMIO: RAZ/WI by the bad-access rule, or an error response
};

// A change of pending state, reported as it happens (on_change): what the
// event log's "pend" records and the MSI records' "new" are made of. An
// acknowledge is not reported here (the CPU interface's AckRecord is).
struct LpiChange {
    enum class What : uint8_t {
        set,       // newly pending (config/valid: its snapshot)
        merge,     // made pending while pending: nothing changed
        clear,     // no longer pending (CLEAR, DISCARD, MAPD, MOVI, MOVALL, CLRLPIR)
        refresh,   // INV/INVALL/INVLPIR/INVALLR re-read a pending LPI's snapshot
        drop,      // dropped with every pending LPI: EnableLPIs 1 -> 0
        refused,   // not made pending: LPIs disabled (also before a posted LPI's time) or out of range
    };
    What what = What::set;
    uint64_t t_ps = 0;
    uint32_t cpu = 0;         // processor number of this redistributor
    uint32_t intid = 0;
    LpiCause cause;           // the caller's Timeline::context()
    uint8_t config = 0;       // set, refresh: the property byte of the snapshot
    bool valid = false;       // the byte was read (invalid: never selectable)
    bool enabled() const { return lpi::selectable(config, valid); }
    uint8_t priority() const { return config & lpi::kPropPriorityMask; }
};
const char* to_string(LpiChange::What w);

// GICv4: a change of a vLPI's or vSGI's pending state at this
// redistributor, reported as it happens (on_vchange): the event log's
// virtual pend records. `resident`: made in the resident vPE's state here;
// otherwise in the vPE's VPT in memory (a vLPI) or the vSGI store.
struct VlpiChange {
    enum class What : uint8_t {
        set,       // newly pending
        merge,     // pending already: nothing changed
        clear,     // no longer pending (CLEAR, DISCARD, VMOVI's source side, VSGI C=1)
        refresh,   // INV/VINVALL/INVLPIR/INVALLR (V=1) re-read a pending vLPI's configuration
        refused,   // not made pending: vINTID out of the vPE's range
        loaded,    // found pending in the VPT as the vPE was scheduled
    };
    What what = What::set;
    uint64_t t_ps = 0;
    uint32_t cpu = 0;          // processor number of this redistributor
    uint32_t vpeid = 0;        // as the operation named it (loaded/refresh with v4.0: 0xFFFFFFFF
                               // until an operation named the resident vPE)
    uint64_t vpt_addr = 0;
    uint32_t vintid = 0;       // a vLPI (>= 8192) or a vSGI (0..15, vsgi)
    bool vsgi = false;
    bool resident = false;
    LpiCause cause;            // the caller's Timeline::context()
    uint8_t config = 0;        // set, refresh, loaded (resident): the configuration byte
    bool valid = false;
};
const char* to_string(VlpiChange::What w);

}  // namespace itsim
