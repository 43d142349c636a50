// The random suite's runner (issue 8): for each seed, a generated trace
// (gen.h) runs through the real `itsim` binary in each timing mode, in a
// child process with a time limit, with the event-log invariant checker on
// (`itsim run --check`); a calm trace's event log must then agree exactly
// with the reference model (tb/ref). Failing traces are minimised (lines
// removed while the same failure remains) and kept.
//
// A run's verdict, one of: ok; crash (the process died on a signal);
// hang (past the time limit); exit (any other non-zero exit status:
// invariant violations and failed expects are 1); reference (the calm
// trace's log disagrees with the reference model); unsupported (the
// reference refused the calm trace: counted, never a pass or a failure of
// the model).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "random/coverage.h"
#include "random/gen.h"

namespace itsim::gen {

enum class Verdict { ok, crash, hang, exit, reference, unsupported };
const char* to_string(Verdict v);

struct RunSpec {
    uint64_t seed = 0;
    Flavour flavour = Flavour::calm;
    std::string mode = "accurate";   // accurate | fast
};

struct RunOutcome {
    Verdict verdict = Verdict::ok;
    int status = 0;              // exit status or signal
    std::string detail;          // first lines of stderr, or the first disagreements
};

struct RunnerConfig {
    std::string itsim;           // path of the itsim binary
    std::string workdir;         // scratch files (traces, logs)
    unsigned timeout_s = 60;     // per run
};

// Run `trace_text` as `spec` says (blocking; one child process). When
// `cov` is given, the run's event log and statistics are added to it.
RunOutcome run_one(const RunnerConfig& cfg, const RunSpec& spec, const std::string& trace_text,
                   Coverage* cov = nullptr);

// Delta debugging over the trace's lines (the header and platform line
// kept): the smallest trace found that still fails as `want` did (same
// verdict, and for `exit` the same status). At most `max_runs` runs.
std::string minimise(const RunnerConfig& cfg, const RunSpec& spec, const std::string& trace_text,
                     const RunOutcome& want, unsigned max_runs = 400);

}  // namespace itsim::gen
