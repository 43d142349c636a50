// End-to-end tests of `itsim run` (end_to_end.h): run-to-run determinism
// of the event log and the statistics file.
#include "end_to_end.h"

namespace itsim {
namespace {

// ---------------------------------------------------------------- determinism

// Two runs of the same trace give byte-identical event logs and statistics.
void expect_identical_runs(const std::string& trace, const std::string& extra) {
    Scratch tmp;
    std::string files[2][2];
    for (int i = 0; i < 2; ++i) {
        files[i][0] = tmp.path("run" + std::to_string(i) + ".jsonl");
        files[i][1] = tmp.path("run" + std::to_string(i) + ".json");
        const std::string cmd = std::string(ITSIM_BINARY) + " run " + source_path(trace) + " -q --set progress=off " +
                                extra + " --events " + files[i][0] + " --stats " + files[i][1] + " > /dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    for (int k = 0; k < 2; ++k) {
        const std::string a = slurp(files[0][k]), b = slurp(files[1][k]);
        EXPECT_GT(a.size(), 100u) << files[0][k];
        EXPECT_TRUE(a == b) << files[0][k] << " and " << files[1][k] << " differ";
    }
}

TEST(EndToEnd, TwoRunsGiveIdenticalLogsAccurate) { expect_identical_runs("traces/bringup.its", ""); }

TEST(EndToEnd, TwoRunsGiveIdenticalLogsFast) { expect_identical_runs("traces/bringup.its", "--set mode=fast"); }

}  // namespace
}  // namespace itsim
