#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "its/its.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <stdexcept>

#include "common/msi_ext.h"

namespace itsim {

using sc_core::sc_time;
using sc_core::sc_time_stamp;
using sc_core::SC_ZERO_TIME;

namespace {

uint64_t to_ps(const sc_time& t) {
    static const sc_time one_ps(1, sc_core::SC_PS);
    return static_cast<uint64_t>(t.value() / one_ps.value());
}

uint64_t load_le(const unsigned char* p, unsigned len) {
    uint64_t v = 0;
    for (unsigned i = 0; i < len && i < 8; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}

void store_le(unsigned char* p, unsigned len, uint64_t v) {
    for (unsigned i = 0; i < len; ++i) p[i] = i < 8 ? static_cast<unsigned char>(v >> (8 * i)) : 0;
}

}  // namespace

// ---------------------------------------------------------------------------
// One thread's context: its local time, its bus master, its environment.
// ---------------------------------------------------------------------------
class Its::Env : public ItsEnv {
public:
    Env(Its& its, Lane& lane) : its_(its), lane_(lane) {}

    MsiRecord* msi = nullptr;   // the MSI being translated (workers)
    uint64_t fetched_ps = 0;    // command engine
    CommandRecord acted;        // command engine: has_lpi.. to_cpu of the command running

    bool read(uint64_t addr, void* dst, unsigned len, ItsAccess) override;
    bool write(uint64_t addr, const void* src, unsigned len, ItsAccess) override;
    void step(ItsStep s) override;
    LpiRefusal set_pending(unsigned rd, uint32_t intid) override;
    bool clear_pending(unsigned rd, uint32_t intid) override;
    void inv(unsigned rd, uint32_t intid) override;
    void invall(unsigned rd) override;
    void sync(unsigned rd) override;
    std::vector<uint32_t> take_all_pending(unsigned rd) override;

private:
    Its& its_;
    Lane& lane_;
};

struct Its::Lane {
    Timeline tl;
    BusMaster bm;
    Env env;
    sc_core::sc_event wake;   // workers: an MSI for this slot
    // fast mode, MSIs translated by accept_msi on this slot's lane (the
    // worker thread idle): posting (set_pending does not wait) and until
    // when the slot is busy with it.
    bool posting = false;
    sc_core::sc_time busy_until;
    explicit Lane(Its& its) : tl(its.cfg_.mode), bm(its.bus, its.cfg_.use_dmi), env(its, *this) {
        bm.set_timeline(&tl);
    }
};

bool Its::Env::read(uint64_t addr, void* dst, unsigned len, ItsAccess) {
    Timeline& tl = lane_.tl;
    const bool limit = tl.mode() == TimingMode::accurate;
    if (limit) its_.acquire(its_.reads_, tl, its_.stats_.read_slot_waits);
    const bool ok = lane_.bm.access(tlm::TLM_READ_COMMAND, addr, dst, len, tl);
    if (limit) its_.release(its_.reads_, tl);
    ++its_.stats_.bus_reads;
    if (!ok) ++its_.stats_.bus_errors;
    return ok;
}

bool Its::Env::write(uint64_t addr, const void* src, unsigned len, ItsAccess) {
    Timeline& tl = lane_.tl;
    const bool limit = tl.mode() == TimingMode::accurate;
    if (limit) its_.acquire(its_.writes_, tl, its_.stats_.write_slot_waits);
    // A write command never modifies the data (TLM-2.0 rule). Never through
    // DMI (use_dmi is for table reads): the write occupies the bus and the
    // memory in fast mode too, so it meets other writes as in accurate mode.
    const bool ok = lane_.bm.access_bus(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, tl);
    if (limit) its_.release(its_.writes_, tl);
    ++its_.stats_.bus_writes;
    if (!ok) ++its_.stats_.bus_errors;
    return ok;
}

void Its::Env::step(ItsStep s) {
    Timeline& tl = lane_.tl;
    switch (s) {
    case ItsStep::command_fetched:
        fetched_ps = to_ps(tl.now());
        its_.probe_.engine = ItsProbe::executing;
        its_.update_probe();
        break;
    case ItsStep::command_decode: tl.spend(its_.t_decode_); break;
    case ItsStep::command_execute: tl.spend(its_.t_execute_); break;
    case ItsStep::command_retire: break;
    case ItsStep::device_cache:
    case ItsStep::event_cache:
    case ItsStep::collection_cache: tl.spend(its_.t_lookup_); break;
    case ItsStep::redist_hop: tl.spend(its_.t_hop_); break;
    case ItsStep::device_known:
        if (msi) msi->device_ps = to_ps(tl.now());
        break;
    case ItsStep::event_known:
        if (msi) msi->event_ps = to_ps(tl.now());
        break;
    case ItsStep::collection_known:
        if (msi) msi->collection_ps = to_ps(tl.now());
        break;
    case ItsStep::lpi_pending:
        if (msi) msi->pending_ps = to_ps(tl.now());
        break;
    }
}

namespace {
// What a command acted on, for its record (the first redistributor and LPI,
// then a second redistributor: MOVI's new target).
void note_acted(CommandRecord& a, uint32_t cpu, const uint32_t* intid) {
    if (intid && !a.has_lpi) {
        a.has_lpi = true;
        a.lpi_intid = *intid;
    }
    if (!a.has_cpu) {
        a.has_cpu = true;
        a.lpi_cpu = cpu;
    } else if (!a.has_to_cpu && cpu != a.lpi_cpu) {
        a.has_to_cpu = true;
        a.to_cpu = cpu;
    }
}
}  // namespace

LpiRefusal Its::Env::set_pending(unsigned rd, uint32_t intid) {
    if (!msi) note_acted(acted, its_.rds_.at(rd)->processor_number(), &intid);
    if (lane_.posting) return its_.posts_.at(rd)->post_pending(intid, lane_.tl);
    return its_.rds_.at(rd)->set_pending(intid, lane_.tl);
}
bool Its::Env::clear_pending(unsigned rd, uint32_t intid) {
    if (!msi) note_acted(acted, its_.rds_.at(rd)->processor_number(), &intid);
    return its_.rds_.at(rd)->clear_pending(intid, lane_.tl);
}
void Its::Env::inv(unsigned rd, uint32_t intid) {
    if (!msi) note_acted(acted, its_.rds_.at(rd)->processor_number(), &intid);
    its_.rds_.at(rd)->inv(intid, lane_.tl);
}
void Its::Env::invall(unsigned rd) {
    if (!msi) note_acted(acted, its_.rds_.at(rd)->processor_number(), nullptr);
    its_.rds_.at(rd)->invall(lane_.tl);
}
void Its::Env::sync(unsigned rd) { its_.rds_.at(rd)->sync(lane_.tl); }
std::vector<uint32_t> Its::Env::take_all_pending(unsigned rd) {
    return its_.rds_.at(rd)->take_all_pending(lane_.tl);
}

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------
Its::Its(sc_core::sc_module_name name, const ItsModuleConfig& cfg)
    : sc_module(name), mmio("mmio"), bus("bus"), cfg_(cfg), core_(cfg.core) {
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
    sc_core::sc_spawn([this] { engine(); }, "engine");
    for (unsigned i = 0; i < cfg_.translation_slots; ++i) {
        worker_lanes_.push_back(std::make_unique<Lane>(*this));
        sc_core::sc_spawn([this, i] { worker(i); }, sc_core::sc_gen_unique_name("worker"));
    }
    update_probe();
}

Its::~Its() = default;

void Its::attach_redistributors(std::vector<LpiTarget*> rds) {
    std::vector<RdInfo> info;
    for (LpiTarget* t : rds) {
        if (!t) throw std::invalid_argument("Its::attach_redistributors: null target");
        info.push_back({t->processor_number(), t->rd_base()});
    }
    core_.set_redistributors(std::move(info));
    rds_ = std::move(rds);
    posts_.clear();
    for (LpiTarget* t : rds_) posts_.push_back(dynamic_cast<LpiPostTarget*>(t));
    can_post_ = !posts_.empty() && std::find(posts_.begin(), posts_.end(), nullptr) == posts_.end();
}

void Its::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    engine_lane_->bm.invalidate(start, end);
    for (auto& l : worker_lanes_) l->bm.invalidate(start, end);
}

// ---------------------------------------------------------------------------
// MMIO
// ---------------------------------------------------------------------------
void Its::b_transport(tlm::tlm_generic_payload& tr, sc_time& delay) {
    const uint64_t addr = tr.get_address();
    const unsigned len = tr.get_data_length();
    unsigned char* data = tr.get_data_ptr();
    if (len == 0) {   // nothing to move (and no pointer to touch)
        tr.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if (!data) {
        ++stats_.bad_accesses;
        tr.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (tr.get_byte_enable_ptr() || tr.get_streaming_width() < len) {
        ++stats_.bad_accesses;
        tr.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (addr >= kFrameBytes || len > kFrameBytes - addr) {
        ++stats_.bad_accesses;
        tr.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    tr.set_response_status(tlm::TLM_OK_RESPONSE);
    if (addr >= kTranslationFrame) {
        if (tr.is_write() && addr == gits::TRANSLATER && (len == 2 || len == 4)) {
            MsiExtension* ext = nullptr;
            tr.get_extension(ext);
            if (!ext) ++stats_.msis_without_device_id;
            accept_msi(ext ? ext->device_id : 0, static_cast<uint32_t>(load_le(data, len)), ext ? ext->tag : 0,
                       delay);
        } else {
            if (tr.is_read()) std::memset(data, 0, len);
            if (!(tr.is_read() && addr == gits::TRANSLATER && (len == 2 || len == 4))) ++stats_.bad_accesses;
        }
        delay += t_reg_;
        return;
    }
    // Control frame: the register changes at the end of the access.
    delay += t_reg_;
    const sc_time t = sc_time_stamp() + delay;
    if (tr.is_read()) {
        uint64_t v = 0;
        if (core_.read_register(addr, len, &v)) {
            if ((addr & ~uint64_t{7}) == gits::CREADR) {
                const uint64_t c = creadr_at(t);
                v = len == 8 ? c : ((addr & 4) ? c >> 32 : c & 0xFFFFFFFFu);
            }
        } else {
            ++stats_.bad_accesses;
        }
        store_le(data, len, v);
    } else if (tr.is_write()) {
        const uint64_t creadr_before = core_.creadr(), cwriter_before = core_.cwriter();
        if (!core_.write_register(addr, len, load_le(data, len))) ++stats_.bad_accesses;
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

unsigned Its::transport_dbg(tlm::tlm_generic_payload& tr) {
    const uint64_t addr = tr.get_address();
    const unsigned len = tr.get_data_length();
    if (!tr.is_read() || !tr.get_data_ptr() || addr >= kFrameBytes || len > kFrameBytes - addr) return 0;
    uint64_t v = 0;
    if (addr < kTranslationFrame) core_.read_register(addr, len, &v);
    store_le(tr.get_data_ptr(), len, v);
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
// Outstanding-access slots (accurate mode)
// ---------------------------------------------------------------------------
void Its::SlotPool::purge() {
    const sc_time now = sc_time_stamp();
    auto end = busy_until.begin();
    while (end != busy_until.end() && *end <= now) ++end;
    busy_until.erase(busy_until.begin(), end);
}

unsigned Its::SlotPool::in_flight() const {
    const sc_time now = sc_time_stamp();
    unsigned n = reserved;
    for (auto it = busy_until.rbegin(); it != busy_until.rend() && *it > now; ++it) ++n;
    return n;
}

void Its::acquire(SlotPool& p, Timeline& tl, uint64_t& waits) {
    tl.sync_now();
    const uint64_t ticket = p.next_ticket++;
    bool waited = false;
    for (;;) {
        p.purge();
        if (ticket == p.serving && p.in_flight() < p.max) break;
        waited = true;
        ++p.waiters;
        if (ticket == p.serving && !p.busy_until.empty())
            sc_core::wait(*p.busy_until.begin() - sc_time_stamp(), p.freed);
        else
            sc_core::wait(p.freed);
        --p.waiters;
    }
    if (waited) ++waits;
    ++p.serving;
    ++p.reserved;
    if (p.waiters) p.freed.notify(SC_ZERO_TIME);   // the next in line may go too
    update_probe();
}

void Its::release(SlotPool& p, Timeline& tl) {
    --p.reserved;
    const sc_time done = tl.now();
    if (done > sc_time_stamp())
        p.busy_until.insert(std::upper_bound(p.busy_until.begin(), p.busy_until.end(), done), done);
    if (p.waiters) p.freed.notify(SC_ZERO_TIME);   // waiters recompute their timeout
    update_probe();
}

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

// ---------------------------------------------------------------------------
// Command engine
// ---------------------------------------------------------------------------
sc_time Its::published_at(uint64_t offset) {
    const uint64_t qb = core_.queue_bytes();
    while (qb && !publications_.empty()) {
        const Publication& p = publications_.front();
        const uint64_t span = (p.to + qb - p.from) % qb, into = (offset + qb - p.from) % qb;
        if (p.from < qb && p.to < qb && into < span) return p.at;
        publications_.pop_front();   // it published earlier commands (or was outside the queue)
    }
    return SC_ZERO_TIME;
}

void Its::engine() {
    Lane& lane = *engine_lane_;
    Timeline& tl = lane.tl;
    for (;;) {
        while (!core_.command_ready()) {
            probe_.engine = core_.stalled() ? ItsProbe::stalled : ItsProbe::idle;
            update_probe();
            // Catch up first, then look again: a CWRITER write while this
            // thread waited out its local time notified nobody (an
            // sc_event does not remember a notification nobody waited for).
            if (tl.local() != SC_ZERO_TIME) {
                tl.sync_now();
                continue;
            }
            sc_core::wait(kick_ev_);
            // Never start work before the register write that published it.
            if (tl.now() < last_kick_) tl.spend(last_kick_ - tl.now());
        }
        probe_.engine = ItsProbe::fetching;
        update_probe();
        // Not before the CWRITER write that published this command.
        const sc_time published = published_at(core_.creadr());
        if (tl.now() < published) tl.spend(published - tl.now());
        lane.env.fetched_ps = 0;
        lane.env.acted = CommandRecord{};
        tl.set_context(LpiCause::command(core_.creadr()).pack());
        ItsCore::CommandResult r = core_.process_next(lane.env);
        CommandRecord& rec = r.record;
        {
            const CommandRecord& a = lane.env.acted;
            const uint8_t op = rec.cmd.opcode;
            // MAPD sweeps and MOVALL act on many LPIs: no single one to name.
            const bool one = op == uint8_t(ItsOpcode::INT) || op == uint8_t(ItsOpcode::CLEAR) ||
                             op == uint8_t(ItsOpcode::INV) || op == uint8_t(ItsOpcode::DISCARD) ||
                             op == uint8_t(ItsOpcode::MOVI) || op == uint8_t(ItsOpcode::INVALL);
            if (one) {
                rec.has_lpi = a.has_lpi;
                rec.lpi_intid = a.lpi_intid;
                rec.has_cpu = a.has_cpu;
                rec.lpi_cpu = a.lpi_cpu;
                rec.has_to_cpu = a.has_to_cpu;
                rec.to_cpu = a.to_cpu;
            }
        }
        const sc_time now = tl.now();
        rec.fetched_ps = lane.env.fetched_ps;
        if (r.retired) rec.done_ps = to_ps(now);
        probe_.opcode = rec.cmd.opcode;
        ++probe_.commands_done;
        if (r.retired || r.stalled) note_creadr(now);
        if (on_command) on_command(rec);
        if (r.stalled && on_stall) {
            StallRecord s;
            s.t_ps = to_ps(now);
            s.creadr = rec.offset;
            s.error = rec.status;
            on_stall(s);
        }
    }
}

// ---------------------------------------------------------------------------
// Translation
// ---------------------------------------------------------------------------
void Its::accept_msi(uint32_t device, uint32_t event, uint64_t tag, sc_time& delay) {
    if (cfg_.mode == TimingMode::fast && can_post_) {
        accept_inline(device, event, tag, delay);
        return;
    }
    sc_time arrival = sc_time_stamp() + delay;
    if (ingress_.size() >= cfg_.ingress_depth) {
        ++stats_.ingress_waits;
        sc_core::wait(delay);
        delay = SC_ZERO_TIME;
        ++space_waiters_;
        while (ingress_.size() >= cfg_.ingress_depth) sc_core::wait(space_ev_);
        --space_waiters_;
        arrival = sc_time_stamp();
    }
    Item it;
    it.device = device;
    it.event = event;
    it.tag = tag;
    it.accepted = arrival;
    it.start = arrival + t_ingress_;
    ingress_.push_back(it);
    core_.set_waiting_msis(unsigned(ingress_.size()) + popped_not_started_);
    ++stats_.msis_accepted;
    // Wake one idle slot (none idle: a busy one takes it when it is done).
    // accurate: when the translation starts; fast: now (the worker runs
    // ahead on its own timeline).
    if (!idle_workers_.empty()) {
        Lane& lane = *worker_lanes_[idle_workers_.back()];
        idle_workers_.pop_back();
        if (cfg_.mode == TimingMode::accurate) lane.wake.notify(it.start - sc_time_stamp());
        else lane.wake.notify(SC_ZERO_TIME);
    }
    update_probe();
}

// fast mode, every redistributor able to post (LpiPostTarget): the MSI is
// translated here, in the writer's b_transport, on the lane of the slot
// that is free first, from max(its start, that slot's end of work) - what
// that slot's worker would do -, on the lane's own timeline (ahead of
// kernel time, never waiting). The target redistributor records the LPI at
// its time (post_pending). No thread resumes. The FIFO holds an MSI from
// its arrival until its translation starts; a write that finds ingress_depth
// of them (at kernel time, as accept_msi does) waits in its b_transport
// until its arrival and then until the first one starts.
void Its::accept_inline(uint32_t device, uint32_t event, uint64_t tag, sc_time& delay) {
    sc_time now = sc_time_stamp();
    sc_time arrival = now + delay;
    auto leave = [this](const sc_time& t) {   // starts at or before t have left the FIFO
        auto e = inline_starts_.begin();
        while (e != inline_starts_.end() && *e <= t) ++e;
        inline_starts_.erase(inline_starts_.begin(), e);
    };
    leave(now);   // as the workers would have taken them by now
    if (inline_starts_.size() >= cfg_.ingress_depth) {
        ++stats_.ingress_waits;
        sc_core::wait(delay);
        delay = SC_ZERO_TIME;
        for (;;) {
            now = sc_time_stamp();
            leave(now);
            if (inline_starts_.size() < cfg_.ingress_depth) break;
            sc_core::wait(inline_starts_.front() - now);
        }
        arrival = now;
    }
    Item it;
    it.device = device;
    it.event = event;
    it.tag = tag;
    it.accepted = arrival;
    it.start = arrival + t_ingress_;
    ++stats_.msis_accepted;
    Lane* lane = worker_lanes_.front().get();
    for (auto& l : worker_lanes_)
        if (l->busy_until < lane->busy_until) lane = l.get();
    const sc_time begin = std::max(it.start, lane->busy_until);
    inline_starts_.insert(std::upper_bound(inline_starts_.begin(), inline_starts_.end(), begin), begin);
    Timeline& tl = lane->tl;   // its worker waits, idle, with no local offset
    tl.set_no_wait(true);
    lane->posting = true;
    tl.spend(begin - now);
    translate_item(*lane, it);
    lane->busy_until = tl.now();
    lane->posting = false;
    tl.set_local(SC_ZERO_TIME);
    tl.set_no_wait(false);
}

void Its::translate_item(Lane& lane, const Item& it) {
    Timeline& tl = lane.tl;
    MsiRecord rec;
    rec.tag = it.tag;
    rec.accepted_ps = to_ps(it.accepted);
    rec.started_ps = to_ps(tl.now());
    ++active_workers_;
    update_probe();
    tl.set_context(LpiCause::msi(it.tag).pack());
    lane.env.msi = &rec;
    core_.translate(it.device, it.event, lane.env, rec);
    lane.env.msi = nullptr;
    --active_workers_;
    ++probe_.msis_done;
    update_probe();
    if (on_msi) on_msi(rec);
}

void Its::worker(unsigned index) {
    Lane& lane = *worker_lanes_[index];
    Timeline& tl = lane.tl;
    for (;;) {
        // accurate: the slot is free only once its previous translation's
        // time has passed (otherwise it would take the next MSI early).
        tl.sync();
        while (ingress_.empty()) {
            // Catch up first, then look again (an MSI that arrived while
            // this slot waited out its time found it busy, not idle).
            if (tl.local() != SC_ZERO_TIME) {
                tl.sync_now();
                continue;
            }
            idle_workers_.push_back(index);   // accept_msi takes it off when it wakes it
            sc_core::wait(lane.wake);
        }
        const Item it = ingress_.front();
        ingress_.pop_front();
        ++popped_not_started_;   // still counts for Quiescent until translate() takes it
        if (space_waiters_) space_ev_.notify(SC_ZERO_TIME);
        if (tl.now() < it.start) tl.spend(it.start - tl.now());
        tl.sync();   // accurate: look at caches and tables at the true time
        // From here the core counts it (translations in flight).
        --popped_not_started_;
        core_.set_waiting_msis(unsigned(ingress_.size()) + popped_not_started_);
        translate_item(lane, it);
    }
}

}  // namespace itsim
