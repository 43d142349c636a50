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

    uint64_t typer = 0;
    if (!setup_read(cfg_.its_base + gits::TYPER, typer, 8)) {
        setup_error_ = "GITS_TYPER read failed";
        return false;
    }
    const unsigned devbits = unsigned((typer >> 13) & 0x1F) + 1;
    const uint64_t page = cfg_.page_size;
    const uint64_t page_code = page == 4096 ? 0 : page == 16384 ? 1 : 2;
    for (unsigned n = 0; n < 8; ++n) {
        uint64_t baser = 0;
        setup_read(cfg_.its_base + gits::BASER(n), baser, 8);
        unsigned type = unsigned((baser >> baser::kTypeShift) & 7);
        unsigned esz = unsigned((baser >> baser::kEntrySizeShift) & 0x1F) + 1;
        if (type != 1 && type != 4) continue;  // only device (1) and collection (4) tables
        bool device = type == 1;
        // ICIDs: 16 bits unless GITS_TYPER.CIL says CIDbits + 1 (Linux's its_alloc_tables).
        const unsigned cidbits = (typer >> 36) & 1 ? unsigned((typer >> 32) & 0xF) + 1 : 16;
        uint64_t ids = device ? (1ull << devbits) : (1ull << cidbits);
        bool indirect = device ? cfg_.device_indirect : cfg_.collection_indirect;
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
            (device ? dt_l1_entries_ : ct_l1_entries_) = l1_entries;
            (device ? dt_l2_ : ct_l2_).assign(l1_entries, false);
        }
        (device ? dt_base_ : ct_base_) = base;
        (device ? dt_esz_ : ct_esz_) = esz;
        uint64_t addr_bits = base & 0x0000FFFFFFFFF000ull;
        if (page == 65536) addr_bits = (base & 0x0000FFFFFFFF0000ull) | ((base >> 48) & 0xF) << 12;
        uint64_t value = baser::kValid | (indirect ? baser::kIndirect : 0) | kInnerWaWb |
                         (uint64_t(type) << baser::kTypeShift) | (uint64_t(esz - 1) << baser::kEntrySizeShift) |
                         addr_bits | kInnerShareable | (page_code << baser::kPageSizeShift) | (pages - 1);
        setup_write(cfg_.its_base + gits::BASER(n), value, 8);
    }

    cmdq_bytes_ = uint64_t(cfg_.cmdq_pages) * 4096;
    cmdq_base_ = alloc(cmdq_bytes_, 65536);
    setup_write(cfg_.its_base + gits::CBASER,
                gits::CBASER_Valid | kInnerWaWb | kInnerShareable | cmdq_base_ | (cfg_.cmdq_pages - 1), 8);
    setup_write(cfg_.its_base + gits::CWRITER, 0, 8);
    if (!setup_write(cfg_.its_base + gits::CTLR, 1, 4)) {
        setup_error_ = "GITS_CTLR write failed";
        return false;
    }
    return true;
}

void DriverAgent::ensure_l2(bool device, uint64_t id) {
    std::vector<bool>& present = device ? dt_l2_ : ct_l2_;
    if (present.empty()) return;  // flat table
    uint64_t per_l2 = cfg_.page_size / (device ? dt_esz_ : ct_esz_);
    uint64_t l1 = id / per_l2;
    if (l1 >= present.size() || present[l1]) return;  // out of range: the ITS reports it
    uint64_t l2 = alloc(cfg_.page_size, cfg_.page_size);
    uint64_t desc = (1ull << 63) | l2;
    uint8_t buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = uint8_t(desc >> (8 * i));
    // Linux writes the descriptor (and cleans it to the point of coherency)
    // before the MAPD/MAPC that needs it: a timed store.
    cpu_.access(tlm::TLM_WRITE_COMMAND, (device ? dt_base_ : ct_base_) + l1 * 8, buf, 8, tl_);
    present[l1] = true;
}

void DriverAgent::run() {
    if (!setup()) return;
    if (program_) program_(*this);
    if (unpublished_) kick();
    tl_.sync_now();
}

uint64_t DriverAgent::now_ps() const { return tl_.now().value(); }

void DriverAgent::advance_to(uint64_t t_ps) {
    uint64_t now = now_ps();
    if (t_ps <= now) return;
    tl_.spend(sc_core::sc_time::from_value(t_ps - now));
    tl_.sync_now();
}

uint64_t DriverAgent::read_creadr() {
    uint8_t buf[8] = {};
    cpu_.access(tlm::TLM_READ_COMMAND, cfg_.its_base + gits::CREADR, buf, 8, tl_);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(buf[i]) << (8 * i);
    return v;
}

bool DriverAgent::wait_creadr_change(const sc_core::sc_time& deadline) {
    // Time still owed is waited out first; CREADR may have moved meanwhile
    // (nobody was waiting for its event then), so the caller reads it again
    // before anything waits for the next change.
    if (tl_.local() != sc_core::SC_ZERO_TIME) {
        tl_.sync_now();
        return sc_core::sc_time_stamp() < deadline;
    }
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (now >= deadline) return false;
    // One deadline event per wait sequence, armed once: a timed wait per
    // CREADR change would leave a cancelled timeout in the kernel's queue
    // each time (thousands in a command batch).
    if (deadline != deadline_armed_) {
        deadline_ev_.cancel();
        deadline_ev_.notify(deadline - now);
        deadline_armed_ = deadline;
    }
    if (creadr_event_) sc_core::wait(*creadr_event_ | deadline_ev_);
    else sc_core::wait(deadline_ev_);
    return sc_core::sc_time_stamp() < deadline;
}

void DriverAgent::report_timeout(const char* what, uint64_t creadr) {
    if (on_timeout) on_timeout(DriverTimeout{now_ps(), what, creadr, widx_});
}

void DriverAgent::append_command(const ItsCommand& cmd, unsigned seq) {
    // A command that maps a device or a collection needs the level-2 page
    // of its entry (two-level tables). The driver sets up no vPE table.
    if (const CmdInfo* info = command_info(cmd.opcode); info && cmd.valid) {
        if (info->maps == CmdMaps::device) ensure_l2(true, cmd.device);
        if (info->maps == CmdMaps::collection) ensure_l2(false, cmd.icid);
    }
    append_raw(encode(cmd), seq);
}

void DriverAgent::append_raw(const CmdWords& words, unsigned seq) {
    // Queue full when advancing the write index would meet the read index
    // (Linux its_queue_full). Wait for the ITS to make room.
    uint64_t next = (widx_ + 32) % cmdq_bytes_;
    if (next == (creadr_seen_ & 0xFFFE0)) {
        const sc_core::sc_time deadline = tl_.now() + sc_core::sc_time::from_value(cfg_.queue_timeout_ps);
        for (;;) {
            if (unpublished_) kick();
            uint64_t creadr = read_creadr();
            creadr_seen_ = creadr & 0xFFFE0;
            if (next != creadr_seen_) break;
            // Stalled with a full queue, or no progress in time: nothing will
            // make room. Like Linux ("ITS can't allocate, dropping command"),
            // drop the command.
            if ((creadr & 1) || !wait_creadr_change(deadline)) {
                end_wait();
                report_timeout("queue_full", creadr);
                return;
            }
        }
        end_wait();
    }
    uint8_t bytes[32];
    to_bytes(words, bytes);
    cpu_.access(tlm::TLM_WRITE_COMMAND, cmdq_base_ + widx_, bytes, 32, tl_);
    in_flight_.push_back(PublishedCommand{widx_, seq, 0, false});
    widx_ = next;
    ++unpublished_;
}

void DriverAgent::kick() {
    // The commands are marked published, with the write's time, before the
    // write is issued: the access may wait (quantum, bus), and the ITS may
    // run and complete them meanwhile.
    const uint64_t t = now_ps();
    DriverKick k;
    k.t_ps = t;
    k.cwriter = widx_;
    for (auto it = in_flight_.rbegin(); it != in_flight_.rend() && !it->published; ++it) {
        it->published = true;
        it->issued_ps = t;
        ++published_total_;
        ++k.count;
        if (it->seq) {
            if (!k.last_seq) k.last_seq = it->seq;
            k.first_seq = it->seq;
        }
    }
    unpublished_ = 0;
    if (on_kick) on_kick(k);
    uint8_t buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = uint8_t(widx_ >> (8 * i));
    cpu_.access(tlm::TLM_WRITE_COMMAND, cfg_.its_base + gits::CWRITER, buf, 8, tl_);
}

bool DriverAgent::wait_drained() {
    if (unpublished_) kick();
    const sc_core::sc_time deadline = tl_.now() + sc_core::sc_time::from_value(cfg_.queue_timeout_ps);
    for (;;) {
        uint64_t creadr = read_creadr();
        creadr_seen_ = creadr & 0xFFFE0;
        if (creadr_seen_ == widx_ || (creadr & 1)) {  // drained, or stalled: software sees it and goes on
            end_wait();
            return creadr_seen_ == widx_;
        }
        if (!wait_creadr_change(deadline)) {
            end_wait();
            report_timeout("wait", creadr);
            return false;
        }
    }
}

void DriverAgent::end_wait() {
    // A deadline left armed would keep the simulation alive until it.
    deadline_ev_.cancel();
    deadline_armed_ = sc_core::SC_ZERO_TIME;
}

void DriverAgent::send_msi(uint32_t device_id, uint32_t event, uint64_t tag) {
    if (unpublished_) kick();
    // Posted: the device's write leaves now; its response time is not the
    // agent's business, so it is charged to a throw-away timeline.
    Timeline posted(tl_.mode());
    tl_.sync_now();
    MsiExtension ext(device_id, tag);
    uint8_t buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = uint8_t(event >> (8 * i));
    dev_.access(tlm::TLM_WRITE_COMMAND, cfg_.its_base + gits::TRANSLATER, buf, 4, posted, &ext);
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
