// SystemC reports of notable guest behaviour (models/common/report.h):
// the stable message types, SC_INFO at SC_HIGH, silent at SystemC's
// default verbosity, and what each says. An ITS and a redistributor, each
// on its own memory, driven by plain TLM accesses.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/common/report.h"
#include "itsim/its/its.h"
#include "itsim/memory/memory.h"
#include "itsim/redist/gicr_regs.h"
#include "itsim/redist/redistributor.h"

using namespace itsim;
using sc_core::SC_NS;

namespace {

struct Seen {
    std::string type, msg;
    sc_core::sc_severity severity;
    int verbosity;
};
std::vector<Seen> g_seen;

// Keeps itsim's reports; every other goes to SystemC's own handler (so an
// elaboration error still throws).
void capture(const sc_core::sc_report& r, const sc_core::sc_actions& actions) {
    if (std::string(r.get_msg_type()).rfind("itsim/", 0) != 0) {
        sc_core::sc_report_handler::default_handler(r, actions);
        return;
    }
    g_seen.push_back({r.get_msg_type(), r.get_msg(), r.get_severity(), r.get_verbosity()});
}

struct Writer : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Writer> socket;
    explicit Writer(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
    void access(tlm::tlm_command cmd, uint64_t addr, uint64_t v, unsigned len) {
        unsigned char b[8];
        for (unsigned i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
        tlm::tlm_generic_payload p;
        p.set_command(cmd);
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

// ITS with the stall policy on memory 0; redistributor on memory 1.
struct Bench {
    std::unique_ptr<Memory> m0, m1;
    std::unique_ptr<Its> its;
    std::unique_ptr<Redistributor> rd;
    std::unique_ptr<Writer> sw_its, sw_rd;
    sc_core::sc_signal<bool> line{"line"};
    static constexpr uint64_t kQueue = 0x10000;

    Bench() {
        ItsModuleConfig ic;
        ic.core.error_policy = ItsErrorPolicy::stall;
        m0 = std::make_unique<Memory>("m0");
        m1 = std::make_unique<Memory>("m1");
        its = std::make_unique<Its>("its", ic);
        rd = std::make_unique<Redistributor>("gicr0");
        sw_its = std::make_unique<Writer>("sw_its");
        sw_rd = std::make_unique<Writer>("sw_rd");
        its->bus.bind(m0->socket);
        its->rd(*rd);
        rd->bus.bind(m1->socket);
        rd->irq(line);
        sw_its->socket.bind(its->mmio);
        sw_rd->socket.bind(rd->mmio);
    }
    // An unknown opcode (0x77) at queue offset 0 under the stall policy: a
    // command error and a stall. A PROPBASER write while EnableLPIs = 1:
    // an ignored (UNPREDICTABLE) write. 2-byte GICR_CTLR and GITS_CTLR
    // reads: bad accesses. A GITS_TRANSLATER write without a DeviceID.
    void run() {
        const unsigned char cmd[32] = {0x77};
        m0->store().write(kQueue, cmd, sizeof cmd);
        sc_core::sc_spawn([this] {
            sw_its->access(tlm::TLM_WRITE_COMMAND, gits::CBASER, gits::CBASER_Valid | kQueue, 8);
            sw_its->access(tlm::TLM_WRITE_COMMAND, gits::CWRITER, 32, 8);
            sw_its->access(tlm::TLM_WRITE_COMMAND, gits::CTLR, 1, 4);
            sw_rd->access(tlm::TLM_WRITE_COMMAND, gicr::PENDBASER, 0x20000 | gicr::PENDBASER_PTZ, 8);
            sw_rd->access(tlm::TLM_WRITE_COMMAND, gicr::PROPBASER, 0x30000 | 15, 8);
            sw_rd->access(tlm::TLM_WRITE_COMMAND, gicr::CTLR, 1, 4);
            sw_rd->access(tlm::TLM_WRITE_COMMAND, gicr::PROPBASER, 0x40000 | 15, 8);
            sw_rd->access(tlm::TLM_READ_COMMAND, gicr::CTLR, 0, 2);
            sw_its->access(tlm::TLM_READ_COMMAND, gits::CTLR, 0, 2);          // a bad access
            sw_its->access(tlm::TLM_WRITE_COMMAND, gits::TRANSLATER, 5, 4);   // no MsiExtension
        });
        sc_core::sc_start(10, sc_core::SC_US);
    }
};

const Seen* find(const std::string& type, const std::string& part) {
    for (const Seen& s : g_seen)
        if (s.type == type && s.msg.find(part) != std::string::npos) return &s;
    return nullptr;
}

TEST(Reports, NotableGuestBehaviourAtHighVerbosity) {
    g_seen.clear();
    sc_core::sc_report_handler::set_handler(capture);
    sc_core::sc_report_handler::set_verbosity_level(sc_core::SC_HIGH);
    Bench b;
    b.run();
    sc_core::sc_report_handler::set_handler(sc_core::sc_report_handler::default_handler);
    // {0x01, opcode 0x77, reason 0xFF}: an unknown opcode's architected code.
    const Seen* err = find("itsim/its", "opcode 0x77 at queue offset 0x0: error 0x177ff");
    ASSERT_NE(err, nullptr);
    EXPECT_NE(err->msg.find("its: "), std::string::npos) << err->msg;   // names the module
    EXPECT_EQ(err->severity, sc_core::SC_INFO);
    EXPECT_EQ(err->verbosity, sc_core::SC_HIGH);
    EXPECT_NE(find("itsim/its", "stalled at offset 0x0"), nullptr);
    EXPECT_NE(find("itsim/redist", "gicr0: write ignored: GICR_PROPBASER/PENDBASER"), nullptr);
    const Seen* bad = find("itsim/redist", "bad register read of 2 bytes at offset 0x0");
    ASSERT_NE(bad, nullptr);
    EXPECT_NE(bad->msg.find("RAZ/WI"), std::string::npos) << bad->msg;
    EXPECT_EQ(b.rd->stats().ignored_base_writes, 1u);
    EXPECT_EQ(b.rd->stats().bad_accesses, 1u);
    EXPECT_NE(find("itsim/its", "its: bad register read of 2 bytes at offset 0x0 (RAZ/WI)"), nullptr);
    EXPECT_NE(find("itsim/its", "its: GITS_TRANSLATER write (EventID 0x5) without a DeviceID"), nullptr);
    for (const Seen& s : g_seen) {
        if (s.type.rfind("itsim/", 0) == 0) {
            EXPECT_EQ(s.severity, sc_core::SC_INFO) << s.msg;
        }
    }
}

TEST(Reports, SilentAtTheDefaultVerbosity) {
    g_seen.clear();
    sc_core::sc_report_handler::set_handler(capture);
    ASSERT_EQ(sc_core::sc_report_handler::get_verbosity_level(), sc_core::SC_MEDIUM);
    EXPECT_FALSE(report::wanted());
    Bench b;
    b.run();
    sc_core::sc_report_handler::set_handler(sc_core::sc_report_handler::default_handler);
    EXPECT_TRUE(g_seen.empty()) << g_seen.front().msg;
    EXPECT_EQ(b.rd->stats().ignored_base_writes, 1u);   // the same run: only the reports are missing
    EXPECT_EQ(b.its->stats().bad_accesses + b.rd->stats().bad_accesses, 2u);
    EXPECT_EQ(b.its->stats().msis_without_device_id, 1u);
}

}  // namespace
