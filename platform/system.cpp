#include "system.h"

#include "run_stream.h"

namespace itsim {

namespace {
sc_core::sc_time ps(uint64_t v) { return sc_core::sc_time::from_value(v); }
Params with_derived_defaults(Params p) {
    apply_derived_defaults(p);
    return p;
}
}  // namespace

System::System(const Params& p_in) : params_(with_derived_defaults(p_in)), config_(system_config(params_)) {
    const Params& p = params_;
    SystemConfig& c = config_;
    const PlatformConfig& pc = c.platform;
    mode_ = pc.mode;
    const bool fast = mode_ == TimingMode::fast;
    if (fast) tlm::tlm_global_quantum::instance().set(ps(pc.quantum_ps));

    // Combinations no single parameter's range rules out.
    const unsigned ncpu = pc.cpus;
    const uint64_t ram_base = pc.ram_base, ram_size = pc.ram_size;
    const uint64_t rd_base = pc.redist_base, rd_stride = pc.redist_stride;
    if (ram_base + ram_size < ram_base || ram_base + ram_size > (uint64_t{1} << 52))
        throw p.error("ram.size", "RAM must end within the 52-bit physical address space (ram.base + ram.size)");
    if (ram_size <= (256ull << 20) + (8ull << 20))
        throw p.error("ram.size", "RAM must be larger than the trace's 256 MiB plus the ITS tables");
    // RDbase with PTA = 1 is RD_base[51:16]: every RD_base must be 64 KiB aligned.
    if (c.its.core.pta && ((rd_base | rd_stride) & 0xFFFF))
        throw p.error(rd_base & 0xFFFF ? "redist.base" : "redist.stride",
                      "must be a multiple of 64 KiB with its.pta=1 (RDbase holds RD_base[51:16])");
    // GICv4: 4 frames per redistributor; the doorbells must be LPIs; the
    // ITS frames must not overlap the redistributors.
    const GicVersion ver = pc.gic_version;
    const unsigned nits = pc.its_count;
    const uint64_t its_span = pc.its_stride();
    const uint64_t rd_span = pc.redist_frames_bytes();
    if (rd_stride < rd_span)
        throw p.error("redist.stride", "must be at least " + hex(rd_span) + " with gic.version=" + to_string(ver) +
                                           " (4 x 64 KiB frames: RD_base, SGI_base, VLPI_base, reserved)");
    if (has_gicv4(ver) && pc.doorbell_base + pc.vpes > (uint64_t{1} << c.its.core.lpi_intid_bits))
        throw p.error("gic.doorbell_base", "the doorbells " + std::to_string(pc.doorbell_base) + ".." +
                                               std::to_string(pc.doorbell_base + pc.vpes - 1) +
                                               " (gic.vpes=" + std::to_string(pc.vpes) +
                                               ") must be LPIs below 2^its.lpi_bits");
    if (pc.its_base < rd_base + uint64_t(ncpu) * rd_stride && rd_base < pc.its_base + nits * its_span)
        throw p.error(nits > 1 ? "its.count" : "its.base",
                      "the ITS frames [" + hex(pc.its_base) + ", " + hex(pc.its_base + nits * its_span) +
                          ") overlap the redistributors from redist.base=" + hex(rd_base));
    const unsigned line = c.redist.config_line_bytes;
    if (line & (line - 1)) throw p.error("redist.config_line_bytes", "must be a power of two");

    // What follows from the platform rather than from a parameter of the
    // model: the timing mode, the RAM size, the memory map, the LPI INTID
    // bits every redistributor and the driver share with the ITS.
    c.mem.size = ram_size;
    c.its.mode = mode_;
    c.its.use_dmi = fast;
    c.redist.max_id_bits = c.its.core.lpi_intid_bits;
    c.redist.version = pc.gic_version;
    c.redist.mode = mode_;
    c.redist.use_dmi = fast;
    c.redist.coalesce = pc.coalesce;   // where it cannot change a result (redistributor.h)
    c.driver.ram_base = ram_base;
    c.driver.ram_size = ram_size;
    c.driver.its_base = pc.its_base;
    c.driver.redist_base = rd_base;
    c.driver.redist_stride = rd_stride;
    c.driver.cpus = ncpu;
    c.driver.lpi_bits = c.its.core.lpi_intid_bits;
    c.driver.use_dmi = fast;
    c.driver.its_count = nits;
    c.driver.its_stride = its_span;
    c.driver.version = ver;
    c.driver.vpes = pc.vpes;
    c.driver.vpes_per_vm = pc.vpes_per_vm;
    c.driver.doorbell_base = uint32_t(pc.doorbell_base);

    ram_ = std::make_unique<Memory>("ram", c.mem);
    bus_ = std::make_unique<Bus>("bus", c.bus);

    const std::pair<const char*, const ItsCacheGeometry*> its_caches[] = {
        {"its.device_cache", &c.its.core.device_cache},
        {"its.event_cache", &c.its.core.event_cache},
        {"its.collection_cache", &c.its.core.collection_cache},
    };
    auto check_cache = [&](const std::string& n, size_t entries, size_t ways) {
        if (entries % ways != 0)
            throw p.error(n + ".entries", "not a multiple of " + n + ".ways=" + p.raw(n + ".ways"));
    };
    for (const auto& [name, g] : its_caches) check_cache(name, g->entries, g->ways);
    check_cache("redist.config_cache", c.redist.config_cache_entries, c.redist.config_cache_ways);
    // GICv4: the version (gic.version) in every model that has one.
    c.its.core.version = ver;
    for (unsigned n = 0; n < nits; ++n) {
        const std::string name = nits == 1 ? "its" : "its" + std::to_string(n);
        ItsModuleConfig ic = c.its;
        ic.core.its_number = n;   // GITS_CTLR.ITS_Number: its ITSList bit
        its_.push_back(std::make_unique<Its>(name.c_str(), ic));
    }
    // Several ITSs: each knows the others (a VMOVP with GITS_TYPER.VMOVP = 1
    // updates every ITS's vPE table).
    if (nits > 1) {
        std::vector<Its*> all;
        for (auto& its : its_) all.push_back(its.get());
        for (auto& its : its_) its->set_peers(all);
    }

    for (unsigned i = 0; i < ncpu; ++i) {
        RedistConfig rc = c.redist;
        rc.processor_number = i;
        rc.rd_base = rd_base + uint64_t(i) * rd_stride;
        rc.affinity = i;  // Aff0 = CPU number, as a flat cluster
        rc.last = i + 1 == ncpu;
        std::string n = "gicr" + std::to_string(i);
        redists_.push_back(std::make_unique<Redistributor>(n.c_str(), rc, c.redist_timing));
        // Every ITS's stream: binding order = redistributor index.
        for (auto& its : its_) its->rd(*redists_.back());
        n = "cpu" + std::to_string(i);
        cpus_.push_back(std::make_unique<CpuInterface>(n.c_str(), c.cpu));
        n = "irq" + std::to_string(i);
        irqs_.push_back(std::make_unique<sc_core::sc_signal<bool>>(n.c_str()));
        redists_.back()->irq(*irqs_.back());
        cpus_.back()->irq(*irqs_.back());
        cpus_.back()->rd(*redists_.back());
        cpus_.back()->on_ack = [this](const AckRecord& a) {
            if (stream_) stream_->ack(a);
            else records_.acks.push_back(a);
        };
        cpus_.back()->on_vack = [this](const VackRecord& a) {
            records_.vacks.push_back(a);
            // A GICv4.0 redistributor knows its resident vPE by its VPT only
            // (vPEID 0xFFFFFFFF until an operation names it): the software
            // knows which it scheduled there.
            if (a.vpeid == 0xFFFFFFFFu && driver_ && driver_->resident(a.cpu) >= 0)
                records_.vacks.back().vpeid = uint32_t(driver_->resident(a.cpu));
        };
        redists_.back()->on_change = [this](const LpiChange& c) { on_change(c); };
        redists_.back()->on_vchange = [this](const VlpiChange& c) { on_vchange(c); };
        redists_.back()->on_residency = [this](const ResidencyRecord& r) { records_.rd_residencies.push_back(r); };
        redists_.back()->on_doorbell = [this](const DoorbellRecord& d) { on_doorbell(d); };
    }

    driver_ = std::make_unique<DriverAgent>("driver", c.driver, mode_);
    for (unsigned n = 0; n < nits; ++n) driver_->set_creadr_event(&its_[n]->creadr_event(), n);
    driver_->on_timeout = [this](const DriverTimeout& t) {
        if (stream_) stream_->timeout(t);
        else records_.timeouts.push_back(t);
    };
    driver_->on_kick = [this](const DriverKick& k) {
        if (stream_) stream_->kick(k);
        else records_.kicks.push_back(k);
    };
    driver_->on_residency = [this](const DriverResidency& r) { records_.residencies.push_back(r); };
    driver_->on_vsgi_read = [this](const DriverVsgiRead& r) { records_.vsgi_reads.push_back(r); };

    // Bus: initiators, then targets in port order.
    driver_->cpu_port.bind(bus_->targ_socket);
    driver_->dev_port.bind(bus_->targ_socket);
    for (auto& its : its_) its->bus.bind(bus_->targ_socket);
    for (auto& rd : redists_) rd->bus.bind(bus_->targ_socket);
    unsigned port = 0;
    bus_->init_socket.bind(ram_->socket);
    bus_->map(port++, ram_base, ram_size, "ram");
    for (unsigned n = 0; n < nits; ++n) {
        bus_->init_socket.bind(its_[n]->mmio);
        bus_->map(port++, pc.its_base + n * its_span, its_span, its_[n]->basename());
    }
    for (unsigned i = 0; i < ncpu; ++i) {
        bus_->init_socket.bind(redists_[i]->mmio);
        bus_->map(port++, rd_base + uint64_t(i) * rd_stride, rd_span, "gicr" + std::to_string(i));
    }

    for (unsigned n = 0; n < nits; ++n) {
        its_[n]->on_command = [this, n](const CommandRecord& r) { on_command(r, n); };
        its_[n]->on_msi = [this](const MsiRecord& r) { on_msi(r); };
        its_[n]->on_stall = [this, n](const StallRecord& r) {
            if (stream_) return stream_->stall(r, n);
            records_.stalls.push_back(r);
            records_.stall_its.push_back(n);
        };
    }
}

System::~System() = default;

void System::note_msi_issued(uint64_t tag, uint64_t t_ps, bool grow) {
    if (stream_) return stream_->msi_issued(tag, t_ps);
    if (grow && tag > records_.msis.size()) records_.msis.resize(tag);
    if (tag >= 1 && tag <= records_.msis.size()) records_.msis[tag - 1].issued_ps = t_ps;
}

RunRecords::Msi* System::msi_slot(uint64_t tag) {
    if (stream_) return stream_->live_msi(tag);
    return tag >= 1 && tag <= records_.msis.size() ? &records_.msis[tag - 1] : nullptr;
}

void System::msi_updated(uint64_t tag) {
    if (stream_) stream_->msi_touched(tag);
}

void System::on_command(const CommandRecord& r, unsigned its) {
    // A stalled command is reported each time it runs; it retires (leaves
    // the driver's in-flight list) when CREADR moves past it, i.e. when it
    // is reported without stalling the queue.
    RunRecords::Command c;
    c.rec = r;
    c.its = its;
    auto& fl = driver_->in_flight(its);
    if (!fl.empty() && fl.front().offset == r.offset) {
        c.seq = fl.front().seq;
        c.issued_ps = fl.front().issued_ps;
        if (r.done_ps != 0) fl.pop_front();
    }
    if (stream_) return stream_->command(c);   // it replaces a stalled report itself
    // Replace the earlier report of the same stalled command.
    if (!records_.commands.empty()) {
        RunRecords::Command& last = records_.commands.back();
        if (last.rec.offset == r.offset && last.rec.done_ps == 0 && last.seq == c.seq && last.its == its) {
            last = c;
            return;
        }
    }
    records_.commands.push_back(c);
}

void System::on_doorbell(const DoorbellRecord& d) {
    records_.doorbells.push_back({d.t_ps, d.cpu, d.vpeid, d.intid, d.vintid, d.vsgi});
    ++doorbells_due_[{d.cpu, d.intid}];
}

void System::on_change(const LpiChange& c) {
    if (!doorbells_due_.empty()) {
        auto due = doorbells_due_.find({c.cpu, c.intid});
        if (due != doorbells_due_.end()) {
            // The doorbell's physical LPI: a pend record of its own cause.
            if (--due->second == 0) doorbells_due_.erase(due);
            RunRecords::Pend p;
            p.change = c;
            p.change.cause = LpiCause{};
            p.cause = "doorbell";
            if (stream_) stream_->pend(std::move(p));
            else records_.pends.push_back(std::move(p));
            return;
        }
    }
    if (c.cause.kind == LpiCause::Kind::msi) {
        RunRecords::Msi* slot = msi_slot(c.cause.id);
        if (!slot) return;
        RunRecords::Msi& m = *slot;
        if (c.what == LpiChange::What::refused) {
            // Posted, then LPIs were disabled before its time: not delivered.
            m.rec.delivered = false;
            m.rec.reason = "lpis_disabled";
            m.rec.pending_ps = 0;
        } else {
            m.changed = true;
            m.is_new = c.what == LpiChange::What::set;
            // When it was decided: the ITS's own stamp but for a posted MSI
            // that found LPIs disabled, decided later at its time (fast mode).
            m.rec.pending_ps = c.t_ps;
            m.config = c.config;
            m.config_valid = c.valid;
        }
        msi_updated(c.cause.id);
        return;
    }
    RunRecords::Pend p;
    p.change = c;
    if (c.cause.kind == LpiCause::Kind::command) {
        // The command running is the oldest published one not retired (of
        // the first ITS whose oldest one is at that offset).
        for (unsigned n = 0; n < its_.size() && !p.seq; ++n) {
            const auto& fl = driver_->in_flight(n);
            if (!fl.empty() && fl.front().offset == c.cause.id) p.seq = fl.front().seq;
        }
        p.cause = "command";   // the event log names it by the command's op
    } else if (c.cause.kind == LpiCause::Kind::reg) {
        p.cause = to_string(LpiCause::Reg(c.cause.op));
    }
    if (stream_) stream_->pend(std::move(p));
    else records_.pends.push_back(std::move(p));
}

void System::on_vchange(const VlpiChange& c) {
    // An MSI's vLPI: whether its vPE was resident where it arrived.
    if (c.cause.kind != LpiCause::Kind::msi) return;
    RunRecords::Msi* m = msi_slot(c.cause.id);
    if (!m) return;
    if (c.what == VlpiChange::What::set || c.what == VlpiChange::What::merge) m->resident = c.resident;
    msi_updated(c.cause.id);
}

void System::on_msi(const MsiRecord& r) {
    if (RunRecords::Msi* slot = msi_slot(r.tag)) {
        RunRecords::Msi& m = *slot;
        m.rec = r;
        m.reported = true;
        if (r.virt) {   // GICv4: a virtual ITE
            m.is_virtual = true;
            m.vpeid = r.vpeid;
            m.vintid = r.vintid;
        }
        msi_updated(r.tag);
    }
}

}  // namespace itsim
