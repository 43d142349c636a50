// End-to-end tests of `itsim run` (end_to_end.h): the pending table in
// guest memory follows delivery, CLEAR and DISCARD.
#include "end_to_end.h"

namespace itsim {
namespace {

// ---------------------------------------------------------------- pending table in memory

// The redistributor keeps the pending table in guest memory coherent (exact
// after a SYNC): the bit of a delivered-but-disabled LPI is set at
// pend_table(cpu) + INTID/8, bit INTID%8, and cleared by CLEAR and by
// DISCARD. The other CPUs' tables never see it.
TEST(EndToEnd, PendingTableBitsFollowDeliveryClearAndDiscard) {
    Params p;
    p.set("progress", "off", "test");
    System sys(p);
    sys.expect_msis(2);
    const uint64_t ram_base = p.integer("ram.base");
    // LPIs 8202 and 8203 share byte 1025 (bits 2 and 3).
    constexpr uint32_t kA = 8202, kB = 8203;
    constexpr uint64_t kByte = kA / 8;
    static_assert(kA / 8 == kB / 8, "same byte");
    auto pend_byte = [&](unsigned cpu) {
        uint8_t b = 0xEE;
        EXPECT_TRUE(sys.ram().store().read(sys.driver().pend_table(cpu) + kByte - ram_base, &b, 1));
        return b;
    };
    std::vector<uint8_t> seen;   // byte of CPU 0 at each step
    std::vector<uint8_t> others; // OR of the other CPUs' bytes at each step
    auto snapshot = [&] {
        seen.push_back(pend_byte(0));
        uint8_t o = 0;
        for (unsigned c = 1; c < sys.cpus(); ++c) o |= pend_byte(c);
        others.push_back(o);
    };
    auto cmd = [](ItsOpcode op) {
        ItsCommand c;
        c.opcode = uint8_t(op);
        return c;
    };
    sys.driver().set_program([&](DriverAgent& d) {
        ItsCommand mapc = cmd(ItsOpcode::MAPC);
        mapc.icid = 0, mapc.rdbase = 0, mapc.valid = true;
        ItsCommand mapd = cmd(ItsOpcode::MAPD);
        mapd.device = 7, mapd.itt_addr = ram_base, mapd.size = 3, mapd.valid = true;
        ItsCommand m0 = cmd(ItsOpcode::MAPTI);
        m0.device = 7, m0.event = 0, m0.intid = kA, m0.icid = 0;
        ItsCommand m1 = m0;
        m1.event = 1, m1.intid = kB;
        ItsCommand sync = cmd(ItsOpcode::SYNC);
        sync.rdbase = 0;
        for (const ItsCommand& c : {mapc, mapd, m0, m1, sync}) d.append_command(c, 0);
        d.wait_drained();
        snapshot();                         // 0: nothing pending
        // Both LPIs disabled (property bytes zero): delivered, pending, not taken.
        d.advance_to(5000000);
        d.send_msi(7, 0, 1);
        d.send_msi(7, 1, 2);
        d.advance_to(7000000);
        d.append_command(sync, 0);
        d.wait_drained();
        snapshot();                         // 1: both bits set
        ItsCommand clear = cmd(ItsOpcode::CLEAR);
        clear.device = 7, clear.event = 0;
        d.append_command(clear, 0);
        d.append_command(sync, 0);
        d.wait_drained();
        snapshot();                         // 2: CLEAR took bit 2 away
        ItsCommand discard = cmd(ItsOpcode::DISCARD);
        discard.device = 7, discard.event = 1;
        d.append_command(discard, 0);
        d.append_command(sync, 0);
        d.wait_drained();
        snapshot();                         // 3: DISCARD took bit 3 away
    });
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS), sc_core::SC_EXIT_ON_STARVATION);
    ASSERT_EQ(sys.driver().setup_error(), "");
    ASSERT_EQ(seen.size(), 4u);
    const uint8_t a = uint8_t(1u << (kA % 8)), b = uint8_t(1u << (kB % 8));
    EXPECT_EQ(seen[0], 0x00);
    EXPECT_EQ(seen[1], a | b);
    EXPECT_EQ(seen[2], b);
    EXPECT_EQ(seen[3], 0x00);
    EXPECT_EQ(others, std::vector<uint8_t>(4, 0x00));
    // What the models reported agrees: both MSIs delivered to CPU 0, none taken.
    const RunRecords& rec = sys.records();
    ASSERT_EQ(rec.msis.size(), 2u);
    EXPECT_TRUE(rec.msis[0].reported && rec.msis[0].rec.delivered);
    EXPECT_EQ(rec.msis[0].rec.intid, kA);
    EXPECT_EQ(rec.msis[1].rec.intid, kB);
    EXPECT_EQ(rec.msis[0].rec.cpu, 0u);
    EXPECT_EQ(rec.msis[1].rec.cpu, 0u);
    EXPECT_TRUE(rec.acks.empty());
    for (const auto& c : rec.commands) EXPECT_EQ(c.rec.status, 0u) << to_string(c.rec.cmd);
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

}  // namespace
}  // namespace itsim
