// `itsim sweep`: one trace over a grid of parameter values.
//
//   itsim sweep TRACE --grid KEY=V1,V2,... [--grid KEY=...]... [--set KEY=VALUE]...
//               [--config FILE]... --out DIR [-j N] [--events] [--collect]
//               [--slurm [--wait] [--sbatch PROGRAM] [--sbatch-arg ARG]...]
//
// Every point of the cartesian product of the --grid axes (the first axis
// varies slowest) is one ordinary `itsim run` command line:
//   ITSIM run TRACE [--config F]... [--set base]... --set KEY=V ...
//         --stats DIR/points/NNNN/stats.json [--events DIR/points/NNNN/events.jsonl] -q
// with absolute paths, so the same line runs anywhere the files are. The
// lines go to DIR/commands.txt (line N = point N) and DIR/slurm.sh (a job
// array: task N runs line N through /bin/sh with its output in
// DIR/points/NNNN/log.txt and its exit status in DIR/points/NNNN/exit_status,
// as a local run leaves them). Locally they run through
// /bin/sh -c, N at a time (default: the machine's cores), each with its
// output in DIR/points/NNNN/log.txt and its exit status in
// DIR/points/NNNN/exit_status; a progress bar shows on a terminal only.
// With --slurm nothing runs here: `sbatch [--sbatch-arg ARG]... DIR/slurm.sh`
// submits the array (sweep_slurm.cpp) and the job ID is printed; then
// either --wait (sbatch --wait: until every task has ended, then collect
// as after a local run) or return at once, and the same command line with
// --collect instead of --slurm gathers the results later. The points run
// the same command lines either way, so sweep.csv comes out byte for byte
// the same (tb/slurm checks it on a one-node cluster).
// Then (or with --collect alone, e.g. after the Slurm array) the points'
// statistics files become
//   DIR/sweep.csv   one row per point: point, the grid values, exit status,
//                   MSIs delivered, p50/p90/p99 of write_to_pending and
//                   write_to_ack (ps, from the statistics file), the hit
//                   rates of the ITS caches and the redistributors'
//                   configuration cache, with GICv4 runs (statistics with a
//                   "virtual" section) p50/p90/p99 of vlpi_write_to_vack,
//                   vlpi_write_to_doorbell, doorbell_to_schedule, VMAPP and
//                   VMOVP and the vPE cache's hit rate (sweep_run.h), and the
//                   command line
//   DIR/sweep.png   p99 write_to_ack and p99 write_to_pending against the
//                   first grid key, one line per combination of the others
//                   (sweep.dat and sweep.gp beside it)
// Keys and values are checked against the parameter catalogue before
// anything runs; a key the trace's `platform` line sets cannot be swept
// (the trace would override it). Values cannot contain commas.
// Exit status: 0 when every point exited 0, 1 when some did not (their
// rows are kept, metrics empty if they wrote no statistics), 2 for a bad
// command line, 3 when gnuplot failed, 4 when sbatch failed.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace itsim {

struct SweepAxis {
    std::string key;
    std::vector<std::string> values;
};

// "key=v1,v2,..." -> axis. Throws ConfigError (params.h) when malformed.
SweepAxis parse_grid_axis(const std::string& spec);

struct SweepOptions {
    std::string trace_path;
    std::vector<SweepAxis> grid;
    std::vector<std::string> sets;          // "key=value", for every point
    std::vector<std::string> config_files;
    std::string out_dir;
    unsigned jobs = 0;                      // 0: the machine's cores
    bool events = false;                    // also write each point's event log
    bool collect_only = false;              // do not run; collect what is there
    std::string itsim;                      // the itsim binary (empty: this one)
    std::string gnuplot = "gnuplot";        // empty: no picture
    std::string progress = "auto";          // auto | on | off
    // --slurm: submit DIR/slurm.sh with `sbatch` instead of running here;
    // --wait: until the array is done, then collect.
    bool slurm = false;
    bool slurm_wait = false;
    std::string sbatch = "sbatch";
    std::vector<std::string> sbatch_args;   // before the script, e.g. --partition=p
};

struct SweepPoint {
    unsigned index = 0;                     // 1-based: line of commands.txt
    std::vector<std::string> values;        // one per axis
    std::string dir;                        // DIR/points/NNNN (absolute)
    std::string command;                    // the shell command line
};

// The points of the grid, in commands.txt order (paths made absolute).
std::vector<SweepPoint> sweep_points(const SweepOptions& opts);

// `word` quoted for /bin/sh when it needs it.
std::string shell_quote(const std::string& word);

int sweep_command(const SweepOptions& opts, std::ostream& out, std::ostream& err);
// `itsim sweep ARGS...` (command-line parsing included).
int sweep_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace itsim
