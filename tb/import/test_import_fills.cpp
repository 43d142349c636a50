// itsim import qemu: each fill rule, the ITT relocation, the batches, the
// MSI outcomes and the time scaling, on small logs in QEMU 7.2's format
// (docs/import.md). The expected lines are worked out from the rules.
#include <gtest/gtest.h>

#include "import/qemu_import.h"
#include "qemu_log_builder.h"
#include "trace/trace.h"

namespace itsim::qemu::test {
namespace {

TEST(ImportFill, SyncAfterMapcNamesTheMapcsRdbase) {
    LogBuilder b;
    b.at(10).mapc(1, 2).sync().cwriter();
    ImportStats s;
    EXPECT_EQ(body(import(b.text, &s)),
              "cmd op=MAPC icid=0x1 rdbase=0x2 valid=1\n"
              "cmd op=SYNC rdbase=0x2  # fill: RDbase of ICID 0x1, the MAPC's collection\n"
              "kick\n"
              "wait until=drained\n"
              "expect cmd=1 ok\n");
    EXPECT_EQ(s.sync_fills, 1u);
    EXPECT_EQ(s.batches, 1u);
}

TEST(ImportFill, SyncAfterMaptiNamesItsCollectionAsMapcSetIt) {
    LogBuilder b;
    b.at(10).mapc(3, 1).sync().cwriter();
    b.at(20).mapd(0x10, 1, 0x42d65a00).cwriter();
    b.at(30).mapti(0x10, 0, 3, 0x2000).sync().cwriter();
    const std::string t = body(import(b.text));
    // MAPTI names ICID 3, which the MAPC put on RDbase 1.
    EXPECT_NE(t.find("cmd op=MAPTI device=0x10 event=0x0 intid=0x2000 icid=0x3\n"
                     "cmd op=SYNC rdbase=0x1  # fill: RDbase of ICID 0x3, the MAPTI's collection\n"),
              std::string::npos)
        << t;
}

TEST(ImportFill, SyncAfterMoviNamesTheCollectionBeforeTheMove) {
    LogBuilder b;
    b.at(10).mapc(0, 2).sync().cwriter();
    b.at(11).mapc(1, 3).sync().cwriter();
    b.at(20).mapd(0x8, 3, 0x42e16c00).cwriter();
    b.at(30).mapti(0x8, 5, 0, 0x2005).sync().cwriter();
    // Linux moves event 5 from collection 0 (RDbase 2) to 1 (RDbase 3) and
    // syncs the old one: its map of the event changes after the MOVI.
    b.at(40).movi(0x8, 5, 1, 0x2005, 0, 2, 3).sync().cwriter();
    const std::string t = body(import(b.text));
    EXPECT_NE(t.find("cmd op=MOVI device=0x8 event=0x5 icid=0x1\n"
                     "cmd op=SYNC rdbase=0x2  # fill: RDbase of ICID 0x0, the MOVI's collection\n"),
              std::string::npos)
        << t;
    // Without QEMU's reads the rule uses the ITE as the commands left it:
    // a second MOVI (back to 0) syncs collection 1, RDbase 3.
    b.at(50).process(0x1).ev("gicv3_its_cmd_movi GICv3 ITS: command MOVI DeviceID 0x8 EventID 0x5 ICID 0x0");
    b.sync().cwriter();
    const std::string t2 = body(import(b.text));
    EXPECT_NE(t2.find("cmd op=MOVI device=0x8 event=0x5 icid=0x0\n"
                      "cmd op=SYNC rdbase=0x3  # fill: RDbase of ICID 0x1, the MOVI's collection\n"),
              std::string::npos)
        << t2;
}

TEST(ImportFill, SyncAfterInvAndDiscardNamesTheEventsCollection) {
    LogBuilder b;
    b.at(10).mapc(2, 1).sync().cwriter();
    b.at(20).mapd(0x18, 0, 0x42dbd200).cwriter();
    b.at(30).mapti(0x18, 0, 2, 0x2014).sync().cwriter();
    b.at(40).by_event("inv", 0xc, 0x18, 0, 0x2014, 2, 1).sync().cwriter();
    b.at(50).by_event("discard", 0xf, 0x18, 0, 0x2014, 2, 1);
    b.ev("gicv3_its_ite_write GICv3 ITS: Interrupt Table write for ITTaddr 0x42dbd200 EventID 0x0: valid 0 inttype 0 "
         "intid 0x0 ICID 0x0 vPEID 0x0 doorbell 0x0");
    b.sync().cwriter();
    const std::string t = body(import(b.text));
    EXPECT_NE(t.find("cmd op=INV device=0x18 event=0x0\n"
                     "cmd op=SYNC rdbase=0x1  # fill: RDbase of ICID 0x2, the INV's collection\n"),
              std::string::npos)
        << t;
    EXPECT_NE(t.find("cmd op=DISCARD device=0x18 event=0x0\n"
                     "cmd op=SYNC rdbase=0x1  # fill: RDbase of ICID 0x2, the DISCARD's collection\n"),
              std::string::npos)
        << t;
}

TEST(ImportFill, SyncWithNothingBeforeItIsRdbaseZero) {
    LogBuilder b;
    b.at(10).sync().cwriter();
    EXPECT_EQ(body(import(b.text)),
              "cmd op=SYNC rdbase=0x0  # fill: no command before it names a mapped collection: RDbase 0\n"
              "kick\nwait until=drained\n");
}

TEST(ImportFill, InvallTakesTheLastMapcsIcid) {
    LogBuilder b;
    b.at(10).invall().sync().cwriter();  // before any MAPC: ICID 0
    b.at(20).mapc(0, 0).sync().cwriter();
    b.at(30).mapc(2, 3).sync().cwriter();
    b.at(40).invall().sync().cwriter();
    ImportStats s;
    const std::string t = body(import(b.text, &s));
    EXPECT_NE(t.find("cmd op=INVALL icid=0x0  # fill: no MAPC before it: ICID 0\n"), std::string::npos) << t;
    // The MAPC of ICID 2 is processed on log line 12 (5 lines of INVALL,
    // SYNC and write, 6 of MAPC, SYNC and write before it).
    EXPECT_NE(t.find("cmd op=INVALL icid=0x2  # fill: ICID of the MAPC of line 12\n"
                     "cmd op=SYNC rdbase=0x3  # fill: RDbase of ICID 0x2, the INVALL's collection\n"),
              std::string::npos)
        << t;
    EXPECT_EQ(s.invall_fills, 2u);
}

TEST(ImportFill, LpiBytesStartDisabledAndEachInvFlipsTheEnable) {
    LogBuilder b;
    b.at(10).mapc(0, 0).sync().cwriter();
    b.at(20).mapd(0x8, 1, 0x42e16c00).cwriter();
    b.at(30).mapti(0x8, 1, 0, 0x2001).sync().cwriter();
    b.at(31).mapti(0x8, 0, 0, 0x2000).sync().cwriter();
    b.at(40).by_event("inv", 0xc, 0x8, 0, 0x2000, 0, 0).sync().cwriter();  // unmask
    b.at(50).msi(0x8, 0, 0x2000, 0, 0);
    b.at(60).by_event("inv", 0xc, 0x8, 0, 0x2000, 0, 0).sync().cwriter();  // mask
    b.at(70).msi(0x8, 1, 0x2001, 0, 0);  // never unmasked
    ImportStats s;
    const std::string trace = import(b.text, &s);
    const size_t start = trace.find("itsim-trace 1\n");
    ASSERT_NE(start, std::string::npos);
    // Before every statement: one line for each mapped LPI, ascending.
    const std::string head =
        "itsim-trace 1\nplatform cpus=1\n"
        "# Linux's property table before the first command (fill)\n"
        "lpi intid=0x2000 priority=0xa0 enable=0\n"
        "lpi intid=0x2001 priority=0xa0 enable=0\n";
    EXPECT_EQ(trace.substr(start, head.size()), head) << trace;
    const std::string t = body(trace);
    const size_t on = t.find("lpi intid=0x2000 priority=0xa0 enable=1  # fill: Linux unmasks the LPI (writes its byte) "
                             "before this INV\ncmd op=INV device=0x8 event=0x0\n");
    const size_t off = t.find("lpi intid=0x2000 priority=0xa0 enable=0  # fill: Linux masks the LPI (writes its byte) "
                              "before this INV\ncmd op=INV device=0x8 event=0x0\n");
    ASSERT_NE(on, std::string::npos) << t;
    ASSERT_NE(off, std::string::npos) << t;
    EXPECT_LT(on, off);
    EXPECT_EQ(s.lpi_fills, 4u);  // 2 initial + 2 before INVs
    // The MSI on LPI 0x2001, which no INV enabled, is marked.
    EXPECT_NE(t.find("msi device=0x8 event=0x1  # log 41; note: the lpi fills have this LPI disabled here\n"),
              std::string::npos)
        << t;
    EXPECT_EQ(s.msis_on_disabled, 1u);
}

TEST(ImportRelocation, OneSlotPerNewIttSizedForItsEvents) {
    LogBuilder b;
    b.at(10).mapd(0xa, 3, 0x42e16c00).cwriter();   // 16 events x 8 bytes = 128 -> one 256-byte slot
    b.at(11).mapd(0xb, 5, 0x43000000).cwriter();   // 64 x 8 = 512 bytes
    b.at(12).mapd(0xa, 3, 0x42e16c00).cwriter();   // the same ITT again: the same slot
    b.at(13).mapd(0xb, 5, 0x43000000, 0).cwriter();  // unmapped: the slot it had
    b.at(14).mapd(0xb, 5, 0x43000000).cwriter();   // mapped anew: a fresh (zeroed) slot
    ImportStats s;
    const std::string t = body(import(b.text, &s));
    EXPECT_EQ(t,
              "cmd op=MAPD device=0xa itt=0x40000000 size=3 valid=1  # relocated: Linux's ITT at 0x42e16c00 (16 events)\n"
              "kick\nwait until=drained\nexpect cmd=1 ok\n"
              "cmd op=MAPD device=0xb itt=0x40000100 size=5 valid=1  # relocated: Linux's ITT at 0x43000000 (64 events)\n"
              "kick\nwait until=drained\nexpect cmd=2 ok\n"
              "cmd op=MAPD device=0xa itt=0x40000000 size=3 valid=1  # relocated: the device's ITT slot (Linux's ITT at "
              "0x42e16c00)\n"
              "kick\nwait until=drained\nexpect cmd=3 ok\n"
              "cmd op=MAPD device=0xb itt=0x40000100 size=5 valid=0  # relocated: the device's ITT slot (Linux's ITT at "
              "0x43000000)\n"
              "kick\nwait until=drained\nexpect cmd=4 ok\n"
              "cmd op=MAPD device=0xb itt=0x40000300 size=5 valid=1  # relocated: Linux's ITT at 0x43000000 (64 events)\n"
              "kick\nwait until=drained\nexpect cmd=5 ok\n");
    EXPECT_EQ(s.itt_slots, 3u);
}

TEST(ImportRelocation, AnIttPastTheTracesMemoryIsAnErrorNamingTheLine) {
    LogBuilder b;
    b.at(10).mapd(0xa, 21, 0x42e16c00).cwriter();  // 2^22 events x 8 = 32 MiB: fits
    b.at(11).mapd(0xb, 24, 0x43000000).cwriter();  // 2^25 x 8 = 256 MiB: does not
    try {
        import(b.text);
        FAIL() << "no error";
    } catch (const ImportError& e) {
        EXPECT_EQ(e.line(), 5u);  // the second MAPD's processing line
        EXPECT_NE(std::string(e.what()).find("t.log:5: error: the ITT of this MAPD (33554432 events"), std::string::npos)
            << e.what();
    }
}

TEST(ImportMsi, ExpectsFollowQemusOutcome) {
    LogBuilder b;
    b.at(10).msi(0x10, 2, 0x2012, 2, 3);  // translated: LPI 0x2012 at RDbase 3
    b.at(20).msi(0x10, 7);                // QEMU printed nothing more: not translated
    b.ev("gicv3_its_dte_read GICv3 ITS: Device Table read for DeviceID 0x10: valid 1 size 0x3 ITTaddr 0x42000000");
    b.ev("gicv3_its_ite_read GICv3 ITS: Interrupt Table read for ITTaddr 0x42000000 EventID 0x7: valid 0 inttype 0 "
         "intid 0x0 ICID 0x0 vPEID 0x0 doorbell 0x0");
    b.at(30).ev("gicv3_its_translation_write GICv3 ITS TRANSLATER write: offset 0x44 data 0x1 size 4 requester_id 0x10");
    b.at(40).msi(0x20, 1);
    b.ev("gicv3_its_dte_read_fault GICv3 ITS: Device Table read for DeviceID 0x20: faulted");
    ImportStats s;
    // (No INV enabled LPI 0x2012 in this log: the importer says so.)
    EXPECT_EQ(body(import(b.text, &s)),
              "msi device=0x10 event=0x2  # log 1; note: the lpi fills have this LPI disabled here\n"
              "expect msi=1 intid=0x2012 cpu=3\n"
              "msi device=0x10 event=0x7  # log 5\n"
              "expect msi=2 dropped\n"
              "msi device=0x20 event=0x1  # log 9\n"
              "expect msi=3 dropped\n");
    EXPECT_EQ(s.msis, 3u);
    EXPECT_EQ(s.delivered, 1u);
    EXPECT_EQ(s.dropped, 2u);
    EXPECT_NE(import(b.text).find("# log 8: a write at offset 0x44 of the translation frame is not GITS_TRANSLATER"),
              std::string::npos);
}

TEST(ImportBatch, CommandsUpToTheCwriterWriteAreOneBatch) {
    LogBuilder b;
    // Two commands processed at one write, a register read, then an MSI
    // and a command whose batch ends at the end of the log.
    b.at(10).mapc(0, 1).mapc(1, 0).cwriter().creadr();
    b.at(20).msi(0x8, 0);
    b.at(30).sync();
    const std::string t = body(import(b.text));
    EXPECT_EQ(t,
              "cmd op=MAPC icid=0x0 rdbase=0x1 valid=1\n"
              "cmd op=MAPC icid=0x1 rdbase=0x0 valid=1\n"
              "kick\nwait until=drained\nexpect cmd=1 ok\nexpect cmd=2 ok\n"
              "msi device=0x8 event=0x0  # log 9\nexpect msi=1 dropped\n"
              "cmd op=SYNC rdbase=0x0  # fill: no command before it names a mapped collection: RDbase 0\n"
              "kick\nwait until=drained\n");
    EXPECT_NE(import(b.text).find("# log 1: 2 commands, processed at the GITS_CWRITER write of line 7 (0x40)"),
              std::string::npos);
}

TEST(ImportTime, HostMicrosecondsScaledFromTheFirstItsEvent) {
    LogBuilder b;
    b.at(1000).creadr();                 // t = 0
    b.at(2500).msi(0x8, 0);              // 1.5 ms later
    b.at(2400).msi(0x8, 1);              // earlier than the line before: taken at its time
    b.at(1002500).msi(0x8, 2);           // 1 s after that
    ImportStats s;
    std::string t = import(b.text, &s);
    EXPECT_NE(t.find("@1.5ms msi device=0x8 event=0x0"), std::string::npos) << t;
    EXPECT_NE(t.find("\nmsi device=0x8 event=0x1"), std::string::npos) << t;  // no time: the same as the line before
    EXPECT_NE(t.find("@1.0015s msi device=0x8 event=0x2"), std::string::npos) << t;
    EXPECT_EQ(s.clamped_times, 1u);
    ImportOptions o;
    ASSERT_TRUE(parse_time_scale("0.001", o.ps_per_host_us));
    t = import(b.text, nullptr, o);
    EXPECT_NE(t.find("@1.5us msi device=0x8 event=0x0"), std::string::npos) << t;
    EXPECT_NE(t.find("@1.0015ms msi device=0x8 event=0x2"), std::string::npos) << t;
    EXPECT_NE(t.find("1 host second = 0.001 simulated second(s)"), std::string::npos);
    // Past 10 s of simulated time the platform line raises max_time.
    EXPECT_NE(t.find("\nplatform cpus=1\n"), std::string::npos);
    b.at(20000000).msi(0x8, 3);
    EXPECT_NE(import(b.text).find("\nplatform cpus=1 max_time=21s\n"), std::string::npos);
}

TEST(ImportTime, TimeScaleValues) {
    uint64_t ps = 0;
    EXPECT_TRUE(parse_time_scale("1", ps));
    EXPECT_EQ(ps, 1000000u);
    EXPECT_TRUE(parse_time_scale("0.001", ps));
    EXPECT_EQ(ps, 1000u);
    EXPECT_TRUE(parse_time_scale("2.5", ps));
    EXPECT_EQ(ps, 2500000u);
    EXPECT_TRUE(parse_time_scale("0.000001", ps));
    EXPECT_EQ(ps, 1u);
    EXPECT_TRUE(parse_time_scale("0.0010000", ps));
    EXPECT_EQ(ps, 1000u);
    EXPECT_FALSE(parse_time_scale("0.0000001", ps));  // below 1 ps per host us
    EXPECT_FALSE(parse_time_scale("0", ps));
    EXPECT_FALSE(parse_time_scale("", ps));
    EXPECT_FALSE(parse_time_scale("1e3", ps));
    EXPECT_FALSE(parse_time_scale("-1", ps));
    EXPECT_EQ(format_time_scale(1000), "0.001");
    EXPECT_EQ(format_time_scale(2500000), "2.5");
    EXPECT_EQ(format_time_scale(1000000), "1");
}

TEST(ImportOutput, EveryImportIsATraceTheReaderTakes) {
    LogBuilder b;
    b.at(10).mapc(0, 0).sync().cwriter();
    b.at(20).mapd(0x8, 1, 0x42e16c00).cwriter();
    b.at(30).mapti(0x8, 0, 0, 0x2000).sync().cwriter();
    b.at(40).msi(0x8, 0, 0x2000, 0, 0);
    const Trace t = parse_trace(import(b.text), "t.its");
    EXPECT_EQ(t.cmd_count, 5u);
    EXPECT_EQ(t.msi_count, 1u);
    ASSERT_EQ(t.expects.size(), 4u);  // MAPC, MAPD, MAPTI completed; the MSI
    EXPECT_EQ(t.expects.back().kind, Expect::Kind::msi_delivered);
    EXPECT_EQ(t.expects.back().intid, 0x2000u);
    // Same input, same output.
    EXPECT_EQ(import(b.text), import(b.text));
}

}  // namespace
}  // namespace itsim::qemu::test
