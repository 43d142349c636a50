// Constant memory in the length of a run (issue 11, item 4): the itsim
// binary runs the same small bring-up with `source` lines sending N and 10 N
// MSIs, in a child process each, and the longer run's peak RSS (getrusage of
// the child, ru_maxrss) must be within 10 % of the shorter one's - in both
// timing modes, with and without the statistics file. The MSIs really ran:
// the summary's count of delivered MSIs must be the count asked for.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef ITSIM_BINARY
#define ITSIM_BINARY "itsim"
#endif

namespace itsim {
namespace {

namespace fs = std::filesystem;

struct Dir {
    fs::path p = fs::temp_directory_path() / ("itsim_rss_" + std::to_string(::getpid()));
    Dir() { fs::create_directories(p); }
    ~Dir() {
        std::error_code ec;
        fs::remove_all(p, ec);
    }
    std::string operator/(const std::string& n) const { return (p / n).string(); }
};

// One device of 32 events on 2 CPUs, then two sources sending `msis`
// between them (Poisson arrivals, Zipf popularity: caches hit and miss).
std::string trace_text(uint64_t msis) {
    std::ostringstream t;
    t << "itsim-trace 1\nplatform cpus=2\n";
    t << "cmd op=MAPC icid=0 rdbase=0 valid=1\ncmd op=MAPC icid=1 rdbase=1 valid=1\n";
    t << "cmd op=MAPD device=0x10 itt=0x40000000 size=4 valid=1\n";
    for (int e = 0; e < 32; ++e)
        t << "cmd op=MAPTI device=0x10 event=" << e << " intid=" << 8192 + e << " icid=" << e % 2 << "\n";
    t << "cmd op=SYNC rdbase=0\ncmd op=SYNC rdbase=1\nwait until=drained\n";
    for (int e = 0; e < 32; ++e) t << "lpi intid=" << 8192 + e << " priority=0xa0 enable=1\n";
    t << "cmd op=INVALL icid=0\ncmd op=INVALL icid=1\ncmd op=SYNC rdbase=0\ncmd op=SYNC rdbase=1\n";
    t << "wait until=drained\n";
    t << "@50us source device=0x10 events=0-31 rate=2MHz pattern=poisson popularity=zipf:1.1 count=" << msis / 2
      << " seed=1\n";
    t << "@50us source device=0x10 events=0-15 rate=1MHz count=" << msis - msis / 2 << " seed=2\n";
    return t.str();
}

struct Child {
    int status = -1;
    long max_rss_kb = 0;
    std::string out;
};

// Runs ITSIM_BINARY with `args`, stdout and stderr to `log`; its rusage.
Child run_child(const std::vector<std::string>& args, const std::string& log) {
    std::vector<char*> argv;
    std::string bin = ITSIM_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    Child c;
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) ::_exit(126);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        // Under AddressSanitizer (the CI build) freed memory waits in a
        // quarantine of up to 256 MB before it is reused, so the peak RSS
        // would grow with the run's allocations, not with what it holds.
        std::string asan = "quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
        if (const char* prev = std::getenv("ASAN_OPTIONS")) asan = std::string(prev) + ":" + asan;
        ::setenv("ASAN_OPTIONS", asan.c_str(), 1);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    if (pid < 0) return c;
    struct rusage ru {};
    if (::wait4(pid, &c.status, 0, &ru) != pid) return c;
    c.max_rss_kb = ru.ru_maxrss;
    std::ifstream in(log);
    std::ostringstream s;
    s << in.rdbuf();
    c.out = s.str();
    return c;
}

// The summary's "MSIs:     N sent, D delivered": D.
uint64_t summary_msis(const std::string& out) {
    const size_t at = out.find(" sent, ", out.find("MSIs:"));
    if (at == std::string::npos) return 0;
    return std::strtoull(out.c_str() + at + 7, nullptr, 10);
}

void check_flat(const std::string& mode, bool stats) {
    Dir dir;
    const uint64_t n = 100000;
    long rss[2] = {};
    for (int k = 0; k < 2; ++k) {
        const uint64_t msis = k ? 10 * n : n;
        const std::string trace = dir / ("t" + std::to_string(k) + ".its");
        std::ofstream(trace) << trace_text(msis);
        std::vector<std::string> args = {"run", trace, "--set", "mode=" + mode};
        if (stats) args.insert(args.end(), {"--stats", dir / "s.json"});
        const Child c = run_child(args, dir / "log.txt");
        ASSERT_TRUE(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0) << c.out;
        EXPECT_EQ(summary_msis(c.out), msis) << c.out;
        rss[k] = c.max_rss_kb;
    }
    ::testing::Test::RecordProperty("rss_short_kb", std::to_string(rss[0]));
    ::testing::Test::RecordProperty("rss_long_kb", std::to_string(rss[1]));
    EXPECT_GT(rss[0], 0);
    EXPECT_LE(rss[1] * 10, rss[0] * 11) << "peak RSS " << rss[0] << " KiB with " << n << " MSIs, " << rss[1]
                                        << " KiB with " << 10 * n << " (mode=" << mode
                                        << (stats ? ", --stats" : "") << ")";
}

TEST(ScaleRss, TenTimesLongerRunSameMemoryFast) { check_flat("fast", false); }
TEST(ScaleRss, TenTimesLongerRunSameMemoryAccurate) { check_flat("accurate", false); }
TEST(ScaleRss, TenTimesLongerRunSameMemoryWithStats) { check_flat("fast", true); }

}  // namespace
}  // namespace itsim
