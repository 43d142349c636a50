// `itsim check`: read a log, print what the checker found (check.h).
#include <fstream>
#include <istream>
#include <ostream>
#include <string>

#include "check/check.h"

namespace itsim {

CheckResult check_event_log(std::istream& in, const std::string& name, const CheckOptions& opts) {
    EventChecker c(name, opts);
    std::string line;
    while (std::getline(in, line)) c.feed(line);
    if (in.bad()) throw CheckFormatError(name + ": error: read error");
    return c.finish();
}

namespace {

void print_violation(const Violation& v, const std::string& name, std::ostream& out) {
    out << name;
    if (v.line()) out << ":" << v.line();
    out << ": " << v.rule << " " << rule_title(v.rule) << ": " << v.message << "\n";
    for (const RecordRef& r : v.records) out << "  " << r.line << ": " << r.text << "\n";
}

}  // namespace

void print_check_result(const CheckResult& r, const std::string& name, std::ostream& out) {
    for (const Violation& v : r.violations) print_violation(v, name, out);
}

int check_command(const std::string& path, bool quiet, std::ostream& out, std::ostream& err) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        err << path << ": error: cannot read the event log\n";
        return 2;
    }
    CheckResult r;
    try {
        r = check_event_log(in, path);
    } catch (const CheckFormatError& e) {
        err << e.what() << "\n";
        return 2;
    }
    print_check_result(r, path, out);
    if (!quiet) {
        for (const std::string& n : r.notes) out << path << ": note: " << n << "\n";
        const CheckStats& s = r.stats;
        out << path << ": " << s.records << " records (" << s.msis << " msi: " << s.delivered << " delivered, "
            << s.dropped << " dropped; " << s.acks << " ack; " << s.commands << " command; " << s.kicks << " kick; "
            << s.lpis << " lpi; " << s.pends << " pend; " << s.stalls << " stall; " << s.timeouts
            << " timeout), last at " << s.end_ps << "ps, at most " << s.max_pending << " LPIs pending: ";
        if (r.total() == 0) {
            out << "no violations\n";
        } else {
            out << r.total() << " violation" << (r.total() == 1 ? "" : "s") << " (";
            bool first = true;
            for (const auto& [rule, n] : r.counts) {
                out << (first ? "" : ", ") << rule << " " << rule_title(rule) << ": " << n;
                first = false;
            }
            out << ")";
            if (r.violations.size() < r.total()) out << "; " << r.violations.size() << " shown";
            out << "\n";
        }
    }
    return r.total() ? 1 : 0;
}

int check_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    static const char* usage =
        "usage: itsim check EVENTS.jsonl [--quiet]\n"
        "  checks the invariants of an event log (docs/check.md): times (R1), accounting\n"
        "  of MSIs and commands (R2), the pending state of every LPI and each acknowledge\n"
        "  (R3), no interrupt lost at the end (R4), causes of pend records (R5),\n"
        "  configuration snapshots (R6), and with GICv4 the virtual side (R7). Prints\n"
        "  each violation with the records involved.\n"
        "  -q, --quiet   print only the violations (no notes, no summary)\n"
        "  exit status: 0 no violation, 1 violations, 2 unreadable or not an event log\n";
    std::string path;
    bool quiet = false;
    for (const std::string& a : args) {
        if (a == "-h" || a == "--help") {
            out << usage;
            return 0;
        }
        if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (!a.empty() && a[0] == '-') {
            err << "itsim: error: unknown option '" << a << "'\n(itsim check --help for usage)\n";
            return 2;
        } else if (!path.empty()) {
            err << "itsim: error: itsim check takes one event log\n(itsim check --help for usage)\n";
            return 2;
        } else {
            path = a;
        }
    }
    if (path.empty()) {
        err << "itsim: error: itsim check needs an EVENTS.jsonl file\n(itsim check --help for usage)\n";
        return 2;
    }
    return check_command(path, quiet, out, err);
}

}  // namespace itsim
