// What a source sends, computed from its SourceSpec and seed alone: the
// arrival time of each MSI and its EventID (docs/sources.md). Plain C++,
// testable without a simulation kernel; the SystemC side (source_device.h)
// only waits until each time and writes.
//
// Random numbers: SplitMix64 (a 64-bit counter through a fixed mixing
// function: the same numbers on every host), two streams per source, one
// for the arrival times and one for the EventIDs, seeded with
// seed ^ 0x0A11 and seed ^ 0xE7E7 through SplitMix64 itself, so that
// changing the popularity never moves an arrival.
//   uniform in [0,1): the top 53 bits / 2^53;
//   an integer below n: Lemire's multiply-and-shift with rejection (exact,
//   no modulo bias).
// Every object here is a handful of numbers: a source's memory does not
// grow with the MSIs it sends (static_asserts below).
#pragma once

#include <cstdint>
#include <type_traits>

#include "sources/source_spec.h"

namespace itsim {

class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed = 0) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform01() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    // Uniform on 0..n-1 (n >= 1).
    uint64_t below(uint64_t n);

private:
    uint64_t state_;
};

// Zipf's law on ranks 1..n: P(k) = k^-s / sum_{j=1..n} j^-s, s > 0.
// Method: rejection-inversion (W. Hoermann and G. Derflinger, "Rejection-
// inversion to generate variates from monotone discrete distributions",
// ACM TOMACS 6(3), 1996). With h(x) = x^-s and H an antiderivative of h,
// a uniform u on [H(1.5) - 1, H(n + 0.5)) is inverted, x = H^-1(u), and
// k = round(x) (clamped to 1..n) is accepted when u >= H(k + 0.5) - h(k):
// the accepted u of rank k fill an interval of length h(k) (inside
// [H(k-0.5), H(k+0.5)) because h is convex), so P(k) is exactly h(k) over
// their sum. Every candidate is tested (the paper's quick-accept squeeze is
// left out); a little over one uniform per sample whatever n and s, O(1)
// memory and set-up. H and its inverse go through expm1/log1p, stable for
// s near 1 (s = 1 itself: H = ln).
class ZipfSampler {
public:
    ZipfSampler() = default;
    ZipfSampler(uint64_t n, double s);
    uint64_t sample(SplitMix64& rng) const;  // 1..n
    uint64_t n() const { return n_; }
    double s() const { return s_; }

private:
    double h(double x) const;       // x^-s
    double H(double x) const;       // (x^(1-s) - 1) / (1-s), log x when s = 1
    double H_inv(double y) const;
    uint64_t n_ = 1;
    double s_ = 1;
    double u_lo_ = 0, u_hi_ = 0;
};

// The arrival times of a source that starts at `start_ps` (count and
// until are the caller's business). Periodic times are exact: MSI k of a
// period P = 10^15 / rate_mhz ps is at start + floor(k * P) (integer
// arithmetic, so the long-run rate is exact too). Every pattern sends its
// first MSI at start_ps.
//   periodic        start + floor(k P)
//   poisson         gaps independent and exponential with mean P, each
//                   rounded to the nearest picosecond: -ln(1 - U) P
//   burst:N,GAP     bursts of N at period P; burst j starts at
//                   start + j (floor((N-1) P) + GAP)
//   onoff:ON,OFF    cycles of ON + OFF from start; in each, MSIs at period
//                   P from the cycle's start while before ON
class ArrivalClock {
public:
    ArrivalClock(const SourceSpec& spec, uint64_t start_ps, uint64_t seed);
    // The next arrival's time (non-decreasing); false once past 2^64-1 ps.
    bool next(uint64_t& t_ps);

private:
    uint64_t offset(uint64_t k) const;  // floor(k * 10^15 / rate_mhz), saturating
    SourceSpec::Pattern pattern_;
    uint64_t rate_mhz_, start_;
    uint64_t burst_n_ = 1, cycle_ps_ = 0, on_ps_ = 0;
    double mean_ps_ = 0;
    SplitMix64 rng_;
    uint64_t k_ = 0;        // MSIs so far (periodic), or within the burst/cycle
    uint64_t group_ = 0;    // burst or on/off cycle number
    uint64_t last_ = 0;     // poisson: the last arrival
    bool done_ = false;
};

// The EventIDs of a source: uniform or Zipf over events A..B, rank 1 = A.
class EventPicker {
public:
    EventPicker(const SourceSpec& spec, uint64_t seed);
    uint32_t next();

private:
    uint32_t first_;
    uint64_t n_;
    bool zipf_;
    ZipfSampler zipf_sampler_;
    SplitMix64 rng_;
};

// A whole source: arrivals, EventIDs, count and until.
class SourceGen {
public:
    SourceGen(const SourceSpec& spec, uint64_t start_ps, uint64_t seed);
    // The next MSI (time, EventID); false when the source is done.
    bool next(uint64_t& t_ps, uint32_t& event);
    uint64_t sent() const { return sent_; }

private:
    ArrivalClock clock_;
    EventPicker events_;
    uint64_t count_, until_;
    bool has_until_;
    uint64_t sent_ = 0;
    bool done_ = false;
};

static_assert(std::is_trivially_copyable_v<SourceGen>, "a source's state is a few numbers, O(1) in its MSIs");

// The streams' seeds from a source's seed.
uint64_t arrival_seed(uint64_t seed);
uint64_t event_seed(uint64_t seed);

}  // namespace itsim
