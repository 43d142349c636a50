// itsim::trace (models/trace/trace.h) into a VCD file the test creates and
// closes with SystemC's own writer: the signals are declared under the
// prefix, and they move as the scenario makes them: the ITS enabled, a
// command with an unknown opcode stalls the queue under the stall policy
// (engine state 3, GITS_CREADR.Stalled), SETLPIR on the redistributor
// makes an LPI pending and its line rise.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/its/its.h"
#include "itsim/memory/memory.h"
#include "itsim/redist/gicr_regs.h"
#include "itsim/redist/redistributor.h"
#include "itsim/trace/trace.h"

using namespace itsim;

namespace {

struct Writer : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Writer> socket;
    explicit Writer(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
    void write(uint64_t addr, uint64_t v, unsigned len) {
        unsigned char b[8];
        for (unsigned i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_WRITE_COMMAND);
        p.set_address(addr);
        p.set_data_ptr(b);
        p.set_data_length(len);
        p.set_streaming_width(len);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, d);
        sc_core::wait(d);
    }
};

// The VCD's variables: reference name -> identifier, and every value an
// identifier took after the definitions, in order.
struct Vcd {
    std::map<std::string, std::string> id;
    std::map<std::string, std::vector<std::string>> values;
};

Vcd read_vcd(const std::string& path) {
    Vcd v;
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> scope;
    bool defs = true;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string w;
        ls >> w;
        if (defs) {
            if (w == "$scope") {
                std::string kind, name;
                ls >> kind >> name;
                scope.push_back(name);
            } else if (w == "$upscope") {
                scope.pop_back();
            } else if (w == "$var") {
                std::string type, width, ident, ref;
                ls >> type >> width >> ident >> ref;
                std::string full;   // below SystemC's own top scope, "SystemC"
                for (size_t i = 1; i < scope.size(); ++i) full += scope[i] + ".";
                v.id[full + ref] = ident;
            } else if (w == "$enddefinitions") {
                defs = false;
            }
            continue;
        }
        if (w.empty() || w[0] == '#' || w[0] == '$') continue;
        if (w[0] == 'b') {   // bVALUE ID
            std::string ident;
            ls >> ident;
            v.values[ident].push_back(w.substr(1));
        } else {             // 0ID / 1ID
            v.values[w.substr(1)].push_back(w.substr(0, 1));
        }
    }
    return v;
}

// A VCD vector value as a number (x/z as 0).
uint64_t num(const std::string& bits) {
    uint64_t n = 0;
    for (char c : bits) n = n << 1 | (c == '1');
    return n;
}

TEST(Trace, ItsAndRedistributorIntoTheCallersFile) {
    const std::string base = ::testing::TempDir() + "itsim_trace_test";
    ItsModuleConfig ic;
    ic.core.error_policy = ItsErrorPolicy::stall;
    Memory m0("m0"), m1("m1");
    Its its("its", ic);
    Redistributor rd("gicr0");
    Writer sw_its("sw_its"), sw_rd("sw_rd");
    sc_core::sc_signal<bool> line("line");
    its.bus.bind(m0.socket);
    its.rd(rd);
    rd.bus.bind(m1.socket);
    rd.irq(line);
    sw_its.socket.bind(its.mmio);
    sw_rd.socket.bind(rd.mmio);
    unsigned earlier_listener = 0;
    its.on_probe = [&] { ++earlier_listener; };

    sc_core::sc_trace_file* tf = sc_core::sc_create_vcd_trace_file(base.c_str());
    tf->set_time_unit(1, sc_core::SC_PS);
    trace(tf, its, "its");
    trace(tf, rd, "gicr0");

    const unsigned char cmd[32] = {0x77};   // unknown opcode: an error, so a stall
    m0.store().write(0x10000, cmd, sizeof cmd);
    sc_core::sc_spawn([&] {
        sw_its.write(gits::CBASER, gits::CBASER_Valid | 0x10000, 8);
        sw_its.write(gits::CWRITER, 32, 8);
        sw_its.write(gits::CTLR, 1, 4);
        sw_rd.write(gicr::PROPBASER, 0x30000 | 15, 8);   // 16 INTID bits
        sw_rd.write(gicr::PENDBASER, 0x20000 | gicr::PENDBASER_PTZ, 8);
        sw_rd.write(gicr::CTLR, 1, 4);
        const unsigned char enabled = 0xA1;             // LPI 8192: priority 0xA0, enabled
        m1.store().write(0x30000, &enabled, 1);
        sw_rd.write(gicr::SETLPIR, 8192, 8);
    });
    sc_core::sc_start(10, sc_core::SC_US);
    sc_core::sc_close_vcd_trace_file(tf);

    EXPECT_GT(earlier_listener, 0u);   // trace() kept the ITS's earlier on_probe
    const Vcd v = read_vcd(base + ".vcd");
    for (const char* name : {"its.enabled", "its.cmdq.creadr", "its.cmdq.cwriter", "its.engine.state",
                             "its.engine.opcode", "its.xlate.msis", "its.cache.event.hits", "gicr0.irq",
                             "gicr0.set_pending", "gicr0.acks"})
        EXPECT_EQ(v.id.count(name), 1u) << name;
    auto last = [&](const char* name) -> std::string {
        auto it = v.id.find(name);
        if (it == v.id.end()) return "";
        auto vals = v.values.find(it->second);
        return vals == v.values.end() || vals->second.empty() ? "" : vals->second.back();
    };
    EXPECT_EQ(last("its.enabled"), "1");
    EXPECT_EQ(num(last("its.cmdq.cwriter")), 32u);
    EXPECT_EQ(num(last("its.cmdq.creadr")), 1u);     // Offset 0, Stalled
    EXPECT_EQ(num(last("its.engine.state")), 3u);    // stalled
    EXPECT_EQ(num(last("its.engine.opcode")), 0x77u);
    EXPECT_EQ(last("gicr0.irq"), "1");               // nobody acknowledges
    EXPECT_EQ(num(last("gicr0.set_pending")), 1u);
    std::remove((base + ".vcd").c_str());
}

}  // namespace
