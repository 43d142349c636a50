// `itsim plot`: pictures of a run's latencies, drawn by gnuplot.
//
//   itsim plot --events FILE [--stats FILE] --out DIR [--gnuplot PROGRAM]
//
// Reads the event log of `itsim run --events` (and, if given, its
// statistics file, only to check that both come from the same run) and
// writes into DIR:
//   msi_latency_hist.png   one histogram per MSI stage and end to end
//   msi_latency_cdf.png    cumulative distributions of the same, log time axis
//   command_latency.png    per command type: min, quartiles, median, p99, max
//   virtual_latency.png    GICv4 runs only (the log has virtual records): a
//                          histogram each of vlpi_write_to_vack,
//                          vlpi_write_to_doorbell and doorbell_to_schedule
//                          (the statistics' "virtual" definitions, plot_v4.h)
//                          and their cumulative distributions
//   *.dat, plots.gp        the data and the gnuplot script that drew them
//                          (edit and rerun `gnuplot plots.gp` in DIR)
// Stages and their definitions are those of the statistics file
// (report.cpp): bus, ingress, device/event/collection lookup, redistributor
// from the MSI's stamps; write_to_pending; pending_to_ack and write_to_ack
// from the first acknowledge of the LPI at its CPU after it was pending
// (MSIs of one LPI pending together coalesce; the oldest counts). Command
// latency: CWRITER write that published it to CREADR moving past it.
//
// Also a small JSON reader (plain C++) that `itsim sweep` uses for the
// statistics files.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace itsim {

// ---- JSON (reader) --------------------------------------------------------

class Json {
public:
    enum class Type { null, boolean, number, string, array, object };
    Type type = Type::null;
    bool b = false;
    double num = 0;
    bool is_uint = false;   // num is a non-negative integer written without fraction/exponent
    uint64_t u = 0;         // its exact value when is_uint
    std::string str;
    std::vector<Json> arr;
    std::vector<std::pair<std::string, Json>> obj;

    // Member `key` of an object, or nullptr.
    const Json* get(const std::string& key) const;
    // Follow a path of member names ("msi.latency.write_to_ack.p99_ps").
    const Json* path(const std::string& dotted) const;
};
// Parses one JSON text (RFC 8259; nesting limited to 64). Throws
// std::runtime_error("column N: ...") on malformed input.
Json parse_json(const std::string& text);

// ---- latency samples -------------------------------------------------------

struct Series {
    std::string name;
    std::vector<uint64_t> ps;   // one sample per MSI or command, in picoseconds
};

struct LatencySamples {
    std::vector<Series> msi_stages;   // bus, ingress, device_lookup, event_lookup, collection_lookup, redistributor
    std::vector<Series> msi_totals;   // write_to_pending, pending_to_ack, write_to_ack
    std::vector<Series> commands;     // per command type, in order of first completion
    // GICv4 (the log has virtual records): vlpi_write_to_vack,
    // vlpi_write_to_doorbell, doorbell_to_schedule (plot_v4.h); else empty.
    std::vector<Series> virtual_series;
    uint64_t msis = 0, delivered = 0, acks = 0, commands_done = 0;
};

// Reads an event log. Throws std::runtime_error("NAME:LINE: error: ...")
// on a line that is not a JSON object.
LatencySamples read_event_log(std::istream& in, const std::string& name);

// Nearest-rank percentile of sorted samples (p in [0,100]); 0 when empty.
uint64_t percentile_sorted(const std::vector<uint64_t>& sorted, double p);

// ---- the command -----------------------------------------------------------

struct PlotOptions {
    std::string events_path;
    std::string stats_path;           // optional
    std::string out_dir;
    std::string gnuplot = "gnuplot";
};

// Writes the data files and the script; runs gnuplot unless `gnuplot` is
// empty. Returns the process exit status (0 ok, 2 bad input, 3 gnuplot
// failed); messages go to `err`, the list of pictures to `out`.
int plot_command(const PlotOptions& opts, std::ostream& out, std::ostream& err);

// `itsim plot ARGS...` (command-line parsing included).
int plot_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Runs `program args...` with stdout and stderr appended to `log_path`
// (empty: inherited) in directory `cwd` (empty: current). Returns the exit
// status, or -1 if it could not be started or was killed by a signal.
int run_program(const std::vector<std::string>& argv, const std::string& cwd, const std::string& log_path);

}  // namespace itsim
