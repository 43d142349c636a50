// itsim_bench: what the model costs, as PERFORMANCE.md "The benchmark" asks.
//
//   itsim_bench [--rounds N] [--scale F] [--only W1,W2,...]
//       The table. Runs, in rounds, a calibration chunk of bare kernel
//       operations (a b_transport loop through simple sockets, a wait(t)
//       loop), the behaviour floor and a chunk of every workload in both
//       modes, each in a child process (SystemC elaborates once per
//       process), and prints per
//       workload the median cost per MSI / per command in ns, as
//       kernel-operation equivalents (fast mode: b_transport equivalents;
//       accurate mode: timed-resume equivalents; each against the
//       calibration of the same round) and as MSIs (commands) per second.
//
//   itsim_bench --workload W [--mode accurate|fast] [--scale F] [--callgrind]
//               [--slowdown N] [--set KEY=VALUE]...
//       One chunk of one workload in this process; prints one "result" line.
//       With --callgrind, collection is toggled on for the measured phase
//       only (after the set-up, until sc_start returns), so that
//         valgrind --tool=callgrind --collect-atstart=no
//             build/tb/itsim_bench --workload hot --callgrind
//       counts the instructions of exactly `ops` operations; under valgrind
//       the program dumps the counters and prints Ir per operation.
//       (The command line above is one line; it is split here for width.)
//       tools/ir_budget.sh runs these under valgrind against the budget in
//       tb/bench/ir_budget.txt (the CTest entry bench.ir_budget). --slowdown
//       N adds N turns of an empty loop to every MSI (bench.h).
//
// Workloads (W):
//   kernel-bt    b_transport through simple sockets, delay annotated only
//   kernel-wait  SC_THREAD wait(1 ns): one timed resume per operation
//   behaviour    hot MSIs through ItsCore and the target CPU's LpiState
//                alone, in plain C++ (no kernel, no time, no records): the
//                architected work of a hot MSI (bench_behaviour.cpp)
//   hot          MSIs whose translation is cached, in bursts of 4 (one per
//                CPU, 4 CPUs) every 1 us; each is made pending, signalled,
//                acknowledged and ended by its CPU
//   cold         MSIs to 4096 devices in turn: device, event and collection
//                caches miss (64 collections, 16-entry collection cache),
//                and the redistributors' configuration caches miss; bursts
//                of 4 every 2 us
//   fan4, fan64, fan256
//                hot MSIs fanned out to 4, 64 or 256 CPUs (fan = fan64):
//                max(16, CPUs) events, event e to CPU e % CPUs, event and
//                collection caches holding them all; bursts of 16 every 1 us
//   cmd          batches of 256 MAPTI + SYNC, published at once, waited for
//   idle         1 s of simulated time with nothing to do (cost per second)
// Chunk sizes at --scale 1: 6 M b_transports, 600 k resumes, 60 000 MSIs
// (hot, cold, fan*), 120 batches (30 840 commands), 1 s idle. The set-up of
// a workload (mapping, warming the caches) is outside the measured phase.
// Build it in a Release, non-sanitized tree for numbers.
// The parts: this file (the command line, the parent, the child's result
// line) and bench_workloads.cpp (the chunks), sharing bench.h.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>
#include <valgrind/callgrind.h>

#include "bench.h"

namespace {

using namespace itsim_bench;

struct QuietKernel {
    QuietKernel() { setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1); }
} quiet_kernel __attribute__((init_priority(101)));

// ---------------------------------------------------------------------------
// Child side: one chunk of one workload (the chunks: bench_workloads.cpp)
// ---------------------------------------------------------------------------
// Under valgrind: dump the counters now and read the Ir total of the dump.
bool callgrind_ir(uint64_t& ir) {
    if (!RUNNING_ON_VALGRIND) return false;
    CALLGRIND_DUMP_STATS_AT("itsim_bench measured phase");
    const std::string prefix = "callgrind.out." + std::to_string(getpid());
    DIR* dir = opendir(".");
    if (!dir) return false;
    std::string best;
    while (dirent* e = readdir(dir)) {
        const std::string n = e->d_name;
        if (n.compare(0, prefix.size(), prefix) == 0 && n.size() > prefix.size() && (best.empty() || n > best))
            best = n;
    }
    closedir(dir);
    if (best.empty()) return false;
    std::ifstream f(best);
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("summary:", 0) == 0 || line.rfind("totals:", 0) == 0) {
            ir = std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10);
            return true;
        }
    }
    return false;
}

int run_child(const std::string& workload, std::string mode, double scale, bool callgrind) {
    if (workload.rfind("kernel-", 0) == 0 || workload == "behaviour") mode = "-";
    Bracket b;
    b.callgrind = callgrind;
    Chunk c;
    if (workload == "kernel-bt") c = kernel_chunk(false, uint64_t(6000000 * scale), b);
    else if (workload == "kernel-wait") c = kernel_chunk(true, uint64_t(600000 * scale), b);
    else if (workload == "behaviour") c = behaviour_chunk(uint64_t(60000 * scale), b);
    else if (workload == "hot") c = model_chunk(mode, hot_workload(scale), b);
    else if (workload == "cold") c = model_chunk(mode, cold_workload(scale), b);
    else if (workload == "fan" || workload == "fan64") c = model_chunk(mode, fan_workload(scale, 64), b);
    else if (workload == "fan4") c = model_chunk(mode, fan_workload(scale, 4), b);
    else if (workload == "fan256") c = model_chunk(mode, fan_workload(scale, 256), b);
    else if (workload == "cmd") c = model_chunk(mode, cmd_workload(scale), b);
    else if (workload == "idle") c = model_chunk(mode, idle_workload(scale), b);
    else {
        std::fprintf(stderr, "itsim_bench: unknown workload '%s'\n", workload.c_str());
        return 2;
    }
    std::printf("result workload=%s mode=%s ops=%llu unit=%s wall_ns=%.0f ns_per_op=%.3f activations_per_op=%.2f "
                "check=%s\n",
                workload.c_str(), mode.c_str(), (unsigned long long)c.ops, c.unit.c_str(), c.wall_ns,
                c.wall_ns / double(c.ops), double(c.activations) / double(c.ops), c.check.empty() ? "ok" : "FAILED");
    if (!c.check.empty()) std::fprintf(stderr, "itsim_bench: %s/%s: %s\n", workload.c_str(), mode.c_str(), c.check.c_str());
    if (callgrind) {
        uint64_t ir = 0;
        if (callgrind_ir(ir))
            std::printf("callgrind workload=%s mode=%s ops=%llu Ir=%llu Ir_per_op=%.1f\n", workload.c_str(),
                        mode.c_str(), (unsigned long long)c.ops, (unsigned long long)ir, double(ir) / double(c.ops));
        else
            std::printf("callgrind workload=%s mode=%s ops=%llu (not under valgrind, or no dump found: divide the "
                        "collected Ir by ops)\n",
                        workload.c_str(), mode.c_str(), (unsigned long long)c.ops);
    }
    std::fflush(stdout);
    return c.check.empty() ? 0 : 1;
}

// ---------------------------------------------------------------------------
// Parent side: rounds of child processes, then the table
// ---------------------------------------------------------------------------
struct Item {
    std::string workload, mode;
};

bool run_one(const std::string& self, const Item& it, double scale, double& ns_per_op, std::string& unit) {
    int fd[2];
    if (pipe(fd) != 0) return false;
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        const std::string sc = std::to_string(scale);
        execl(self.c_str(), self.c_str(), "--workload", it.workload.c_str(), "--mode", it.mode.c_str(), "--scale",
              sc.c_str(), (char*)nullptr);
        _exit(127);
    }
    close(fd[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0) out.append(buf, size_t(n));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    const size_t at = out.find("result ");
    if (at == std::string::npos) return false;
    std::istringstream is(out.substr(at));
    std::string field;
    bool ok = true;
    while (is >> field) {
        if (field.rfind("ns_per_op=", 0) == 0) ns_per_op = std::atof(field.c_str() + 10);
        if (field.rfind("unit=", 0) == 0) unit = field.substr(5);
        if (field == "check=FAILED") ok = false;
    }
    return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

int run_parent(const std::string& self, unsigned rounds, double scale, const std::vector<std::string>& only) {
    std::vector<Item> items;
    // The behaviour floor first (no timing mode: plain C++, in b_transport
    // equivalents like fast mode), then every workload in both modes.
    if (only.empty() || std::find(only.begin(), only.end(), "behaviour") != only.end())
        items.push_back({"behaviour", "-"});
    for (const char* w : {"hot", "cold", "fan4", "fan256", "cmd", "idle"})
        for (const char* m : {"fast", "accurate"})
            if (only.empty() || std::find(only.begin(), only.end(), w) != only.end()) items.push_back({w, m});
    const Item kbt{"kernel-bt", "-"}, kwait{"kernel-wait", "-"};
    std::vector<double> bt, rs;
    std::map<size_t, std::vector<double>> ns, eq;
    std::map<size_t, std::string> units;
    bool failed = false;
    for (unsigned r = 0; r < rounds; ++r) {
        if (isatty(2)) std::fprintf(stderr, "round %u/%u\r", r + 1, rounds);
        double b = 0, w = 0;
        std::string u;
        if (!run_one(self, kbt, scale, b, u) || !run_one(self, kwait, scale, w, u)) {
            std::fprintf(stderr, "itsim_bench: calibration failed\n");
            return 1;
        }
        bt.push_back(b);
        rs.push_back(w);
        for (size_t i = 0; i < items.size(); ++i) {
            double v = 0;
            if (!run_one(self, items[i], scale, v, units[i])) {
                std::fprintf(stderr, "itsim_bench: %s/%s failed (run it alone with --workload to see why)\n",
                             items[i].workload.c_str(), items[i].mode.c_str());
                failed = true;
                continue;
            }
            ns[i].push_back(v);
            // Against this round's calibration of the mode's kernel unit.
            eq[i].push_back(v / (items[i].mode == "accurate" ? w : b));
        }
    }
    if (isatty(2)) std::fprintf(stderr, "%*s\r", 20, "");
    const double mbt = median(bt), mrs = median(rs);
    std::printf("itsim_bench: medians of %u rounds (each chunk a child process, calibration in every round)\n\n",
                rounds);
    std::printf("kernel calibration: b_transport (delay annotated) %.1f ns/op [%.1f..%.1f], "
                "timed thread resume (wait(t)) %.1f ns/op [%.1f..%.1f]\n\n",
                mbt, *std::min_element(bt.begin(), bt.end()), *std::max_element(bt.begin(), bt.end()), mrs,
                *std::min_element(rs.begin(), rs.end()), *std::max_element(rs.begin(), rs.end()));
    std::map<std::string, double> per_op;   // "workload/mode" -> median ns
    std::printf("| workload | mode | per | ns | kernel-op equivalents | target | per second |\n");
    std::printf("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (size_t i = 0; i < items.size(); ++i) {
        if (ns[i].empty()) continue;
        const Item& it = items[i];
        const bool fast = it.mode != "accurate";   // "-": b_transport equivalents too
        const double v = median(ns[i]), e = median(eq[i]);
        per_op[it.workload + "/" + it.mode] = v;
        // PERFORMANCE.md targets: hot 40 / 10, cold twice that, commands 60 / 15.
        double target = 0;
        if (it.workload == "hot" || it.workload.rfind("fan", 0) == 0) target = fast ? 40 : 10;
        if (it.workload == "cold") target = fast ? 80 : 20;
        if (it.workload == "cmd") target = fast ? 60 : 15;
        char tgt[32] = "-";
        if (target > 0) std::snprintf(tgt, sizeof tgt, "%s %.0f", e <= target ? "<=" : "MISSED", target);
        const std::string unit = units[i].empty() ? "op" : units[i];
        if (it.workload == "idle") {
            std::printf("| idle | %s | simulated s | %.0f | %.1f %s | - | %.0fx real time |\n", it.mode.c_str(), v,
                        e, fast ? "b_transport" : "resumes", 1e9 / v);
        } else {
            std::printf("| %s | %s | %s | %.0f | %.1f %s | %s | %.2f M%s/s |\n", it.workload.c_str(),
                        it.mode.c_str(), unit.c_str(), v, e, fast ? "b_transport" : "resumes", tgt, 1e3 / v,
                        unit == "cmd" ? " commands" : " MSIs");
        }
    }
    // Issue 12: the per-MSI cost with 256 CPUs at most 1.2x that with 4.
    for (const char* m : {"fast", "accurate"}) {
        const auto f4 = per_op.find(std::string("fan4/") + m), f256 = per_op.find(std::string("fan256/") + m);
        if (f4 != per_op.end() && f256 != per_op.end() && f4->second > 0)
            std::printf("%sfan-out, %s: 256 CPUs cost %.2fx 4 CPUs per MSI (target at most 1.2)\n",
                        m[0] == 'f' ? "\n" : "", m, f256->second / f4->second);
    }
    return failed ? 1 : 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    std::string workload, mode = "accurate";
    double scale = 1.0;
    unsigned rounds = 7;
    bool callgrind = false;
    std::vector<std::string> only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "itsim_bench: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--workload") workload = next();
        else if (a == "--mode") mode = next();
        else if (a == "--scale") scale = std::atof(next().c_str());
        else if (a == "--rounds") rounds = unsigned(std::atoi(next().c_str()));
        else if (a == "--callgrind") callgrind = true;
        else if (a == "--slowdown") msi_slowdown = unsigned(std::atoi(next().c_str()));
        else if (a == "--set") {
            const std::string kv = next();
            const size_t eq = kv.find('=');
            if (eq == std::string::npos || eq == 0) {
                std::fprintf(stderr, "itsim_bench: --set %s: expected KEY=VALUE\n", kv.c_str());
                return 2;
            }
            extra_settings.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        }
        else if (a == "--only") {
            std::stringstream ss(next());
            std::string w;
            while (std::getline(ss, w, ',')) only.push_back(w);
        } else if (a == "--help" || a == "-h") {
            std::printf("usage: itsim_bench [--rounds N (7)] [--scale F] [--only behaviour,hot,cold,fan4,fan256,cmd,idle]\n"
                        "       itsim_bench --workload kernel-bt|kernel-wait|behaviour|hot|cold|fan4|fan64|fan256|cmd|idle\n"
                        "                   [--mode accurate|fast] [--scale F] [--callgrind] [--slowdown N]\n"
                        "                   [--set KEY=VALUE]...\n");
            return 0;
        } else {
            std::fprintf(stderr, "itsim_bench: unknown argument '%s' (--help)\n", a.c_str());
            return 2;
        }
    }
    if (mode != "accurate" && mode != "fast" && mode != "-") {
        std::fprintf(stderr, "itsim_bench: --mode must be accurate or fast\n");
        return 2;
    }
    if (scale <= 0 || rounds < 1) {
        std::fprintf(stderr, "itsim_bench: --scale and --rounds must be positive\n");
        return 2;
    }
    if (!workload.empty()) return run_child(workload, mode, scale, callgrind);
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return 1;
    self[n] = 0;
    return run_parent(self, rounds, scale, only);
}
