// The driver agent: software and devices of the platform.
//
// As software it does what the Linux ITS driver does (irq-gic-v3-its.c):
//   bring-up (untimed, before the trace's first line, at time 0):
//     per redistributor: read GICR_TYPER, program GICR_PROPBASER (the one
//     LPI property table all redistributors share, IDbits = its.lpi_bits-1)
//     and GICR_PENDBASER (a zeroed 64 KiB-aligned pending table, PTZ=1),
//     set GICR_CTLR.EnableLPIs;
//     ITS: read GITS_TYPER and each GITS_BASER<n>, allocate the device and
//     collection tables (flat, or two-level with level-2 pages allocated
//     when a MAPD/MAPC first names an ID in them, as Linux does), program
//     GITS_BASER<n>, GITS_CBASER (its.cmdq_pages), GITS_CWRITER = 0, and
//     set GITS_CTLR.Enabled.
//   replay (timed, through the bus): append a command to the queue (32-byte
//     write), publish with a GITS_CWRITER write, wait for the queue to drain
//     by reading GITS_CREADR each time the ITS moves it (as a driver
//     polling with WFE would, without simulating the polls), write LPI
//     property bytes, plain stores.
// As the devices it writes GITS_TRANSLATER with the DeviceID in an
// MsiExtension; MSI writes are posted (the device does not wait for the
// write response), so MSIs on one line leave in the same cycle.
//
// Memory: the first 256 MiB of RAM belong to the trace (ITTs, `write`
// targets); everything the agent allocates lives above, from a bump
// allocator bounded by the RAM size.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/common/bus_master.h"
#include "itsim/common/config_fields.h"
#include "itsim/common/its_cmd.h"
#include "itsim/common/timeline.h"

namespace itsim {

struct DriverConfig {
    // The platform's memory map and size, and the ITS's LPI INTID bits:
    // System sets them from the platform (ram.base, ram.size, its.base,
    // redist.base, redist.stride, cpus, its.lpi_bits) and the timing mode.
    uint64_t ram_base = 0;
    uint64_t ram_size = 0;
    uint64_t trace_region = 256ull << 20;   // reserved for the trace
    uint64_t its_base = 0;
    uint64_t redist_base = 0;
    uint64_t redist_stride = 0;
    unsigned cpus = 0;
    unsigned lpi_bits = 0;                  // PROPBASER.IDbits = lpi_bits - 1
    bool use_dmi = false;
    // The tables the driver allocates and programs into the ITS: parameters
    // its.device_table, its.collection_table, its.page_size, its.cmdq_pages.
    unsigned cmdq_pages = 16;               // 64 KiB, as Linux
    bool device_indirect = false;
    bool collection_indirect = false;
    uint64_t page_size = 64 * 1024;         // GITS_BASER page size
    // How long software waits for the ITS (queue space, or the queue to
    // drain) before giving up, as Linux's its_wait_for_range_completion
    // gives up after 1 s ("ITS queue timeout"). A guest can make the queue
    // never move (a CWRITER outside the queue, a disabled ITS); the agent
    // then reports a timeout and goes on with the trace.
    uint64_t queue_timeout_ps = 1000000000;  // 1 ms

    // By name (config_fields.h): device_table, collection_table, page_size,
    // cmdq_pages (the platform lists them as "its.*") and queue_timeout
    // ("driver.queue_timeout").
    static const ConfigFields<DriverConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

// The agent gave up waiting for the ITS.
struct DriverTimeout {
    uint64_t t_ps = 0;
    const char* what = "";   // "wait" (wait until=drained) or "queue_full" (a command dropped)
    uint64_t creadr = 0;     // GITS_CREADR as last read
    uint64_t cwriter = 0;    // the agent's write offset
}; 

// A GITS_CWRITER write: the trace commands it published (seqs first..last;
// 0 when none of them came from the trace).
struct DriverKick {
    uint64_t t_ps = 0;
    uint64_t cwriter = 0;
    unsigned first_seq = 0, last_seq = 0;
    unsigned count = 0;      // commands published
};

// When the agent published a command (the contract's issued_ps), so the
// platform can pair the ITS's completion record with the trace's line.
struct PublishedCommand {
    uint64_t offset = 0;     // byte offset in the queue
    unsigned seq = 0;        // 1-based cmd line of the trace; 0 = not from the trace
    uint64_t issued_ps = 0;  // the GITS_CWRITER write that published it
    bool published = false;
};

class DriverAgent : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<DriverAgent> cpu_port;  // software
    tlm_utils::simple_initiator_socket<DriverAgent> dev_port;  // devices (MSIs)

    DriverAgent(sc_core::sc_module_name name, const DriverConfig& cfg, TimingMode mode);

    // The work to do once bring-up is done: a function run in the agent's
    // thread that calls the operations below (the trace replayer).
    void set_program(std::function<void(DriverAgent&)> program) { program_ = std::move(program); }
    // Raised by the ITS whenever GITS_CREADR changes or the queue stalls.
    void set_creadr_event(const sc_core::sc_event* ev) { creadr_event_ = ev; }
    // Called when the agent gives up waiting (see DriverConfig::queue_timeout_ps).
    std::function<void(const DriverTimeout&)> on_timeout;
    // Called at each GITS_CWRITER write, before it is issued.
    std::function<void(const DriverKick&)> on_kick;

    // --- Operations (call from the program, i.e. the agent's thread) ---
    // Let simulated time reach `t_ps` (no-op if already past).
    void advance_to(uint64_t t_ps);
    uint64_t now_ps() const;
    // Append a command; waits for queue space (publishing first) if full.
    void append_command(const ItsCommand& cmd, unsigned seq);
    void append_raw(const CmdWords& words, unsigned seq);
    // Publish every appended command: write GITS_CWRITER.
    void kick();
    bool has_unpublished() const { return unpublished_ > 0; }
    // Publish, then wait until GITS_CREADR reaches CWRITER, the queue
    // stalls (a stalled queue never drains), or queue_timeout_ps passes.
    // Returns false if it stopped on a stall or a timeout.
    bool wait_drained();
    // A device with `device_id` writes `event` to GITS_TRANSLATER (posted).
    void send_msi(uint32_t device_id, uint32_t event, uint64_t tag);
    // A software store through the bus.
    bool store(uint64_t addr, uint64_t value, unsigned size);
    // Write the LPI's byte in the property table.
    bool set_lpi_config(uint32_t intid, uint8_t priority, bool enable);

    // --- What the platform needs to know ---
    uint64_t prop_table() const { return prop_base_; }
    uint64_t pend_table(unsigned cpu) const { return pend_base_.at(cpu); }
    uint64_t cmdq_base() const { return cmdq_base_; }
    uint64_t cmdq_bytes() const { return cmdq_bytes_; }
    uint64_t device_table() const { return dt_base_; }
    uint64_t collection_table() const { return ct_base_; }
    // Published commands not yet retired, oldest first (the platform pops
    // them as the ITS reports completions).
    std::deque<PublishedCommand>& in_flight() { return in_flight_; }
    uint64_t commands_published() const { return published_total_; }
    const std::string& setup_error() const { return setup_error_; }

private:
    void run();
    bool setup();
    uint64_t alloc(uint64_t bytes, uint64_t align);
    // Untimed register/memory access during bring-up.
    bool setup_write(uint64_t addr, uint64_t value, unsigned size);
    bool setup_read(uint64_t addr, uint64_t& value, unsigned size);
    // Two-level tables: make sure the level-2 page holding `id` exists.
    void ensure_l2(bool device_table, uint64_t id);
    uint64_t read_creadr();
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { cpu_.invalidate(start, end); }
    // Wait for CREADR to move, at most until `deadline`; false on timeout.
    bool wait_creadr_change(const sc_core::sc_time& deadline);
    void report_timeout(const char* what, uint64_t creadr);
    void end_wait();

    DriverConfig cfg_;
    Timeline tl_;
    BusMaster cpu_, dev_;
    std::function<void(DriverAgent&)> program_;
    const sc_core::sc_event* creadr_event_ = nullptr;
    sc_core::sc_event deadline_ev_;       // the current wait's timeout
    sc_core::sc_time deadline_armed_ = sc_core::SC_ZERO_TIME;

    uint64_t next_free_ = 0, alloc_end_ = 0;
    uint64_t prop_base_ = 0, cmdq_base_ = 0, cmdq_bytes_ = 0;
    std::vector<uint64_t> pend_base_;
    uint64_t dt_base_ = 0, ct_base_ = 0;
    uint64_t dt_l1_entries_ = 0, ct_l1_entries_ = 0;
    unsigned dt_esz_ = 8, ct_esz_ = 8;
    std::vector<bool> dt_l2_, ct_l2_;

    uint64_t widx_ = 0;          // next free byte offset in the queue
    uint64_t creadr_seen_ = 0;   // last GITS_CREADR offset read
    unsigned unpublished_ = 0;
    uint64_t published_total_ = 0;
    std::deque<PublishedCommand> in_flight_;
    std::string setup_error_;
};

}  // namespace itsim
