// The arrival times and EventIDs of a source (source_gen.h).
#include "sources/source_gen.h"

#include <cmath>

namespace itsim {

uint64_t SplitMix64::below(uint64_t n) {
    // Lemire: the high word of x * n is uniform on 0..n-1 once the low
    // words below 2^64 mod n are rejected.
    unsigned __int128 m = (unsigned __int128)next() * n;
    uint64_t low = uint64_t(m);
    if (low < n) {
        const uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = (unsigned __int128)next() * n;
            low = uint64_t(m);
        }
    }
    return uint64_t(m >> 64);
}

// ---------------------------------------------------------------- Zipf

ZipfSampler::ZipfSampler(uint64_t n, double s) : n_(n ? n : 1), s_(s) {
    u_lo_ = H(1.5) - 1.0;
    u_hi_ = H(double(n_) + 0.5);
}

double ZipfSampler::h(double x) const { return std::exp(-s_ * std::log(x)); }

double ZipfSampler::H(double x) const {
    const double lx = std::log(x);
    const double a = 1.0 - s_;
    if (a == 0) return lx;
    return std::expm1(a * lx) / a;
}

double ZipfSampler::H_inv(double y) const {
    const double a = 1.0 - s_;
    if (a == 0) return std::exp(y);
    double t = y * a;
    if (t <= -1.0) t = -1.0 + 1e-300;  // floating-point edge of the domain
    return std::exp(std::log1p(t) / a);
}

uint64_t ZipfSampler::sample(SplitMix64& rng) const {
    if (n_ == 1) return 1;
    for (;;) {
        const double u = u_lo_ + rng.uniform01() * (u_hi_ - u_lo_);
        const double x = H_inv(u);
        double kd = std::floor(x + 0.5);
        if (!(kd >= 1)) kd = 1;   // also NaN
        if (kd > double(n_)) kd = double(n_);
        if (u >= H(kd + 0.5) - h(kd)) return uint64_t(kd);
    }
}

// ---------------------------------------------------------------- arrivals

uint64_t arrival_seed(uint64_t seed) { return SplitMix64(seed ^ 0x0A11).next(); }
uint64_t event_seed(uint64_t seed) { return SplitMix64(seed ^ 0xE7E7).next(); }

namespace {
constexpr uint64_t kPsPerSecondMilli = 1000000000000000ull;  // 10^15: ps per s, times 1000 (mHz)

bool add(uint64_t a, unsigned __int128 b, uint64_t& out) {
    const unsigned __int128 r = (unsigned __int128)a + b;
    if (r > UINT64_MAX) return false;
    out = uint64_t(r);
    return true;
}
}  // namespace

ArrivalClock::ArrivalClock(const SourceSpec& s, uint64_t start_ps, uint64_t seed)
    : pattern_(s.pattern), rate_mhz_(s.rate_mhz ? s.rate_mhz : 1), start_(start_ps), rng_(arrival_seed(seed)) {
    mean_ps_ = double(kPsPerSecondMilli) / double(rate_mhz_);
    if (pattern_ == SourceSpec::Pattern::burst) {
        burst_n_ = s.burst_n ? s.burst_n : 1;
        const unsigned __int128 c = (unsigned __int128)offset(burst_n_ - 1) + s.burst_gap_ps;
        cycle_ps_ = c > UINT64_MAX ? UINT64_MAX : uint64_t(c);
    } else if (pattern_ == SourceSpec::Pattern::onoff) {
        on_ps_ = s.on_ps ? s.on_ps : 1;
        const unsigned __int128 c = (unsigned __int128)on_ps_ + s.off_ps;
        cycle_ps_ = c > UINT64_MAX ? UINT64_MAX : uint64_t(c);
    }
}

uint64_t ArrivalClock::offset(uint64_t k) const {
    const unsigned __int128 o = (unsigned __int128)k * kPsPerSecondMilli / rate_mhz_;
    return o > UINT64_MAX ? UINT64_MAX : uint64_t(o);
}

bool ArrivalClock::next(uint64_t& t) {
    if (done_) return false;
    bool ok = true;
    switch (pattern_) {
    case SourceSpec::Pattern::periodic:
        ok = add(start_, offset(k_), t);
        ++k_;
        break;
    case SourceSpec::Pattern::poisson:
        if (k_ == 0) {
            t = start_;
        } else {
            const double gap = std::nearbyint(-std::log1p(-rng_.uniform01()) * mean_ps_);
            ok = gap < 1.8e19 && add(last_, (unsigned __int128)gap, t);
        }
        last_ = t;
        ++k_;
        break;
    case SourceSpec::Pattern::burst: {
        const unsigned __int128 base = (unsigned __int128)group_ * cycle_ps_ + offset(k_);
        ok = add(start_, base, t);
        if (++k_ == burst_n_) {
            k_ = 0;
            ++group_;
        }
        break;
    }
    case SourceSpec::Pattern::onoff: {
        uint64_t off = offset(k_);
        if (off >= on_ps_) {  // this on period is over: the next cycle's first MSI
            ++group_;
            k_ = 0;
            off = 0;
        }
        ok = add(start_, (unsigned __int128)group_ * cycle_ps_ + off, t);
        ++k_;
        break;
    }
    }
    if (!ok) done_ = true;
    return ok;
}

// ---------------------------------------------------------------- events

EventPicker::EventPicker(const SourceSpec& s, uint64_t seed)
    : first_(s.event_first),
      n_(s.events()),
      zipf_(s.popularity == SourceSpec::Popularity::zipf),
      zipf_sampler_(zipf_ ? ZipfSampler(n_, s.zipf_s) : ZipfSampler()),
      rng_(event_seed(seed)) {}

uint32_t EventPicker::next() {
    const uint64_t i = zipf_ ? zipf_sampler_.sample(rng_) - 1 : rng_.below(n_);
    return uint32_t(first_ + i);
}

// ---------------------------------------------------------------- source

SourceGen::SourceGen(const SourceSpec& s, uint64_t start_ps, uint64_t seed)
    : clock_(s, start_ps, seed), events_(s, seed), count_(s.count), until_(s.until_ps), has_until_(s.has_until) {}

bool SourceGen::next(uint64_t& t_ps, uint32_t& event) {
    if (done_ || (count_ && sent_ >= count_)) return false;
    uint64_t t = 0;
    if (!clock_.next(t) || (has_until_ && t >= until_)) {
        done_ = true;   // arrivals never go back: done for good
        return false;
    }
    t_ps = t;
    event = events_.next();
    ++sent_;
    return true;
}

}  // namespace itsim
