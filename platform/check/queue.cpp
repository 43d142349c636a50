// The event-log checker's accounting of MSIs and commands (R2) and of the
// commands that pend records name as their cause (R5). See check.h.
#include <algorithm>

#include "check/check_internal.h"

namespace itsim::check_detail {

namespace {

std::string ranges_text(const std::vector<IntervalSet::Range>& rs, uint64_t total) {
    std::string s;
    uint64_t shown = 0;
    for (const auto& [a, b] : rs) {
        if (!s.empty()) s += ", ";
        s += std::to_string(a);
        if (b != a) s += "-" + std::to_string(b);
        shown += b - a + 1;
    }
    if (shown < total) s += ", ...";
    return s;
}

char change_class(const std::string& change) {
    if (change == "set" || change == "merge") return 'a';
    if (change == "clear" || change == "drop") return 'r';
    if (change == "refused") return 'x';
    return 'f';
}

}  // namespace

// ---------------------------------------------------------------- MSIs

void QueueTracker::msi(const Rec& r, uint64_t seq) {
    if (seq == 0 || (msi_lines_ && seq > *msi_lines_)) {
        sink_.report("R2",
                     "msi seq " + std::to_string(seq) + " is not an msi line of the trace (1.." +
                         (msi_lines_ ? std::to_string(*msi_lines_) : std::string("N")) + ")",
                     {r.ref()});
        return;
    }
    if (msi_seen_.insert(seq, seq))
        sink_.report("R2", "a second record for msi " + std::to_string(seq) + ": every msi line has exactly one", {r.ref()});
}

// ---------------------------------------------------------------- commands

void QueueTracker::kick(const Rec& r, uint64_t first, uint64_t last) {
    if (first > last) return;   // a CWRITER write that published nothing
    if (first == 0) {
        sink_.report("R2", "kick publishes command 0: trace commands are numbered from 1", {r.ref()});
        return;
    }
    if (cmd_lines_ && last > *cmd_lines_)
        sink_.report("R2",
                     "kick publishes commands up to " + std::to_string(last) + ", but the trace has " +
                         std::to_string(*cmd_lines_) + " cmd lines",
                     {r.ref()});
    if (const uint64_t again = published_.insert(first, last)) {
        sink_.report("R2",
                     "kick publishes " + std::to_string(again) + " of commands " + std::to_string(first) + ".." +
                         std::to_string(last) + " again: an earlier kick published them",
                     {r.ref()});
        return;   // the earlier kick stays the one its commands are checked against
    }
    kicks_.emplace(first, Kick{last, r.t, r.ref()});
}

void QueueTracker::foreign(uint64_t seq) {
    if (seq == 0 || cmd_done_.contains(seq)) return;
    cmd_done_.insert(seq, seq);   // not this queue's: nothing of it is awaited here
    if (!kick_of(seq)) return;
    auto kit = std::prev(kicks_.upper_bound(seq));
    if (cmd_done_.count(kit->first, kit->second.last) == kit->second.last - kit->first + 1) kicks_.erase(kit);
}

const QueueTracker::Kick* QueueTracker::kick_of(uint64_t seq) const {
    auto it = kicks_.upper_bound(seq);
    if (it == kicks_.begin()) return nullptr;
    --it;
    return seq <= it->second.last ? &it->second : nullptr;
}

void QueueTracker::command(const Rec& r, const Fields& f) {
    const uint64_t seq = f.u64("seq");
    if (seq == 0) return;   // not a command of the trace (software wrote it into the queue itself)
    const std::string& op = f.str("op");
    const auto issued = f.opt_u64("issued_ps"), fetched = f.opt_u64("fetched_ps"), done = f.opt_u64("done_ps");
    const std::string cmd = "command " + std::to_string(seq) + " (" + op + ")";

    if (cmd_seen_.insert(seq, seq))
        sink_.report("R2", "a second record for " + cmd + ": every published command has exactly one", {r.ref()});
    const Kick* k = kick_of(seq);
    if (!k) {
        if (!published_.contains(seq))
            sink_.report("R2", cmd + " has a record, but no kick published it", {r.ref()});
    } else if (issued && *issued != k->t) {
        sink_.report("R2",
                     cmd + " has issued_ps " + std::to_string(*issued) + ", but the kick that published it wrote CWRITER at " +
                         ps(k->t),
                     {r.ref(), k->ref});
    }
    if (done) {
        cmd_done_.insert(seq, seq);
        if (any_done_ && seq < max_done_seq_ && *done > max_done_t_)
            sink_.report("R2",
                         cmd + " completed at " + ps(*done) + ", after command " + std::to_string(max_done_seq_) +
                             ", which comes later in the queue, completed at " + ps(max_done_t_),
                         {r.ref(), max_done_ref_});
        if (!any_done_ || seq > max_done_seq_) {
            max_done_seq_ = seq;
            max_done_t_ = *done;
            max_done_ref_ = r.ref();
        }
        any_done_ = true;
        last_done_t_ = std::max(last_done_t_, *done);
        if (k) {   // forget the kick once all its commands are done
            auto kit = std::prev(kicks_.upper_bound(seq));
            if (cmd_done_.count(kit->first, kit->second.last) == kit->second.last - kit->first + 1) kicks_.erase(kit);
        }
    } else {
        unretired_.emplace(seq, r.ref());
    }
    check_causes(r, f, seq, op, fetched, done);
}

// ---------------------------------------------------------------- R5

void QueueTracker::pend_cause(const Rec& r, uint64_t seq, const std::string& cause, const std::string& change,
                              uint32_t cpu, uint32_t intid) {
    if (seq == 0) return;
    if (cmd_done_.contains(seq)) {
        sink_.report("R5",
                     "pend record at " + ps(r.t) + " names command " + std::to_string(seq) +
                         " as its cause, but that command had already completed (its record comes earlier)",
                     {r.ref()});
        return;
    }
    if (unretired_.count(seq)) return;   // stalled at the end: its record (at its fetch) came first
    CauseAgg& a = causes_[seq];
    if (a.count == 0) a.cause = cause;
    else if (cause != a.cause && !a.mismatched) {
        a.mismatched = true;
        a.mismatch = r.ref();
    }
    ++a.count;
    if (r.t < a.tmin) {
        a.tmin = r.t;
        a.earliest = r.ref();
    }
    if (r.t >= a.tmax) {
        a.tmax = r.t;
        a.latest = r.ref();
    }
    a.lpis.emplace(CauseAgg::Key{cpu, intid, change_class(change)}, r.ref());
}

void QueueTracker::check_causes(const Rec& r, const Fields& f, uint64_t seq, const std::string& op,
                                std::optional<uint64_t> fetched, std::optional<uint64_t> done) {
    auto it = causes_.find(seq);
    const CauseAgg* a = it == causes_.end() ? nullptr : &it->second;
    const std::string cmd = "command " + std::to_string(seq) + " (" + op + ")";
    const auto intid = f.opt_u64("intid"), cpu = f.opt_u64("cpu"), to_cpu = f.opt_u64("to_cpu");
    const bool single = op == "INT" || op == "CLEAR" || op == "DISCARD" || op == "INV" || op == "MOVI";

    if (a) {
        if (a->cause != op)
            sink_.report("R5", "pend record names " + cmd + " as its cause, but gives the cause as " + a->cause,
                         {a->earliest, r.ref()});
        else if (a->mismatched)
            sink_.report("R5", "pend records naming " + cmd + " disagree on the cause", {a->mismatch, r.ref()});
        if (fetched && a->tmin < *fetched)
            sink_.report("R5",
                         "pend record at " + ps(a->tmin) + " names " + cmd + ", which was fetched only at " + ps(*fetched),
                         {a->earliest, r.ref()});
        if (done && a->tmax > *done)
            sink_.report("R5", "pend record at " + ps(a->tmax) + " names " + cmd + ", which had completed at " + ps(*done),
                         {a->latest, r.ref()});
        // The LPI of each pend record is the command's.
        for (const auto& [key, ref] : a->lpis) {
            const auto [lcpu, lintid, change] = key;
            std::string why;
            if (single && !(intid && cpu)) {
                why = "the command record names no interrupt (it did not find one)";
            } else if (single) {
                const uint64_t want_cpu = op == "MOVI" && (change == 'a' || change == 'x') && to_cpu ? *to_cpu : *cpu;
                const bool change_ok = op == "INT" ? change == 'a' || change == 'x'
                                       : op == "INV" ? change == 'f'
                                       : op == "MOVI" ? change != 'f'
                                                      : change == 'r';
                if (lintid != *intid || lcpu != want_cpu || !change_ok)
                    why = "the command acted on LPI " + std::to_string(*intid) + " at cpu " + std::to_string(want_cpu);
            } else if (op == "INVALL" && cpu && lcpu != *cpu) {
                why = "the command's collection is at cpu " + std::to_string(*cpu);
            } else if (op == "MOVALL" && movall_cpu_) {
                const auto from = f.opt_u64("rdbase1"), to = f.opt_u64("rdbase2");
                const auto want = change == 'r' ? from : to;   // 'a' and 'x' (refused) at the new one
                if (want && lcpu != *want)
                    why = std::string("the command moves from cpu ") + (from ? std::to_string(*from) : "?") + " to cpu " +
                          (to ? std::to_string(*to) : "?");
            }
            if (!why.empty())
                sink_.report("R5",
                             "pend record names " + cmd + " for LPI " + std::to_string(lintid) + " at cpu " +
                                 std::to_string(lcpu) + ", but " + why,
                             {ref, r.ref()});
        }
    }
    check_effect(r, f, seq, op, fetched, a);
    if (a) causes_.erase(it);
}

void QueueTracker::check_effect(const Rec& r, const Fields& f, uint64_t seq, const std::string& op,
                                std::optional<uint64_t> fetched, const CauseAgg* a) {
    const FlatValue* st = r.json.get("status");   // "ok", or the error code as an integer
    if (!st || st->type != FlatValue::Type::string || st->str != "ok" || !fetched) return;
    const std::string cmd = "command " + std::to_string(seq) + " (" + op + ")";
    auto has = [&](uint64_t at_cpu, uint64_t intid, char cls) {
        return a && at_cpu <= UINT32_MAX && intid <= UINT32_MAX && a->has(uint32_t(at_cpu), uint32_t(intid), cls);
    };
    // The LPI was pending at `at_cpu` since before the command was fetched
    // and still is now: the command must have a pend record of class
    // `cls` for it.
    auto must = [&](uint64_t at_cpu, uint64_t intid, char cls, const char* what) {
        if (at_cpu > UINT32_MAX || intid > UINT32_MAX || has(at_cpu, intid, cls)) return;
        const PendingTracker::Lpi* l = pending_.find(uint32_t(at_cpu), uint32_t(intid));
        if (l && l->since < *fetched)
            sink_.report("R5",
                         cmd + " found LPI " + std::to_string(intid) + " pending at cpu " + std::to_string(at_cpu) +
                             " (since " + ps(l->since) + ", before the command was fetched), yet no pend record shows it " +
                             what,
                         {r.ref(), l->made});
    };
    const auto intid = f.opt_u64("intid"), cpu = f.opt_u64("cpu"), to_cpu = f.opt_u64("to_cpu");
    if (intid && cpu) {
        if (op == "INT" && !has(*cpu, *intid, 'a') && !has(*cpu, *intid, 'x'))
            sink_.report("R5",
                         cmd + " found LPI " + std::to_string(*intid) + " at cpu " + std::to_string(*cpu) +
                             ", but no pend record shows it made pending (set or merge) or refused",
                         {r.ref()});
        if (op == "CLEAR" || op == "DISCARD" || (op == "MOVI" && to_cpu && *to_cpu != *cpu))
            must(*cpu, *intid, 'r', "cleared");
        if (op == "INV") must(*cpu, *intid, 'f', "re-read (refresh)");
    }
    // MOVI/MOVALL: what leaves the old CPU arrives at the new one, and
    // nothing arrives that did not leave.
    std::optional<uint64_t> from, to;
    if (op == "MOVI") {
        from = cpu;
        to = to_cpu;
    } else if (op == "MOVALL" && movall_cpu_) {
        from = f.opt_u64("rdbase1");
        to = f.opt_u64("rdbase2");
    }
    if (a && from && to && *from != *to)
        for (const auto& [key, ref] : a->lpis) {
            const auto [lcpu, lintid, change] = key;
            std::string why;
            if (change == 'r' && lcpu == *from && !has(*to, lintid, 'a') && !has(*to, lintid, 'x'))
                why = "leaving cpu " + std::to_string(*from) + ", but none shows it arriving at cpu " + std::to_string(*to) +
                      " (set, merge or refused)";
            else if (change == 'a' && lcpu == *to && !has(*from, lintid, 'r'))
                why = "arriving at cpu " + std::to_string(*to) + ", but none shows it leaving cpu " + std::to_string(*from);
            if (!why.empty())
                sink_.report("R5", "a pend record shows " + cmd + " moving LPI " + std::to_string(lintid) + " " + why,
                             {ref, r.ref()});
        }
    if (op == "INVALL" && cpu && *cpu <= UINT32_MAX)
        for (const auto& [lintid, l] : pending_.pending_at(uint32_t(*cpu)))
            if (l->since < *fetched) must(*cpu, lintid, 'f', "re-read (refresh)");
    if (op == "MOVALL" && movall_cpu_) {
        const auto from = f.opt_u64("rdbase1"), to = f.opt_u64("rdbase2");
        if (from && to && *from != *to && *from <= UINT32_MAX)
            for (const auto& [lintid, l] : pending_.pending_at(uint32_t(*from)))
                if (l->since < *fetched) must(*from, lintid, 'r', "moved away (cleared)");
    }
}

// ---------------------------------------------------------------- stalls

void QueueTracker::stall(const Rec& r) {
    last_stall_t_ = r.t;
    last_stall_ref_ = r.ref();
}

void QueueTracker::timeout(const Rec& r, const std::string& what) {
    if (what == "queue_full") ++queue_full_;
    else if (what == "wait") last_wait_timeout_t_ = r.t;
}

// ---------------------------------------------------------------- the end

void QueueTracker::finish(bool complete) {
    if (!complete) {
        if (!part_ || msi_lines_)
            sink_.note("the run stopped early: unfinished commands, missing msi records and lost interrupts not checked");
        return;
    }
    for (const auto& [seq, a] : causes_)
        sink_.report("R5", "pend record names command " + std::to_string(seq) + " (" + a.cause +
                               ") as its cause, but the log has no record of that command",
                     {a.earliest});

    if (msi_lines_) {
        uint64_t missing = 0;
        const auto gaps = msi_seen_.gaps(1, *msi_lines_, 5, &missing);
        if (missing)
            sink_.report("R2",
                         std::to_string(missing) + " of the trace's " + std::to_string(*msi_lines_) +
                             " msi lines have no msi record: " + ranges_text(gaps, missing),
                         {});
    } else if (!part_) {
        sink_.note("the header has no msi_lines: msi records not counted (R2)");
    }

    // Published commands that never completed.
    uint64_t unfinished = 0, first = 0;
    const Kick* first_kick = nullptr;
    std::vector<IntervalSet::Range> shown;
    for (const auto& [kfirst, k] : kicks_) {
        uint64_t n = 0;
        const auto g = cmd_done_.gaps(kfirst, k.last, 5, &n);
        if (!n) continue;
        if (!first_kick) {
            first_kick = &k;
            first = g.front().first;
        }
        unfinished += n;
        for (const auto& rg : g)
            if (shown.size() < 5) shown.push_back(rg);
    }
    if (unfinished) {
        std::vector<RecordRef> recs{first_kick->ref};
        auto u = unretired_.find(first);
        if (u != unretired_.end()) recs.push_back(u->second);
        const std::string what = std::to_string(unfinished) + " published command(s) never completed (" +
                                 ranges_text(shown, unfinished) + ")";
        if (any_done_ && max_done_seq_ > first) {
            recs.push_back(max_done_ref_);
            sink_.report("R2",
                         what + ", yet command " + std::to_string(max_done_seq_) + ", later in the queue than command " +
                             std::to_string(first) + ", did",
                         std::move(recs));
        } else if ((last_stall_t_ && *last_stall_t_ >= last_done_t_) ||
                   (last_wait_timeout_t_ && *last_wait_timeout_t_ >= last_done_t_)) {
            sink_.note(what + ": the queue stalled (or the driver gave up waiting) after the last completion");
        } else {
            sink_.report("R2", what + ", and no stall or timeout after the last completion explains it",
                         std::move(recs));
        }
    }

    if (part_) {
    } else if (cmd_lines_) {
        const uint64_t published = published_.count(1, *cmd_lines_);
        if (published + queue_full_ != *cmd_lines_)
            sink_.report("R2",
                         "the trace has " + std::to_string(*cmd_lines_) + " cmd lines, but kicks published " +
                             std::to_string(published) + " of them and the driver dropped " +
                             std::to_string(queue_full_) + " (queue_full timeouts)",
                         {});
    } else {
        sink_.note("the header has no cmd_lines: published commands not counted (R2)");
    }
}

}  // namespace itsim::check_detail
