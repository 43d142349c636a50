// The event-log checker's pending-state reconstruction: R3 (pending), R4
// (end), R6 (config). See check.h.
#include <algorithm>
#include <numeric>

#include "check/check_internal.h"

namespace itsim::check_detail {

namespace {

unsigned value_index(uint64_t priority, bool enable) { return unsigned(((priority & 0xFC) >> 2) << 1) | (enable ? 1 : 0); }

std::string snap_text(uint64_t priority, bool enabled) {
    return "priority " + std::to_string(priority) + (enabled ? " enabled" : " disabled");
}

// Merges and refreshes first (they need the LPI pending and keep it so),
// then removals and acknowledges, then additions: of the orders in which
// records of one time stamp can have happened, the one that needs no
// violation when there is one.
int preference(StateOp::Kind k) {
    switch (k) {
    case StateOp::Kind::merge:
    case StateOp::Kind::refresh: return 0;
    case StateOp::Kind::remove:
    case StateOp::Kind::ack: return 1;
    case StateOp::Kind::add:
    case StateOp::Kind::refused: return 2;
    }
    return 2;
}

}  // namespace

// ---------------------------------------------------------------- R6

void PendingTracker::lpi_write(const Rec& r, uint32_t intid, uint64_t priority, bool enable) {
    (void)r;
    auto& w = written_[intid];
    const unsigned i = value_index(priority, enable);
    (i < 64 ? w.first : w.second) |= uint64_t(1) << (i % 64);
}

void PendingTracker::check_snapshot(const Rec& r, uint32_t intid, const Snapshot& s) {
    if (!s.known) return;
    if (s.priority > 252 || (s.priority & 3)) {
        sink_.report("R6",
                     "LPI " + std::to_string(intid) + " has snapshot priority " + std::to_string(s.priority) +
                         ", which no property byte gives (priority = byte & 0xFC)",
                     {r.ref()});
        return;
    }
    const unsigned i = value_index(s.priority, s.enabled);
    if (i == 0) return;   // every byte is 0 before its first write
    auto it = written_.find(intid);
    if (it != written_.end() && ((i < 64 ? it->second.first : it->second.second) >> (i % 64)) & 1) return;
    std::string held = "0 (disabled) only";
    if (it != written_.end()) {
        held = "priority 0 disabled";
        unsigned shown = 0;
        for (unsigned v = 1; v < 128; ++v) {
            if (!(((v < 64 ? it->second.first : it->second.second) >> (v % 64)) & 1)) continue;
            if (++shown > 8) {
                held += ", ...";
                break;
            }
            held += ", " + snap_text(uint64_t(v >> 1) << 2, v & 1);
        }
    }
    sink_.report("R6",
                 "LPI " + std::to_string(intid) + " has the snapshot " + snap_text(s.priority, s.enabled) +
                     ", a value its property byte never held up to " + ps(r.t) + " (it held: " + held + ")",
                 {r.ref()});
}

// ---------------------------------------------------------------- R3

const PendingTracker::Lpi* PendingTracker::find(uint32_t cpu, uint32_t intid) const {
    auto it = lpis_.find(key(cpu, intid));
    return it == lpis_.end() ? nullptr : &it->second;
}

std::vector<std::pair<uint32_t, const PendingTracker::Lpi*>> PendingTracker::pending_at(uint32_t cpu) const {
    std::vector<std::pair<uint32_t, const Lpi*>> v;
    for (const auto& [k, l] : lpis_)
        if (uint32_t(k >> 32) == cpu) v.emplace_back(uint32_t(k & 0xFFFFFFFFu), &l);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return v;
}

void PendingTracker::insert_order(uint32_t cpu, uint32_t intid, Lpi& l) {
    if (selectable(l)) order_[cpu][order_key(l, intid)] = &l;
}

void PendingTracker::erase_order(uint32_t cpu, uint32_t intid, const Lpi& l) {
    if (!selectable(l)) return;
    auto it = order_.find(cpu);
    if (it == order_.end()) return;
    it->second.erase(order_key(l, intid));
    if (it->second.empty()) order_.erase(it);
}

void PendingTracker::remove(uint32_t cpu, uint32_t intid) {
    auto it = lpis_.find(key(cpu, intid));
    if (it == lpis_.end()) return;
    erase_order(cpu, intid, it->second);
    lpis_.erase(it);
}

bool PendingTracker::applicable(const StateOp& op) const {
    const Lpi* l = find(op.cpu, op.intid);
    switch (op.kind) {
    case StateOp::Kind::add:
    case StateOp::Kind::refused: return l == nullptr;
    case StateOp::Kind::merge: return l != nullptr || op.infer;
    case StateOp::Kind::refresh:
    case StateOp::Kind::remove: return l != nullptr;
    case StateOp::Kind::ack:
        return l != nullptr && (!l->snap.known || (l->snap.enabled && l->selectable_since + latency_ <= op.rec->t));
    }
    return false;
}

void PendingTracker::step(std::vector<StateOp>& ops) {
    if (ops.empty()) return;
    std::set<uint64_t> touched;
    for (const StateOp& op : ops) touched.insert(key(op.cpu, op.intid));
    std::vector<size_t> idx(ops.size());
    std::iota(idx.begin(), idx.end(), size_t{0});
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
        return key(ops[a].cpu, ops[a].intid) < key(ops[b].cpu, ops[b].intid);
    });
    for (size_t b = 0; b < idx.size();) {
        size_t e = b + 1;
        const uint64_t k = key(ops[idx[b]].cpu, ops[idx[b]].intid);
        while (e < idx.size() && key(ops[idx[e]].cpu, ops[idx[e]].intid) == k) ++e;
        // One LPI's records of this time stamp: apply those that fit the
        // state first (by preference, then file order); when none fits,
        // the first left is a violation.
        std::vector<size_t> left(idx.begin() + long(b), idx.begin() + long(e));
        while (!left.empty()) {
            size_t pick = left.size();
            for (int pref = 0; pref <= 2 && pick == left.size(); ++pref)
                for (size_t i = 0; i < left.size(); ++i)
                    if (preference(ops[left[i]].kind) == pref && applicable(ops[left[i]])) {
                        pick = i;
                        break;
                    }
            if (pick == left.size()) pick = 0;
            apply(ops[left[pick]], touched);
            left.erase(left.begin() + long(pick));
        }
        b = e;
    }
}

void PendingTracker::apply(const StateOp& op, const std::set<uint64_t>& touched_now) {
    const Rec& r = *op.rec;
    const std::string lpi = "LPI " + std::to_string(op.intid) + " at cpu " + std::to_string(op.cpu);
    auto it = lpis_.find(key(op.cpu, op.intid));
    Lpi* l = it == lpis_.end() ? nullptr : &it->second;
    auto make = [&](const Snapshot& s) {
        Lpi n;
        n.since = n.selectable_since = n.touched = r.t;
        n.snap = s;
        n.made = r.ref();
        Lpi& stored = lpis_[key(op.cpu, op.intid)] = std::move(n);
        insert_order(op.cpu, op.intid, stored);
    };
    switch (op.kind) {
    case StateOp::Kind::add:
        if (l) {
            sink_.report("R3",
                         op.what + " made " + lpi + " newly pending at " + ps(r.t) + ", but it was already pending (since " +
                             ps(l->since) + ")",
                         {r.ref(), l->made});
            remove(op.cpu, op.intid);
        }
        make(op.snap);
        return;
    case StateOp::Kind::merge:
        if (!l && op.infer) {   // a delivered msi without "new": newly pending
            make(Snapshot{});
            return;
        }
        if (!l) {
            sink_.report("R3", op.what + " merged into " + lpi + " at " + ps(r.t) + ", which was not pending", {r.ref()});
            make(Snapshot{});   // followed as pending, configuration unknown
            return;
        }
        ++l->merges;
        l->last_merge = r.ref();
        l->touched = r.t;
        return;
    case StateOp::Kind::refresh: {
        if (!l) {
            sink_.report("R3", op.what + " re-read the configuration of " + lpi + " at " + ps(r.t) + ", which was not pending",
                         {r.ref()});
            return;
        }
        const bool was = selectable(*l);
        erase_order(op.cpu, op.intid, *l);
        l->snap = op.snap;
        if (!was && selectable(*l)) l->selectable_since = r.t;
        insert_order(op.cpu, op.intid, *l);
        l->touched = r.t;
        return;
    }
    case StateOp::Kind::refused:
        // A redistributor refuses an LPI when its LPIs are disabled (then
        // nothing is pending there) or the INTID is out of its range (then
        // it is never pending): refusing one that is pending is a contradiction.
        if (l)
            sink_.report("R3",
                         op.what + " says " + lpi + " was not taken at " + ps(r.t) + ", but it was pending there (since " +
                             ps(l->since) + ")",
                         {r.ref(), l->made});
        return;
    case StateOp::Kind::remove:
        if (!l) {
            sink_.report("R3", op.what + " removed " + lpi + " at " + ps(r.t) + ", which was not pending", {r.ref()});
            return;
        }
        remove(op.cpu, op.intid);
        return;
    case StateOp::Kind::ack:
        if (!l) {
            sink_.report("R3",
                         "cpu " + std::to_string(op.cpu) + " acknowledged LPI " + std::to_string(op.intid) + " at " +
                             ps(r.t) + ", which was not pending there (no msi, INT or other record made it pending)",
                         {r.ref()});
            return;
        }
        check_ack(op, *l, touched_now);
        remove(op.cpu, op.intid);
        return;
    }
}

void PendingTracker::check_ack(const StateOp& op, const Lpi& l, const std::set<uint64_t>& touched_now) {
    const Rec& r = *op.rec;
    const std::string lpi = "LPI " + std::to_string(op.intid) + " at cpu " + std::to_string(op.cpu);
    if (!l.snap.known) return;
    if (!l.snap.enabled) {
        sink_.report("R3", "cpu " + std::to_string(op.cpu) + " acknowledged LPI " + std::to_string(op.intid) +
                               ", whose configuration snapshot is disabled", {r.ref(), l.made});
        return;
    }
    const uint64_t visible = l.selectable_since + latency_;
    if (r.t < visible)
        sink_.report("R3",
                     lpi + " was acknowledged at " + ps(r.t) + ", before it was visible: selectable at " +
                         ps(l.selectable_since) + " + signal latency " + ps(latency_) + " = " + ps(visible),
                     {r.ref(), l.made});
    else if (op.signalled && *op.signalled < visible)
        sink_.report("R3",
                     lpi + " has signalled_ps " + std::to_string(*op.signalled) +
                         ", before it could be signalled: selectable at " + ps(l.selectable_since) +
                         " + signal latency " + ps(latency_) + " = " + ps(visible),
                     {r.ref(), l.made});
    if (op.ack_priority && *op.ack_priority != l.snap.priority)
        sink_.report("R3",
                     lpi + " was acknowledged with priority " + std::to_string(*op.ack_priority) +
                         ", but its snapshot has priority " + std::to_string(l.snap.priority),
                     {r.ref(), l.made});
    auto o = order_.find(op.cpu);
    if (o == order_.end()) return;
    const uint64_t mine = order_key(l, op.intid);
    for (auto c = o->second.begin(); c != o->second.end() && c->first < mine; ++c) {
        const uint32_t other = uint32_t(c->first & 0xFFFFFFFFu);
        if (touched_now.count(key(op.cpu, other))) continue;   // changed at this very time: either order
        const Lpi& x = *c->second;
        if (x.selectable_since + latency_ > r.t) continue;   // not visible yet
        sink_.report("R3",
                     "cpu " + std::to_string(op.cpu) + " acknowledged LPI " + std::to_string(op.intid) + " (priority " +
                         std::to_string(l.snap.priority) + ") at " + ps(r.t) + " while LPI " + std::to_string(other) +
                         " (priority " + std::to_string(x.snap.priority) +
                         ") was pending, enabled and visible there since " + ps(x.selectable_since + latency_) +
                         ": not the highest-priority one",
                     {r.ref(), l.made, x.made});
        return;
    }
}

// ---------------------------------------------------------------- R4

void PendingTracker::finish(uint64_t end_ps, bool complete) {
    std::vector<std::pair<uint64_t, const Lpi*>> left;
    uint64_t unknown = 0, disabled = 0;
    for (const auto& [k, l] : lpis_) {
        if (!l.snap.known) ++unknown;
        else if (!l.snap.enabled) ++disabled;
        else left.emplace_back(k, &l);
    }
    if (!complete) {
        if (!lpis_.empty())
            sink_.note(std::to_string(lpis_.size()) + " LPIs were still pending when the run stopped: not checked (R4)");
        return;
    }
    std::sort(left.begin(), left.end(), [](const auto& a, const auto& b) {
        return a.second->since != b.second->since ? a.second->since < b.second->since : a.first < b.first;
    });
    for (const auto& [k, l] : left) {
        const uint32_t cpu = uint32_t(k >> 32), intid = uint32_t(k & 0xFFFFFFFFu);
        std::vector<RecordRef> recs{l->made};
        if (l->merges) recs.push_back(l->last_merge);
        sink_.report("R4",
                     "LPI " + std::to_string(intid) + " at cpu " + std::to_string(cpu) + " was still pending at the end (" +
                         ps(end_ps) + "), enabled (priority " + std::to_string(l->snap.priority) +
                         ") and visible since " + ps(l->selectable_since + latency_) +
                         ", never acknowledged nor removed: " + std::to_string(1 + l->merges) +
                         " record(s) made it pending or merged into it",
                     std::move(recs));
    }
    if (unknown)
        sink_.note(std::to_string(unknown) +
                   " LPIs were still pending at the end with an unknown configuration snapshot: not checked (R4)");
    (void)disabled;   // pending but disabled: kept for when software enables it; not lost
}

}  // namespace itsim::check_detail
