// A scripted redistributor with priorities, for the CPU interface's
// priority, preemption and virtual-interface tests (no Redistributor): a
// set of pending physical interrupts and one of virtual ones, each with a
// priority; acknowledge() takes the highest (lowest value, ties to the lower
// INTID) at once, with no signal latency, so every expected time follows
// from the CPU's latencies alone. A line is high while its set is not
// empty. Direct drive as the Redistributor does it (one event, one method):
// line_rose()/vline_rose() at a rise, priority_rose() when a new interrupt
// beats every one pending while its line was high (only if the CPU asks for
// it), wake() at the time asked. With `direct` false only the physical
// signal and the CPU's own timer work.
#pragma once

#include <functional>
#include <vector>

#include "itsim/cpu/cpu_interface.h"

namespace itsim::cputest {

using sc_core::sc_time;
using sc_core::SC_NS;

inline uint64_t ps(const sc_time& t) { return uint64_t(t / sc_time(1, sc_core::SC_PS) + 0.5); }

struct Pend {
    uint32_t id = 0;
    uint8_t prio = 0;
    uint32_t vpeid = 0;
    uint64_t raised_ps = 0;
};

struct Eoi {
    bool virt = false;
    uint32_t id = 0;
    uint64_t t_ps = 0;
};

struct PrioRd : sc_core::sc_module, RedistCpuIf {
    sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> line{"line"};
    std::vector<Pend> phys, virt;
    std::vector<Eoi> eois;
    std::vector<uint64_t> ack_times, vack_times;
    std::function<void(PrioRd&)> script;
    bool direct = true;
    CpuLink* cpu = nullptr;
    bool level = false, vlevel = false;
    bool rise_due = false, vrise_due = false, prio_due = false, wake_due = false;
    unsigned priority_rises = 0;
    sc_time wake_at;
    sc_core::sc_event ev;
    Pend last, vlast;

    SC_HAS_PROCESS(PrioRd);
    explicit PrioRd(sc_core::sc_module_name n) : sc_module(n) {
        SC_THREAD(run);
        SC_METHOD(tick);
        sensitive << ev;
        dont_initialize();
    }
    void run() {
        if (script) script(*this);
    }
    static size_t best(const std::vector<Pend>& v) {
        size_t b = 0;
        for (size_t i = 1; i < v.size(); ++i)
            if (v[i].prio < v[b].prio || (v[i].prio == v[b].prio && v[i].id < v[b].id)) b = i;
        return b;
    }
    static uint8_t best_prio(const std::vector<Pend>& v) { return v.empty() ? cpu_prio::kNone : v[best(v)].prio; }
    void add(std::vector<Pend>& v, bool& lvl, bool& due, Pend p) {
        p.raised_ps = ps(sc_core::sc_time_stamp());
        const uint8_t before = best_prio(v);
        v.push_back(p);
        if (!lvl) {
            lvl = true;
            if (&v == &phys) line.write(true);
            if (cpu) due = true;
        } else if (cpu && p.prio < before && cpu->wants_priority_updates()) {
            prio_due = true;
        }
        if (cpu) ev.notify(sc_core::SC_ZERO_TIME);
    }
    void raise(uint32_t id, uint8_t prio) { add(phys, level, rise_due, Pend{id, prio, 0, 0}); }
    void vraise(uint32_t vpeid, uint32_t vintid, uint8_t prio) {
        add(virt, vlevel, vrise_due, Pend{vintid, prio, vpeid, 0});
    }
    // A CLEAR: gone without an acknowledge (the line falls if it was the last).
    void clear(uint32_t id) {
        for (size_t i = 0; i < phys.size(); ++i)
            if (phys[i].id == id) {
                phys.erase(phys.begin() + long(i));
                break;
            }
        if (phys.empty() && level) {
            level = false;
            line.write(false);
        }
    }
    // Direct drive: raise at `at`, inside this module's method, before
    // the CPU's wake-up due at the same instant (a redistributor's tick
    // drives the line before it wakes the CPU).
    std::vector<std::pair<sc_time, Pend>> timed;
    void raise_at(const sc_time& at, uint32_t id, uint8_t prio) {
        timed.emplace_back(at, Pend{id, prio, 0, 0});
        rearm();
    }
    void rearm() {
        bool any = wake_due;
        sc_time next = wake_at;
        if (rise_due || vrise_due || prio_due) {   // a call still to make in this instant
            any = true;
            next = sc_core::sc_time_stamp();
        }
        for (const auto& r : timed)
            if (!any || r.first < next) {
                any = true;
                next = r.first;
            }
        ev.cancel();
        if (any) ev.notify(next - sc_core::sc_time_stamp());
    }
    void tick() {
        for (size_t i = 0; i < timed.size();) {
            if (timed[i].first <= sc_core::sc_time_stamp()) {
                const Pend p = timed[i].second;
                timed.erase(timed.begin() + long(i));
                raise(p.id, p.prio);
            } else {
                ++i;
            }
        }
        if (rise_due) {
            rise_due = false;
            cpu->line_rose();
        }
        if (vrise_due) {
            vrise_due = false;
            cpu->vline_rose();
        }
        if (prio_due) {
            prio_due = false;
            ++priority_rises;
            cpu->priority_rose();
        }
        if (wake_due && sc_core::sc_time_stamp() >= wake_at) {
            wake_due = false;
            cpu->wake();
        }
        rearm();
    }

    bool attach_cpu(CpuLink* c) override {
        if (!direct) return false;
        cpu = c;
        return true;
    }
    void wake_cpu_at(const sc_time& t) override {
        wake_due = true;
        wake_at = t;
        rearm();
    }
    bool line_level() const override { return level; }
    bool vline_level() const override { return vlevel; }
    uint8_t highest_pending_priority() const override { return best_prio(phys); }
    uint8_t highest_pending_vpriority() const override { return best_prio(virt); }

    uint32_t take(std::vector<Pend>& v, bool& lvl, Pend& out) {
        if (v.empty()) {
            out = Pend{};
            return 1023;
        }
        const size_t b = best(v);
        out = v[b];
        v.erase(v.begin() + long(b));
        if (v.empty()) {
            lvl = false;
            if (&v == &phys) line.write(false);
        }
        return out.id;
    }
    uint32_t acknowledge(Timeline& tl) override {
        ack_times.push_back(ps(tl.now()));
        return take(phys, level, last);
    }
    uint64_t last_ack_signalled_ps() const override { return last.raised_ps; }
    uint8_t last_ack_priority() const override { return last.prio; }
    void end_of_interrupt(uint32_t intid) override {
        eois.push_back(Eoi{false, intid, ps(sc_core::sc_time_stamp())});
    }
    uint32_t processor_number() const override { return 5; }

    uint32_t acknowledge_virtual(Timeline& tl) override {
        vack_times.push_back(ps(tl.now()));
        return take(virt, vlevel, vlast);
    }
    uint32_t last_vack_vpeid() const override { return vlast.vpeid; }
    uint64_t last_vack_signalled_ps() const override { return vlast.raised_ps; }
    uint8_t last_vack_priority() const override { return vlast.prio; }
    void end_of_virtual_interrupt(uint32_t vintid) override {
        eois.push_back(Eoi{true, vintid, ps(sc_core::sc_time_stamp())});
    }
};

// Latencies distinct enough that each expected time names its terms.
const sc_time kAck(30, SC_NS), kHandler(70, SC_NS), kVAck(40, SC_NS), kVHandler(90, SC_NS);
const sc_time T(100, SC_NS);

struct PrioBench {
    PrioRd rd{"rd"};
    CpuInterface cpu;
    std::vector<AckRecord> acks;
    std::vector<VackRecord> vacks;
    std::vector<std::pair<bool, uint32_t>> order;   // EOI order: (virtual, id)
    PrioBench(const CpuInterfaceConfig& c, bool direct = true) : cpu("cpu", c) {
        rd.direct = direct;
        cpu.irq(rd.line);
        cpu.rd(rd);
        cpu.on_ack = [this](const AckRecord& r) {
            acks.push_back(r);
            order.emplace_back(false, r.intid);
        };
        cpu.on_vack = [this](const VackRecord& r) {
            vacks.push_back(r);
            order.emplace_back(true, r.vintid);
        };
    }
    static CpuInterfaceConfig config(uint8_t pmr = 0xFF, bool preempt = false, unsigned bpr = 0) {
        CpuInterfaceConfig c;
        c.ack_latency = kAck;
        c.handler_latency = kHandler;
        c.vack_latency = kVAck;
        c.vhandler_latency = kVHandler;
        c.pmr = pmr;
        c.preempt = preempt;
        c.bpr = bpr;
        return c;
    }
    const AckRecord* ack(uint32_t intid) const {
        for (const AckRecord& a : acks)
            if (a.intid == intid) return &a;
        return nullptr;
    }
};

}  // namespace itsim::cputest
