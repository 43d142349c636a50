// CpuInterface: the stand-in for a core and its GIC CPU interface. It takes
// the interrupt line from its redistributor, acknowledges, runs a handler
// for a fixed time, ends the interrupt and takes the next one.
//
//   irq  sc_in<bool>: the redistributor's line (Redistributor::irq, through
//        an sc_signal<bool>). Must be bound.
//   rd   sc_port<RedistCpuIf>: the redistributor itself (bind `cpu.rd(redist)`).
//
// Sequence (times are simulated time; one handler at a time, no preemption):
//   1. the line is high and the core is idle: after ack_latency (the
//      ICC_IAR1_EL1 read) it calls rd->acknowledge(), which returns the
//      highest-priority enabled pending LPI and makes it not pending;
//      AckRecord.t_ps = that time, signalled_ps = rd->last_ack_signalled_ps().
//      1023 (nothing pending any more, e.g. a CLEAR won the race): a spurious
//      acknowledge, counted; the core goes idle, or, when the redistributor
//      says so (RedistCpuIf::ack_again: an LPI made pending less than a
//      signal latency ago, not yet visible, keeps the line high),
//      acknowledges again after ack_latency.
//   2. the handler runs for handler_latency; then rd->end_of_interrupt()
//      (ICC_EOIR1_EL1), AckRecord.eoi_ps = that time, and on_ack(record) is
//      called (once per acknowledged LPI, with every field filled in).
//   3. if the line is still high, the next acknowledge follows after
//      ack_latency (step 1); otherwise the core waits for the line to rise.
// A rise while the core is busy is taken at step 3.
//
// Processes. At the end of elaboration the CPU interface offers itself to
// its redistributor for direct drive (RedistCpuIf::attach_cpu, a CpuLink).
//   - Accepted (the Redistributor does): no process of its own runs. The
//     redistributor's one method calls line_rose() at the line's rising
//     edge and wake() at the times this CPU asks for (one wake-up armed at a
//     time); "the line is high" is rd->line_level(). Per interrupt that is
//     at most three activations of the redistributor's method (line rise,
//     acknowledge - the line falls in the same activation -, EOI) and none
//     here; the irq signal still carries the line.
//   - Refused (any other RedistCpuIf): a method on the line's rising edge
//     and a timer method (one sc_event armed at most once), as the line
//     alone tells; "the line is high" is irq.read().
// Both give the same times. Nothing runs while idle.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <systemc>

#include "itsim/common/config_fields.h"
#include "itsim/common/records.h"
#include "itsim/common/timeline.h"
#include "itsim/redist/redist_cpu_if.h"

namespace itsim {

struct CpuInterfaceConfig {
    // 20 ns: an ICC_IAR1_EL1 system-register read that goes to the GIC (tens of core cycles).
    sc_core::sc_time ack_latency = sc_core::sc_time(20, sc_core::SC_NS);
    // 200 ns: a short Linux handler (ack, a device register access, EOI).
    sc_core::sc_time handler_latency = sc_core::sc_time(200, sc_core::SC_NS);

    // By name, as `itsim params` spells them after "cpu." (config_fields.h).
    static const ConfigFields<CpuInterfaceConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct CpuInterfaceStats {
    uint64_t acks = 0;       // LPIs acknowledged
    uint64_t spurious = 0;   // acknowledges that returned 1023
    uint64_t eois = 0;
};

class CpuInterface : public sc_core::sc_module, public CpuLink {
public:
    sc_core::sc_in<bool> irq;
    sc_core::sc_port<RedistCpuIf> rd;

    // Called at each EOI with the complete record of that LPI.
    std::function<void(const AckRecord&)> on_ack;

    SC_HAS_PROCESS(CpuInterface);
    CpuInterface(sc_core::sc_module_name name, const CpuInterfaceConfig& cfg = CpuInterfaceConfig());

    const CpuInterfaceConfig& config() const { return cfg_; }
    const CpuInterfaceStats& stats() const { return stats_; }
    // Acknowledges per INTID.
    uint64_t acks(uint32_t intid) const;
    const std::unordered_map<uint32_t, uint64_t>& ack_counts() const { return ack_counts_; }
    // True while a handler runs or an acknowledge is on its way.
    bool busy() const { return state_ != State::idle; }
    // The redistributor drives this CPU interface (see "Processes").
    bool directly_driven() const { return direct_; }

    // ---- CpuLink (called by a redistributor that drives this CPU) ----
    void line_rose() override;
    void wake() override;

private:
    enum class State { idle, acking, handling };

    void end_of_elaboration() override;
    void edge_method();    // not driven directly: the line's rising edges
    void timer_method();   // not driven directly: the timer
    void start_ack(const sc_core::sc_time& now);
    void arm(const sc_core::sc_time& at);
    bool line_high() const { return direct_ ? rd->line_level() : irq.read(); }
    uint64_t to_ps(const sc_core::sc_time& t) const { return uint64_t(t / one_ps_ + 0.5); }

    CpuInterfaceConfig cfg_;
    sc_core::sc_time one_ps_;
    bool direct_ = false;
    bool edge_armed_ = false;
    sc_core::sc_event timer_;
    State state_ = State::idle;
    AckRecord cur_;
    CpuInterfaceStats stats_;
    std::unordered_map<uint32_t, uint64_t> ack_counts_;
};

}  // namespace itsim
