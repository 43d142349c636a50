// itsim: the command-line front end.
//   itsim run TRACE [--events FILE] [--stats FILE] [--vcd FILE]
//                   [--config FILE]... [--set key=value]...
//   itsim params            every parameter with its default and meaning
//   itsim plot  --events FILE [--stats FILE] --out DIR        (plot.h)
//   itsim sweep TRACE --grid key=v1,v2,... --out DIR [-j N]   (sweep.h)
//   itsim check EVENTS.jsonl [--quiet]                       (check/check.h)
//   itsim import qemu LOG [-o TRACE] [--time-scale S]         (import/import.h)
//   itsim --help
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <systemc>

#include "check/check.h"
#include "dts.h"
#include "import/import.h"
#include "params.h"
#include "plot.h"
#include "run.h"
#include "sweep.h"

namespace po = boost::program_options;

namespace {

// The kernel prints its banner when it first comes to life, which can be
// during static initialisation (a namespace-scope sc_time); switch it off
// before any of that.
struct QuietKernel {
    QuietKernel() { setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1); }
} quiet_kernel __attribute__((init_priority(101)));

const char* kUsage =
    "itsim: a cycle-approximate SystemC/TLM-2.0 model of the Arm GICv3 ITS,\n"
    "its redistributors and the memory system they live on.\n"
    "\n"
    "usage:\n"
    "  itsim run TRACE [options]   replay a stimulus trace (trace-format.md) and\n"
    "                              report what the hardware did and when\n"
    "  itsim params                list every platform parameter, default and meaning\n"
    "  itsim plot --events FILE --out DIR\n"
    "                              latency histograms, CDFs and command latencies as PNG\n"
    "  itsim sweep TRACE --grid key=v1,v2,... --out DIR\n"
    "                              run TRACE over a parameter grid in parallel: CSV + plot\n"
    "  itsim check EVENTS.jsonl [--quiet]\n"
    "                              check an event log's invariants (docs/check.md); exit 1\n"
    "                              and each violation with its records when one breaks\n"
    "  itsim dts [TRACE] [--set k=v]...\n"
    "                              the device-tree nodes of the GIC and ITS a configuration\n"
    "                              describes (for a Linux guest)\n"
    "  itsim import qemu LOG [-o TRACE] [--time-scale S]\n"
    "                              a stimulus trace from a QEMU log of the gicv3_its trace\n"
    "                              events of a real guest, with expects of QEMU's outcomes\n"
    "  itsim --help                this text\n"
    "\n"
    "Parameters are taken from, later winning: the defaults, --config files,\n"
    "--set options, and the trace's `platform` line. Exit status: 0 when the\n"
    "trace ran and every expect held; 1 when an expect failed; 2 for a bad\n"
    "trace, configuration or command line (nothing simulated); 3 when the\n"
    "platform could not be brought up; 4 when max_time was reached.\n";

int usage_error(const std::string& msg) {
    std::cerr << "itsim: error: " << msg << "\n(itsim --help for usage)\n";
    return 2;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    // The kernel's own banner and deprecation notes are not the user's business.
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage_error("no command given");
    const std::string cmd = args[0];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (cmd == "params") {
        std::cout << "parameter                     default     meaning\n" << itsim::Params::describe();
        return 0;
    }
    if (cmd == "plot") return itsim::plot_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd == "sweep") return itsim::sweep_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd == "check") return itsim::check_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd == "dts") return itsim::dts_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd == "import") return itsim::import_main({args.begin() + 1, args.end()}, std::cout, std::cerr);
    if (cmd != "run") return usage_error("unknown command '" + cmd + "'");

    itsim::RunOptions opts;
    po::options_description desc("itsim run options");
    desc.add_options()
        ("help,h", "this text")
        ("events", po::value<std::string>(&opts.events_path), "write the event log (JSON Lines) to FILE")
        ("stats", po::value<std::string>(&opts.stats_path), "write latency statistics (JSON) to FILE")
        ("vcd", po::value<std::string>(&opts.vcd_path), "write waveforms (VCD) to FILE")
        ("config", po::value<std::vector<std::string>>(&opts.config_files)->composing(),
         "read parameters from FILE (lines `key = value`); may repeat")
        ("set", po::value<std::vector<std::string>>(&opts.sets)->composing(),
         "set a parameter, e.g. --set cpus=8; may repeat")
        ("check", po::bool_switch(&opts.check),
         "check the run's event log with the invariant checker (itsim check); a violation makes the exit status 1")
        ("quiet,q", po::bool_switch(&opts.quiet), "print no summary");
    po::options_description hidden;
    hidden.add_options()("trace", po::value<std::string>(&opts.trace_path));
    po::options_description all;
    all.add(desc).add(hidden);
    po::positional_options_description pos;
    pos.add("trace", 1);
    po::variables_map vm;
    try {
        std::vector<std::string> rest(args.begin() + 1, args.end());
        po::store(po::command_line_parser(rest).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return usage_error(e.what());
    }
    if (vm.count("help")) {
        std::cout << "usage: itsim run TRACE [options]\n" << desc;
        return 0;
    }
    if (opts.trace_path.empty()) return usage_error("itsim run needs a TRACE file");
    return itsim::run_command(opts, std::cout, std::cerr);
}
