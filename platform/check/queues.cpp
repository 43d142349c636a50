// The command queues of the checker (check_internal.h Queues): R2 and R5
// per ITS when the run has several (its.count > 1; their commands are
// numbered in one trace order, and a kick's first..last may span commands
// of the other ITSs, which are not that queue's).
#include "check/check_internal.h"

namespace itsim::check_detail {

void Queues::configure(unsigned its_count, std::optional<uint64_t> cmd_lines, std::optional<uint64_t> msi_lines,
                       bool movall_is_cpu) {
    q_.clear();
    cmd_lines_ = cmd_lines;
    const unsigned n = its_count ? its_count : 1;
    for (unsigned i = 0; i < n; ++i) {
        q_.emplace_back(sink_, pending_);
        QueueTracker& q = q_.back();
        q.set_movall_is_cpu(movall_is_cpu);
        if (n == 1) {
            q.set_lines(cmd_lines, msi_lines);
        } else {
            q.set_part(true);
            q.set_lines(std::nullopt, i == 0 ? msi_lines : std::nullopt);
        }
    }
}

unsigned Queues::its_of(const Fields& f) const {
    const uint64_t its = f.opt_u64("its").value_or(0);
    if (its >= q_.size())
        f.fail("record names ITS " + std::to_string(its) + ", but the header's its.count is " +
               std::to_string(q_.size()));
    return unsigned(its);
}

void Queues::kick(const Rec& r, uint64_t first, uint64_t last, unsigned its) {
    if (q_.size() > 1 && first && first <= last) published_.insert(first, last);
    at(its).kick(r, first, last);
}

void Queues::pend_cause(const Rec& r, uint64_t seq, const std::string& cause, const std::string& change,
                        uint32_t cpu, uint32_t intid) {
    if (q_.size() == 1) {
        q_[0].pend_cause(r, seq, cause, change, cpu, intid);
        return;
    }
    for (QueueTracker& q : q_)
        if (q.seen(seq)) {   // after its command's record: that queue reports it
            q.pend_cause(r, seq, cause, change, cpu, intid);
            return;
        }
    held_[seq].push_back(HeldPend{r, cause, change, cpu, intid});
}

void Queues::command(const Rec& r, const Fields& f, unsigned its) {
    if (q_.size() > 1) {
        const uint64_t seq = f.u64("seq");
        auto h = held_.find(seq);
        if (h != held_.end()) {
            for (const HeldPend& p : h->second) at(its).pend_cause(p.rec, seq, p.cause, p.change, p.cpu, p.intid);
            held_.erase(h);
        }
        for (unsigned i = 0; i < q_.size(); ++i)
            if (i != its) q_[i].foreign(seq);
    }
    at(its).command(r, f);
}

void Queues::finish(bool complete) {
    if (q_.size() > 1) {   // pend records of commands no queue logged: the first queue reports them
        for (const auto& [seq, list] : held_)
            for (const HeldPend& p : list) q_[0].pend_cause(p.rec, seq, p.cause, p.change, p.cpu, p.intid);
        held_.clear();
    }
    for (QueueTracker& q : q_) q.finish(complete);
    if (q_.size() == 1 || !complete) return;
    if (cmd_lines_) {
        uint64_t full = 0;
        for (const QueueTracker& q : q_) full += q.queue_full();
        const uint64_t published = published_.count(1, *cmd_lines_);
        if (published + full != *cmd_lines_)
            sink_.report("R2",
                         "the trace has " + std::to_string(*cmd_lines_) + " cmd lines, but the " +
                             std::to_string(q_.size()) + " ITSs' kicks published " + std::to_string(published) +
                             " of them and the driver dropped " + std::to_string(full) + " (queue_full timeouts)",
                         {});
    } else {
        sink_.note("the header has no cmd_lines: published commands not counted (R2)");
    }
}

}  // namespace itsim::check_detail
