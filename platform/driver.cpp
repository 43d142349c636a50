#include "driver.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "itsim/common/msi_ext.h"
#include "itsim/its/its_core.h"
#include "itsim/redist/gicr_regs.h"

namespace itsim {

namespace {
// Register offsets and fields: the models' names (gits::, baser::, gicr::).
// Inner write-back read-allocate write-allocate (InnerCache = 0b111), inner
// shareable (Shareability = 0b01): what Linux programs; the model keeps these
// bits but they change nothing.
constexpr uint64_t kInnerWaWb = baser::kInnerCacheMask;
constexpr uint64_t kInnerShareable = uint64_t{1} << 10;
constexpr uint64_t kRdInnerWaWb = gicr::BASER_InnerCache;   // PROPBASER/PENDBASER InnerCache = 0b111

uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }
}  // namespace

DriverAgent::DriverAgent(sc_core::sc_module_name name, const DriverConfig& cfg, TimingMode mode)
    : sc_module(name),
      cpu_port("cpu_port"),
      dev_port("dev_port"),
      cfg_(cfg),
      tl_(mode),
      cpu_(cpu_port, cfg.use_dmi),
      dev_(dev_port, false) {
    next_free_ = cfg_.ram_base + cfg_.trace_region;
    alloc_end_ = cfg_.ram_base + cfg_.ram_size;
    q_.resize(std::max(1u, cfg_.its_count));
    for (unsigned n = 0; n < q_.size(); ++n) q_[n].base = cfg_.its_base + uint64_t(n) * cfg_.its_stride;
    resident_.assign(cfg_.cpus, -1);
    cpu_port.register_invalidate_direct_mem_ptr(this, &DriverAgent::invalidate);
    SC_HAS_PROCESS(DriverAgent);
    SC_THREAD(run);
}

uint64_t DriverAgent::alloc(uint64_t bytes, uint64_t align) {
    uint64_t at = round_up(next_free_, align);
    if (at + bytes > alloc_end_ || at + bytes < at)
        throw std::runtime_error("driver agent: RAM above the trace's 256 MiB is too small for the ITS tables "
                                 "(raise ram.size)");
    next_free_ = at + bytes;
    return at;  // RAM starts zeroed: no clearing needed
}

bool DriverAgent::setup_write(uint64_t addr, uint64_t value, unsigned size) {
    Timeline scratch(TimingMode::accurate);  // bring-up is untimed: the cost is dropped
    uint8_t buf[8];
    for (unsigned i = 0; i < size; ++i) buf[i] = uint8_t(value >> (8 * i));
    return cpu_.access(tlm::TLM_WRITE_COMMAND, addr, buf, size, scratch);
}

bool DriverAgent::setup_read(uint64_t addr, uint64_t& value, unsigned size) {
    Timeline scratch(TimingMode::accurate);
    uint8_t buf[8] = {};
    bool ok = cpu_.access(tlm::TLM_READ_COMMAND, addr, buf, size, scratch);
    value = 0;
    for (unsigned i = 0; i < size; ++i) value |= uint64_t(buf[i]) << (8 * i);
    return ok;
}

bool DriverAgent::setup() {
    // LPI property table: one byte per LPI, 4 KiB aligned, shared by all.
    const uint64_t nlpis = (1ull << cfg_.lpi_bits);
    prop_base_ = alloc(round_up(nlpis - 8192, 4096), 4096);
    for (unsigned i = 0; i < cfg_.cpus; ++i) {
        uint64_t rd = cfg_.redist_base + uint64_t(i) * cfg_.redist_stride;
        pend_base_.push_back(alloc(round_up(nlpis / 8, 65536), 65536));
        uint64_t propbaser = prop_base_ | kInnerShareable | kRdInnerWaWb | uint64_t(cfg_.lpi_bits - 1);
        uint64_t pendbaser = pend_base_.back() | kInnerShareable | kRdInnerWaWb | gicr::PENDBASER_PTZ;
        if (!setup_write(rd + gicr::PROPBASER, propbaser, 8) ||
            !setup_write(rd + gicr::PENDBASER, pendbaser, 8) ||
            !setup_write(rd + gicr::CTLR, 1, 4)) {
            setup_error_ = "redistributor " + std::to_string(i) + " did not accept its LPI set-up";
            return false;
        }
    }
    for (unsigned n = 0; n < q_.size(); ++n)
        if (!setup_its(n)) return false;
    return has_gicv4(cfg_.version) ? setup_v4() : true;
}

bool DriverAgent::setup_its(unsigned n) {
    Queue& q = q_[n];
    const std::string its = q_.size() > 1 ? "ITS " + std::to_string(n) + " " : "";
    uint64_t typer = 0;
    if (!setup_read(q.base + gits::TYPER, typer, 8)) {
        setup_error_ = its + "GITS_TYPER read failed";
        return false;
    }
    const unsigned devbits = unsigned((typer >> 13) & 0x1F) + 1;
    const uint64_t page = cfg_.page_size;
    const uint64_t page_code = page == 4096 ? 0 : page == 16384 ? 1 : 2;
    for (unsigned b = 0; b < 8; ++b) {
        uint64_t baser = 0;
        setup_read(q.base + gits::BASER(b), baser, 8);
        unsigned type = unsigned((baser >> baser::kTypeShift) & 7);
        unsigned esz = unsigned((baser >> baser::kEntrySizeShift) & 0x1F) + 1;
        // Device (1) and collection (4) tables; with GICv4 the vPE table (2).
        const bool vpe = type == 2 && has_gicv4(cfg_.version);
        if (type != 1 && type != 4 && !vpe) continue;
        bool device = type == 1;
        const unsigned which = device ? kDev : vpe ? kVpe : kCol;
        // ICIDs: 16 bits unless GITS_TYPER.CIL says CIDbits + 1 (Linux's
        // its_alloc_tables); vPEIDs 16 bits (Linux's ITS_MAX_VPEID_BITS).
        const unsigned cidbits = (typer >> 36) & 1 ? unsigned((typer >> 32) & 0xF) + 1 : 16;
        uint64_t ids = device ? (1ull << devbits) : vpe ? (1ull << 16) : (1ull << cidbits);
        bool indirect = device ? cfg_.device_indirect : vpe ? cfg_.vpe_indirect : cfg_.collection_indirect;
        Table& t = q.table[which];
        uint64_t base = 0, pages = 0;
        if (!indirect) {
            pages = (ids * esz + page - 1) / page;
            if (pages > 256) pages = 256;  // GITS_BASER.Size holds at most 256 pages
            base = alloc(pages * page, page);
        } else {
            uint64_t per_l2 = page / esz;
            uint64_t l1_entries = (ids + per_l2 - 1) / per_l2;
            pages = (l1_entries * 8 + page - 1) / page;
            if (pages > 256) pages = 256;
            // Capped: the level-1 table covers only what fits in 256 pages
            // (a descriptor past it would land in the next allocation).
            l1_entries = std::min(l1_entries, pages * page / 8);
            base = alloc(pages * page, page);
            t.l1_entries = l1_entries;
            t.l2.assign(l1_entries, false);
        }
        t.base = base;
        t.esz = esz;
        t.pages = pages;
        t.indirect = indirect;
        uint64_t addr_bits = base & 0x0000FFFFFFFFF000ull;
        if (page == 65536) addr_bits = (base & 0x0000FFFFFFFF0000ull) | ((base >> 48) & 0xF) << 12;
        uint64_t value = baser::kValid | (indirect ? baser::kIndirect : 0) | kInnerWaWb |
                         (uint64_t(type) << baser::kTypeShift) | (uint64_t(esz - 1) << baser::kEntrySizeShift) |
                         addr_bits | kInnerShareable | (page_code << baser::kPageSizeShift) | (pages - 1);
        setup_write(q.base + gits::BASER(b), value, 8);
        if (vpe && !setup_vpe_l2(n)) return false;
    }

    q.cmdq_bytes = uint64_t(cfg_.cmdq_pages) * 4096;
    q.cmdq_base = alloc(q.cmdq_bytes, 65536);
    setup_write(q.base + gits::CBASER,
                gits::CBASER_Valid | kInnerWaWb | kInnerShareable | q.cmdq_base | (cfg_.cmdq_pages - 1), 8);
    setup_write(q.base + gits::CWRITER, 0, 8);
    if (!setup_write(q.base + gits::CTLR, 1, 4)) {
        setup_error_ = its + "GITS_CTLR write failed";
        return false;
    }
    return true;
}

void DriverAgent::ensure_l2(Queue& q, unsigned which, uint64_t id) {
    Table& t = q.table[which];
    if (t.l2.empty()) return;  // flat table
    uint64_t per_l2 = cfg_.page_size / t.esz;
    uint64_t l1 = id / per_l2;
    if (l1 >= t.l2.size() || t.l2[l1]) return;  // out of range: the ITS reports it
    uint64_t l2 = alloc(cfg_.page_size, cfg_.page_size);
    uint64_t desc = (1ull << 63) | l2;
    uint8_t buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = uint8_t(desc >> (8 * i));
    // Linux writes the descriptor (and cleans it to the point of coherency)
    // before the MAPD/MAPC that needs it: a timed store.
    cpu_.access(tlm::TLM_WRITE_COMMAND, t.base + l1 * 8, buf, 8, tl_);
    t.l2[l1] = true;
}

void DriverAgent::run() {
    if (!setup()) return;
    if (program_) program_(*this);
    kick_all();
    tl_.sync_now();
    // A deadline still armed would keep the simulation alive until it.
    deadline_ev_.cancel();
    deadline_at_ = sc_core::SC_ZERO_TIME;
}

uint64_t DriverAgent::now_ps() const { return tl_.now().value(); }

void DriverAgent::advance_to(uint64_t t_ps) {
    uint64_t now = now_ps();
    if (t_ps <= now) return;
    tl_.spend(sc_core::sc_time::from_value(t_ps - now));
    tl_.sync_now();
}

bool DriverAgent::has_unpublished() const {
    for (const Queue& q : q_)
        if (q.unpublished) return true;
    return false;
}

void DriverAgent::kick_all() {
    for (unsigned n = 0; n < q_.size(); ++n)
        if (q_[n].unpublished) kick(n);
}

uint64_t DriverAgent::commands_published() const {
    uint64_t n = 0;
    for (const Queue& q : q_) n += q.published_total;
    return n;
}

uint64_t DriverAgent::read64(uint64_t addr) {
    uint8_t buf[8] = {};
    cpu_.access(tlm::TLM_READ_COMMAND, addr, buf, 8, tl_);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(buf[i]) << (8 * i);
    return v;
}

void DriverAgent::write64(uint64_t addr, uint64_t value) {
    uint8_t buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = uint8_t(value >> (8 * i));
    cpu_.access(tlm::TLM_WRITE_COMMAND, addr, buf, 8, tl_);
}

uint64_t DriverAgent::read_creadr(Queue& q) { return read64(q.base + gits::CREADR); }

bool DriverAgent::wait_creadr_change(Queue& q, const sc_core::sc_time& deadline) {
    // Time still owed (fast mode: the read's own latency) is waited out
    // first. The read gave CREADR as of its end, which is where that wait
    // ends; if CREADR moved meanwhile (a change the ITS found only while the
    // driver ran ahead), the caller reads it again. Otherwise the driver
    // waits for the next change, as in accurate mode: one read per change,
    // not one per read latency.
    if (tl_.local() != sc_core::SC_ZERO_TIME) {
        const bool moved = q.creadr_event ? tl_.sync_now_watching(*q.creadr_event) : true;
        tl_.sync_now();   // no event to watch: waits the offset out
        if (moved) return sc_core::sc_time_stamp() < deadline;
    }
    if (sc_core::sc_time_stamp() >= deadline) return false;
    for (;;) {
        arm_deadline(deadline);
        if (q.creadr_event) {
            if (!q.moved_or_deadline) {
                q.moved_or_deadline = std::make_unique<sc_core::sc_event_or_list>();
                *q.moved_or_deadline |= *q.creadr_event;
                *q.moved_or_deadline |= deadline_ev_;
            }
            sc_core::wait(*q.moved_or_deadline);
        } else {
            sc_core::wait(deadline_ev_);
        }
        if (q.creadr_event && q.creadr_event->triggered()) break;
        if (sc_core::sc_time_stamp() >= deadline) break;
        // The timeout an earlier wait armed came first: this wait goes on.
    }
    return sc_core::sc_time_stamp() < deadline;
}

void DriverAgent::arm_deadline(const sc_core::sc_time& deadline) {
    // One timed notification at a time, never cancelled while the program
    // runs: a cancelled one stays in the kernel's queue of timed events
    // until its time (SystemC removes them lazily), and a queue-full wait
    // per command would leave thousands there, each making every timed
    // event of the next queue_timeout dearer. A notification still pending
    // for an earlier deadline is kept (it wakes the wait, which re-arms).
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (deadline_at_ > now && deadline_at_ <= deadline) return;
    if (deadline_at_ > now) deadline_ev_.cancel();
    deadline_ev_.notify(deadline - now);
    deadline_at_ = deadline;
}

void DriverAgent::report_timeout(const char* what, uint64_t creadr, unsigned its) {
    if (on_timeout) on_timeout(DriverTimeout{now_ps(), what, creadr, q_[its].widx, its});
}

void DriverAgent::append_command(const ItsCommand& cmd_in, unsigned seq, unsigned its, uint32_t defaulted) {
    Queue& q = q_.at(its);
    ItsCommand cmd = cmd_in;
    if (cmd.opcode == uint8_t(ItsOpcode::VMAPP) && has_gicv4(cfg_.version)) fill_vmapp(cmd, its, defaulted);
    // A command that maps a device, a collection or (GICv4) a vPE needs the
    // level-2 page of its entry (two-level tables).
    if (const CmdInfo* info = command_info(cmd.opcode); info && cmd.valid) {
        if (info->maps == CmdMaps::device) ensure_l2(q, kDev, cmd.device);
        if (info->maps == CmdMaps::collection) ensure_l2(q, kCol, cmd.icid);
        if (info->maps == CmdMaps::vpe && has_gicv4(cfg_.version)) ensure_l2(q, kVpe, cmd.vpeid);
    }
    append_raw(encode(cmd), seq, its);
}

void DriverAgent::append_raw(const CmdWords& words, unsigned seq, unsigned its) {
    Queue& q = q_.at(its);
    // Queue full when advancing the write index would meet the read index
    // (Linux its_queue_full). Wait for the ITS to make room.
    uint64_t next = (q.widx + 32) % q.cmdq_bytes;
    if (next == (q.creadr_seen & 0xFFFE0)) {
        const sc_core::sc_time deadline = tl_.now() + sc_core::sc_time::from_value(cfg_.queue_timeout_ps);
        for (;;) {
            if (q.unpublished) kick(its);
            uint64_t creadr = read_creadr(q);
            q.creadr_seen = creadr & 0xFFFE0;
            if (next != q.creadr_seen) break;
            // Stalled with a full queue, or no progress in time: nothing will
            // make room. Like Linux ("ITS can't allocate, dropping command"),
            // drop the command.
            if ((creadr & 1) || !wait_creadr_change(q, deadline)) {
                report_timeout("queue_full", creadr, its);
                return;
            }
        }
    }
    uint8_t bytes[32];
    to_bytes(words, bytes);
    cpu_.access(tlm::TLM_WRITE_COMMAND, q.cmdq_base + q.widx, bytes, 32, tl_);
    q.in_flight.push_back(PublishedCommand{q.widx, seq, 0, false});
    q.widx = next;
    ++q.unpublished;
}

void DriverAgent::kick(unsigned its) {
    Queue& q = q_.at(its);
    // The commands are marked published, with the write's time, before the
    // write is issued: the access may wait (quantum, bus), and the ITS may
    // run and complete them meanwhile.
    const uint64_t t = now_ps();
    DriverKick k;
    k.t_ps = t;
    k.cwriter = q.widx;
    k.its = its;
    for (auto it = q.in_flight.rbegin(); it != q.in_flight.rend() && !it->published; ++it) {
        it->published = true;
        it->issued_ps = t;
        ++q.published_total;
        ++k.count;
        if (it->seq) {
            if (!k.last_seq) k.last_seq = it->seq;
            k.first_seq = it->seq;
        }
    }
    q.unpublished = 0;
    if (on_kick) on_kick(k);
    write64(q.base + gits::CWRITER, q.widx);
}

bool DriverAgent::wait_drained(unsigned its) {
    Queue& q = q_.at(its);
    if (q.unpublished) kick(its);
    const sc_core::sc_time deadline = tl_.now() + sc_core::sc_time::from_value(cfg_.queue_timeout_ps);
    for (;;) {
        uint64_t creadr = read_creadr(q);
        q.creadr_seen = creadr & 0xFFFE0;
        if (q.creadr_seen == q.widx || (creadr & 1)) {  // drained, or stalled: software sees it and goes on
            return q.creadr_seen == q.widx;
        }
        if (!wait_creadr_change(q, deadline)) {
            report_timeout("wait", creadr, its);
            return false;
        }
    }
}

void DriverAgent::send_msi(uint32_t device_id, uint32_t event, uint64_t tag, unsigned its) {
    Queue& q = q_.at(its);
    if (q.unpublished) kick(its);
    // Posted: the device's write leaves now; its response time is not the
    // agent's business, so it is charged to a throw-away timeline.
    Timeline posted(tl_.mode());
    tl_.sync_now();
    MsiExtension ext(device_id, tag);
    uint8_t buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = uint8_t(event >> (8 * i));
    dev_.access(tlm::TLM_WRITE_COMMAND, q.base + gits::TRANSLATER, buf, 4, posted, &ext);
}

bool DriverAgent::store(uint64_t addr, uint64_t value, unsigned size) {
    // A store the trace makes (a register, or memory the GIC reads) takes
    // effect at its time, also in fast mode: the agent catches up first, so
    // that no part sees it while its own time is still before the store.
    tl_.sync_now();
    uint8_t buf[8];
    for (unsigned i = 0; i < size && i < 8; ++i) buf[i] = uint8_t(value >> (8 * i));
    return cpu_.access(tlm::TLM_WRITE_COMMAND, addr, buf, size, tl_);
}

bool DriverAgent::set_lpi_config(uint32_t intid, uint8_t priority, bool enable) {
    if (intid < 8192 || intid >= (1ull << cfg_.lpi_bits)) return false;
    // Bits [7:2] priority, bit 1 RES1 (Linux's LPI_PROP_GROUP1), bit 0 enable.
    uint8_t byte = uint8_t((priority & 0xFC) | 0x2 | (enable ? 1 : 0));
    tl_.sync_now();   // at its time, as store()
    return cpu_.access(tlm::TLM_WRITE_COMMAND, prop_base_ + (intid - 8192), &byte, 1, tl_);
}

}  // namespace itsim
