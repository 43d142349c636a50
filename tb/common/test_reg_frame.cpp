// The register-frame mechanism (common/reg_frame.h, reg_frame_tlm.h) on a
// toy frame, without a kernel: which registers an access reaches (halves,
// spans, narrow sizes), the access classes, the bad-access rule, the table
// checks, debug reads, the TLM payload checks.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/common/reg_frame.h"
#include "itsim/common/reg_frame_tlm.h"

using namespace itsim;

namespace {

// A frame at 0x1000..0x1FFF; every handler call is logged.
struct Toy {
    struct Call {
        std::string what;
        uint64_t value, mask;
        bool operator==(const Call& o) const { return what == o.what && value == o.value && mask == o.mask; }
    };
    std::vector<Call> log;
    uint64_t a = 0x11111111, wide = 0;
    mutable unsigned reads = 0;

    uint64_t read_a() const {
        ++reads;
        return a;
    }
    void write_a(uint64_t v, uint64_t m) {
        log.push_back({"a", v, m});
        a = reg_merge(a, v, m);
    }
    uint64_t read_wide() const {
        ++reads;
        return wide;
    }
    void write_wide(uint64_t v, uint64_t m) {
        log.push_back({"wide", v, m});
        wide = reg_merge(wide, v, m);
    }
    void write_door(uint64_t v, uint64_t m) { log.push_back({"door", v, m}); }
    void write_narrow(uint64_t v, uint64_t m) { log.push_back({"narrow", v, m}); }

    using Frame = RegFrame<Toy>;
    static Frame frame() {
        using A = RegAccess;
        return Frame(0x1000, 0x1000, {
            {0x1000, "A", 32, 0x11111111, A::rw, 0x0000FFFF, &Toy::read_a, &Toy::write_a},
            {0x1004, "ID", 32, 0xCAFE0001, A::ro, 0, nullptr, nullptr},
            {0x1010, "WIDE", 64, 0, A::rw, 0xFF00'0000'0000'00FFull, &Toy::read_wide, &Toy::write_wide},
            {0x1018, "DOOR", 64, 0, A::wo, ~uint64_t{0}, nullptr, &Toy::write_door},
            {0x1020, "GONE", 64, 0, A::raz_wi, 0, nullptr, nullptr},
            {0x1030, "NARROW", 32, 0, A::wo, 0xFFFFFFFF, nullptr, &Toy::write_narrow,
             reg_size(1) | reg_size(2) | reg_size(4)},
            {0x1044, "TAIL", 32, 0x44, A::ro, 0, nullptr, nullptr},   // 0x1040 is a hole
        });
    }
};

TEST(RegFrame, RowsAreSortedAndFoundByOffset) {
    const Toy::Frame f = Toy::frame();
    ASSERT_EQ(f.rows().size(), 7u);
    EXPECT_EQ(f.base(), 0x1000u);
    EXPECT_EQ(f.size(), 0x1000u);
    ASSERT_NE(f.find(0x1010), nullptr);
    EXPECT_STREQ(f.find(0x1010)->name, "WIDE");
    EXPECT_EQ(f.find(0x1014), nullptr);   // inside WIDE, not a row's offset
    EXPECT_EQ(f.find(0x1040), nullptr);
    EXPECT_EQ(std::string(to_string(RegAccess::raz_wi)), "RAZ/WI");
}

TEST(RegFrame, AccessClasses) {
    const Toy::Frame f = Toy::frame();
    Toy t;
    uint64_t v = 1;
    // rw: the read handler; a write reaches the handler with the write mask.
    ASSERT_TRUE(f.read(t, nullptr, 0x1000, 4, &v));
    EXPECT_EQ(v, 0x11111111u);
    ASSERT_TRUE(f.write(t, nullptr, 0x1000, 4, 0xABCD1234));
    ASSERT_EQ(t.log.size(), 1u);
    EXPECT_EQ(t.log[0], (Toy::Call{"a", 0xABCD1234, 0x0000FFFF}));
    f.read(t, nullptr, 0x1000, 4, &v);
    EXPECT_EQ(v, 0x11111234u);   // only the write mask's bits changed
    // ro without a handler: the reset value, writes reach nothing.
    ASSERT_TRUE(f.read(t, nullptr, 0x1004, 4, &v));
    EXPECT_EQ(v, 0xCAFE0001u);
    ASSERT_TRUE(f.write(t, nullptr, 0x1004, 4, 0));
    EXPECT_EQ(t.log.size(), 1u);
    // wo reads 0 and runs no read handler; its writes reach the handler.
    t.reads = 0;
    ASSERT_TRUE(f.read(t, nullptr, 0x1018, 8, &v));
    EXPECT_EQ(v, 0u);
    ASSERT_TRUE(f.write(t, nullptr, 0x1018, 8, 0x0123456789ABCDEFull));
    EXPECT_EQ(t.log.back(), (Toy::Call{"door", 0x0123456789ABCDEFull, ~uint64_t{0}}));
    // raz_wi: 0, nothing runs; a good access all the same.
    ASSERT_TRUE(f.write(t, nullptr, 0x1020, 8, ~uint64_t{0}));
    ASSERT_TRUE(f.read(t, nullptr, 0x1020, 8, &v));
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(t.log.size(), 2u);
    EXPECT_EQ(t.reads, 0u);
}

TEST(RegFrame, HalvesOfA64BitRegister) {
    const Toy::Frame f = Toy::frame();
    Toy t;
    t.wide = 0x8877665544332211ull;
    uint64_t lo = 0, hi = 0, all = 0;
    ASSERT_TRUE(f.read(t, nullptr, 0x1010, 4, &lo));
    ASSERT_TRUE(f.read(t, nullptr, 0x1014, 4, &hi));
    ASSERT_TRUE(f.read(t, nullptr, 0x1010, 8, &all));
    EXPECT_EQ(lo, 0x44332211u);
    EXPECT_EQ(hi, 0x88776655u);
    EXPECT_EQ(all, 0x8877665544332211ull);
    // Each half reaches the handler with the value in place and its own mask.
    ASSERT_TRUE(f.write(t, nullptr, 0x1010, 4, 0xFFFFFFFFFFull));   // bits past 32 are not the access's
    ASSERT_TRUE(f.write(t, nullptr, 0x1014, 4, 0xAB000000));
    ASSERT_EQ(t.log.size(), 2u);
    EXPECT_EQ(t.log[0], (Toy::Call{"wide", 0xFFFFFFFF, 0xFF}));
    EXPECT_EQ(t.log[1], (Toy::Call{"wide", 0xAB00'0000'0000'0000ull, 0xFF00'0000'0000'0000ull}));
    EXPECT_EQ(t.wide, 0xAB776655443322FFull);
}

TEST(RegFrame, An8ByteAccessSpansTwo32BitRegisters) {
    const Toy::Frame f = Toy::frame();
    Toy t;
    uint64_t v = 0;
    ASSERT_TRUE(f.read(t, nullptr, 0x1000, 8, &v));
    EXPECT_EQ(v, 0xCAFE0001'11111111ull);
    // Low register first, each with its 32 bits.
    ASSERT_TRUE(f.write(t, nullptr, 0x1000, 8, 0x12345678'0000BEEFull));
    ASSERT_EQ(t.log.size(), 1u);   // the high one (ID) is RO
    EXPECT_EQ(t.log[0], (Toy::Call{"a", 0xBEEF, 0xFFFF}));
    // A span with one register present reaches that one: a good access.
    ASSERT_TRUE(f.read(t, nullptr, 0x1040, 8, &v));
    EXPECT_EQ(v, uint64_t{0x44} << 32);
    // A row that does not take 8-byte accesses is not reached by a span.
    ASSERT_FALSE(f.write(t, nullptr, 0x1030, 8, 1));
    EXPECT_EQ(t.log.size(), 1u);
}

TEST(RegFrame, NarrowSizesReachTheLowBytesOfRowsThatTakeThem) {
    const Toy::Frame f = Toy::frame();
    Toy t;
    ASSERT_TRUE(f.write(t, nullptr, 0x1030, 2, 0x00010203));
    ASSERT_TRUE(f.write(t, nullptr, 0x1030, 1, 0x0405));
    ASSERT_TRUE(f.write(t, nullptr, 0x1030, 4, 0x06070809));
    ASSERT_EQ(t.log.size(), 3u);
    EXPECT_EQ(t.log[0], (Toy::Call{"narrow", 0x0203, 0xFFFF}));
    EXPECT_EQ(t.log[1], (Toy::Call{"narrow", 0x05, 0xFF}));
    EXPECT_EQ(t.log[2], (Toy::Call{"narrow", 0x06070809, 0xFFFFFFFF}));
    // Not at another offset of the row, not at a row without the size.
    EXPECT_FALSE(f.write(t, nullptr, 0x1032, 2, 1));
    EXPECT_FALSE(f.write(t, nullptr, 0x1000, 2, 1));
    EXPECT_EQ(t.log.size(), 3u);
}

// The rule: sizes, alignments and offsets that reach no row read 0 and
// change nothing; read() and write() say false.
TEST(RegFrame, BadAccessesReadZeroAndChangeNothing) {
    const Toy::Frame f = Toy::frame();
    struct Case {
        uint64_t off;
        unsigned size;
        const char* why;
    };
    const Case cases[] = {
        {0x1000, 0, "size 0"},        {0x1000, 1, "size 1"},      {0x1000, 2, "size 2"},
        {0x1000, 3, "size 3"},        {0x1000, 6, "size 6"},      {0x1000, 16, "size 16"},
        {0x1002, 4, "misaligned 4"},  {0x1014, 8, "misaligned 8"}, {0x1011, 1, "odd byte"},
        {0x1040, 4, "a hole"},        {0x1048, 8, "a hole, 8"},   {0x0FFC, 4, "before the frame"},
        {0x2000, 4, "past the frame"}, {0x1FFC, 8, "misaligned at the end"},
    };
    for (const Case& c : cases) {
        Toy t;
        uint64_t v = 0xDEAD;
        EXPECT_FALSE(f.read(t, nullptr, c.off, c.size, &v)) << c.why;
        EXPECT_EQ(v, 0u) << c.why;
        EXPECT_FALSE(f.write(t, nullptr, c.off, c.size, ~uint64_t{0})) << c.why;
        EXPECT_TRUE(t.log.empty()) << c.why;
        EXPECT_EQ(t.reads, 0u) << c.why;
        EXPECT_EQ(t.a, 0x11111111u) << c.why;
        EXPECT_EQ(t.wide, 0u) << c.why;
    }
}

// A malformed table is a programming error, found when the frame is built.
TEST(RegFrame, MalformedTablesThrow) {
    using A = RegAccess;
    using F = Toy::Frame;
    auto build = [](std::initializer_list<F::Reg> rows) { F f(0x1000, 0x100, rows); };
    EXPECT_THROW(build({{0x1002, "X", 32, 0, A::ro, 0, nullptr, nullptr}}), std::logic_error);      // misaligned
    EXPECT_THROW(build({{0x1004, "X", 64, 0, A::ro, 0, nullptr, nullptr}}), std::logic_error);      // 64 at +4
    EXPECT_THROW(build({{0x1000, "X", 16, 0, A::ro, 0, nullptr, nullptr}}), std::logic_error);      // width
    EXPECT_THROW(build({{0x1100, "X", 32, 0, A::ro, 0, nullptr, nullptr}}), std::logic_error);      // outside
    EXPECT_THROW(build({{0x0FF0, "X", 32, 0, A::ro, 0, nullptr, nullptr}}), std::logic_error);      // before
    EXPECT_THROW(build({{0x1000, "X", 64, 0, A::ro, 0, nullptr, nullptr},
                        {0x1004, "Y", 32, 0, A::ro, 0, nullptr, nullptr}}),
                 std::logic_error);                                                                // overlap
    EXPECT_THROW(build({{0x1000, "X", 32, 0, A::rw, 1, &Toy::read_a, nullptr}}), std::logic_error); // no write
    EXPECT_THROW(build({{0x1000, "X", 32, 0, A::ro, 0, nullptr, &Toy::write_a}}), std::logic_error);
    EXPECT_THROW(build({{0x1000, "X", 32, 0, A::ro, 1, nullptr, nullptr}}), std::logic_error);      // mask on RO
    EXPECT_THROW(build({{0x1000, "X", 32, 5, A::raz_wi, 0, nullptr, nullptr}}), std::logic_error);  // RAZ reset
    EXPECT_THROW(build({{0x1000, "X", 32, 0, A::wo, 1, &Toy::read_a, &Toy::write_a}}), std::logic_error);
    EXPECT_THROW(build({{0x1000, "X", 32, uint64_t{1} << 32, A::ro, 0, nullptr, nullptr}}), std::logic_error);
    EXPECT_THROW(build({{0x1000, "", 32, 0, A::ro, 0, nullptr, nullptr}}), std::logic_error);
    EXPECT_NO_THROW(build({{0x10FC, "END", 32, 0, A::ro, 0, nullptr, nullptr}}));
}

TEST(RegFrame, DebugReadsAnyLengthAndAlignment) {
    const Toy::Frame f = Toy::frame();
    Toy t;
    t.wide = 0x8877665544332211ull;
    unsigned words = 0;
    unsigned char b[16] = {};
    reg_debug_read(0x100E, 9, b, [&](uint64_t w, uint64_t* v) {
        ++words;
        f.read(t, nullptr, w, 4, v);
    });
    // 0x100E-0x100F: hole; 0x1010-0x1016: WIDE's bytes.
    const unsigned char want[9] = {0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    for (unsigned i = 0; i < 9; ++i) EXPECT_EQ(b[i], want[i]) << i;
    EXPECT_EQ(words, 3u);   // 0x100C, 0x1010, 0x1014: each word once
}

TEST(RegFrameTlm, PayloadChecksInOrder) {
    unsigned char data[8] = {};
    unsigned char be[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    auto payload = [&](tlm::tlm_command c, uint64_t a, unsigned len) {
        auto* p = new tlm::tlm_generic_payload;
        p->set_command(c);
        p->set_address(a);
        p->set_data_ptr(data);
        p->set_data_length(len);
        p->set_streaming_width(len);
        return std::unique_ptr<tlm::tlm_generic_payload>(p);
    };
    EXPECT_EQ(reg_payload_status(*payload(tlm::TLM_READ_COMMAND, 0xFC, 4), 0x100), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(reg_payload_status(*payload(tlm::TLM_READ_COMMAND, 0xFE, 4), 0x100), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(reg_payload_status(*payload(tlm::TLM_WRITE_COMMAND, 0x100, 0), 0x100),
              tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(reg_payload_status(*payload(static_cast<tlm::tlm_command>(3), 0, 4), 0x100),
              tlm::TLM_COMMAND_ERROR_RESPONSE);
    auto p = payload(tlm::TLM_WRITE_COMMAND, 0, 4);
    p->set_byte_enable_ptr(be);
    p->set_byte_enable_length(4);
    EXPECT_EQ(reg_payload_status(*p, 0x100), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    p = payload(tlm::TLM_WRITE_COMMAND, 0, 4);
    p->set_streaming_width(2);
    EXPECT_EQ(reg_payload_status(*p, 0x100), tlm::TLM_BURST_ERROR_RESPONSE);
    p = payload(tlm::TLM_READ_COMMAND, 0, 4);
    p->set_data_ptr(nullptr);
    EXPECT_EQ(reg_payload_status(*p, 0x100), tlm::TLM_GENERIC_ERROR_RESPONSE);
    p->set_command(tlm::TLM_IGNORE_COMMAND);
    EXPECT_EQ(reg_payload_status(*p, 0x100), tlm::TLM_OK_RESPONSE);
    // Little-endian data, bytes past the eighth zero.
    unsigned char buf[10];
    reg_store(buf, 10, 0x0807060504030201ull);
    EXPECT_EQ(buf[0], 1);
    EXPECT_EQ(buf[7], 8);
    EXPECT_EQ(buf[8], 0);
    EXPECT_EQ(reg_load(buf, 3), 0x030201u);
    EXPECT_EQ(reg_load(buf, 10), 0x0807060504030201ull);
}

}  // namespace
