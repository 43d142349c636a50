// Bursts of hot MSIs, more than the translation slots and the FIFO: the
// same records in both timing modes; and an idle second of simulated time
// (latency_stated.h).
#include "latency_stated.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "run.h"

namespace {

// ---------------------------------------------------------------------------
// Bursts of hot MSIs: more than the translation slots, more than the FIFO
// ---------------------------------------------------------------------------
// its.h: MSIs are translated by translation_slots slots in FIFO order, a
// slot taking the next MSI when its previous one is pending; a write that
// finds ingress_depth MSIs waiting for a slot waits. Hot MSIs make no bus
// access after the write, so both modes must give the same records, MSI by
// MSI and acknowledge by acknowledge (fast mode translates them in the
// writer's b_transport and has the redistributor record them at their time:
// its.h "Processes"). The two modes run in two processes (one elaboration
// each): the fast one in a child, which hands its records back as text.
constexpr unsigned kBurstEvents = 24;

std::string burst_run(TimingMode mode, const Costs** costs_out = nullptr) {
    static std::unique_ptr<Platform> keep;   // the records outlive the call (parent side)
    Settings s = kStated;
    s.push_back({"cpus", "4"});
    s.push_back({"its.ingress_depth", "6"});
    keep = std::make_unique<Platform>(mode, s);
    Platform& pl = *keep;
    static Costs c(pl.p);
    c = pl.costs();
    if (costs_out) *costs_out = &c;
    constexpr uint32_t kDev = 3;
    const unsigned warm = kBurstEvents, a = 12, b = kBurstEvents;   // both above the FIFO depth
    pl.sys->expect_msis(warm + a + b);
    pl.run([&](DriverAgent& d) {
        for (uint32_t cpu = 0; cpu < 4; ++cpu) d.append_command(mapc(cpu, cpu), 1);
        d.append_command(mapd(kDev, ram(pl, 0x100000), 4), 2);   // 32 events
        for (uint32_t e = 0; e < kBurstEvents; ++e) {
            d.append_command(mapti(kDev, e, 8192 + 8 * e, e % 4), 3);
            d.set_lpi_config(8192 + 8 * e, uint8_t(0x40 + 4 * (e % 3)), true);
        }
        d.wait_drained();
        uint64_t tag = 0;
        for (uint32_t e = 0; e < kBurstEvents; ++e) {   // warm every cache, one at a time
            d.advance_to(10 * kUs + e * kUs);
            pl.msi(d, kDev, e, ++tag);
        }
        d.advance_to(50 * kUs);
        for (uint32_t e = 0; e < a; ++e) pl.msi(d, kDev, e, ++tag);   // more than the slots
        d.advance_to(80 * kUs);
        for (uint32_t e = 0; e < b; ++e) pl.msi(d, kDev, e, ++tag);   // more than the FIFO
        d.advance_to(120 * kUs);
    });
    std::ostringstream out;
    for (const RunRecords::Msi& m : pl.records().msis) {
        const MsiRecord& r = m.rec;
        out << "msi " << r.tag << " " << m.reported << r.delivered << " " << r.intid << "@" << r.cpu << " "
            << m.issued_ps << " " << r.accepted_ps << " " << r.started_ps << " " << r.device_ps << " "
            << r.event_ps << " " << r.collection_ps << " " << r.pending_ps << " " << r.device_hit << r.event_hit
            << r.collection_hit << "\n";
    }
    std::vector<AckRecord> acks = pl.records().acks;
    std::sort(acks.begin(), acks.end(), [](const AckRecord& x, const AckRecord& y) {
        return std::tie(x.cpu, x.t_ps) < std::tie(y.cpu, y.t_ps);
    });
    for (const AckRecord& k : acks)
        out << "ack " << k.cpu << " " << k.intid << " " << k.t_ps << " " << k.signalled_ps << " " << k.eoi_ps << "\n";
    out << "ingress_waits " << pl.sys->its().stats().ingress_waits << "\n";
    return out.str();
}

// Run `fn` in a child process (its own elaboration); its output comes back.
std::string in_child(const std::function<std::string()>& fn) {
    int fd[2];
    if (pipe(fd) != 0) return "pipe failed";
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        const std::string r = fn();
        size_t off = 0;
        while (off < r.size()) {
            const ssize_t n = write(fd[1], r.data() + off, r.size() - off);
            if (n <= 0) break;
            off += size_t(n);
        }
        close(fd[1]);
        _exit(testing::Test::HasFailure() ? 1 : 0);
    }
    close(fd[1]);
    std::string r;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0) r.append(buf, size_t(n));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) r += "child failed\n";
    return r;
}

TEST(TimingBurst, HotBurstsGiveTheSameRecordsInBothModes) {
    const std::string fast = in_child([] { return burst_run(TimingMode::fast); });
    const Costs* c = nullptr;
    const std::string accurate = burst_run(TimingMode::accurate, &c);
    EXPECT_EQ(fast, accurate);
    // The accurate run against a reference of the slots (burst A): FIFO
    // order, the slot free first, each MSI busy until it is pending.
    ASSERT_NE(c, nullptr);
    const unsigned slots = 5, a = 12;
    std::vector<uint64_t> free(slots, 0);
    const uint64_t t0 = 50 * kUs;
    const uint64_t work = 3 * c->LK + c->HOP + c->RLK + c->UPD;
    for (unsigned k = 0; k < a; ++k) {
        const std::string tag = "msi " + std::to_string(kBurstEvents + 1 + k) + " ";
        const size_t at = accurate.find(tag);
        ASSERT_NE(at, std::string::npos) << k;
        std::istringstream is(accurate.substr(at + tag.size()));
        std::string flags, where;
        uint64_t issued, accepted, started, dev, ev, col, pending;
        is >> flags >> where >> issued >> accepted >> started >> dev >> ev >> col >> pending;
        EXPECT_EQ(flags, "11") << k;
        const uint64_t acc = t0 + c->H + k * c->REG;
        const auto slot = std::min_element(free.begin(), free.end());
        const uint64_t begin = std::max(acc + c->ING, *slot);
        *slot = begin + work;
        if (k <= 6) EXPECT_EQ(issued, t0) << k;   // the 7th waits for FIFO space, the next leave later
        else EXPECT_GT(issued, t0) << k;
        EXPECT_EQ(accepted, acc) << k;
        EXPECT_EQ(started, begin) << k;
        EXPECT_EQ(pending, begin + work) << k;
    }
    // The writer was held back (6 MSIs waiting for a slot, its.ingress_depth).
    EXPECT_EQ(accurate.find("ingress_waits 0\n"), std::string::npos);
}

// ---------------------------------------------------------------------------
// An idle second
// ---------------------------------------------------------------------------
TEST(TimingIdle, OneSecondOfIdleTimeIsCheap) {
    const std::string path = testing::TempDir() + "itsim_idle_1s.its";
    {
        std::ofstream f(path);
        f << "itsim-trace 1\n# nothing happens for a second\n@1s\n";
    }
    RunOptions opts;
    opts.trace_path = path;
    opts.quiet = true;
    opts.sets = {"progress=off"};
    std::ostringstream out, err;
    const auto w0 = std::chrono::steady_clock::now();
    const int rc = run_command(opts, out, err);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    EXPECT_EQ(rc, 0) << err.str();
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::sc_time(1, sc_core::SC_SEC));
    // Generous (ASan, a shared machine); the benchmark measures it properly.
    EXPECT_LT(wall, 5.0);
    std::remove(path.c_str());
}

}  // namespace
