// The configuration-by-name snippet of docs/integration.md, as written
// there, and the names it promises against the structs' members.
#include <gtest/gtest.h>

#include <string>

#include <systemc>

#include "itsim/cpu/cpu_interface.h"
#include "itsim/its/its.h"
#include "itsim/msi/msi_frontend.h"
#include "itsim/redist/redistributor.h"

using namespace itsim;

TEST(ConfigNames, TheDocumentedSnippet) {
    ItsModuleConfig its_cfg;
    std::string error;
    EXPECT_TRUE(its_cfg.set("device_cache.entries", "64", &error)) << error;
    EXPECT_TRUE(its_cfg.set("clock", "800MHz", &error)) << error;
    EXPECT_EQ(its_cfg.core.device_cache.entries, 64u);
    EXPECT_EQ(its_cfg.timing.clock_period, sc_core::sc_time(1250, sc_core::SC_PS));   // 1 / 800 MHz
    RedistConfig rd_cfg;
    EXPECT_TRUE(rd_cfg.set("pending_table", "through", &error)) << error;
    EXPECT_EQ(rd_cfg.pending_table, PendingTablePolicy::through);
    error.clear();
    EXPECT_FALSE(its_cfg.set("max_reads", "0", &error));
    EXPECT_NE(error.find("max_reads"), std::string::npos) << error;
    EXPECT_EQ(its_cfg.max_reads, 5u);   // unchanged
}

TEST(ConfigNames, EachStructTakesTheNamesTheTableLists) {
    std::string error;
    ItsModuleConfig its;
    for (const char* k : {"device_bits", "event_bits", "icid_bits", "lpi_bits", "pta", "error_policy",
                          "event_cache.ways", "register_cycles", "ingress_cycles", "lookup_cycles", "decode_cycles",
                          "execute_cycles", "hop_cycles", "ingress_depth", "translation_slots", "max_reads",
                          "max_writes"})
        EXPECT_NO_THROW(its.get(k)) << k;
    RedistConfig rc;
    for (const char* k : {"config_cache.entries", "config_cache.ways", "config_line_bytes", "pending_read_burst",
                          "pending_table", "lazy_dirty_limit", "allow_disable"})
        EXPECT_NO_THROW(rc.get(k)) << k;
    RedistTiming rt;
    for (const char* k : {"clock", "lookup_cycles", "pending_cycles", "signal_cycles", "register_cycles"})
        EXPECT_NO_THROW(rt.get(k)) << k;
    CpuInterfaceConfig cc;
    for (const char* k : {"ack_latency", "handler_latency"}) EXPECT_NO_THROW(cc.get(k)) << k;
    MsiFrontEndConfig mc;
    EXPECT_TRUE(mc.set("hop", "2ns", &error)) << error;
    EXPECT_EQ(mc.hop, sc_core::sc_time(2, sc_core::SC_NS));
}
