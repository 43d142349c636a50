#include "ref/ref_races.h"

#include <algorithm>

#include "params.h"

namespace itsim::ref {

namespace {
constexpr uint32_t kFirstLpi = 8192;

bool is_entry(Touch::Kind k) {
    return k == Touch::dte || k == Touch::ite || k == Touch::cte || k == Touch::vte;
}
bool is_lpi_op(Touch::Kind k) {
    return k == Touch::set || k == Touch::clear || k == Touch::move_out || k == Touch::reread;
}
bool is_rd_op(Touch::Kind k) { return k == Touch::move_all || k == Touch::reread_all; }

// Do two operations that may run in either order touch common state? An
// entry one of them writes; the pending state of one LPI at one
// redistributor; or a whole-redistributor operation and an LPI there.
bool conflict(const std::vector<Touch>& a, const std::vector<Touch>& b) {
    for (const Touch& x : a)
        for (const Touch& y : b) {
            if (is_entry(x.kind)) {
                if (x.kind == y.kind && x.key == y.key && (x.write || y.write)) return true;
                continue;
            }
            if (is_lpi_op(x.kind) && is_lpi_op(y.kind) && x.rd == y.rd && x.intid == y.intid) return true;
            if (is_rd_op(x.kind) && (is_lpi_op(y.kind) || is_rd_op(y.kind)) && x.rd == y.rd) return true;
            if (is_rd_op(y.kind) && is_lpi_op(x.kind) && x.rd == y.rd) return true;
        }
    return false;
}

std::string lpi_at(unsigned rd, uint32_t intid) {
    if (is_vkey(rd)) return "vINTID " + std::to_string(intid) + " of vPE " + std::to_string(rd - kVirtRd);
    return "LPI " + std::to_string(intid) + " at cpu " + std::to_string(rd);
}
}  // namespace

Timing timing_for(const Params& p) {
    const uint64_t r = p.picoseconds("mem.read_latency");
    uint64_t c = 0;
    for (const char* k : {"its.clock", "bus.clock", "redist.clock", "mem.clock"}) c = std::max(c, p.period_ps(k));
    Timing t;
    t.msi_ps = 8 * r + 400 * c;
    t.msi_interval_ps = r;
    t.cmd_ps = 8 * r + 600 * c;
    t.touch_ps = 4 * r;
    t.sweep_ps_per_event = 2 * r / 5;
    t.cpu_margin_ps = 500 * c;
    if (p.text("gic.version") != "3") {
        t.msi_ps += 8 * r;
        t.cmd_ps += 8 * r;
        const uint64_t vpt_bytes = (uint64_t{1} << p.integer("its.lpi_bits")) / 8;
        t.residency_ps = 2 * p.picoseconds("driver.dirty_poll") + 2 * r * (vpt_bytes / 64) + 64 * r +
                         2 * (uint64_t(p.integer("redist.vpt_parse_cycles")) + 500) * c;
    }
    return t;
}

RaceGuard::RaceGuard(const Platform& p, const Timing& t)
    : p_(p), t_(t), its_next_(std::max(1u, p.its_count), 0), queue_done_(std::max(1u, p.its_count), 0),
      cpu_done_(p.cpus, 0) {}

void RaceGuard::check_in_flight(const std::vector<InFlight>& list, const std::string& what,
                                const std::vector<Touch>& touches, const char* verb, bool other_its_only,
                                unsigned its) const {
    for (const InFlight& f : list)
        if ((!other_its_only || f.its != its) && conflict(f.touches, touches))
            throw Unsupported(what + " may " + verb + " while " + f.what + ", which touches the same state, " +
                              (other_its_only ? "runs on another ITS" : "is in flight"));
}

bool RaceGuard::same_line(uint32_t a, uint32_t b) const {
    if (!p_.config_cache || p_.config_line_bytes <= 1) return a == b;
    const uint64_t line = p_.config_line_bytes;
    return (uint64_t(a) - kFirstLpi) / line == (uint64_t(b) - kFirstLpi) / line;
}

void RaceGuard::prune(uint64_t t) {
    auto gone = [t](const InFlight& f) { return f.done <= t; };
    msis_.erase(std::remove_if(msis_.begin(), msis_.end(), gone), msis_.end());
    cmds_.erase(std::remove_if(cmds_.begin(), cmds_.end(), gone), cmds_.end());
    for (auto it = recent_.begin(); it != recent_.end();) {
        if (cpu_done_[it->second.cpu] <= t) it = recent_.erase(it);
        else ++it;
    }
}

bool RaceGuard::commands_in_flight(uint64_t t) const {
    for (const InFlight& c : cmds_)
        if (c.done > t) return true;
    return false;
}

void RaceGuard::check_recent(uint64_t t, const std::string& what, const std::vector<Touch>& touches,
                             const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core) {
    (void)t;
    for (const Touch& x : touches) {
        if (is_rd_op(x.kind)) {
            for (const auto& [key, by] : recent_) {
                if (key.first != x.rd) continue;
                if (x.kind == Touch::move_all)
                    throw Unsupported(what + " may move " + lpi_at(key.first, key.second) +
                                      " while it is still pending from " + by.what);
                if (!core.config_enabled(key.first, key.second))
                    throw Unsupported(what + " may re-read " + lpi_at(key.first, key.second) +
                                      " as disabled while it is still pending from " + by.what);
            }
            continue;
        }
        if (!is_lpi_op(x.kind) || x.hit) continue;
        auto it = recent_.find({x.rd, x.intid});
        if (it == recent_.end()) continue;
        const std::string& by = it->second.what;
        switch (x.kind) {
        case Touch::set: {
            // Taken again here, or merged into the one still pending.
            const bool retaken = std::find(taken.begin(), taken.end(), std::make_pair(x.rd, x.intid)) != taken.end();
            if (!retaken)
                throw Unsupported(what + " makes " + lpi_at(x.rd, x.intid) + " pending while the one from " + by +
                                  " may still be pending with another configuration");
            ++uncertain_[{x.rd, x.intid}];
            note("acks of " + lpi_at(x.rd, x.intid) + ": " + what + " may merge with " + by);
            break;
        }
        case Touch::clear:
            ++uncertain_[{x.rd, x.intid}];
            note("acks of " + lpi_at(x.rd, x.intid) + ": " + what + " may clear it before " + by +
                             " is taken");
            break;
        case Touch::move_out:
            throw Unsupported(what + " may move " + lpi_at(x.rd, x.intid) + " while it is still pending from " + by);
        case Touch::reread:
            if (!core.config_enabled(x.rd, x.intid))
                throw Unsupported(what + " may re-read " + lpi_at(x.rd, x.intid) +
                                  " as disabled while it is still pending from " + by);
            break;
        default: break;
        }
    }
}

void RaceGuard::add_takes(uint64_t cause_done, const std::string& what,
                          const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core) {
    for (const auto& [rd, intid] : taken) {
        const int cpu = core.take_cpu(rd);
        if (cpu < 0 || unsigned(cpu) >= cpu_done_.size()) continue;
        uint64_t& d = cpu_done_[unsigned(cpu)];
        d = std::max(d, cause_done) + p_.ack_ps + p_.handler_ps + t_.cpu_margin_ps;
        recent_[{rd, intid}] = Recent{what, unsigned(cpu)};
    }
}

void RaceGuard::msi(uint64_t t, const std::string& what, const std::vector<Touch>& touches,
                    const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core, unsigned its) {
    if (!t_.enabled) return;
    prune(t);
    for (const InFlight& c : cmds_)
        if (conflict(c.touches, touches))
            throw Unsupported(what + " may be translated while " + c.what + ", which touches the same state, runs");
    check_in_flight(msis_, what, touches, "be translated", true, its);
    check_recent(t, what, touches, taken, core);
    // The line runs no earlier than its trace time, and no later than the
    // latest the driver can be by then (after a `wait` that drained late).
    driver_late_ = std::max(driver_late_, t);
    const uint64_t start = std::max(driver_late_, its_next_.at(its));
    its_next_.at(its) = start + t_.msi_interval_ps;
    const uint64_t done = start + t_.msi_ps;
    msis_.push_back(InFlight{done, what, touches, its});
    add_takes(done, what, taken, core);
}

void RaceGuard::command(uint64_t t_pub, const std::string& what, const std::vector<Touch>& touches,
                        const std::vector<std::pair<unsigned, uint32_t>>& taken, uint64_t swept_events,
                        const Core& core, unsigned its) {
    if (!t_.enabled) return;
    prune(t_pub);
    for (const InFlight& m : msis_)
        if (conflict(m.touches, touches))
            throw Unsupported(what + " may run while " + m.what + ", which touches the same state, is in flight");
    check_in_flight(cmds_, what, touches, "run", true, its);
    check_recent(t_pub, what, touches, taken, core);
    driver_late_ = std::max(driver_late_, t_pub);
    uint64_t& q = queue_done_.at(its);
    q = std::max(q, driver_late_) + t_.cmd_ps + touches.size() * t_.touch_ps + swept_events * t_.sweep_ps_per_event;
    cmds_.push_back(InFlight{q, what, touches, its});
    add_takes(q, what, taken, core);
}

void RaceGuard::residency(uint64_t t, const std::string& what, const std::vector<Touch>& touches,
                          const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core) {
    if (!t_.enabled) return;
    prune(t);
    check_in_flight(msis_, what, touches, "run", false, 0);
    check_in_flight(cmds_, what, touches, "run", false, 0);
    check_recent(t, what, touches, taken, core);
    // The driver polls Dirty until it reads 0 and only then goes on: no
    // later line overlaps it.
    driver_late_ = std::max(driver_late_, t) + t_.residency_ps;
    add_takes(driver_late_, what, taken, core);
}

void RaceGuard::lpi(uint64_t t, const std::string& what, uint32_t intid, bool changed) {
    if (!t_.enabled) return;
    prune(t);
    if (!changed) return;
    for (const auto* list : {&msis_, &cmds_})
        for (const InFlight& f : *list)
            for (const Touch& x : f.touches)
                if (x.kind == Touch::lookup && !is_vkey(x.rd) && same_line(x.intid, intid))
                    throw Unsupported(what + " changes Enable of LPI " + std::to_string(intid) + " while " + f.what +
                                      " may still read its configuration");
}

void RaceGuard::vlpi(uint64_t t, const std::string& what, unsigned vm, uint32_t vintid, bool changed,
                     const Core& core) {
    if (!t_.enabled) return;
    prune(t);
    if (!changed) return;
    for (const auto* list : {&msis_, &cmds_})
        for (const InFlight& f : *list)
            for (const Touch& x : f.touches)
                if (x.kind == Touch::lookup && is_vkey(x.rd) && core.vm_of(x.rd - kVirtRd) == vm &&
                    same_line(x.intid, vintid))
                    throw Unsupported(what + " changes Enable of vINTID " + std::to_string(vintid) + " of VM " +
                                      std::to_string(vm) + " while " + f.what + " may still read its configuration");
}

void RaceGuard::drained(unsigned its) {
    cmds_.erase(std::remove_if(cmds_.begin(), cmds_.end(), [its](const InFlight& f) { return f.its == its; }),
                cmds_.end());
    // The driver goes on only once the queue drained: as late as the last
    // command's bound, whatever the trace's times say.
    driver_late_ = std::max(driver_late_, queue_done_.at(its));
}

void RaceGuard::note(std::string s) {
    if (notes_.size() < kMaxNotes) notes_.push_back(std::move(s));
    else ++notes_dropped_;
}

}  // namespace itsim::ref
