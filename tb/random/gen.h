// Constrained-random workloads for the scoreboard (issue 8): a seeded
// generator of Linux-like but adversarial stimulus traces (trace-format.md).
//
// A trace is a pure function of (seed, flavour): the same seed always gives
// the same text, on every machine (the generator's own PRNG, splitmix64, no
// std:: distributions). The text starts with a comment naming the seed and
// the flavour and carries `platform seed=SEED`, so a failing run names what
// reproduces it.
//
// What one trace holds (the choices drawn from the seed):
//   platform  1-16 CPUs; error policy ignore|stall; flat or two-level device
//             and collection tables, 4K/16K/64K pages; ITS caches on (small,
//             so that they evict) or off; the configuration cache on or
//             off with 1- or 64-byte lines; pending table lazy (a small
//             dirty limit, so that it overflows) or through.
//   bring-up  one collection per CPU and a few more, devices with various
//             ITT sizes (DeviceIDs anywhere in 16 bits), MAPTI/MAPI of some
//             of their events, LPI properties with INV/INVALL + SYNC, as
//             the Linux driver does.
//   steps     MSIs (mapped, unmapped device, event past the ITT, unmapped
//             collection), MOVI and MOVALL with and without pending state,
//             MAPC remap and unmap, MAPD remap and unmap, MAPTI/MAPI new and
//             over an existing ITE, DISCARD, INT/CLEAR, property changes
//             with INV/INVALL, SYNC, commands that fail (every error class:
//             DeviceID/EventID/ICID/RDbase/Size/pINTID out of range,
//             unmapped device/collection/interrupt, unknown opcodes).
// Flavours:
//   calm   timing-independent: every batch holds at most one command that
//          changes interrupt state and is drained before anything else
//          happens; MSIs are spaced far beyond the acknowledge and handler
//          time; every property change is followed by an INVALL on every
//          redistributor and a SYNC before the LPI can be made pending.
//          The reference model (tb/ref) predicts every command status,
//          every MSI's translation or drop reason and the acknowledge count
//          of every (CPU, INTID) exactly.
//   dense  anything at any time: batches published with CWRITER writes
//          nanoseconds apart while the ITS fetches, MSIs right around the
//          acknowledges of the same LPI, commands racing MSIs, property
//          changes without invalidation, several CPUs at once. Only the
//          invariants (itsim check) hold it.
//   v4     GICv4 (gen_v4.cpp): gic.version 4.0 or 4.1, its.count 1 or 2,
//          V commands, vMSIs, schedule/deschedule, doorbells, vSGIs; timing-
//          independent as calm is, so the reference predicts it exactly. Its
//          random stream is its own: calm and dense traces are as before.
#pragma once

#include <cstdint>
#include <string>

namespace itsim::gen {

enum class Flavour { calm, dense, v4 };
const char* to_string(Flavour f);

struct Options {
    Flavour flavour = Flavour::calm;
    unsigned steps = 0;   // 0: drawn from the seed (calm 20-60, dense 40-160)
};

// The trace text for `seed`.
std::string generate(uint64_t seed, const Options& opt = {});
// The v4 flavour's (generate() calls it for Flavour::v4).
std::string generate_v4(uint64_t seed, const Options& opt);

// splitmix64: the generator's PRNG (exposed for tests).
class Rng {
public:
    explicit Rng(uint64_t seed) : s_(seed) {}
    uint64_t next();
    // Uniform in [0, n) (n >= 1), [lo, hi], and true with probability p/100.
    uint64_t below(uint64_t n);
    uint64_t range(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
    bool chance(unsigned percent) { return below(100) < percent; }

private:
    uint64_t s_;
};

}  // namespace itsim::gen
