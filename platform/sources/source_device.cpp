// SourceDevice and SourceSet (source_device.h).
#include "sources/source_device.h"

#include <algorithm>

#include "itsim/common/msi_ext.h"
#include "system.h"
#include "trace/event_log.h"
#include "trace/trace.h"

namespace itsim {

SourceDevice::SourceDevice(sc_core::sc_module_name name, const SourceSpec& spec, uint64_t seed,
                           uint64_t translater, TimingMode mode, std::function<uint64_t(uint64_t)> issue)
    : sc_module(name),
      port("port"),
      spec_(spec),
      seed_(seed),
      translater_(translater),
      mode_(mode),
      issue_(std::move(issue)),
      bus_(port, false) {
    port.register_invalidate_direct_mem_ptr(this, &SourceDevice::invalidate);
    SC_HAS_PROCESS(SourceDevice);
    SC_THREAD(run);
}

void SourceDevice::start(uint64_t t_ps) {
    if (started_) return;
    started_ = true;
    const uint64_t now = sc_core::sc_time_stamp().value();
    start_ps_ = t_ps < now ? now : t_ps;
    start_ev_.notify(sc_core::sc_time::from_value(start_ps_ - now));
}

void SourceDevice::run() {
    sc_core::wait(start_ev_);
    SourceGen gen(spec_, start_ps_, seed_);
    uint64_t t = 0;
    uint32_t event = 0;
    while (gen.next(t, event)) {
        const uint64_t now = sc_core::sc_time_stamp().value();
        if (t > now) sc_core::wait(sc_core::sc_time::from_value(t - now));
        // Late (the bus held the last write past this arrival): it leaves now.
        const uint64_t at = sc_core::sc_time_stamp().value();
        MsiExtension ext(spec_.device, issue_(at));
        ++sent_;
        uint8_t buf[4];
        for (int i = 0; i < 4; ++i) buf[i] = uint8_t(event >> (8 * i));
        Timeline posted(mode_);
        bus_.access(tlm::TLM_WRITE_COMMAND, translater_, buf, 4, posted, &ext);
    }
}

// ---------------------------------------------------------------- SourceSet

void check_sources(const Trace& trace, unsigned its_count) {
    for (const TraceLine& l : trace.lines)
        if (l.op == TraceLine::Op::source && trace.sources.at(l.source).its >= its_count)
            throw TraceError(l.value_pos("its"), "its=" + std::to_string(trace.sources.at(l.source).its) +
                                                     " does not exist (its.count=" + std::to_string(its_count) + ")");
}

SourceSet::SourceSet(const Trace& trace, System& sys, const std::function<uint64_t(unsigned)>& translater)
    : trace_(trace), sys_(sys) {
    const uint64_t run_seed = sys.params().integer("seed");
    unsigned number = 0;
    for (const TraceLine& l : trace.lines) {
        if (l.op != TraceLine::Op::source) continue;
        const SourceSpec& spec = trace.sources.at(l.source);
        ++number;
        const uint64_t seed = source_seed(spec, run_seed, number);
        auto issue = [this](uint64_t t_ps) {
            const uint64_t tag = trace_.msi_count + ++sent_;
            sys_.note_msi_issued(tag, t_ps, /*grow=*/true);
            return tag;
        };
        devices_.push_back(std::make_unique<SourceDevice>(("source" + std::to_string(number)).c_str(), spec, seed,
                                                          translater(spec.its), sys.mode(), issue));
        devices_.back()->port.bind(sys.bus().targ_socket);
        line_of_.push_back(l.pos.line);
    }
}

SourceSet::~SourceSet() = default;

void SourceSet::start(const TraceLine& l, uint64_t now_ps) {
    // Trace::sources and the devices are both in file order.
    if (l.source < devices_.size()) devices_[l.source]->start(now_ps);
}

uint64_t SourceSet::planned_msis() const {
    uint64_t n = trace_.msi_count;
    for (const auto& dev : devices_) {
        if (!dev->spec().count || dev->spec().has_until) return 0;
        n += dev->spec().count;
    }
    return n;
}

uint64_t SourceSet::planned_end_ps() const {
    uint64_t end = trace_.end_ps;
    for (const auto& dev : devices_) {
        if (!dev->spec().has_until) return 0;
        end = std::max(end, dev->spec().until_ps);
    }
    return end;
}

void SourceSet::describe(JsonObject& head) const {
    if (devices_.empty()) return;
    head.set("msi_lines", trace_.msi_count + sent_);
    JsonArray list;
    for (size_t i = 0; i < devices_.size(); ++i) {
        const SourceDevice& dev = *devices_[i];
        JsonObject o;
        o.set("line", line_of_[i]).set("device", dev.spec().device).set("seed", dev.seed());
        o.set("start_ps", dev.start_ps()).set("msis", dev.sent());
        list.push_back(JsonValue(std::move(o)));
    }
    head.set("sources", JsonValue(std::move(list)));
}

}  // namespace itsim
