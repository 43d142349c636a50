#include "ref/ref_model.h"

#include <cstdio>
#include <deque>

#include "params.h"

namespace itsim::ref {

std::string status_text(uint32_t status) {
    if (status == 0) return "ok";
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%06x", unsigned(status));
    return buf;
}

AckCount Result::ack(uint32_t cpu, uint32_t intid) const {
    auto it = acks.find({cpu, intid});
    return it == acks.end() ? AckCount{} : it->second;
}

AckCount Result::vack(uint32_t vpeid, uint32_t vintid) const {
    auto it = vacks.find({vpeid, vintid});
    return it == vacks.end() ? AckCount{} : it->second;
}

namespace {

// Replays a trace into a Core, as the driver agent replays it into the
// platform (platform/run.cpp replay(), platform/driver.cpp).
class Replayer {
public:
    Replayer(const Trace& trace, const Platform& p, const Timing& timing, Result& out)
        : trace_(trace), p_(p), core_(p), guard_(p, timing), out_(out), appended_since_wait_(p.its_count, 0),
          early_(p.its_count, false) {}

    void run() {
        scan_itt_spans();
        for (const TraceLine& l : trace_.lines) {
            pos_ = l.pos;
            if (l.t_ps > prev_t_) {
                // The agent publishes before the first line with a later time
                // if it is not past that time already: from the previous
                // line's time on, the batch may be running.
                for (Appended& a : unpublished_)
                    if (!a.t_earliest) a.t_earliest = prev_t_;
                prev_t_ = l.t_ps;
            }
            line(l);
        }
        publish(trace_.end_ps);   // the agent publishes what is left at the end
    }

private:
    // An `lpi` (vm < 0) or `vlpi` line (of VM vm) that changed Enable.
    struct LaterLpi {
        uint32_t intid;
        int vm;
        std::string what;
    };
    struct Appended {
        const TraceLine* line;
        std::optional<uint64_t> t_earliest;   // may be published from then on
        // `lpi`/`vlpi` lines that changed Enable after this command may
        // already have been published.
        std::vector<LaterLpi> later_lpis;
    };

    static std::string at(const TraceLine& l) { return "line " + std::to_string(l.pos.line); }
    static std::string cmd_what(const TraceLine& l) {
        return "cmd " + std::to_string(l.cmd_seq) + " (" + to_string(l.cmd) + ", " + at(l) + ")";
    }

    void scan_itt_spans() {
        for (const TraceLine& l : trace_.lines)
            if (l.op == TraceLine::Op::cmd && l.cmd.opcode == uint8_t(ItsOpcode::MAPD) && l.cmd.valid) {
                const uint64_t itt = l.cmd.itt_addr & kIttAddrMask;
                itt_spans_.emplace_back(itt, itt + Core::itt_bytes(l.cmd.size & kSizeMask, p_.ite_bytes));
            }
    }

    void line(const TraceLine& l) {
        switch (l.op) {
        case TraceLine::Op::cmd: append(l); break;
        case TraceLine::Op::kick: publish(l.t_ps, int(l.its)); break;
        case TraceLine::Op::wait:
            publish(l.t_ps);
            guard_.drained(l.its);   // drained, or stalled (nothing more runs)
            appended_since_wait_.at(l.its) = 0;
            early_.at(l.its) = false;
            break;
        case TraceLine::Op::msi: msi(l); break;
        case TraceLine::Op::lpi: lpi(l); break;
        case TraceLine::Op::write: write(l); break;
        case TraceLine::Op::vlpi: vlpi(l); break;
        case TraceLine::Op::schedule:
        case TraceLine::Op::deschedule: residency(l); break;
        case TraceLine::Op::sgi: sgi(l); break;
        default: break;   // platform, expect, TIME alone, vsgi_read (reads only)
        }
    }

    void append(const TraceLine& l) {
        const ItsCommand& c = l.cmd;
        if (c.opcode == uint8_t(ItsOpcode::MAPD) && c.valid && p_.device_l1_ids && c.device >= p_.device_ids &&
            c.device < p_.device_l1_ids)
            throw Unsupported("MAPD of device " + hex(c.device) +
                              " makes the driver agent write a level-1 descriptor past its level-1 device table "
                              "(capped at 256 pages; platform/driver.cpp ensure_l2)");
        // The slots-th command since the queue was last seen empty finds it
        // full: the agent publishes the others and waits for room. From then
        // on it may publish at any append.
        const unsigned its = l.its;
        if (!early_.at(its) && appended_since_wait_.at(its) + 1 == p_.cmdq_slots) {
            publish(l.t_ps, int(its));
            early_.at(its) = true;
        }
        Appended a{&l, std::nullopt, {}};
        if (early_.at(its)) a.t_earliest = l.t_ps;
        unpublished_.push_back(std::move(a));
        ++appended_since_wait_.at(its);
    }

    // Publish the commands appended to ITS `its` (< 0: to every ITS).
    void publish(uint64_t t, int its = -1) {
        std::deque<Appended> batch;
        if (its < 0) {
            batch.swap(unpublished_);
        } else {
            std::deque<Appended> rest;
            for (Appended& a : unpublished_) (a.line->its == unsigned(its) ? batch : rest).push_back(std::move(a));
            unpublished_.swap(rest);
        }
        for (const Appended& a : batch) {
            const TraceLine& l = *a.line;
            CmdResult& res = out_.commands.at(l.cmd_seq - 1);
            if (stalled_) continue;   // behind the stalled command: never runs
            pos_ = l.pos;
            const std::string what = cmd_what(l);
            core_.clear_touches();
            core_.select_its(l.its);
            const bool vmapp = l.cmd.opcode == uint8_t(ItsOpcode::VMAPP) && p_.v4();
            const uint32_t status = core_.execute(vmapp ? core_.fill_vmapp(l.cmd, l.cmd_defaulted) : l.cmd);
            const auto taken = core_.settle();
            for (const LaterLpi& by : a.later_lpis)
                for (const Touch& x : core_.touches())
                    if (x.kind == Touch::lookup && is_vkey(x.rd) == (by.vm >= 0) &&
                        (by.vm < 0 || core_.vm_of(x.rd - kVirtRd) == unsigned(by.vm)) &&
                        guard_.same_line(x.intid, by.intid))
                        throw Unsupported(what + " reads the configuration of " + (by.vm < 0 ? "LPI " : "vINTID ") +
                                          std::to_string(x.intid) + ", and may have been published before " +
                                          by.what + " changed it");
            guard_.command(a.t_earliest.value_or(t), what, core_.touches(), taken, core_.last_sweep_events(), core_,
                           l.its);
            res.ran = true;
            res.status = status;
            if (status != 0 && p_.stall_policy) {
                stalled_ = true;
                out_.stall = StallResult{l.cmd_seq, ((l.cmd_seq - 1) * 32) % (p_.cmdq_slots * 32), status};
            }
        }
    }

    void msi(const TraceLine& l) {
        publish(l.t_ps);
        pos_ = l.pos;
        core_.clear_touches();
        core_.select_its(l.its);
        const MsiOutcome o = core_.translate(l.device, l.event);
        const auto taken = core_.settle();
        guard_.msi(l.t_ps, "msi " + std::to_string(l.msi_seq) + " (" + at(l) + ")", core_.touches(), taken, core_,
                   l.its);
        MsiResult& m = out_.msis.at(l.msi_seq - 1);
        m.delivered = o.delivered;
        m.intid = o.intid;
        m.cpu = o.cpu;
        m.reason = o.reason;
        m.virt = o.virt;
        m.vpeid = o.vpeid;
        m.doorbell = o.doorbell;
    }

    void sgi(const TraceLine& l) {
        publish(l.t_ps);
        pos_ = l.pos;
        core_.clear_touches();
        core_.select_its(l.its);
        core_.sgi(l.vpeid, l.vintid);
        const auto taken = core_.settle();
        guard_.msi(l.t_ps, "the sgi line at " + at(l), core_.touches(), taken, core_, l.its);
    }

    void residency(const TraceLine& l) {
        pos_ = l.pos;
        core_.clear_touches();
        if (l.op == TraceLine::Op::schedule) core_.schedule(l.cpu, l.vpeid);
        else core_.deschedule(l.cpu, l.doorbell);
        const auto taken = core_.settle();
        guard_.residency(l.t_ps, std::string("the ") + op_name(l.op) + " line at " + at(l), core_.touches(), taken,
                         core_);
    }

    void vlpi(const TraceLine& l) {
        const bool changed = core_.vconf_enabled(l.vpeid, l.vintid) != l.enable;
        const std::string what = "the vlpi line at " + at(l);
        const unsigned vm = core_.vm_of(l.vpeid);
        if (changed)
            for (Appended& a : unpublished_)
                if (a.t_earliest) a.later_lpis.push_back(LaterLpi{l.vintid, int(vm), what});
        guard_.vlpi(l.t_ps, what, vm, l.vintid, changed, core_);
        core_.write_vconf(l.vpeid, l.vintid, l.enable);
    }

    void lpi(const TraceLine& l) {
        if (l.intid >= p_.lpi_limit())
            throw Unsupported("lpi intid " + std::to_string(l.intid) + " is past the LPI range (the run refuses it)");
        const bool changed = core_.property_enabled(l.intid) != l.enable;
        const std::string what = "the lpi line at " + at(l);
        if (changed)
            for (Appended& a : unpublished_)
                if (a.t_earliest) a.later_lpis.push_back(LaterLpi{l.intid, -1, what});
        guard_.lpi(l.t_ps, what, l.intid, changed);
        core_.write_property(l.intid, l.enable);   // priority: nothing here depends on it
    }

    void write(const TraceLine& l) {
        const uint64_t lo = l.addr, hi = l.addr + l.size;
        if (lo < p_.trace_base || lo >= p_.trace_end || l.size > p_.trace_end - lo)
            throw Unsupported("write to " + hex(l.addr) +
                              " is outside the trace's RAM (a register or the agent's tables)");
        for (const auto& [a, b] : itt_spans_)
            if (lo < b && a < hi)
                throw Unsupported("write to " + hex(l.addr) + " stores into the ITT at " + hex(a) +
                                  " that a MAPD of the trace names");
    }

    const Trace& trace_;
    Platform p_;
    Core core_;
    RaceGuard guard_;
    Result& out_;
    std::deque<Appended> unpublished_;
    std::vector<std::pair<uint64_t, uint64_t>> itt_spans_;
    uint64_t prev_t_ = 0;
    std::vector<uint64_t> appended_since_wait_;   // per ITS
    std::vector<bool> early_;                     // per ITS
    bool stalled_ = false;

public:
    SourcePos pos_;   // the line (or command) being replayed, for messages
    const Core& core() const { return core_; }
    const RaceGuard& guard() const { return guard_; }
};

}  // namespace

Result run(const Trace& trace, const Params& params, const Options& opt) {
    Result r;
    r.platform = platform_from(params);
    r.commands.resize(trace.cmd_count);
    r.msis.resize(trace.msi_count);
    for (const TraceLine& l : trace.lines) {
        if (l.op == TraceLine::Op::cmd) {
            r.commands.at(l.cmd_seq - 1).cmd = l.cmd;
            r.commands.at(l.cmd_seq - 1).pos = l.pos;
        } else if (l.op == TraceLine::Op::msi) {
            MsiResult& m = r.msis.at(l.msi_seq - 1);
            m.device = l.device;
            m.event = l.event;
            m.pos = l.pos;
        }
    }
    Timing timing = opt.timing ? *opt.timing : timing_for(params);
    timing.enabled = opt.race_guard;
    Replayer rp(trace, r.platform, timing, r);
    // Several queues stalling on their own are not predicted.
    if (r.platform.its_count > 1 && r.platform.stall_policy) {
        r.comparable = false;
        r.unsupported = "unsupported: error_policy=stall with its.count=" + std::to_string(r.platform.its_count);
        return r;
    }
    try {
        rp.run();
    } catch (const Unsupported& e) {
        r.comparable = false;
        r.unsupported = std::string("unsupported: ") + e.what() + ", " + rp.pos_.str();
    }
    // Virtual acknowledges are counted under vkey(vPEID).
    auto counts = [&](const std::pair<uint32_t, uint32_t>& key) -> AckCount& {
        return is_vkey(key.first) ? r.vacks[{key.first - kVirtRd, key.second}] : r.acks[key];
    };
    for (const auto& [key, n] : rp.core().acks()) counts(key) = AckCount{n, n};
    for (const auto& [key, n] : rp.guard().uncertain()) {
        AckCount& a = counts(key);
        a.lo = a.hi > n ? a.hi - n : 0;
    }
    r.doorbells = rp.core().doorbells();
    r.pending = rp.core().pending();
    r.vsgi_pending = rp.core().vsgi_pending();
    r.notes = rp.guard().notes();
    if (rp.guard().notes_dropped())
        r.notes.push_back("... and " + std::to_string(rp.guard().notes_dropped()) + " more");
    return r;
}

Result run(const Trace& trace, const Options& opt) {
    Params params;
    for (const PlatformSetting& s : trace.platform) params.set(s.key, s.value, s.pos.str(), s.value_pos.str());
    return run(trace, params, opt);
}

std::vector<std::string> check_expects(const Result& r, const Trace& trace) {
    std::vector<std::string> out;
    if (!r.comparable) return out;
    for (const Expect& e : trace.expects) {
        const std::string where = e.pos.str() + ": ";
        switch (e.kind) {
        case Expect::Kind::cmd_ok:
        case Expect::Kind::cmd_error: {
            const CmdResult& c = r.commands.at(e.cmd - 1);
            const uint32_t want = e.kind == Expect::Kind::cmd_ok ? 0 : e.code;
            if (!c.ran)
                out.push_back(where + "cmd " + std::to_string(e.cmd) + ": expected " + status_text(want) +
                              ", reference: never runs (the queue stalled before it)");
            else if (c.status != want)
                out.push_back(where + "cmd " + std::to_string(e.cmd) + ": expected " + status_text(want) +
                              ", reference " + status_text(c.status));
            break;
        }
        case Expect::Kind::msi_delivered:
        case Expect::Kind::msi_dropped: {
            const MsiResult& m = r.msis.at(e.msi - 1);
            const std::string got = m.delivered ? "delivered as intid " + std::to_string(m.intid) + " to cpu " +
                                                      std::to_string(m.cpu)
                                                : "dropped (" + m.reason + ")";
            if (e.kind == Expect::Kind::msi_dropped ? m.delivered
                                                    : !m.delivered || m.intid != e.intid || m.cpu != e.cpu)
                out.push_back(where + "msi " + std::to_string(e.msi) + ": expected " +
                              (e.kind == Expect::Kind::msi_dropped
                                   ? std::string("dropped")
                                   : "intid " + std::to_string(e.intid) + " cpu " + std::to_string(e.cpu)) +
                              ", reference " + got);
            break;
        }
        case Expect::Kind::taken: {
            const AckCount a = r.ack(e.cpu, e.intid);
            if (e.count < a.lo || e.count > a.hi)
                out.push_back(where + "taken intid " + std::to_string(e.intid) + " cpu " + std::to_string(e.cpu) +
                              ": expected " + std::to_string(e.count) + ", reference " + std::to_string(a.lo) +
                              (a.exact() ? "" : ".." + std::to_string(a.hi)));
            break;
        }
        case Expect::Kind::msi_virtual: {
            const MsiResult& m = r.msis.at(e.msi - 1);
            if (!m.delivered || !m.virt || m.intid != e.vintid || m.vpeid != e.vpeid)
                out.push_back(where + "msi " + std::to_string(e.msi) + ": expected vintid " + std::to_string(e.vintid) +
                              " vpeid " + std::to_string(e.vpeid) + ", reference " +
                              (!m.delivered ? "dropped (" + m.reason + ")"
                               : m.virt     ? "vintid " + std::to_string(m.intid) + " vpeid " + std::to_string(m.vpeid)
                                            : "physical intid " + std::to_string(m.intid)));
            break;
        }
        case Expect::Kind::vtaken: {
            const AckCount a = r.vack(e.vpeid, e.vintid);
            if (e.count < a.lo || e.count > a.hi)
                out.push_back(where + "vtaken vintid " + std::to_string(e.vintid) + " vpeid " +
                              std::to_string(e.vpeid) + ": expected " + std::to_string(e.count) + ", reference " +
                              std::to_string(a.lo) + (a.exact() ? "" : ".." + std::to_string(a.hi)));
            break;
        }
        case Expect::Kind::doorbell: {
            auto it = r.doorbells.find(e.vpeid);
            const uint64_t n = it == r.doorbells.end() ? 0 : it->second;
            if (n != e.count)
                out.push_back(where + "doorbell vpeid " + std::to_string(e.vpeid) + ": expected " +
                              std::to_string(e.count) + ", reference " + std::to_string(n));
            break;
        }
        case Expect::Kind::vsgi_pending: break;   // GICR_VSGIPENDR reads are not predicted
        }
    }
    return out;
}

}  // namespace itsim::ref
