// Redistributor, part 3 of 3 (redist_ports.h): register-based invalidations
// (GICR_INVLPIR, GICR_INVALLR), the owner side of the GICR register file
// (gicr_regs.h: the register file itself), EnableLPIs on and off, and the
// MMIO socket (b_transport, transport_dbg).
#include "itsim/redist/redistributor.h"

#include <algorithm>

#include "itsim/common/reg_frame_tlm.h"
#include "itsim/common/report.h"
#include "itsim/redist/redist_ports.h"

namespace itsim {

using sc_core::sc_time;

// ---------------------------------------------------------------------------
// Register-based invalidations
// ---------------------------------------------------------------------------

void Redistributor::complete_reg_invalidations(Timeline& tl) {
    if (!enabled_) {
        regs_.drop_invalidations();
        return;
    }
    if (!regs_.invalidations_queued()) return;
    tl.sync_now();   // as inv: the pending set at the caller's time
    if (!enabled_) return;
    const GicrRegs::Invalidations q = regs_.take_invalidations();
    // The refreshes are the register writes' (whoever completes them).
    const uint64_t ctx = tl.context();
    tl.set_context(LpiCause::reg(q.all ? LpiCause::INVALLR : LpiCause::INVLPIR).pack());
    Port port(*this, tl);
    if (q.all) {
        ++stats_.reg_invalls;
        lpi_.invall(port);
    } else {
        for (uint32_t id : q.intids) {
            if (!enabled_) break;   // EnableLPIs 1 -> 0 while a re-read waited
            ++stats_.reg_invs;
            lpi_.inv(id, port);
        }
    }
    tl.set_context(ctx);
    update_irq(tl);
}

// ---------------------------------------------------------------------------
// The owner of the register file
// ---------------------------------------------------------------------------

GicrConfig Redistributor::register_config() const {
    GicrConfig g;
    g.iidr = cfg_.iidr;
    g.typer = typer() | gicr_typer_version_bits(cfg_.version);   // v3: no bit added
    g.allow_disable = cfg_.allow_disable;
    g.max_id_bits = cfg_.max_id_bits;
    g.reg_inv_queue = cfg_.reg_inv_queue;
    g.version = cfg_.version;
    return g;
}

// What the register file calls during one access, on the accessor's
// Timeline (nullptr: a debug access, which never calls the blocking hooks).
class Redistributor::RegPort final : public GicrOwner {
public:
    RegPort(Redistributor& rd, Timeline* tl) : rd_(rd), tl_(tl) {}
    bool lpis_enabled() const override { return rd_.enabled_; }
    bool lpi_in_range(uint32_t intid) const override { return rd_.lpi_.in_range(intid); }
    void enable_lpis(const GicrEnable& e) override {
        if (tl_) rd_.enable_lpis(e, *tl_);
    }
    void disable_lpis() override {
        if (tl_) rd_.disable_lpis(*tl_);
    }
    void set_lpi_pending(uint32_t intid) override {
        if (!tl_) return;
        tl_->set_context(LpiCause::reg(LpiCause::SETLPIR).pack());
        if (rd_.set_pending(intid, *tl_) != LpiRefusal::none) ++rd_.stats_.reg_ignored;
    }
    void clear_lpi_pending(uint32_t intid) override {
        if (!tl_) return;
        tl_->set_context(LpiCause::reg(LpiCause::CLRLPIR).pack());
        rd_.clear_pending(intid, *tl_);
    }
    void sync() override {
        if (!tl_) return;
        tl_->set_context(LpiCause::reg(LpiCause::SYNCR).pack());
        rd_.sync(*tl_);
    }
    void ignored(GicrIgnored what) override {
        if (what == GicrIgnored::base_write) ++rd_.stats_.ignored_base_writes;
        else ++rd_.stats_.reg_ignored;
        report::ignored_write(report::kRedist, &rd_, what == GicrIgnored::base_write ? "GICR_PROPBASER/PENDBASER while EnableLPIs = 1"
                                                     : "GICR_INVLPIR/INVALLR that cannot apply (V = 1, LPIs disabled, no such LPI)");
    }

    // GICv4 (redist_residency.cpp). Reads see the accessor's time (a debug
    // read: the kernel's); writes do nothing on a debug access.
    uint64_t read_vpendbaser() const override { return rd_.read_vpendbaser(tl_); }
    void write_vpendbaser(uint64_t value, uint64_t mask) override {
        if (tl_) rd_.write_vpendbaser(value, mask, *tl_);
    }
    void write_vsgir(uint32_t vpeid) override {
        if (tl_) rd_.write_vsgir(vpeid, *tl_);
    }
    uint32_t read_vsgipendr() const override { return rd_.read_vsgipendr(tl_); }
    void invalidate_virtual(uint32_t vpeid, bool all, uint32_t vintid) override {
        if (tl_) rd_.invalidate_virtual(vpeid, all, vintid, *tl_);
    }

private:
    Redistributor& rd_;
    Timeline* tl_;
};

void Redistributor::enable_lpis(const GicrEnable& e, Timeline& tl) {
    lpi_.set_tables(e.prop_base, e.pend_base, e.intid_limit);
    enabled_ = true;
    enabled_since_ = kernel_time();
    if (!e.table_zero && e.intid_limit > lpi::kFirstLpi) {
        ++stats_.pending_table_loads;
        const uint64_t ctx = tl.context();
        tl.set_context(LpiCause::reg(LpiCause::enable).pack());
        Port port(*this, tl);
        stats_.lpis_loaded += lpi_.load_pending_table(port, cfg_.pending_read_burst);
        tl.set_context(ctx);
        note_count();
    }
    update_irq(tl);
}

void Redistributor::disable_lpis(Timeline& tl) {
    enabled_ = false;   // refuse new LPIs from now on
    lpi_.abandon_waiting();   // and those whose update is still running
    // From now on nothing is pending for the CPU (an acknowledge finds
    // nothing): the LPIs are dropped now, when the write reaches this
    // redistributor (the kernel's time; the access's own latency is the
    // writer's); their state is written back below.
    const uint64_t drop_ps = to_ps(sc_core::sc_time_stamp());
    for (uint32_t intid : lpi_.pending_list())
        report(LpiChange::What::drop, intid, LpiCause::reg(LpiCause::disable).pack(), drop_ps);
    for (const Commit& c : commits_) report(LpiChange::What::refused, c.intid, c.cause, drop_ps);
    ++stats_.write_backs;
    if (lazy() && lpi_.has_dirty()) ++stats_.lazy_flushes;
    drain(tl);                        // queued writes
    lpi_.mark_all_pending_dirty();    // full write-back
    drain(tl);
    wait_writes(tl);
    lpi_.drop_all();
    note_count();
    commits_.clear();   // posted LPIs not recorded yet go with the state
    undecided_ = 0;
    regs_.drop_invalidations();
    update_irq(tl);
}

// ---------------------------------------------------------------------------
// Sockets
// ---------------------------------------------------------------------------

// The frame through its table (gicr_regs.h, reg_frame.h): a bad access
// reads 0, changes nothing, is answered OK and counted; what is no register
// access at all gets an error response (reg_frame_tlm.h), counted too.
void Redistributor::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
    Entry entry(*this);
    if (const tlm::tlm_response_status st = reg_payload_status(trans, regs_.frame().size());
        st != tlm::TLM_OK_RESPONSE) {
        ++stats_.bad_accesses;
        trans.set_response_status(st);
        report::bad_access(report::kRedist, this, trans);
        return;
    }
    delay += t_mmio_;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    const tlm::tlm_command cmd = trans.get_command();
    if (cmd == tlm::TLM_IGNORE_COMMAND) return;
    const uint64_t off = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();

    Timeline tl(cfg_.mode);
    tl.spend(delay);
    RegPort port(*this, &tl);
    GicrAccess access{port, false};
    bool ok;
    if (cmd == tlm::TLM_READ_COMMAND) {
        uint64_t v = 0;
        ok = regs_.read(access, off, len, &v);
        reg_store(data, len, v);
    } else {
        ok = regs_.write(access, off, len, reg_load(data, len));
    }
    if (!ok) ++stats_.bad_accesses;
    if (!ok) report::bad_access(report::kRedist, this, trans);
    delay = tl.local();
}

// Reads any length and alignment without side effects (reg_debug_read);
// writes are refused (0 bytes).
unsigned Redistributor::transport_dbg(tlm::tlm_generic_payload& trans) {
    Entry entry(*this);
    const uint64_t off = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char* data = trans.get_data_ptr();
    const uint64_t span = regs_.frame().size();   // 128 KiB; 256 KiB with GICv4
    if (trans.get_command() != tlm::TLM_READ_COMMAND || !data || off >= span || len > span - off)
        return 0;
    RegPort port(*this, nullptr);
    GicrAccess access{port, true};
    reg_debug_read(off, len, data, [&](uint64_t word, uint64_t* v) { regs_.read(access, word, 4, v); });
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

}  // namespace itsim
