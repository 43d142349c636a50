// The reference model on small hand-written traces. Every expected value is
// worked out by hand from the architecture and itsim's documented choices
// (the comments say how), not copied from a run.
#include <gtest/gtest.h>

#include "ref/ref_model.h"

namespace itsim::ref {
namespace {

// Semantics only: the race guard is off (tested in test_ref_races.cpp).
Result run_text(const std::string& body, bool guard = false) {
    Options o;
    o.race_guard = guard;
    return run(parse_trace("itsim-trace 1\n" + body, "t.its"), o);
}

uint32_t status(const Result& r, size_t seq) {
    EXPECT_TRUE(r.commands.at(seq - 1).ran) << "cmd " << seq;
    return r.commands.at(seq - 1).status;
}

// Commands 1-6: collections 0 -> CPU 0 and 1 -> CPU 1; device 1 with 16
// events (size 3); event 0 -> LPI 8192 and event 2 -> 8194 on collection 0;
// event 3 -> 8195 on collection 2, which is never mapped.
const char* kSetup =
    "cmd op=MAPC icid=0 rdbase=0 valid=1\n"
    "cmd op=MAPC icid=1 rdbase=1 valid=1\n"
    "cmd op=MAPD device=1 itt=0x40000000 size=3 valid=1\n"
    "cmd op=MAPTI device=1 event=0 intid=8192 icid=0\n"
    "cmd op=MAPTI device=1 event=2 intid=8194 icid=0\n"
    "cmd op=MAPTI device=1 event=3 intid=8195 icid=2\n"
    "wait until=drained\n";

TEST(RefCommands, MapdMapcMaptiMapiErrors) {
    const Result r = run_text(std::string(kSetup) +
                              "cmd op=MAPD device=0x10000 itt=0x40001000 size=3 valid=1\n"   // 7: 17 bits
                              "cmd op=MAPD device=2 itt=0x40001000 size=16 valid=1\n"        // 8: 17 EventID bits
                              "cmd op=MAPD device=2 itt=0 size=31 valid=0\n"                 // 9: Size unchecked
                              "cmd op=MAPC icid=3 rdbase=4 valid=1\n"                        // 10: no CPU 4
                              "cmd op=MAPC icid=3 rdbase=99 valid=0\n"                       // 11: RDbase unchecked
                              "cmd op=MAPC icid=65535 rdbase=3 valid=1\n"                    // 12: last ICID
                              "cmd op=MAPTI device=0x10000 event=0 intid=8193 icid=0\n"      // 13
                              "cmd op=MAPTI device=2 event=0 intid=8193 icid=0\n"            // 14: unmapped
                              "cmd op=MAPTI device=1 event=16 intid=8193 icid=0\n"           // 15: past 16 events
                              "cmd op=MAPTI device=1 event=1 intid=8191 icid=0\n"            // 16: not an LPI
                              "cmd op=MAPTI device=1 event=1 intid=65536 icid=0\n"           // 17: past 16 bits
                              "cmd op=MAPTI device=0x10000 event=99 intid=5 icid=0\n"        // 18: DeviceID first
                              "cmd op=MAPTI device=2 event=0 intid=5 icid=0\n"               // 19: pINTID before DTE
                              "cmd op=MAPI device=1 event=5 icid=0\n"                        // 20: pINTID 5
                              "cmd op=MAPI device=0x10000 event=8192 icid=0\n"               // 21
                              "cmd op=MAPI device=2 event=8192 icid=0\n"                     // 22: unmapped
                              "cmd op=MAPTI device=1 event=15 intid=65535 icid=1\n"          // 23: ok (last ones)
                              "wait until=drained\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    for (size_t s = 1; s <= 6; ++s) EXPECT_EQ(status(r, s), 0u) << s;
    EXPECT_EQ(status(r, 7), 0x010801u);
    EXPECT_EQ(status(r, 8), 0x010802u);
    EXPECT_EQ(status(r, 9), 0u);
    EXPECT_EQ(status(r, 10), 0x010902u);
    EXPECT_EQ(status(r, 11), 0u);
    EXPECT_EQ(status(r, 12), 0u);
    EXPECT_EQ(status(r, 13), 0x010A01u);
    EXPECT_EQ(status(r, 14), 0x010A04u);
    EXPECT_EQ(status(r, 15), 0x010A05u);
    EXPECT_EQ(status(r, 16), 0x010A06u);
    EXPECT_EQ(status(r, 17), 0x010A06u);
    EXPECT_EQ(status(r, 18), 0x010A01u);
    EXPECT_EQ(status(r, 19), 0x010A06u);
    EXPECT_EQ(status(r, 20), 0x010B06u);
    EXPECT_EQ(status(r, 21), 0x010B01u);
    EXPECT_EQ(status(r, 22), 0x010B04u);
    EXPECT_EQ(status(r, 23), 0u);
    EXPECT_FALSE(r.stall);   // ignore policy
}

TEST(RefCommands, LookupErrorsOfIntClearInvDiscardMovi) {
    // Per command: DeviceID out of range, device unmapped, EventID past the
    // ITT, no ITE (event 1), ITE whose collection (2) is unmapped (event 3).
    std::string body = kSetup;
    const char* ops[] = {"INT", "CLEAR", "INV", "DISCARD"};
    for (const char* op : ops)
        for (const char* target : {"device=0x10000 event=0", "device=2 event=0", "device=1 event=16",
                                   "device=1 event=1", "device=1 event=3"})
            body += std::string("cmd op=") + op + " " + target + "\n";
    body += "cmd op=MOVI device=0x10000 event=0 icid=1\n"   // 27
            "cmd op=MOVI device=2 event=0 icid=1\n"
            "cmd op=MOVI device=1 event=16 icid=1\n"
            "cmd op=MOVI device=1 event=1 icid=1\n"
            "cmd op=MOVI device=1 event=3 icid=1\n"         // old collection unmapped
            "cmd op=MOVI device=1 event=0 icid=2\n"         // new collection unmapped
            "cmd op=INVALL icid=2\n"                        // 33
            "cmd op=MOVALL rdbase1=0 rdbase2=4\n"
            "cmd op=MOVALL rdbase1=9 rdbase2=0\n"
            "cmd op=SYNC rdbase=77\n"                       // names no RD: still ok
            "cmd raw=0x2,0,0,0\n"
            "cmd raw=0x29,0,0,0\n"
            "wait until=drained\n";
    const Result r = run_text(body);
    ASSERT_TRUE(r.comparable) << r.unsupported;
    // {0x01, command byte, reason}: reasons 01 04 05 07 07 (CTE invalid
    // is "unmapped interrupt" for these four, its_core.h).
    const uint32_t bytes[] = {0x03, 0x05, 0x0C, 0x0F};
    const uint32_t reasons[] = {0x01, 0x04, 0x05, 0x07, 0x07};
    size_t seq = 7;
    for (uint32_t b : bytes)
        for (uint32_t why : reasons) {
            EXPECT_EQ(status(r, seq), 0x010000u | (b << 8) | why) << "cmd " << seq;
            ++seq;
        }
    EXPECT_EQ(status(r, 27), 0x010101u);
    EXPECT_EQ(status(r, 28), 0x010104u);
    EXPECT_EQ(status(r, 29), 0x010105u);
    EXPECT_EQ(status(r, 30), 0x010107u);
    EXPECT_EQ(status(r, 31), 0x010109u);
    EXPECT_EQ(status(r, 32), 0x010109u);
    EXPECT_EQ(status(r, 33), 0x010D09u);
    EXPECT_EQ(status(r, 34), 0x010E01u);
    EXPECT_EQ(status(r, 35), 0x010E01u);
    EXPECT_EQ(status(r, 36), 0u);
    EXPECT_EQ(status(r, 37), 0x0102FFu);
    EXPECT_EQ(status(r, 38), 0x0129FFu);
}

TEST(RefMsi, EveryDropReasonAndADelivery) {
    const Result r = run_text(std::string(kSetup) +
                              "msi device=0x10000 event=0\n"   // 1
                              "msi device=2 event=0\n"         // 2
                              "msi device=1 event=16\n"        // 3
                              "msi device=1 event=1\n"         // 4
                              "msi device=1 event=3\n"         // 5
                              "msi device=1 event=0\n");       // 6
    ASSERT_TRUE(r.comparable) << r.unsupported;
    const char* reasons[] = {"device_out_of_range", "device_unmapped", "event_out_of_range", "interrupt_unmapped",
                             "collection_unmapped"};
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_FALSE(r.msis[i].delivered) << i;
        EXPECT_EQ(r.msis[i].reason, reasons[i]);
    }
    EXPECT_TRUE(r.msis[5].delivered);
    EXPECT_EQ(r.msis[5].intid, 8192u);
    EXPECT_EQ(r.msis[5].cpu, 0u);
    // Every property byte starts 0: pending, never taken.
    EXPECT_EQ(r.ack(0, 8192).hi, 0u);
    EXPECT_EQ(r.pending.at(0), std::set<uint32_t>{8192});
}

TEST(RefMsi, SmallerDeviceIdSpace) {
    // 4 DeviceID bits: 16 devices, whatever the table holds.
    const Result r = run_text("platform its.device_bits=4\n"
                              "cmd op=MAPD device=16 itt=0x40000000 size=0 valid=1\n"
                              "cmd op=MAPD device=15 itt=0x40000000 size=0 valid=1\n"
                              "msi device=16 event=0\n"
                              "msi device=15 event=0\n");
    EXPECT_EQ(status(r, 1), 0x010801u);
    EXPECT_EQ(status(r, 2), 0u);
    EXPECT_EQ(r.msis[0].reason, "device_out_of_range");
    EXPECT_EQ(r.msis[1].reason, "interrupt_unmapped");
}

TEST(RefMsi, MergesWhilePendingAndCountsEachTakeWhenEnabled) {
    const Result r = run_text(std::string(kSetup) +
                              "msi device=1 event=0\n"   // pending, disabled
                              "msi device=1 event=0\n"   // merges: still one pending LPI
                              "lpi intid=8192 priority=0xa0 enable=1\n"
                              "cmd op=INV device=1 event=0\n"   // re-read: enabled, taken once
                              "wait until=drained\n"
                              "msi device=1 event=0\n"   // enabled now: taken at once
                              "msi device=1 event=0\n");  // and again
    ASSERT_TRUE(r.comparable) << r.unsupported;
    for (const MsiResult& m : r.msis) EXPECT_TRUE(m.delivered);
    EXPECT_EQ(r.ack(0, 8192).lo, 3u);   // 1 for the two merged + 2
    EXPECT_TRUE(r.ack(0, 8192).exact());
    EXPECT_TRUE(r.pending.empty());
}

TEST(RefTeardown, MapdRemapDropsPendingAndOldIteSurvivesInMemory) {
    const Result r = run_text(std::string(kSetup) +
                              "msi device=1 event=0\n"                                   // 1: 8192 pending
                              "cmd op=MAPD device=1 itt=0x40001000 size=3 valid=1\n"     // 7: re-map, sweep
                              "lpi intid=8192 priority=0 enable=1\n"
                              "cmd op=INVALL icid=0\n"                                   // 8: nothing pending
                              "wait until=drained\n"
                              "msi device=1 event=0\n"                                   // 2: new ITT empty
                              "cmd op=MAPD device=1 itt=0x40000000 size=3 valid=1\n"     // 9: back to the old ITT
                              "wait until=drained\n"
                              "msi device=1 event=0\n"                                   // 3: its ITE is still there
                              "cmd op=MAPD device=1 itt=0 size=0 valid=0\n"              // 10
                              "wait until=drained\n"
                              "msi device=1 event=0\n");                                 // 4
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_TRUE(r.msis[0].delivered);
    EXPECT_EQ(r.msis[1].reason, "interrupt_unmapped");
    EXPECT_TRUE(r.msis[2].delivered);
    EXPECT_EQ(r.msis[2].intid, 8192u);
    EXPECT_EQ(r.msis[3].reason, "device_unmapped");
    // Taken only by msi 3: the one pending at the re-map was dropped.
    EXPECT_EQ(r.ack(0, 8192).lo, 1u);
}

TEST(RefTeardown, MapdUnmapDiscardClearDropPending) {
    const Result r = run_text(std::string(kSetup) +
                              "msi device=1 event=0\n"   // 8192 pending
                              "msi device=1 event=2\n"   // 8194 pending
                              "cmd op=DISCARD device=1 event=0\n"   // 7
                              "cmd op=CLEAR device=1 event=2\n"     // 8
                              "cmd op=INV device=1 event=0\n"       // 9: no ITE any more
                              "wait until=drained\n"
                              "lpi intid=8192 priority=0 enable=1\n"
                              "lpi intid=8194 priority=0 enable=1\n"
                              "cmd op=INVALL icid=0\n"              // 10
                              "wait until=drained\n"
                              "msi device=1 event=0\n"              // 3: dropped
                              "msi device=1 event=2\n"              // 4: taken
                              "cmd op=INT device=1 event=2\n"       // 11: taken
                              "wait until=drained\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(status(r, 7), 0u);
    EXPECT_EQ(status(r, 8), 0u);
    EXPECT_EQ(status(r, 9), 0x010C07u);
    EXPECT_EQ(r.msis[2].reason, "interrupt_unmapped");
    EXPECT_EQ(r.ack(0, 8192).hi, 0u);
    EXPECT_EQ(r.ack(0, 8194).lo, 2u);
}

TEST(RefMigration, MoviMovesPendingAndTheNewRedistributorReadsMemory) {
    const Result r = run_text(std::string(kSetup) +
                              "msi device=1 event=0\n"                   // 8192 pending at CPU 0
                              "cmd op=MOVI device=1 event=0 icid=1\n"    // 7: moves to CPU 1, still disabled
                              "wait until=drained\n"
                              "msi device=1 event=2\n"                   // 8194 pending at CPU 0
                              "lpi intid=8194 priority=0 enable=1\n"     // no INV: CPU 0 keeps its snapshot
                              "cmd op=MOVI device=1 event=2 icid=1\n"    // 8: CPU 1 never looked 8194 up: enabled
                              "wait until=drained\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(r.pending.at(1), std::set<uint32_t>{8192});
    EXPECT_EQ(r.pending.count(0), 0u);
    EXPECT_EQ(r.ack(1, 8194).lo, 1u);
    EXPECT_EQ(r.ack(0, 8194).hi, 0u);
    // Later MSIs follow the ITE.
    const Result r2 = run_text(std::string(kSetup) + "cmd op=MOVI device=1 event=0 icid=1\nmsi device=1 event=0\n");
    EXPECT_EQ(r2.msis[0].cpu, 1u);
}

TEST(RefMigration, MovallOrsEveryPendingLpiIntoTheOtherRedistributor) {
    const Result r = run_text(std::string(kSetup) +
                              "cmd op=MAPC icid=3 rdbase=2 valid=1\n"    // 7
                              "cmd op=MAPTI device=1 event=4 intid=8192 icid=3\n"   // 8: 8192 also via CPU 2
                              "msi device=1 event=0\n"                   // 8192 at CPU 0
                              "msi device=1 event=2\n"                   // 8194 at CPU 0
                              "msi device=1 event=4\n"                   // 8192 at CPU 2
                              "cmd op=MOVALL rdbase1=0 rdbase2=2\n"      // 9
                              "wait until=drained\n"
                              "lpi intid=8192 priority=0 enable=1\n"
                              "lpi intid=8194 priority=0 enable=1\n"
                              "cmd op=INVALL icid=3\n"                   // 10: CPU 2 re-reads both
                              "wait until=drained\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(status(r, 9), 0u);
    // 8192 was pending at both: ORed, one pending bit, taken once.
    EXPECT_EQ(r.ack(2, 8192).lo, 1u);
    EXPECT_EQ(r.ack(2, 8194).lo, 1u);
    EXPECT_EQ(r.ack(0, 8192).hi, 0u);
    EXPECT_TRUE(r.pending.empty());
}

TEST(RefConfig, InvReenablesAPendingLpiAndMapcV0KeepsTheIcid) {
    const Result r = run_text(std::string(kSetup) +
                              "msi device=1 event=0\n"
                              "lpi intid=8192 priority=0 enable=1\n"
                              "cmd op=INV device=1 event=0\n"            // 7: taken
                              "cmd op=MAPC icid=0 rdbase=0 valid=0\n"    // 8
                              "wait until=drained\n"
                              "msi device=1 event=0\n"                   // 2: collection unmapped
                              "cmd op=MAPC icid=0 rdbase=3 valid=1\n"    // 9: back, on CPU 3
                              "wait until=drained\n"
                              "msi device=1 event=0\n"                   // 3: CPU 3 reads memory: enabled
                              "cmd op=MAPTI device=1 event=0 intid=8200 icid=1\n"   // 10: overwrite
                              "wait until=drained\n"
                              "msi device=1 event=0\n");                 // 4: 8200 at CPU 1, disabled
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(r.ack(0, 8192).lo, 1u);
    EXPECT_EQ(r.msis[1].reason, "collection_unmapped");
    EXPECT_EQ(r.msis[2].cpu, 3u);
    EXPECT_EQ(r.ack(3, 8192).lo, 1u);
    EXPECT_EQ(r.msis[3].intid, 8200u);
    EXPECT_EQ(r.msis[3].cpu, 1u);
    EXPECT_EQ(r.pending.at(1), std::set<uint32_t>{8200});
}

TEST(RefStall, FirstFailureStopsTheQueueMsisGoOn) {
    const std::string body = std::string(kSetup) +
                             "cmd op=MAPC icid=5 rdbase=9 valid=1\n"   // 7: fails
                             "cmd op=MAPTI device=1 event=1 intid=8193 icid=0\n"   // 8
                             "wait until=drained\n"
                             "msi device=1 event=1\n"
                             "msi device=1 event=0\n";
    const Result ign = run_text(body);
    EXPECT_EQ(status(ign, 7), 0x010902u);
    EXPECT_EQ(status(ign, 8), 0u);
    EXPECT_TRUE(ign.msis[0].delivered);
    EXPECT_FALSE(ign.stall);

    const Result st = run_text("platform error_policy=stall\n" + body);
    ASSERT_TRUE(st.comparable) << st.unsupported;
    EXPECT_EQ(status(st, 7), 0x010902u);
    EXPECT_FALSE(st.commands[7].ran);
    ASSERT_TRUE(st.stall);
    EXPECT_EQ(st.stall->seq, 7u);
    EXPECT_EQ(st.stall->creadr, 6u * 32);
    EXPECT_EQ(st.stall->error, 0x010902u);
    EXPECT_EQ(st.msis[0].reason, "interrupt_unmapped");   // cmd 8 never ran
    EXPECT_TRUE(st.msis[1].delivered);
}

TEST(RefStall, CreadrWrapsWithTheQueue) {
    // 128 slots: command 131 sits at slot 130 % 128 = 2.
    std::string body = "platform error_policy=stall its.cmdq_pages=1\n";
    for (int i = 0; i < 130; ++i) body += "cmd op=SYNC rdbase=0\n";
    body += "cmd op=INVALL icid=7\nwait until=drained\n";
    const Result r = run_text(body);
    ASSERT_TRUE(r.stall);
    EXPECT_EQ(r.stall->seq, 131u);
    EXPECT_EQ(r.stall->creadr, 2u * 32);
    EXPECT_EQ(r.stall->error, 0x010D09u);
}

TEST(RefPta, RdbaseIsTheRedistributorAddress) {
    // PTA=1: RDbase = RD_base >> 16; CPU 2 at 0x080A0000 + 2 * 0x20000.
    const Result r = run_text("platform its.pta=1\n"
                              "cmd op=MAPC icid=0 rdbase=0x80E valid=1\n"
                              "cmd op=MAPC icid=1 rdbase=2 valid=1\n"
                              "cmd op=MAPD device=1 itt=0x40000000 size=0 valid=1\n"
                              "cmd op=MAPTI device=1 event=0 intid=8192 icid=0\n"
                              "msi device=1 event=0\n");
    EXPECT_EQ(status(r, 1), 0u);
    EXPECT_EQ(status(r, 2), 0x010902u);
    EXPECT_EQ(r.msis[0].cpu, 2u);
}

}  // namespace
}  // namespace itsim::ref
