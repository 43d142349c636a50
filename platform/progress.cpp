// The progress line of `itsim run` (progress.h).
#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace itsim {

namespace {

std::string sim_time(uint64_t ps) {
    static const struct {
        const char* unit;
        double per;
    } kUnits[] = {{"s", 1e12}, {"ms", 1e9}, {"us", 1e6}, {"ns", 1e3}};
    for (const auto& u : kUnits)
        if (double(ps) >= u.per) {
            char b[32];
            std::snprintf(b, sizeof b, "%.3f%s", double(ps) / u.per, u.unit);
            return b;
        }
    return std::to_string(ps) + "ps";
}

std::string rate(double per_s) {
    char b[32];
    if (per_s >= 1e9) std::snprintf(b, sizeof b, "%.1fG", per_s / 1e9);
    else if (per_s >= 1e6) std::snprintf(b, sizeof b, "%.1fM", per_s / 1e6);
    else if (per_s >= 1e3) std::snprintf(b, sizeof b, "%.1fk", per_s / 1e3);
    else std::snprintf(b, sizeof b, "%.0f", per_s);
    return b;
}

}  // namespace

std::string format_eta(double s) {
    if (!(s >= 0)) s = 0;
    if (s > 99.0 * 86400) return ">99d";
    const uint64_t t = uint64_t(s + 0.5);
    const uint64_t d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60, sec = t % 60;
    char b[40];
    if (d) std::snprintf(b, sizeof b, "%llud %02llu:%02llu:%02llu", (unsigned long long)d, (unsigned long long)h,
                         (unsigned long long)m, (unsigned long long)sec);
    else std::snprintf(b, sizeof b, "%llu:%02llu:%02llu", (unsigned long long)h, (unsigned long long)m,
                       (unsigned long long)sec);
    return b;
}

std::string progress_line(double wall_s, uint64_t sim_ps, uint64_t msis, const ProgressPlan& plan) {
    std::string line = "simulated " + sim_time(sim_ps) + "  MSIs " + std::to_string(msis);
    double f = -1;
    if (plan.msis) {
        line += "/" + std::to_string(plan.msis);
        f = double(std::min(msis, plan.msis)) / double(plan.msis);
    } else if (plan.end_ps) {
        f = double(std::min(sim_ps, plan.end_ps)) / double(plan.end_ps);
    }
    if (f >= 0) {
        char b[16];
        std::snprintf(b, sizeof b, " (%.1f%%)", 100 * f);
        line += b;
    }
    line += "  " + rate(wall_s > 0 ? double(msis) / wall_s : 0) + " MSI/s";
    if (f > 0 && wall_s > 0) line += "  ETA " + format_eta(wall_s * (1 - f) / f);
    return line;
}

RunProgress::RunProgress(const std::string& setting, std::ostream& os, ProgressPlan plan,
                         std::function<uint64_t()> msis_sent)
    : os_(os), plan_(plan), msis_sent_(std::move(msis_sent)) {
    if (setting == "on") enabled_ = true;
    else if (setting == "auto") enabled_ = &os == &std::cerr && isatty(STDERR_FILENO) == 1;
}

void RunProgress::draw(double wall_s) {
    std::string line = progress_line(wall_s, sc_core::sc_time_stamp().value(), msis_sent_ ? msis_sent_() : 0, plan_);
    const size_t width = line.size();
    if (width < last_width_) line.append(last_width_ - width, ' ');   // erase what the last one left
    last_width_ = width;
    os_ << "\r  " << line << std::flush;
    drawn_ = true;
}

void RunProgress::run(const sc_core::sc_time& limit) {
    using namespace sc_core;
    if (!enabled_) {
        sc_start(limit, SC_EXIT_ON_STARVATION);
        return;
    }
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    auto last_draw = t0;
    sc_time slice(1, SC_US);
    sc_start(SC_ZERO_TIME);
    while (sc_pending_activity() && sc_time_stamp() < limit) {
        const auto a = clock::now();
        sc_start(std::min(slice, limit - sc_time_stamp()), SC_EXIT_ON_STARVATION);
        const auto b = clock::now();
        const double took = std::chrono::duration<double>(b - a).count();
        // About 0.25 s of wall time a slice; at most four lines a second.
        if (took < 0.1 && slice < sc_time(10, SC_SEC)) slice = slice * 2;
        else if (took > 0.5 && slice > sc_time(1, SC_NS)) slice = slice / 2;
        if (std::chrono::duration<double>(b - last_draw).count() >= 0.25) {
            draw(std::chrono::duration<double>(b - t0).count());
            last_draw = b;
        }
    }
    if (drawn_) os_ << "\r" << std::string(last_width_ + 2, ' ') << "\r" << std::flush;
}

}  // namespace itsim
