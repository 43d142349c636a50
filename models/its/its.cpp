// The Its module, part 1 of 4 (its_lane.h): construction, the MMIO socket
// (the GITS control frame and GITS_TRANSLATER), GITS_CREADR as software
// sees it over time, statistics and the probe.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "itsim/its/its.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "itsim/common/msi_ext.h"
#include "itsim/common/reg_frame_tlm.h"
#include "itsim/common/report.h"
#include "itsim/its/its_lane.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_ZERO_TIME;

namespace {

// The translation frame: a table of one row (GICv4.1 adds GITS_SGIR in a
// third frame). A write reaching GITS_TRANSLATER records its EventID here;
// the module then accepts the MSI.
struct MsiWrite {
    bool seen = false;
    uint32_t event = 0;
    void write_translater(uint64_t v, uint64_t mask) {
        seen = true;
        event = static_cast<uint32_t>(v & mask);
    }
};
using TranslationRegs = RegFrame<MsiWrite>;

// GICv4.1's third frame: GITS_SGIR, 64-bit writes only (a 32-bit access
// is a bad access: RAZ/WI and counted).
struct SgirWrite {
    bool seen = false;
    uint64_t value = 0;
    void write_sgir(uint64_t v, uint64_t mask) {
        seen = true;
        value = v & mask;
    }
};
using SgiRegs = RegFrame<SgirWrite>;

const SgiRegs& sgi_frame() {
    static const SgiRegs frame(gits::kSgiFrame, Its::kFrameBytesV41 - gits::kSgiFrame, {
        // offset     name         width reset access         write mask                                      read     write
        {gits::SGIR,  "GITS_SGIR", 64,   0,    RegAccess::wo, (uint64_t{0xFFFF} << gits::SGIR_VpeidShift) | gits::SGIR_VintidMask,
         nullptr, &SgirWrite::write_sgir, reg_size(8)},
    });
    return frame;
}

const TranslationRegs& translation_frame() {
    static const TranslationRegs frame(Its::kTranslationFrame, Its::kFrameBytes - Its::kTranslationFrame, {
        // offset          name               width reset access         write mask   read     write
        {gits::TRANSLATER, "GITS_TRANSLATER", 32,   0,    RegAccess::wo, 0xFFFFFFFF,  nullptr, &MsiWrite::write_translater,
         reg_size(2) | reg_size(4)},
    });
    return frame;
}

}  // namespace

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------
Its::Its(sc_core::sc_module_name name, const ItsModuleConfig& cfg)
    : sc_module(name), mmio("mmio"), bus("bus"), rd("rd"), cfg_(cfg), core_(cfg.core) {
    if (cfg_.ingress_depth < 1 || cfg_.translation_slots < 1 || cfg_.max_reads < 1 || cfg_.max_writes < 1)
        throw std::invalid_argument("Its: ingress_depth, translation_slots, max_reads and max_writes must be >= 1");
    const sc_time& clk = cfg_.timing.clock_period;
    t_reg_ = clk * double(cfg_.timing.register_cycles);
    t_ingress_ = clk * double(cfg_.timing.ingress_cycles);
    t_decode_ = clk * double(cfg_.timing.decode_cycles);
    t_execute_ = clk * double(cfg_.timing.execute_cycles);
    t_lookup_ = clk * double(cfg_.timing.lookup_cycles);
    t_hop_ = clk * double(cfg_.timing.hop_cycles);
    reads_.max = cfg_.max_reads;
    writes_.max = cfg_.max_writes;

    mmio.register_b_transport(this, &Its::b_transport);
    mmio.register_transport_dbg(this, &Its::transport_dbg);
    bus.register_invalidate_direct_mem_ptr(this, &Its::invalidate_dmi);

    sc_core::sc_spawn_options tick;
    tick.spawn_method();
    tick.set_sensitivity(&creadr_timer_);
    tick.dont_initialize();
    sc_core::sc_spawn([this] { creadr_tick(); }, "creadr_tick", &tick);
    engine_lane_ = std::make_unique<Lane>(*this);
    sgir_lane_ = std::make_unique<Lane>(*this);
    sc_core::sc_spawn([this] { engine(); }, "engine");
    for (unsigned i = 0; i < cfg_.translation_slots; ++i) {
        worker_lanes_.push_back(std::make_unique<Lane>(*this));
        sc_core::sc_spawn([this, i] { worker(i); }, sc_core::sc_gen_unique_name("worker"));
    }
    update_probe();
}

Its::~Its() = default;

// The `rd` port is bound by now (binding order = redistributor index).
void Its::end_of_elaboration() {
    std::vector<RdInfo> info;
    rds_.clear();
    for (int i = 0; i < rd.size(); ++i) {
        LpiStreamIf* t = rd[i];
        info.push_back({t->processor_number(), t->rd_base()});
        rds_.push_back(t);
    }
    core_.set_redistributors(std::move(info));
}

void Its::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    engine_lane_->bm.invalidate(start, end);
    sgir_lane_->bm.invalidate(start, end);
    for (auto& l : worker_lanes_) l->bm.invalidate(start, end);
}

// ---------------------------------------------------------------------------
// MMIO
// ---------------------------------------------------------------------------
// Both frames through their tables (reg_frame.h): a bad access reads 0,
// changes nothing, is answered OK and counted; what is no register access
// at all gets an error response (reg_frame_tlm.h). Both counted in
// stats_.bad_accesses.
void Its::accept_translater(tlm::tlm_generic_payload& tr, uint32_t event, sc_time& delay) {
    MsiExtension* ext = nullptr;
    tr.get_extension(ext);
    if (!ext) ++stats_.msis_without_device_id;
    if (!ext) report::msi_without_device_id(report::kIts, this, event);
    accept_msi(ext ? ext->device_id : 0, event, ext ? ext->tag : 0, delay);
}

void Its::b_transport(tlm::tlm_generic_payload& tr, sc_time& delay) {
    if (const tlm::tlm_response_status st = reg_payload_status(tr, frame_bytes()); st != tlm::TLM_OK_RESPONSE) {
        ++stats_.bad_accesses;
        tr.set_response_status(st);
        report::bad_access(report::kIts, this, tr);
        return;
    }
    tr.set_response_status(tlm::TLM_OK_RESPONSE);
    const uint64_t addr = tr.get_address();
    const unsigned len = tr.get_data_length();
    unsigned char* data = tr.get_data_ptr();
    const bool is_read = tr.is_read(), is_write = tr.is_write();   // neither: TLM_IGNORE_COMMAND
    if (addr >= kSgiFrame) {   // GICv4.1 only: frame_bytes() reaches it
        bool ok = true;
        if (is_read) {
            uint64_t v = 0;
            ok = sgi_frame().read(SgirWrite{}, nullptr, addr, len, &v);
            reg_store(data, len, v);
        } else if (is_write) {
            SgirWrite w;
            ok = sgi_frame().write(w, nullptr, addr, len, reg_load(data, len));
            if (w.seen) write_sgir(w.value, delay);
        }
        if (!ok) ++stats_.bad_accesses;
        if (!ok) report::bad_access(report::kIts, this, tr);
        delay += t_reg_;
        return;
    }
    // The MSI's way in, a whole-word write of GITS_TRANSLATER: what the
    // table below does with it (one row, every bit the EventID), without
    // looking the register up.
    if (is_write && addr == gits::TRANSLATER && len == 4) {
        accept_translater(tr, static_cast<uint32_t>(reg_load(data, 4)), delay);
        delay += t_reg_;
        return;
    }
    if (addr >= kTranslationFrame) {
        bool ok = true;
        if (is_read) {
            uint64_t v = 0;
            ok = translation_frame().read(MsiWrite{}, nullptr, addr, len, &v);
            reg_store(data, len, v);
        } else if (is_write) {
            MsiWrite w;
            ok = translation_frame().write(w, nullptr, addr, len, reg_load(data, len));
            if (w.seen) accept_translater(tr, w.event, delay);
        }
        if (!ok) ++stats_.bad_accesses;
        if (!ok) report::bad_access(report::kIts, this, tr);
        delay += t_reg_;
        return;
    }
    // Control frame: the register changes at the end of the access.
    delay += t_reg_;
    const sc_time t = sc_time_stamp() + delay;
    if (is_read) {
        uint64_t v = 0;
        if (core_.read_register(addr, len, &v)) {
            if ((addr & ~uint64_t{7}) == gits::CREADR) {
                const uint64_t c = creadr_at(t);
                v = len == 8 ? c : ((addr & 4) ? c >> 32 : c & 0xFFFFFFFFu);
            }
        } else {
            ++stats_.bad_accesses;
            report::bad_access(report::kIts, this, tr);
        }
        reg_store(data, len, v);
    } else if (is_write) {
        const uint64_t creadr_before = core_.creadr(), cwriter_before = core_.cwriter();
        if (!core_.write_register(addr, len, reg_load(data, len))) {
            ++stats_.bad_accesses;
            report::bad_access(report::kIts, this, tr);
        }
        if (core_.creadr() != creadr_before) {   // CBASER write (a new queue), Retry
            note_creadr(t);
            publications_.clear();
        }
        if (core_.cwriter() != cwriter_before) {
            if (publications_.size() >= kMaxPublications) publications_.pop_front();
            publications_.push_back({t, cwriter_before, core_.cwriter()});
        }
        const uint64_t slot = addr & ~uint64_t{7};
        stats_.max_queue_occupancy = std::max(stats_.max_queue_occupancy, core_.queue_occupancy());
        if ((slot == gits::CTLR || slot == gits::CWRITER) && core_.command_ready()) {
            last_kick_ = t;
            kick_ev_.notify(t - sc_time_stamp());
        }
        update_probe();
    }
}

// Reads any length and alignment without side effects (reg_debug_read);
// writes are refused (0 bytes).
unsigned Its::transport_dbg(tlm::tlm_generic_payload& tr) {
    const uint64_t addr = tr.get_address();
    const unsigned len = tr.get_data_length();
    const uint64_t span = frame_bytes();
    if (!tr.is_read() || !tr.get_data_ptr() || addr >= span || len > span - addr) return 0;
    reg_debug_read(addr, len, tr.get_data_ptr(), [this](uint64_t word, uint64_t* v) {
        if (word < kTranslationFrame) core_.read_register(word, 4, v);
        else if (word < kSgiFrame) translation_frame().read(MsiWrite{}, nullptr, word, 4, v);
        else sgi_frame().read(SgirWrite{}, nullptr, word, 4, v);
    });
    tr.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

// ---------------------------------------------------------------------------
// GITS_CREADR as software sees it over time
// ---------------------------------------------------------------------------
void Its::note_creadr(const sc_time& t) {
    auto it = creadr_hist_.end();
    while (it != creadr_hist_.begin() && std::prev(it)->first > t) --it;
    creadr_hist_.insert(it, {t, core_.creadr()});
    const sc_time now = sc_time_stamp();
    // No reader can look before now: fold what is past into the base value.
    while (!creadr_hist_.empty() && creadr_hist_.front().first <= now) {
        creadr_base_ = creadr_hist_.front().second;
        creadr_hist_.pop_front();
    }
    creadr_timer_.notify(t > now ? t - now : SC_ZERO_TIME);
    update_probe();
}

// An sc_event keeps only its earliest pending notification, so one timer
// walks through the history: each firing announces the change and re-arms
// for the next entry still in the future.
void Its::creadr_tick() {
    creadr_ev_.notify();
    const sc_time now = sc_time_stamp();
    for (const auto& e : creadr_hist_) {
        if (e.first > now) {
            creadr_timer_.notify(e.first - now);
            break;
        }
    }
    update_probe();
}

uint64_t Its::creadr_at(const sc_time& t) const {
    uint64_t v = creadr_base_;
    for (const auto& e : creadr_hist_) {
        if (e.first > t) break;
        v = e.second;
    }
    return v;
}

// ---------------------------------------------------------------------------
// Statistics and the probe
// ---------------------------------------------------------------------------
unsigned Its::reads_in_flight() const { return reads_.in_flight(); }
unsigned Its::writes_in_flight() const { return writes_.in_flight(); }

const ItsStats& Its::stats() const {
    stats_.max_queue_occupancy = std::max(stats_.max_queue_occupancy, core_.queue_occupancy());
    return stats_;
}

void Its::update_probe() {
    if (!on_probe) return;   // nobody samples: probe() computes on demand
    refresh_probe();
    on_probe();
}

void Its::refresh_probe() const {
    probe_.enabled = core_.enabled();
    probe_.creadr = creadr_hist_.empty() ? creadr_base_ : creadr_at(sc_time_stamp());
    probe_.cwriter = core_.cwriter();
    probe_.queue_occupancy = core_.queue_occupancy();
    if (probe_.queue_occupancy > stats_.max_queue_occupancy) stats_.max_queue_occupancy = probe_.queue_occupancy;
    unsigned waiting = 0;   // accept_inline: MSIs whose translation has not started
    for (const sc_time& t : inline_starts_) waiting += t > sc_time_stamp();
    probe_.ingress_occupancy = static_cast<unsigned>(ingress_.size()) + waiting;
    probe_.translations_active = active_workers_;
    probe_.reads_in_flight = reads_.in_flight();
    probe_.writes_in_flight = writes_.in_flight();
}

const ItsProbe& Its::probe() const {
    refresh_probe();
    return probe_;
}

void Its::set_peers(const std::vector<Its*>& all) {
    std::vector<ItsCore*> cores;
    for (Its* i : all)
        if (i) cores.push_back(&i->core_);
    core_.set_peers(std::move(cores));
}

// ---------------------------------------------------------------------------
// GITS_SGIR (GICv4.1)
// ---------------------------------------------------------------------------
// The write is handled inside the writer's b_transport on a lane of its
// own, from the write's time (now + delay): the VTE lookup (vPE cache,
// table read) and the set_vsgi to the vPE's redistributor. fast mode: on a
// no-wait timeline, as an inline MSI, and the writer's delay is unchanged;
// accurate mode: the lane's time is the writer's (its accesses may wait
// for a slot) and the delay returned includes it.
void Its::write_sgir(uint64_t value, sc_time& delay) {
    Timeline& tl = sgir_lane_->tl;
    const bool fast = cfg_.mode == TimingMode::fast;
    tl.set_no_wait(fast);
    tl.set_local(delay);
    tl.set_context(0);
    core_.write_sgir(value, sgir_lane_->env);
    if (!fast) delay = tl.local();
    tl.set_local(SC_ZERO_TIME);
    tl.set_no_wait(false);
    update_probe();
}

}  // namespace itsim
