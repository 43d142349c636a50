// Its: the GICv3 Interrupt Translation Service as a SystemC/TLM-2.0 module.
//
// Behaviour is ItsCore (its_core.h: registers, commands, translation,
// caches; entry formats in its_tables.h). This module decides when things
// happen and what they cost.
//
// Sockets
//   mmio  target (tlm_utils::simple_target_socket, BUSWIDTH 32, blocking
//         b_transport; no DMI: get_direct_mem_ptr answers false). Offsets
//         relative to ITS_base:
//         0x00000-0x0FFFF  control frame (GITS_CTLR ... GITS_BASER7, ID
//                          registers), 32- and 64-bit accesses; each access
//                          costs register_cycles.
//         0x10000-0x1FFFF  translation frame: GITS_TRANSLATER at 0x10040,
//                          16- or 32-bit writes, data = EventID, DeviceID
//                          from the payload's MsiExtension (a write without
//                          one uses DeviceID 0 and is counted); everything
//                          else in the frame is RAZ/WI.
//         elsewhere        TLM_ADDRESS_ERROR_RESPONSE.
//         Byte enables and streaming are not supported (generic error).
//   bus   initiator: command queue and table accesses, through one
//         BusMaster per thread.
// Port
//   rd    sc_port<LpiStreamIf, 0> (common/lpi_stream.h): the redistributors,
//         one binding each, in redistributor-index order, before
//         simulation: `its.rd(redist0); its.rd(redist1); ...` (at least
//         one). Every command's and MSI's message to a redistributor is an
//         LpiOp delivered through it, on the sending thread's Timeline. At
//         the end of elaboration the ITS reads each one's
//         processor_number() and rd_base() (what RDbase names).
//
// Processes (fixed, made at construction; none per MSI or per command)
//   - command engine (1 thread): sleeps on an event until the ITS is
//     enabled, the queue valid and not stalled and CREADR != CWRITER; then
//     reads the 32-byte command at CBASER + CREADR, decodes, executes, and
//     only then moves CREADR (wrapping at the queue size). On a failing
//     command under the `stall` policy, or any memory error, the queue
//     stalls (GITS_CREADR.Stalled) until CWRITER is written with Retry = 1.
//   - translation workers (`translation_slots` threads): take MSIs from the
//     ingress FIFO in order and translate them concurrently. In accurate
//     mode a worker takes its next MSI only once the time of its previous
//     one has passed. An arriving MSI wakes one idle worker (its own
//     event; accurate: at the translation's start), not all of them.
//     fast mode: no worker runs. The MSI is translated inside the
//     writer's b_transport, on the lane (timeline, bus master) of the slot
//     that is free first, from max(its start, the end of that slot's
//     previous MSI), by the same translate_item() a worker runs, on a
//     timeline that runs ahead and never waits; the set_pending op goes out
//     with `posted` set (lpi_stream.h), so the redistributor records the
//     LPI pending at the end of its update from its own process and nothing
//     sees it earlier. The FIFO then holds an
//     MSI from its arrival until its translation starts (the probe counts
//     those); a write that finds ingress_depth of them waits in its
//     b_transport until the first one starts. on_msi is called from there,
//     before the MSI's time.
//   - creadr_tick (method): announces each GITS_CREADR change at its time.
//   GITS_TRANSLATER writes enter a FIFO of `ingress_depth` entries; when it
//   is full the writer's b_transport waits for space (back-pressure; memory
//   stays bounded).
//
// Timing (ItsTiming; every figure a cycle count of the ITS clock)
//   register access   register_cycles added to the access's delay; the
//                     register changes at the end of the access.
//   MSI               accepted at arrival (sc_time_stamp() + delay); a worker
//                     starts it ingress_cycles later (or when one is free);
//                     each cache lookup costs lookup_cycles (a miss adds the
//                     bus read it issues); the message to the
//                     redistributor costs hop_cycles, then the
//                     redistributor charges its own work to the same
//                     timeline; pending_ps is stamped when it returns.
//   command           the 32-byte read, decode_cycles, execute_cycles, the
//                     cache lookups and table accesses it makes, hop_cycles
//                     per redistributor message plus what the redistributor
//                     charges (SYNC: until its earlier work is visible).
//   outstanding       accurate mode: at most max_reads bus reads and
//                     max_writes bus writes in flight from the whole ITS
//                     (command engine and workers together); a read is in
//                     flight from its issue until its response time. Further
//                     accesses wait for a slot. fast mode: not limited.
// Both modes run the same behaviour in the same order, so functional results
// are identical and, on an idle system, so are the time stamps. In fast mode
// the threads run ahead of kernel time (temporal decoupling); GITS_CREADR as
// read through `mmio` at time t shows the value the command engine had at t
// (a short history is kept), and creadr_event() fires at that time. An idle
// engine woken by a CWRITER write starts no earlier than that write; when
// two CWRITER writes fall inside one quantum, both batches start at the
// later one (fast mode only).
//
// Choices the architecture leaves open: its_core.h.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "itsim/common/bus_master.h"
#include "itsim/common/config_fields.h"
#include "itsim/common/lpi_stream.h"
#include "itsim/common/records.h"
#include "itsim/common/timeline.h"
#include "itsim/its/its_core.h"

namespace itsim {

struct ItsTiming {
    // 1 GHz: the GIC-600 ITS runs at the interconnect clock.
    sc_core::sc_time clock_period = sc_core::sc_time(1, sc_core::SC_NS);
    // 2: an APB-style register slave, address phase then data phase.
    unsigned register_cycles = 2;
    // 2: accept the write into the ingress buffer, then hand it to a slot.
    unsigned ingress_cycles = 2;
    // 2: parse the 32 bytes and select the command's datapath.
    unsigned decode_cycles = 2;
    // 2: command-engine work per command besides its memory accesses.
    unsigned execute_cycles = 2;
    // 1: one tag lookup in a small SRAM per cache (hit cost).
    unsigned lookup_cycles = 1;
    // 4: a message on the ITS-to-redistributor stream (AXI-Stream-like link).
    unsigned hop_cycles = 4;

    // By name (config_fields.h): clock (a frequency), register_cycles,
    // ingress_cycles, lookup_cycles, decode_cycles, execute_cycles, hop_cycles.
    static const ConfigFields<ItsTiming>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct ItsModuleConfig {
    ItsConfig core;                    // architecture-visible configuration (its_core.h)
    ItsTiming timing;
    TimingMode mode = TimingMode::accurate;
    bool use_dmi = false;              // fast mode: table reads through DMI where offered (writes always use the bus)
    unsigned ingress_depth = 16;       // GITS_TRANSLATER writes buffered (>= 1)
    unsigned translation_slots = 5;    // MSIs translated concurrently (>= 1)
    unsigned max_reads = 5;            // GIC-600: 5 reads in flight (>= 1)
    unsigned max_writes = 1;           // GIC-600: 1 write in flight (>= 1)

    // By name, exactly as `itsim params` spells them after "its."
    // (config_fields.h): the core's and the timing's fields and
    // ingress_depth, translation_slots, max_reads, max_writes:
    //   ItsModuleConfig c;
    //   c.set("event_cache.entries", "512", &error);   // c.core.event_cache.entries
    //   c.set("clock", "800MHz", &error);              // c.timing.clock_period = 1250 ps
    // mode and use_dmi follow the platform's timing mode (set in code).
    static const ConfigFields<ItsModuleConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

// Values a waveform tracer samples: counters updated where they change,
// the rest computed when probe() is read (Its::on_probe tells when).
struct ItsProbe {
    enum EngineState : uint8_t { idle = 0, fetching = 1, executing = 2, stalled = 3 };
    bool enabled = false;
    uint8_t engine = idle;
    uint8_t opcode = 0;                // command being executed (engine == executing)
    uint64_t creadr = 0;               // GITS_CREADR (Offset | Stalled) as software sees it
    uint64_t cwriter = 0;
    unsigned queue_occupancy = 0;      // commands between CREADR and CWRITER
    unsigned ingress_occupancy = 0;    // MSIs waiting in the ingress FIFO
    unsigned translations_active = 0;  // workers translating
    unsigned reads_in_flight = 0;
    unsigned writes_in_flight = 0;
    uint64_t commands_done = 0;
    uint64_t msis_done = 0;
};

struct ItsStats {
    uint64_t msis_accepted = 0;
    uint64_t msis_without_device_id = 0;   // TRANSLATER writes without an MsiExtension
    uint64_t ingress_waits = 0;            // writes held back by a full FIFO
    uint64_t bad_accesses = 0;             // refused or RAZ/WI-by-rule MMIO accesses
    uint64_t bus_reads = 0, bus_writes = 0, bus_errors = 0;
    uint64_t read_slot_waits = 0, write_slot_waits = 0;   // accesses that waited for a slot
    unsigned max_queue_occupancy = 0;
};

class Its : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Its> mmio;
    tlm_utils::simple_initiator_socket<Its> bus;
    // The redistributors RDbase can name, by index (see "Port" above).
    sc_core::sc_port<LpiStreamIf, 0> rd;

    // Reports. Each is called once per command (a stalled command is
    // reported each time it runs), per MSI, per stall.
    std::function<void(const CommandRecord&)> on_command;
    std::function<void(const MsiRecord&)> on_msi;
    std::function<void(const StallRecord&)> on_stall;
    // Optional: called whenever probe() changed.
    std::function<void()> on_probe;

    static constexpr uint64_t kTranslationFrame = 0x10000;
    static constexpr uint64_t kFrameBytes = 0x20000;   // control + translation frame
    // GICv4.1: a third 64K frame holds GITS_SGIR (its_gits.h); the ITS then
    // spans frame_bytes() = 0x30000 (the platform maps that much).
    static constexpr uint64_t kSgiFrame = gits::kSgiFrame;
    static constexpr uint64_t kFrameBytesV41 = 0x30000;
    uint64_t frame_bytes() const { return cfg_.core.version == GicVersion::v4_1 ? kFrameBytesV41 : kFrameBytes; }

    Its(sc_core::sc_module_name name, const ItsModuleConfig& cfg = ItsModuleConfig());
    ~Its() override;

    const ItsModuleConfig& config() const { return cfg_; }
    // Notified when GITS_CREADR moves or the queue stalls, at the time the
    // change happens.
    const sc_core::sc_event& creadr_event() const { return creadr_ev_; }

    // Statistics and state.
    const ItsCore& core() const { return core_; }
    const CacheStats& device_cache_stats() const { return core_.device_cache_stats(); }
    const CacheStats& event_cache_stats() const { return core_.event_cache_stats(); }
    const CacheStats& collection_cache_stats() const { return core_.collection_cache_stats(); }
    const CacheStats& vpe_cache_stats() const { return core_.vpe_cache_stats(); }   // GICv4
    // GICv4, several ITSs: every ITS of the system (this one may be in the
    // list), before simulation. With GITS_TYPER.VMOVP = 1 a VMOVP on one
    // rewrites the vPE's entry in the others' vPE tables too.
    void set_peers(const std::vector<Its*>& all);
    uint64_t commands_executed() const { return core_.commands_executed(); }
    unsigned queue_occupancy() const { return core_.queue_occupancy(); }
    unsigned reads_in_flight() const;
    unsigned writes_in_flight() const;
    const ItsStats& stats() const;
    // The probe as of now (computed on demand; on_probe, if set, is called
    // after each change with it already up to date).
    const ItsProbe& probe() const;

private:
    struct Item {
        uint32_t device = 0, event = 0;
        uint64_t tag = 0;
        sc_core::sc_time accepted, start;
    };
    // At most `max` accesses in flight; in flight = reserved (issued, no
    // response time yet) + response times still in the future.
    struct SlotPool {
        unsigned max = 1;
        unsigned reserved = 0;
        uint64_t next_ticket = 0, serving = 0;   // first come, first served
        std::vector<sc_core::sc_time> busy_until;   // ascending; at most `max` in the future
        sc_core::sc_event freed;                     // notified only while someone waits
        unsigned waiters = 0;
        unsigned in_flight() const;   // counts only response times after now
        void purge();
    };
    class Env;
    struct Lane;

    void end_of_elaboration() override;   // reads the `rd` bindings
    void b_transport(tlm::tlm_generic_payload& tr, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& tr);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
    void engine();
    void worker(unsigned index);

    // A GITS_TRANSLATER write of `event`: the DeviceID from the payload's MsiExtension.
    void accept_translater(tlm::tlm_generic_payload& tr, uint32_t event, sc_core::sc_time& delay);
    void accept_msi(uint32_t device, uint32_t event, uint64_t tag, sc_core::sc_time& delay);
    void accept_inline(uint32_t device, uint32_t event, uint64_t tag, sc_core::sc_time& delay);
    void write_sgir(uint64_t value, sc_core::sc_time& delay);   // GICv4.1
    void translate_item(Lane& lane, const Item& it);
    void acquire(SlotPool& pool, Timeline& tl, uint64_t& waits);
    [[gnu::noinline]] void acquire_in_line(SlotPool& pool, uint64_t& waits);   // someone first, or no slot
    void release(SlotPool& pool, Timeline& tl);
    void note_creadr(const sc_core::sc_time& t);
    void creadr_tick();
    uint64_t creadr_at(const sc_core::sc_time& t) const;
    void update_probe();          // after a change: on_probe, if anyone listens
    void refresh_probe() const;   // the derived fields of probe_, from the state now
    ItsModuleConfig cfg_;
    sc_core::sc_time t_reg_, t_ingress_, t_decode_, t_execute_, t_lookup_, t_hop_;
    ItsCore core_;
    std::vector<LpiStreamIf*> rds_;       // rd's interfaces, by index (end of elaboration)

    std::unique_ptr<Lane> engine_lane_;
    std::unique_ptr<Lane> sgir_lane_;     // GICv4.1: GITS_SGIR writes, in the writer's b_transport
    std::vector<std::unique_ptr<Lane>> worker_lanes_;

    sc_core::sc_event kick_ev_;           // the engine may have work
    sc_core::sc_time last_kick_;          // time of the register write that gave it work
    // CWRITER writes that published commands: at `at`, the queue offsets
    // [from, to) (modulo the queue). The engine starts no command before
    // the write that published it, even when it finds the register already
    // moved (a writer running ahead in fast mode, or the register changing
    // at the start of its access). At most kMaxPublications kept.
    struct Publication {
        sc_core::sc_time at;
        uint64_t from, to;
    };
    std::deque<Publication> publications_;
    static constexpr size_t kMaxPublications = 4096;
    sc_core::sc_time published_at(uint64_t offset);
    sc_core::sc_event creadr_ev_;
    sc_core::sc_event creadr_timer_;      // drives creadr_tick()
    std::deque<std::pair<sc_core::sc_time, uint64_t>> creadr_hist_;
    uint64_t creadr_base_ = 0;            // CREADR before the first history entry

    std::deque<Item> ingress_;
    std::vector<unsigned> idle_workers_;  // waiting on their Lane::wake, none notified
    std::vector<sc_core::sc_time> inline_starts_;   // accept_inline: FIFO entries' start times (ascending)
    sc_core::sc_event space_ev_;          // an item left (notified only if a writer waits)
    unsigned space_waiters_ = 0;
    unsigned active_workers_ = 0;
    unsigned popped_not_started_ = 0;     // taken from ingress_, waiting for their start time

    SlotPool reads_, writes_;
    mutable ItsStats stats_;
    mutable ItsProbe probe_;
};

}  // namespace itsim
