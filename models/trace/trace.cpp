#include "itsim/trace/trace.h"

#include <functional>
#include <utility>

namespace itsim {

void trace(sc_core::sc_trace_file* tf, Its& its, const std::string& prefix) {
    if (!tf) return;
    // Keep the probe up to date (Its: only while someone listens).
    std::function<void()> before = std::move(its.on_probe);
    its.on_probe = [before = std::move(before)] {
        if (before) before();
    };
    const ItsProbe& p = its.probe();
    const std::string n = prefix + ".";
    sc_core::sc_trace(tf, p.enabled, n + "enabled");
    sc_core::sc_trace(tf, p.creadr, n + "cmdq.creadr", 20);
    sc_core::sc_trace(tf, p.cwriter, n + "cmdq.cwriter", 20);
    sc_core::sc_trace(tf, p.queue_occupancy, n + "cmdq.occupancy", 16);
    sc_core::sc_trace(tf, p.engine, n + "engine.state", 2);
    sc_core::sc_trace(tf, p.opcode, n + "engine.opcode", 8);
    sc_core::sc_trace(tf, p.commands_done, n + "engine.commands", 32);
    sc_core::sc_trace(tf, p.ingress_occupancy, n + "xlate.ingress", 16);
    sc_core::sc_trace(tf, p.translations_active, n + "xlate.active", 16);
    sc_core::sc_trace(tf, p.msis_done, n + "xlate.msis", 32);
    sc_core::sc_trace(tf, p.reads_in_flight, n + "mem.reads", 16);
    sc_core::sc_trace(tf, p.writes_in_flight, n + "mem.writes", 16);
    const std::pair<const char*, const CacheStats*> caches[] = {
        {"device", &its.device_cache_stats()},
        {"event", &its.event_cache_stats()},
        {"collection", &its.collection_cache_stats()},
    };
    for (const auto& [name, st] : caches) {
        sc_core::sc_trace(tf, st->hits, n + "cache." + name + ".hits", 32);
        sc_core::sc_trace(tf, st->misses, n + "cache." + name + ".misses", 32);
    }
}

void trace(sc_core::sc_trace_file* tf, const Redistributor& rd, const std::string& prefix) {
    if (!tf) return;
    const std::string n = prefix + ".";
    sc_core::sc_trace(tf, rd.irq, n + "irq");
    const RedistStats& st = rd.stats();
    sc_core::sc_trace(tf, st.set_pending, n + "set_pending", 32);
    sc_core::sc_trace(tf, st.cleared, n + "cleared", 32);
    sc_core::sc_trace(tf, st.acks, n + "acks", 32);
}

}  // namespace itsim
