// itsim_random: the constrained-random suite (tb/random/gen.h, runner.h).
//
//   itsim_random [--seeds A:B] [--flavour calm|dense|v4|both|all] [--modes accurate,fast]
//                [--jobs N] [--itsim PATH] [--workdir DIR] [--keep DIR]
//                [--timeout S] [--minutes M] [--no-minimise] [--quiet]
//                [--coverage FILE] [--trace FILE]
//
// --flavour: both = calm and dense (GICv3), all (the default) = those and v4.
// Every (seed, flavour, mode) is one run; runs go in parallel on N worker
// threads, each driving one child process at a time. The summary counts
// verdicts; every failing run is minimised and its trace kept in DIR
// (default: the work directory) as FLAVOUR-SEED-MODE.its with the command
// that reproduces it. --minutes M stops taking new runs after M minutes
// (for soaks: --seeds 0:100000000 --minutes 600). --coverage FILE writes
// the functional coverage (coverage.h) as Markdown and prints what no run
// hit. Exit status: 0 when no run failed (unsupported calm
// traces are counted, not failures), 1 otherwise, 2 for a bad command line.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "random/gen.h"
#include "random/runner.h"

#ifndef ITSIM_BINARY
#define ITSIM_BINARY "itsim"
#endif

using namespace itsim::gen;

namespace {

// No SystemC banner (see platform/main.cpp).
struct QuietKernel {
    QuietKernel() { setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1); }
} quiet_kernel __attribute__((init_priority(101)));

int usage(const std::string& why) {
    std::cerr << "itsim_random: " << why
              << "\nusage: itsim_random [--seeds A:B] [--flavour calm|dense|v4|both|all] [--modes accurate,fast]"
                 " [--jobs N] [--itsim PATH] [--workdir DIR] [--keep DIR] [--timeout S] [--no-minimise] [--quiet]\n";
    return 2;
}

bool parse_u64(const std::string& s, uint64_t& v) {
    if (s.empty()) return false;
    char* end = nullptr;
    v = std::strtoull(s.c_str(), &end, 10);
    return end && *end == 0;
}

}  // namespace

// SystemC's library (linked through itsim_platform) owns main() and calls
// sc_main; the suite never elaborates a model in this process.
extern "C" int sc_main(int argc, char** argv) {
    uint64_t first = 0, last = 99;
    std::vector<Flavour> flavours = {Flavour::calm, Flavour::dense, Flavour::v4};
    std::vector<std::string> modes = {"accurate", "fast"};
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    RunnerConfig cfg;
    cfg.itsim = ITSIM_BINARY;
    cfg.workdir = "/tmp/itsim-random-" + std::to_string(getpid());
    std::string keep;
    bool do_min = true, quiet = false;
    std::string coverage_file, trace_file;
    uint64_t minutes = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--seeds") {
            const std::string v = val();
            const size_t c = v.find(':');
            if (c == std::string::npos ? !parse_u64(v, first) || !parse_u64(v, last)
                                       : !parse_u64(v.substr(0, c), first) || !parse_u64(v.substr(c + 1), last))
                return usage("--seeds takes A:B or N");
            if (last < first) return usage("--seeds A:B needs A <= B");
        } else if (a == "--flavour") {
            const std::string v = val();
            if (v == "calm") flavours = {Flavour::calm};
            else if (v == "dense") flavours = {Flavour::dense};
            else if (v == "v4") flavours = {Flavour::v4};
            else if (v == "both") flavours = {Flavour::calm, Flavour::dense};
            else if (v == "all") flavours = {Flavour::calm, Flavour::dense, Flavour::v4};
            else return usage("--flavour takes calm, dense, v4, both or all");
        } else if (a == "--modes") {
            const std::string v = val();
            if (v == "accurate" || v == "fast") modes = {v};
            else if (v == "accurate,fast" || v == "both") modes = {"accurate", "fast"};
            else return usage("--modes takes accurate, fast or accurate,fast");
        } else if (a == "--jobs") {
            uint64_t n = 0;
            if (!parse_u64(val(), n) || n < 1 || n > 256) return usage("--jobs takes 1..256");
            jobs = unsigned(n);
        } else if (a == "--itsim") {
            cfg.itsim = val();
        } else if (a == "--workdir") {
            cfg.workdir = val();
        } else if (a == "--keep") {
            keep = val();
        } else if (a == "--timeout") {
            uint64_t n = 0;
            if (!parse_u64(val(), n) || n < 1) return usage("--timeout takes seconds >= 1");
            cfg.timeout_s = unsigned(n);
        } else if (a == "--trace") {
            trace_file = val();
        } else if (a == "--coverage") {
            coverage_file = val();
        } else if (a == "--minutes") {
            if (!parse_u64(val(), minutes) || minutes < 1) return usage("--minutes takes a number >= 1");
        } else if (a == "--no-minimise") {
            do_min = false;
        } else if (a == "--quiet") {
            quiet = true;
        } else {
            return usage("unknown option '" + a + "'");
        }
    }
    if (access(cfg.itsim.c_str(), X_OK) != 0) return usage("cannot run " + cfg.itsim + " (--itsim PATH)");
    if (std::system(("mkdir -p '" + cfg.workdir + "'").c_str()) != 0) return usage("cannot make " + cfg.workdir);
    if (keep.empty()) keep = cfg.workdir;
    else if (std::system(("mkdir -p '" + keep + "'").c_str()) != 0) return usage("cannot make " + keep);

    // --trace FILE: that trace instead of generated ones (a kept failure, a
    // hand-written scenario), in each mode; --flavour calm also compares it
    // with the reference model.
    if (!trace_file.empty()) {
        std::ifstream in(trace_file, std::ios::binary);
        if (!in) return usage("cannot read " + trace_file);
        std::ostringstream text;
        text << in.rdbuf();
        int failed = 0;
        for (const std::string& m : modes) {
            const RunOutcome o = run_one(cfg, RunSpec{0, flavours.front(), m}, text.str());
            std::cout << trace_file << " " << m << ": " << to_string(o.verdict) << "\n" << o.detail;
            failed |= o.verdict != Verdict::ok && o.verdict != Verdict::unsupported;
        }
        return failed;
    }
    // Runs in seed order, every flavour and mode of a seed together.
    const uint64_t per_seed = flavours.size() * modes.size();
    const uint64_t total = (last - first + 1) * per_seed;
    auto spec_of = [&](uint64_t i) {
        const uint64_t seed = first + i / per_seed, k = i % per_seed;
        return RunSpec{seed, flavours[k / modes.size()], modes[k % modes.size()]};
    };
    const auto t_end = std::chrono::steady_clock::now() + std::chrono::minutes(minutes);
    Coverage coverage;
    uint64_t done_runs = 0;

    std::atomic<uint64_t> next{0};
    std::mutex mu;
    std::map<std::string, uint64_t> counts;
    uint64_t failures = 0;
    auto worker = [&] {
        for (;;) {
            const uint64_t i = next++;
            if (i >= total) return;
            if (minutes && std::chrono::steady_clock::now() > t_end) return;
            const RunSpec sp = spec_of(i);
            Options opt;
            opt.flavour = sp.flavour;
            const std::string text = generate(sp.seed, opt);
            Coverage cov;
            const RunOutcome o = run_one(cfg, sp, text, coverage_file.empty() ? nullptr : &cov);
            const bool failed = o.verdict != Verdict::ok && o.verdict != Verdict::unsupported;
            std::string kept;
            if (failed) {
                const std::string small = do_min ? minimise(cfg, sp, text, o) : text;
                kept = keep + "/" + to_string(sp.flavour) + "-" + std::to_string(sp.seed) + "-" + sp.mode + ".its";
                std::ofstream os(kept);
                os << "# " << to_string(o.verdict) << ": " << cfg.itsim << " run " << kept << " --set mode=" << sp.mode
                   << " --check\n"
                   << small;
            }
            std::lock_guard<std::mutex> lock(mu);
            coverage.merge(cov);
            ++done_runs;
            ++counts[std::string(to_string(sp.flavour)) + " " + sp.mode + " " + to_string(o.verdict)];
            if (failed) {
                ++failures;
                std::cout << "FAIL seed " << sp.seed << " " << to_string(sp.flavour) << " " << sp.mode << ": "
                          << to_string(o.verdict) << "\n"
                          << o.detail << "  kept (minimised) as " << kept << "\n";
            } else if (!quiet && o.verdict == Verdict::unsupported) {
                std::cout << "unsupported seed " << sp.seed << ": " << o.detail << "\n";
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned j = 0; j < jobs; ++j) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();

    std::cout << "itsim_random: seeds " << first << ".." << last << ", " << done_runs << " runs of " << total << "\n";
    if (!coverage_file.empty()) {
        std::ofstream(coverage_file) << coverage.markdown();
        for (const std::string& m : coverage.missing_codes()) std::cout << "  coverage: not hit: " << m << "\n";
        for (const std::string& m : coverage.missing_situations()) std::cout << "  coverage: not seen: " << m << "\n";
    }
    for (const auto& [k, n] : counts) std::cout << "  " << k << ": " << n << "\n";
    std::cout << (failures ? "FAILED: " : "passed: ") << failures << " failing runs\n";
    return failures ? 1 : 0;
}
