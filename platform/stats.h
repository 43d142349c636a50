// Latency statistics of a run: per MSI stage, per command type, end to end.
// Plain C++ over the records the models report (models/common/records.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace itsim {

// A distribution of durations in picoseconds.
class Distribution {
public:
    void add(uint64_t ps) { samples_.push_back(ps); sorted_ = false; }
    size_t count() const { return samples_.size(); }
    double mean() const;
    // Nearest-rank percentile (p in [0,100]); 0 when empty.
    uint64_t percentile(double p) const;
    uint64_t max() const { return percentile(100); }
    uint64_t min() const { return percentile(0); }
    // {"count":..,"mean_ps":..,"p50_ps":..,"p90_ps":..,"p99_ps":..,"max_ps":..}
    std::string to_json() const;
    const std::vector<uint64_t>& samples() const;

private:
    void sort() const;
    mutable std::vector<uint64_t> samples_;
    mutable bool sorted_ = true;
};

// Named distributions kept in insertion order of their first sample so the
// output order is stable.
class DistributionSet {
public:
    Distribution& operator[](const std::string& name);
    const std::vector<std::pair<std::string, Distribution>>& items() const { return items_; }
    std::string to_json() const;

private:
    std::vector<std::pair<std::string, Distribution>> items_;
};

// Nearest-rank percentile of ascending samples (p in [0,100]); 0 when empty.
uint64_t nearest_rank(const std::vector<uint64_t>& sorted, double p);

// The MSI latency definitions, shared by the statistics file (--stats) and
// `itsim plot` (which reads them back from the event log), so the two can
// never disagree. Stages of a delivered MSI: bus (issued -> accepted),
// ingress (-> started: ingress cycles and waiting for a translation slot),
// device_lookup, event_lookup, collection_lookup (each cache lookup and, on
// a miss, its table read), redistributor (hop, configuration lookup,
// pending update). End to end: write_to_pending; and, matching each
// acknowledge to the oldest MSI of that (cpu, intid) pending by then (later
// ones coalesced into it), pending_to_ack and write_to_ack.
struct MsiStamps {
    uint64_t issued = 0, accepted = 0, started = 0, device = 0, event = 0, collection = 0, pending = 0;
    uint32_t cpu = 0, intid = 0;
};
struct AckStamp {
    uint32_t cpu = 0, intid = 0;
    uint64_t t = 0;
};
constexpr const char* kMsiStageNames[6] = {"bus", "ingress", "device_lookup", "event_lookup",
                                           "collection_lookup", "redistributor"};
constexpr const char* kMsiTotalNames[3] = {"write_to_pending", "pending_to_ack", "write_to_ack"};
struct MsiLatencies {
    std::vector<uint64_t> stages[6];   // one sample per delivered MSI, in MSI order
    std::vector<uint64_t> totals[3];   // write_to_pending per MSI; the others per matched acknowledge
};
MsiLatencies msi_latencies(const std::vector<MsiStamps>& delivered, const std::vector<AckStamp>& acks);

// Format picoseconds for people: "1.234 us", "56 ns", "780 ps".
std::string human_time(double ps);

}  // namespace itsim
