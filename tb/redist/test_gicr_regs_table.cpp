// The GICR frame as a table (gicr_regs.h, common/reg_frame.h): every
// register's offset, name, width, reset value and access class against the
// architected map; what writes do per class and which owner hooks they
// call, halves and spans, EnableLPIs, INVLPIR/INVALLR/SYNCR - all without a
// kernel, over a fake owner - and the bad-access rule, in GicrRegs and
// through the Redistributor's socket (OK response, counted), the same rule
// as the ITS's (tb/its/test_its_regs_table.cpp).
#include "redist_system.h"

#include <string>

namespace {

constexpr uint64_t bits(unsigned hi, unsigned lo) { return ((~uint64_t{0}) >> (63 - hi)) & ~((uint64_t{1} << lo) - 1); }
// IHI 0069 layouts: PROPBASER IDbits[4:0], InnerCache[9:7], Shareability[11:10],
// PA[51:12], OuterCache[58:56]; PENDBASER the same with PA[51:16], and PTZ[62].
constexpr uint64_t kPropFields = bits(4, 0) | bits(9, 7) | bits(11, 10) | bits(51, 12) | bits(58, 56);
constexpr uint64_t kPendFields = bits(9, 7) | bits(11, 10) | bits(51, 16) | bits(58, 56);
constexpr uint64_t kPtz = uint64_t{1} << 62;
constexpr uint64_t kV = uint64_t{1} << 63;

// The owner, as a few fields: what the hooks were asked.
struct FakeOwner : GicrOwner {
    bool enabled = false;
    uint64_t limit = 0;
    std::vector<GicrEnable> enables;
    unsigned disables = 0, syncs = 0, ignored_base = 0, ignored_inv = 0;
    std::vector<uint32_t> sets, clears;

    bool lpis_enabled() const override { return enabled; }
    bool lpi_in_range(uint32_t id) const override { return id >= 8192 && id < limit; }
    void enable_lpis(const GicrEnable& e) override {
        enables.push_back(e);
        enabled = true;
        limit = e.intid_limit;
    }
    void disable_lpis() override {
        ++disables;
        enabled = false;
    }
    void set_lpi_pending(uint32_t id) override { sets.push_back(id); }
    void clear_lpi_pending(uint32_t id) override { clears.push_back(id); }
    void sync() override { ++syncs; }
    void ignored(GicrIgnored w) override { ++(w == GicrIgnored::base_write ? ignored_base : ignored_inv); }
    unsigned calls() const {
        return unsigned(enables.size() + sets.size() + clears.size()) + disables + syncs + ignored_base + ignored_inv;
    }
};

GicrConfig config(bool allow_disable = true) {
    GicrConfig c;
    c.iidr = 0x0000043B;
    c.typer = 0x0001'0203'0000'0319ull;
    c.allow_disable = allow_disable;
    c.max_id_bits = 16;
    c.reg_inv_queue = 2;
    return c;
}

struct Row {
    uint64_t offset;
    const char* name;
    unsigned width;
    uint64_t reset;
    RegAccess access;
};

std::vector<Row> expected_rows(const GicrConfig& c) {
    using A = RegAccess;
    return {
        {0x0000, "GICR_CTLR", 32, 0x6, A::rw},   // CES (allow_disable), IR
        {0x0004, "GICR_IIDR", 32, c.iidr, A::ro},
        {0x0008, "GICR_TYPER", 64, c.typer, A::ro},
        {0x0010, "GICR_STATUSR", 32, 0, A::raz_wi},
        {0x0014, "GICR_WAKER", 32, 0x6, A::rw},   // ProcessorSleep, ChildrenAsleep
        {0x0040, "GICR_SETLPIR", 64, 0, A::wo},
        {0x0048, "GICR_CLRLPIR", 64, 0, A::wo},
        {0x0070, "GICR_PROPBASER", 64, 0, A::rw},
        {0x0078, "GICR_PENDBASER", 64, 0, A::rw},
        {0x00A0, "GICR_INVLPIR", 64, 0, A::wo},
        {0x00B0, "GICR_INVALLR", 64, 0, A::wo},
        {0x00C0, "GICR_SYNCR", 32, 0, A::ro},
        {0xFFE8, "GICR_PIDR2", 32, 0x3B, A::ro},   // ArchRev 3 | JEDEC | DES_1 3
    };
}

// Every row's value through debug reads (no side effect, no hook).
std::vector<uint64_t> snapshot(const GicrRegs& r, FakeOwner& o) {
    GicrAccess dbg{o, true};
    std::vector<uint64_t> v;
    for (const RegInfo& row : r.frame().rows()) {
        uint64_t lo = 0, hi = 0;
        r.read(dbg, row.offset, 4, &lo);
        if (row.width == 64) r.read(dbg, row.offset + 4, 4, &hi);
        v.push_back(lo | (hi << 32));
    }
    return v;
}

uint64_t rd(const GicrRegs& r, FakeOwner& o, uint64_t off, unsigned size = 4) {
    GicrAccess a{o, false};
    uint64_t v = 0;
    EXPECT_TRUE(r.read(a, off, size, &v)) << std::hex << off;
    return v;
}
bool wr(GicrRegs& r, FakeOwner& o, uint64_t off, uint64_t v, unsigned size = 4) {
    GicrAccess a{o, false};
    return r.write(a, off, size, v);
}

TEST(GicrFrame, TableIsTheArchitectedMap) {
    const GicrConfig c = config();
    GicrRegs r(c);
    const auto& rows = r.frame().rows();
    const std::vector<Row> want = expected_rows(c);
    ASSERT_EQ(rows.size(), want.size());
    EXPECT_EQ(r.frame().size(), 0x20000u);   // RD_base + SGI_base
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(rows[i].offset, want[i].offset) << want[i].name;
        EXPECT_EQ(std::string(rows[i].name), want[i].name);
        EXPECT_EQ(rows[i].width, want[i].width) << want[i].name;
        EXPECT_EQ(rows[i].reset, want[i].reset) << want[i].name;
        EXPECT_EQ(rows[i].access, want[i].access) << want[i].name << " is " << to_string(rows[i].access);
    }
    // CES follows allow_disable.
    EXPECT_EQ(GicrRegs(config(false)).frame().find(gicr::CTLR)->reset, 0x4u);
}

TEST(GicrFrame, EveryRegisterReadsItsResetValue) {
    const GicrConfig c = config();
    for (const Row& w : expected_rows(c)) {
        GicrRegs r(c);
        FakeOwner o;
        const uint64_t want = w.access == RegAccess::wo || w.access == RegAccess::raz_wi ? 0 : w.reset;
        EXPECT_EQ(rd(r, o, w.offset, w.width / 8), want) << w.name;
        if (w.width == 64) {
            EXPECT_EQ(rd(r, o, w.offset, 4) | (rd(r, o, w.offset + 4, 4) << 32), want) << w.name;
        }
        EXPECT_EQ(o.calls(), w.offset == gicr::SYNCR ? 1u : 0u) << w.name;   // a SYNCR read syncs
    }
}

// A full-width write of all ones, LPIs disabled: the value read back, and
// the owner hooks it called; no other register changes.
TEST(GicrFrame, WritesFollowTheAccessClass) {
    struct After {
        uint64_t offset;
        uint64_t value;
        unsigned enables, sets, clears, ignored_inv;
    };
    const After after[] = {
        {0x0000, 0x7, 1, 0, 0, 0},   // EnableLPIs 0 -> 1
        {0x0004, 0x43B, 0, 0, 0, 0},
        {0x0008, 0x0001'0203'0000'0319ull, 0, 0, 0, 0},
        {0x0010, 0, 0, 0, 0, 0},
        {0x0014, 0x6, 0, 0, 0, 0},
        {0x0040, 0, 0, 1, 0, 0},     // SETLPIR(0xFFFFFFFF)
        {0x0048, 0, 0, 0, 1, 0},
        {0x0070, kPropFields, 0, 0, 0, 0},
        {0x0078, kPendFields, 0, 0, 0, 0},   // PTZ reads 0
        {0x00A0, 0, 0, 0, 0, 1},     // V = 1: ignored
        {0x00B0, 0, 0, 0, 0, 1},
        {0x00C0, 0, 0, 0, 0, 0},
        {0xFFE8, 0x3B, 0, 0, 0, 0},
    };
    const GicrConfig c = config();
    for (const After& a : after) {
        GicrRegs r(c);
        FakeOwner o;
        std::vector<uint64_t> before = snapshot(r, o);
        const unsigned size = r.frame().find(a.offset)->width / 8;
        ASSERT_TRUE(wr(r, o, a.offset, ~uint64_t{0}, size)) << std::hex << a.offset;
        EXPECT_EQ(o.enables.size(), a.enables) << std::hex << a.offset;
        EXPECT_EQ(o.sets.size(), a.sets) << std::hex << a.offset;
        EXPECT_EQ(o.clears.size(), a.clears) << std::hex << a.offset;
        EXPECT_EQ(o.ignored_inv, a.ignored_inv) << std::hex << a.offset;
        EXPECT_EQ(o.disables + o.syncs + o.ignored_base, 0u) << std::hex << a.offset;
        std::vector<uint64_t> now = snapshot(r, o);
        size_t me = 0;
        while (r.frame().rows()[me].offset != a.offset) ++me;
        EXPECT_EQ(now[me], a.value) << std::hex << a.offset;
        before[me] = now[me];
        EXPECT_EQ(now, before) << "a write to " << std::hex << a.offset << " changed another register";
    }
}

TEST(GicrFrame, HalvesAndPtz) {
    GicrRegs r(config());
    FakeOwner o;
    ASSERT_TRUE(wr(r, o, gicr::PROPBASER, 0x4567'800F));
    ASSERT_TRUE(wr(r, o, gicr::PROPBASER + 4, 0x0700'0123));
    EXPECT_EQ(r.propbaser(), 0x0700'0123'4567'800Full & kPropFields);
    EXPECT_EQ(rd(r, o, gicr::PROPBASER + 4), 0x0700'0123u & (kPropFields >> 32));
    // PTZ only from a write that reaches bit 62; a low-half write keeps it.
    ASSERT_TRUE(wr(r, o, gicr::PENDBASER + 4, kPtz >> 32));
    EXPECT_TRUE(r.ptz());
    ASSERT_TRUE(wr(r, o, gicr::PENDBASER, 0x0003'0000));
    EXPECT_TRUE(r.ptz());
    EXPECT_EQ(r.pendbaser(), 0x0003'0000u);
    ASSERT_TRUE(wr(r, o, gicr::PENDBASER, 0, 8));
    EXPECT_FALSE(r.ptz());
}

TEST(GicrFrame, An8ByteAccessSpansTwo32BitRegisters) {
    GicrRegs r(config());
    FakeOwner o;
    EXPECT_EQ(rd(r, o, gicr::CTLR, 8), (uint64_t{0x43B} << 32) | 0x6);
    EXPECT_EQ(rd(r, o, gicr::STATUSR, 8), uint64_t{0x6} << 32);   // STATUSR RAZ, WAKER above it
    // The high register of the pair gets the data's bits 63:32.
    ASSERT_TRUE(wr(r, o, gicr::STATUSR, 0xFFFFFFFF, 8));
    EXPECT_FALSE(r.processor_sleep());
    // A pair with one register (SYNCR at 0xC0, nothing at 0xC4) reaches it.
    EXPECT_EQ(rd(r, o, gicr::SYNCR, 8), 0u);
    EXPECT_EQ(o.syncs, 1u);
}

TEST(GicrFrame, EnableLpisHandsTheTablesAndTheRangeToTheOwner) {
    GicrRegs r(config());
    FakeOwner o;
    const uint64_t prop = 0x0000'0123'4567'8000ull, pend = 0x0000'0089'ABCD'0000ull;
    wr(r, o, gicr::PROPBASER, prop | 15, 8);
    wr(r, o, gicr::PENDBASER, pend | 0xFFFF | kPtz, 8);   // the low 16 bits are below PA[51:16]
    wr(r, o, gicr::CTLR, 1);
    ASSERT_EQ(o.enables.size(), 1u);
    EXPECT_EQ(o.enables[0].prop_base, prop);
    EXPECT_EQ(o.enables[0].pend_base, pend);
    EXPECT_EQ(o.enables[0].intid_limit, 65536u);   // IDbits 15: 16 bits
    EXPECT_TRUE(o.enables[0].table_zero);
    EXPECT_FALSE(r.ptz());                          // consumed
    EXPECT_EQ(rd(r, o, gicr::CTLR), 0x7u);
    wr(r, o, gicr::CTLR, 1);                        // already on: nothing
    EXPECT_EQ(o.enables.size(), 1u);
    // While enabled the base registers ignore writes, and say so.
    wr(r, o, gicr::PROPBASER, 0, 8);
    wr(r, o, gicr::PENDBASER + 4, kPtz >> 32);
    EXPECT_EQ(r.propbaser(), prop | 15);
    EXPECT_FALSE(r.ptz());
    EXPECT_EQ(o.ignored_base, 2u);
    // Off, then on with other IDbits: the range is clamped to max_id_bits,
    // and below 13 there are no LPIs; PTZ is not remembered.
    wr(r, o, gicr::CTLR, 0);
    EXPECT_EQ(o.disables, 1u);
    const std::pair<unsigned, uint64_t> ranges[] = {{31, 65536}, {13, 16384}, {12, 0}, {0, 0}};
    for (auto [idbits, limit] : ranges) {
        wr(r, o, gicr::PROPBASER, prop | idbits, 8);
        wr(r, o, gicr::CTLR, 1);
        EXPECT_EQ(o.enables.back().intid_limit, limit) << idbits;
        EXPECT_FALSE(o.enables.back().table_zero);
        wr(r, o, gicr::CTLR, 0);
    }
    EXPECT_EQ(o.enables.size(), 5u);
}

TEST(GicrFrame, EnableLpisIsRes1WithoutAllowDisable) {
    GicrRegs r(config(false));
    FakeOwner o;
    wr(r, o, gicr::CTLR, 1);
    wr(r, o, gicr::CTLR, 0);
    EXPECT_EQ(o.disables, 0u);
    EXPECT_EQ(rd(r, o, gicr::CTLR), 0x5u);   // EnableLPIs, IR; CES = 0
}

TEST(GicrFrame, SetlpirAndClrlpirTakeTheLowHalf) {
    GicrRegs r(config());
    FakeOwner o;
    wr(r, o, gicr::SETLPIR, 8200);
    wr(r, o, gicr::SETLPIR + 4, 8201);                  // the high half alone: nothing
    wr(r, o, gicr::SETLPIR, 0xFFFF'FFFF'0000'2009ull, 8);
    wr(r, o, gicr::CLRLPIR, 8200, 8);
    EXPECT_EQ(o.sets, (std::vector<uint32_t>{8200, 8201}));
    EXPECT_EQ(o.clears, (std::vector<uint32_t>{8200}));
}

TEST(GicrFrame, InvalidationsQueueUntilSyncr) {
    GicrRegs r(config());   // reg_inv_queue = 2
    FakeOwner o;
    wr(r, o, gicr::INVLPIR, 8200, 8);                   // LPIs disabled: ignored
    EXPECT_EQ(o.ignored_inv, 1u);
    EXPECT_FALSE(r.invalidations_queued());
    wr(r, o, gicr::PROPBASER, 13, 8);                   // 8192..16383
    wr(r, o, gicr::CTLR, 1);
    wr(r, o, gicr::INVLPIR, 8200, 8);
    wr(r, o, gicr::INVLPIR, 8191, 8);                   // not an LPI
    wr(r, o, gicr::INVLPIR, 16384, 8);                  // past the range
    wr(r, o, gicr::INVLPIR, kV | 8300, 8);              // V = 1
    wr(r, o, gicr::INVLPIR + 4, kV >> 32);              // the high half alone: nothing, not counted
    wr(r, o, gicr::INVLPIR, 9000);                      // the low half: queued
    EXPECT_EQ(o.ignored_inv, 4u);
    GicrRegs::Invalidations q = r.take_invalidations();
    EXPECT_FALSE(q.all);
    EXPECT_EQ(q.intids, (std::vector<uint32_t>{8200, 9000}));
    EXPECT_FALSE(r.invalidations_queued());
    // Past the queue's size: one INVALLR.
    for (uint32_t id : {8200u, 8201u, 8202u}) wr(r, o, gicr::INVLPIR, id, 8);
    q = r.take_invalidations();
    EXPECT_TRUE(q.all);
    EXPECT_TRUE(q.intids.empty());
    // INVALLR: V = 1 ignored, else everything.
    wr(r, o, gicr::INVALLR, kV, 8);
    EXPECT_FALSE(r.invalidations_queued());
    wr(r, o, gicr::INVALLR, 0, 8);
    EXPECT_TRUE(r.take_invalidations().all);
    wr(r, o, gicr::INVLPIR, 8300, 8);
    r.drop_invalidations();
    EXPECT_FALSE(r.invalidations_queued());
    // SYNCR: a read syncs; a debug read does not.
    rd(r, o, gicr::SYNCR);
    GicrAccess dbg{o, true};
    uint64_t v = 1;
    EXPECT_TRUE(r.read(dbg, gicr::SYNCR, 4, &v));
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(o.syncs, 1u);
}

// The bad-access rule, the same as the ITS's.
struct Bad {
    uint64_t off;
    unsigned size;
    const char* why;
};
const Bad kBadAccesses[] = {
    {0x0000, 2, "16-bit at CTLR"},      {0x0000, 1, "byte at CTLR"},   {0x0008, 3, "3 bytes"},
    {0x0000, 16, "16 bytes"},           {0x0000, 0, "no bytes"},        {0x0072, 4, "misaligned 4"},
    {0x000C, 8, "64-bit at TYPER + 4"}, {0x007C, 8, "64-bit at PENDBASER + 4"}, {0x1230, 4, "a hole"},
    {0x00C8, 8, "a hole after SYNCR"},  {gicr::SGI_base + 0x100, 4, "SGI_base"}, {0x20000, 4, "past the frame"},
};

TEST(GicrFrame, BadAccessesReadZeroAndChangeNothing) {
    GicrRegs r(config());
    FakeOwner o;
    wr(r, o, gicr::PROPBASER, 0x4000'0000 | 15, 8);
    wr(r, o, gicr::WAKER, 0);
    const unsigned calls = o.calls();
    const std::vector<uint64_t> before = snapshot(r, o);
    for (const Bad& b : kBadAccesses) {
        GicrAccess a{o, false};
        uint64_t v = 0xBAD;
        EXPECT_FALSE(r.read(a, b.off, b.size, &v)) << b.why;
        EXPECT_EQ(v, 0u) << b.why;
        EXPECT_FALSE(r.write(a, b.off, b.size, ~uint64_t{0})) << b.why;
        EXPECT_EQ(snapshot(r, o), before) << b.why;
        EXPECT_EQ(o.calls(), calls) << b.why;
    }
    EXPECT_FALSE(o.enabled);
}

// Through the socket: OK, zero data, no effect, counted, the MMIO latency;
// no register access at all: an error response, counted, free.
TEST(GicrFrame, TheModuleAnswersBadAccessesOkAndCountsThem) {
    System s;
    std::vector<tlm::tlm_response_status> status;
    std::vector<uint64_t> data;
    std::vector<sc_time> delay;
    uint64_t bad_before_errors = 0, ctlr = 1, waker = 0;
    s.run([&](Tester& t) {
        auto raw = [&](tlm::tlm_command c, uint64_t off, unsigned len, uint8_t fill) {
            uint8_t buf[8];
            for (auto& x : buf) x = fill;
            tlm::tlm_generic_payload p;
            p.set_command(c);
            p.set_address(off);
            p.set_data_ptr(buf);
            p.set_data_length(len);
            p.set_streaming_width(len);
            sc_time d = sc_core::SC_ZERO_TIME;
            s.rd.mmio.get_base_interface().b_transport(p, d);
            status.push_back(p.get_response_status());
            delay.push_back(d);
            uint64_t v = 0;
            for (unsigned i = 0; i < len && i < 8; ++i) v |= uint64_t{buf[i]} << (8 * i);
            return v;
        };
        for (const Bad& b : kBadAccesses) {
            if (b.off >= gicr::FRAME_SIZE || b.size == 0 || b.size > 8) continue;
            data.push_back(raw(tlm::TLM_READ_COMMAND, b.off, b.size, 0x5A));
            raw(tlm::TLM_WRITE_COMMAND, b.off, b.size, 0xFF);
        }
        raw(tlm::TLM_READ_COMMAND, gicr::IIDR, 4, 0);   // a good one, for its delay
        bad_before_errors = s.rd.stats().bad_accesses;
        ctlr = t.rd(gicr::CTLR);
        waker = t.rd(gicr::WAKER);
        raw(tlm::TLM_READ_COMMAND, gicr::FRAME_SIZE - 2, 4, 0);   // past the frame
        raw(tlm::TLM_IGNORE_COMMAND, gicr::CTLR, 4, 0);
    });
    const size_t n = data.size();
    ASSERT_EQ(n, 9u);
    for (size_t i = 0; i < 2 * n + 1; ++i) {
        EXPECT_EQ(status[i], tlm::TLM_OK_RESPONSE) << i;
        EXPECT_EQ(delay[i], kMmio) << i;
    }
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(data[i], 0u) << i;
    EXPECT_EQ(bad_before_errors, 2 * n);
    EXPECT_EQ(ctlr, gicr::CTLR_CES | gicr::CTLR_IR);   // no bad write enabled LPIs
    EXPECT_EQ(waker, 0x6u);                             // nor woke the CPU
    EXPECT_EQ(status[2 * n + 1], tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(delay[2 * n + 1], sc_core::SC_ZERO_TIME);
    EXPECT_EQ(status[2 * n + 2], tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(s.rd.stats().bad_accesses, 2 * n + 1);
    EXPECT_EQ(s.mem.stats().reads + s.mem.stats().writes, 0u);
}

TEST(GicrFrame, DebugTransportReadsBytesWithoutSideEffects) {
    System s;
    std::vector<uint8_t> got(7);
    unsigned n = 0;
    uint64_t syncs = 1;
    s.run([&](Tester& t) {
        ASSERT_TRUE(t.wr(gicr::PROPBASER, kProp | 15, 8));
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(gicr::PROPBASER + 1);
        p.set_data_ptr(got.data());
        p.set_data_length(7);
        n = s.rd.mmio.get_base_interface().transport_dbg(p);
        uint8_t syncr[4];
        p.set_address(gicr::SYNCR);
        p.set_data_ptr(syncr);
        p.set_data_length(4);
        s.rd.mmio.get_base_interface().transport_dbg(p);
        syncs = s.rd.stats().syncs;
    });
    EXPECT_EQ(n, 7u);
    const uint64_t prop = kProp | 15;
    for (unsigned i = 0; i < 7; ++i) EXPECT_EQ(got[i], uint8_t(prop >> (8 * (i + 1)))) << i;
    EXPECT_EQ(syncs, 0u);
}

}  // namespace
