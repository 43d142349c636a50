// The first pass of `itsim run` (run_check.h).
#include "run_check.h"

#include <exception>
#include <memory>

#include "run_v4.h"
#include "sources/source_device.h"

namespace itsim {

namespace {

// A check's first failure: kept until the grammar of the whole file is
// known to be good (a grammar error anywhere comes first).
struct FirstError {
    std::exception_ptr error;
    unsigned line = 0;
    template <class F>
    void run(const TraceLine& l, F&& check) {
        if (error) return;
        try {
            check();
        } catch (...) {
            error = std::current_exception();
            line = l.pos.line;
        }
    }
    void rethrow() const {
        if (error) std::rethrow_exception(error);
    }
};

class PlatformCheck {
public:
    PlatformCheck(const RunOptions& opts, Params& params) : opts_(opts), params_(params) {}

    void visit(const TraceLine& l, const Trace& so_far) {
        // Platform lines come before every other line: at the first other
        // one every setting is known.
        if (l.op == TraceLine::Op::platform) return;
        if (!started_) start(so_far);
        if (settings_.error) return;
        v4_.run(l, [&] { v4check_->check(l, UINT64_MAX); });   // vsgi_read references: in finish()
        lines_.run(l, [&] { check_line(l); });
    }

    void finish(const Trace& trace) {
        if (!started_) start(trace);
        settings_.rethrow();
        // An expect vsgi_read=N past the trace's vsgi_read lines, if it comes
        // before the first other GICv4 error (its line passed the rest).
        for (const TraceLine& l : trace.lines) {
            if (v4_.error && l.pos.line >= v4_.line) break;
            if (l.op == TraceLine::Op::expect) v4check_->check(l, trace.vsgi_read_count);
        }
        v4_.rethrow();
        check_sources(trace, unsigned(params_.integer("its.count")));
        lines_.rethrow();
    }

private:
    void start(const Trace& so_far) {
        started_ = true;
        settings_.run(TraceLine{}, [&] {
            apply_settings(params_, opts_, so_far);
            v4check_ = std::make_unique<V4LineCheck>(params_);
            cpus_ = params_.integer("cpus");
            lpi_bits_ = params_.integer("its.lpi_bits");
            lpi_limit_ = 1ull << lpi_bits_;
        });
    }

    // CPU numbers and INTIDs against the configured system.
    void check_line(const TraceLine& l) const {
        if (l.op == TraceLine::Op::lpi && l.intid >= lpi_limit_)
            throw TraceError(l.value_pos("intid"), "intid " + std::to_string(l.intid) +
                                                       " is past the LPI range (its.lpi_bits=" +
                                                       std::to_string(lpi_bits_) + ": last LPI " +
                                                       std::to_string(lpi_limit_ - 1) + ")");
        if (l.op == TraceLine::Op::expect) {
            const Expect& e = l.expect;
            if ((e.kind == Expect::Kind::msi_delivered || e.kind == Expect::Kind::taken) && e.cpu >= cpus_)
                throw TraceError(l.value_pos("cpu"), "cpu " + std::to_string(e.cpu) + " does not exist (cpus=" +
                                                         std::to_string(cpus_) + ")");
        }
    }

    const RunOptions& opts_;
    Params& params_;
    bool started_ = false;
    FirstError settings_, v4_, lines_;
    std::unique_ptr<V4LineCheck> v4check_;
    uint64_t cpus_ = 0, lpi_bits_ = 0, lpi_limit_ = 0;
};

}  // namespace

Trace scan_and_check_trace(const RunOptions& opts, Params& params) {
    PlatformCheck check(opts, params);
    Trace trace = scan_trace_file(opts.trace_path,
                                  [&](const TraceLine& l, const Trace& so_far) { check.visit(l, so_far); });
    check.finish(trace);
    return trace;
}

}  // namespace itsim
