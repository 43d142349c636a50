#include "random/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "ref/ref_compare.h"
#include "ref/ref_model.h"
#include "trace/trace.h"

namespace itsim::gen {

const char* to_string(Verdict v) {
    switch (v) {
    case Verdict::ok: return "ok";
    case Verdict::crash: return "crash";
    case Verdict::hang: return "hang";
    case Verdict::exit: return "exit";
    case Verdict::reference: return "reference";
    case Verdict::unsupported: return "unsupported";
    }
    return "?";
}

namespace {

std::string read_head(const std::string& path, size_t max_lines) {
    std::ifstream in(path);
    std::string line, out;
    for (size_t n = 0; n < max_lines && std::getline(in, line); ++n) out += line + "\n";
    return out;
}

// Runs argv with stdout and stderr to `log`; returns the wait status, or
// -1 when it was killed for passing the time limit.
int spawn(const std::vector<std::string>& args, const std::string& log, unsigned timeout_s) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        std::vector<char*> argv;
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    if (pid < 0) return 127 << 8;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int status = 0;
    for (unsigned ms = 1;; ms = std::min(ms * 2, 50u)) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
}

}  // namespace

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

RunOutcome run_one(const RunnerConfig& cfg, const RunSpec& spec, const std::string& text, Coverage* cov) {
    RunOutcome o;
    const std::string base = cfg.workdir + "/s" + std::to_string(spec.seed) + "-" + to_string(spec.flavour) +
                             "-" + spec.mode + "-" + std::to_string(getpid());
    const std::string trace = base + ".its", events = base + ".jsonl", log = base + ".log", stats = base + ".json";
    {
        std::ofstream os(trace, std::ios::binary);
        os << text;
    }
    std::vector<std::string> args = {cfg.itsim, "run",   trace, "--set", "mode=" + spec.mode, "--events",
                                     events,    "--check", "-q",  "--set", "progress=off"};
    if (cov) {
        args.push_back("--stats");
        args.push_back(stats);
    }
    const int st = spawn(args, log, cfg.timeout_s);
    if (st == -1) {
        o.verdict = Verdict::hang;
        o.detail = "killed after " + std::to_string(cfg.timeout_s) + " s";
    } else if (WIFSIGNALED(st)) {
        o.verdict = Verdict::crash;
        o.status = WTERMSIG(st);
        o.detail = "signal " + std::to_string(o.status) + "\n" + read_head(log, 20);
    } else if (WEXITSTATUS(st) != 0) {
        o.verdict = Verdict::exit;
        o.status = WEXITSTATUS(st);
        o.detail = "exit " + std::to_string(o.status) + "\n" + read_head(log, 20);
    } else if (spec.flavour == Flavour::calm || spec.flavour == Flavour::v4) {
        try {
            const Trace t = parse_trace(text, trace);
            const ref::Result r = ref::run(t);
            if (!r.comparable) {
                o.verdict = Verdict::unsupported;
                o.detail = r.unsupported;
            } else {
                const ref::Comparison c = ref::compare_file(r, events);
                if (!c.agrees()) {
                    o.verdict = Verdict::reference;
                    for (size_t i = 0; i < c.disagreements.size() && i < 10; ++i) o.detail += c.disagreements[i] + "\n";
                }
            }
        } catch (const std::exception& e) {
            o.verdict = Verdict::reference;
            o.detail = std::string("reference model: ") + e.what();
        }
    }
    if (cov && st != -1 && WIFEXITED(st)) cov->add_run(slurp(events), slurp(stats));
    std::remove(stats.c_str());
    if (o.verdict == Verdict::ok || o.verdict == Verdict::unsupported) {
        std::remove(trace.c_str());
        std::remove(events.c_str());
        std::remove(log.c_str());
    }
    return o;
}

std::string minimise(const RunnerConfig& cfg, const RunSpec& spec, const std::string& text,
                     const RunOutcome& want, unsigned max_runs) {
    auto same = [&](const RunOutcome& o) {
        return o.verdict == want.verdict && (want.verdict != Verdict::exit || o.status == want.status);
    };
    // Keep the comment, header and platform lines; reduce the rest.
    std::vector<std::string> head, body;
    {
        std::istringstream in(text);
        std::string l;
        while (std::getline(in, l)) {
            const bool keep = body.empty() && (l.empty() || l[0] == '#' || l.rfind("itsim-trace", 0) == 0 ||
                                               l.rfind("platform", 0) == 0);
            (keep ? head : body).push_back(l);
        }
    }
    auto join = [&](const std::vector<std::string>& b) {
        std::string s;
        for (const std::string& l : head) s += l + "\n";
        for (const std::string& l : b) s += l + "\n";
        return s + "+50us\n";   // time for the last interrupts
    };
    unsigned runs = 0;
    size_t chunk = body.size() / 2;
    while (chunk >= 1 && runs < max_runs) {
        bool removed = false;
        for (size_t at = 0; at < body.size() && runs < max_runs;) {
            std::vector<std::string> trial(body.begin(), body.begin() + at);
            trial.insert(trial.end(), body.begin() + std::min(body.size(), at + chunk), body.end());
            ++runs;
            if (same(run_one(cfg, spec, join(trial)))) {
                body.swap(trial);
                removed = true;
            } else {
                at += chunk;
            }
        }
        if (!removed) chunk /= 2;
    }
    return join(body);
}

}  // namespace itsim::gen
