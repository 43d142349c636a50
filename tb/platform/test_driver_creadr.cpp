// The driver's `wait until=drained` (platform/driver.cpp,
// DriverAgent::wait_creadr_change): it reads GITS_CREADR once when it
// starts waiting and once each time the ITS moves CREADR, in both timing
// modes, so it sees the last move exactly one register read later. (Until
// 2026-12-02 it read back to back for as long as the queue ran, one read
// per read latency, and saw the move at the next read on that grid.) And
// its timeout (driver.queue_timeout) is each wait's own.
//
// Each case spawns the itsim binary (ITSIM_BINARY) on a trace of N SYNCs,
// a drained wait and an MSI, whose issued_ps is the driver's time when the
// wait ended.
#include "end_to_end.h"

namespace itsim {
namespace {

struct Drained {
    uint64_t last_done_ps = 0;     // the last command's CREADR move
    uint64_t msi_issued_ps = 0;    // the driver's time after the wait
    uint64_t its_transactions = 0; // bus statistics, the ITS's port
    unsigned commands = 0;
};

// The number after `"its":{"transactions":` in the statistics file (its
// floats are more than end_to_end.h's JSON reader reads).
uint64_t its_port_transactions(const std::string& stats) {
    const std::string key = "\"its\":{\"transactions\":";
    const size_t at = stats.find(key);
    EXPECT_NE(at, std::string::npos) << stats;
    if (at == std::string::npos) return 0;
    return std::stoull(stats.substr(at + key.size()));
}

// itsim run on the trace `text` in `mode`, with `options` after it and an
// event log and a statistics file (s.json) in tmp: the log's records. The
// run must exit 0 (reported with its output, as a failure of the test).
std::vector<Json> run_text(const Scratch& tmp, const std::string& text, const std::string& mode,
                           const std::string& options = "") {
    const std::string trace = tmp.write("t.its", text);
    const std::string cmd = std::string(ITSIM_BINARY) + " run " + trace + " -q --set mode=" + mode + " " + options +
                            " --events " + tmp.path("e.jsonl") + " --stats " + tmp.path("s.json") + " > " +
                            tmp.path("out") + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << slurp(tmp.path("out"));
    return read_event_log(tmp.path("e.jsonl"));
}

Drained run_syncs(unsigned n, const std::string& mode, const std::string& sets) {
    Scratch tmp;
    std::string text = "itsim-trace 1\nplatform cpus=1\n";
    for (unsigned i = 0; i < n; ++i) text += "cmd op=SYNC rdbase=0\n";
    text += "wait until=drained\nmsi device=1 event=0\n";
    Drained d;
    for (const Json& r : run_text(tmp, text, mode, sets)) {
        const std::string& kind = r.at("kind").s;
        if (kind == "command") {
            ++d.commands;
            d.last_done_ps = std::max(d.last_done_ps, r.at("done_ps").u);
        }
        if (kind == "msi") d.msi_issued_ps = r.at("issued_ps").u;
    }
    d.its_transactions = its_port_transactions(slurp(tmp.path("s.json")));
    return d;
}

class DriverCreadr : public ::testing::TestWithParam<std::string> {};

// One register read is bus.hop_cycles at bus.clock plus its.register_cycles
// at its.clock: the wait ends that long after the last CREADR move.
TEST_P(DriverCreadr, WaitEndsOneRegisterReadAfterTheLastMove) {
    struct Case {
        const char* sets;
        uint64_t read_ps;
    };
    const Case cases[] = {
        {"", 2 * 1000 + 2 * 1000},   // defaults: 2 bus cycles at 1 GHz, 2 ITS cycles at 1 GHz
        {"--set bus.hop_cycles=5 --set its.register_cycles=3 --set its.clock=500MHz", 5 * 1000 + 3 * 2000},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.sets);
        for (unsigned n : {1u, 8u}) {
            SCOPED_TRACE(n);
            const Drained d = run_syncs(n, GetParam(), c.sets);
            EXPECT_EQ(d.commands, n);
            ASSERT_GT(d.last_done_ps, 0u);
            EXPECT_EQ(d.msi_issued_ps, d.last_done_ps + c.read_ps);
        }
    }
}

// Seven more SYNCs in the batch: seven more CREADR moves, so seven more
// reads on the ITS's bus port (the commands themselves go to memory), however
// long the batch runs.
TEST_P(DriverCreadr, OneReadPerCreadrMove) {
    const Drained one = run_syncs(1, GetParam(), "");
    const Drained eight = run_syncs(8, GetParam(), "");
    EXPECT_EQ(eight.its_transactions - one.its_transactions, 7u);
    // The batch runs for hundreds of read latencies (back-to-back polling
    // read about 15 times per SYNC here).
    EXPECT_GT(eight.last_done_ps - one.last_done_ps, 100u * 4000u);
}

// The timeout of a wait is its own: driver.queue_timeout after the wait
// began (the CWRITER write, one register write of 4 ns, after the kick's
// time), even while the timeout notification an earlier, finished wait
// armed is still pending (the driver keeps one notification for all its
// waits, arm_deadline). After the program, nothing keeps the run alive: it
// ends with the last command.
TEST_P(DriverCreadr, TimeoutIsTheWaitsOwnDeadline) {
    Scratch tmp;
    // One SYNC, drained at about 0.1 us (the first wait's deadline, 5.03 us,
    // stays armed); then 100 SYNCs published at about 3.4 us, which take
    // about 6 us: the second wait gives up at its own deadline, after the
    // first's.
    std::string text = "itsim-trace 1\nplatform cpus=1 driver.queue_timeout=5us\n"
                       "cmd op=SYNC rdbase=0\nwait until=drained\n@1us\n";
    for (int i = 0; i < 100; ++i) text += "cmd op=SYNC rdbase=0\n";
    text += "wait until=drained\n";
    std::vector<uint64_t> kicks, timeouts;
    uint64_t last_done = 0;
    for (const Json& r : run_text(tmp, text, GetParam())) {
        if (r.at("kind").s == "kick") kicks.push_back(r.at("t_ps").u);
        if (r.at("kind").s == "timeout") {
            timeouts.push_back(r.at("t_ps").u);
            EXPECT_EQ(r.at("what").s, "wait");
        }
        if (r.at("kind").s == "command") last_done = std::max(last_done, r.at("done_ps").u);
    }
    ASSERT_EQ(kicks.size(), 2u);
    ASSERT_EQ(timeouts.size(), 1u);
    const uint64_t first_deadline = kicks[0] + 4000 + 5000000;
    const uint64_t deadline = kicks[1] + 4000 + 5000000;
    EXPECT_LT(kicks[1], first_deadline);       // the second wait began with the first's timeout pending
    EXPECT_EQ(timeouts[0], deadline);
    EXPECT_GT(last_done, deadline);            // the batch did finish, after the driver gave up
    const std::string stats = slurp(tmp.path("s.json"));
    const std::string key = "\"sim_time_ps\":";
    ASSERT_NE(stats.find(key), std::string::npos) << stats;
    EXPECT_EQ(std::stoull(stats.substr(stats.find(key) + key.size())), last_done);
}

// With two ITSs a timeout record names the ITS whose queue the driver gave
// up on (as command, kick and stall records do), so that the checker counts
// it there: ITS 1's wait times out, ITS 0's drains.
TEST_P(DriverCreadr, TimeoutNamesItsIts) {
    Scratch tmp;
    std::string text = "itsim-trace 1\nplatform cpus=1 its.count=2 driver.queue_timeout=2us\n"
                       "cmd op=SYNC rdbase=0 its=0\nwait until=drained its=0\n";
    for (int i = 0; i < 100; ++i) text += "cmd op=SYNC rdbase=0 its=1\n";
    text += "wait until=drained its=1\n";
    unsigned timeouts = 0;
    for (const Json& r : run_text(tmp, text, GetParam(), "--check")) {
        if (r.at("kind").s != "timeout") continue;
        ++timeouts;
        ASSERT_TRUE(r.has("its")) << "a timeout record without its";
        EXPECT_EQ(r.at("its").u, 1u);
    }
    EXPECT_EQ(timeouts, 1u);
}

INSTANTIATE_TEST_SUITE_P(Modes, DriverCreadr, ::testing::Values("fast", "accurate"));

}  // namespace
}  // namespace itsim
