// Memory and its sparse store. The module's callbacks are public, so most
// tests drive them directly (no kernel time needed: the memory never waits);
// one test goes through a bound socket from a thread.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <unistd.h>

#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/memory/memory.h"
#include "itsim/memory/sparse_store.h"

// tb/CMakeLists.txt links sc_main from a static library that nothing else
// references, so the linker would drop it; reference it here until that
// library is made an OBJECT library (or linked whole-archive).
int sc_main(int, char*[]);
int (*test_memory_pulls_in_sc_main)(int, char*[]) = &sc_main;

using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

constexpr uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

// A configuration unlike the defaults, so that a wrong field shows.
MemoryConfig test_config(uint64_t size = 1 * MiB) {
    MemoryConfig c;
    c.size = size;
    c.read_latency = sc_time(40, SC_NS);
    c.write_latency = sc_time(30, SC_NS);
    c.clock_period = sc_time(2, SC_NS);
    c.bytes_per_cycle = 8;
    return c;
}

struct Txn {
    tlm::tlm_generic_payload p;
    Txn(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
        p.set_command(cmd);
        p.set_address(addr);
        p.set_data_ptr(static_cast<unsigned char*>(data));
        p.set_data_length(len);
        p.set_streaming_width(len);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    }
};

uint64_t rss_bytes() {
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int n = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    return n == 2 ? resident * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

// ---------------------------------------------------------------- store

TEST(SparseStore, UntouchedReadsAreZeroAndAllocateNothing) {
    SparseStore s(64 * MiB);
    uint8_t buf[100];
    std::memset(buf, 0xAA, sizeof buf);
    ASSERT_TRUE(s.read(5 * MiB + 4090, buf, sizeof buf));  // crosses a page
    for (uint8_t b : buf) EXPECT_EQ(b, 0);
    EXPECT_EQ(s.resident_bytes(), 0u);
    EXPECT_EQ(s.page_ptr(5 * MiB, false), nullptr);
    EXPECT_FALSE(s.page_resident(5 * MiB));
}

TEST(SparseStore, WriteAcrossPagesReadsBack) {
    SparseStore s(64 * MiB);
    uint8_t data[10];
    for (int i = 0; i < 10; ++i) data[i] = uint8_t(i + 1);
    ASSERT_TRUE(s.write(3 * 4096 - 4, data, sizeof data));  // 4 bytes in page 2, 6 in page 3
    EXPECT_EQ(s.resident_bytes(), 2 * 4096u);
    uint8_t back[12] = {};
    ASSERT_TRUE(s.read(3 * 4096 - 5, back, sizeof back));
    EXPECT_EQ(back[0], 0);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(back[i + 1], i + 1);
    EXPECT_EQ(back[11], 0);
    // The page pointer sees the same bytes.
    uint8_t* p3 = s.page_ptr(3 * 4096 + 100, false);
    ASSERT_NE(p3, nullptr);
    EXPECT_EQ(p3[0], 5);
    EXPECT_EQ(p3[5], 10);
}

TEST(SparseStore, FillZeroOnUntouchedPagesAllocatesNothing) {
    SparseStore s(16 * MiB);
    ASSERT_TRUE(s.fill(0, 0, 16 * MiB));
    EXPECT_EQ(s.resident_bytes(), 0u);
    ASSERT_TRUE(s.fill(4096 + 10, 0x5A, 4096));  // pages 1 and 2
    EXPECT_EQ(s.resident_bytes(), 2 * 4096u);
    uint8_t b[3];
    ASSERT_TRUE(s.read(4096 + 9, b, 3));
    EXPECT_EQ(b[0], 0);
    EXPECT_EQ(b[1], 0x5A);
    EXPECT_EQ(b[2], 0x5A);
    ASSERT_TRUE(s.read(2 * 4096 + 9, b, 2));
    EXPECT_EQ(b[0], 0x5A);
    EXPECT_EQ(b[1], 0);
    // Zero over a resident page does clear it.
    ASSERT_TRUE(s.fill(4096, 0, 4096));
    ASSERT_TRUE(s.read(4096 + 10, b, 1));
    EXPECT_EQ(b[0], 0);
}

TEST(SparseStore, RangeChecksFailWithoutSideEffects) {
    SparseStore s(10000);  // not a page multiple
    uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_TRUE(s.write(10000 - 8, b, 8));
    EXPECT_FALSE(s.write(10000 - 7, b, 8));
    EXPECT_FALSE(s.read(10000, b, 1));
    EXPECT_TRUE(s.read(10000, b, 0));
    EXPECT_FALSE(s.read(~uint64_t(0) - 2, b, 8));  // addr + len wraps
    EXPECT_FALSE(s.fill(5000, 1, ~uint64_t(0)));
    EXPECT_EQ(s.page_ptr(10000, true), nullptr);
    EXPECT_FALSE(s.page_resident(~uint64_t(0)));
    EXPECT_EQ(s.resident_bytes(), 4096u);  // only the first write's page
    EXPECT_THROW(SparseStore(SparseStore::kMaxSize + 1), std::invalid_argument);
}

TEST(SparseStore, OneByteAt3GiBOf4GiBCostsOnePage) {
    const uint64_t before = rss_bytes();
    ASSERT_GT(before, 0u);
    Memory mem("mem4g", test_config(4 * GiB));
    uint8_t v = 0x77;
    Txn t(tlm::TLM_WRITE_COMMAND, 3 * GiB, &v, 1);
    sc_time d = sc_core::SC_ZERO_TIME;
    mem.b_transport(t.p, d);
    ASSERT_EQ(t.p.get_response_status(), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(mem.store().resident_bytes(), 4096u);
    // Reads elsewhere in the 4 GiB see zero and allocate nothing.
    uint64_t w = 1;
    for (uint64_t a : {uint64_t(0), 1 * GiB, 3 * GiB + 4096, 4 * GiB - 8}) {
        ASSERT_TRUE(mem.store().read(a, &w, 8));
        EXPECT_EQ(w, 0u) << a;
    }
    uint8_t back = 0;
    ASSERT_TRUE(mem.store().read(3 * GiB, &back, 1));
    EXPECT_EQ(back, 0x77);
    EXPECT_EQ(mem.store().resident_bytes(), 4096u);
    const uint64_t after = rss_bytes();
    EXPECT_LT(after, before + 4 * MiB) << "RSS grew from " << before << " to " << after;
}

// ------------------------------------------------------------- timing

TEST(Memory, AccessCostIsLatencyPlusBeats) {
    Memory mem("mem", test_config());
    // ceil(N / 8) beats of 2 ns on top of 40 ns (read) or 30 ns (write).
    const struct { unsigned n, beats; } cases[] = {
        {1, 1}, {4, 1}, {8, 1}, {9, 2}, {16, 2}, {17, 3}, {64, 8}, {100, 13}, {4096, 512}};
    std::vector<uint8_t> buf(4096);
    uint64_t expect_busy_ps = 0;
    for (auto c : cases) {
        for (unsigned i = 0; i < c.n; ++i) buf[i] = uint8_t(c.n + i);
        Txn w(tlm::TLM_WRITE_COMMAND, 0x1000, buf.data(), c.n);
        sc_time d(5, SC_NS);  // the cost is added to what is there
        mem.b_transport(w.p, d);
        ASSERT_EQ(w.p.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, sc_time(5 + 30 + 2.0 * c.beats, SC_NS)) << "write " << c.n;
        EXPECT_EQ(mem.service_time(tlm::TLM_WRITE_COMMAND, c.n), sc_time(30 + 2.0 * c.beats, SC_NS));

        std::vector<uint8_t> back(c.n, 0);
        Txn r(tlm::TLM_READ_COMMAND, 0x1000, back.data(), c.n);
        d = sc_core::SC_ZERO_TIME;
        mem.b_transport(r.p, d);
        ASSERT_EQ(r.p.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, sc_time(40 + 2.0 * c.beats, SC_NS)) << "read " << c.n;
        EXPECT_EQ(std::memcmp(back.data(), buf.data(), c.n), 0);
        expect_busy_ps += (70 + 4 * c.beats) * 1000;
    }
    const unsigned n = sizeof cases / sizeof cases[0];
    EXPECT_EQ(mem.stats().reads, n);
    EXPECT_EQ(mem.stats().writes, n);
    EXPECT_EQ(mem.stats().bytes_read, 1u + 4 + 8 + 9 + 16 + 17 + 64 + 100 + 4096);
    EXPECT_EQ(mem.stats().bytes_written, mem.stats().bytes_read);
    EXPECT_EQ(mem.stats().busy, sc_time(double(expect_busy_ps), sc_core::SC_PS));
    EXPECT_EQ(mem.stats().errors, 0u);
}

TEST(Memory, DefaultsCost50nsReads20nsWritesPlusOneNsPer16Bytes) {
    Memory mem("mem_default");
    EXPECT_EQ(mem.service_time(tlm::TLM_READ_COMMAND, 4), sc_time(51, SC_NS));
    EXPECT_EQ(mem.service_time(tlm::TLM_WRITE_COMMAND, 32), sc_time(22, SC_NS));
    EXPECT_EQ(mem.service_time(tlm::TLM_READ_COMMAND, 33), sc_time(53, SC_NS));
    EXPECT_EQ(mem.store().size(), 1 * GiB);
}

// ------------------------------------------------------------- errors

TEST(Memory, ErrorResponsesTakeNoTimeAndChangeNothing) {
    Memory mem("mem_err", test_config(64 * KiB));
    uint32_t v = 0xDEADBEEF;
    auto run = [&](Txn& t) {
        sc_time d(3, SC_NS);
        mem.b_transport(t.p, d);
        EXPECT_EQ(d, sc_time(3, SC_NS));
        return t.p.get_response_status();
    };
    {   // crosses the end
        Txn t(tlm::TLM_WRITE_COMMAND, 64 * KiB - 2, &v, 4);
        EXPECT_EQ(run(t), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
    {   // far out, and an address whose end would wrap
        Txn t(tlm::TLM_READ_COMMAND, 1ull << 40, &v, 4);
        EXPECT_EQ(run(t), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        Txn u(tlm::TLM_READ_COMMAND, ~uint64_t(0) - 1, &v, 4);
        EXPECT_EQ(run(u), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
    {   // a command value outside read/write/ignore (3 is inside the enum's range)
        Txn t(static_cast<tlm::tlm_command>(3), 0x100, &v, 4);
        EXPECT_EQ(run(t), tlm::TLM_COMMAND_ERROR_RESPONSE);
    }
    {
        unsigned char be[4] = {0xFF, 0, 0xFF, 0};
        Txn t(tlm::TLM_WRITE_COMMAND, 0x100, &v, 4);
        t.p.set_byte_enable_ptr(be);
        t.p.set_byte_enable_length(4);
        EXPECT_EQ(run(t), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    }
    {
        Txn t(tlm::TLM_WRITE_COMMAND, 0x100, &v, 4);
        t.p.set_streaming_width(2);
        EXPECT_EQ(run(t), tlm::TLM_BURST_ERROR_RESPONSE);
    }
    {
        Txn t(tlm::TLM_WRITE_COMMAND, 0x100, nullptr, 4);
        EXPECT_EQ(run(t), tlm::TLM_GENERIC_ERROR_RESPONSE);
    }
    EXPECT_EQ(mem.stats().errors, 7u);
    EXPECT_EQ(mem.stats().writes, 0u);
    EXPECT_EQ(mem.stats().reads, 0u);
    EXPECT_EQ(mem.store().resident_bytes(), 0u);
    {   // ignore: fine, no data, no time
        Txn t(tlm::TLM_IGNORE_COMMAND, 0x100, &v, 4);
        EXPECT_EQ(run(t), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0xDEADBEEFu);
    }
}

TEST(Memory, BadConfigurationThrows) {
    MemoryConfig c = test_config();
    c.bytes_per_cycle = 0;
    EXPECT_THROW(Memory("bad_bpc", c), std::invalid_argument);
}

TEST(Memory, DebugTransportTakesNoTimeAndIsNotCounted) {
    Memory mem("mem_dbg", test_config(64 * KiB));
    uint64_t v = 0x1122334455667788ull;
    Txn w(tlm::TLM_WRITE_COMMAND, 0x200, &v, 8);
    EXPECT_EQ(mem.transport_dbg(w.p), 8u);
    uint64_t back = 0;
    Txn r(tlm::TLM_READ_COMMAND, 0x200, &back, 8);
    EXPECT_EQ(mem.transport_dbg(r.p), 8u);
    EXPECT_EQ(back, v);
    Txn bad(tlm::TLM_READ_COMMAND, 64 * KiB - 4, &back, 8);
    EXPECT_EQ(mem.transport_dbg(bad.p), 0u);
    EXPECT_EQ(mem.stats().reads + mem.stats().writes + mem.stats().errors, 0u);
    EXPECT_EQ(mem.stats().busy, sc_core::SC_ZERO_TIME);
}

// ---------------------------------------------------------------- DMI

TEST(Memory, DmiIsPerPageAndReportsTheEightByteCost) {
    Memory mem("mem_dmi", test_config(3 * 4096 + 100));  // last page partial
    uint32_t v = 0;
    tlm::tlm_dmi dmi;

    // Read request on an untouched page: refused for that page, nothing allocated.
    Txn r(tlm::TLM_READ_COMMAND, 4096 + 12, &v, 4);
    EXPECT_FALSE(mem.get_direct_mem_ptr(r.p, dmi));
    EXPECT_EQ(dmi.get_start_address(), 4096u);
    EXPECT_EQ(dmi.get_end_address(), 2 * 4096u - 1);
    EXPECT_FALSE(dmi.is_read_allowed());
    EXPECT_EQ(mem.store().resident_bytes(), 0u);
    // ...and b_transport gives no DMI hint for it.
    sc_time d = sc_core::SC_ZERO_TIME;
    mem.b_transport(r.p, d);
    EXPECT_FALSE(r.p.is_dmi_allowed());

    // Write request: allocates the page and grants read and write.
    Txn w(tlm::TLM_WRITE_COMMAND, 4096 + 12, &v, 4);
    dmi.init();
    ASSERT_TRUE(mem.get_direct_mem_ptr(w.p, dmi));
    EXPECT_EQ(mem.store().resident_bytes(), 4096u);
    EXPECT_EQ(dmi.get_start_address(), 4096u);
    EXPECT_EQ(dmi.get_end_address(), 2 * 4096u - 1);
    EXPECT_TRUE(dmi.is_read_allowed());
    EXPECT_TRUE(dmi.is_write_allowed());
    // 8 bytes at 8 bytes per cycle: one 2 ns beat.
    EXPECT_EQ(dmi.get_read_latency(), sc_time(42, SC_NS));
    EXPECT_EQ(dmi.get_write_latency(), sc_time(32, SC_NS));
    dmi.get_dmi_ptr()[12] = 0xAB;
    uint8_t b = 0;
    ASSERT_TRUE(mem.store().read(4096 + 12, &b, 1));
    EXPECT_EQ(b, 0xAB);
    // Now the page is resident, so b_transport hints DMI and a read request is granted.
    r.p.set_dmi_allowed(false);
    mem.b_transport(r.p, d);
    EXPECT_TRUE(r.p.is_dmi_allowed());
    EXPECT_EQ(v, 0xABu);
    dmi.init();
    EXPECT_TRUE(mem.get_direct_mem_ptr(r.p, dmi));

    // The last, partial page ends at size - 1.
    Txn wl(tlm::TLM_WRITE_COMMAND, 3 * 4096 + 50, &v, 4);
    dmi.init();
    ASSERT_TRUE(mem.get_direct_mem_ptr(wl.p, dmi));
    EXPECT_EQ(dmi.get_start_address(), 3 * 4096u);
    EXPECT_EQ(dmi.get_end_address(), 3 * 4096u + 99);

    // Past the end: refused.
    Txn out(tlm::TLM_WRITE_COMMAND, 3 * 4096 + 100, &v, 4);
    dmi.init();
    EXPECT_FALSE(mem.get_direct_mem_ptr(out.p, dmi));
    EXPECT_EQ(dmi.get_start_address(), 3 * 4096u + 100);
}

TEST(Memory, DmiOffRefusesEverything) {
    MemoryConfig c = test_config();
    c.dmi = false;
    Memory mem("mem_nodmi", c);
    uint32_t v = 1;
    Txn w(tlm::TLM_WRITE_COMMAND, 0x40, &v, 4);
    sc_time d = sc_core::SC_ZERO_TIME;
    mem.b_transport(w.p, d);
    EXPECT_FALSE(w.p.is_dmi_allowed());
    tlm::tlm_dmi dmi;
    EXPECT_FALSE(mem.get_direct_mem_ptr(w.p, dmi));
    EXPECT_EQ(dmi.get_dmi_ptr(), nullptr);
}

// ------------------------------------------------------ through a socket

namespace {
struct Driver : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Driver> socket{"socket"};
    std::vector<sc_time> done;  // kernel time after waiting out each access
    SC_HAS_PROCESS(Driver);
    explicit Driver(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
    void run() {
        uint8_t buf[20] = {};
        for (unsigned len : {4u, 20u}) {
            for (auto cmd : {tlm::TLM_WRITE_COMMAND, tlm::TLM_READ_COMMAND}) {
                Txn t(cmd, 0x80, buf, len);
                sc_time d = sc_core::SC_ZERO_TIME;
                socket->b_transport(t.p, d);
                wait(d);
                done.push_back(sc_core::sc_time_stamp());
            }
        }
    }
};
}  // namespace

TEST(Memory, TimedThroughSocket) {
    Memory mem("mem_sock", test_config());
    Driver drv("drv");
    drv.socket.bind(mem.socket);
    sc_core::sc_start();
    // write 4: 32, read 4: 42, write 20: 30+3*2 = 36, read 20: 46 (ns, cumulative)
    ASSERT_EQ(drv.done.size(), 4u);
    EXPECT_EQ(drv.done[0], sc_time(32, SC_NS));
    EXPECT_EQ(drv.done[1], sc_time(74, SC_NS));
    EXPECT_EQ(drv.done[2], sc_time(110, SC_NS));
    EXPECT_EQ(drv.done[3], sc_time(156, SC_NS));
}
