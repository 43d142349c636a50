// `itsim sweep` (sweep.h): the grid's points and command lines, and the
// command (check, run, collect, picture). Running the points and reading
// their results: sweep_run.cpp.
#include "sweep.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>

#include "params.h"
#include "plot.h"
#include "sweep_run.h"
#include "trace/trace.h"

namespace itsim {

namespace {

std::string absolute(const std::string& p) {
    if (p.empty() || p[0] == '/') return p;
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return p;
    std::string cwd = buf;
    std::string rest = p;
    while (rest.rfind("./", 0) == 0) rest = rest.substr(2);
    return cwd + "/" + rest;
}

std::string self_exe() {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "itsim";
    buf[n] = 0;
    return buf;
}

bool make_dirs(const std::string& path) {
    std::string cur;
    std::stringstream ss(path);
    std::string part;
    if (!path.empty() && path[0] == '/') cur = "/";
    while (std::getline(ss, part, '/')) {
        if (part.empty()) continue;
        cur += part + "/";
        if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) return false;
    }
    return true;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) {
        if (c == '"') o.push_back('"');
        o.push_back(c);
    }
    return o + "\"";
}

}  // namespace

SweepAxis parse_grid_axis(const std::string& spec) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError("--grid " + spec + ": error: expected KEY=V1,V2,...");
    SweepAxis a;
    a.key = spec.substr(0, eq);
    std::string rest = spec.substr(eq + 1);
    size_t from = 0;
    for (;;) {
        const size_t comma = rest.find(',', from);
        std::string v = rest.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (v.empty()) throw ConfigError("--grid " + spec + ": error: empty value");
        a.values.push_back(v);
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    return a;
}

std::string shell_quote(const std::string& w) {
    if (!w.empty() && w.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./=:,+%@") ==
                          std::string::npos)
        return w;
    std::string o = "'";
    for (char c : w) {
        if (c == '\'') o += "'\\''";
        else o.push_back(c);
    }
    return o + "'";
}

std::vector<SweepPoint> sweep_points(const SweepOptions& o) {
    std::vector<SweepPoint> pts;
    size_t total = 1;
    for (const SweepAxis& a : o.grid) total *= a.values.size();
    if (o.grid.empty()) total = 1;
    const std::string exe = o.itsim.empty() ? self_exe() : absolute(o.itsim);
    const std::string dir = absolute(o.out_dir);
    const int width = std::max<int>(4, int(std::to_string(total).size()));
    for (size_t i = 0; i < total; ++i) {
        SweepPoint p;
        p.index = unsigned(i + 1);
        size_t rest = i;
        p.values.resize(o.grid.size());
        for (size_t k = o.grid.size(); k-- > 0;) {
            p.values[k] = o.grid[k].values[rest % o.grid[k].values.size()];
            rest /= o.grid[k].values.size();
        }
        std::string num = std::to_string(i + 1);
        if (int(num.size()) < width) num.insert(0, size_t(width) - num.size(), '0');
        p.dir = dir + "/points/" + num;
        std::vector<std::string> argv = {exe, "run", absolute(o.trace_path)};
        for (const std::string& c : o.config_files) {
            argv.push_back("--config");
            argv.push_back(absolute(c));
        }
        for (const std::string& s : o.sets) {
            argv.push_back("--set");
            argv.push_back(s);
        }
        for (size_t k = 0; k < o.grid.size(); ++k) {
            argv.push_back("--set");
            argv.push_back(o.grid[k].key + "=" + p.values[k]);
        }
        argv.push_back("--stats");
        argv.push_back(p.dir + "/stats.json");
        if (o.events) {
            argv.push_back("--events");
            argv.push_back(p.dir + "/events.jsonl");
        }
        argv.push_back("-q");
        for (size_t k = 0; k < argv.size(); ++k) p.command += (k ? " " : "") + shell_quote(argv[k]);
        pts.push_back(std::move(p));
    }
    return pts;
}

namespace {

std::string gq(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o.push_back('\\');
        o.push_back(c);
    }
    return o + "\"";
}

}  // namespace

using sweep_detail::collect;
using sweep_detail::ProgressBar;
using sweep_detail::Row;
using sweep_detail::VirtualColumn;
using sweep_detail::kVirtualColumns;
using sweep_detail::spawn_shell;

int sweep_command(const SweepOptions& o, std::ostream& out, std::ostream& err) {
    // ---- check everything before running anything ----
    try {
        Params p;
        for (const std::string& c : o.config_files) p.load_file(c);
        for (const std::string& s : o.sets) p.set_assignment(s, "--set " + s);
        for (const SweepAxis& a : o.grid)
            for (const std::string& v : a.values) p.set(a.key, v, "--grid " + a.key);
        const Trace t = scan_trace_file(o.trace_path);
        for (const PlatformSetting& s : t.platform)
            for (const SweepAxis& a : o.grid)
                if (a.key == s.key)
                    throw ConfigError(s.pos.str() + ": error: the trace's platform line sets " + s.key +
                                      ", so --grid " + s.key + " would have no effect");
    } catch (const ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const TraceError& e) {
        err << e.what() << "\n";
        return 2;
    }
    if (o.grid.empty()) {
        err << "itsim: error: itsim sweep needs at least one --grid KEY=V1,V2,...\n";
        return 2;
    }
    const std::vector<SweepPoint> pts = sweep_points(o);
    const std::string dir = absolute(o.out_dir);
    if (!make_dirs(dir + "/points")) {
        err << dir << ": error: cannot create the directory\n";
        return 2;
    }
    {
        std::ofstream c(dir + "/commands.txt");
        for (const SweepPoint& p : pts) c << p.command << "\n";
        std::ofstream s(dir + "/slurm.sh");
        s << sweep_detail::slurm_script(dir, pts.size(), std::max<int>(4, int(std::to_string(pts.size()).size())));
        if (!c || !s) {
            err << dir << ": error: cannot write commands.txt\n";
            return 2;
        }
    }
    for (const SweepPoint& p : pts)
        if (!make_dirs(p.dir)) {
            err << p.dir << ": error: cannot create the directory\n";
            return 2;
        }

    // ---- run ----
    if (o.slurm) {
        for (const SweepPoint& p : pts) {
            std::remove((p.dir + "/stats.json").c_str());
            std::remove((p.dir + "/exit_status").c_str());
        }
        if (const int rc = sweep_detail::submit_slurm(o, dir, out, err)) return rc;
        if (!o.slurm_wait) return 0;
    } else if (!o.collect_only) {
        unsigned jobs = o.jobs;
        if (jobs == 0) {
            const long n = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = n > 0 ? unsigned(n) : 1;
        }
        ProgressBar bar(o.progress, pts.size());
        std::map<pid_t, size_t> running;
        size_t next = 0, done = 0, failed = 0;
        bar.draw(0, 0, 0);
        while (done < pts.size()) {
            while (running.size() < jobs && next < pts.size()) {
                const SweepPoint& p = pts[next];
                std::remove((p.dir + "/stats.json").c_str());
                std::remove((p.dir + "/exit_status").c_str());
                const pid_t pid = spawn_shell(p.command, p.dir + "/log.txt");
                if (pid < 0) {
                    err << "itsim sweep: error: cannot start a process\n";
                    return 2;
                }
                running[pid] = next++;
                bar.draw(done, running.size(), failed);
            }
            int status = 0;
            const pid_t pid = waitpid(-1, &status, 0);
            if (pid < 0) {
                if (errno == EINTR) continue;
                break;
            }
            auto it = running.find(pid);
            if (it == running.end()) continue;
            const int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            std::ofstream(pts[it->second].dir + "/exit_status") << rc << "\n";
            if (rc != 0) ++failed;
            running.erase(it);
            ++done;
            bar.draw(done, running.size(), failed);
        }
        bar.finish();
    }

    // ---- collect ----
    std::vector<Row> rows;
    bool all_ok = true;
    for (const SweepPoint& p : pts) {
        rows.push_back(collect(p));
        // --collect after a run elsewhere: no exit status, the statistics tell.
        if (o.collect_only ? !rows.back().have : rows.back().exit_status != "0") all_ok = false;
    }
    {
        std::ofstream csv(dir + "/sweep.csv");
        csv << "point";
        for (const SweepAxis& a : o.grid) csv << ',' << csv_field(a.key);
        csv << ",exit_status,msis_delivered"
               ",write_to_pending_p50_ps,write_to_pending_p90_ps,write_to_pending_p99_ps"
               ",write_to_ack_p50_ps,write_to_ack_p90_ps,write_to_ack_p99_ps"
               ",its_device_hit_rate,its_event_hit_rate,its_collection_hit_rate,redist_config_hit_rate";
        // GICv4 runs: the virtual path's columns (a GICv3 sweep.csv has none).
        bool v4 = false;
        for (const Row& r : rows) v4 = v4 || r.v4;
        if (v4) {
            for (const VirtualColumn& c : kVirtualColumns)
                for (const char* p : {"_p50_ps", "_p90_ps", "_p99_ps"}) csv << ',' << c.name << p;
            csv << ",its_vpe_hit_rate";
        }
        csv << ",command\n";
        for (size_t i = 0; i < pts.size(); ++i) {
            const Row& r = rows[i];
            csv << pts[i].index;
            for (const std::string& v : pts[i].values) csv << ',' << csv_field(v);
            csv << ',' << r.exit_status << ',' << r.delivered;
            for (const std::string& l : r.lat) csv << ',' << l;
            for (const std::string& h : r.hit) csv << ',' << h;
            if (v4) {
                for (const std::string& l : r.vlat) csv << ',' << l;
                csv << ',' << r.vpe_hit;
            }
            csv << ',' << csv_field(pts[i].command) << '\n';
        }
        if (!csv) {
            err << dir << "/sweep.csv: error: cannot write\n";
            return 2;
        }
    }

    // ---- picture ----
    // x: the first axis's values in grid order; one line per combination
    // of the other axes.
    const SweepAxis& xa = o.grid[0];
    std::vector<std::string> line_names;
    std::vector<size_t> line_of_point;
    for (const SweepPoint& p : pts) {
        std::string n;
        for (size_t k = 1; k < o.grid.size(); ++k) n += (k > 1 ? ", " : "") + o.grid[k].key + "=" + p.values[k];
        size_t l = 0;
        while (l < line_names.size() && line_names[l] != n) ++l;
        if (l == line_names.size()) line_names.push_back(n);
        line_of_point.push_back(l);
    }
    // A log axis when the values span more than a factor of 20.
    double ymin = 0, ymax = 0;
    for (const Row& r : rows)
        for (double y : {r.wta_p99_ns, r.wtp_p99_ns})
            if (r.have && y > 0) {
                ymin = ymin == 0 ? y : std::min(ymin, y);
                ymax = std::max(ymax, y);
            }
    const bool log_y = ymin > 0 && ymax / ymin > 20;
    {
        std::ofstream d(dir + "/sweep.dat");
        d << "# x_index x_label write_to_ack_p99_ns write_to_pending_p99_ns -- one block per line\n";
        for (size_t l = 0; l < line_names.size(); ++l) {
            for (size_t i = 0; i < pts.size(); ++i) {
                if (line_of_point[i] != l) continue;
                size_t xi = 0;
                while (xi < xa.values.size() && xa.values[xi] != pts[i].values[0]) ++xi;
                d << xi << ' ' << gq(pts[i].values[0]) << ' ';
                if (rows[i].have) d << rows[i].wta_p99_ns << ' ' << rows[i].wtp_p99_ns << '\n';
                else d << "? ?\n";
            }
            d << "\n\n";
        }
        std::ofstream g(dir + "/sweep.gp");
        std::string trace = o.trace_path.substr(o.trace_path.find_last_of('/') == std::string::npos
                                                    ? 0
                                                    : o.trace_path.find_last_of('/') + 1);
        g << "# Drawn by `itsim sweep`; rerun with: gnuplot sweep.gp\n"
             "set terminal pngcairo size 1500,650 font \",11\" noenhanced\n"
             "set output \"sweep.png\"\nset datafile missing \"?\"\nset grid lc rgb \"#dddddd\"\n"
             "set key below\nset xrange [-0.3:"
          << double(xa.values.size()) - 0.7 << "]\nset yrange [0:*]\n"
          << "set xlabel " << gq(xa.key) << "\nset ylabel " << gq(log_y ? "ns (log)" : "ns") << "\n"
          << (log_y ? "set logscale y\nset yrange [*:*]\n" : "")
          << "set multiplot layout 1,2 title " << gq("itsim sweep of " + trace + " (" + std::to_string(pts.size()) +
                                                      " points)")
          << " font \",14\"\n";
        const char* what[2] = {"p99 MSI write to acknowledge", "p99 MSI write to pending"};
        for (int panel = 0; panel < 2; ++panel) {
            g << "set title " << gq(what[panel]) << "\nplot ";
            for (size_t l = 0; l < line_names.size(); ++l)
                g << (l ? ", " : "") << "\"sweep.dat\" index " << l << " using 1:" << 3 + panel
                  << ":xticlabels(2) with linespoints lw 2 pt 7 title "
                  << gq(line_names[l].empty() ? "all" : line_names[l]);
            g << "\n";
        }
        g << "unset multiplot\n";
    }
    int status = all_ok ? 0 : 1;
    if (!o.gnuplot.empty()) {
        const std::string log = dir + "/gnuplot.log";
        std::remove(log.c_str());
        int rc = run_program({o.gnuplot, "sweep.gp"}, dir, log);
        if (rc != 0) {
            // A gnuplot without cairo: the libgd terminal.
            std::ifstream in(dir + "/sweep.gp");
            std::stringstream ss;
            ss << in.rdbuf();
            std::string s = ss.str();
            const size_t at = s.find("pngcairo");
            if (at != std::string::npos) s.replace(at, 8, "png");
            std::ofstream(dir + "/sweep.gp") << s;
            std::remove(log.c_str());
            rc = run_program({o.gnuplot, "sweep.gp"}, dir, log);
        }
        if (rc != 0) {
            err << "itsim sweep: error: " << o.gnuplot << " failed; see " << log << "\n";
            status = 3;
        }
    }
    size_t ok = 0;
    for (const Row& r : rows) ok += o.collect_only ? r.have : r.exit_status == "0";
    out << "sweep: " << pts.size() << " points, " << ok << (o.collect_only ? " with statistics; " : " exited 0; ")
        << dir << "/sweep.csv";
    if (!o.gnuplot.empty() && status != 3) out << ", " << dir << "/sweep.png";
    out << "\n";
    if (!all_ok && !o.collect_only)
        for (size_t i = 0; i < pts.size(); ++i)
            if (rows[i].exit_status != "0")
                err << "itsim sweep: point " << pts[i].index << " exited " << rows[i].exit_status << "; see "
                    << pts[i].dir << "/log.txt\n";
    return status;
}

int sweep_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    namespace po = boost::program_options;
    SweepOptions o;
    std::vector<std::string> grids;
    po::options_description desc("itsim sweep options");
    desc.add_options()("help,h", "this text")(
        "grid", po::value<std::vector<std::string>>(&grids)->composing(),
        "an axis KEY=V1,V2,...; may repeat (cartesian product, first axis slowest)")(
        "set", po::value<std::vector<std::string>>(&o.sets)->composing(), "KEY=VALUE for every point; may repeat")(
        "config", po::value<std::vector<std::string>>(&o.config_files)->composing(),
        "a configuration file for every point; may repeat")(
        "out", po::value<std::string>(&o.out_dir), "output directory (required)")(
        "jobs,j", po::value<unsigned>(&o.jobs)->default_value(0), "points run at once (0: the machine's cores)")(
        "events", po::bool_switch(&o.events), "also write each point's event log")(
        "collect", po::bool_switch(&o.collect_only),
        "run nothing: build sweep.csv and sweep.png from the points' statistics files already there")(
        "progress", po::value<std::string>(&o.progress)->default_value("auto"), "progress bar: auto, on, off")(
        "slurm", po::bool_switch(&o.slurm), "submit DIR/slurm.sh with sbatch instead of running the points here")(
        "wait", po::bool_switch(&o.slurm_wait), "with --slurm: wait for the job array, then collect")(
        "sbatch", po::value<std::string>(&o.sbatch)->default_value("sbatch"), "the sbatch program (--slurm)")(
        "sbatch-arg", po::value<std::vector<std::string>>(&o.sbatch_args)->composing(),
        "an argument for sbatch, before the script (e.g. --partition=P); may repeat")(
        "itsim", po::value<std::string>(&o.itsim), "the itsim binary the command lines name (default: this one)")(
        "gnuplot", po::value<std::string>(&o.gnuplot)->default_value("gnuplot"), "gnuplot program (empty: no picture)");
    po::options_description hidden;
    hidden.add_options()("trace", po::value<std::string>(&o.trace_path));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("trace", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        err << "itsim: error: " << e.what() << "\n(itsim sweep --help for usage)\n";
        return 2;
    }
    if (vm.count("help")) {
        out << "usage: itsim sweep TRACE --grid KEY=V1,V2,... [--grid ...] [--set KEY=VALUE]... --out DIR [-j N]\n"
               "Runs TRACE at every point of the grid as independent `itsim run` processes;\n"
               "writes DIR/sweep.csv, DIR/sweep.png, DIR/commands.txt and DIR/slurm.sh;\n"
               "with --slurm the points run as a Slurm job array instead (--wait, or --collect later).\n"
            << desc;
        return 0;
    }
    if (o.trace_path.empty() || o.out_dir.empty()) {
        err << "itsim: error: itsim sweep needs a TRACE and --out DIR\n(itsim sweep --help for usage)\n";
        return 2;
    }
    if (o.slurm && o.collect_only) {
        err << "itsim: error: --slurm submits the points, --collect gathers them: give one of the two\n";
        return 2;
    }
    if (o.slurm_wait && !o.slurm) {
        err << "itsim: error: --wait goes with --slurm\n";
        return 2;
    }
    if (o.progress != "auto" && o.progress != "on" && o.progress != "off") {
        err << "itsim: error: --progress must be auto, on or off\n";
        return 2;
    }
    try {
        for (const std::string& g : grids) o.grid.push_back(parse_grid_axis(g));
    } catch (const ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    }
    return sweep_command(o, out, err);
}

}  // namespace itsim
