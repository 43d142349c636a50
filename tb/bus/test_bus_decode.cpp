// Bus: mapping, decode and address translation, errors, DMI (translated,
// clipped to the mapping, costing the hop; invalidation) and the MSI
// extension (bus_bench.h: the parameters and the probe).
#include "bus_bench.h"

// ------------------------------------------------------------ mapping

TEST(Bus, OverlappingMappingsThrow) {
    Bus bus("bus");
    bus.map(0, 0x1000, 0x1000, "a");
    bus.map(1, 0x3000, 0x1000, "b");
    bus.map(2, 0x2000, 0x1000, "between");  // adjacent on both sides: fine
    EXPECT_THROW(bus.map(3, 0x1000, 0x1000, "same"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x0800, 0x0801, "below"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x3FFF, 0x10, "above"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x1800, 0x10, "inside"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x0, 0x10000, "around"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x9000, 0, "empty"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, ~uint64_t(0) - 10, 0x100, "wraps"), std::invalid_argument);
    try {
        bus.map(3, 0x1F00, 0x200, "gits");
        FAIL() << "no throw";
    } catch (const std::invalid_argument& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("'gits'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'a'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("0x1f00"), std::string::npos) << msg;
    }
    bus.map(3, 0x4000, 0x10, "after");
    ASSERT_EQ(bus.mappings().size(), 4u);
    EXPECT_EQ(bus.mappings()[1].name, "between");
    EXPECT_EQ(bus.decode(0x2FFF, 1)->name, "between");
    EXPECT_EQ(bus.decode(0x2FFF, 2), nullptr);  // crosses into b: not one window
    EXPECT_EQ(bus.decode(0x0FFF, 1), nullptr);
    EXPECT_EQ(bus.decode(0x4010, 1), nullptr);
}

// --------------------------------------------- decode and translation

TEST(Bus, DecodesToTwoTargetsWithRelativeAddresses) {
    Initiator cpu("cpu");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config());
    Probe dev("dev");
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);  // port 0
    bus.init_socket.bind(dev.socket);  // port 1
    bus.map(0, 0x40000000, 1 << 20, "ram");
    bus.map(1, 0x08080000, 0x1000, "dev");

    uint64_t restored = 0;
    cpu.body = [&](Initiator& i) {
        uint32_t v = 0xCAFEF00D;
        EXPECT_TRUE(i.bm.write(0x40000010, &v, 4));
        v = 0x12345678;
        EXPECT_TRUE(i.bm.write(0x08080020, &v, 4));
        // The payload's address comes back as the initiator sent it.
        tlm::tlm_generic_payload t;
        uint32_t r = 0;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(0x40000010);
        t.set_data_ptr(reinterpret_cast<unsigned char*>(&r));
        t.set_data_length(4);
        t.set_streaming_width(4);
        sc_time d = sc_core::SC_ZERO_TIME;
        i.socket->b_transport(t, d);
        EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(r, 0xCAFEF00Du);
        restored = t.get_address();
        // Debug transport: same decode, no time.
        t.set_address(0x08080020);
        EXPECT_EQ(i.socket->transport_dbg(t), 4u);
        EXPECT_EQ(r, 0x12345678u);
        t.set_address(0x08081000);
        EXPECT_EQ(i.socket->transport_dbg(t), 0u);
    };
    sc_core::sc_start();

    uint32_t in_ram = 0;
    ASSERT_TRUE(ram.store().read(0x10, &in_ram, 4));
    EXPECT_EQ(in_ram, 0xCAFEF00Du);
    uint32_t in_dev = 0;
    std::memcpy(&in_dev, &dev.buf[0x20], 4);
    EXPECT_EQ(in_dev, 0x12345678u);
    EXPECT_EQ(dev.last_addr, 0x20u);
    EXPECT_EQ(restored, 0x40000010u);
    EXPECT_EQ(bus.port_stats(0).transactions, 2u);
    EXPECT_EQ(bus.port_stats(1).transactions, 1u);
    // write ram, write dev, read ram (the raw read's delay was not waited)
    EXPECT_EQ(sc_core::sc_time_stamp(), (kHop + kWrite8) + (kHop + dev.service));
}

TEST(Bus, UnmappedAndCrossingAccessesGetAddressError) {
    Initiator cpu("cpu");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config(0x10000));
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x40000000, 0x1000, "ram");  // the window is smaller than the memory
    bus.map(0, 0x50000000, 0x1000, "ram-alias");

    std::vector<tlm::tlm_response_status> st;
    std::vector<sc_time> at;
    cpu.body = [&](Initiator& i) {
        uint64_t v = 0;
        for (uint64_t a : {0x1000ull, 0x48000000ull, 0x40000FFCull, 0x40001000ull,
                           0xFFFFFFFFFFFFFFFCull}) {
            EXPECT_FALSE(i.bm.read(a, &v, 8)) << std::hex << a;
            st.push_back(i.bm.last_status());
            at.push_back(i.tl.now());
        }
        // The alias reaches the same memory bytes.
        v = 0x55;
        EXPECT_TRUE(i.bm.write(0x50000100, &v, 8));
        v = 0;
        EXPECT_TRUE(i.bm.read(0x40000100, &v, 8));
        EXPECT_EQ(v, 0x55u);
    };
    sc_core::sc_start();
    ASSERT_EQ(st.size(), 5u);
    for (unsigned k = 0; k < st.size(); ++k) {
        EXPECT_EQ(st[k], tlm::TLM_ADDRESS_ERROR_RESPONSE) << k;
        EXPECT_EQ(at[k], kHop * double(k + 1)) << k;  // an error costs the hop only
    }
    EXPECT_EQ(bus.unmapped_errors(), 5u);
    EXPECT_EQ(cpu.bm.stats().errors, 5u);
    EXPECT_EQ(ram.stats().reads + ram.stats().errors, 1u);  // only the good read reached it
}

TEST(Bus, UnboundPortIsReportedAtElaboration) {
    Initiator cpu("cpu");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config());
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x0, 0x1000, "ram");
    bus.map(1, 0x1000, 0x1000, "nothing");
    EXPECT_THROW(sc_core::sc_start(), sc_core::sc_report);
}

// ------------------------------------------------------------------ DMI

TEST(Bus, DmiIsTranslatedClippedAndCostsTheHop) {
    Initiator cpu("cpu", TimingMode::fast, true);
    Bus bus("bus", bus_config());
    Probe dev("dev");  // grants its whole 8 KiB
    Memory ram("ram", mem_config());
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(dev.socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x10000, 0x1800, "dev");  // 6 KiB window on an 8 KiB target
    bus.map(1, 0x40000000, 1 << 20, "ram");

    cpu.body = [&](Initiator& i) {
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi dmi;

        t.set_address(0x10100);
        ASSERT_TRUE(i.socket->get_direct_mem_ptr(t, dmi));
        EXPECT_EQ(dev.last_addr, 0x100u);
        EXPECT_EQ(t.get_address(), 0x10100u);
        EXPECT_EQ(dmi.get_start_address(), 0x10000u);
        EXPECT_EQ(dmi.get_end_address(), 0x117FFu);  // clipped: not 0x11FFF
        EXPECT_EQ(dmi.get_dmi_ptr(), dev.buf.data());
        EXPECT_EQ(dmi.get_read_latency(), sc_time(7, SC_NS) + kHop);
        EXPECT_EQ(dmi.get_write_latency(), sc_time(9, SC_NS) + kHop);

        // Memory: page-sized grant at global addresses, 8-byte cost + hop.
        dmi.init();
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(0x40002010);
        ASSERT_TRUE(i.socket->get_direct_mem_ptr(t, dmi));
        EXPECT_EQ(dmi.get_start_address(), 0x40002000u);
        EXPECT_EQ(dmi.get_end_address(), 0x40002FFFu);
        EXPECT_EQ(dmi.get_read_latency(), kRead8 + kHop);
        EXPECT_EQ(dmi.get_write_latency(), kWrite8 + kHop);
        dmi.get_dmi_ptr()[0x10] = 0x99;

        // Unmapped: refused for the whole gap.
        dmi.init();
        t.set_address(0x20000000);
        EXPECT_FALSE(i.socket->get_direct_mem_ptr(t, dmi));
        EXPECT_EQ(dmi.get_start_address(), 0x11800u);
        EXPECT_EQ(dmi.get_end_address(), 0x3FFFFFFFu);
    };
    sc_core::sc_start();
    uint8_t b = 0;
    ASSERT_TRUE(ram.store().read(0x2010, &b, 1));
    EXPECT_EQ(b, 0x99);
}

TEST(Bus, InvalidationReachesInitiatorsAndDropsTheirRegions) {
    Initiator a("a", TimingMode::fast, true), b("b", TimingMode::fast, true);
    Bus bus("bus", bus_config());
    Probe dev("dev");
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(dev.socket);
    bus.map(0, 0x10000, 0x1800, "dev");

    a.body = [&](Initiator& i) {
        uint32_t v = 0;
        EXPECT_TRUE(i.bm.read(0x10000, &v, 4));  // b_transport, then DMI requested
        EXPECT_TRUE(i.bm.read(0x10004, &v, 4));  // DMI
        EXPECT_EQ(i.bm.stats().dmi_accesses, 1u);
        EXPECT_EQ(dev.calls, 1u);
        // The target withdraws [0x1000, 0x1FFF] (relative): global 0x11000..0x117FF.
        dev.socket->invalidate_direct_mem_ptr(0x1000, 0x1FFF);
        EXPECT_TRUE(i.bm.read(0x10008, &v, 4));  // must not use the dropped region
        EXPECT_EQ(i.bm.stats().dmi_accesses, 1u);
        EXPECT_EQ(dev.calls, 2u);
        EXPECT_TRUE(i.bm.read(0x1000C, &v, 4));  // re-granted
        EXPECT_EQ(i.bm.stats().dmi_accesses, 2u);
    };
    sc_core::sc_start();
    for (Initiator* i : {&a, &b}) {
        ASSERT_EQ(i->invalidations.size(), 1u);
        EXPECT_EQ(i->invalidations[0].first, 0x11000u);
        EXPECT_EQ(i->invalidations[0].second, 0x117FFu);
    }
}

// ----------------------------------------------------------- extensions

TEST(Bus, MsiExtensionReachesTheTargetUnchanged) {
    Initiator dev_side("msi_source");
    Bus bus("bus", bus_config());
    Probe its("its");
    dev_side.socket.bind(bus.targ_socket);
    bus.init_socket.bind(its.socket);
    bus.map(0, 0x08080000, 0x20000, "gits");

    bool after_plain = true;
    MsiExtension seen_first;
    dev_side.body = [&](Initiator& i) {
        MsiExtension ext(0x1234, 77);
        uint32_t event_id = 5;
        EXPECT_TRUE(i.bm.access(tlm::TLM_WRITE_COMMAND, 0x08080040, &event_id, 4, i.tl, &ext));
        EXPECT_TRUE(its.saw_ext);
        seen_first = its.seen;
        EXPECT_EQ(ext.device_id, 0x1234u);  // still the caller's
        // The next plain access carries no extension: it was removed.
        EXPECT_TRUE(i.bm.write(0x08080040, &event_id, 4));
        after_plain = its.saw_ext;
    };
    sc_core::sc_start();
    EXPECT_EQ(seen_first.device_id, 0x1234u);
    EXPECT_EQ(seen_first.tag, 77u);
    EXPECT_EQ(its.last_addr, 0x40u);
    EXPECT_FALSE(after_plain);
}

