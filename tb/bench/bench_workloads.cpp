// itsim_bench (bench.h): the chunks a child process measures - bare kernel
// operations for the calibration, and the model workloads (hot, cold, fan,
// cmd, idle; bench.cpp's top comment describes them), each a set-up outside
// the measured phase, the measured phase, and a check that it did its work.
#include "bench.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "params.h"

namespace itsim_bench {

using itsim::ItsCommand;
using itsim::ItsOpcode;

// Bare kernel operations.
struct KTarget : sc_core::sc_module {
    tlm_utils::simple_target_socket<KTarget> socket;
    sc_core::sc_time cost;
    explicit KTarget(sc_core::sc_module_name n) : sc_module(n), socket("socket"), cost(1, sc_core::SC_NS) {
        socket.register_b_transport(this, &KTarget::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& tr, sc_core::sc_time& d) {
        d += cost;
        tr.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct KInit : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<KInit> socket;
    bool waits = false;
    uint64_t n = 0;
    Bracket* bracket = nullptr;
    double wall_ns = 0;
    SC_HAS_PROCESS(KInit);
    explicit KInit(sc_core::sc_module_name nm) : sc_module(nm), socket("socket") { SC_THREAD(run); }
    void run() {
        tlm::tlm_generic_payload tr;
        uint8_t data[8] = {};
        tr.set_command(tlm::TLM_READ_COMMAND);
        tr.set_address(0);
        tr.set_data_ptr(data);
        tr.set_data_length(8);
        tr.set_streaming_width(8);
        const sc_core::sc_time step(1, sc_core::SC_NS);
        bracket->start();
        if (!waits) {
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            for (uint64_t i = 0; i < n; ++i) {
                socket->b_transport(tr, delay);
                if ((i & 1023) == 1023) delay = sc_core::SC_ZERO_TIME;
            }
        } else {
            for (uint64_t i = 0; i < n; ++i) sc_core::wait(step);
        }
        wall_ns = bracket->stop();
    }
};

Chunk kernel_chunk(bool waits, uint64_t n, Bracket& b) {
    KInit init("init");
    KTarget target("target");
    init.socket.bind(target.socket);
    init.waits = waits;
    init.n = n;
    init.bracket = &b;
    sc_core::sc_start();
    Chunk c;
    c.ops = n;
    c.wall_ns = init.wall_ns;
    c.unit = waits ? "resume" : "b_transport";
    return c;
}

using itsim::build::mapc;
using itsim::build::mapd;
using itsim::build::mapti;

ItsCommand cmd(ItsOpcode op) {
    ItsCommand c;
    c.opcode = uint8_t(op);
    return c;
}

Chunk model_chunk(const std::string& mode, ModelWorkload w, Bracket& b) {
    itsim::Params p;
    for (const auto& kv : w.settings) p.set(kv.first, kv.second, "bench");
    for (const auto& kv : extra_settings) p.set(kv.first, kv.second, "--set");
    p.set("mode", mode, "bench");
    itsim::System sys(p);
    sys.expect_msis(w.msis);
    auto activations = [&sys] {
        uint64_t n = 0;
        for (unsigned i = 0; i < sys.cpus(); ++i) n += sys.redist(i).stats().activations;
        return n;
    };
    uint64_t activations_before = 0;
    sys.driver().set_program([&](itsim::DriverAgent& d) {
        w.setup(sys, d);
        activations_before = activations();
        b.start();
        w.measured(sys, d);
    });
    sc_core::sc_start();
    Chunk c;
    c.wall_ns = b.stop();
    c.activations = activations() - activations_before;
    c.ops = w.ops;
    c.unit = w.unit;
    if (!sys.driver().setup_error().empty()) c.check = "bring-up failed: " + sys.driver().setup_error();
    else if (w.check) c.check = w.check(sys);
    return c;
}

unsigned msi_slowdown = 0;
std::vector<std::pair<std::string, std::string>> extra_settings;

uint64_t tag_counter = 0;
void msi(itsim::System& sys, itsim::DriverAgent& d, uint32_t dev, uint32_t ev) {
    for (unsigned i = 0; i < msi_slowdown; ++i) asm volatile("");
    const uint64_t tag = ++tag_counter;
    sys.note_msi_issued(tag, d.now_ps());
    d.send_msi(dev, ev, tag);
}

std::string expect_taken(itsim::System& sys, uint64_t want) {
    uint64_t delivered = 0;
    for (const auto& m : sys.records().msis) delivered += m.reported && m.rec.delivered;
    if (delivered < want) return "only " + std::to_string(delivered) + " of " + std::to_string(want) + " MSIs delivered";
    if (sys.records().acks.size() < want)
        return "only " + std::to_string(sys.records().acks.size()) + " of " + std::to_string(want) + " acknowledged";
    return "";
}

// Hot: one device, 4 events, one LPI per CPU; bursts of 4.
ModelWorkload hot_workload(double scale) {
    ModelWorkload w;
    const uint64_t bursts = std::max<uint64_t>(1, uint64_t(15000 * scale));
    w.settings = {{"cpus", "4"}};
    w.ops = 4 * bursts;
    w.msis = 4 + w.ops;
    w.setup = [](itsim::System& sys, itsim::DriverAgent& d) {
        const uint64_t ram = sys.params().integer("ram.base");
        for (uint32_t c = 0; c < 4; ++c) d.append_command(mapc(c, c), 0);
        d.append_command(mapd(1, ram + 0x100000, 1), 0);
        for (uint32_t e = 0; e < 4; ++e) {
            d.append_command(mapti(1, e, 8192 + 64 * e, e), 0);
            d.set_lpi_config(8192 + 64 * e, 0xA0, true);
        }
        d.wait_drained();
        for (uint32_t e = 0; e < 4; ++e) msi(sys, d, 1, e);   // warm every cache
        d.advance_to(d.now_ps() + 10 * kUs);
    };
    w.measured = [bursts](itsim::System& sys, itsim::DriverAgent& d) {
        uint64_t t = d.now_ps();
        for (uint64_t i = 0; i < bursts; ++i) {
            for (uint32_t e = 0; e < 4; ++e) msi(sys, d, 1, e);
            t += kUs;
            d.advance_to(t);
        }
    };
    const uint64_t want = w.msis;
    w.check = [want](itsim::System& sys) {
        std::string s = expect_taken(sys, want);
        if (s.empty() && sys.its().event_cache_stats().misses > 4) s = "hot MSIs missed the event cache";
        return s;
    };
    return w;
}

// Cold: 4096 devices in turn, 64 collections, every cache misses.
ModelWorkload cold_workload(double scale) {
    ModelWorkload w;
    constexpr uint32_t kDevices = 4096, kCollections = 64;
    const uint64_t bursts = std::max<uint64_t>(1, uint64_t(15000 * scale));
    w.settings = {{"cpus", "4"}};
    w.ops = 4 * bursts;
    w.msis = w.ops;
    w.setup = [](itsim::System& sys, itsim::DriverAgent& d) {
        const uint64_t ram = sys.params().integer("ram.base");
        for (uint32_t c = 0; c < kCollections; ++c) d.append_command(mapc(c, c % 4), 0);
        for (uint32_t dev = 0; dev < kDevices; ++dev) {
            d.append_command(mapd(dev, ram + 0x100000 + uint64_t(dev) * 256, 0), 0);
            d.append_command(mapti(dev, 0, 8192 + dev, dev % kCollections), 0);
            d.set_lpi_config(8192 + dev, 0xA0, true);
        }
        d.wait_drained();
        d.advance_to(d.now_ps() + 10 * kUs);
    };
    w.measured = [bursts](itsim::System& sys, itsim::DriverAgent& d) {
        uint64_t t = d.now_ps();
        uint32_t dev = 0;
        for (uint64_t i = 0; i < bursts; ++i) {
            for (unsigned k = 0; k < 4; ++k) {
                msi(sys, d, dev, 0);
                dev = (dev + 1) % kDevices;
            }
            t += 2 * kUs;
            d.advance_to(t);
        }
    };
    const uint64_t want = w.msis;
    w.check = [want](itsim::System& sys) {
        std::string s = expect_taken(sys, want);
        const auto& dc = sys.its().device_cache_stats();
        if (s.empty() && dc.hits > dc.misses / 100) s = "cold MSIs hit the device cache";
        return s;
    };
    return w;
}

// Fan: hot MSIs spread over `cpus` CPUs, bursts of 16 every 1 us. max(16,
// cpus) events, event e to CPU e % cpus (with 4 CPUs, 4 LPIs pending at each
// per burst; with 256, one at each of 16 CPUs), the collection cache sized to
// hold every collection, so that only the number of CPUs changes.
ModelWorkload fan_workload(double scale, uint32_t cpus) {
    ModelWorkload w;
    const uint32_t events = std::max<uint32_t>(16, cpus);
    uint32_t id_bits = 1;
    while ((1u << id_bits) < events) ++id_bits;
    const uint64_t bursts = std::max<uint64_t>(1, uint64_t(3750 * scale));
    const std::string n = std::to_string(cpus), ne = std::to_string(events);
    w.settings = {{"cpus", n},
                  {"its.collection_cache.entries", n},
                  {"its.collection_cache.ways", n},
                  {"its.event_cache.entries", ne},
                  {"its.event_cache.ways", ne}};
    w.ops = 16 * bursts;
    w.msis = events + w.ops;
    w.setup = [cpus, events, id_bits](itsim::System& sys, itsim::DriverAgent& d) {
        const uint64_t ram = sys.params().integer("ram.base");
        for (uint32_t c = 0; c < cpus; ++c) d.append_command(mapc(c, c), 0);
        d.append_command(mapd(1, ram + 0x100000, id_bits - 1), 0);
        for (uint32_t e = 0; e < events; ++e) {
            d.append_command(mapti(1, e, 8192 + e, e % cpus), 0);
            d.set_lpi_config(8192 + e, 0xA0, true);
        }
        d.wait_drained();
        for (uint32_t e = 0; e < events; ++e) msi(sys, d, 1, e);   // warm every cache
        d.advance_to(d.now_ps() + 10 * kUs);
    };
    // The caches' misses when the measured phase starts: it should add none.
    auto warm = std::make_shared<std::pair<uint64_t, uint64_t>>();
    w.measured = [bursts, events, warm](itsim::System& sys, itsim::DriverAgent& d) {
        *warm = {sys.its().event_cache_stats().misses, sys.its().collection_cache_stats().misses};
        uint64_t t = d.now_ps();
        uint32_t e = 0;
        for (uint64_t i = 0; i < bursts; ++i) {
            for (unsigned k = 0; k < 16; ++k) {
                msi(sys, d, 1, e);
                e = (e + 1) % events;
            }
            t += kUs;
            d.advance_to(t);
        }
    };
    const uint64_t want = w.msis;
    w.check = [want, warm](itsim::System& sys) {
        std::string s = expect_taken(sys, want);
        if (s.empty() && sys.its().event_cache_stats().misses != warm->first) s = "hot MSIs missed the event cache";
        if (s.empty() && sys.its().collection_cache_stats().misses != warm->second)
            s = "hot MSIs missed the collection cache";
        return s;
    };
    return w;
}

// Commands: batches of 256 MAPTI + SYNC.
ModelWorkload cmd_workload(double scale) {
    ModelWorkload w;
    const uint64_t batches = std::max<uint64_t>(1, uint64_t(120 * scale));
    w.settings = {{"cpus", "4"}};
    w.ops = 257 * batches;
    w.unit = "cmd";
    w.setup = [](itsim::System& sys, itsim::DriverAgent& d) {
        const uint64_t ram = sys.params().integer("ram.base");
        for (uint32_t c = 0; c < 4; ++c) d.append_command(mapc(c, c), 0);
        d.append_command(mapd(1, ram + 0x100000, 7), 0);   // 256 events
        d.wait_drained();
        d.advance_to(d.now_ps() + 10 * kUs);
    };
    w.measured = [batches](itsim::System&, itsim::DriverAgent& d) {
        for (uint64_t b = 0; b < batches; ++b) {
            for (uint32_t e = 0; e < 256; ++e) d.append_command(mapti(1, e, 8192 + e, e % 4), 1);
            ItsCommand s = cmd(ItsOpcode::SYNC);
            s.rdbase = b % 4;
            d.append_command(s, 1);
            d.wait_drained();
        }
    };
    const uint64_t want = 5 + w.ops;
    w.check = [want](itsim::System& sys) -> std::string {
        uint64_t ok = 0;
        for (const auto& c : sys.records().commands) ok += c.rec.done_ps != 0 && c.rec.status == 0;
        if (ok != want) return std::to_string(ok) + " of " + std::to_string(want) + " commands completed ok";
        return "";
    };
    return w;
}

// Idle: one second of nothing.
ModelWorkload idle_workload(double scale) {
    ModelWorkload w;
    const uint64_t seconds = std::max<uint64_t>(1, uint64_t(std::lround(scale)));
    w.ops = seconds;
    w.unit = "s";
    w.setup = [](itsim::System&, itsim::DriverAgent&) {};
    w.measured = [seconds](itsim::System&, itsim::DriverAgent& d) {
        d.advance_to(d.now_ps() + seconds * 1000 * 1000 * kUs);
    };
    return w;
}

}  // namespace itsim_bench
