// RunStream (run_stream.h).
#include "run_stream.h"

#include <algorithm>
#include <charconv>

#include <systemc>

#include "itsim/common/timeline.h"
#include "run_v4.h"
#include "sources/source_device.h"
#include "stats_v4.h"

namespace itsim {

RunTally::RunTally() {
    for (const char* n : kMsiStageNames) msi_stages[n];   // present even when empty
    for (const char* n : kMsiTotalNames) msi_total[n];
}

RunStream::RunStream(System& sys, const Trace& trace, std::vector<LogSink*> sinks)
    : sys_(sys), trace_(trace), sinks_(std::move(sinks)), multi_its_(sys.its_count() > 1) {
    tally_.msis_issued = trace.msi_count;
    for (const Expect& e : trace.expects) {
        switch (e.kind) {
        case Expect::Kind::msi_delivered:
        case Expect::Kind::msi_dropped:
        case Expect::Kind::msi_virtual: want_msis_.insert(e.msi); break;
        case Expect::Kind::cmd_ok:
        case Expect::Kind::cmd_error: want_cmds_.insert(e.cmd); break;
        case Expect::Kind::taken: taken_[{e.cpu, e.intid}] = 0; break;
        default: break;
        }
    }
    for (unsigned i = 0; i < sys.cpus(); ++i) {
        const CpuInterfaceConfig& c = sys.cpu(i).config();
        preempt_ = preempt_ || c.preempt;
        handler_ps_ = std::max({handler_ps_, uint64_t(c.handler_latency.value()), uint64_t(c.vhandler_latency.value())});
    }
    busy_since_.assign(sys.cpus(), ~uint64_t{0});
}

// ---------------------------------------------------------------- the window

RunStream::Entry& RunStream::add(RunKey k, const MsiStat* m, const AckStamp* a) {
    if (k.t < written_below_) ++late_;   // written out of order (see late_records)
    Entry& e = window_.push(k);
    e.line.clear();   // a reused place: its capacity stays
    // take() reads msi only in a kMsi record and ack only in a kAck one,
    // which always come with theirs: a reused place's others stay as they were.
    if (m) e.msi = *m;
    if (a) e.ack = *a;
    ++adds_since_poll_;
    return e;
}

uint64_t RunStream::low_water() {
    // A coalescing redistributor runs its steps after their time: what it
    // (and its CPU) reports from now on is no older than its step.
    uint64_t now = kernel_time().value();
    for (unsigned i = 0; i < sys_.cpus(); ++i) now = std::min(now, sys_.redist(i).reports_from_ps());
    uint64_t w = now;
    if (!live_.empty()) w = std::min(w, live_.earliest_issue());
    for (unsigned n = 0; n < sys_.its_count(); ++n) {
        const auto& fl = sys_.driver().in_flight(n);
        if (!fl.empty() && fl.front().published) w = std::min(w, fl.front().issued_ps);
    }
    if (have_held_) w = std::min(w, held_.issued_ps);
    // An interrupt being handled is reported at its EOI: its acknowledge is
    // at most the handler's time earlier (preemption: since the CPU was
    // last seen idle).
    for (unsigned i = 0; i < sys_.cpus(); ++i) {
        const bool busy = sys_.cpu(i).busy();
        if (!preempt_) {
            if (busy) w = std::min(w, now > handler_ps_ ? now - handler_ps_ : 0);
            continue;
        }
        if (!busy) busy_since_[i] = ~uint64_t{0};
        else if (busy_since_[i] == ~uint64_t{0}) busy_since_[i] = last_cpu_poll_;   // idle then
        if (busy) w = std::min(w, busy_since_[i]);
    }
    last_cpu_poll_ = now;
    return w;
}

void RunStream::poll() {
    if (lpi_writes_seen_ != sys_.records().lpi_writes.size()) drain_lpi_writes();   // any new ones
    if (!sys_.streaming()) return;   // GICv4: fed at the end, written at finish()
    // The mark once every kPollRecords records: low_water() visits every
    // CPU, too dear for each record. Meanwhile at most that many records
    // wait in the window beyond what the work in flight holds back; a mark
    // worked out less often is never higher (a CPU seen busy longer holds
    // it lower), so no record is late that would not be late otherwise.
    if (adds_since_poll_ < kPollRecords) return;
    adds_since_poll_ = 0;
    const uint64_t now = kernel_time().value();
    if (window_.empty() || window_.top_t() >= now) {
        if (preempt_) low_water();   // keep the CPUs' busy-since current
        return;
    }
    flush_below(low_water());
}

void RunStream::flush_below(uint64_t w) {
    while (!window_.empty() && window_.top_t() < w) {
        take(window_.top_key(), window_.top());
        window_.pop();
    }
    if (w > written_below_) written_below_ = w;
    sweep_queue(w);
}

void RunStream::take(const RunKey& k, const Entry& e) {
    if (k.cat == kMsi && e.msi.delivered) {
        const MsiStamps& m = e.msi.s;
        auto d = [](uint64_t a, uint64_t b) { return b >= a ? b - a : 0; };
        const uint64_t v[6] = {d(m.issued, m.accepted), d(m.accepted, m.started), d(m.started, m.device),
                               d(m.device, m.event),    d(m.event, m.collection), d(m.collection, m.pending)};
        // RunTally made both sets with their names in kMsi*Names order.
        for (size_t k = 0; k < 6; ++k) tally_.msi_stages.item(k).add(v[k]);
        tally_.msi_total.item(0).add(d(m.issued, m.pending));
        bool added = false;   // the oldest one waits: a later one does not replace it
        const uint32_t h = waiting_.emplace(uint64_t(m.cpu) << 32 | m.intid, &added);
        if (added) waiting_.at(h) = {m.pending, m.issued};
    } else if (k.cat == kAck) {
        // The oldest MSI of that (cpu, intid) pending by then; the later
        // ones (all pending by then: their records come first) coalesced.
        const uint64_t key = uint64_t(e.ack.cpu) << 32 | e.ack.intid;
        const std::pair<uint64_t, uint64_t>* w = waiting_.find(key);
        if (w && w->first <= e.ack.t) {
            tally_.msi_total.item(1).add(e.ack.t - w->first);
            tally_.msi_total.item(2).add(e.ack.t - w->second);
            waiting_.erase(key);
        }
    }
    if (!e.line.empty())
        for (LogSink* s : sinks_) s->line(e.line);
}

void RunStream::sweep_queue(uint64_t below) {
    while (!steps_.empty() && steps_.begin()->first < below) {
        const auto [t, d] = *steps_.begin();
        tally_.queue_area += (long double)level_ * (t - last_step_);
        if (level_ > 0) tally_.queue_busy_ps += t - last_step_;
        level_ += d;
        last_step_ = t;
        steps_.erase(steps_.begin());
    }
}

// ---------------------------------------------------------------- MSIs

// Out of line: System::msi_slot, which calls it when the run streams, then
// stays small enough to be inlined where the records are kept in memory
// (the bench), as it was before the flat containers.
[[gnu::noinline]] RunRecords::Msi* RunStream::live_msi(uint64_t tag) { return live_.find(tag); }

void RunStream::msi_issued(uint64_t tag, uint64_t t_ps) {
    if (tag > tally_.msis_issued) tally_.msis_issued = tag;   // a source's MSI
    live_.issue(tag, t_ps);
    poll();
}

void RunStream::msi_touched(uint64_t tag) {
    RunRecords::Msi* m = live_.find(tag);
    if (!m) return;
    // Final: reported, and dropped or its redistributor's change seen.
    if (m->reported && (!m->rec.delivered || m->changed)) {
        commit_msi(tag, *m);
        live_.remove(tag);
    }
    poll();
}

void RunStream::commit_msi(uint64_t tag, RunRecords::Msi& m) {
    if (want_msis_.count(tag)) kept_msis_[tag] = m;
    if (!m.reported) return;   // never translated (counted at the end)
    MsiStat st;
    const MsiRecord& r = m.rec;
    if (r.delivered) {
        ++tally_.msis_delivered;
        st.delivered = true;
        st.s = {m.issued_ps, r.accepted_ps, r.started_ps, r.device_ps, r.event_ps, r.collection_ps,
                r.pending_ps, r.cpu, r.intid};
    } else {
        ++tally_.msis_dropped;
    }
    const uint64_t t = std::max({m.issued_ps, r.accepted_ps, r.started_ps, r.device_ps, r.event_ps,
                                 r.collection_ps, r.pending_ps});
    Entry& e = add({t, kMsi, tag}, &st);
    if (logging()) msi_line(e.line, m, tag, t);
}

// ---------------------------------------------------------------- commands

void RunStream::command(const RunRecords::Command& c) {
    // The same stalled command reported again replaces its report (System
    // kept it as the last record).
    if (have_held_ && held_.rec.offset == c.rec.offset && held_.seq == c.seq && held_.its == c.its) {
        held_ = c;
    } else {
        if (have_held_) commit_command(held_);
        have_held_ = true;
        held_ = c;
        held_idx_ = commands_++;
    }
    if (held_.rec.done_ps != 0) {   // retired: nothing replaces it
        have_held_ = false;
        commit_command(held_);
    }
    poll();
}

void RunStream::commit_command(const RunRecords::Command& c) {
    const uint64_t idx = held_idx_;   // commit_command always takes held_
    const bool failed = c.rec.status != 0 || c.rec.memory_error;
    const char* name = command_name(c.rec.cmd.opcode, sys_.version());
    if (c.rec.done_ps == 0) {   // the run ended stalled at it (unless it comes again)
        ++tally_.commands_unretired;
        if (failed) ++tally_.commands_failed;
        if (c.issued_ps) ++unretired_;
    } else {
        if (!failed) ++tally_.commands_ok;
        else ++tally_.commands_failed;
        if (c.issued_ps) {
            tally_.commands[name ? name : "UNKNOWN"].add(c.rec.done_ps >= c.issued_ps ? c.rec.done_ps - c.issued_ps : 0);
            ++steps_[c.issued_ps];
            --steps_[c.rec.done_ps];
        }
    }
    if (c.rec.done_ps == 0 && c.issued_ps) ++steps_[c.issued_ps];
    // Names for the pends still to come: a stalled report's (its command
    // runs again); at the end, every command's (the last report of a seq wins).
    if (c.seq && (!sys_.streaming() || c.rec.done_ps == 0)) stalled_ops_[c.seq] = name;
    else if (c.seq) stalled_ops_.erase(c.seq);
    if (c.seq && want_cmds_.count(c.seq)) kept_cmds_[c.seq] = c;
    // The pends it caused, waiting for its name.
    if (c.seq) {
        auto [b, e] = unresolved_.equal_range(c.seq);
        for (auto it = b; it != e; ++it) pend_record(it->second.first, it->second.second, name);
        unresolved_.erase(b, e);
    }
    JsonObject o = command_event(c.rec, c.seq, c.issued_ps, sys_.version());
    if (multi_its_) o.set("its", c.its);
    const uint64_t t = c.rec.done_ps != 0 ? c.rec.done_ps : std::max(c.issued_ps, c.rec.fetched_ps);
    add({t, kCommand, idx}, o);
}

// ---------------------------------------------------------------- the others

void RunStream::ack(const AckRecord& a) {
    ++tally_.acks;
    auto it = taken_.find({a.cpu, a.intid});
    if (it != taken_.end()) ++it->second;
    const AckStamp st{a.cpu, a.intid, a.t_ps};
    Entry& e = add({a.t_ps, kAck, acks_++}, nullptr, &st);
    if (logging()) ack_line(e.line, a);
    poll();
}

void RunStream::kick(const DriverKick& k) {
    const uint64_t idx = kicks_++;
    if (k.first_seq && logging()) {
        JsonObject o;
        o.set("kind", "kick").set("t_ps", k.t_ps).set("cwriter", k.cwriter);
        o.set("first", k.first_seq).set("last", k.last_seq);
        if (multi_its_) o.set("its", k.its);
        add({k.t_ps, kKick, idx}, o);
    }
    poll();
}

void RunStream::drain_lpi_writes() {
    // The replay notes the software's property-byte writes in the records.
    auto& v = sys_.records().lpi_writes;
    for (; lpi_writes_seen_ < v.size(); ++lpi_writes_seen_) {
        const RunRecords::LpiWrite& w = v[lpi_writes_seen_];
        if (!logging()) continue;
        JsonObject o;
        o.set("kind", "lpi").set("t_ps", w.t_ps).set("intid", w.intid).set("priority", unsigned(w.priority));
        o.set("enable", w.enable ? 1 : 0);
        add({w.t_ps, kLpi, lpis_++}, o);
    }
    if (sys_.streaming()) {   // none of them is needed again
        v.clear();
        lpi_writes_seen_ = 0;
    }
}

void RunStream::pend(RunRecords::Pend p) {
    const uint64_t idx = pends_++;
    if (logging()) {
        if (p.change.cause.kind == LpiCause::Kind::command && p.seq) {
            // Named by its command's op: known once that is reported.
            auto s = stalled_ops_.find(p.seq);
            if (s != stalled_ops_.end()) pend_record(idx, p, s->second);
            else unresolved_.emplace(p.seq, std::make_pair(idx, std::move(p)));
        } else {
            pend_record(idx, p, nullptr);
        }
    }
    poll();
}

void RunStream::pend_record(uint64_t idx, const RunRecords::Pend& p, const char* op) {
    const LpiChange& c = p.change;
    JsonObject o;
    o.set("kind", "pend").set("t_ps", c.t_ps).set("cpu", c.cpu).set("intid", c.intid);
    o.set("change", to_string(c.what));
    std::string cause = p.cause;
    if (c.cause.kind == LpiCause::Kind::command) cause = op ? op : "command";
    o.set("cause", cause);
    if (p.seq) o.set("cmd", p.seq);
    if (c.what == LpiChange::What::set || c.what == LpiChange::What::refresh) {
        o.set("priority", unsigned(c.priority()));
        o.set("enabled", c.enabled());
    }
    add({c.t_ps, kPend, idx}, o);
}

void RunStream::stall(const StallRecord& s, unsigned its) {
    ++tally_.stalls;
    const uint64_t idx = stalls_++;
    if (logging()) {
        JsonObject o = stall_event(s);
        if (multi_its_) o.set("its", its);
        add({s.t_ps, kStall, idx}, o);
    }
    poll();
}

void RunStream::timeout(const DriverTimeout& t) {
    ++tally_.timeouts;
    const uint64_t idx = timeouts_++;
    if (logging()) {
        JsonObject o;
        o.set("kind", JsonValue("timeout"));
        o.set("t_ps", JsonValue(t.t_ps));
        o.set("what", JsonValue(std::string(t.what)));
        o.set("creadr", JsonValue(t.creadr));
        o.set("cwriter", JsonValue(t.cwriter));
        if (multi_its_) o.set("its", JsonValue(t.its));   // as command, kick and stall records
        add({t.t_ps, kTimeout, idx}, o);
    }
    poll();
}

// ---------------------------------------------------------------- the end

void RunStream::feed_records(const RunRecords& rec) {
    for (const auto& c : rec.commands) command(c);
    for (size_t i = 0; i < rec.msis.size(); ++i) {
        RunRecords::Msi m = rec.msis[i];
        commit_msi(i + 1, m);
    }
    tally_.msis_issued = std::max<uint64_t>(tally_.msis_issued, rec.msis.size());
    for (const AckRecord& a : rec.acks) ack(a);
    for (const DriverKick& k : rec.kicks) kick(k);
    drain_lpi_writes();
    for (const RunRecords::Pend& p : rec.pends) pend(p);
    for (size_t i = 0; i < rec.stalls.size(); ++i) stall(rec.stalls[i], rec.stall_its[i]);
    uint64_t vidx = 0;
    add_v4_events(sys_, [&](unsigned k, JsonObject o) {
        uint64_t t = 0;
        if (const JsonValue* v = o.find("t_ps")) v->as_u64(t);
        add({t, kDoorbellLpi + k, vidx++}, o);
    });
    for (const DriverTimeout& t : rec.timeouts) timeout(t);
}

void RunStream::finish(bool timed_out, const SourceSet* sources) {
    drain_lpi_writes();
    if (have_held_) {
        have_held_ = false;
        commit_command(held_);
    }
    // MSIs still in flight at the end (max_time, a change never seen).
    for (uint64_t tag : live_.tags()) commit_msi(tag, *live_.find(tag));
    live_.clear();
    for (auto& [seq, ip] : unresolved_) {
        auto s = stalled_ops_.find(seq);
        pend_record(ip.first, ip.second, s != stalled_ops_.end() ? s->second : nullptr);
    }
    unresolved_.clear();
    const uint64_t end_ps = sc_core::sc_time_stamp().value();
    if (unretired_) steps_[end_ps] -= int(unretired_);
    flush_below(~uint64_t{0});
    tally_.msis_lost = tally_.msis_issued - tally_.msis_delivered - tally_.msis_dropped;
    if (sinks_.empty()) return;
    JsonObject head =
        run_header(JsonValue::raw_json(sys_.params().to_json()), trace_.file, sys_.params().integer("seed"));
    head.set("cmd_lines", trace_.cmd_count).set("msi_lines", trace_.msi_count);
    if (sources) sources->describe(head);   // msi_lines with their MSIs, and "sources"
    // A run stopped by max_time ends with work in flight: say so (the
    // checker then skips its end-of-run rules).
    if (timed_out) head.set("stopped", "max_time");
    const std::string h = head.dump();
    for (LogSink* s : sinks_) s->finish(h);
}

const RunRecords::Msi* RunStream::msi_outcome(uint64_t tag) const {
    auto it = kept_msis_.find(tag);
    return it == kept_msis_.end() ? nullptr : &it->second;
}

const RunRecords::Command* RunStream::command_outcome(uint64_t seq) const {
    auto it = kept_cmds_.find(seq);
    return it == kept_cmds_.end() ? nullptr : &it->second;
}

uint64_t RunStream::taken(uint32_t cpu, uint32_t intid) const {
    auto it = taken_.find({cpu, intid});
    return it == taken_.end() ? 0 : it->second;
}

}  // namespace itsim
