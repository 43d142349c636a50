// The progress line of `itsim run` (platform/progress.h): what it says
// for a run of known and of unknown length, and the ETA.
#include <gtest/gtest.h>

#include <sstream>

#include "progress.h"

namespace itsim {
namespace {

TEST(Progress, EtaFormat) {
    EXPECT_EQ(format_eta(0), "0:00:00");
    EXPECT_EQ(format_eta(3725), "1:02:05");
    EXPECT_EQ(format_eta(59.6), "0:01:00");
    EXPECT_EQ(format_eta(2 * 86400 + 3 * 3600 + 4 * 60 + 5), "2d 03:04:05");
    EXPECT_EQ(format_eta(1e12), ">99d");
}

TEST(Progress, KnownCountGivesFractionAndEta) {
    // A quarter of the MSIs in 10 s: 30 s to go, 25 MSIs a second.
    const std::string l = progress_line(10.0, 2500000000ull, 250, ProgressPlan{1000, 0});
    EXPECT_EQ(l, "simulated 2.500ms  MSIs 250/1000 (25.0%)  25 MSI/s  ETA 0:00:30");
}

TEST(Progress, KnownEndTimeGivesFractionAndEta) {
    // 1 ms of 4 ms simulated in 2 s of wall time: 6 s to go.
    const std::string l = progress_line(2.0, 1000000000ull, 1500000, ProgressPlan{0, 4000000000ull});
    EXPECT_EQ(l, "simulated 1.000ms  MSIs 1500000 (25.0%)  750.0k MSI/s  ETA 0:00:06");
}

TEST(Progress, UnknownLengthHasNoEta) {
    const std::string l = progress_line(1.0, 1500, 3, ProgressPlan{});
    EXPECT_EQ(l, "simulated 1.500ns  MSIs 3  3 MSI/s");
}

TEST(Progress, QuietUnlessAskedOrOnATerminal) {
    std::ostringstream os;
    RunProgress off("off", os, ProgressPlan{}, nullptr);
    EXPECT_FALSE(off.enabled());
    RunProgress automatic("auto", os, ProgressPlan{}, nullptr);   // not std::cerr: never a terminal
    EXPECT_FALSE(automatic.enabled());
    RunProgress on("on", os, ProgressPlan{}, nullptr);
    EXPECT_TRUE(on.enabled());
}

}  // namespace
}  // namespace itsim
