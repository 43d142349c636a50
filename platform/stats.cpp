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

const std::vector<uint64_t>& Distribution::samples() const {
    sort();
    return samples_;
}

double Distribution::mean() const {
    if (samples_.empty()) return 0;
    long double sum = 0;
    for (uint64_t s : samples_) sum += s;
    return double(sum / samples_.size());
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
    sort();
    return nearest_rank(samples_, p);
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
    return buf;
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
