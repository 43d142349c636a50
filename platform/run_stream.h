// What `itsim run` keeps of a run while it goes, in memory bounded by the
// work in flight rather than by the length of the run: the event log's
// reordering window (written through a LogSink as it goes), the statistics
// (RunTally: counters and Distributions), and what the trace's expects ask
// about (an MSI's outcome, a command's, acknowledge counts per CPU and
// INTID). docs/event-log.md, "How the log is written".
//
// Each record has a key (t_ps, category, index within its category): the
// categories in the order the event log has always added them (commands,
// MSIs by number, acknowledges, kicks, lpi writes, pends, stalls, the
// GICv4 records, timeouts), so writing in key order gives the bytes of the
// old sort of the whole log. The window holds the records made but not yet
// written; one is written once no record with a smaller key can still
// come: its t_ps is below the low-water mark, the least of the kernel's
// time and the earliest t_ps a record of the work in flight may have (an
// MSI issued and not yet final: its issue time; a published command not
// retired: its CWRITER write; an interrupt a CPU is handling: its
// acknowledge, at most cpu.handler_latency before the EOI that reports it).
//
// Streaming (System::set_stream, gic.version 3): System hands every record
// here as the models report it and keeps none. With GICv4 System keeps its
// RunRecords to the end (the doorbells are linked to their MSIs after the
// run) and feed_records() gives them here at the end: the same keys, the
// same output.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "itsim/common/flat_map.h"
#include "report.h"
#include "run_in_flight.h"
#include "run_window.h"
#include "stats.h"
#include "system.h"
#include "trace/event_log.h"
#include "trace/log_sink.h"
#include "trace/trace.h"

namespace itsim {

class SourceSet;

// An msi record's line (msi_event plus the platform's keys: the virtual
// ITE's, new/priority/enabled) and an ack record's line (ack_event),
// appended to `out`; `t` is the msi record's t_ps.
void msi_line(std::string& out, const RunRecords::Msi& m, uint64_t tag, uint64_t t);
void ack_line(std::string& out, const AckRecord& a);

class RunStream {
public:
    // The record categories, in the log's tie order.
    enum Cat : unsigned {
        kCommand, kMsi, kAck, kKick, kLpi, kPend, kStall,
        kDoorbellLpi, kVlpi, kVcpu, kVsgiRead, kDoorbell, kResidency, kVack, kTimeout
    };

    // `sinks`: where the log goes (none: no log is built); the sinks
    // outlive the stream.
    RunStream(System& sys, const Trace& trace, std::vector<LogSink*> sinks);

    // ---- from System while the run goes (streaming)
    RunRecords::Msi* live_msi(uint64_t tag);   // nullptr: not issued, or final already
    void msi_issued(uint64_t tag, uint64_t t_ps);
    void msi_touched(uint64_t tag);            // after System updated live_msi(tag)
    void command(const RunRecords::Command& c);
    void ack(const AckRecord& a);
    void kick(const DriverKick& k);
    void pend(RunRecords::Pend p);
    void stall(const StallRecord& s, unsigned its);
    void timeout(const DriverTimeout& t);

    // ---- at the end
    // GICv4: every record System kept (after link_doorbells).
    void feed_records(const RunRecords& rec);
    // Everything left in the window, then the log's header and the sinks
    // finished. Call once, after the run.
    void finish(bool timed_out, const SourceSet* sources);

    // ---- the results
    const RunTally& tally() const { return tally_; }
    // What the expects asked about (nullptr: never reported).
    const RunRecords::Msi* msi_outcome(uint64_t tag) const;
    const RunRecords::Command* command_outcome(uint64_t seq) const;
    uint64_t taken(uint32_t cpu, uint32_t intid) const;
    // Records that arrived after the window had passed their time (0 unless
    // a model reports later than this file assumes; then the log's order
    // differs from a full sort).
    uint64_t late_records() const { return late_; }

private:
    // A delivered MSI's stamps (the statistics take them in key order).
    struct MsiStat {
        bool delivered = false;
        MsiStamps s;
    };
    struct Entry {
        std::string line;   // empty without a log
        MsiStat msi;        // kMsi
        AckStamp ack;       // kAck
    };

    bool logging() const { return !sinks_.empty(); }
    // A record in the window, its line empty (written by the caller when
    // logging: into a string whose capacity a reused place keeps).
    Entry& add(RunKey k, const MsiStat* m = nullptr, const AckStamp* a = nullptr);
    void add(RunKey k, const JsonObject& o) {
        Entry& e = add(k);
        if (logging()) o.dump(e.line);
    }
    void commit_msi(uint64_t tag, RunRecords::Msi& m);
    void commit_command(const RunRecords::Command& c);
    void pend_record(uint64_t idx, const RunRecords::Pend& p, const char* op);
    void drain_lpi_writes();
    uint64_t low_water();
    void poll();
    void flush_below(uint64_t w);
    void take(const RunKey& k, const Entry& e);
    void sweep_queue(uint64_t below);

    System& sys_;
    const Trace& trace_;
    std::vector<LogSink*> sinks_;
    bool multi_its_ = false;
    RunTally tally_;

    // The window.
    RunWindow<Entry> window_;
    uint64_t written_below_ = 0;   // every record with t_ps below this is written
    uint64_t late_ = 0;
    uint64_t last_cpu_poll_ = 0;
    static constexpr unsigned kPollRecords = 64;
    unsigned adds_since_poll_ = 0;

    // Work in flight.
    MsisInFlight live_;   // issued, not final
    bool have_held_ = false;                               // the last command, stalled: it may be replaced
    RunRecords::Command held_;
    uint64_t held_idx_ = 0;
    uint64_t commands_ = 0, acks_ = 0, kicks_ = 0, lpis_ = 0, pends_ = 0, stalls_ = 0, timeouts_ = 0;
    size_t lpi_writes_seen_ = 0;
    // Pends caused by a command not yet reported: its seq -> (index, pend).
    std::multimap<unsigned, std::pair<uint64_t, RunRecords::Pend>> unresolved_;
    std::map<unsigned, const char*> stalled_ops_;   // seq -> op of a committed stalled report
    std::vector<uint64_t> busy_since_;              // cpu.preempt = 1: per CPU, busy since (or ~0: idle)
    bool preempt_ = false;
    uint64_t handler_ps_ = 0;

    // The statistics in key order: per (cpu, intid), the oldest delivered
    // MSI not yet matched to an acknowledge.
    FlatMap<std::pair<uint64_t, uint64_t>> waiting_;   // cpu << 32 | intid -> (pending, issued)
    // Command-queue occupancy: +1 at a command's CWRITER write, -1 when
    // CREADR moved past it; swept below the low-water mark.
    std::map<uint64_t, int> steps_;
    int level_ = 0;
    uint64_t last_step_ = 0;
    uint64_t unretired_ = 0;   // stalled reports with a CWRITER write: -1 at the end

    // The expects' needs.
    std::set<uint64_t> want_msis_, want_cmds_;
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> taken_;   // asked (cpu, intid) -> acks
    std::map<uint64_t, RunRecords::Msi> kept_msis_;
    std::map<uint64_t, RunRecords::Command> kept_cmds_;
};

}  // namespace itsim
