// The platform's config structs and the parameter catalogue made of them
// (platform_config.h).
#include "platform_config.h"

#include <cstdio>
#include <stdexcept>

#include "itsim/common/config_fields_sc.h"
#include "params.h"

namespace itsim {

namespace {
constexpr uint64_t K = 1024;
}

const ConfigFields<PlatformConfig>& PlatformConfig::fields() {
    using P = PlatformConfig;
    static const ConfigFields<P> f{
        // Run
        field::integer<&P::cpus>("cpus", 1, 256, "CPUs, each with one redistributor and CPU interface"),
        field::choice<&P::mode>("mode", {{"accurate", TimingMode::accurate}, {"fast", TimingMode::fast}},
                                "timing mode: accurate (every bus access synchronised, contention modelled) or "
                                "fast (loosely timed, quantum, DMI)"),
        field::time<&P::quantum_ps>("quantum",
                                    "global quantum of the fast mode: how far a thread may run ahead of the kernel"),
        field::integer<&P::seed>("seed", 0, UINT64_MAX, "seed of every random choice; echoed in the event log"),
        field::time<&P::max_time_ps>("max_time", "simulated-time limit: a run still busy then stops with an error "
                                                 "(a guard, not a timeout of a correct run)"),
        field::choice<&P::progress>(
            "progress", {{"auto", ProgressLine::automatic}, {"on", ProgressLine::on}, {"off", ProgressLine::off}},
            "progress line on stderr: auto (only on a terminal), on, off"),
        field::flag<&P::coalesce>("coalesce",
                                  "redistributors run an interrupt's steps (LPI recorded, line, acknowledge, EOI) in "
                                  "one kernel activation where the CPU's next step is certain: the same records, "
                                  "fewer activations (0: one activation per step)"),
        // Memory map (QEMU virt)
        field::integer<&P::ram_base>("ram.base", 0, UINT64_MAX, "RAM base address (QEMU virt)", IntFormat::hex, 8),
        field::integer<&P::ram_size>("ram.size", 512 * K * K, 64 * K * K * K,
                                     "RAM size; only touched 4 KiB pages cost host memory", IntFormat::size),
        field::integer<&P::its_base>("its.base", 0, UINT64_MAX,
                                     "GITS frame base (control frame; translation frame at +64 KiB), QEMU virt",
                                     IntFormat::hex, 8),
        field::integer<&P::redist_base>("redist.base", 0, UINT64_MAX, "first redistributor's RD_base (QEMU virt)",
                                        IntFormat::hex, 8),
        field::integer<&P::redist_stride>(
            "redist.stride", 0x20000, 0x100000,
            "distance between redistributors: RD_base + SGI_base frames, 2 x 64 KiB (GICv3); with gic.version "
            "4.0 or 4.1 0x40000 (4 frames) unless set",
            IntFormat::hex),
        // GICv4
        field::choice<&P::gic_version>("gic.version",
                                       {{"3", GicVersion::v3}, {"4.0", GicVersion::v4_0}, {"4.1", GicVersion::v4_1}},
                                       "GIC architecture version: 3 (physical LPIs only), 4.0 (virtual LPIs, "
                                       "doorbells per ITE), 4.1 (vSGIs, default doorbells)"),
        field::integer<&P::vpes>("gic.vpes", 1, 4096,
                                 "GICv4: vPEs the software sets up (vPEIDs 0..N-1: a VPT each, vPE-table pages)"),
        field::integer<&P::vpes_per_vm>("gic.vpes_per_vm", 1, 4096,
                                        "GICv4: vPEs per VM; each VM's vPEs share one vLPI configuration table"),
        field::integer<&P::doorbell_base>("gic.doorbell_base", 8192, 0xFFFFFFFF,
                                          "GICv4: vPE v's doorbell is this LPI + v (enabled at bring-up)",
                                          IntFormat::hex),
        field::integer<&P::its_count>("its.count", 1, 16,
                                      "ITSs, ITS n at its.base + n x its frames (2 x 64 KiB, 3 with gic.version "
                                      "4.1), each with its own caches and command queue; GITS_CTLR.ITS_Number = n"),
    };
    return f;
}

const ConfigFields<DriverConfig>& DriverConfig::fields() {
    using D = DriverConfig;
    static const ConfigFields<D> f{
        field::choice<&D::device_indirect>("device_table", {{"flat", false}, {"indirect", true}},
                                           "device table the driver allocates: flat or indirect (two-level)"),
        field::choice<&D::collection_indirect>("collection_table", {{"flat", false}, {"indirect", true}},
                                               "collection table the driver allocates: flat or indirect"),
        field::choice<&D::page_size>("page_size", {{"4K", 4 * K}, {"16K", 16 * K}, {"64K", 64 * K}},
                                     "GITS_BASER page size the driver uses (4K, 16K or 64K)"),
        field::integer<&D::cmdq_pages>("cmdq_pages", 1, 256, "command queue size in 4 KiB pages (Linux: 64 KiB)"),
        field::choice<&D::vpe_indirect>("vpe_table", {{"flat", false}, {"indirect", true}},
                                        "GICv4: vPE table (GITS_BASER2) the driver allocates: flat or indirect"),
        field::time<&D::queue_timeout_ps>("queue_timeout",
                                          "how long the driver agent waits for the ITS (queue space, drain) before "
                                          "giving up, as Linux's 1 s ITS queue timeout"),
        field::time<&D::dirty_poll_ps>("dirty_poll", "GICv4: the hypervisor's GICR_VPENDBASER.Dirty poll step "
                                                     "(Linux: 1 us)"),
        field::time<&D::dirty_timeout_ps>("dirty_timeout",
                                          "GICv4: how long it polls Dirty before going on (Linux: 500 us, a warning)"),
    };
    return f;
}

// The catalogue's order is the one `itsim params` has always had.
const ConfigFields<SystemConfig>& SystemConfig::fields() {
    using S = SystemConfig;
    static const ConfigFields<S> f =
        ConfigFields<S>()
            .nest<&S::platform>("", PlatformConfig::fields(), {"cpus", "mode", "quantum", "seed", "max_time"})
            .nest<&S::its>("", ItsModuleConfig::fields(), {"error_policy"})
            .nest<&S::platform>("", PlatformConfig::fields())   // progress, the memory map
            .nest<&S::bus>("bus.", BusConfig::fields())
            .nest<&S::mem>("mem.", MemoryConfig::fields())
            .nest<&S::its>("its.", ItsModuleConfig::fields())
            .nest<&S::driver>("its.", DriverConfig::fields(),
                              {"device_table", "collection_table", "page_size", "cmdq_pages", "vpe_table"})
            .nest<&S::redist_timing>("redist.", RedistTiming::fields(), {"clock"})
            .nest<&S::redist>("redist.", RedistConfig::fields(), {"config_cache.entries", "config_cache.ways"})
            .nest<&S::redist_timing>("redist.", RedistTiming::fields())
            .nest<&S::redist>("redist.", RedistConfig::fields())
            .nest<&S::driver>("driver.", DriverConfig::fields())
            .nest<&S::cpu>("cpu.", CpuInterfaceConfig::fields());
    return f;
}

void apply_derived_defaults(Params& p) {
    auto hex = [](uint64_t v) {
        char buf[24];
        std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
        return std::string(buf);
    };
    PlatformConfig pc;
    pc.set("gic.version", p.raw("gic.version"));
    if (has_gicv4(pc.gic_version) && p.origin("redist.stride") == "default")
        p.set("redist.stride", hex(pc.redist_frames_bytes()), "gic.version");
    const bool bigger = p.integer("its.count") > 1 || pc.gic_version == GicVersion::v4_1;
    if (bigger && p.origin("redist.base") == "default") {
        const uint64_t its_lo = p.integer("its.base");
        const uint64_t its_hi = its_lo + p.integer("its.count") * pc.its_stride();
        const uint64_t rd_lo = p.integer("redist.base");
        const uint64_t rd_hi = rd_lo + p.integer("cpus") * p.integer("redist.stride");
        if (its_lo < rd_hi && rd_lo < its_hi) p.set("redist.base", hex(its_hi), "its.count");
    }
}

SystemConfig system_config(const Params& p) {
    SystemConfig c;
    for (const ConfigField<SystemConfig>& f : SystemConfig::fields().all()) {
        std::string why;
        // Params holds only values its catalogue accepted: the same parse.
        if (!f.set(c, p.raw(f.info.name), &why))
            throw std::logic_error("parameter " + f.info.name + "=" + p.raw(f.info.name) + " rejected: " + why);
    }
    return c;
}

}  // namespace itsim
