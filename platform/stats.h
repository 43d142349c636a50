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

// Format picoseconds for people: "1.234 us", "56 ns", "780 ps".
std::string human_time(double ps);

}  // namespace itsim
