// The fields of the model config structs, by the names `itsim params`
// gives them after each struct's prefix (config_fields.h). Each struct's
// defaults are its own member initialisers; the meanings here are the
// one-line texts `itsim params` lists. The platform's catalogue
// (platform/platform_config.cpp) is made of these lists.
#include "itsim/common/config_fields.h"
#include "itsim/common/config_fields_sc.h"

#include "itsim/bus/bus.h"
#include "itsim/cpu/cpu_interface.h"
#include "itsim/its/its.h"
#include "itsim/its/its_core.h"
#include "itsim/memory/memory.h"
#include "itsim/redist/redistributor.h"

namespace itsim {

namespace {
constexpr uint64_t kMaxCacheLines = 1 << 20;
constexpr uint64_t kMaxCycles = 1000;
}  // namespace

const ConfigFields<ItsConfig>& ItsConfig::fields() {
    using C = ItsConfig;
    using G = ItsCacheGeometry;
    static const ConfigFields<C> f{
        field::integer<&C::device_id_bits>("device_bits", 1, 32, "DeviceID bits (GITS_TYPER.Devbits + 1)"),
        field::integer<&C::event_id_bits>("event_bits", 1, 32, "EventID bits (GITS_TYPER.ID_bits + 1)"),
        field::integer<&C::icid_bits>("icid_bits", 1, 16,
                                      "ICID bits: 16 (GITS_TYPER.CIL = 0) or fewer (CIL = 1, CIDbits = bits - 1)"),
        field::integer<&C::lpi_intid_bits>("lpi_bits", 14, 24, "INTID bits of the LPI space: LPIs 8192 .. 2^bits - 1"),
        field::integer<&C::pta>("pta", 0, 1,
                                "GITS_TYPER.PTA: RDbase is a processor number (0) or a physical address (1)"),
        field::choice<&C::error_policy>(
            "error_policy", {{"ignore", ItsErrorPolicy::ignore}, {"stall", ItsErrorPolicy::stall}},
            "what a command error does: ignore (skip, go on) or stall (GITS_CREADR.Stalled, wait for CWRITER.Retry)"),
        field::integer<&C::device_cache, &G::entries>("device_cache.entries", 0, kMaxCacheLines,
                                                      "device cache (DeviceID -> DTE) entries; 0 = no cache"),
        field::integer<&C::device_cache, &G::ways>("device_cache.ways", 1, kMaxCacheLines, "device cache associativity"),
        field::integer<&C::event_cache, &G::entries>("event_cache.entries", 0, kMaxCacheLines,
                                                     "event cache (DeviceID, EventID -> ITE) entries; 0 = no cache"),
        field::integer<&C::event_cache, &G::ways>("event_cache.ways", 1, kMaxCacheLines, "event cache associativity"),
        field::integer<&C::collection_cache, &G::entries>("collection_cache.entries", 0, kMaxCacheLines,
                                                          "collection cache (ICID -> CTE) entries; 0 = no cache"),
        field::integer<&C::collection_cache, &G::ways>("collection_cache.ways", 1, kMaxCacheLines,
                                                       "collection cache associativity (16 = fully associative)"),
        field::integer<&C::vmovp>("vmovp", 0, 1,
                                  "GICv4: GITS_TYPER.VMOVP, one VMOVP suffices (1) or each ITS in ITSList gets it (0)"),
        field::integer<&C::vpe_cache, &G::entries>("vpe_cache.entries", 0, kMaxCacheLines,
                                                   "GICv4: vPE cache (vPEID -> vPE table entry) entries; 0 = no cache"),
        field::integer<&C::vpe_cache, &G::ways>("vpe_cache.ways", 1, kMaxCacheLines, "GICv4: vPE cache associativity"),
    };
    return f;
}

const ConfigFields<ItsTiming>& ItsTiming::fields() {
    using T = ItsTiming;
    static const ConfigFields<T> f{
        field::clock<&T::clock_period>("clock", "ITS clock (GIC-600 runs its ITS at the interconnect clock)"),
        field::integer<&T::register_cycles>("register_cycles", 0, kMaxCycles,
                                            "ITS clock cycles for an MMIO register access"),
        field::integer<&T::ingress_cycles>("ingress_cycles", 0, kMaxCycles,
                                           "cycles from accepting a GITS_TRANSLATER write to starting its translation"),
        field::integer<&T::lookup_cycles>("lookup_cycles", 0, kMaxCycles,
                                          "cycles per cache lookup (a hit costs this; a miss this plus the table read)"),
        field::integer<&T::decode_cycles>("decode_cycles", 0, kMaxCycles,
                                          "cycles to decode a command after its 32 bytes arrive"),
        field::integer<&T::execute_cycles>("execute_cycles", 0, kMaxCycles,
                                           "cycles of command-engine work per command besides its memory accesses"),
        field::integer<&T::hop_cycles>("hop_cycles", 0, kMaxCycles,
                                       "cycles for a message on the ITS-to-redistributor stream"),
    };
    return f;
}

const ConfigFields<ItsModuleConfig>& ItsModuleConfig::fields() {
    using M = ItsModuleConfig;
    static const ConfigFields<M> f =
        ConfigFields<M>()
            .nest<&M::timing>("", ItsTiming::fields(), {"clock"})
            .nest<&M::core>("", ItsConfig::fields(),
                            {"device_bits", "event_bits", "icid_bits", "lpi_bits", "pta", "error_policy"})
            .add(field::integer<&M::max_reads>("max_reads", 1, 64, "ITS bus reads in flight at most (GIC-600: 5)"))
            .add(field::integer<&M::max_writes>("max_writes", 1, 64, "ITS bus writes in flight at most (GIC-600: 1)"))
            .add(field::integer<&M::translation_slots>("translation_slots", 1, 64,
                                                       "MSIs translated concurrently (one per outstanding-read slot)"))
            .add(field::integer<&M::ingress_depth>("ingress_depth", 1, 4096,
                                                   "GITS_TRANSLATER writes buffered before the writer is held back"))
            .nest<&M::core>("", ItsConfig::fields())      // the caches
            .nest<&M::timing>("", ItsTiming::fields());   // the cycle counts
    return f;
}

const ConfigFields<RedistConfig>& RedistConfig::fields() {
    using R = RedistConfig;
    static const ConfigFields<R> f{
        field::integer<&R::config_cache_entries>("config_cache.entries", 0, kMaxCacheLines,
                                                 "LPI configuration cache entries per redistributor; 0 = no cache"),
        field::integer<&R::config_cache_ways>("config_cache.ways", 1, kMaxCacheLines,
                                              "LPI configuration cache associativity"),
        field::integer<&R::config_line_bytes>(
            "config_line_bytes", 1, 64, "property-table bytes read per configuration-cache miss (power of two, 1..64)"),
        field::integer<&R::pending_read_burst>(
            "pending_read_burst", 1, 256,
            "bytes per bus read when loading the pending table as LPIs are enabled (a cache line)"),
        field::choice<&R::pending_table>("pending_table",
                                         {{"lazy", PendingTablePolicy::lazy}, {"through", PendingTablePolicy::through}},
                                         "pending-table coherence: lazy (written back by SYNC, GICR_SYNCR and "
                                         "EnableLPIs 1->0) or through (every change posted to memory)"),
        field::integer<&R::lazy_dirty_limit>("lazy_dirty_limit", 1, 4096,
                                             "lazy pending table: dirty bytes a redistributor holds before the change "
                                             "that exceeds it writes them back"),
        field::flag<&R::allow_disable>(
            "allow_disable",
            "GICR_CTLR.EnableLPIs can be cleared (CES=1): clearing writes the pending state back and drops it"),
    };
    return f;
}

const ConfigFields<RedistTiming>& RedistTiming::fields() {
    using T = RedistTiming;
    static const ConfigFields<T> f{
        field::clock<&T::clock_period>("clock", "redistributor clock"),
        field::integer<&T::config_lookup_cycles>("lookup_cycles", 0, kMaxCycles, "cycles per configuration-cache lookup"),
        field::integer<&T::pending_update_cycles>("pending_cycles", 0, kMaxCycles,
                                                  "cycles to update the pending state and the priority order"),
        field::integer<&T::signal_cycles>("signal_cycles", 0, kMaxCycles,
                                          "cycles from a new highest-priority pending LPI to the CPU's interrupt line"),
        field::integer<&T::mmio_cycles>("register_cycles", 0, kMaxCycles,
                                        "cycles for an MMIO access to a GICR register (decode + response)"),
        field::integer<&T::vpt_parse_cycles>(
            "vpt_parse_cycles", 0, 1000000,
            "GICv4: cycles GICR_VPENDBASER.Dirty stays 1 after a schedule's VPT parse or a deschedule's write-back"),
        field::integer<&T::vsgi_query_cycles>("vsgi_query_cycles", 0, 1000000,
                                              "GICv4.1: cycles GICR_VSGIPENDR.Busy reads 1 after a GICR_VSGIR write"),
    };
    return f;
}

const ConfigFields<CpuInterfaceConfig>& CpuInterfaceConfig::fields() {
    using C = CpuInterfaceConfig;
    static const ConfigFields<C> f{
        field::time<&C::ack_latency>("ack_latency",
                                     "from the interrupt line rising to the acknowledge (ICC_IAR1_EL1 read) returning"),
        field::time<&C::handler_latency>("handler_latency", "from acknowledge to end of interrupt (a short handler)"),
        field::integer<&C::pmr>("pmr", 0, 0xFF,
                                "ICC_PMR_EL1: only priorities strictly below it are taken (0xFF masks no LPI: "
                                "their lowest priority is 0xFC)",
                                IntFormat::hex, 2),
        field::flag<&C::preempt>("preempt",
                                 "a higher-priority interrupt interrupts a running handler, which resumes after it "
                                 "(0: handlers run to completion, as Linux runs them)"),
        field::integer<&C::bpr>("bpr", 0, 7,
                                "preemption compares priority >> bpr (the group priority; 0: every bit counts)"),
        field::time<&C::vack_latency>("vack_latency",
                                      "GICv4: from the virtual line rising to the ICV_IAR1_EL1 read returning"),
        field::time<&C::vhandler_latency>("vhandler_latency",
                                          "GICv4: from a virtual acknowledge to its end of interrupt"),
    };
    return f;
}

const ConfigFields<MemoryConfig>& MemoryConfig::fields() {
    using C = MemoryConfig;
    static const ConfigFields<C> f{
        field::time<&C::read_latency>(
            "read_latency", "DRAM read latency before the first beat (typical LPDDR4/DDR4 loaded-idle figure)"),
        field::time<&C::write_latency>(
            "write_latency", "write latency before the first beat (posted into the controller's write buffer)"),
        field::clock<&C::clock_period>("clock", "memory data-path clock"),
        field::integer<&C::bytes_per_cycle>("bytes_per_cycle", 1, 4096, "memory bandwidth per clock: a 128-bit data path"),
        field::flag<&C::dmi>("dmi", "grant DMI pointers (used by the fast mode for table reads)"),
    };
    return f;
}

const ConfigFields<BusConfig>& BusConfig::fields() {
    using C = BusConfig;
    static const ConfigFields<C> f{
        field::clock<&C::clock_period>("clock", "interconnect clock"),
        field::integer<&C::hop_cycles>("hop_cycles", 0, kMaxCycles,
                                       "bus cycles per transaction crossing the interconnect (request + response)"),
    };
    return f;
}

}  // namespace itsim
