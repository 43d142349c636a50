// The behaviour floor (`itsim_bench --workload behaviour`): what a hot MSI's
// architected behaviour costs on its own, in plain C++ - no simulation
// kernel, no time, no records, no statistics of the platform. The hot
// workload's shape: 4 CPUs, one device, event e -> LPI 8192 + 64e in
// collection e on CPU e, every cache warm; per MSI:
//   ItsCore::translate        DTE, ITE and CTE from the ITS's caches, RDbase
//                             to a redistributor, the set_pending message;
//   LpiState (that CPU's)     in range, the configuration from its cache,
//                             the LPI recorded pending (prepare_pending and
//                             commit_pending, as a posted MSI is);
//   the CPU takes it          LpiState::acknowledge (the EOI is only counted).
// Against `--workload hot` the difference is what the model's timing, the
// redistributor's look-ahead and line, the CPU stand-in, the kernel and the
// records cost on top (docs/performance.md, "Where the floor is").
#include <cstring>
#include <string>
#include <vector>

#include "bench.h"
#include "itsim/common/its_cmd.h"
#include "itsim/its/its_core.h"
#include "itsim/redist/lpi_state.h"

namespace itsim_bench {

namespace {

using namespace itsim;

constexpr uint64_t kDt = 0x10000, kCt = 0x20000, kItt = 0x100000;
constexpr uint64_t kProp = 0x200000, kPend = 0x300000, kMem = 0x400000;
constexpr unsigned kCpus = 4;
constexpr uint32_t kIdBits = 16;   // LPIs 8192 .. 65535

uint64_t flat_baser(uint64_t addr) { return baser::kValid | (addr & baser::kAddrMask); }   // 4 KiB pages, 1 page

// Memory as one byte array; the stream goes straight to the target CPU's
// LPI state. No step costs anything.
struct BareEnv final : ItsEnv, LpiBackend {
    std::vector<uint8_t> mem = std::vector<uint8_t>(kMem);
    std::vector<LpiState> lpi;
    uint64_t now = 0;          // the commit's stamp: one tick per MSI
    uint64_t refused = 0;

    BareEnv() {
        LpiStateConfig c;
        c.tracking = PendingTracking::net;   // the lazy pending table's tracking
        lpi.assign(kCpus, LpiState(c));
        for (LpiState& s : lpi) s.set_tables(kProp, kPend, uint64_t(1) << kIdBits);
    }
    bool in_mem(uint64_t addr, unsigned len) const { return addr <= kMem && len <= kMem - addr; }
    // ItsEnv
    bool read(uint64_t addr, void* dst, unsigned len, ItsAccess) override {
        if (!in_mem(addr, len)) return false;
        std::memcpy(dst, &mem[addr], len);
        return true;
    }
    bool write(uint64_t addr, const void* src, unsigned len, ItsAccess) override {
        if (!in_mem(addr, len)) return false;
        std::memcpy(&mem[addr], src, len);
        return true;
    }
    void step(ItsStep) override {}
    LpiResult send(unsigned rd, const LpiOp& op) override {
        LpiResult r;
        if (op.kind != LpiOp::Kind::set_pending) return r;
        LpiState& s = lpi[rd];
        if (!s.in_range(op.intid)) {
            r.refusal = LpiRefusal::out_of_range;
            ++refused;
            return r;
        }
        const LpiState::Prepared p = s.prepare_pending(op.intid, *this);
        s.commit_pending(op.intid, p, ++now);
        return r;
    }
    // LpiBackend (MemPort): the property table
    bool read(uint64_t addr, void* dst, unsigned len) override { return read(addr, dst, len, ItsAccess::dte); }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        return write(addr, src, len, ItsAccess::dte);
    }
};

}  // namespace

Chunk behaviour_chunk(uint64_t n, Bracket& b) {
    Chunk c;
    c.unit = "msi";
    c.ops = n;
    BareEnv env;
    ItsCore core;
    std::vector<RdInfo> rds;
    for (unsigned i = 0; i < kCpus; ++i) rds.push_back({i, 0x080A0000ull + i * 0x20000ull});
    core.set_redistributors(rds);
    bool ok = core.write_register(gits::BASER0, 8, flat_baser(kDt)) &&
              core.write_register(gits::BASER0 + 8, 8, flat_baser(kCt)) && core.write_register(gits::CTLR, 4, 1);
    auto run = [&](const ItsCommand& cmd) {
        CommandRecord rec;
        core.execute(cmd, env, rec);
        ok = ok && rec.status == 0 && !rec.memory_error;
    };
    for (uint32_t cpu = 0; cpu < kCpus; ++cpu) run(build::mapc(cpu, cpu));
    run(build::mapd(1, kItt, 1));   // 4 events
    for (uint32_t e = 0; e < kCpus; ++e) {
        const uint32_t intid = 8192 + 64 * e;
        run(build::mapti(1, e, intid, e));
        env.mem[kProp + intid - 8192] = 0xA0 | 1;   // priority 0xA0, enabled
    }
    if (!ok) {
        c.check = "the mapping commands failed";
        return c;
    }
    uint64_t wrong = 0;
    auto one = [&](uint32_t e) {
        for (unsigned i = 0; i < msi_slowdown; ++i) asm volatile("");   // --slowdown, as the workloads' MSIs
        MsiRecord rec;
        core.translate(1, e, env, rec);
        wrong += env.lpi[e].acknowledge().intid != 8192 + 64 * e;
    };
    for (uint32_t e = 0; e < kCpus; ++e) one(e);   // warm every cache
    wrong = 0;
    const uint64_t misses[3] = {core.device_cache_stats().misses, core.event_cache_stats().misses,
                                core.collection_cache_stats().misses};
    b.start();
    for (uint64_t i = 0; i < n; ++i) one(uint32_t(i % kCpus));
    c.wall_ns = b.stop();
    if (wrong) c.check = std::to_string(wrong) + " MSIs not taken as their LPI";
    else if (env.refused) c.check = "LPIs refused";
    else if (core.device_cache_stats().misses != misses[0] || core.event_cache_stats().misses != misses[1] ||
             core.collection_cache_stats().misses != misses[2])
        c.check = "the caches missed in the measured phase";
    return c;
}

}  // namespace itsim_bench
