// The platform's configuration as config structs (itsim/common/config_fields.h):
// PlatformConfig for what belongs to no model (the run, the memory map),
// and SystemConfig, every struct a System is built from. SystemConfig's
// fields are the parameter catalogue: `itsim params`, --set, config files
// and the trace's `platform` line all name its fields.
//
// The catalogue is the structs' own field lists under a prefix each
// ("its.", "redist.", "mem.", "bus.", "cpu.", "driver.", and none for
// PlatformConfig's), in the order `itsim params` has always listed them:
// its.error_policy is spelt error_policy and the driver's table layout
// its.device_table ... its.cmdq_pages, as before. A second ITS will be the
// same ItsModuleConfig list under "its1." (catalogue_for in params.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "driver.h"
#include "itsim/bus/bus.h"
#include "itsim/common/config_fields.h"
#include "itsim/common/gic_version.h"
#include "itsim/common/timeline.h"
#include "itsim/cpu/cpu_interface.h"
#include "itsim/its/its.h"
#include "itsim/memory/memory.h"
#include "itsim/redist/redistributor.h"

namespace itsim {

class Params;

enum class ProgressLine : uint8_t { automatic, on, off };

// Settings of the run and the platform as a whole. Defaults follow QEMU's
// `virt` memory map.
struct PlatformConfig {
    unsigned cpus = 4;                             // each with a redistributor and a CPU interface
    TimingMode mode = TimingMode::accurate;
    uint64_t quantum_ps = 1000000;                 // 1 us: the fast mode's global quantum
    uint64_t seed = 1;
    uint64_t max_time_ps = 10000000000000ull;      // 10 s of simulated time
    ProgressLine progress = ProgressLine::automatic;
    // The redistributors' coalescing (redistributor.h, "Coalescing"): the
    // same results, one timed activation per interrupt where it can be
    // known ahead; false: one per step, as before it existed.
    bool coalesce = true;
    uint64_t ram_base = 0x40000000;                // QEMU virt
    uint64_t ram_size = uint64_t{1} << 30;         // 1 GiB
    uint64_t its_base = 0x08080000;                // GITS control frame (QEMU virt)
    uint64_t redist_base = 0x080A0000;             // first RD_base (QEMU virt)
    uint64_t redist_stride = 0x20000;              // RD_base + SGI_base frames, 2 x 64 KiB
                                                   // (GICv4: 0x40000, 4 frames, unless set)
    // GICv4 (gicv4-design.md section 7). With gic.version=3 none of these
    // changes anything.
    GicVersion gic_version = GicVersion::v3;
    unsigned vpes = 4;                             // vPEIDs 0..vpes-1 get a VPT and a vPE-table entry page
    unsigned vpes_per_vm = 4;                      // vPEs v..v+K-1 (v a multiple of K) share a vLPI config table
    uint64_t doorbell_base = 0xFF00;               // vPE v's doorbell: LPI doorbell_base + v
    unsigned its_count = 1;                        // ITS n at its.base + n * its_stride()

    // An ITS's frames: 2 x 64 KiB (control, translation), 3 with GICv4.1
    // (GITS_SGIR's frame); ITS n starts n of these after its.base.
    uint64_t its_stride() const { return gic_version == GicVersion::v4_1 ? 0x30000 : 0x20000; }
    // A redistributor's frames: 2 x 64 KiB, 4 with GICv4 (VLPI_base at +0x20000).
    uint64_t redist_frames_bytes() const { return has_gicv4(gic_version) ? 0x40000 : 0x20000; }

    // By the names `itsim params` gives them: cpus, mode, quantum, seed,
    // max_time, progress, coalesce, ram.base, ram.size, its.base, redist.base,
    // redist.stride, gic.version, gic.vpes, gic.vpes_per_vm,
    // gic.doorbell_base, its.count.
    static const ConfigFields<PlatformConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

// Every config struct of a System, each part at its defaults until set by
// name. The per-instance and derived values (a redistributor's number and
// RD_base, the timing mode in each model, RAM size in the memory, the
// memory map in the driver) are System's to fill in; `redist` is what every
// redistributor starts from.
struct SystemConfig {
    PlatformConfig platform;
    BusConfig bus;
    MemoryConfig mem;
    ItsModuleConfig its;
    RedistConfig redist;
    RedistTiming redist_timing;
    CpuInterfaceConfig cpu;
    DriverConfig driver;

    // The parameter catalogue, in `itsim params` order.
    static const ConfigFields<SystemConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

// The structs at their defaults with every parameter of `p` set by name.
SystemConfig system_config(const Params& p);

// Defaults that follow other parameters, applied to what was left at its
// default (origin "default"); the value set says "gic.version" or
// "its.count" as its origin:
// - redist.stride: 0x40000 with gic.version 4.0 or 4.1 (4 frames);
// - redist.base: with its.count > 1 or gic.version=4.1, when the ITS frames
//   (its.count x 2 or 3 x 64 KiB from its.base) would overlap the
//   redistributors, right after the last ITS (one GICv3 or GICv4.0 ITS
//   fits QEMU virt's map as it is).
// Nothing changes with gic.version=3 and its.count=1.
void apply_derived_defaults(Params& p);

}  // namespace itsim
