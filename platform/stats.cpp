#include "stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace itsim {

void Distribution::sort() const {
    if (!sorted_) {
        std::sort(samples_.begin(), samples_.end());
        sorted_ = true;
    }
}

uint64_t Distribution::bucket_value(size_t b) {
    constexpr uint64_t kExact = uint64_t{1} << kSigBits;
    if (b < kExact) return b;
    const unsigned e = unsigned((b - kExact) / (kExact / 2)) + 1;
    const uint64_t m = (b - kExact) % (kExact / 2) + kExact / 2;
    return (m << e) + (uint64_t{1} << (e - 1));   // the middle of [m 2^e, (m+1) 2^e)
}

void Distribution::to_histogram() {
    buckets_.assign(bucket_of(~uint64_t{0}) + 1, Bucket{});
    for (uint64_t s : samples_) count_into_bucket(s);
    std::vector<uint64_t>().swap(samples_);
    sorted_ = true;
}

double Distribution::mean() const {
    if (count_ == 0) return 0;
    // As the sum in long double always gave (exact below 2^64).
    const long double sum = sum_hi_ ? (long double)sum_hi_ * 18446744073709551616.0L + (long double)sum_lo_
                                    : (long double)sum_lo_;
    return double(sum / count_);
}

uint64_t nearest_rank(const std::vector<uint64_t>& v, double p) {
    if (v.empty()) return 0;
    if (p <= 0) return v.front();
    // The smallest sample with at least p% of samples <= it.
    size_t rank = size_t(std::ceil(p / 100.0 * double(v.size())));
    if (rank < 1) rank = 1;
    if (rank > v.size()) rank = v.size();
    return v[rank - 1];
}

uint64_t Distribution::percentile(double p) const {
    if (buckets_.empty()) {
        sort();
        return nearest_rank(samples_, p);
    }
    // The histogram: the bucket holding the nearest rank: its middle, within
    // the least and the greatest value it holds (exact when it holds one).
    if (p <= 0) return min_;
    if (p >= 100) return max_;
    uint64_t rank = uint64_t(std::ceil(p / 100.0 * double(count_)));
    if (rank < 1) rank = 1;
    if (rank > count_) rank = count_;
    uint64_t seen = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
        seen += buckets_[b].count;
        if (seen >= rank) return std::clamp(bucket_value(b), buckets_[b].min, buckets_[b].max);
    }
    return max_;
}

MsiLatencies msi_latencies(const std::vector<MsiStamps>& delivered, const std::vector<AckStamp>& acks) {
    MsiLatencies l;
    auto d = [](uint64_t a, uint64_t b) { return b >= a ? b - a : 0; };
    struct Pend {
        uint64_t pending, issued;
    };
    std::map<std::pair<uint32_t, uint32_t>, std::vector<Pend>> pend;
    for (const MsiStamps& m : delivered) {
        const uint64_t v[6] = {d(m.issued, m.accepted), d(m.accepted, m.started), d(m.started, m.device),
                               d(m.device, m.event),    d(m.event, m.collection), d(m.collection, m.pending)};
        for (size_t k = 0; k < 6; ++k) l.stages[k].push_back(v[k]);
        l.totals[0].push_back(d(m.issued, m.pending));
        pend[{m.cpu, m.intid}].push_back({m.pending, m.issued});
    }
    for (auto& [k, v] : pend)
        std::stable_sort(v.begin(), v.end(), [](const Pend& a, const Pend& b) { return a.pending < b.pending; });
    std::map<std::pair<uint32_t, uint32_t>, size_t> next;
    for (const AckStamp& a : acks) {
        auto it = pend.find({a.cpu, a.intid});
        if (it == pend.end()) continue;  // an INT command or SETLPIR made it pending
        size_t& i = next[{a.cpu, a.intid}];
        if (i >= it->second.size() || it->second[i].pending > a.t) continue;
        const Pend first = it->second[i];
        while (i < it->second.size() && it->second[i].pending <= a.t) ++i;
        l.totals[1].push_back(a.t - first.pending);
        l.totals[2].push_back(a.t - first.issued);
    }
    return l;
}

std::string Distribution::to_json() const {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "{\"count\":%zu,\"mean_ps\":%.1f,\"p50_ps\":%llu,\"p90_ps\":%llu,\"p99_ps\":%llu,\"max_ps\":%llu}",
                  count(), mean(), (unsigned long long)percentile(50), (unsigned long long)percentile(90),
                  (unsigned long long)percentile(99), (unsigned long long)max());
    std::string out = buf;
    if (approximate()) {   // past kExactSamples: say how close the percentiles are
        std::snprintf(buf, sizeof buf, ",\"rel_error\":%.6f}", kRelError);
        out.pop_back();
        out += buf;
    }
    return out;
}

Distribution& DistributionSet::operator[](const std::string& name) {
    for (auto& [n, d] : items_)
        if (n == name) return d;
    items_.emplace_back(name, Distribution{});
    return items_.back().second;
}

std::string DistributionSet::to_json() const {
    std::string out = "{";
    bool first = true;
    for (const auto& [n, d] : items_) {
        if (!first) out += ",";
        first = false;
        out += "\"" + n + "\":" + d.to_json();
    }
    return out + "}";
}

std::string human_time(double ps) {
    char buf[64];
    if (ps >= 1e12) std::snprintf(buf, sizeof buf, "%.3f s", ps / 1e12);
    else if (ps >= 1e9) std::snprintf(buf, sizeof buf, "%.3f ms", ps / 1e9);
    else if (ps >= 1e6) std::snprintf(buf, sizeof buf, "%.3f us", ps / 1e6);
    else if (ps >= 1e3) std::snprintf(buf, sizeof buf, "%.1f ns", ps / 1e3);
    else std::snprintf(buf, sizeof buf, "%.0f ps", ps);
    return buf;
}

}  // namespace itsim
