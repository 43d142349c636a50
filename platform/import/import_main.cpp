#include <fstream>
#include <iterator>
#include <sstream>

#include "import/gunzip.h"
#include "import/import.h"
#include "import/qemu_import.h"

namespace itsim {

namespace {

// A compressed log is inflated in memory; this bounds it.
constexpr uint64_t kMaxLogBytes = 1ull << 30;

const char* kImportUsage =
    "usage: itsim import qemu LOG [-o TRACE] [--time-scale S] [--cmdq DUMP] [-q]\n"
    "\n"
    "Convert a QEMU log of the GICv3 ITS trace events (-trace 'gicv3_its*'\n"
    "-msg timestamp=on, QEMU 7.2) into a stimulus trace: the commands in their\n"
    "GITS_CWRITER batches, every GITS_TRANSLATER write as an msi with an expect\n"
    "of QEMU's outcome, what QEMU does not print filled in as Linux builds it\n"
    "(docs/import.md). LOG may be gzip-compressed. Other lines of the log (other\n"
    "trace events, guest errors) are skipped.\n"
    "\n"
    "  -o, --output TRACE   write the trace to TRACE (default: standard output)\n"
    "  --time-scale S       simulated seconds per host second (default 1: the\n"
    "                       host timestamps as they are; 0.001: 1 host ms = 1 us)\n"
    "  --cmdq DUMP          check every command against a dump of the command queue\n"
    "                       taken after the last one (QEMU monitor: pmemsave of\n"
    "                       GITS_CBASER's pages; may be gzip-compressed): its raw\n"
    "                       words must equal the trace's fields, fills included\n"
    "  -q, --quiet          print no summary\n";

std::string base_name(const std::string& path) {
    std::string b = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
    if (b.size() > 3 && b.compare(b.size() - 3, 3, ".gz") == 0) b.resize(b.size() - 3);
    return b;
}

// A whole file, inflated when it is gzip. False when it cannot be read.
bool read_file(const std::string& path, std::string& data) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    in.seekg(0, std::ios::end);
    const auto size = static_cast<uint64_t>(in.tellg());
    if (size > kMaxLogBytes) throw GunzipError("a file past 1 GiB");
    in.seekg(0);
    data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (is_gzip(data)) data = gunzip(data, kMaxLogBytes);
    return true;
}

int usage_error(std::ostream& err, const std::string& msg) {
    err << "itsim import: error: " << msg << "\n(itsim import --help for usage)\n";
    return 2;
}

}  // namespace

int import_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string format, log, output, cmdq;
    qemu::ImportOptions opts;
    bool quiet = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= args.size()) return false;
            into = args[++i];
            return true;
        };
        if (a == "-h" || a == "--help") {
            out << kImportUsage;
            return 0;
        } else if (a == "-o" || a == "--output") {
            if (!value(output)) return usage_error(err, a + " needs a file name");
        } else if (a == "--time-scale") {
            std::string s;
            if (!value(s)) return usage_error(err, "--time-scale needs a value");
            if (!qemu::parse_time_scale(s, opts.ps_per_host_us))
                return usage_error(err, "--time-scale '" + s +
                                            "': a decimal number of simulated seconds per host second, at least "
                                            "0.000001 and in steps of 0.000001");
        } else if (a == "--cmdq") {
            if (!value(cmdq)) return usage_error(err, "--cmdq needs a file name");
        } else if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            return usage_error(err, "unknown option '" + a + "'");
        } else if (format.empty()) {
            format = a;
        } else if (log.empty()) {
            log = a;
        } else {
            return usage_error(err, "unexpected argument '" + a + "'");
        }
    }
    if (format.empty()) return usage_error(err, "itsim import needs a log format (qemu) and a LOG");
    if (format != "qemu") return usage_error(err, "unknown log format '" + format + "' (known: qemu)");
    if (log.empty()) return usage_error(err, "itsim import qemu needs a LOG file");

    opts.source_name = log;
    opts.header_name = base_name(log);
    qemu::ImportStats stats;
    std::string trace;
    const std::string* failing = &log;
    try {
        if (!cmdq.empty()) {
            failing = &cmdq;
            if (!read_file(cmdq, opts.cmdq)) {
                err << cmdq << ": error: cannot read the file\n";
                return 2;
            }
            if (opts.cmdq.empty()) {
                err << cmdq << ": error: an empty command queue dump\n";
                return 2;
            }
        }
        failing = &log;
        std::ifstream in(log, std::ios::binary);
        if (!in) {
            err << log << ": error: cannot read the file\n";
            return 2;
        }
        const int c0 = in.get(), c1 = in.get();
        in.clear();
        in.seekg(0);
        if (c0 == 0x1f && c1 == 0x8b) {
            std::string data;
            read_file(log, data);
            trace = qemu::import_qemu_log(data, opts, &stats);
        } else {
            trace = qemu::import_qemu_log(in, opts, &stats);
        }
    } catch (const qemu::ImportError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const GunzipError& e) {
        err << *failing << ": error: " << e.what() << "\n";
        return 2;
    }
    if (output.empty()) {
        out << trace;
    } else {
        std::ofstream o(output, std::ios::binary);
        o << trace;
        o.close();
        if (!o) {
            err << output << ": error: cannot write the trace\n";
            return 3;
        }
    }
    if (!quiet)
        err << "itsim import: " << log << ": " << stats.commands << " commands in " << stats.batches << " batches, "
            << stats.msis << " MSIs (" << stats.delivered << " translated, " << stats.dropped << " dropped); fills: "
            << stats.sync_fills << " SYNC, " << stats.invall_fills << " INVALL, " << stats.lpi_fills << " lpi; "
            << stats.itt_slots << " ITTs relocated"
            << (cmdq.empty() ? "" : "; " + std::to_string(stats.cmdq_checked) + " commands equal the queue dump")
            << (output.empty() ? "" : " -> " + output) << "\n";
    return 0;
}

}  // namespace itsim
