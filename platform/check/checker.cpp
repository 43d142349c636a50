// The event-log checker: reading records, the header, R1 (times), and the
// dispatch of each time step to the trackers (check.h, check_internal.h).
#include <algorithm>
#include <cstring>

#include "check/check_internal.h"
#include "check/check_virtual.h"
#include "params.h"
#include "plot.h"

namespace itsim {

using namespace check_detail;

const char* rule_title(const std::string& rule) {
    if (rule == "R1") return "times";
    if (rule == "R2") return "accounting";
    if (rule == "R3") return "pending";
    if (rule == "R4") return "end";
    if (rule == "R5") return "causes";
    if (rule == "R6") return "config";
    if (rule == "R7") return "virtual";
    return "";
}

uint64_t CheckResult::total() const {
    uint64_t n = 0;
    for (const auto& [rule, c] : counts) n += c;
    return n;
}

namespace check_detail {

std::string ps(uint64_t t) { return std::to_string(t) + "ps"; }

// ---------------------------------------------------------------- fields

void Fields::fail(const std::string& what) const {
    throw CheckFormatError(name_ + ":" + std::to_string(r_.line) + ": error: " + what);
}

std::optional<uint64_t> Fields::opt_u64(const char* key) const {
    const FlatValue* v = r_.json.get(key);
    if (!v || v->type == FlatValue::Type::null) return std::nullopt;
    if (v->type != FlatValue::Type::number || !v->is_uint)
        fail("\"" + r_.kind + "\" record: \"" + key + "\" is not a non-negative integer");
    return v->u;
}

uint64_t Fields::u64(const char* key) const {
    auto v = opt_u64(key);
    if (!v) fail("\"" + r_.kind + "\" record without \"" + key + "\"");
    return *v;
}

uint32_t Fields::u32(const char* key) const {
    const uint64_t v = u64(key);
    if (v > UINT32_MAX) fail("\"" + r_.kind + "\" record: \"" + key + "\" " + std::to_string(v) + " is out of range");
    return uint32_t(v);
}

std::optional<bool> Fields::opt_bool(const char* key) const {
    const FlatValue* v = r_.json.get(key);
    if (!v || v->type == FlatValue::Type::null) return std::nullopt;
    if (v->type == FlatValue::Type::boolean) return v->b;
    if (v->type == FlatValue::Type::number && v->is_uint && v->u <= 1) return v->u == 1;
    fail("\"" + r_.kind + "\" record: \"" + key + "\" is not a boolean");
}

const std::string* Fields::opt_str(const char* key) const {
    const FlatValue* v = r_.json.get(key);
    if (!v || v->type == FlatValue::Type::null) return nullptr;
    if (v->type != FlatValue::Type::string) fail("\"" + r_.kind + "\" record: \"" + key + "\" is not a string");
    return &v->str;
}

const std::string& Fields::str(const char* key) const {
    const std::string* s = opt_str(key);
    if (!s) fail("\"" + r_.kind + "\" record without \"" + key + "\"");
    return *s;
}

// ---------------------------------------------------------------- sink

void Sink::report(const char* rule, std::string message, std::vector<RecordRef> records) {
    uint64_t& n = res_.counts[rule];
    ++n;
    Violation v{rule, std::move(message), std::move(records)};
    if (cb_ && *cb_) (*cb_)(v);
    if (n <= opts_.max_kept) res_.violations.push_back(std::move(v));
}

void Sink::note(std::string text) { res_.notes.push_back(std::move(text)); }

}  // namespace check_detail

// ---------------------------------------------------------------- the checker

struct EventChecker::Impl {
    Impl(std::string n, CheckOptions o, std::function<void(const Violation&)>* cb)
        : name(std::move(n)), opts(o), sink(res, opts, cb), pending(sink, name), queue(sink, pending), virt(sink) {}

    std::string name;
    CheckOptions opts;
    CheckResult res;
    Sink sink;
    PendingTracker pending;
    Queues queue;           // one per ITS with its.count > 1
    VirtualTracker virt;    // GICv4: R7
    bool have_header = false, finished = false, legacy_noted = false;
    std::vector<Rec> step;   // the records of the current time stamp
    uint64_t step_t = 0;
    RecordRef last;          // the record before, for R1

    void header(Rec& r);
    void record(Rec r);
    void flush();
    void msi(const Rec& r, std::vector<StateOp>& ops);
    void pend(const Rec& r, std::vector<StateOp>& ops);
    void ack(const Rec& r, std::vector<StateOp>& ops);
    void command(const Rec& r);
    // R1: the stamps present, in this order, never decrease.
    void ordered(const Rec& r, const Fields& f, std::initializer_list<const char*> keys);
};

EventChecker::EventChecker(std::string name, CheckOptions opts)
    : impl_(std::make_unique<Impl>(std::move(name), opts, &on_violation)) {}

EventChecker::~EventChecker() = default;

void EventChecker::feed(const std::string& text) {
    Impl& m = *impl_;
    ++m.res.stats.lines;
    std::string line = text;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return;
    Rec r;
    r.line = m.res.stats.lines;
    try {
        r.json.parse(line);
    } catch (const std::exception& e) {
        throw CheckFormatError(m.name + ":" + std::to_string(r.line) + ": error: not a JSON object (" + e.what() + ")");
    }
    if (!r.json.is_object())
        throw CheckFormatError(m.name + ":" + std::to_string(r.line) + ": error: not a JSON object");
    r.text = std::move(line);
    const FlatValue* kind = r.json.get("kind");
    r.kind = kind && kind->type == FlatValue::Type::string ? kind->str : std::string();
    static const std::pair<const char*, Rec::Kind> kinds[] = {
        {"msi", Rec::Kind::msi},   {"ack", Rec::Kind::ack}, {"command", Rec::Kind::command},
        {"kick", Rec::Kind::kick}, {"lpi", Rec::Kind::lpi}, {"pend", Rec::Kind::pend},
        {"stall", Rec::Kind::stall}, {"timeout", Rec::Kind::timeout}, {"run", Rec::Kind::run}};
    for (const auto& [name, k] : kinds)
        if (r.kind == name) r.k = k;
    Fields f(m.name, r);
    if (r.kind.empty()) f.fail("record without \"kind\"");
    r.t = f.u64("t_ps");
    if (!m.have_header) {
        m.header(r);
        return;
    }
    if (r.k == Rec::Kind::run) f.fail("a second \"run\" header");
    m.record(std::move(r));
}

void EventChecker::Impl::header(Rec& r) {
    Fields f(name, r);
    if (r.kind != "run") f.fail("the first record is not the \"run\" header (kind \"" + r.kind + "\")");
    const uint64_t format = f.u64("format");
    if (format != 1) f.fail("event-log format " + std::to_string(format) + " (this checker reads format 1)");
    have_header = true;
    const std::optional<bool> complete = f.opt_bool("complete");
    const std::string* stopped = f.opt_str("stopped");
    if ((complete && !*complete) || (stopped && !stopped->empty())) {
        res.complete_run = false;
        sink.note("the header says the run stopped early" + (stopped ? " (" + *stopped + ")" : std::string()));
    }
    // The signal latency: redist.signal_cycles periods of redist.clock
    // (the platform defaults when the header does not say).
    Params defaults;
    uint64_t cycles = defaults.integer("redist.signal_cycles"), period = defaults.period_ps("redist.clock");
    bool pta = false;
    uint64_t its_count = 1;
    std::string version = "3";
    const Json whole = parse_json(r.text);   // the header has a nested "config"
    if (const Json* c = whole.get("config"); c && c->type == Json::Type::object) {
        auto text = [&](const char* key, std::string& out) {
            const Json* v = c->get(key);
            if (!v) return false;
            if (v->type == Json::Type::string) out = v->str;
            else if (v->type == Json::Type::number && v->is_uint) out = std::to_string(v->u);
            else f.fail(std::string("header: config \"") + key + "\" is neither a number nor a string");
            return true;
        };
        std::string v;
        if (text("redist.signal_cycles", v) && !parse_integer(v, cycles))
            f.fail("header: config \"redist.signal_cycles\" is not a number: " + v);
        if (text("redist.clock", v) && !parse_freq_period_ps(v, period))
            f.fail("header: config \"redist.clock\" is not a frequency: " + v);
        uint64_t p = 0;
        if (text("its.pta", v) && parse_integer(v, p)) pta = p != 0;
        // Several ITSs: a command queue each (Queues), their commands
        // numbered in one trace order.
        if (text("its.count", v) && parse_integer(v, p) && p > 1) {
            if (p > 16) f.fail("header: config \"its.count\" " + v + " is past 16");
            its_count = p;
        }
        uint64_t per_vm = 1;
        if (text("gic.vpes_per_vm", v) && !parse_integer(v, per_vm)) per_vm = 1;
        if (text("gic.version", v)) version = v;
        // R7: which redistributor a VMOVP's RDbase names (the defaults when not said).
        RdbaseMap rd{pta, defaults.integer("cpus"), defaults.integer("redist.base"),
                     defaults.integer("redist.stride"), defaults.integer("its.vmovp") != 0};
        if (text("cpus", v)) parse_integer(v, rd.cpus);
        if (text("redist.base", v)) parse_integer(v, rd.base);
        if (text("redist.stride", v)) parse_integer(v, rd.stride);
        if (text("its.vmovp", v) && parse_integer(v, p)) rd.vmovp = p != 0;
        virt.configure(version, per_vm, its_count, rd);
    }
    queue.configure(unsigned(its_count), f.opt_u64("cmd_lines"), f.opt_u64("msi_lines"), !pta);
    if (cycles > UINT64_MAX / std::max<uint64_t>(period, 1)) f.fail("header: the signal latency overflows");
    pending.set_signal_latency(cycles * period);
}

void EventChecker::Impl::record(Rec r) {
    ++res.stats.records;
    if (!step.empty() && r.t < step_t) {
        // R1: taken with the records of the current time, as if it were then.
        sink.report("R1", "t_ps " + std::to_string(r.t) + " is before the record above it (" + ps(step_t) + ")",
                    {r.ref(), last});
    } else if (!step.empty() && r.t > step_t) {
        flush();
    }
    if (step.empty()) step_t = r.t;
    last = r.ref();
    res.stats.end_ps = std::max(res.stats.end_ps, r.t);
    step.push_back(std::move(r));
}

void EventChecker::Impl::ordered(const Rec& r, const Fields& f, std::initializer_list<const char*> keys) {
    const char* prev_key = nullptr;
    uint64_t prev = 0;
    for (const char* k : keys) {
        const bool is_t = std::strcmp(k, "t_ps") == 0;
        const auto v = is_t ? std::optional<uint64_t>(r.t) : f.opt_u64(k);
        // A stamp of 0 is one that was not reached (issued_ps 0 is a time).
        if (!v || (*v == 0 && !is_t && std::strcmp(k, "issued_ps") != 0)) continue;
        if (prev_key && *v < prev) {
            sink.report("R1",
                        "\"" + r.kind + "\" record has " + prev_key + " " + std::to_string(prev) + " after " + k + " " +
                            std::to_string(*v) + ": its stage stamps are out of order",
                        {r.ref()});
            return;
        }
        prev_key = k;
        prev = *v;
    }
}

void EventChecker::Impl::flush() {
    // Configuration writes and kicks first (a lookup or a completion at the
    // same time may depend on them), then the pending state, then commands
    // (which look at the state after their effects), then the rest.
    std::vector<StateOp> ops;
    for (const Rec& r : step) {
        Fields f(name, r);
        if (r.k == Rec::Kind::lpi) {
            ++res.stats.lpis;
            const uint32_t intid = f.u32("intid");
            const uint64_t priority = f.u64("priority"), enable = f.u64("enable");
            if (enable > 1) f.fail("\"lpi\" record: \"enable\" is not 0 or 1");
            pending.lpi_write(r, intid, priority, enable == 1);
        } else if (r.k == Rec::Kind::kick) {
            ++res.stats.kicks;
            queue.kick(r, f.u64("first"), f.u64("last"), queue.its_of(f));
        }
    }
    for (const Rec& r : step) {
        if (r.k == Rec::Kind::msi) msi(r, ops);
        else if (r.k == Rec::Kind::pend) pend(r, ops);
        else if (r.k == Rec::Kind::ack) ack(r, ops);
    }
    pending.step(ops);
    res.stats.max_pending = std::max<uint64_t>(res.stats.max_pending, pending.pending());
    for (const Rec& r : step) {
        Fields f(name, r);
        if (r.k == Rec::Kind::command) {
            command(r);
        } else if (r.k == Rec::Kind::stall) {
            ++res.stats.stalls;
            queue.stall(r, queue.its_of(f));
        } else if (r.k == Rec::Kind::timeout) {
            ++res.stats.timeouts;
            const std::string* what = f.opt_str("what");
            queue.timeout(r, what ? *what : std::string(), queue.its_of(f));
        } else if (r.k == Rec::Kind::other) {
            ++res.stats.other;   // a kind this checker does not know: keys and kinds may be added
            virt.record(r, f);   // GICv4: vack, doorbell, residency, vlpi
        }
    }
    step.clear();
}

void EventChecker::Impl::msi(const Rec& r, std::vector<StateOp>& ops) {
    Fields f(name, r);
    ++res.stats.msis;
    const uint64_t seq = f.u64("seq");
    const std::string& status = f.str("status");
    ordered(r, f, {"issued_ps", "accepted_ps", "started_ps", "device_ps", "event_ps", "collection_ps", "pending_ps"});
    queue.msi(r, seq);
    if (status != "delivered") {
        ++res.stats.dropped;
        uint64_t latest = 0;
        for (const char* k : {"issued_ps", "accepted_ps", "started_ps", "device_ps", "event_ps", "collection_ps"})
            latest = std::max(latest, f.opt_u64(k).value_or(0));
        if (r.t != latest)
            sink.report("R1", "dropped msi " + std::to_string(seq) + " has t_ps " + std::to_string(r.t) +
                                  ", not its latest stage stamp " + std::to_string(latest) + " (when the ITS knew)",
                        {r.ref()});
        return;
    }
    ++res.stats.delivered;
    // GICv4: a vLPI (the record names its vPE and vINTID) is not a physical
    // LPI's pending state: R7 follows it (virtual.cpp).
    if (f.opt_u64("vintid")) {
        virt.msi(r, f);
        return;
    }
    StateOp op(StateOp::Kind::add, &r);
    op.cpu = f.u32("cpu");
    op.intid = f.u32("intid");
    const uint64_t pending_ps = f.u64("pending_ps");
    if (pending_ps != r.t)
        sink.report("R1", "delivered msi " + std::to_string(seq) + " has t_ps " + std::to_string(r.t) +
                              " but pending_ps " + std::to_string(pending_ps) + " (t_ps is when it became pending)",
                    {r.ref()});
    const std::optional<bool> is_new = f.opt_bool("new");
    if (!is_new) {
        op.kind = StateOp::Kind::merge;
        op.infer = true;
        op.what = "msi " + std::to_string(seq);
        if (!legacy_noted) {
            legacy_noted = true;
            sink.note("delivered msi records without \"new\" (line " + std::to_string(r.line) +
                      " first): taken as newly pending unless pending, configuration unknown");
        }
    } else if (*is_new) {
        op.what = "msi " + std::to_string(seq) + " (new)";
        const auto pr = f.opt_u64("priority");
        const auto en = f.opt_bool("enabled");
        if (pr && en) {
            op.snap = Snapshot{true, uint8_t(std::min<uint64_t>(*pr, 255)), *en};
            if (*pr > 255) op.snap.priority = 255;   // reported by check_snapshot as impossible
            pending.check_snapshot(r, op.intid, op.snap);
        } else {
            sink.report("R6", "msi " + std::to_string(seq) + " made LPI " + std::to_string(op.intid) +
                                  " newly pending without its configuration snapshot (priority, enabled)",
                        {r.ref()});
        }
    } else {
        op.kind = StateOp::Kind::merge;
        op.what = "msi " + std::to_string(seq) + " (merge)";
    }
    ops.push_back(std::move(op));
}

namespace {

// The changes each cause can make ("" : any).
const char* allowed_changes(const std::string& cause) {
    if (cause == "INT" || cause == "SETLPIR") return "set merge refused";
    if (cause == "doorbell") return "set merge refused";   // GICv4: a doorbell LPI rang
    if (cause == "INVDB") return "refresh";                // GICv4.1: the default doorbell's configuration
    if (cause == "CLEAR" || cause == "DISCARD" || cause == "CLRLPIR") return "clear";
    if (cause == "MOVI" || cause == "MOVALL") return "clear set merge refused";
    if (cause == "INV" || cause == "INVALL" || cause == "INVLPIR" || cause == "INVALLR") return "refresh";
    if (cause == "enable") return "set merge refused";
    if (cause == "disable") return "drop";
    if (cause == "MAPD" || cause == "MAPTI" || cause == "MAPI" || cause == "SYNCR") return "";
    return nullptr;
}

bool word_in(const std::string& word, const std::string& list) {
    size_t i = 0;
    while (i <= list.size()) {
        const size_t e = std::min(list.find(' ', i), list.size());
        if (list.compare(i, e - i, word) == 0) return true;
        i = e + 1;
    }
    return false;
}

}  // namespace

void EventChecker::Impl::pend(const Rec& r, std::vector<StateOp>& ops) {
    Fields f(name, r);
    ++res.stats.pends;
    StateOp op(StateOp::Kind::add, &r);
    op.cpu = f.u32("cpu");
    op.intid = f.u32("intid");
    const std::string& change = f.str("change");
    const std::string& cause = f.str("cause");
    const auto cmd = f.opt_u64("cmd");
    op.what = "pend " + change + " (" + cause + ")";
    const char* allowed = allowed_changes(cause);
    if (!allowed)
        sink.report("R5", "pend record has the unknown cause \"" + cause + "\"", {r.ref()});
    else if (*allowed && !word_in(change, allowed))
        sink.report("R5", "pend record: " + cause + " cannot make the change \"" + change + "\" (only " + allowed + ")",
                    {r.ref()});
    if (cmd) queue.pend_cause(r, *cmd, cause, change, op.cpu, op.intid);
    if (change == "set" || change == "refresh") {
        op.kind = change == "set" ? StateOp::Kind::add : StateOp::Kind::refresh;
        const auto pr = f.opt_u64("priority");
        const auto en = f.opt_bool("enabled");
        if (pr && en) {
            op.snap = Snapshot{true, uint8_t(std::min<uint64_t>(*pr, 255)), *en};
            pending.check_snapshot(r, op.intid, op.snap);
        } else {
            sink.report("R6", "pend " + change + " of LPI " + std::to_string(op.intid) +
                                  " without its configuration snapshot (priority, enabled)",
                        {r.ref()});
        }
    } else if (change == "merge") {
        op.kind = StateOp::Kind::merge;
    } else if (change == "clear" || change == "drop") {
        op.kind = StateOp::Kind::remove;
    } else if (change == "refused") {
        op.kind = StateOp::Kind::refused;   // not taken: LPIs disabled there, or out of its range
    } else {
        sink.report("R3", "pend record has the unknown change \"" + change + "\": the pending state cannot be followed",
                    {r.ref()});
        return;
    }
    ops.push_back(std::move(op));
}

void EventChecker::Impl::ack(const Rec& r, std::vector<StateOp>& ops) {
    Fields f(name, r);
    ++res.stats.acks;
    StateOp op(StateOp::Kind::ack, &r);
    op.cpu = f.u32("cpu");
    op.intid = f.u32("intid");
    op.signalled = f.opt_u64("signalled_ps");
    op.ack_priority = f.opt_u64("priority");
    op.what = "ack";
    ordered(r, f, {"signalled_ps", "t_ps", "eoi_ps"});
    ops.push_back(std::move(op));
}

void EventChecker::Impl::command(const Rec& r) {
    Fields f(name, r);
    ++res.stats.commands;
    ordered(r, f, {"issued_ps", "fetched_ps", "done_ps"});
    const auto done = f.opt_u64("done_ps");
    const auto issued = f.opt_u64("issued_ps"), fetched = f.opt_u64("fetched_ps");
    const uint64_t want = done ? *done : std::max(issued.value_or(0), fetched.value_or(0));
    if ((done || issued || fetched) && r.t != want)
        sink.report("R1",
                    "command record has t_ps " + std::to_string(r.t) + ", not " + std::to_string(want) +
                        (done ? " (its done_ps)" : " (its last stamp: it never completed)"),
                    {r.ref()});
    queue.command(r, f, queue.its_of(f));
    virt.command(r, f);
}

CheckResult EventChecker::finish() {
    Impl& m = *impl_;
    if (m.finished) return m.res;
    m.finished = true;
    if (!m.have_header)
        throw CheckFormatError(m.name + ":1: error: the log is empty (no \"run\" header)");
    m.flush();
    m.pending.finish(m.res.stats.end_ps, m.res.complete_run);
    m.queue.finish(m.res.complete_run);
    m.virt.finish(m.res.complete_run);
    return m.res;
}

}  // namespace itsim
