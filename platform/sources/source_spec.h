// MSI traffic sources: the `source` op of the stimulus trace (docs/sources.md,
// docs/trace-format.md "Sources"). One line describes a device that sends
// MSIs on its own from the moment the replay reaches the line:
//
//   [TIME] source device=D events=A-B rate=R [pattern=P] [popularity=Q]
//                 count=N | until=T [seed=S] [its=N]
//
// This header is the parsed form and the parser of one key's value; the
// trace reader (platform/trace) calls it for each key of a `source` line and
// turns an error into "FILE:LINE:COLUMN: error: MESSAGE" with COLUMN at
// value_column + SourceKeyError::offset. Plain C++, no simulation kernel.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace itsim {

struct SourceSpec {
    enum class Pattern { periodic, poisson, burst, onoff };
    enum class Popularity { uniform, zipf };

    uint32_t device = 0;
    uint32_t event_first = 0, event_last = 0;  // inclusive
    // Mean MSI rate while sending, in millihertz (rate=1MHz: 10^9). The
    // period is 10^15 / rate_mhz picoseconds, kept as that fraction.
    uint64_t rate_mhz = 0;
    Pattern pattern = Pattern::periodic;
    uint64_t burst_n = 0;       // burst:N,GAP: N MSIs a burst (N >= 1) ...
    uint64_t burst_gap_ps = 0;  // ... then GAP from a burst's last MSI to the next's first
    uint64_t on_ps = 0;         // onoff:ON,OFF: send for ON (> 0), then silent for OFF
    uint64_t off_ps = 0;
    Popularity popularity = Popularity::uniform;
    double zipf_s = 0;          // zipf:S, S > 0
    uint64_t count = 0;         // count=N (0: not given)
    uint64_t until_ps = 0;      // until=T: no MSI at or after T (absolute)
    bool has_until = false;
    uint64_t seed = 0;
    bool has_seed = false;      // false: the run derives it (source_seed())
    unsigned its = 0;           // its=N (0..15): the ITS the MSIs go to

    uint64_t events() const { return uint64_t(event_last) - event_first + 1; }
};

// The keys of a source line, for messages: "device events rate pattern
// popularity count until seed its".
const char* source_key_list();

struct SourceKeyError {
    std::string message;
    unsigned offset = 0;  // bytes into the value where the error is
};

// Parses `value` of `key` into `spec`. False with `err` set when the key
// is unknown (offset 0, the caller points at the key) or the value is bad.
bool parse_source_key(SourceSpec& spec, std::string_view key, std::string_view value, SourceKeyError& err,
                      bool& unknown_key);

// Checks of the whole line once every key is read: count or until (or
// both) given, device/events/rate present (`missing` names the first
// absent key; empty when none). `start_ps` is the line's time: until must
// be after it.
std::string check_source_line(const SourceSpec& spec, bool seen_device, bool seen_events, bool seen_rate,
                              uint64_t start_ps, std::string& missing_key);

// The seed a source runs with: its own seed=, or else one derived from the
// run's `seed` parameter and the source's number (1-based, file order) by
// SplitMix64's finaliser, so that two sources without seed= differ.
uint64_t source_seed(const SourceSpec& spec, uint64_t run_seed, unsigned source_number);

// "1MHz", "2.5kHz", "3Hz", "0.5Hz": exact rendering of a rate.
std::string format_rate(uint64_t rate_mhz);

}  // namespace itsim
