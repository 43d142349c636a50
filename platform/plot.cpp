// `itsim plot` (plot.h): the latency samples of an event log, running a
// program, and the pictures. The JSON reader: plot_json.cpp.
#include "plot.h"
#include "plot_v4.h"

#include "stats.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <boost/program_options.hpp>

namespace itsim {

namespace {

uint64_t uint_of(const Json& o, const char* key, bool* present = nullptr) {
    const Json* v = o.get(key);
    const bool ok = v && v->type == Json::Type::number && v->is_uint;
    if (present) *present = ok;
    return ok ? v->u : 0;
}

std::string str_of(const Json& o, const char* key) {
    const Json* v = o.get(key);
    return v && v->type == Json::Type::string ? v->str : std::string();
}

}  // namespace

// ===========================================================================
// Samples
// ===========================================================================

uint64_t percentile_sorted(const std::vector<uint64_t>& v, double p) { return nearest_rank(v, p); }

LatencySamples read_event_log(std::istream& in, const std::string& name) {
    LatencySamples s;
    std::map<std::string, size_t> cmd_index;
    std::vector<MsiStamps> delivered;
    std::vector<AckStamp> acks;
    VirtualSamples virt;
    auto d = [](uint64_t a, uint64_t b) { return b >= a ? b - a : 0; };

    std::string line;
    size_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty() || line == "\r") continue;
        Json o;
        try {
            o = parse_json(line);
        } catch (const std::exception& e) {
            throw std::runtime_error(name + ":" + std::to_string(lineno) + ": error: not a JSON object (" + e.what() +
                                     ")");
        }
        if (o.type != Json::Type::object)
            throw std::runtime_error(name + ":" + std::to_string(lineno) + ": error: not a JSON object");
        const std::string kind = str_of(o, "kind");
        virt.add(kind, o);
        if (kind == "msi") {
            ++s.msis;
            if (str_of(o, "status") != "delivered") continue;
            ++s.delivered;
            delivered.push_back({uint_of(o, "issued_ps"), uint_of(o, "accepted_ps"), uint_of(o, "started_ps"),
                                 uint_of(o, "device_ps"), uint_of(o, "event_ps"), uint_of(o, "collection_ps"),
                                 uint_of(o, "pending_ps"), uint32_t(uint_of(o, "cpu")),
                                 uint32_t(uint_of(o, "intid"))});
        } else if (kind == "ack") {
            ++s.acks;
            acks.push_back({uint32_t(uint_of(o, "cpu")), uint32_t(uint_of(o, "intid")), uint_of(o, "t_ps")});
        } else if (kind == "command") {
            bool has_issued = false, has_done = false;
            const uint64_t issued = uint_of(o, "issued_ps", &has_issued), done = uint_of(o, "done_ps", &has_done);
            if (!has_done || done == 0) continue;
            ++s.commands_done;
            if (!has_issued || issued == 0) continue;
            std::string op = str_of(o, "op");
            if (op.empty()) op = "UNKNOWN";
            auto it = cmd_index.find(op);
            if (it == cmd_index.end()) {
                it = cmd_index.emplace(op, s.commands.size()).first;
                s.commands.push_back({op, {}});
            }
            s.commands[it->second].ps.push_back(d(issued, done));
        }
    }
    // The stages and the acknowledge matching: the statistics file's own definition (stats.h).
    const MsiLatencies l = msi_latencies(delivered, acks);
    for (size_t k = 0; k < 6; ++k) s.msi_stages.push_back({kMsiStageNames[k], l.stages[k]});
    for (size_t k = 0; k < 3; ++k) s.msi_totals.push_back({kMsiTotalNames[k], l.totals[k]});
    if (virt.any()) s.virtual_series = virt.series();
    return s;
}

// ===========================================================================
// Running a program
// ===========================================================================

int run_program(const std::vector<std::string>& argv, const std::string& cwd, const std::string& log_path) {
    if (argv.empty()) return -1;
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (!log_path.empty()) {
            const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd < 0) _exit(127);
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ===========================================================================
// Pictures
// ===========================================================================

namespace {

std::string gp_quote(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o.push_back('\\');
        o.push_back(c);
    }
    return o + "\"";
}

std::string base_name(const std::string& p) {
    const size_t s = p.find_last_of('/');
    return s == std::string::npos ? p : p.substr(s + 1);
}

std::string fmt_ns(double ns) {
    char b[64];
    if (ns >= 1e6) std::snprintf(b, sizeof b, "%.3g ms", ns / 1e6);
    else if (ns >= 1e3) std::snprintf(b, sizeof b, "%.3g us", ns / 1e3);
    else std::snprintf(b, sizeof b, "%.3g ns", ns);
    return b;
}

// A step of 1, 2 or 5 times a power of ten, at least `raw`.
double nice_step(double raw) {
    if (raw <= 0) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw) return m * p;
    return 10 * p;
}

struct Hist {
    std::string title;
    double x_lo = 0, x_hi = 1;   // x range to show, ns
    bool over = false;           // has samples beyond p99
};

// One block of msi_hist.dat: "center_ns width_ns count beyond_p99". Bins
// cover [min, p99]; what lies beyond is one extra bar. Whole-nanosecond
// samples (the usual case: 1 GHz clocks) get whole-nanosecond bins centred
// on the values.
Hist write_hist(std::ostream& os, const Series& s) {
    Hist h;
    std::vector<uint64_t> v = s.ps;
    std::sort(v.begin(), v.end());
    if (v.empty()) {
        os << "0 1 0 0\n\n\n";
        h.title = s.name + " (no samples)";
        return h;
    }
    bool whole_ns = true;
    for (uint64_t x : v) whole_ns = whole_ns && x % 1000 == 0;
    const double lo = double(v.front()) / 1000.0;
    double hi = double(percentile_sorted(v, 99)) / 1000.0;
    if (hi <= lo) hi = double(v.back()) / 1000.0;
    double width = hi > lo ? nice_step((hi - lo) / 40.0) : 1.0;
    if (whole_ns) width = std::max(1.0, std::round(width));
    if (width < 0.001) width = 0.001;
    const double off = whole_ns ? 0.5 : 0.0;   // bins centred on whole ns
    const double start = std::floor(lo / width) * width - off;
    const size_t nbins = size_t(std::floor((hi - start) / width)) + 1;
    std::vector<uint64_t> count(nbins, 0);
    uint64_t over = 0;
    for (uint64_t x : v) {
        const double ns = double(x) / 1000.0;
        const size_t b = size_t(std::floor((ns - start) / width + 1e-9));
        if (b < nbins) ++count[b];
        else ++over;
    }
    for (size_t b = 0; b < nbins; ++b) os << start + (double(b) + 0.5) * width << ' ' << width << ' ' << count[b] << " 0\n";
    if (over) os << start + (double(nbins) + 0.5) * width << ' ' << width << " 0 " << over << '\n';
    os << "\n\n";
    h.over = over != 0;
    h.x_lo = std::max(0.0, start - width);
    h.x_hi = start + double(nbins + (over ? 2 : 1)) * width;
    h.title = s.name + ": n=" + std::to_string(v.size()) + ", p50 " + fmt_ns(double(percentile_sorted(v, 50)) / 1e3) +
              ", p99 " + fmt_ns(double(percentile_sorted(v, 99)) / 1e3) + ", max " + fmt_ns(double(v.back()) / 1e3);
    return h;
}

// One block of msi_cdf.dat: "ns fraction", at most ~1000 points; zeros at `floor_ns`.
bool write_cdf(std::ostream& os, const Series& s, double floor_ns) {
    std::vector<uint64_t> v = s.ps;
    std::sort(v.begin(), v.end());
    if (v.empty()) {
        os << floor_ns << " 0\n\n\n";
        return false;
    }
    const size_t n = v.size();
    const size_t stride = std::max<size_t>(1, n / 1000);
    size_t last = 0;
    os << std::max(floor_ns, double(v[0]) / 1000.0) << " 0\n";   // the rise at the smallest value
    for (size_t i = 0; i < n; ++i) {
        const bool last_of_value = i + 1 == n || v[i + 1] != v[i];
        if (!last_of_value) continue;
        if (i + 1 != n && i - last < stride && i != 0) continue;
        last = i;
        os << std::max(floor_ns, double(v[i]) / 1000.0) << ' ' << double(i + 1) / double(n) << '\n';
    }
    os << "\n\n";
    return true;
}

}  // namespace

int plot_command(const PlotOptions& o, std::ostream& out, std::ostream& err) {
    std::ifstream in(o.events_path, std::ios::binary);
    if (!in) {
        err << o.events_path << ": error: cannot read the event log\n";
        return 2;
    }
    LatencySamples s;
    try {
        s = read_event_log(in, o.events_path);
    } catch (const std::exception& e) {
        err << e.what() << "\n";
        return 2;
    }
    if (!o.stats_path.empty()) {
        std::ifstream si(o.stats_path, std::ios::binary);
        std::stringstream ss;
        ss << si.rdbuf();
        Json st;
        try {
            if (!si) throw std::runtime_error("cannot read the file");
            st = parse_json(ss.str());
        } catch (const std::exception& e) {
            err << o.stats_path << ": error: " << e.what() << "\n";
            return 2;
        }
        const Json* d = st.path("msi.delivered");
        if (d && d->is_uint && d->u != s.delivered)
            err << o.stats_path << ": warning: " << d->u << " MSIs delivered, the event log has " << s.delivered
                << ": not the same run?\n";
        for (const Series& x : s.virtual_series) {
            const Json* c = st.path("virtual." + x.name + ".count");
            if (c && c->is_uint && c->u != x.ps.size())
                err << o.stats_path << ": warning: " << c->u << " samples of virtual." << x.name
                    << ", the event log gives " << x.ps.size() << "\n";
        }
    }
    if (mkdir(o.out_dir.c_str(), 0755) != 0 && errno != EEXIST) {
        err << o.out_dir << ": error: cannot create the directory\n";
        return 2;
    }
    const std::string dir = o.out_dir + "/";
    const std::string src = base_name(o.events_path);

    // ---- data ----
    std::vector<Hist> hists;
    {
        std::ofstream f(dir + "msi_hist.dat");
        f << "# center_ns width_ns count beyond_p99 -- one block per series (gnuplot index)\n";
        for (const Series& x : s.msi_stages) hists.push_back(write_hist(f, x));
        for (const Series& x : s.msi_totals) hists.push_back(write_hist(f, x));
    }
    // Zeros cannot go on a log axis: draw them at half the smallest non-zero sample.
    double floor_ns = 1e300;
    for (const auto* set : {&s.msi_stages, &s.msi_totals})
        for (const Series& x : *set)
            for (uint64_t v : x.ps)
                if (v) floor_ns = std::min(floor_ns, double(v) / 2000.0);
    if (floor_ns > 1e299) floor_ns = 0.5;
    {
        std::ofstream f(dir + "msi_cdf.dat");
        f << "# latency_ns fraction_at_or_below (0 drawn at " << floor_ns << " ns) -- one block per series\n";
        for (const Series& x : s.msi_stages) write_cdf(f, x, floor_ns);
        for (const Series& x : s.msi_totals) write_cdf(f, x, floor_ns);
    }
    // GICv4: the virtual path's distributions (their own floor for the log axis).
    std::vector<Hist> vhists;
    double vfloor_ns = 1e300;
    if (!s.virtual_series.empty()) {
        std::ofstream f(dir + "virtual_hist.dat");
        f << "# center_ns width_ns count beyond_p99 -- one block per series (gnuplot index)\n";
        for (const Series& x : s.virtual_series) vhists.push_back(write_hist(f, x));
        for (const Series& x : s.virtual_series)
            for (uint64_t v : x.ps)
                if (v) vfloor_ns = std::min(vfloor_ns, double(v) / 2000.0);
        if (vfloor_ns > 1e299) vfloor_ns = 0.5;
        std::ofstream c(dir + "virtual_cdf.dat");
        c << "# latency_ns fraction_at_or_below (0 drawn at " << vfloor_ns << " ns) -- one block per series\n";
        for (const Series& x : s.virtual_series) write_cdf(c, x, vfloor_ns);
    }
    {
        std::ofstream f(dir + "command_latency.dat");
        f << "# index label min_ns p25_ns p50_ns p75_ns p99_ns max_ns count\n";
        for (size_t i = 0; i < s.commands.size(); ++i) {
            std::vector<uint64_t> v = s.commands[i].ps;
            std::sort(v.begin(), v.end());
            auto q = [&](double p) { return std::max(0.1, double(percentile_sorted(v, p)) / 1000.0); };
            f << i << " \"" << s.commands[i].name << " (" << v.size() << ")\" " << q(0) << ' ' << q(25) << ' '
              << q(50) << ' ' << q(75) << ' ' << q(99) << ' ' << q(100) << ' ' << v.size() << '\n';
        }
        if (s.commands.empty()) f << "0 \"none\" 1 1 1 1 1 1 0\n";
    }

    // ---- script ----
    const auto script = [&](const std::string& terminal) {
        std::ostringstream g;
        g << "# Drawn by `itsim plot` from " << o.events_path << "; rerun with: gnuplot plots.gp\n";
        g << "set terminal " << terminal << " size 1500,1000 font \",11\" noenhanced\n";
        g << "set datafile missing \"?\"\nset style fill solid 0.75 border -1\nset grid ytics lc rgb \"#dddddd\"\n";
        // Histograms.
        g << "set output \"msi_latency_hist.png\"\n";
        g << "set multiplot layout 3,3 title " << gp_quote("MSI latency per stage - " + src + " (" +
                                                            std::to_string(s.delivered) + " MSIs delivered)")
          << " font \",14\"\n";
        g << "set xlabel \"ns\"\nset ylabel \"MSIs\"\nset key top right\nset yrange [0:*]\n";
        for (size_t i = 0; i < hists.size(); ++i) {
            g << "set title " << gp_quote(hists[i].title) << "\n";
            g << "set xrange [" << hists[i].x_lo << ":" << hists[i].x_hi << "]\n";
            g << "plot \"msi_hist.dat\" index " << i << " using 1:3:2 with boxes lc rgb \"#3a6ea5\" notitle";
            if (hists[i].over)
                g << ", \"\" index " << i << " using 1:4:2 with boxes lc rgb \"#c0392b\" title \"beyond p99\"";
            g << "\n";
        }
        g << "unset multiplot\nset xrange [*:*]\n";
        // CDFs.
        g << "set output \"msi_latency_cdf.png\"\nset multiplot layout 1,2 title "
          << gp_quote("MSI latency, cumulative - " + src) << " font \",14\"\n";
        g << "set logscale x\nset xlabel \"ns (log)\"\nset ylabel \"fraction of MSIs at or below\"\n"
             "set yrange [0:1.02]\nset key bottom right\nset mxtics 10\nset xrange ["
          << floor_ns << ":*]\n";
        g << "set title \"stages\"\nplot ";
        for (size_t i = 0; i < s.msi_stages.size(); ++i)
            g << (i ? ", " : "") << "\"msi_cdf.dat\" index " << i << " using 1:2 with steps lw 2 title "
              << gp_quote(s.msi_stages[i].name);
        g << "\nset title \"end to end\"\nplot ";
        for (size_t i = 0; i < s.msi_totals.size(); ++i)
            g << (i ? ", " : "") << "\"msi_cdf.dat\" index " << s.msi_stages.size() + i
              << " using 1:2 with steps lw 2 title " << gp_quote(s.msi_totals[i].name);
        g << "\nunset multiplot\nunset logscale x\nunset mxtics\nset xrange [*:*]\nset yrange [*:*]\n";
        // Commands.
        g << "set output \"command_latency.png\"\nset title "
          << gp_quote("Command latency per type (CWRITER write to CREADR past it) - " + src) << " font \",14\"\n";
        g << "set logscale y\nset xlabel \"command type (count)\"\nset ylabel \"ns (log)\"\nset key top left\n"
             "set xrange [-0.6:" << (s.commands.empty() ? 0.6 : double(s.commands.size()) - 0.4) << "]\n"
             "set boxwidth 0.5\n"
             "plot \"command_latency.dat\" using 1:4:3:8:6:xticlabels(2) with candlesticks whiskerbars 0.5 "
             "lc rgb \"#3a6ea5\" title \"min, p25..p75, max\", \\\n"
             "     \"\" using 1:5:5:5:5 with candlesticks lt -1 lw 2 title \"median\", \\\n"
             "     \"\" using 1:7 with points pt 7 ps 1.5 lc rgb \"#c0392b\" title \"p99\"\n";
        if (!vhists.empty()) {
            g << "unset logscale y\nset xrange [*:*]\nset yrange [0:*]\nset output \"virtual_latency.png\"\n"
              << "set multiplot layout 2,2 title " << gp_quote("GICv4 virtual path - " + src) << " font \",14\"\n"
              << "set xlabel \"ns\"\nset ylabel \"vLPIs\"\nset key top right\n";
            for (size_t i = 0; i < vhists.size(); ++i) {
                g << "set title " << gp_quote(vhists[i].title) << "\nset xrange [" << vhists[i].x_lo << ":"
                  << vhists[i].x_hi << "]\n";
                g << "plot \"virtual_hist.dat\" index " << i << " using 1:3:2 with boxes lc rgb \"#3a6ea5\" notitle";
                if (vhists[i].over)
                    g << ", \"\" index " << i << " using 1:4:2 with boxes lc rgb \"#c0392b\" title \"beyond p99\"";
                g << "\n";
            }
            g << "set title \"cumulative\"\nset logscale x\nset xlabel \"ns (log)\"\nset ylabel \"fraction at or below\"\n"
              << "set yrange [0:1.02]\nset key bottom right\nset xrange [" << vfloor_ns << ":*]\nplot ";
            for (size_t i = 0; i < s.virtual_series.size(); ++i)
                g << (i ? ", " : "") << "\"virtual_cdf.dat\" index " << i << " using 1:2 with steps lw 2 title "
                  << gp_quote(s.virtual_series[i].name);
            g << "\nunset multiplot\nunset logscale x\n";
        }
        return g.str();
    };
    auto write_script = [&](const std::string& terminal) {
        std::ofstream f(dir + "plots.gp");
        f << script(terminal);
        return bool(f);
    };
    if (!write_script("pngcairo")) {
        err << dir << "plots.gp: error: cannot write\n";
        return 2;
    }
    if (!o.gnuplot.empty()) {
        const std::string log = dir + "gnuplot.log";
        std::remove(log.c_str());
        int rc = run_program({o.gnuplot, "plots.gp"}, o.out_dir, log);
        if (rc != 0) {
            // A gnuplot without cairo: the libgd terminal.
            write_script("png");
            std::remove(log.c_str());
            rc = run_program({o.gnuplot, "plots.gp"}, o.out_dir, log);
        }
        if (rc != 0) {
            err << "itsim plot: error: " << o.gnuplot << " failed (" << (rc < 0 ? "could not run it" : "exit status " + std::to_string(rc))
                << "); see " << log << "\n";
            return 3;
        }
    }
    for (const char* p : {"msi_latency_hist.png", "msi_latency_cdf.png", "command_latency.png"})
        out << dir << p << "\n";
    if (!vhists.empty()) out << dir << "virtual_latency.png\n";
    return 0;
}

int plot_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    namespace po = boost::program_options;
    PlotOptions o;
    po::options_description desc("itsim plot options");
    desc.add_options()("help,h", "this text")(
        "events", po::value<std::string>(&o.events_path), "the event log of `itsim run --events` (required)")(
        "stats", po::value<std::string>(&o.stats_path), "its statistics file (checked against the log)")(
        "out", po::value<std::string>(&o.out_dir), "directory for the pictures, data and script (required)")(
        "gnuplot", po::value<std::string>(&o.gnuplot)->default_value("gnuplot"),
        "gnuplot program (empty: write data and script only)");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(desc).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        err << "itsim: error: " << e.what() << "\n(itsim plot --help for usage)\n";
        return 2;
    }
    if (vm.count("help")) {
        out << "usage: itsim plot --events FILE [--stats FILE] --out DIR\n"
               "MSI latency histogram and CDF per stage, command latency per type, as PNG (gnuplot).\n"
            << desc;
        return 0;
    }
    if (o.events_path.empty() || o.out_dir.empty()) {
        err << "itsim: error: itsim plot needs --events FILE and --out DIR\n(itsim plot --help for usage)\n";
        return 2;
    }
    return plot_command(o, out, err);
}

}  // namespace itsim
