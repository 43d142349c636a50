// The SystemC side of the trace's `source` lines (source_spec.h): one
// SourceDevice per line, an initiator of its own on the bus, and the
// SourceSet that builds them for a run, starts each when the replay
// reaches its line, numbers their MSIs and describes them in the event
// log's header.
//
// A source's MSI is issued as the trace's `msi` lines are (platform/run.cpp
// replay, DriverAgent::send_msi): its number is noted as issued at the
// current time (System::note_msi_issued), then a posted 4-byte write of the
// EventID to GITS_TRANSLATER of ITS `its` with an MsiExtension carrying the
// DeviceID and that number, through a BusMaster with a throw-away timeline
// (the device does not wait for the response). Numbers continue after the
// trace's msi lines (msi_count + 1, + 2, ... in the order the MSIs leave,
// over all sources); the record slots grow as they go. A source's own
// state is its SourceGen: O(1) in the MSIs it sends.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/common/bus_master.h"
#include "itsim/common/timeline.h"
#include "sources/source_gen.h"
#include "sources/source_spec.h"

namespace itsim {

class JsonObject;
class System;
struct Trace;
struct TraceLine;

class SourceDevice : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<SourceDevice> port;

    // `issue(t_ps)` returns the MSI's number, noted as issued at t_ps.
    SourceDevice(sc_core::sc_module_name name, const SourceSpec& spec, uint64_t seed, uint64_t translater,
                 TimingMode mode, std::function<uint64_t(uint64_t)> issue);

    // Start sending at `t_ps` (>= the kernel's time); once only.
    void start(uint64_t t_ps);
    bool started() const { return started_; }
    uint64_t start_ps() const { return start_ps_; }
    uint64_t sent() const { return sent_; }
    uint64_t seed() const { return seed_; }
    const SourceSpec& spec() const { return spec_; }

private:
    void run();
    void invalidate(sc_dt::uint64, sc_dt::uint64) {}

    SourceSpec spec_;
    uint64_t seed_;
    uint64_t translater_;
    TimingMode mode_;
    std::function<uint64_t(uint64_t)> issue_;
    BusMaster bus_;
    sc_core::sc_event start_ev_;
    bool started_ = false;
    uint64_t start_ps_ = 0;
    uint64_t sent_ = 0;
};

// Source lines against the platform (before simulation, as every trace
// error): its=N must name one of `its_count` ITSs.
void check_sources(const Trace& trace, unsigned its_count);

class SourceSet {
public:
    // One device per `source` line of `trace`, bound to the system's bus
    // (before simulation starts); nothing at all when there is none.
    // `translater(n)`: the address of ITS n's GITS_TRANSLATER.
    SourceSet(const Trace& trace, System& sys, const std::function<uint64_t(unsigned)>& translater);
    ~SourceSet();
    bool empty() const { return devices_.empty(); }

    // The replay reached source line `l` at `now_ps` (driver thread; the
    // replay publishes what the software appended first, as before an msi
    // line): the source starts then.
    void start(const TraceLine& l, uint64_t now_ps);

    uint64_t sent() const { return sent_; }              // MSIs sent by every source so far
    // For a progress display: the MSIs the run will send when every
    // source has a count and no until (trace msi lines included), else 0;
    // the time the last source stops when every source has an until, else 0.
    uint64_t planned_msis() const;
    uint64_t planned_end_ps() const;

    // The event log's header: msi_lines counts the sources' MSIs too, and
    // "sources" lists each source: its line, device, seed (as run), start
    // time and MSIs sent.
    void describe(JsonObject& header) const;

private:
    const Trace& trace_;
    System& sys_;
    std::vector<std::unique_ptr<SourceDevice>> devices_;
    std::vector<unsigned> line_of_;   // per device: its trace line number
    uint64_t sent_ = 0;
};

}  // namespace itsim
