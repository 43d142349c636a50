#include "run.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <unistd.h>

#include <systemc>

#include "check/check.h"
#include "report.h"
#include "run_check.h"
#include "run_stream.h"
#include "run_v4.h"
#include "stats_v4.h"
#include "system.h"
#include "trace/event_log.h"
#include "trace/log_sink.h"
#include "vcd.h"
#include "progress.h"
#include "sources/source_device.h"
#include "itsim/its/its_core.h"

namespace itsim {

void apply_settings(Params& params, const RunOptions& opts, const Trace& trace) {
    for (const std::string& f : opts.config_files) params.load_file(f);
    for (size_t i = 0; i < opts.sets.size(); ++i)
        params.set_assignment(opts.sets[i], "--set " + opts.sets[i]);
    // The trace's platform line overrides the defaults and the command line.
    for (const PlatformSetting& s : trace.platform) params.set(s.key, s.value, s.pos.str(), s.value_pos.str());
    apply_derived_defaults(params);
}

namespace {

// The second pass: the trace's lines again, one at a time (TraceCursor).
// `sources`: the trace's source lines (null when it has none);
// `msis_sent` counts the msi lines issued (the progress line).
void replay(const Trace& trace, DriverAgent& d, System& sys, SourceSet* sources = nullptr,
            uint64_t* msis_sent = nullptr) {
    TraceCursor cursor(trace);
    while (const TraceLine* line = cursor.next()) {
        const TraceLine& l = *line;
        if (l.op == TraceLine::Op::platform || l.op == TraceLine::Op::expect) continue;
        if (l.t_ps > d.now_ps()) {
            // Appended commands are published before the first later line.
            d.kick_all();
            d.advance_to(l.t_ps);
        }
        switch (l.op) {
        case TraceLine::Op::cmd:
            if (l.raw_form) d.append_raw(l.cmd.raw, unsigned(l.cmd_seq), l.its);
            else d.append_command(l.cmd, unsigned(l.cmd_seq), l.its, l.cmd_defaulted);
            break;
        case TraceLine::Op::kick: d.kick(l.its); break;
        case TraceLine::Op::wait:
            d.kick_all();   // every appended command is published before a wait
            d.wait_drained(l.its);
            break;
        case TraceLine::Op::msi:
            d.kick_all();   // ... and before an msi
            sys.note_msi_issued(l.msi_seq, d.now_ps());
            d.send_msi(l.device, l.event, l.msi_seq, l.its);
            break;
        case TraceLine::Op::vlpi:
            sys.records().vlpi_writes.push_back({d.now_ps(), l.vpeid, l.vintid, uint8_t(l.priority & 0xFC), l.enable});
            d.set_vlpi_config(l.vpeid, l.vintid, l.priority, l.enable);
            break;
        case TraceLine::Op::schedule: d.schedule(l.cpu, l.vpeid); break;
        case TraceLine::Op::deschedule: d.deschedule(l.cpu, l.doorbell); break;
        case TraceLine::Op::sgi:
            d.kick_all();
            d.send_vsgi(l.vpeid, l.vintid, l.its);
            break;
        case TraceLine::Op::vsgi_read: d.read_vsgi(l.cpu, l.vpeid, l.vsgi_read_seq); break;
        case TraceLine::Op::write: d.store(l.addr, l.value, l.size); break;
        case TraceLine::Op::lpi:
            sys.records().lpi_writes.push_back({d.now_ps(), l.intid, uint8_t(l.priority & 0xFC), l.enable});
            d.set_lpi_config(l.intid, l.priority, l.enable);
            break;
        case TraceLine::Op::source:
            d.kick_all();   // as before an msi
            if (sources) sources->start(l, d.now_ps());
            break;
        default: break;
        }
        if (l.op == TraceLine::Op::msi && msis_sent) ++*msis_sent;
    }
}

std::vector<ExpectResult> check_expects(const Trace& trace, System& sys, const RunStream& run) {
    std::vector<ExpectResult> results;
    for (const Expect& e : trace.expects) {
        ExpectResult r;
        r.pos = e.pos;
        switch (e.kind) {
        case Expect::Kind::msi_delivered:
        case Expect::Kind::msi_dropped: {
            const RunRecords::Msi* m = run.msi_outcome(e.msi);
            std::string got;
            if (!m || !m->reported) got = "it was never translated";
            else if (m->rec.delivered)
                got = "it was delivered as intid " + std::to_string(m->rec.intid) + " to cpu " +
                      std::to_string(m->rec.cpu);
            else got = "it was dropped (" + std::string(m->rec.reason) + ")";
            if (e.kind == Expect::Kind::msi_delivered) {
                r.passed = m && m->reported && m->rec.delivered && m->rec.intid == e.intid && m->rec.cpu == e.cpu;
                r.message = "msi " + std::to_string(e.msi) + ": expected intid " + std::to_string(e.intid) +
                            " at cpu " + std::to_string(e.cpu) + ", " + got;
            } else {
                r.passed = m && m->reported && !m->rec.delivered;
                r.message = "msi " + std::to_string(e.msi) + ": expected dropped, " + got;
            }
            break;
        }
        case Expect::Kind::cmd_ok:
        case Expect::Kind::cmd_error: {
            const RunRecords::Command* c = run.command_outcome(e.cmd);   // its last report
            std::string got;
            uint32_t status = 0;
            const bool done = c != nullptr;
            if (!done) got = "it never completed";
            else if (c->rec.memory_error) got = "it hit a memory error";
            else {
                status = c->rec.status;
                got = status ? "it failed with " + hex(status) : "it completed ok";
            }
            if (e.kind == Expect::Kind::cmd_ok) {
                r.passed = done && !c->rec.memory_error && status == 0;
                r.message = "cmd " + std::to_string(e.cmd) + ": expected ok, " + got;
            } else {
                r.passed = done && status == e.code;
                r.message = "cmd " + std::to_string(e.cmd) + ": expected error " + hex(e.code) + ", " + got;
            }
            break;
        }
        case Expect::Kind::msi_virtual:
        case Expect::Kind::vtaken:
        case Expect::Kind::doorbell:
        case Expect::Kind::vsgi_pending: r = check_expect_v4(e, sys); break;
        case Expect::Kind::taken: {
            const uint64_t n = run.taken(e.cpu, e.intid);
            r.passed = n == e.count;
            r.message = "taken intid " + std::to_string(e.intid) + " cpu " + std::to_string(e.cpu) +
                        ": expected " + std::to_string(e.count) + " times, taken " + std::to_string(n);
            break;
        }
        }
        results.push_back(std::move(r));
    }
    return results;
}

// --check: the invariant checker over the log as written (a plain copy of
// it at `path`); each violation on `err`. Returns the number of violations.
uint64_t check_log(const std::string& path, const std::string& name, std::ostream& err) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": error: cannot read back the event log");
    const CheckResult r = check_event_log(in, name);
    if (r.total()) print_check_result(r, name, err);
    return r.total();
}

// A file name for the checker's plain copy of the log (removed after).
std::string temp_log_path() {
    char name[] = "/tmp/itsim-check-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) throw ConfigError("itsim: error: cannot make a temporary file for --check");
    close(fd);
    return name;
}

struct RemoveFile {
    std::string path;
    ~RemoveFile() {
        if (!path.empty()) std::remove(path.c_str());
    }
};

}  // namespace

int run_command(const RunOptions& opts, std::ostream& out, std::ostream& err) {
    Params params;
    Trace trace;
    try {
        trace = scan_and_check_trace(opts, params);   // the first pass
    } catch (const TraceError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    }

    const auto wall0 = std::chrono::steady_clock::now();
    std::unique_ptr<System> sys;
    try {
        sys = std::make_unique<System>(params);
    } catch (const ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << opts.trace_path << ": error: cannot build the platform: " << e.what() << "\n";
        return 2;
    }
    std::unique_ptr<VcdTracer> vcd;   // --vcd: nothing is built without it
    if (!opts.vcd_path.empty()) {
        try {
            vcd = std::make_unique<VcdTracer>(*sys, opts.vcd_path);
        } catch (const std::exception& e) {
            err << e.what() << "\n";
            return 2;
        }
    }
    // The event log goes out as the run goes (run_stream.h): to --events
    // FILE and, for --check, to a plain copy the checker reads after the run.
    std::unique_ptr<LogSink> events_sink, check_sink;
    RemoveFile check_copy;
    std::string check_path = opts.events_path;
    std::vector<LogSink*> sinks;
    try {
        if (!opts.events_path.empty()) sinks.push_back((events_sink = std::make_unique<LogSink>(opts.events_path)).get());
        if (opts.check && (opts.events_path.empty() || LogSink::compressed(opts.events_path))) {
            check_copy.path = check_path = temp_log_path();
            sinks.push_back((check_sink = std::make_unique<LogSink>(check_path)).get());
        }
    } catch (const ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    }
    RunStream stream(*sys, trace, sinks);
    // GICv4: System keeps the records to the end (doorbells are linked to
    // their MSIs after the run); gic.version 3: they stream.
    if (!has_gicv4(sys->version())) sys->set_stream(&stream);
    sys->expect_msis(trace.msi_count);
    // The trace's source lines: a bus initiator each (none without them).
    std::unique_ptr<SourceSet> sources;
    if (!trace.sources.empty())
        sources = std::make_unique<SourceSet>(
            trace, *sys, [&](unsigned n) { return sys->driver().its_base(n) + gits::TRANSLATER; });
    uint64_t msi_lines_sent = 0;
    sys->driver().set_program([&](DriverAgent& d) { replay(trace, d, *sys, sources.get(), &msi_lines_sent); });

    const sc_core::sc_time limit = sc_core::sc_time::from_value(params.picoseconds("max_time"));
    ProgressPlan plan{trace.msi_count, trace.end_ps};
    if (sources) plan = ProgressPlan{sources->planned_msis(), sources->planned_end_ps()};
    RunProgress progress(params.text("progress"), err, plan,
                         [&] { return msi_lines_sent + (sources ? sources->sent() : 0); });
    try {
        progress.run(limit);
        sys->catch_up();   // a run stopped at max_time: the steps due by then (coalescing)
    } catch (const std::exception& e) {
        err << opts.trace_path << ": error: simulation failed: " << e.what() << "\n";
        return 3;
    }
    const bool timed_out = sc_core::sc_pending_activity();
    if (vcd) {
        try {
            vcd->finish();
        } catch (const std::exception& e) {
            err << e.what() << "\n";
            return 2;
        }
    }
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

    if (!sys->driver().setup_error().empty()) {
        err << opts.trace_path << ": error: bring-up failed: " << sys->driver().setup_error() << "\n";
        return 3;
    }

    uint64_t violations = 0;
    try {
        link_doorbells(*sys);
        if (!sys->streaming()) stream.feed_records(sys->records());
        stream.finish(timed_out, sources.get());
        if (stream.late_records())
            err << opts.trace_path << ": warning: " << stream.late_records()
                << " event-log records came after the log had passed their time (written late)\n";
        if (opts.check) violations = check_log(check_path, opts.events_path.empty() ? "events" : opts.events_path, err);
        if (!opts.stats_path.empty()) write_stats_file(opts.stats_path, trace, *sys, stream.tally(), wall_s);
    } catch (const ConfigError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {   // the checker could not read the log: a bug here
        err << opts.trace_path << ": error: --check: " << e.what() << "\n";
        return 3;
    }
    std::vector<ExpectResult> results = check_expects(trace, *sys, stream);
    unsigned failed = 0;
    for (const ExpectResult& r : results)
        if (!r.passed) ++failed;

    if (!opts.quiet) print_summary(out, trace, *sys, stream.tally(), wall_s);
    for (const ExpectResult& r : results)
        if (!r.passed) err << r.pos.str() << ": expect failed: " << r.message << "\n";
    if (!trace.expects.empty() && !opts.quiet)
        out << "expects: " << (results.size() - failed) << " passed, " << failed << " failed\n";
    if (timed_out) {
        err << opts.trace_path << ": error: still busy at max_time=" << params.raw("max_time")
            << " of simulated time; stopped\n";
        return 4;
    }
    if (opts.check && !opts.quiet) out << "check: " << violations << " violations\n";
    return failed || violations ? 1 : 0;
}

}  // namespace itsim
