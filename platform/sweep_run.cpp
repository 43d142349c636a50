// `itsim sweep` (sweep.cpp) running its points and reading their results
// (sweep_run.h).
#include "sweep_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "plot.h"

namespace itsim {
namespace sweep_detail {

namespace {

std::string fmt_clock(double s) {
    const long t = long(s + 0.5);
    char b[32];
    if (t >= 3600) std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else std::snprintf(b, sizeof b, "%ld:%02ld", t / 60, t % 60);
    return b;
}

std::string read_file(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = bool(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

ProgressBar::ProgressBar(const std::string& setting, size_t total) : total_(total) {
    on_ = setting == "on" || (setting == "auto" && isatty(STDERR_FILENO) == 1);
    t0_ = std::chrono::steady_clock::now();
}

void ProgressBar::draw(size_t done, size_t running, size_t failed) {
    if (!on_) return;
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const int w = 30;
    const int fill = total_ ? int(double(w) * double(done) / double(total_)) : w;
    std::string bar(size_t(fill), '#');
    bar.resize(w, '.');
    std::string left = done ? "~" + fmt_clock(el / double(done) * double(total_ - done)) : "?";
    std::fprintf(stderr, "\r  sweep [%s] %zu/%zu  running %zu  failed %zu  elapsed %s  left %s   ", bar.c_str(),
                 done, total_, running, failed, fmt_clock(el).c_str(), left.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (on_ && drawn_) std::fprintf(stderr, "\r%100s\r", "");
}

pid_t spawn_shell(const std::string& command, const std::string& log) {
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = fork();
    if (pid != 0) return pid;
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
        dup2(devnull, 0);
        close(devnull);
    }
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
}

Row collect(const SweepPoint& p) {
    Row r;
    bool ok = false;
    std::string st = read_file(p.dir + "/exit_status", ok);
    if (ok) {
        while (!st.empty() && (st.back() == '\n' || st.back() == ' ')) st.pop_back();
        r.exit_status = st;
    }
    const std::string text = read_file(p.dir + "/stats.json", ok);
    if (!ok) return r;
    Json j;
    try {
        j = parse_json(text);
    } catch (const std::exception&) {
        return r;
    }
    r.have = true;
    auto num = [&](const std::string& path) -> std::string {
        const Json* v = j.path(path);
        if (!v || v->type != Json::Type::number) return "";
        if (v->is_uint) return std::to_string(v->u);
        char b[32];
        std::snprintf(b, sizeof b, "%.4f", v->num);
        return b;
    };
    r.delivered = num("msi.delivered");
    const char* pcts[3] = {"p50_ps", "p90_ps", "p99_ps"};
    for (int k = 0; k < 3; ++k) {
        r.lat[k] = num(std::string("msi.latency.write_to_pending.") + pcts[k]);
        r.lat[3 + k] = num(std::string("msi.latency.write_to_ack.") + pcts[k]);
    }
    const char* caches[4] = {"its_device", "its_event", "its_collection", "redist_config"};
    for (int k = 0; k < 4; ++k) r.hit[k] = num(std::string("caches.") + caches[k] + ".hit_rate");
    if (const Json* v = j.get("virtual"); v && v->type == Json::Type::object) {
        r.v4 = true;
        for (int c = 0; c < 5; ++c)
            for (int k = 0; k < 3; ++k) r.vlat[3 * c + k] = num(std::string(kVirtualColumns[c].stats_path) + "." + pcts[k]);
        r.vpe_hit = num("caches.its_vpe.hit_rate");
    }
    if (!r.lat[5].empty()) r.wta_p99_ns = std::atof(r.lat[5].c_str()) / 1000.0;
    if (!r.lat[2].empty()) r.wtp_p99_ns = std::atof(r.lat[2].c_str()) / 1000.0;
    return r;
}

}  // namespace sweep_detail
}  // namespace itsim
