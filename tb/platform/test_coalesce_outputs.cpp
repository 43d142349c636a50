// The redistributors' coalescing (`coalesce`, redistributor.h "Coalescing")
// changes when the kernel runs their steps, not what the steps record: on
// the shipped scenarios whose records never share a picosecond across
// CPUs, the event log and the statistics of a run with coalesce=1 equal
// those of coalesce=0 (one activation per step, the model as it was before
// coalescing) byte for byte but for the header's echo of the parameter,
// in both timing modes. (traces/bringup.its and tb/sources/sources.its
// have records of one picosecond whose order follows the kernel's and may
// swap: docs/performance.md, "Coalescing".)
#include <cstring>

#include "end_to_end.h"

namespace itsim {
namespace {

// The text with every `"coalesce":"N",` echo of the parameter removed.
std::string without_echo(std::string s) {
    for (const char* echo : {"\"coalesce\":\"0\",", "\"coalesce\":\"1\","}) {
        for (size_t at = s.find(echo); at != std::string::npos; at = s.find(echo, at)) s.erase(at, std::strlen(echo));
    }
    return s;
}

struct Outputs {
    int status = -1;
    std::string events, stats;
};

Outputs run(const std::string& trace, const std::string& mode, int coalesce) {
    const Scratch dir;
    const std::string tag = mode + "." + std::to_string(coalesce);
    const std::string ev = dir.path(tag + ".jsonl"), st = dir.path(tag + ".json");
    const std::string cmd = std::string(ITSIM_BINARY) + " run " + source_path("traces/" + trace) + " -q --set mode=" +
                            mode + " --set coalesce=" + std::to_string(coalesce) + " --events " + ev + " --stats " +
                            st + " > " + dir.path("out") + " 2>&1";
    Outputs r;
    const int s = std::system(cmd.c_str());
    r.status = WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
    r.events = without_echo(slurp(ev));
    r.stats = without_echo(slurp(st));
    return r;
}

class CoalesceOutputs : public ::testing::TestWithParam<const char*> {};

TEST_P(CoalesceOutputs, SameEventLogAndStatisticsWithAndWithout) {
    for (const char* mode : {"accurate", "fast"}) {
        const Outputs off = run(GetParam(), mode, 0), on = run(GetParam(), mode, 1);
        EXPECT_EQ(off.status, 0) << mode;
        EXPECT_EQ(on.status, 0) << mode;
        ASSERT_FALSE(off.events.empty()) << mode;
        EXPECT_NE(off.events.find("\"kind\":\"ack\""), std::string::npos) << mode;   // interrupts were taken
        EXPECT_TRUE(off.events == on.events) << GetParam() << " " << mode << ": the event logs differ";
        EXPECT_TRUE(off.stats == on.stats) << GetParam() << " " << mode << ": the statistics differ";
    }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CoalesceOutputs,
                         ::testing::Values("linux_boot.its", "migration.its", "teardown.its", "wrap.its",
                                           "two_level_4k.its", "errors.its", "config.its"),
                         [](const ::testing::TestParamInfo<const char*>& i) {
                             std::string n = i.param;
                             n = n.substr(0, n.find('.'));
                             return n;
                         });

}  // namespace
}  // namespace itsim
