// itsim sweep --slurm without a cluster: a stand-in sbatch that runs the
// job array's tasks one after the other (as Slurm would, with
// SLURM_ARRAY_TASK_ID) checks the script the sweep writes, the submission,
// --wait and --collect, and sbatch's failures. The real cluster is
// tb/slurm/test_slurm.sh (CTest slurm.sweep).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sweep.h"

#ifndef ITSIM_BINARY
#define ITSIM_BINARY "itsim"
#endif
#ifndef ITSIM_SOURCE_DIR
#define ITSIM_SOURCE_DIR "."
#endif

namespace itsim {
namespace {

namespace fs = std::filesystem;

struct Dir {
    fs::path p = fs::temp_directory_path() / ("itsim_sweep_slurm_" + std::to_string(::getpid()));
    Dir() { fs::create_directories(p); }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(p, ec);
    }
    std::string operator/(const std::string& n) const { return (p / n).string(); }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs every task of the array (the --array=1-N line) in order, records its
// arguments, prints a job ID as --parsable does.
std::string fake_sbatch(const Dir& d) {
    const std::string path = d / "sbatch";
    std::ofstream(path) << "#!/bin/sh\n"
                           "echo \"$@\" > " << (d / "sbatch.args") << "\n"
                           "for last; do :; done\n"
                           "n=$(sed -n 's/^#SBATCH --array=1-//p' \"$last\")\n"
                           "i=1; while [ $i -le $n ]; do SLURM_ARRAY_TASK_ID=$i sh \"$last\"; i=$((i+1)); done\n"
                           "echo 4242\n";
    ::chmod(path.c_str(), 0755);
    return path;
}

std::vector<std::string> args(const std::string& out) {
    return {std::string(ITSIM_SOURCE_DIR) + "/traces/bringup.its", "--grid", "cpu.ack_latency=20ns,50ns", "--grid",
            "mem.read_latency=50ns,80ns", "--out", out, "--gnuplot", "", "--progress", "off", "--itsim", ITSIM_BINARY};
}

int sweep(std::vector<std::string> a, const std::vector<std::string>& more, std::string* out = nullptr,
          std::string* err = nullptr) {
    a.insert(a.end(), more.begin(), more.end());
    std::ostringstream o, e;
    const int rc = sweep_main(a, o, e);
    if (out) *out = o.str();
    if (err) *err = e.str();
    return rc;
}

TEST(SweepSlurm, SameCsvAsALocalRun) {
    Dir d;
    const std::string out = d / "sweep";
    ASSERT_EQ(sweep(args(out), {"-j", "2"}), 0);
    const std::string local = slurp(out + "/sweep.csv");
    ASSERT_NE(local.find("\n4,"), std::string::npos);   // four points
    fs::remove_all(out + "/points");
    fs::remove(out + "/sweep.csv");

    std::string o, e;
    ASSERT_EQ(sweep(args(out), {"--slurm", "--wait", "--sbatch", fake_sbatch(d), "--sbatch-arg", "--partition=p"}, &o, &e),
              0)
        << e;
    EXPECT_NE(o.find("sweep: submitted Slurm job 4242"), std::string::npos) << o;
    EXPECT_EQ(slurp(d / "sbatch.args"), "--parsable --wait --partition=p " + out + "/slurm.sh\n");
    // The tasks left what a local run leaves.
    for (const char* n : {"0001", "0002", "0003", "0004"}) {
        EXPECT_EQ(slurp(out + "/points/" + n + "/exit_status"), "0\n") << n;
        EXPECT_TRUE(fs::exists(out + "/points/" + n + "/log.txt")) << n;
    }
    EXPECT_EQ(slurp(out + "/sweep.csv"), local);

    // Without --wait: submitted, nothing collected; --collect then gives the same.
    fs::remove(out + "/sweep.csv");
    ASSERT_EQ(sweep(args(out), {"--slurm", "--sbatch", fake_sbatch(d)}, &o, &e), 0) << e;
    EXPECT_NE(o.find("run the same itsim sweep command with --collect"), std::string::npos) << o;
    EXPECT_FALSE(fs::exists(out + "/sweep.csv"));
    EXPECT_EQ(slurp(d / "sbatch.args"), "--parsable " + out + "/slurm.sh\n");
    ASSERT_EQ(sweep(args(out), {"--collect"}), 0);
    EXPECT_EQ(slurp(out + "/sweep.csv"), local);
}

TEST(SweepSlurm, TheScriptRunsEachLineAndKeepsItsExitStatus) {
    Dir d;
    const std::string out = d / "s";
    // A point that fails: a parameter value the run rejects is caught
    // before the sweep, so a failing command line is made by a bad itsim.
    std::ofstream(d / "false_itsim") << "#!/bin/sh\necho failing point; exit 3\n";
    ::chmod((d / "false_itsim").c_str(), 0755);
    std::vector<std::string> a = args(out);
    a.back() = d / "false_itsim";
    std::string o, e;
    EXPECT_EQ(sweep(a, {"--slurm", "--wait", "--sbatch", fake_sbatch(d)}, &o, &e), 1);   // points did not exit 0
    EXPECT_EQ(slurp(out + "/points/0003/exit_status"), "3\n");
    EXPECT_EQ(slurp(out + "/points/0003/log.txt"), "failing point\n");
    const std::string script = slurp(out + "/slurm.sh");
    EXPECT_NE(script.find("#SBATCH --array=1-4\n"), std::string::npos) << script;
}

TEST(SweepSlurm, SbatchFailuresAndBadCombinations) {
    Dir d;
    const std::string out = d / "s";
    std::ofstream(d / "bad_sbatch") << "#!/bin/sh\necho 'sbatch: error: Batch job submission failed: no partition' >&2\n"
                                       "exit 1\n";
    ::chmod((d / "bad_sbatch").c_str(), 0755);
    std::string o, e;
    EXPECT_EQ(sweep(args(out), {"--slurm", "--sbatch", d / "bad_sbatch"}, &o, &e), 4);
    EXPECT_NE(e.find("failed (exit status 1): sbatch: error: Batch job submission failed: no partition"),
              std::string::npos)
        << e;
    EXPECT_EQ(sweep(args(out), {"--slurm", "--sbatch", d / "missing_sbatch"}, &o, &e), 4);
    EXPECT_EQ(sweep(args(out), {"--slurm", "--collect"}, &o, &e), 2);
    EXPECT_NE(e.find("give one of the two"), std::string::npos) << e;
    EXPECT_EQ(sweep(args(out), {"--wait"}, &o, &e), 2);
    EXPECT_NE(e.find("--wait goes with --slurm"), std::string::npos) << e;
}

}  // namespace
}  // namespace itsim
