// MsiFrontEnd (models/msi): MSIs without itsim's extension, each of the
// three ways, checked at the ITS (its on_msi records: DeviceID, EventID,
// acceptance time). The ITS is disabled, so each MSI is recorded and
// dropped as its_disabled; no tables are needed.
#include <gtest/gtest.h>

#include <memory>
#include <type_traits>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/common/lpi_stream.h"
#include "itsim/common/msi_ext.h"
#include "itsim/its/its.h"
#include "itsim/memory/memory.h"
#include "itsim/msi/msi_frontend.h"

using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

constexpr uint64_t kNs = 1000;   // ps

// The platform's own side-band: a stream ID, as an SMMU would give it.
struct StreamIdExt : tlm::tlm_extension<StreamIdExt> {
    uint32_t sid = 0;
    explicit StreamIdExt(uint32_t s = 0) : sid(s) {}
    tlm::tlm_extension_base* clone() const override { return new StreamIdExt(*this); }
    void copy_from(const tlm::tlm_extension_base& o) override { sid = static_cast<const StreamIdExt&>(o).sid; }
};

// The ITS needs a redistributor on its port; the ITS is disabled here, so
// nothing is ever delivered.
struct NoRd : LpiStreamIf {
    uint32_t processor_number() const override { return 0; }
    uint64_t rd_base() const override { return 0x080A'0000; }
    LpiResult deliver(const LpiOp&, Timeline&) override {
        ADD_FAILURE() << "an LpiOp reached the stand-in";
        return {};
    }
};

// One initiator: plain b_transport calls, the delay starting at 0.
struct Writer : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Writer> socket;
    explicit Writer(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
    // Returns the response status; `delay` in and out.
    template <class Ext = MsiExtension>
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint64_t& value, unsigned len,
                                    sc_time* delay_out = nullptr, Ext* ext = nullptr,
                                    unsigned char* byte_enables = nullptr) {
        unsigned char b[8] = {};
        for (unsigned i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(value >> (8 * i));
        tlm::tlm_generic_payload p;
        p.set_command(cmd);
        p.set_address(addr);
        p.set_data_ptr(b);
        p.set_data_length(len);
        p.set_streaming_width(len);
        p.set_byte_enable_ptr(byte_enables);
        if (byte_enables) p.set_byte_enable_length(len);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (ext) p.set_extension(ext);
        sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, delay);
        // The front-end must leave the writer's payload as it was.
        MsiExtension* left = nullptr;
        p.get_extension(left);
        void* expected = nullptr;
        if (std::is_same_v<Ext, MsiExtension>) expected = ext;
        EXPECT_EQ(static_cast<void*>(left), expected);
        if (ext) p.clear_extension(ext);
        if (delay_out) *delay_out = delay;
        value = 0;
        for (unsigned i = 0; i < 8 && i < len; ++i) value |= uint64_t{b[i]} << (8 * i);
        return p.get_response_status();
    }
    template <class Ext = MsiExtension>
    tlm::tlm_response_status write(uint64_t addr, uint64_t value, unsigned len, Ext* ext = nullptr) {
        return access(tlm::TLM_WRITE_COMMAND, addr, value, len, nullptr, ext);
    }
};

// Memory <- ITS <- front-end <- writers: `frame`, two devices, one MSI-64 initiator.
struct Bench {
    std::unique_ptr<Memory> ram;
    std::unique_ptr<Its> its;
    std::unique_ptr<MsiFrontEnd> fe;
    std::unique_ptr<Writer> cpu, dev0, dev1, encap;
    std::vector<MsiRecord> msis;
    NoRd no_rd;

    explicit Bench(const MsiFrontEndConfig& cfg, bool bind_devices = true) {
        ram = std::make_unique<Memory>("ram");
        its = std::make_unique<Its>("its");
        fe = std::make_unique<MsiFrontEnd>("msi", cfg);
        cpu = std::make_unique<Writer>("cpu");
        its->bus.bind(ram->socket);
        its->rd(no_rd);
        fe->its.bind(its->mmio);
        cpu->socket.bind(fe->frame);
        if (bind_devices) {   // else `device` and `msi64` stay unbound, which is allowed
            dev0 = std::make_unique<Writer>("dev0");
            dev1 = std::make_unique<Writer>("dev1");
            encap = std::make_unique<Writer>("encap");
            dev0->socket.bind(fe->device);   // device_ids[0]
            dev1->socket.bind(fe->device);   // device_ids[1]
            encap->socket.bind(fe->msi64);
        }
        its->on_msi = [this](const MsiRecord& r) { msis.push_back(r); };
    }
    // Runs `body` in a thread, then until nothing is left to do.
    void run(std::function<void()> body) {
        sc_core::sc_spawn(std::move(body));
        sc_core::sc_start();
    }
};

MsiFrontEndConfig two_devices() {
    MsiFrontEndConfig c;
    c.device_ids = {0x20, 0x31};
    return c;
}

// ---------------------------------------------------------------------------
// (a) A function of the payload
// ---------------------------------------------------------------------------
TEST(MsiFrontEnd, DeviceIdFromThePlatformsOwnExtension) {
    Bench b(two_devices(), false);
    // DeviceID = the stream ID's low 16 bits (an SMMU's StreamID = PCI RID).
    b.fe->device_id_of = msi_device_id_from<StreamIdExt>([](const StreamIdExt& e) { return e.sid & 0xFFFF; });
    tlm::tlm_response_status st[3];
    uint64_t pidr2 = 0;
    b.run([&] {
        StreamIdExt sid(0x5'0123);
        st[0] = b.cpu->write(MsiFrontEnd::kTranslater, 7, 4, &sid);
        sc_core::wait(10, SC_NS);
        MsiExtension own(0x55, 9);   // itsim's own extension passes untouched
        st[1] = b.cpu->write(MsiFrontEnd::kTranslater, 8, 4, &own);
        sc_core::wait(10, SC_NS);
        st[2] = b.cpu->write(MsiFrontEnd::kTranslater, 0xABCD, 2);   // nothing: DeviceID 0, counted
        // The control frame passes through: GITS_PIDR2 = ArchRev 3 << 4 | JEDEC 1 << 3 | DES_1 3.
        b.cpu->access(tlm::TLM_READ_COMMAND, gits::PIDR2, pidr2, 4);
    });
    for (auto s : st) EXPECT_EQ(s, tlm::TLM_OK_RESPONSE);
    ASSERT_EQ(b.msis.size(), 3u);
    EXPECT_EQ(b.msis[0].device, 0x0123u);
    EXPECT_EQ(b.msis[0].event, 7u);
    EXPECT_EQ(b.msis[1].device, 0x55u);
    EXPECT_EQ(b.msis[1].event, 8u);
    EXPECT_EQ(b.msis[1].tag, 9u);
    EXPECT_EQ(b.msis[2].device, 0u);
    EXPECT_EQ(b.msis[2].event, 0xABCDu);
    for (auto& m : b.msis) EXPECT_EQ(m.reason, "its_disabled");
    EXPECT_EQ(pidr2, 0x3Bu);
    EXPECT_EQ(b.fe->stats().msis_by_function, 1u);
    EXPECT_EQ(b.fe->stats().msis_with_extension, 1u);
    EXPECT_EQ(b.fe->stats().msis_without_device_id, 1u);
    EXPECT_EQ(b.fe->stats().forwarded, 4u);
    EXPECT_EQ(b.its->stats().msis_without_device_id, 1u);
}

TEST(MsiFrontEnd, FunctionReturningNoneKeepsTheDefault) {
    Bench b(two_devices(), false);
    unsigned calls = 0;
    b.fe->device_id_of = [&](const tlm::tlm_generic_payload& tr) -> std::optional<uint32_t> {
        ++calls;
        EXPECT_EQ(tr.get_address(), MsiFrontEnd::kTranslater);
        return std::nullopt;
    };
    b.run([&] {
        b.cpu->write(MsiFrontEnd::kTranslater, 3, 4);
        b.cpu->write(gits::CTLR, 0, 4);   // not an MSI: the function is not asked
    });
    EXPECT_EQ(calls, 1u);
    ASSERT_EQ(b.msis.size(), 1u);
    EXPECT_EQ(b.msis[0].device, 0u);
    EXPECT_EQ(b.msis[0].event, 3u);
    EXPECT_EQ(b.its->stats().msis_without_device_id, 1u);
    EXPECT_EQ(b.fe->stats().msis_without_device_id, 1u);
}

// ---------------------------------------------------------------------------
// (b) Per-device sockets
// ---------------------------------------------------------------------------
TEST(MsiFrontEnd, PerDeviceSocketsCarryTheirDeviceId) {
    Bench b(two_devices());
    tlm::tlm_response_status st[2], bad_write, be_status;
    uint64_t read_back = 0xFFFF;
    b.run([&] {
        st[0] = b.dev0->write(0x40, 5, 4);                    // window-relative address
        sc_core::wait(10, SC_NS);
        st[1] = b.dev1->write(0x0809'0040, 0xBEEF, 2);        // a physical address: modulo 64 KiB
        bad_write = b.dev0->write(0x44, 6, 4);                // no register: RAZ/WI, counted
        b.dev1->access(tlm::TLM_READ_COMMAND, 0x40, read_back, 4);   // write-only: reads 0
        unsigned char be[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        uint64_t v = 1;
        be_status = b.dev0->access<MsiExtension>(tlm::TLM_WRITE_COMMAND, 0x40, v, 4, nullptr, nullptr, be);
    });
    EXPECT_EQ(st[0], tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(st[1], tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(bad_write, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(be_status, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    EXPECT_EQ(read_back, 0u);
    ASSERT_EQ(b.msis.size(), 2u);
    EXPECT_EQ(b.msis[0].device, 0x20u);
    EXPECT_EQ(b.msis[0].event, 5u);
    EXPECT_EQ(b.msis[1].device, 0x31u);
    EXPECT_EQ(b.msis[1].event, 0xBEEFu);
    EXPECT_EQ(b.fe->stats().msis_by_device_socket, 2u);
    EXPECT_EQ(b.fe->stats().bad_accesses, 2u);   // the write at 0x44, the byte enables
    EXPECT_EQ(b.its->stats().msis_without_device_id, 0u);
}

// ---------------------------------------------------------------------------
// (c) GIC-600's MSI-64
// ---------------------------------------------------------------------------
TEST(MsiFrontEnd, Msi64CarriesDeviceIdInTheUpperWord) {
    Bench b(two_devices());
    b.run([&] {
        b.encap->write(0x40, 0x0000'ABCD'0000'0009ull, 8);
        sc_core::wait(10, SC_NS);
        b.encap->write(0x1234'0040, 0x1234'5678'0001'0002ull, 8);   // every bit of both halves
        b.encap->write(0x40, 0x0000'0011'0000'0001ull, 4);          // not 64 bits: no MSI
    });
    ASSERT_EQ(b.msis.size(), 2u);
    EXPECT_EQ(b.msis[0].device, 0xABCDu);
    EXPECT_EQ(b.msis[0].event, 9u);
    EXPECT_EQ(b.msis[1].device, 0x1234'5678u);
    EXPECT_EQ(b.msis[1].event, 0x0001'0002u);
    EXPECT_EQ(b.fe->stats().msis_by_msi64, 2u);
    EXPECT_EQ(b.fe->stats().bad_accesses, 1u);
}

// ---------------------------------------------------------------------------
// Timing: the front-end adds `hop` and nothing else
// ---------------------------------------------------------------------------
TEST(MsiFrontEnd, AddsOnlyItsHop) {
    MsiFrontEndConfig cfg = two_devices();
    cfg.hop = sc_time(3, SC_NS);
    Bench b(cfg);
    sc_time d_frame, d_dev;
    b.run([&] {
        sc_core::wait(100, SC_NS);
        MsiExtension own(1, 1);
        uint64_t v = 1;
        b.cpu->access(tlm::TLM_WRITE_COMMAND, MsiFrontEnd::kTranslater, v, 4, &d_frame, &own);
        sc_core::wait(100, SC_NS);
        v = 2;
        b.dev0->access(tlm::TLM_WRITE_COMMAND, 0x40, v, 4, &d_dev);
    });
    ASSERT_EQ(b.msis.size(), 2u);
    // The ITS accepts an MSI at its arrival: the writer's time plus the hop.
    EXPECT_EQ(b.msis[0].accepted_ps, 100 * kNs + 3 * kNs);
    EXPECT_EQ(b.msis[1].accepted_ps, 200 * kNs + 3 * kNs);
    // The writer's delay: the hop plus the ITS's register_cycles (2 cycles of 1 ns).
    const sc_time reg = b.its->config().timing.clock_period * double(b.its->config().timing.register_cycles);
    EXPECT_EQ(d_frame, sc_time(3, SC_NS) + reg);
    EXPECT_EQ(d_dev, sc_time(3, SC_NS) + reg);
}

TEST(MsiFrontEnd, NoHopByDefault) {
    Bench b(two_devices());
    sc_time d;
    b.run([&] {
        sc_core::wait(50, SC_NS);
        uint64_t v = 0x0000'0007'0000'0004ull;
        b.encap->access(tlm::TLM_WRITE_COMMAND, 0x40, v, 8, &d);
    });
    ASSERT_EQ(b.msis.size(), 1u);
    EXPECT_EQ(b.msis[0].accepted_ps, 50 * kNs);
    EXPECT_EQ(d, b.its->config().timing.clock_period * double(b.its->config().timing.register_cycles));
}

TEST(MsiFrontEnd, MoreDevicesThanDeviceIdsIsAnElaborationError) {
    MsiFrontEndConfig cfg;
    cfg.device_ids = {0x20};   // two initiators bound below
    Bench b(cfg);
    try {
        sc_core::sc_start();
        ADD_FAILURE() << "no error";
    } catch (const sc_core::sc_report& r) {
        EXPECT_STREQ(r.get_msg_type(), "itsim/msi");
    }
}

TEST(MsiFrontEnd, HopIsSettableByName) {
    MsiFrontEndConfig c;
    std::string err;
    EXPECT_TRUE(c.set("hop", "5ns", &err)) << err;
    EXPECT_EQ(c.hop, sc_time(5, SC_NS));
    EXPECT_EQ(c.get("hop"), "5ns");
    EXPECT_FALSE(c.set("hop", "fast", &err));
}

}  // namespace
