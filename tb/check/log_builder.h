// Synthetic event logs for the checker's tests: one JSON line per call, in
// the shapes platform/trace/event_log.h writes (only the keys the checker
// reads, plus a few it must ignore). Signal latency 2 ns unless a test
// changes the header.
#pragma once

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "check/check.h"

namespace itsim::testlog {

inline std::string n(uint64_t v) { return std::to_string(v); }

inline std::string header(uint64_t cmd_lines, uint64_t msi_lines, const std::string& extra = "") {
    return R"({"kind":"run","t_ps":0,"format":1,"trace":"t.its","seed":1,"cmd_lines":)" + n(cmd_lines) +
           R"(,"msi_lines":)" + n(msi_lines) + extra +
           R"(,"config":{"cpus":4,"mode":"accurate","error_policy":"ignore","redist.clock":"1GHz","redist.signal_cycles":2}})";
}

// A delivered MSI that made the LPI newly pending, with its snapshot.
inline std::string msi_new(uint64_t t, uint64_t seq, uint32_t cpu, uint32_t intid, unsigned prio = 0xA0,
                           bool enabled = true) {
    return R"({"kind":"msi","t_ps":)" + n(t) + R"(,"seq":)" + n(seq) + R"(,"device":1,"event":)" + n(seq) +
           R"(,"status":"delivered","intid":)" + n(intid) + R"(,"cpu":)" + n(cpu) + R"(,"issued_ps":)" +
           n(t >= 100 ? t - 100 : 0) + R"(,"pending_ps":)" + n(t) + R"(,"table_reads":0,"new":true,"priority":)" +
           n(prio) + R"(,"enabled":)" + (enabled ? "true" : "false") + "}";
}

inline std::string msi_merge(uint64_t t, uint64_t seq, uint32_t cpu, uint32_t intid) {
    return R"({"kind":"msi","t_ps":)" + n(t) + R"(,"seq":)" + n(seq) + R"(,"device":1,"event":)" + n(seq) +
           R"(,"status":"delivered","intid":)" + n(intid) + R"(,"cpu":)" + n(cpu) + R"(,"issued_ps":)" +
           n(t >= 100 ? t - 100 : 0) + R"(,"pending_ps":)" + n(t) + R"(,"new":false})";
}

inline std::string msi_dropped(uint64_t t, uint64_t seq) {
    return R"({"kind":"msi","t_ps":)" + n(t) + R"(,"seq":)" + n(seq) +
           R"(,"device":9,"event":0,"status":"dropped","issued_ps":)" + n(t) + R"(,"reason":"device_unmapped"})";
}

// An acknowledge at t, signalled 20 ns before (or at `signalled`).
inline std::string ack(uint64_t t, uint32_t cpu, uint32_t intid, unsigned prio = 0xA0, uint64_t signalled = 0) {
    const uint64_t s = signalled ? signalled : (t >= 20000 ? t - 20000 : 0);
    return R"({"kind":"ack","t_ps":)" + n(t) + R"(,"cpu":)" + n(cpu) + R"(,"intid":)" + n(intid) +
           R"(,"signalled_ps":)" + n(s) + R"(,"eoi_ps":)" + n(t + 200000) + R"(,"priority":)" + n(prio) + "}";
}

inline std::string lpi(uint64_t t, uint32_t intid, unsigned prio, int enable) {
    return R"({"kind":"lpi","t_ps":)" + n(t) + R"(,"intid":)" + n(intid) + R"(,"priority":)" + n(prio) +
           R"(,"enable":)" + n(uint64_t(enable)) + "}";
}

inline std::string kick(uint64_t t, uint64_t first, uint64_t last) {
    return R"({"kind":"kick","t_ps":)" + n(t) + R"(,"cwriter":)" + n(last * 32) + R"(,"first":)" + n(first) +
           R"(,"last":)" + n(last) + "}";
}

// A completed command; `extra` adds fields (",\"intid\":8192,\"cpu\":0").
inline std::string cmd(uint64_t seq, const std::string& op, uint64_t issued, uint64_t fetched, uint64_t done,
                       const std::string& extra = "", const std::string& status = R"("ok")") {
    return R"({"kind":"command","t_ps":)" + n(done) + R"(,"seq":)" + n(seq) + R"(,"op":")" + op + R"(")" + extra +
           R"(,"status":)" + status + R"(,"issued_ps":)" + n(issued) + R"(,"done_ps":)" + n(done) +
           R"(,"offset":0,"fetched_ps":)" + n(fetched) + "}";
}

// A command the run ended stalled at (no done_ps).
inline std::string cmd_unretired(uint64_t seq, const std::string& op, uint64_t issued, uint64_t fetched) {
    return R"({"kind":"command","t_ps":)" + n(std::max(issued, fetched)) + R"(,"seq":)" + n(seq) + R"(,"op":")" + op +
           R"(","status":"memory_error","issued_ps":)" + n(issued) + R"(,"retired":false,"offset":64,"fetched_ps":)" +
           n(fetched) + "}";
}

// A pend record; `cmd_seq` 0 = none; prio < 0 = no snapshot.
inline std::string pend(uint64_t t, uint32_t cpu, uint32_t intid, const std::string& change, const std::string& cause,
                        uint64_t cmd_seq = 0, int prio = -1, bool enabled = true) {
    std::string s = R"({"kind":"pend","t_ps":)" + n(t) + R"(,"cpu":)" + n(cpu) + R"(,"intid":)" + n(intid) +
                    R"(,"change":")" + change + R"(","cause":")" + cause + R"(")";
    if (cmd_seq) s += R"(,"cmd":)" + n(cmd_seq);
    if (prio >= 0) s += R"(,"priority":)" + n(uint64_t(prio)) + R"(,"enabled":)" + (enabled ? "true" : "false");
    return s + "}";
}

inline std::string stall(uint64_t t, uint64_t creadr) {
    return R"({"kind":"stall","t_ps":)" + n(t) + R"(,"creadr":)" + n(creadr) + R"(,"error":0})";
}

inline std::string timeout(uint64_t t, const std::string& what) {
    return R"({"kind":"timeout","t_ps":)" + n(t) + R"(,"what":")" + what + R"(","creadr":0,"cwriter":0})";
}

inline std::string join(const std::vector<std::string>& lines) {
    std::string s;
    for (const std::string& l : lines) s += l + "\n";
    return s;
}

inline CheckResult check(const std::vector<std::string>& lines) {
    std::istringstream in(join(lines));
    return check_event_log(in, "t.jsonl");
}

// The violations of one rule.
inline std::vector<Violation> of(const CheckResult& r, const std::string& rule) {
    std::vector<Violation> v;
    for (const Violation& x : r.violations)
        if (x.rule == rule) v.push_back(x);
    return v;
}

// The line numbers of a violation's records.
inline std::vector<uint64_t> lines_of(const Violation& v) {
    std::vector<uint64_t> l;
    for (const RecordRef& r : v.records) l.push_back(r.line);
    return l;
}

}  // namespace itsim::testlog
