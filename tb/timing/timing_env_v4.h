// What the GICv4 latency tests (tb/timing/test_latency_v4_*.cpp) share:
// the stated parameters of latency_stated.h with a GICv4 platform on top,
// two sets of GICv4 parameters (kCaseA, kCaseB: different memory latency,
// vPE cache, vPE table format, VPT burst, parse floor, CPU latencies, so a
// missing or extra term changes a total), the GICv4 stage costs computed
// from the parameters, and the hypervisor's Dirty poll replayed from them.
//
// Where each cost comes from (the model headers document them):
//   vPE cache (its_core.h, its_core_virtual.cpp): its.lookup_cycles per
//     lookup, no lookup without a cache; a miss reads the 32-byte VTE, after
//     a level-1 descriptor (8 bytes) with a two-level vPE table.
//   ITEs are 16 bytes with GICv4 (its_tables.h).
//   Redistributor, virtual side (redist_virtual.cpp, vpe_state.h): a vLPI to
//     the resident vPE as set_pending (lookup, configuration line on a miss,
//     update); to a non-resident vPE the VPT byte read, the update, the byte
//     written; the v4.1 default doorbell reads the vLPI's configuration byte
//     first; the doorbell is a physical set_pending. The parse at a
//     schedule (VPT bytes [1024, 2^bits / 8) in pending_read_burst reads,
//     v4.1 the VTE before, per pending vLPI lookup + line + update), then
//     Dirty reads 1 for redist.vpt_parse_cycles more (redistributor.h).
//   GICR registers: one bus hop + redist.register_cycles per access, the
//     register seeing it at the end (redist_registers.cpp).
//   CPU (cpu_interface.h): the virtual line rises signal_cycles after the
//     update (a schedule: after the parse), ICV_IAR1 returns
//     cpu.vack_latency later, the handler ends cpu.vhandler_latency later.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "latency_stated.h"

namespace {

// GICv4 on top of kStated: two vPEs in one VM.
Settings v4_settings(const std::string& version, const Settings& extra) {
    Settings s = kStated;
    s.push_back({"gic.version", version});
    s.push_back({"gic.vpes", "2"});
    s.push_back({"gic.vpes_per_vm", "2"});
    for (const auto& kv : extra) s.push_back(kv);
    return s;
}

// Case A: a vPE cache, a flat vPE table, 64-byte VPT reads.
const Settings kCaseA = {
    {"its.vpe_cache.entries", "8"},
    {"its.vpe_cache.ways", "2"},
    {"redist.vpt_parse_cycles", "75"},
    {"redist.register_cycles", "3"},
    {"redist.pending_read_burst", "64"},
    {"cpu.vack_latency", "90ns"},
    {"cpu.vhandler_latency", "110ns"},
    {"driver.dirty_poll", "250ns"},
};
// Case B: slower DRAM reads, no vPE cache (every VTE read), a two-level vPE
// table (a level-1 read before each VTE), 128-byte VPT reads, 4-byte
// configuration lines, another parse floor, other CPU latencies, two ITSs.
const Settings kCaseB = {
    {"mem.read_latency", "61ns"},
    {"its.vpe_cache.entries", "0"},
    {"its.vpe_table", "indirect"},
    {"redist.vpt_parse_cycles", "40"},
    {"redist.register_cycles", "4"},
    {"redist.pending_read_burst", "128"},
    {"redist.config_line_bytes", "4"},
    {"cpu.vack_latency", "45ns"},
    {"cpu.vhandler_latency", "60ns"},
    {"driver.dirty_poll", "400ns"},
    {"its.count", "2"},
};

struct CostsV4 : Costs {
    uint64_t MMIO = 0;       // redist.register_cycles
    uint64_t PARSE = 0;      // redist.vpt_parse_cycles: Dirty's floor after the memory work
    uint64_t VACK = 0, VHANDLER = 0;
    uint64_t POLL = 0;       // driver.dirty_poll
    uint64_t burst = 64;     // redist.pending_read_burst
    uint64_t lpi_bits = 16;  // its.lpi_bits: the VPT covers 2^bits vINTIDs (VPT_size = bits - 1)
    bool vpe_cache = true;   // its.vpe_cache.entries > 0
    bool indirect = false;   // its.vpe_table = indirect

    explicit CostsV4(const Params& p) : Costs(p) {
        const uint64_t rdclk = p.period_ps("redist.clock");
        MMIO = rdclk * p.integer("redist.register_cycles");
        PARSE = rdclk * p.integer("redist.vpt_parse_cycles");
        VACK = p.picoseconds("cpu.vack_latency");
        VHANDLER = p.picoseconds("cpu.vhandler_latency");
        POLL = p.picoseconds("driver.dirty_poll");
        burst = p.integer("redist.pending_read_burst");
        lpi_bits = p.integer("its.lpi_bits");
        vpe_cache = p.integer("its.vpe_cache.entries") != 0;
        indirect = p.text("its.vpe_table") == "indirect";
    }
    // A GICR register access: the hop, then the register slave's cycles.
    uint64_t reg() const { return H + MMIO; }
    // A vPE table entry read (32 bytes), through its level-1 descriptor
    // when the table is two-level; l1() alone is what a VTE write needs
    // first.
    uint64_t l1() const { return indirect ? rd(8) : 0; }
    uint64_t vte() const { return l1() + rd(32); }
    // A vPEID looked up through the vPE cache: the lookup, and on a miss
    // (or with no cache: always, without a lookup) the entry's read.
    uint64_t vpe(bool hit) const {
        if (!vpe_cache) return vte();
        return hit ? LK : LK + vte();
    }
    // The VPT reads of a parse: bytes 1024 .. 2^bits / 8 in bursts.
    uint64_t vpt_reads() const {
        const uint64_t end = (uint64_t{1} << lpi_bits) / 8;
        uint64_t t = 0;
        for (uint64_t b = 1024; b < end; b += burst) t += rd(std::min(burst, end - b));
        return t;
    }
    // Per vLPI found pending at a parse: lookup, its configuration line
    // (the state was dropped at the deschedule: a miss), the update.
    uint64_t loaded_vlpi() const { return RLK + prop() + UPD; }
    // The hypervisor's Dirty poll (driver_v4.cpp, Linux's
    // its_wait_vpt_parse_complete): from `from` (the write returned), read
    // GICR_VPENDBASER (the register sees it reg() later), then every POLL
    // until a read sees Dirty = 0 (at or after dirty_until). Returns when
    // that read returned; *polls the reads.
    uint64_t poll_until(uint64_t from, uint64_t dirty_until, uint64_t* polls) const {
        uint64_t t = from;
        *polls = 0;
        for (;;) {
            t += reg();
            ++*polls;
            if (t >= dirty_until) return t;
            t += POLL;
        }
    }
};

// The vPE on CPU 1's redistributor: VMAPP with the software's tables
// (VPT_size = its.lpi_bits - 1; GICv4.1: the VM's vLPI configuration table
// and the vPE's doorbell, Alloc on the first map).
inline ItsCommand vmapp_of(DriverAgent& d, const Params& p, uint32_t vpeid, uint64_t rdbase, bool v41) {
    ItsCommand c = build::vmapp(vpeid, rdbase, d.vpt(vpeid), uint8_t(p.integer("its.lpi_bits") - 1), true,
                                v41 ? GicVersion::v4_1 : GicVersion::v4_0);
    if (v41) {
        c.vconf_addr = d.vconf(vpeid);
        c.default_doorbell = d.doorbell_of(vpeid);
        c.alloc = true;
    }
    return c;
}

}  // namespace
