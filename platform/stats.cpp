#include "stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

uint64_t Distribution::percentile(double p) const {
    if (samples_.empty()) return 0;
    sort();
    if (p <= 0) return samples_.front();
    // Nearest rank: the smallest sample with at least p% of samples <= it.
    size_t rank = size_t(std::ceil(p / 100.0 * double(samples_.size())));
    if (rank < 1) rank = 1;
    if (rank > samples_.size()) rank = samples_.size();
    return samples_[rank - 1];
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
