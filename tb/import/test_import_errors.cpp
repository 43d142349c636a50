// itsim import qemu: what is skipped (other trace events, guest errors),
// and a malformed ITS line reported with its line (and column).
#include <gtest/gtest.h>

#include "import/qemu_import.h"
#include "qemu_log_builder.h"

namespace itsim::qemu::test {
namespace {

// The error for `text`, or "" when it imports.
std::string error_of(const std::string& text) {
    try {
        import(text);
    } catch (const ImportError& e) {
        return e.what();
    }
    return "";
}

TEST(ImportSkip, OtherEventsAndGuestErrorsChangeNothing) {
    LogBuilder plain, noisy;
    plain.at(10).mapc(0, 1).sync().cwriter();
    plain.at(20).msi(0x8, 0);
    noisy.raw("gicv3_dist_read: invalid guest read at offset 000000000000000c size 4");
    noisy.at(5).ev("gicv3_redist_write GICv3 redistributor 0x0 write: offset 0x14 data 0x2 size 4 secure 0");
    noisy.at(10).mapc(0, 1);
    noisy.raw("process_mapc: invalid collection table attributes icid 0 rdbase 1");
    noisy.raw("gicv3_its_translation_write: a guest-error line of the ITS's code");
    noisy.raw("");
    noisy.sync().cwriter();
    noisy.ev("gicv3_dist_set_irq GICv3 distributor interrupt 33 level changed to 1");
    noisy.at(20).msi(0x8, 0);
    // The same statements; only the log line numbers in comments differ.
    auto statements = [](std::string t) {
        std::string out;
        for (size_t p = 0, nl; p < t.size(); p = nl + 1) {
            nl = t.find('\n', p);
            std::string line = t.substr(p, nl - p);
            out += line.substr(0, line.find("  #")) + "\n";
        }
        return out;
    };
    ImportStats s;
    EXPECT_EQ(statements(body(import(noisy.text, &s))), statements(body(import(plain.text))));
    EXPECT_EQ(s.other_lines, 6u);  // the dist and redist events, 2 guest errors, the blank line
    EXPECT_EQ(s.its_events, 7u);   // MAPC (3 lines), SYNC (2), the write, the MSI
    EXPECT_EQ(s.log_lines, 13u);
}

TEST(ImportSkip, LinesWithoutTimestampsTakeTheTimeBefore) {
    LogBuilder b;
    b.at(10).creadr();
    b.raw("gicv3_its_translation_write GICv3 ITS TRANSLATER write: offset 0x40 data 0x1 size 4 requester_id 0x8");
    b.at(30).msi(0x8, 2);
    const std::string t = import(b.text);
    EXPECT_NE(t.find("\nmsi device=0x8 event=0x1  # log 2\n"), std::string::npos) << t;  // at t=0
    EXPECT_NE(t.find("@20us msi device=0x8 event=0x2  # log 3\n"), std::string::npos) << t;
}

TEST(ImportError, TruncatedLineNamesLineAndColumn) {
    LogBuilder b;
    b.at(10).mapc(0, 1).sync().cwriter();
    b.ev("gicv3_its_cmd_mapd GICv3 ITS: command MAPD DeviceID 0x8 Size 0x3");
    // Line 7; the message starts after "4242@1700000000.000010:gicv3_its_cmd_mapd "
    // (42 characters), and "GICv3 ITS: command MAPD DeviceID 0x8 Size 0x3"
    // is 45 more: the column is 88.
    const std::string e = error_of(b.text);
    EXPECT_EQ(e.rfind("t.log:7:88: error: malformed gicv3_its_cmd_mapd event: expected ' ITT_addr 0x'", 0), 0u) << e;
}

TEST(ImportError, BadNumbersAndTrailingText) {
    LogBuilder b;
    b.at(10).ev("gicv3_its_cmd_mapti GICv3 ITS: command MAPTI DeviceID 0xzz EventID 0x0 ICID 0x0 pINTID 0x2000");
    EXPECT_EQ(error_of(b.text).rfind("t.log:1:80: error: malformed gicv3_its_cmd_mapti event: expected a hex number", 0),
              0u)
        << error_of(b.text);
    LogBuilder c;
    c.at(10).ev("gicv3_its_cmd_sync GICv3 ITS: command SYNC now");
    EXPECT_EQ(error_of(c.text).rfind("t.log:1:66: error: malformed gicv3_its_cmd_sync event: unexpected text", 0), 0u)
        << error_of(c.text);
    LogBuilder d;
    d.at(10).ev("gicv3_its_cmd_mapc GICv3 ITS: command MAPC ICID 0x0 RDbase 0x11112222333344445 V 1");
    EXPECT_NE(error_of(d.text).find("t.log:1:"), std::string::npos);
    EXPECT_NE(error_of(d.text).find("past 64 bits"), std::string::npos) << error_of(d.text);
    LogBuilder f;
    f.at(10).ev("gicv3_its_cmd_mapc GICv3 ITS: command MAPC ICID 0x10000 RDbase 0x0 V 1");
    EXPECT_EQ(error_of(f.text), "t.log:1: error: ICID 0x10000 is past 16 bits");
}

TEST(ImportError, BadTimestampPrefix) {
    LogBuilder b;
    b.at(10).mapc(0, 1);
    b.raw("4242@1700000000.12:gicv3_its_cmd_sync GICv3 ITS: command SYNC");
    const std::string e = error_of(b.text);
    EXPECT_EQ(e.rfind("t.log:4:19: error: malformed timestamp prefix", 0), 0u) << e;
}

TEST(ImportError, UnknownItsEventAndGicv4Command) {
    LogBuilder b;
    b.at(10).ev("gicv3_its_cmd_frob GICv3 ITS: command FROB");
    EXPECT_EQ(error_of(b.text).rfind("t.log:1:24: error: unknown ITS trace event 'gicv3_its_cmd_frob'", 0), 0u)
        << error_of(b.text);
    LogBuilder v;
    v.at(10).mapc(0, 0).process(0x29).ev(
        "gicv3_its_cmd_vmapp GICv3 ITS: command VMAPP vPEID 0x1 RDbase 0x0 V 1 VPT_addr 0x0 VPT_size 0xf");
    EXPECT_EQ(error_of(v.text).rfind("t.log:5: error: GICv4 command (gicv3_its_cmd_vmapp)", 0), 0u) << error_of(v.text);
}

TEST(ImportError, CommandThatDoesNotMatchItsOpcode) {
    LogBuilder b;
    b.at(10).process(0x9).ev("gicv3_its_cmd_sync GICv3 ITS: command SYNC");
    EXPECT_EQ(error_of(b.text), "t.log:2: error: gicv3_its_cmd_sync does not match opcode 0x9 processed at line 1");
    LogBuilder c;
    c.at(10).process(0x9).cwriter();
    EXPECT_EQ(error_of(c.text),
              "t.log:1: error: the command processed here has no gicv3_its_cmd_* line before line 2");
}

}  // namespace
}  // namespace itsim::qemu::test
