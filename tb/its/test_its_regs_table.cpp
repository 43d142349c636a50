// The GITS frames as tables (its_core.h "Register map", common/reg_frame.h):
// every register's offset, name, width, reset value and access class
// against the architected map, what a write does per access class, 32-bit
// halves and 64-bit spans, and the bad-access rule - in ItsCore (no
// kernel) and through the Its module's socket (OK response, counted).
#include "its_module_bench.h"

#include <utility>

namespace {

// IHI 0069 field layouts, written out here rather than taken from the model.
constexpr uint64_t bits(unsigned hi, unsigned lo) { return ((~uint64_t{0}) >> (63 - hi)) & ~((uint64_t{1} << lo) - 1); }
// GITS_CBASER: Size[7:0], Shareability[11:10], PA[51:12], OuterCache[55:53], InnerCache[61:59], Valid[63].
constexpr uint64_t kCbaserFields = bits(7, 0) | bits(11, 10) | bits(51, 12) | bits(55, 53) | bits(61, 59) | bits(63, 63);
// GITS_BASER<n> as software may write it: Size, Page_Size, Shareability,
// PA[47:12], OuterCache, InnerCache, Indirect, Valid (not Type[58:56], Entry_Size[52:48]).
constexpr uint64_t kBaserFields = bits(7, 0) | bits(9, 8) | bits(11, 10) | bits(47, 12) | bits(55, 53) |
                                  bits(61, 59) | bits(62, 62) | bits(63, 63);
constexpr uint64_t kEsize8 = uint64_t{7} << 48;   // 8-byte entries: Entry_Size = bytes - 1

struct Row {
    uint64_t offset;
    const char* name;
    unsigned width;
    uint64_t reset;
    RegAccess access;
    uint64_t after_ones;   // read back after a full-width write of all ones (ITS disabled before it)
};

// The default configuration: 16 ID, device and ICID bits, PTA = 0,
// two-level tables, IIDR 0x01000000.
std::vector<Row> expected_rows() {
    using A = RegAccess;
    // TYPER: Physical, ITT_entry_size 7, ID_bits 15, Devbits 15 (PTA, CIL = 0).
    const uint64_t typer = 1 | (7u << 4) | (15u << 8) | (15u << 13);
    const uint64_t dev = (uint64_t{1} << 56) | kEsize8, col = (uint64_t{4} << 56) | kEsize8;
    // All ones with Page_Size 0b11 (reserved) stored as 0b10 (64K).
    const uint64_t ones_baser = (kBaserFields & ~bits(9, 8)) | (uint64_t{2} << 8);
    std::vector<Row> v = {
        {0x0000, "GITS_CTLR", 32, uint64_t{1} << 31, A::rw, 1},   // Quiescent while disabled; Enabled
        {0x0004, "GITS_IIDR", 32, 0x01000000, A::ro, 0x01000000},
        {0x0008, "GITS_TYPER", 64, typer, A::ro, typer},
        {0x0080, "GITS_CBASER", 64, 0, A::rw, kCbaserFields},
        {0x0088, "GITS_CWRITER", 64, 0, A::rw, bits(19, 5)},      // Retry reads 0
        {0x0090, "GITS_CREADR", 64, 0, A::ro, 0},
        {0x0100, "GITS_BASER0", 64, dev, A::rw, ones_baser | dev},
        {0x0108, "GITS_BASER1", 64, col, A::rw, ones_baser | col},
    };
    for (unsigned n = 2; n < 8; ++n)
        v.push_back({0x100 + 8u * n, nullptr, 64, 0, A::raz_wi, 0});
    // ID registers: CoreSight layout. PIDR2 = ArchRev 3 | JEDEC | DES_1 3;
    // PIDR0 the part number; CIDR0..3 the component preamble 0x0D, 0xF0
    // (class 0xF), 0x05, 0xB1.
    const std::pair<const char*, uint32_t> ids[] = {
        {"GITS_PIDR4", 0}, {"GITS_PIDR5", 0}, {"GITS_PIDR6", 0}, {"GITS_PIDR7", 0},
        {"GITS_PIDR0", 0x01}, {"GITS_PIDR1", 0}, {"GITS_PIDR2", 0x3B}, {"GITS_PIDR3", 0},
        {"GITS_CIDR0", 0x0D}, {"GITS_CIDR1", 0xF0}, {"GITS_CIDR2", 0x05}, {"GITS_CIDR3", 0xB1},
    };
    for (unsigned i = 0; i < 12; ++i) v.push_back({0xFFD0 + 4u * i, ids[i].first, 32, ids[i].second, A::ro, ids[i].second});
    return v;
}

std::string baser_name(uint64_t off) { return "GITS_BASER" + std::to_string((off - 0x100) / 8); }

// Every row's value, read 32 bits at a time (reads have no side effect).
std::vector<uint64_t> snapshot(const ItsCore& core) {
    std::vector<uint64_t> v;
    for (const RegInfo& r : core.register_frame().rows()) {
        uint64_t lo = 0, hi = 0;
        core.read_register(r.offset, 4, &lo);
        if (r.width == 64) core.read_register(r.offset + 4, 4, &hi);
        v.push_back(lo | (hi << 32));
    }
    return v;
}

size_t row_index(const ItsCore& core, uint64_t off) {
    const auto& rows = core.register_frame().rows();
    for (size_t i = 0; i < rows.size(); ++i)
        if (rows[i].offset == off) return i;
    return rows.size();
}

TEST(GitsFrame, TableIsTheArchitectedMap) {
    ItsCore core;
    const auto& rows = core.register_frame().rows();
    const std::vector<Row> want = expected_rows();
    ASSERT_EQ(rows.size(), want.size());
    EXPECT_EQ(core.register_frame().base(), 0u);
    EXPECT_EQ(core.register_frame().size(), 0x10000u);
    for (size_t i = 0; i < want.size(); ++i) {
        const Row& w = want[i];
        const std::string name = w.name ? w.name : baser_name(w.offset);
        EXPECT_EQ(rows[i].offset, w.offset) << name;
        EXPECT_EQ(rows[i].name, name);
        EXPECT_EQ(rows[i].width, w.width) << name;
        EXPECT_EQ(rows[i].reset, w.reset) << name;
        EXPECT_EQ(rows[i].access, w.access) << name << " is " << to_string(rows[i].access);
    }
}

TEST(GitsFrame, EveryRegisterReadsItsResetValue) {
    ItsCore core;
    for (const Row& w : expected_rows()) {
        uint64_t v = ~uint64_t{0};
        ASSERT_TRUE(core.read_register(w.offset, w.width / 8, &v)) << w.offset;
        EXPECT_EQ(v, w.reset) << std::hex << w.offset;
        if (w.width == 64) {   // and as two halves
            uint64_t lo = 0, hi = 0;
            ASSERT_TRUE(core.read_register(w.offset, 4, &lo));
            ASSERT_TRUE(core.read_register(w.offset + 4, 4, &hi));
            EXPECT_EQ(lo | (hi << 32), w.reset) << std::hex << w.offset;
        }
    }
}

// A full-width write of all ones on a fresh core: RO rows keep their value,
// RAZ/WI rows read 0, RW rows take what their fields allow; no other row
// changes.
TEST(GitsFrame, WritesFollowTheAccessClass) {
    for (const Row& w : expected_rows()) {
        ItsCore core;
        std::vector<uint64_t> before = snapshot(core);
        ASSERT_TRUE(core.write_register(w.offset, w.width / 8, ~uint64_t{0})) << w.offset;
        uint64_t v = 0;
        core.read_register(w.offset, w.width / 8, &v);
        EXPECT_EQ(v, w.after_ones) << std::hex << w.offset;
        std::vector<uint64_t> after = snapshot(core);
        const size_t me = row_index(core, w.offset);
        ASSERT_LT(me, after.size());
        before[me] = after[me];
        EXPECT_EQ(after, before) << "a write to " << std::hex << w.offset << " changed another register";
    }
}

// The same through 32-bit halves, low then high: the same result.
TEST(GitsFrame, HalvesWriteWhatAFullWriteWrites) {
    for (const Row& w : expected_rows()) {
        if (w.width != 64) continue;
        ItsCore full, halves;
        full.write_register(w.offset, 8, ~uint64_t{0});
        ASSERT_TRUE(halves.write_register(w.offset, 4, 0xFFFFFFFF));
        ASSERT_TRUE(halves.write_register(w.offset + 4, 4, 0xFFFFFFFF));
        EXPECT_EQ(snapshot(halves), snapshot(full)) << std::hex << w.offset;
    }
    // A half changes only its own bits.
    ItsCore core;
    core.write_register(gits::CBASER + 4, 4, 0x8000'0000);   // Valid
    EXPECT_EQ(core.cbaser(), gits::CBASER_Valid);
    core.write_register(gits::CBASER, 4, 0x0004'0003);
    EXPECT_EQ(core.cbaser(), gits::CBASER_Valid | 0x40003);
    uint64_t hi = 0;
    core.read_register(gits::CBASER + 4, 4, &hi);
    EXPECT_EQ(hi, 0x8000'0000u);
}

TEST(GitsFrame, An8ByteAccessSpansTwo32BitRegisters) {
    ItsConfig cfg;
    cfg.iidr = 0x0123'4567;
    ItsCore core(cfg);
    uint64_t v = 0;
    ASSERT_TRUE(core.read_register(gits::CTLR, 8, &v));
    EXPECT_EQ(v, (uint64_t{0x0123'4567} << 32) | (uint64_t{1} << 31));
    ASSERT_TRUE(core.read_register(gits::CIDR0, 8, &v));
    EXPECT_EQ(v, (uint64_t{0xF0} << 32) | 0x0D);
    // Writing the pair writes CTLR (Enabled) and leaves IIDR (RO).
    ASSERT_TRUE(core.write_register(gits::CTLR, 8, ~uint64_t{0}));
    EXPECT_TRUE(core.enabled());
    ASSERT_TRUE(core.read_register(gits::IIDR, 4, &v));
    EXPECT_EQ(v, 0x0123'4567u);
}

TEST(GitsFrame, ResetValuesAndMasksFollowTheConfiguration) {
    ItsConfig cfg;
    cfg.indirect_tables = false;
    cfg.iidr = 0xAABBCCDD;
    cfg.event_id_bits = 10;
    ItsCore core(cfg);
    EXPECT_EQ(core.register_frame().find(gits::IIDR)->reset, 0xAABBCCDDu);
    EXPECT_EQ((core.register_frame().find(gits::TYPER)->reset >> 8) & 0x1F, 9u);   // ID_bits
    EXPECT_EQ(core.register_frame().find(gits::BASER(0))->write_mask & baser::kIndirect, 0u);
    core.write_register(gits::BASER(0), 8, ~uint64_t{0});
    EXPECT_EQ(core.baser(0) & baser::kIndirect, 0u);   // RAZ/WI without two-level tables
    EXPECT_EQ(core.baser(0) & baser::kValid, baser::kValid);
}

// The bad-access rule: a size, an alignment or an offset that reaches no
// register reads 0, changes nothing, and says false.
struct Bad {
    uint64_t off;
    unsigned size;
    const char* why;
};
const Bad kBadAccesses[] = {
    {0x0000, 2, "16-bit at CTLR"},        {0x0000, 1, "byte at CTLR"},      {0x0008, 3, "3 bytes"},
    {0x0008, 16, "16 bytes"},             {0x0000, 0, "no bytes"},           {0x000A, 4, "misaligned 4"},
    {0x000C, 8, "64-bit at TYPER + 4"},   {0x0084, 8, "64-bit at CBASER + 4"}, {0x0200, 4, "a hole"},
    {0x0098, 8, "a hole after CREADR"},   {0x0040, 4, "no register at 0x40"},
    {0xFFCC, 4, "below the ID block"},    {0x10000, 4, "past the control frame"},
    {gits::TRANSLATER, 4, "TRANSLATER is not the core's"},
};

TEST(GitsFrame, BadAccessesReadZeroAndChangeNothing) {
    ItsCore core;
    core.write_register(gits::CBASER, 8, gits::CBASER_Valid | 0x40000);
    core.write_register(gits::CWRITER, 8, 0x40);
    const std::vector<uint64_t> before = snapshot(core);
    for (const Bad& b : kBadAccesses) {
        uint64_t v = 0xBAD;
        EXPECT_FALSE(core.read_register(b.off, b.size, &v)) << b.why;
        EXPECT_EQ(v, 0u) << b.why;
        EXPECT_FALSE(core.write_register(b.off, b.size, ~uint64_t{0})) << b.why;
        EXPECT_EQ(snapshot(core), before) << b.why;
    }
    EXPECT_FALSE(core.enabled());
}

// Through the socket: the same rule, answered OK and counted; what is no
// register access at all gets an error response, counted too.
TEST(GitsFrame, TheModuleAnswersBadAccessesOkAndCountsThem) {
    Bench b(TimingMode::accurate);
    std::vector<tlm::tlm_response_status> status;
    std::vector<uint64_t> data;
    uint64_t bad_before_errors = 0, cbaser = 0;
    sc_time t_bad, t_good;
    b.run([&](Host& h) {
        h.wr(kItsBase + gits::CBASER, gits::CBASER_Valid | kCq, 8);   // good: not counted
        for (const Bad& x : kBadAccesses) {
            if (x.off >= 0x10000 || x.size == 0 || x.size > 8) continue;   // the translation frame; unbuildable sizes
            uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
            tlm::tlm_generic_payload p;
            p.set_command(tlm::TLM_READ_COMMAND);
            p.set_address(x.off);
            p.set_data_ptr(buf);
            p.set_data_length(x.size);
            p.set_streaming_width(x.size);
            sc_time d = sc_core::SC_ZERO_TIME;
            b.its->mmio.get_base_interface().b_transport(p, d);
            status.push_back(p.get_response_status());
            uint64_t v = 0;
            for (unsigned i = 0; i < x.size; ++i) v |= uint64_t{buf[i]} << (8 * i);
            data.push_back(v);
            t_bad = d;
            p.set_command(tlm::TLM_WRITE_COMMAND);
            for (auto& c : buf) c = 0xFF;
            d = sc_core::SC_ZERO_TIME;
            b.its->mmio.get_base_interface().b_transport(p, d);
            status.push_back(p.get_response_status());
        }
        // A good access costs the same register latency.
        tlm::tlm_generic_payload p;
        uint8_t buf[8] = {};
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(gits::CBASER);
        p.set_data_ptr(buf);
        p.set_data_length(8);
        p.set_streaming_width(8);
        sc_time d = sc_core::SC_ZERO_TIME;
        b.its->mmio.get_base_interface().b_transport(p, d);
        t_good = d;
        for (unsigned i = 0; i < 8; ++i) cbaser |= uint64_t{buf[i]} << (8 * i);
        bad_before_errors = b.its->stats().bad_accesses;
        // Not register accesses: each an error response, counted.
        p.set_address(Its::kFrameBytes - 2);
        p.set_data_length(4);
        p.set_streaming_width(4);
        b.its->mmio.get_base_interface().b_transport(p, d);
        status.push_back(p.get_response_status());
        uint8_t be[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        p.set_address(gits::CTLR);
        p.set_byte_enable_ptr(be);
        p.set_byte_enable_length(4);
        b.its->mmio.get_base_interface().b_transport(p, d);
        status.push_back(p.get_response_status());
        p.set_byte_enable_ptr(nullptr);
        p.set_streaming_width(2);
        b.its->mmio.get_base_interface().b_transport(p, d);
        status.push_back(p.get_response_status());
        // TLM_IGNORE_COMMAND: OK, not a bad access.
        p.set_streaming_width(4);
        p.set_command(tlm::TLM_IGNORE_COMMAND);
        b.its->mmio.get_base_interface().b_transport(p, d);
        status.push_back(p.get_response_status());
    });
    const size_t n = data.size();
    ASSERT_EQ(n, 10u);
    for (size_t i = 0; i < 2 * n; ++i) EXPECT_EQ(status[i], tlm::TLM_OK_RESPONSE) << i;
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(data[i], 0u) << i;
    EXPECT_EQ(t_bad, t_good);   // register_cycles, as any access
    EXPECT_EQ(bad_before_errors, 2 * n);
    EXPECT_EQ(cbaser, gits::CBASER_Valid | kCq);   // the bad writes changed nothing
    EXPECT_FALSE(b.its->core().enabled());
    EXPECT_EQ(status[2 * n], tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(status[2 * n + 1], tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    EXPECT_EQ(status[2 * n + 2], tlm::TLM_BURST_ERROR_RESPONSE);
    EXPECT_EQ(status[2 * n + 3], tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(b.its->stats().bad_accesses, 2 * n + 3);
}

// The translation frame is a table too: GITS_TRANSLATER takes 16- and
// 32-bit writes; anything else in the frame is a bad access.
TEST(GitsFrame, TranslationFrameTakesTranslaterWritesOnly) {
    Bench b(TimingMode::accurate);
    uint64_t translater = 1, hole = 1;
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(0, 0), mapd(3, 4), mapti(3, 5, 8300, 0)});
        h.at(10'000 * kNs);
        h.msi(3, 5, 1, 2);                                   // 16-bit: an MSI
        h.msi(3, 5, 2, 1);                                   // 8-bit: bad
        h.wr(kItsBase + gits::TRANSLATER + 4, 5, 4);         // a hole: bad
        uint8_t e[8] = {5, 0, 0, 0, 0, 0, 0, 0};             // 64-bit: TRANSLATER does not take it
        h.bm.access(tlm::TLM_WRITE_COMMAND, kItsBase + gits::TRANSLATER, e, 8, h.tl);
        translater = h.rd(kItsBase + gits::TRANSLATER, 4);   // WO: reads 0, a good access
        hole = h.rd(kItsBase + 0x10000, 4);                  // bad
    });
    ASSERT_EQ(b.msis.size(), 1u);
    EXPECT_EQ(b.msis[0].tag, 1u);
    EXPECT_EQ(b.msis[0].intid, 8300u);
    EXPECT_EQ(translater, 0u);
    EXPECT_EQ(hole, 0u);
    EXPECT_EQ(b.its->stats().bad_accesses, 4u);
}

// Debug reads: any length and alignment, no side effect; writes refused.
TEST(GitsFrame, DebugTransportReadsBytesWithoutSideEffects) {
    Bench b(TimingMode::accurate, [](ItsModuleConfig& c) { c.core.iidr = 0x11223344; });
    std::vector<uint8_t> got(6);
    unsigned n = 0, wn = 1;
    b.run([&](Host&) {
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_READ_COMMAND);
        p.set_address(gits::CTLR + 2);   // CTLR bytes 2-3, IIDR bytes 0-3
        p.set_data_ptr(got.data());
        p.set_data_length(6);
        n = b.its->mmio.get_base_interface().transport_dbg(p);
        p.set_command(tlm::TLM_WRITE_COMMAND);
        wn = b.its->mmio.get_base_interface().transport_dbg(p);
    });
    EXPECT_EQ(n, 6u);
    EXPECT_EQ(wn, 0u);
    // CTLR = Quiescent (bit 31): bytes 2, 3 = 0x00, 0x80; IIDR little-endian.
    EXPECT_EQ(got, (std::vector<uint8_t>{0x00, 0x80, 0x44, 0x33, 0x22, 0x11}));
    EXPECT_EQ(b.its->stats().bad_accesses, 0u);
}

}  // namespace
