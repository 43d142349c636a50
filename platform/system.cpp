#include "system.h"

namespace itsim {

namespace {
sc_core::sc_time ps(uint64_t v) { return sc_core::sc_time::from_value(v); }
}  // namespace

System::System(const Params& p) : params_(p) {
    mode_ = p.text("mode") == "fast" ? TimingMode::fast : TimingMode::accurate;
    const bool fast = mode_ == TimingMode::fast;
    if (fast) tlm::tlm_global_quantum::instance().set(ps(p.picoseconds("quantum")));

    const unsigned ncpu = unsigned(p.integer("cpus"));
    const uint64_t ram_base = p.integer("ram.base");
    const uint64_t ram_size = p.integer("ram.size");
    const uint64_t its_base = p.integer("its.base");
    const uint64_t rd_base = p.integer("redist.base");
    const uint64_t rd_stride = p.integer("redist.stride");
    if (ram_base + ram_size < ram_base || ram_base + ram_size > (uint64_t{1} << 52))
        throw p.error("ram.size", "RAM must end within the 52-bit physical address space (ram.base + ram.size)");
    if (ram_size <= (256ull << 20) + (8ull << 20))
        throw p.error("ram.size", "RAM must be larger than the trace's 256 MiB plus the ITS tables");
    // RDbase with PTA = 1 is RD_base[51:16]: every RD_base must be 64 KiB aligned.
    if (p.integer("its.pta") == 1 && ((rd_base | rd_stride) & 0xFFFF))
        throw p.error(rd_base & 0xFFFF ? "redist.base" : "redist.stride",
                      "must be a multiple of 64 KiB with its.pta=1 (RDbase holds RD_base[51:16])");
    const uint64_t line = p.integer("redist.config_line_bytes");
    if (line & (line - 1)) throw p.error("redist.config_line_bytes", "must be a power of two");

    MemoryConfig mc;
    mc.size = ram_size;
    mc.read_latency = ps(p.picoseconds("mem.read_latency"));
    mc.write_latency = ps(p.picoseconds("mem.write_latency"));
    mc.clock_period = ps(p.period_ps("mem.clock"));
    mc.bytes_per_cycle = unsigned(p.integer("mem.bytes_per_cycle"));
    mc.dmi = p.flag("mem.dmi");
    ram_ = std::make_unique<Memory>("ram", mc);

    BusConfig bc;
    bc.clock_period = ps(p.period_ps("bus.clock"));
    bc.hop_cycles = unsigned(p.integer("bus.hop_cycles"));
    bus_ = std::make_unique<Bus>("bus", bc);

    ItsModuleConfig ic;
    ic.core.device_id_bits = unsigned(p.integer("its.device_bits"));
    ic.core.event_id_bits = unsigned(p.integer("its.event_bits"));
    ic.core.icid_bits = unsigned(p.integer("its.icid_bits"));
    ic.core.lpi_intid_bits = unsigned(p.integer("its.lpi_bits"));
    ic.core.pta = p.integer("its.pta") == 1;
    ic.core.error_policy = p.text("error_policy") == "stall" ? ItsErrorPolicy::stall : ItsErrorPolicy::ignore;
    ic.core.device_cache = {size_t(p.integer("its.device_cache.entries")), size_t(p.integer("its.device_cache.ways"))};
    ic.core.event_cache = {size_t(p.integer("its.event_cache.entries")), size_t(p.integer("its.event_cache.ways"))};
    ic.core.collection_cache = {size_t(p.integer("its.collection_cache.entries")),
                                size_t(p.integer("its.collection_cache.ways"))};
    for (const char* c : {"its.device_cache", "its.event_cache", "its.collection_cache", "redist.config_cache"}) {
        std::string n(c);
        if (p.integer(n + ".entries") % p.integer(n + ".ways") != 0)
            throw p.error(n + ".entries", "not a multiple of " + n + ".ways=" + p.raw(n + ".ways"));
    }
    ic.timing.clock_period = ps(p.period_ps("its.clock"));
    ic.timing.register_cycles = unsigned(p.integer("its.register_cycles"));
    ic.timing.ingress_cycles = unsigned(p.integer("its.ingress_cycles"));
    ic.timing.decode_cycles = unsigned(p.integer("its.decode_cycles"));
    ic.timing.execute_cycles = unsigned(p.integer("its.execute_cycles"));
    ic.timing.lookup_cycles = unsigned(p.integer("its.lookup_cycles"));
    ic.timing.hop_cycles = unsigned(p.integer("its.hop_cycles"));
    ic.mode = mode_;
    ic.use_dmi = fast;
    ic.ingress_depth = unsigned(p.integer("its.ingress_depth"));
    ic.translation_slots = unsigned(p.integer("its.translation_slots"));
    ic.max_reads = unsigned(p.integer("its.max_reads"));
    ic.max_writes = unsigned(p.integer("its.max_writes"));
    its_ = std::make_unique<Its>("its", ic);

    RedistTiming rt;
    rt.clock_period = ps(p.period_ps("redist.clock"));
    rt.config_lookup_cycles = unsigned(p.integer("redist.lookup_cycles"));
    rt.pending_update_cycles = unsigned(p.integer("redist.pending_cycles"));
    rt.signal_cycles = unsigned(p.integer("redist.signal_cycles"));
    rt.mmio_cycles = unsigned(p.integer("redist.register_cycles"));
    CpuInterfaceConfig cc;
    cc.ack_latency = ps(p.picoseconds("cpu.ack_latency"));
    cc.handler_latency = ps(p.picoseconds("cpu.handler_latency"));
    std::vector<LpiTarget*> targets;
    for (unsigned i = 0; i < ncpu; ++i) {
        RedistConfig rc;
        rc.processor_number = i;
        rc.rd_base = rd_base + uint64_t(i) * rd_stride;
        rc.affinity = i;  // Aff0 = CPU number, as a flat cluster
        rc.last = i + 1 == ncpu;
        rc.max_id_bits = unsigned(p.integer("its.lpi_bits"));
        rc.config_cache_entries = size_t(p.integer("redist.config_cache.entries"));
        rc.config_cache_ways = size_t(p.integer("redist.config_cache.ways"));
        rc.config_line_bytes = unsigned(p.integer("redist.config_line_bytes"));
        rc.pending_read_burst = unsigned(p.integer("redist.pending_read_burst"));
        rc.allow_disable = p.flag("redist.allow_disable");
        rc.lazy_dirty_limit = unsigned(p.integer("redist.lazy_dirty_limit"));
        rc.pending_table = p.text("redist.pending_table") == "through" ? PendingTablePolicy::through
                                                                       : PendingTablePolicy::lazy;
        rc.mode = mode_;
        rc.use_dmi = fast;
        std::string n = "gicr" + std::to_string(i);
        redists_.push_back(std::make_unique<Redistributor>(n.c_str(), rc, rt));
        targets.push_back(redists_.back().get());
        n = "cpu" + std::to_string(i);
        cpus_.push_back(std::make_unique<CpuInterface>(n.c_str(), cc));
        n = "irq" + std::to_string(i);
        irqs_.push_back(std::make_unique<sc_core::sc_signal<bool>>(n.c_str()));
        redists_.back()->irq(*irqs_.back());
        cpus_.back()->irq(*irqs_.back());
        cpus_.back()->rd(*redists_.back());
        cpus_.back()->on_ack = [this](const AckRecord& a) { records_.acks.push_back(a); };
        redists_.back()->on_change = [this](const LpiChange& c) { on_change(c); };
    }
    its_->attach_redistributors(targets);

    DriverConfig dc;
    dc.ram_base = ram_base;
    dc.ram_size = ram_size;
    dc.its_base = its_base;
    dc.redist_base = rd_base;
    dc.redist_stride = rd_stride;
    dc.cpus = ncpu;
    dc.lpi_bits = unsigned(p.integer("its.lpi_bits"));
    dc.cmdq_pages = unsigned(p.integer("its.cmdq_pages"));
    dc.device_indirect = p.text("its.device_table") == "indirect";
    dc.collection_indirect = p.text("its.collection_table") == "indirect";
    const std::string& pg = p.text("its.page_size");
    dc.page_size = pg == "4K" ? 4096 : pg == "16K" ? 16384 : 65536;
    dc.use_dmi = fast;
    dc.queue_timeout_ps = p.picoseconds("driver.queue_timeout");
    driver_ = std::make_unique<DriverAgent>("driver", dc, mode_);
    driver_->set_creadr_event(&its_->creadr_event());
    driver_->on_timeout = [this](const DriverTimeout& t) { records_.timeouts.push_back(t); };
    driver_->on_kick = [this](const DriverKick& k) { records_.kicks.push_back(k); };

    // Bus: initiators, then targets in port order.
    driver_->cpu_port.bind(bus_->targ_socket);
    driver_->dev_port.bind(bus_->targ_socket);
    its_->bus.bind(bus_->targ_socket);
    for (auto& rd : redists_) rd->bus.bind(bus_->targ_socket);
    unsigned port = 0;
    bus_->init_socket.bind(ram_->socket);
    bus_->map(port++, ram_base, ram_size, "ram");
    bus_->init_socket.bind(its_->mmio);
    bus_->map(port++, its_base, Its::kFrameBytes, "its");
    for (unsigned i = 0; i < ncpu; ++i) {
        bus_->init_socket.bind(redists_[i]->mmio);
        bus_->map(port++, rd_base + uint64_t(i) * rd_stride, 0x20000, "gicr" + std::to_string(i));
    }

    its_->on_command = [this](const CommandRecord& r) { on_command(r); };
    its_->on_msi = [this](const MsiRecord& r) { on_msi(r); };
    its_->on_stall = [this](const StallRecord& r) { records_.stalls.push_back(r); };
}

System::~System() = default;

void System::note_msi_issued(uint64_t tag, uint64_t t_ps) {
    if (tag >= 1 && tag <= records_.msis.size()) records_.msis[tag - 1].issued_ps = t_ps;
}

void System::on_command(const CommandRecord& r) {
    // A stalled command is reported each time it runs; it retires (leaves
    // the driver's in-flight list) when CREADR moves past it, i.e. when it
    // is reported without stalling the queue.
    RunRecords::Command c;
    c.rec = r;
    auto& fl = driver_->in_flight();
    if (!fl.empty() && fl.front().offset == r.offset) {
        c.seq = fl.front().seq;
        c.issued_ps = fl.front().issued_ps;
        if (r.done_ps != 0) fl.pop_front();
    }
    // Replace the earlier report of the same stalled command.
    if (!records_.commands.empty()) {
        RunRecords::Command& last = records_.commands.back();
        if (last.rec.offset == r.offset && last.rec.done_ps == 0 && last.seq == c.seq) {
            last = c;
            return;
        }
    }
    records_.commands.push_back(c);
}

void System::on_change(const LpiChange& c) {
    if (c.cause.kind == LpiCause::Kind::msi) {
        if (c.cause.id < 1 || c.cause.id > records_.msis.size()) return;
        RunRecords::Msi& m = records_.msis[c.cause.id - 1];
        if (c.what == LpiChange::What::refused) {
            // Posted, then LPIs were disabled before its time: not delivered.
            m.rec.delivered = false;
            m.rec.reason = "lpis_disabled";
            m.rec.pending_ps = 0;
            return;
        }
        m.changed = true;
        m.is_new = c.what == LpiChange::What::set;
        m.config = c.config;
        m.config_valid = c.valid;
        return;
    }
    RunRecords::Pend p;
    p.change = c;
    if (c.cause.kind == LpiCause::Kind::command) {
        // The command running is the oldest published one not retired.
        const auto& fl = driver_->in_flight();
        if (!fl.empty() && fl.front().offset == c.cause.id) p.seq = fl.front().seq;
        p.cause = "command";   // the event log names it by the command's op
    } else if (c.cause.kind == LpiCause::Kind::reg) {
        p.cause = to_string(LpiCause::Reg(c.cause.op));
    }
    records_.pends.push_back(std::move(p));
}

void System::on_msi(const MsiRecord& r) {
    if (r.tag >= 1 && r.tag <= records_.msis.size()) {
        records_.msis[r.tag - 1].rec = r;
        records_.msis[r.tag - 1].reported = true;
    }
}

}  // namespace itsim
