// Parts of the event-log checker (check.h) that its source files share:
// a parsed record, typed key access with format errors, the violation
// sink, and the two trackers (pending state: R3 R4 R6; queue and
// accounting: R2 R5).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <unordered_map>
#include <vector>

#include "check/check.h"
#include "check/interval_set.h"
#include "check/flat_json.h"

namespace itsim::check_detail {

// One record: where it is, its text, and its parsed object.
struct Rec {
    uint64_t line = 0;
    std::string text;
    std::string kind;
    enum class Kind { run, msi, ack, command, kick, lpi, pend, stall, timeout, other };
    Kind k = Kind::other;
    uint64_t t = 0;
    FlatObject json;
    RecordRef ref() const { return RecordRef{line, text}; }
};

// Typed access; a key present with the wrong type, or a required key
// missing, is a CheckFormatError "NAME:LINE: error: ...".
class Fields {
public:
    Fields(const std::string& name, const Rec& r) : name_(name), r_(r) {}
    uint64_t u64(const char* key) const;                    // required
    std::optional<uint64_t> opt_u64(const char* key) const;
    uint32_t u32(const char* key) const;                    // required, < 2^32
    std::optional<bool> opt_bool(const char* key) const;
    const std::string& str(const char* key) const;          // required
    const std::string* opt_str(const char* key) const;
    [[noreturn]] void fail(const std::string& what) const;

private:
    const std::string& name_;
    const Rec& r_;
};

// Where violations go: kept (up to a cap per rule) and counted.
class Sink {
public:
    Sink(CheckResult& res, const CheckOptions& opts, std::function<void(const Violation&)>* cb)
        : res_(res), opts_(opts), cb_(cb) {}
    void report(const char* rule, std::string message, std::vector<RecordRef> records);
    void note(std::string text);

private:
    CheckResult& res_;
    const CheckOptions& opts_;
    std::function<void(const Violation&)>* cb_;
};

// "t=12345ps" style helpers for messages.
std::string ps(uint64_t t);

// ---- pending state (R3, R4, R6) ------------------------------------------------

struct Snapshot {
    bool known = false;
    uint8_t priority = 0;
    bool enabled = false;
};

// One state record of a step, classified.
struct StateOp {
    enum class Kind { add, merge, refresh, remove, ack, refused };
    StateOp(Kind k, const Rec* r) : kind(k), rec(r) {}
    Kind kind;
    const Rec* rec;
    uint32_t cpu = 0, intid = 0;
    Snapshot snap;            // add, refresh
    bool infer = false;       // merge: a delivered msi without "new" (older logs): new if not pending
    std::string what;         // "msi new", "pend set", "ack", ... for messages
    std::optional<uint64_t> signalled;   // ack
    std::optional<uint64_t> ack_priority;
};

class PendingTracker {
public:
    PendingTracker(Sink& sink, const std::string& name) : sink_(sink), name_(name) {}
    void set_signal_latency(uint64_t ps) { latency_ = ps; }
    uint64_t signal_latency() const { return latency_; }

    // R6: a property byte written.
    void lpi_write(const Rec& r, uint32_t intid, uint64_t priority, bool enable);
    // R6: check a snapshot against the values the byte has held.
    void check_snapshot(const Rec& r, uint32_t intid, const Snapshot& s);

    // R3: the state records of one time step (equal t_ps), any order.
    void step(std::vector<StateOp>& ops);

    // Inspection for R5.
    struct Lpi {
        uint64_t since = 0;             // made pending at
        uint64_t selectable_since = 0;  // became enabled (with its snapshot) at
        Snapshot snap;
        uint64_t touched = 0;           // last record that changed it
        RecordRef made;                 // the record that made it pending
        uint64_t merges = 0;
        RecordRef last_merge;
    };
    const Lpi* find(uint32_t cpu, uint32_t intid) const;
    // The LPIs pending at `cpu`, by INTID.
    std::vector<std::pair<uint32_t, const Lpi*>> pending_at(uint32_t cpu) const;
    size_t pending() const { return lpis_.size(); }

    // R4 at the end of the log.
    void finish(uint64_t end_ps, bool complete);

private:
    static uint64_t key(uint32_t cpu, uint32_t intid) { return (uint64_t(cpu) << 32) | intid; }
    static uint64_t order_key(const Lpi& l, uint32_t intid) { return (uint64_t(l.snap.priority) << 32) | intid; }
    bool selectable(const Lpi& l) const { return l.snap.known && l.snap.enabled; }
    bool applicable(const StateOp& op) const;
    void apply(const StateOp& op, const std::set<uint64_t>& touched_now);
    void insert_order(uint32_t cpu, uint32_t intid, Lpi& l);
    void erase_order(uint32_t cpu, uint32_t intid, const Lpi& l);
    void remove(uint32_t cpu, uint32_t intid);
    void check_ack(const StateOp& op, const Lpi& l, const std::set<uint64_t>& touched_now);

    Sink& sink_;
    const std::string& name_;
    uint64_t latency_ = 2000;
    std::unordered_map<uint64_t, Lpi> lpis_;                    // (cpu, intid) -> state
    std::unordered_map<uint32_t, std::map<uint64_t, const Lpi*>> order_;   // cpu -> selectable by (priority, intid)
    std::unordered_map<uint32_t, std::pair<uint64_t, uint64_t>> written_;  // intid -> 128-bit set of (priority, enable)
};

// ---- command queue and accounting (R2, R5) ----------------------------------------

class QueueTracker {
public:
    QueueTracker(Sink& sink, const PendingTracker& pending) : sink_(sink), pending_(pending) {}
    void set_lines(std::optional<uint64_t> cmd_lines, std::optional<uint64_t> msi_lines) {
        cmd_lines_ = cmd_lines;
        msi_lines_ = msi_lines;
    }
    void set_movall_is_cpu(bool b) { movall_cpu_ = b; }
    // One of several ITSs' queues (Queues): its finish() leaves the MSI
    // and the cmd_lines totals to the caller.
    void set_part(bool part) { part_ = part; }
    // A command of another ITS inside one of this queue's kick ranges.
    void foreign(uint64_t seq);
    bool seen(uint64_t seq) const { return cmd_seen_.contains(seq); }
    uint64_t queue_full() const { return queue_full_; }

    void msi(const Rec& r, uint64_t seq);
    void kick(const Rec& r, uint64_t first, uint64_t last);
    // A pend record naming command `seq` (R5).
    void pend_cause(const Rec& r, uint64_t seq, const std::string& cause, const std::string& change, uint32_t cpu,
                    uint32_t intid);
    void command(const Rec& r, const Fields& f);
    void stall(const Rec& r);
    void timeout(const Rec& r, const std::string& what);

    void finish(bool complete);

private:
    struct Kick {
        uint64_t last = 0, t = 0;
        RecordRef ref;
    };
    struct CauseAgg {
        std::string cause;
        uint64_t tmin = UINT64_MAX, tmax = 0, count = 0;
        RecordRef earliest, latest, mismatch;
        bool mismatched = false;
        // Every distinct (cpu, intid, change class) of the pend records
        // naming the command, with the first such record: at most a few
        // per LPI pending while the command ran (live state).
        // Classes: 'a' add (set/merge), 'r' remove (clear/drop), 'f' refresh.
        using Key = std::tuple<uint32_t, uint32_t, char>;
        std::map<Key, RecordRef> lpis;
        bool has(uint32_t cpu, uint32_t intid, char cls) const { return lpis.count(Key{cpu, intid, cls}) != 0; }
    };
    const Kick* kick_of(uint64_t seq) const;
    void check_causes(const Rec& r, const Fields& f, uint64_t seq, const std::string& op,
                      std::optional<uint64_t> fetched, std::optional<uint64_t> done);
    void check_effect(const Rec& r, const Fields& f, uint64_t seq, const std::string& op,
                      std::optional<uint64_t> fetched, const CauseAgg* a);

    Sink& sink_;
    const PendingTracker& pending_;
    std::optional<uint64_t> cmd_lines_, msi_lines_;
    bool movall_cpu_ = true;
    bool part_ = false;

    IntervalSet msi_seen_;
    IntervalSet published_, cmd_seen_, cmd_done_;
    std::map<uint64_t, Kick> kicks_;             // first -> kick, while some of its commands are not done
    std::map<uint64_t, RecordRef> unretired_;    // seq -> record without done_ps
    std::map<uint64_t, CauseAgg> causes_;        // seq -> pend records naming it, until its command record
    uint64_t max_done_seq_ = 0, max_done_t_ = 0, last_done_t_ = 0;
    RecordRef max_done_ref_;
    bool any_done_ = false;
    std::optional<uint64_t> last_stall_t_, last_wait_timeout_t_;
    RecordRef last_stall_ref_;
    uint64_t queue_full_ = 0;
};

// The command queues: one QueueTracker, or with its.count > 1 one per ITS
// (queues.cpp): kicks, commands, stalls and timeouts go to their ITS's
// queue; a pend record naming a command waits for that command's record
// to know its ITS; the MSIs and the cmd_lines total are counted over all.
class Queues {
public:
    Queues(Sink& sink, const PendingTracker& pending) : sink_(sink), pending_(pending) {}
    void configure(unsigned its_count, std::optional<uint64_t> cmd_lines, std::optional<uint64_t> msi_lines,
                   bool movall_is_cpu);
    void msi(const Rec& r, uint64_t seq) { q_.at(0).msi(r, seq); }
    void kick(const Rec& r, uint64_t first, uint64_t last, unsigned its);
    void pend_cause(const Rec& r, uint64_t seq, const std::string& cause, const std::string& change, uint32_t cpu,
                    uint32_t intid);
    void command(const Rec& r, const Fields& f, unsigned its);
    void stall(const Rec& r, unsigned its) { at(its).stall(r); }
    void timeout(const Rec& r, const std::string& what, unsigned its) { at(its).timeout(r, what); }
    void finish(bool complete);
    // The ITS a record names ("its", 0 when absent); one past the count is an error.
    unsigned its_of(const Fields& f) const;

private:
    QueueTracker& at(unsigned its) { return q_.at(its < q_.size() ? its : 0); }
    struct HeldPend {
        Rec rec;
        std::string cause, change;
        uint32_t cpu = 0, intid = 0;
    };
    Sink& sink_;
    const PendingTracker& pending_;
    std::vector<QueueTracker> q_;   // [0]: the MSIs too
    std::optional<uint64_t> cmd_lines_;
    IntervalSet published_;         // over all ITSs (several)
    std::map<uint64_t, std::vector<HeldPend>> held_;   // seq -> pend records before its command record
};

}  // namespace itsim::check_detail
