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
//
// Several ITSs (its.count): each is brought up as above with tables and a
// command queue of its own (ITS 0's first, in the order a single ITS always
// had them); commands, kicks and waits name their ITS.
//
// GICv4 (gic.version 4.0 or 4.1; nothing of this with 3), as Linux and KVM
// (gicv4-facts section 4; driver_v4.cpp):
//   bring-up: GITS_BASER2 (the vPE table, Type 2) on every ITS, flat or
//     two-level (its.vpe_table) with the level-2 pages of vPEIDs
//     0..gic.vpes-1 allocated; per vPE a zeroed VPT (2^its.lpi_bits bits,
//     64 KiB aligned) and its doorbell LPI (gic.doorbell_base + vPEID)
//     enabled at priority 0xA0 in the physical property table; per VM
//     (gic.vpes_per_vm vPEs) a zeroed vLPI configuration table (64 KiB
//     aligned); every redistributor's GICR_VPROPBASER: v4.0 IDbits =
//     its.lpi_bits - 1 (Linux's its_cpu_init_lpis), v4.1 the vPE
//     configuration table = ITS 0's vPE table (its geometry).
//   schedule (vcpu_load's its_make_vpe_resident): v4.0 GICR_VPROPBASER =
//     the VM's table | IDbits, then GICR_VPENDBASER = VPT | PendingLast |
//     IDAI (as read at the last deschedule; 1 at first) | Valid; v4.1
//     GICR_VPENDBASER = Valid | VGrp1En | vPEID. Then (its_commit_vpe) poll
//     Dirty until 0 every driver.dirty_poll, up to driver.dirty_timeout.
//   deschedule (vcpu_put): wait for Dirty = 0, write VPENDBASER as read
//     with Valid = 0 (v4.1: doorbell=1 sets Doorbell and clears
//     PendingLast; doorbell=0 sets PendingLast), poll Dirty until 0, read
//     PendingLast (and v4.0 IDAI). v4.0 has no doorbell request: the
//     ITE's Dbell_pINTID decides (the trace changes it with VMOVI, as Linux).
//   vlpi: the vLPI's byte in its VM's table (format of the property table).
//   sgi: a 64-bit GITS_SGIR write (ITS frame + 0x20020): vPEID[47:32] |
//     vINTID[3:0].
//   VMAPP from the trace with fields left out: the vPE's VPT, VPT_size =
//     its.lpi_bits - 1, v4.1 the VM's table as VCONF_addr, the doorbell as
//     Default_Doorbell, Alloc = first map (last unmap) over the ITSs.
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

#include "itsim/common/bus_master.h"
#include "itsim/common/config_fields.h"
#include "itsim/common/gic_version.h"
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
    // Several ITSs: ITS n's frame is its_base + n * its_stride (System sets them).
    unsigned its_count = 1;
    uint64_t its_stride = 0x20000;
    // GICv4 (System sets version, vpes, vpes_per_vm, doorbell_base from gic.*).
    GicVersion version = GicVersion::v3;
    unsigned vpes = 0;
    unsigned vpes_per_vm = 1;
    uint32_t doorbell_base = 0;
    bool vpe_indirect = false;               // its.vpe_table: flat or indirect
    // Linux's its_wait_vpt_parse_complete: poll GICR_VPENDBASER.Dirty every
    // 1 us, give up (a warning) after 500 us.
    uint64_t dirty_poll_ps = 1000000;
    uint64_t dirty_timeout_ps = 500000000;

    // By name (config_fields.h): device_table, collection_table, page_size,
    // cmdq_pages, vpe_table (the platform lists them as "its.*") and
    // queue_timeout, dirty_poll, dirty_timeout ("driver.*").
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
    unsigned its = 0;
};

// A read-back of a vPE's pending vSGIs (GICv4.1, its_sgi_get_irqchip_state).
struct DriverVsgiRead {
    uint64_t t_ps = 0;        // the GICR_VSGIR write
    uint64_t done_ps = 0;     // GICR_VSGIPENDR read with Busy = 0 (or the poll gave up)
    unsigned cpu = 0;
    uint32_t vpeid = 0;
    uint32_t pending = 0;     // Pending[15:0] as read
    uint64_t polls = 0;       // GICR_VSGIPENDR reads
    bool timeout = false;     // Busy never read 0 within driver.dirty_timeout
    uint64_t seq = 0;         // its vsgi_read line (1-based)
};

// A schedule or deschedule the agent did (the hypervisor's vcpu_load/put).
struct DriverResidency {
    uint64_t t_ps = 0;        // the GICR_VPENDBASER write (v4.0 schedule: the VPROPBASER write before it)
    uint64_t done_ps = 0;     // Dirty read 0 (or the poll gave up)
    unsigned cpu = 0;
    uint32_t vpeid = 0;
    bool schedule = false;    // true: made resident; false: made non-resident
    bool doorbell = false;    // deschedule: doorbell requested (v4.1)
    bool pending_last = false;  // deschedule: PendingLast as read after Dirty = 0
    bool dirty_timeout = false; // Dirty did not clear within driver.dirty_timeout
    uint64_t polls = 0;       // GICR_VPENDBASER reads after the write
};

// A GITS_CWRITER write: the trace commands it published (seqs first..last;
// 0 when none of them came from the trace).
struct DriverKick {
    uint64_t t_ps = 0;
    uint64_t cwriter = 0;
    unsigned first_seq = 0, last_seq = 0;
    unsigned count = 0;      // commands published
    unsigned its = 0;
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
    // Raised by ITS `its` whenever its GITS_CREADR changes or its queue stalls.
    void set_creadr_event(const sc_core::sc_event* ev, unsigned its = 0) { q_.at(its).creadr_event = ev; }
    // Called when the agent gives up waiting (see DriverConfig::queue_timeout_ps).
    std::function<void(const DriverTimeout&)> on_timeout;
    // Called at each GITS_CWRITER write, before it is issued.
    std::function<void(const DriverKick&)> on_kick;
    // Called at the end of each schedule / deschedule (GICv4).
    std::function<void(const DriverResidency&)> on_residency;
    // Called at the end of each vSGI read-back (GICv4.1).
    std::function<void(const DriverVsgiRead&)> on_vsgi_read;

    // --- Operations (call from the program, i.e. the agent's thread) ---
    // Let simulated time reach `t_ps` (no-op if already past).
    void advance_to(uint64_t t_ps);
    uint64_t now_ps() const;
    // Append a command to ITS `its`'s queue; waits for queue space
    // (publishing first) if full. `defaulted`: VMAPP fields the trace left
    // out (TraceLine::cmd_defaulted), filled in here.
    void append_command(const ItsCommand& cmd, unsigned seq, unsigned its = 0, uint32_t defaulted = 0);
    void append_raw(const CmdWords& words, unsigned seq, unsigned its = 0);
    // Publish every command appended to ITS `its`: write its GITS_CWRITER.
    void kick(unsigned its = 0);
    bool has_unpublished(unsigned its) const { return q_.at(its).unpublished > 0; }
    bool has_unpublished() const;   // on any ITS
    void kick_all();                // kick every ITS with unpublished commands
    // Publish, then wait until GITS_CREADR reaches CWRITER, the queue
    // stalls (a stalled queue never drains), or queue_timeout_ps passes.
    // Returns false if it stopped on a stall or a timeout.
    bool wait_drained(unsigned its = 0);
    // A device with `device_id` writes `event` to ITS `its`'s GITS_TRANSLATER (posted).
    void send_msi(uint32_t device_id, uint32_t event, uint64_t tag, unsigned its = 0);
    // A software store through the bus.
    bool store(uint64_t addr, uint64_t value, unsigned size);
    // Write the LPI's byte in the property table.
    bool set_lpi_config(uint32_t intid, uint8_t priority, bool enable);
    // GICv4 (driver_v4.cpp): the vLPI's byte in the vLPI configuration
    // table of vPE `vpeid`'s VM; make `vpeid` resident on `cpu`; make
    // whatever is resident on `cpu` non-resident; a GITS_SGIR write.
    bool set_vlpi_config(uint32_t vpeid, uint32_t vintid, uint8_t priority, bool enable);
    void schedule(unsigned cpu, uint32_t vpeid);
    void deschedule(unsigned cpu, bool doorbell);
    void send_vsgi(uint32_t vpeid, uint32_t vintid, unsigned its = 0);
    // GICR_VSGIR = vpeid at `cpu`'s redistributor, then GICR_VSGIPENDR until
    // Busy = 0, every driver.dirty_poll (Linux polls 1 us steps, 500 us).
    void read_vsgi(unsigned cpu, uint32_t vpeid, uint64_t seq);

    // --- What the platform needs to know ---
    unsigned its_count() const { return unsigned(q_.size()); }
    uint64_t its_base(unsigned its = 0) const { return q_.at(its).base; }
    uint64_t prop_table() const { return prop_base_; }
    uint64_t pend_table(unsigned cpu) const { return pend_base_.at(cpu); }
    uint64_t cmdq_base(unsigned its = 0) const { return q_.at(its).cmdq_base; }
    uint64_t cmdq_bytes(unsigned its = 0) const { return q_.at(its).cmdq_bytes; }
    uint64_t device_table(unsigned its = 0) const { return q_.at(its).table[kDev].base; }
    uint64_t collection_table(unsigned its = 0) const { return q_.at(its).table[kCol].base; }
    uint64_t vpe_table(unsigned its = 0) const { return q_.at(its).table[kVpe].base; }
    // GICv4: vPE v's VPT and its VM's vLPI configuration table (0 if v >= gic.vpes).
    uint64_t vpt(uint32_t vpeid) const { return vpeid < vpt_.size() ? vpt_[vpeid] : 0; }
    uint64_t vconf(uint32_t vpeid) const;
    uint32_t doorbell_of(uint32_t vpeid) const { return cfg_.doorbell_base + vpeid; }
    // The vPE resident on `cpu` as the agent last scheduled it (-1: none).
    int32_t resident(unsigned cpu) const { return resident_.at(cpu); }
    // Published commands of ITS `its` not yet retired, oldest first (the
    // platform pops them as that ITS reports completions).
    std::deque<PublishedCommand>& in_flight(unsigned its = 0) { return q_.at(its).in_flight; }
    uint64_t commands_published() const;
    const std::string& setup_error() const { return setup_error_; }
    const DriverConfig& config() const { return cfg_; }

private:
    enum { kDev = 0, kCol = 1, kVpe = 2 };
    // A table the agent allocated for an ITS (GITS_BASER<n>).
    struct Table {
        uint64_t base = 0;
        unsigned esz = 8;
        uint64_t l1_entries = 0;
        uint64_t pages = 0;       // GITS_BASER.Size + 1
        bool indirect = false;
        std::vector<bool> l2;     // two-level: which level-2 pages exist (empty: flat)
    };
    // One ITS as its software sees it: its frame, tables and command queue.
    struct Queue {
        uint64_t base = 0;
        Table table[3];
        uint64_t cmdq_base = 0, cmdq_bytes = 0;
        uint64_t widx = 0;          // next free byte offset in the queue
        uint64_t creadr_seen = 0;   // last GITS_CREADR offset read
        unsigned unpublished = 0;
        uint64_t published_total = 0;
        std::deque<PublishedCommand> in_flight;
        const sc_core::sc_event* creadr_event = nullptr;
        // creadr_event | deadline_ev_, made at the first wait: a list made
        // per wait would cost two heap allocations each time.
        std::unique_ptr<sc_core::sc_event_or_list> moved_or_deadline;
    };

    void run();
    bool setup();
    bool setup_its(unsigned n);
    bool setup_v4();                    // driver_v4.cpp
    bool setup_vpe_l2(unsigned n);      // driver_v4.cpp
    uint64_t alloc(uint64_t bytes, uint64_t align);
    // Untimed register/memory access during bring-up.
    bool setup_write(uint64_t addr, uint64_t value, unsigned size);
    bool setup_read(uint64_t addr, uint64_t& value, unsigned size);
    // Two-level tables: make sure the level-2 page holding `id` exists
    // (timed: a descriptor store before the command that needs it).
    void ensure_l2(Queue& q, unsigned which, uint64_t id);
    uint64_t read_creadr(Queue& q);
    uint64_t read64(uint64_t addr);
    void write64(uint64_t addr, uint64_t value);
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { cpu_.invalidate(start, end); }
    // Wait for CREADR to move, at most until `deadline`; false on timeout.
    bool wait_creadr_change(Queue& q, const sc_core::sc_time& deadline);
    void report_timeout(const char* what, uint64_t creadr, unsigned its);
    // Make sure deadline_ev_ fires at `deadline` or before (see the .cpp).
    void arm_deadline(const sc_core::sc_time& deadline);
    // GICv4: fill what VMAPP left out (driver_v4.cpp).
    void fill_vmapp(ItsCommand& cmd, unsigned its, uint32_t defaulted);
    uint64_t vlpi_base(unsigned cpu) const { return cfg_.redist_base + uint64_t(cpu) * cfg_.redist_stride + 0x20000; }
    // Poll GICR_VPENDBASER until Dirty = 0 (or the timeout); returns the last value read.
    uint64_t poll_dirty(unsigned cpu, DriverResidency& r);

    DriverConfig cfg_;
    Timeline tl_;
    BusMaster cpu_, dev_;
    std::function<void(DriverAgent&)> program_;
    sc_core::sc_event deadline_ev_;       // the waits' timeout (arm_deadline)
    sc_core::sc_time deadline_at_ = sc_core::SC_ZERO_TIME;   // its notification's time

    uint64_t next_free_ = 0, alloc_end_ = 0;
    uint64_t prop_base_ = 0;
    std::vector<uint64_t> pend_base_;
    std::vector<Queue> q_;
    // GICv4
    std::vector<uint64_t> vpt_;           // per vPE
    std::vector<uint64_t> vconf_;         // per VM
    std::vector<uint32_t> mapped_on_;     // per vPE: bit n = VMAPP V=1 sent to ITS n (Alloc)
    std::vector<int32_t> resident_;       // per CPU: the vPE scheduled there, -1 none
    std::vector<bool> idai_;              // per vPE (v4.0): IDAI to write at the next schedule
    std::string setup_error_;
};

}  // namespace itsim
