#include "system.h"

namespace itsim {

namespace {
sc_core::sc_time ps(uint64_t v) { return sc_core::sc_time::from_value(v); }
}  // namespace

System::System(const Params& p) : params_(p), config_(system_config(p)) {
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
    const unsigned line = c.redist.config_line_bytes;
    if (line & (line - 1)) throw p.error("redist.config_line_bytes", "must be a power of two");

    // What follows from the platform rather than from a parameter of the
    // model: the timing mode, the RAM size, the memory map, the LPI INTID
    // bits every redistributor and the driver share with the ITS.
    c.mem.size = ram_size;
    c.its.mode = mode_;
    c.its.use_dmi = fast;
    c.redist.max_id_bits = c.its.core.lpi_intid_bits;
    c.redist.mode = mode_;
    c.redist.use_dmi = fast;
    c.driver.ram_base = ram_base;
    c.driver.ram_size = ram_size;
    c.driver.its_base = pc.its_base;
    c.driver.redist_base = rd_base;
    c.driver.redist_stride = rd_stride;
    c.driver.cpus = ncpu;
    c.driver.lpi_bits = c.its.core.lpi_intid_bits;
    c.driver.use_dmi = fast;

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
    its_ = std::make_unique<Its>("its", c.its);

    for (unsigned i = 0; i < ncpu; ++i) {
        RedistConfig rc = c.redist;
        rc.processor_number = i;
        rc.rd_base = rd_base + uint64_t(i) * rd_stride;
        rc.affinity = i;  // Aff0 = CPU number, as a flat cluster
        rc.last = i + 1 == ncpu;
        std::string n = "gicr" + std::to_string(i);
        redists_.push_back(std::make_unique<Redistributor>(n.c_str(), rc, c.redist_timing));
        its_->rd(*redists_.back());   // the ITS's stream: binding order = redistributor index
        n = "cpu" + std::to_string(i);
        cpus_.push_back(std::make_unique<CpuInterface>(n.c_str(), c.cpu));
        n = "irq" + std::to_string(i);
        irqs_.push_back(std::make_unique<sc_core::sc_signal<bool>>(n.c_str()));
        redists_.back()->irq(*irqs_.back());
        cpus_.back()->irq(*irqs_.back());
        cpus_.back()->rd(*redists_.back());
        cpus_.back()->on_ack = [this](const AckRecord& a) { records_.acks.push_back(a); };
        redists_.back()->on_change = [this](const LpiChange& c) { on_change(c); };
    }

    driver_ = std::make_unique<DriverAgent>("driver", c.driver, mode_);
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
    bus_->map(port++, pc.its_base, Its::kFrameBytes, "its");
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
