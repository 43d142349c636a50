// Latency statistics of a run: per MSI stage, per command type, end to end.
// Plain C++ over the records the models report (models/common/records.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace itsim {

// A distribution of durations in picoseconds, in bounded memory: the
// first kExactSamples samples are kept as they are (percentiles are then
// exact, nearest-rank); past that the distribution becomes a histogram of
// logarithmic buckets (values below 2^kSigBits exactly, above them the top
// kSigBits significant bits), and a percentile is the middle of the bucket
// that holds its rank (kept within the least and greatest value that bucket
// saw), within kRelError of the exact value (relative). The count, the
// mean, the minimum and the maximum stay exact. Memory: at most
// kExactSamples samples, then 3 x 7424 counters, whatever the count.
class Distribution {
public:
    static constexpr size_t kExactSamples = size_t{1} << 16;
    static constexpr unsigned kSigBits = 8;
    // Half a bucket's width over its lower bound: 2^-kSigBits.
    static constexpr double kRelError = 1.0 / double(1u << kSigBits);

    // Inline: a run adds nine samples per MSI.
    void add(uint64_t ps) {
        if (count_ == 0 || ps < min_) min_ = ps;
        if (count_ == 0 || ps > max_) max_ = ps;
        ++count_;
        sum_lo_ += ps;
        sum_hi_ += sum_lo_ < ps;   // the carry
        if (buckets_.empty()) {
            samples_.push_back(ps);
            sorted_ = false;
            if (samples_.size() > kExactSamples) to_histogram();
            return;
        }
        count_into_bucket(ps);
    }
    size_t count() const { return count_; }
    double mean() const;
    // Nearest-rank percentile (p in [0,100]); 0 when empty.
    uint64_t percentile(double p) const;
    uint64_t max() const { return percentile(100); }
    uint64_t min() const { return percentile(0); }
    // True once past kExactSamples: percentiles within kRelError.
    bool approximate() const { return !buckets_.empty(); }
    // {"count":..,"mean_ps":..,"p50_ps":..,"p90_ps":..,"p99_ps":..,"max_ps":..}
    // and, when approximate, "rel_error":kRelError.
    std::string to_json() const;

    // The bucket of a value and the value a bucket stands for (its middle).
    static size_t bucket_of(uint64_t v) {
        constexpr uint64_t kExact = uint64_t{1} << kSigBits;
        if (v < kExact) return size_t(v);
        const unsigned top = 63u - unsigned(__builtin_clzll(v));   // floor(log2 v) >= kSigBits
        const unsigned e = top - (kSigBits - 1);
        const uint64_t m = v >> e;   // [2^(kSigBits-1), 2^kSigBits)
        return size_t(kExact + uint64_t(e - 1) * (kExact / 2) + (m - kExact / 2));
    }
    static uint64_t bucket_value(size_t b);

private:
    void sort() const;
    void to_histogram();
    mutable std::vector<uint64_t> samples_;   // exact phase
    mutable bool sorted_ = true;
    void count_into_bucket(uint64_t v) {
        Bucket& b = buckets_[bucket_of(v)];
        if (b.count++ == 0) b.min = b.max = v;
        b.min = std::min(b.min, v);
        b.max = std::max(b.max, v);
    }
    struct Bucket {   // histogram phase, by bucket_of: a bucket's count and range together
        uint64_t count = 0;
        uint64_t min = 0, max = 0;   // the least and greatest value it holds
    };
    std::vector<Bucket> buckets_;
    size_t count_ = 0;
    uint64_t sum_lo_ = 0, sum_hi_ = 0;   // the exact sum, 128 bits
    uint64_t min_ = 0, max_ = 0;
};

// Named distributions kept in insertion order of their first sample so the
// output order is stable.
class DistributionSet {
public:
    Distribution& operator[](const std::string& name);
    const std::vector<std::pair<std::string, Distribution>>& items() const { return items_; }
    // The i-th distribution in insertion order (a set made with all its
    // names up front, so a per-sample caller need not look names up).
    Distribution& item(size_t i) { return items_[i].second; }
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
