#include "report.h"
#include "stats_v4.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "system.h"
#include "trace/event_log.h"

namespace itsim {

namespace {

double rate(uint64_t hits, uint64_t misses) {
    return hits + misses ? double(hits) / double(hits + misses) : 0.0;
}

std::string cache_json(const CacheStats& c) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "{\"hits\":%llu,\"misses\":%llu,\"evictions\":%llu,\"hit_rate\":%.4f}",
                  (unsigned long long)c.hits, (unsigned long long)c.misses, (unsigned long long)c.evictions,
                  rate(c.hits, c.misses));
    return buf;
}

CacheStats redist_config_cache(System& sys) {
    CacheStats t;
    for (unsigned i = 0; i < sys.cpus(); ++i) {
        const CacheStats& c = sys.redist(i).lpis().cache_stats();
        t.hits += c.hits;
        t.misses += c.misses;
        t.evictions += c.evictions;
        t.invalidations += c.invalidations;
    }
    return t;
}

std::string json_str(const std::string& s) {
    std::string out;
    json_escape(s, out);   // the event log's escaping: quotes, control characters, bad UTF-8
    return out;
}

}  // namespace

void write_stats_file(const std::string& path, const Trace& trace, System& sys, const RunTally& s,
                      double /*wall_s*/) {
    // Nothing here depends on the host (no wall time): two runs of the same
    // inputs write the same bytes.
    const uint64_t end_ps = sc_core::sc_time_stamp().value();
    std::ostringstream o;
    o << "{\"format\":1,\"trace\":" << json_str(trace.file) << ",\"seed\":" << sys.params().integer("seed")
      << ",\"mode\":" << json_str(sys.params().text("mode")) << ",\"sim_time_ps\":" << end_ps << ",\n";
    o << " \"msi\":{\"issued\":" << s.msis_issued << ",\"delivered\":" << s.msis_delivered
      << ",\"dropped\":" << s.msis_dropped << ",\"not_translated\":" << s.msis_lost << ",\n";
    o << "  \"stages\":" << s.msi_stages.to_json() << ",\n";
    o << "  \"latency\":" << s.msi_total.to_json() << "},\n";
    o << " \"commands\":{\"completed\":" << (s.commands_ok + s.commands_failed - s.commands_unretired)
      << ",\"not_retired\":" << s.commands_unretired << ",\"ok\":" << s.commands_ok
      << ",\"errors\":" << s.commands_failed << ",\"stalls\":" << s.stalls
      << ",\"max_queue_occupancy\":" << sys.its().stats().max_queue_occupancy
      << ",\n  \"latency_by_type\":" << s.commands.to_json() << "},\n";
    // Command-queue occupancy over the run, time-weighted: a command counts
    // from the CWRITER write that published it until CREADR moved past it.
    {
        const long double area = s.queue_area;
        const uint64_t busy = s.queue_busy_ps;
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      " \"command_queue\":{\"mean_occupancy\":%.4f,\"non_empty_fraction\":%.6f,\"max_occupancy\":%u},\n",
                      end_ps ? double(area / end_ps) : 0.0, end_ps ? double(busy) / double(end_ps) : 0.0,
                      sys.its().stats().max_queue_occupancy);
        o << buf;
    }
    o << " \"caches\":{\"its_device\":" << cache_json(sys.its().device_cache_stats())
      << ",\"its_event\":" << cache_json(sys.its().event_cache_stats())
      << ",\"its_collection\":" << cache_json(sys.its().collection_cache_stats())
      << ",\"redist_config\":" << cache_json(redist_config_cache(sys));
    if (has_gicv4(sys.version())) {
        // GICv4: the vPE caches (vPEID -> VTE), summed over the ITSs.
        CacheStats v = sys.its(0).vpe_cache_stats();
        for (unsigned n = 1; n < sys.its_count(); ++n) {
            const CacheStats& w = sys.its(n).vpe_cache_stats();
            v.hits += w.hits;
            v.misses += w.misses;
            v.evictions += w.evictions;
            v.invalidations += w.invalidations;
        }
        o << ",\"its_vpe\":" << cache_json(v);
    }
    o << "},\n";
    const ItsStats& is = sys.its().stats();
    o << " \"its\":{\"bus_reads\":" << is.bus_reads << ",\"bus_writes\":" << is.bus_writes
      << ",\"bus_errors\":" << is.bus_errors << ",\"read_slot_waits\":" << is.read_slot_waits
      << ",\"write_slot_waits\":" << is.write_slot_waits << ",\"ingress_waits\":" << is.ingress_waits
      << ",\"cache_fills_dropped\":" << sys.its().core().fills_dropped() << "},\n";
    {
        // Redistributor and CPU interface counters, summed over the CPUs.
        RedistStats t;
        uint64_t spurious = 0;
        for (unsigned i = 0; i < sys.cpus(); ++i) {
            const RedistStats& r = sys.redist(i).stats();
            t.set_pending += r.set_pending;
            t.already_pending += r.already_pending;
            t.refused_disabled += r.refused_disabled;
            t.refused_range += r.refused_range;
            t.cleared += r.cleared;
            t.invs += r.invs;
            t.invalls += r.invalls;
            t.lazy_overflows += r.lazy_overflows;
            t.lazy_flushes += r.lazy_flushes;
            spurious += sys.cpu(i).stats().spurious;
        }
        o << " \"redistributors\":{\"set_pending\":" << t.set_pending << ",\"already_pending\":" << t.already_pending
          << ",\"refused_disabled\":" << t.refused_disabled << ",\"refused_range\":" << t.refused_range
          << ",\"cleared\":" << t.cleared << ",\"invs\":" << t.invs << ",\"invalls\":" << t.invalls
          << ",\"lazy_overflows\":" << t.lazy_overflows << ",\"lazy_flushes\":" << t.lazy_flushes
          << ",\"spurious_acks\":" << spurious << "},\n";
    }
    o << " \"bus\":{";
    bool first = true;
    for (const BusMapping& m : sys.bus().mappings()) {
        const BusPortStats& b = sys.bus().port_stats(m.port);
        char buf[300];
        std::snprintf(buf, sizeof buf,
                      "%s\"%s\":{\"transactions\":%llu,\"busy_ps\":%llu,\"waiting_ps\":%llu,\"utilisation\":%.6f}",
                      first ? "" : ",", m.name.c_str(), (unsigned long long)b.transactions,
                      (unsigned long long)b.busy.value(), (unsigned long long)b.waiting.value(),
                      end_ps ? double(b.busy.value()) / double(end_ps) : 0.0);
        o << buf;
        first = false;
    }
    o << "},\n";
    const MemoryStats& ms = sys.ram().stats();
    o << " \"memory\":{\"reads\":" << ms.reads << ",\"writes\":" << ms.writes << ",\"bytes_read\":" << ms.bytes_read
      << ",\"bytes_written\":" << ms.bytes_written << ",\"errors\":" << ms.errors
      << ",\"resident_bytes\":" << sys.ram().store().resident_bytes() << "},\n";
    if (has_gicv4(sys.version())) o << " \"virtual\":" << virtual_latencies(sys).to_json() << ",\n";
    o << " \"config\":" << sys.params().to_json() << "}\n";
    std::ofstream f(path, std::ios::binary);
    if (!f) throw ConfigError(path + ": error: cannot write the statistics file");
    f << o.str();
}

void print_summary(std::ostream& os, const Trace& trace, System& sys, const RunTally& s, double wall_s) {
    const uint64_t end_ps = sc_core::sc_time_stamp().value();
    char buf[512];
    std::snprintf(buf, sizeof buf, "itsim: %s on %u CPUs, mode %s, seed %llu: %s simulated in %.2f s\n",
                  trace.file.c_str(), sys.cpus(), sys.params().text("mode").c_str(),
                  (unsigned long long)sys.params().integer("seed"), human_time(double(end_ps)).c_str(), wall_s);
    os << buf;
    os << "  commands: " << (s.commands_ok + s.commands_failed - s.commands_unretired) << " completed, "
       << s.commands_failed << " with errors, " << s.stalls << " stalls";
    if (s.commands_unretired) os << ", queue stalled at the end";
    if (s.timeouts) os << ", " << s.timeouts << " driver timeouts";
    os << "\n";
    os << "  MSIs:     " << s.msis_issued << " sent, " << s.msis_delivered << " delivered, "
       << s.msis_dropped << " dropped; " << s.acks << " interrupts taken\n";
    auto line = [&](const char* what, const Distribution& d) {
        if (!d.count()) return;
        std::snprintf(buf, sizeof buf, "  %-22s mean %-10s p50 %-10s p99 %-10s max %s\n", what,
                      human_time(d.mean()).c_str(), human_time(double(d.percentile(50))).c_str(),
                      human_time(double(d.percentile(99))).c_str(), human_time(double(d.max())).c_str());
        os << buf;
    };
    for (const auto& [n, d] : s.msi_total.items()) line(("MSI " + n).c_str(), d);
    for (const auto& [n, d] : s.commands.items()) line(n.c_str(), d);
    if (has_gicv4(sys.version())) {
        const DistributionSet v = virtual_latencies(sys);
        for (const auto& [n, d] : v.items()) line(n.c_str(), d);
    }
    auto hr = [](const CacheStats& c) { return 100.0 * rate(c.hits, c.misses); };
    std::snprintf(buf, sizeof buf,
                  "  cache hit rates: device %.1f%%, event %.1f%%, collection %.1f%%, LPI config %.1f%%\n",
                  hr(sys.its().device_cache_stats()), hr(sys.its().event_cache_stats()),
                  hr(sys.its().collection_cache_stats()), hr(redist_config_cache(sys)));
    os << buf;
    if (has_gicv4(sys.version())) {
        std::snprintf(buf, sizeof buf, "  vPE cache hit rate: %.1f%%\n", hr(sys.its(0).vpe_cache_stats()));
        os << buf;
    }
}

}  // namespace itsim
