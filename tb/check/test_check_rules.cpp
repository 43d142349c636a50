// The event-log checker: R1 (times), R2 (accounting), R6 (configuration),
// format errors and the `itsim check` command. Line 1 of every log is the
// header, so the k-th record is line k+1.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "check/log_builder.h"

using namespace itsim;
using namespace itsim::testlog;

// ---------------------------------------------------------------- R1

TEST(CheckTimes, TimeGoingBackwards) {
    const CheckResult r =
        check({header(0, 2), msi_dropped(5000, 1), msi_dropped(4000, 2), lpi(6000, 8192, 0, 0)});
    const auto v = of(r, "R1");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{3, 2}));   // the late record, then the one above it
    EXPECT_EQ(r.total(), 1u);
    EXPECT_EQ(check({header(0, 2), msi_dropped(4000, 1), msi_dropped(4000, 2)}).total(), 0u);   // equal is fine
}

TEST(CheckTimes, StageStampsOutOfOrder) {
    // accepted before issued; a command done before it was fetched; an ack
    // signalled after it was taken.
    const std::string msi = R"({"kind":"msi","t_ps":9000,"seq":1,"device":1,"event":0,"status":"dropped",)"
                            R"("issued_ps":5000,"reason":"x","accepted_ps":4000,"device_ps":9000})";
    CheckResult r = check({header(0, 1), msi});
    ASSERT_EQ(of(r, "R1").size(), 1u);
    EXPECT_NE(of(r, "R1")[0].message.find("issued_ps 5000 after accepted_ps 4000"), std::string::npos)
        << of(r, "R1")[0].message;
    r = check({header(1, 0), kick(1000, 1, 1), cmd(1, "SYNC", 1000, 9000, 8000)});
    ASSERT_EQ(of(r, "R1").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R1")[0]), (std::vector<uint64_t>{3}));
    r = check({header(0, 1), lpi(10, 8192, 0xA0, 1), msi_new(2000000, 1, 0, 8192), ack(2030000, 0, 8192, 0xA0, 2030001)});
    ASSERT_EQ(of(r, "R1").size(), 1u);
    EXPECT_NE(of(r, "R1")[0].message.find("signalled_ps 2030001 after t_ps 2030000"), std::string::npos);
    // A delivered MSI's t_ps is its pending_ps.
    std::string late = msi_new(2000000, 1, 0, 8192);
    late.replace(late.find("\"t_ps\":2000000"), 14, "\"t_ps\":2000001");
    r = check({header(0, 1), lpi(10, 8192, 0xA0, 1), late, ack(2030000, 0, 8192)});
    ASSERT_EQ(of(r, "R1").size(), 1u);
    EXPECT_NE(of(r, "R1")[0].message.find("pending_ps 2000000"), std::string::npos);
}

// ---------------------------------------------------------------- R2

TEST(CheckAccounting, EveryMsiLineHasExactlyOneRecord) {
    // msi lines 1..5: 2 and 4..5 missing, 3 twice, 7 is not a line.
    const CheckResult r = check({header(0, 5), msi_dropped(100, 1), msi_dropped(200, 3), msi_dropped(300, 3),
                                 msi_dropped(400, 7)});
    const auto v = of(r, "R2");
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{4}));
    EXPECT_NE(v[0].message.find("second record for msi 3"), std::string::npos);
    EXPECT_EQ(lines_of(v[1]), (std::vector<uint64_t>{5}));
    EXPECT_NE(v[1].message.find("msi seq 7 is not an msi line of the trace (1..5)"), std::string::npos);
    EXPECT_TRUE(v[2].records.empty());
    EXPECT_NE(v[2].message.find("3 of the trace's 5 msi lines have no msi record: 2, 4-5"), std::string::npos)
        << v[2].message;
    EXPECT_EQ(check({header(0, 3), msi_dropped(100, 2), msi_dropped(200, 1), msi_dropped(300, 3)}).total(), 0u);
}

TEST(CheckAccounting, CommandsArePublishedOnceAndRecordedOnce) {
    const std::string k = kick(1000, 1, 2);
    EXPECT_EQ(check({header(2, 0), k, cmd(1, "SYNC", 1000, 1100, 1200), cmd(2, "SYNC", 1000, 1300, 1400)}).total(), 0u);
    // Command 3 was never published; command 2 claims another CWRITER write.
    const CheckResult r = check({header(3, 0), k, cmd(1, "SYNC", 1000, 1100, 1200), cmd(2, "SYNC", 900, 1300, 1400),
                                 kick(1500, 3, 3), cmd(3, "SYNC", 1500, 1600, 1700), cmd(3, "SYNC", 1500, 1600, 1800)});
    const auto v = of(r, "R2");
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{4, 2}));
    EXPECT_NE(v[0].message.find("issued_ps 900"), std::string::npos) << v[0].message;
    EXPECT_EQ(lines_of(v[1]), (std::vector<uint64_t>{7}));
    EXPECT_NE(v[1].message.find("second record for command 3"), std::string::npos) << v[1].message;
    const CheckResult u = check({header(2, 0), kick(1000, 1, 1), cmd(1, "SYNC", 1000, 1100, 1200),
                                 cmd(2, "SYNC", 1000, 1300, 1400)});
    ASSERT_EQ(of(u, "R2").size(), 2u);
    EXPECT_NE(of(u, "R2")[0].message.find("no kick published it"), std::string::npos);
    // ... and the header's 2 cmd lines are not all accounted for.
    EXPECT_NE(of(u, "R2")[1].message.find("kicks published 1 of them and the driver dropped 0"), std::string::npos)
        << of(u, "R2")[1].message;
    // A kick publishing a command twice.
    const CheckResult twice = check({header(2, 0), kick(1000, 1, 2), kick(1100, 2, 2), cmd(1, "SYNC", 1000, 1100, 1200),
                                     cmd(2, "SYNC", 1000, 1300, 1400)});
    ASSERT_EQ(of(twice, "R2").size(), 1u);
    EXPECT_EQ(lines_of(of(twice, "R2")[0]), (std::vector<uint64_t>{3}));
}

TEST(CheckAccounting, QueueFullTimeoutsAccountForDroppedCommands) {
    // 3 cmd lines: 2 published, 1 dropped by the driver.
    EXPECT_EQ(check({header(3, 0), kick(1000, 1, 2), cmd(1, "SYNC", 1000, 1100, 1200), cmd(2, "SYNC", 1000, 1300, 1400),
                     timeout(1500, "queue_full")})
                  .total(),
              0u);
    const CheckResult r = check({header(3, 0), kick(1000, 1, 2), cmd(1, "SYNC", 1000, 1100, 1200),
                                 cmd(2, "SYNC", 1000, 1300, 1400), timeout(1500, "wait")});
    ASSERT_EQ(of(r, "R2").size(), 1u);
    EXPECT_NE(of(r, "R2")[0].message.find("the trace has 3 cmd lines, but kicks published 2"), std::string::npos);
}

TEST(CheckAccounting, CommandsCompleteInQueueOrder) {
    const CheckResult r =
        check({header(2, 0), kick(1000, 1, 2), cmd(2, "SYNC", 1000, 1100, 1200), cmd(1, "SYNC", 1000, 1300, 1400)});
    const auto v = of(r, "R2");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{4, 3}));
}

TEST(CheckAccounting, UnfinishedCommandsNeedAStall) {
    // Command 2 of 3 never completes: with nothing to explain it, that is
    // a violation naming the kick that published it.
    const std::vector<std::string> base{header(3, 0), kick(1000, 1, 3), cmd(1, "MAPD", 1000, 1100, 1200)};
    CheckResult r = check(base);
    auto v = of(r, "R2");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{2}));
    EXPECT_NE(v[0].message.find("2 published command(s) never completed (2-3)"), std::string::npos) << v[0].message;
    // The queue stalled at command 2 after command 1 completed: explained.
    std::vector<std::string> stalled = base;
    stalled.push_back(cmd_unretired(2, "MAPTI", 1000, 1300));
    stalled.push_back(stall(1310, 64));
    r = check(stalled);
    EXPECT_EQ(r.total(), 0u);
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes[0].find("never completed (2-3): the queue stalled"), std::string::npos) << r.notes[0];
    // A stall that the queue recovered from explains nothing later.
    std::vector<std::string> recovered{header(3, 0), kick(1000, 1, 3), stall(1050, 0), cmd(1, "MAPD", 1000, 1100, 1200)};
    ASSERT_EQ(of(check(recovered), "R2").size(), 1u);
    // A later command completing although 2 never did.
    std::vector<std::string> skipped = base;
    skipped.push_back(cmd(3, "SYNC", 1000, 1500, 1600));
    r = check(skipped);
    v = of(r, "R2");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{2, 4}));
    EXPECT_NE(v[0].message.find("yet command 3, later in the queue than command 2, did"), std::string::npos)
        << v[0].message;
}

// ---------------------------------------------------------------- R6

TEST(CheckConfig, SnapshotsAreValuesThePropertyByteHeld) {
    // 0xA0 enabled written at 1 us, then 0x80 at 3 us: an MSI at 4 us may
    // still see 0xA0 (a cached byte), or 0x80, or - never written - 0x90.
    auto log = [](unsigned prio, bool en) {
        return check({header(0, 1), lpi(1000000, 8192, 0xA1, 1), lpi(3000000, 8192, 0x80, 1),
                      msi_new(4000000, 1, 0, 8192, prio, en), ack(4030000, 0, 8192, prio)});
    };
    EXPECT_EQ(log(0xA0, true).total(), 0u);   // 0xA1 & 0xFC
    EXPECT_EQ(log(0x80, true).total(), 0u);
    // At 2 us 0x80 had not been written yet.
    const CheckResult early = check({header(0, 1), lpi(1000000, 8192, 0xA1, 1), msi_new(2000000, 1, 0, 8192, 0x80, true),
                                     lpi(3000000, 8192, 0x80, 1), ack(4030000, 0, 8192, 0x80)});
    ASSERT_EQ(of(early, "R6").size(), 1u);
    EXPECT_EQ(lines_of(of(early, "R6")[0]), (std::vector<uint64_t>{3}));
    const CheckResult r = log(0x90, true);
    const auto v = of(r, "R6");
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(lines_of(v[0]), (std::vector<uint64_t>{4}));
    EXPECT_NE(v[0].message.find("(it held: priority 0 disabled, priority 128 enabled, priority 160 enabled)"),
              std::string::npos)
        << v[0].message;
    // Disabled with priority 0: the value of every byte before its first write.
    EXPECT_EQ(check({header(0, 1), msi_new(4000, 1, 0, 8300, 0, false)}).total(), 0u);
    // Not a priority a byte can give.
    const CheckResult odd = check({header(0, 1), lpi(1000, 8192, 0xA0, 1), msi_new(4000000, 1, 0, 8192, 0xA1, true),
                                   ack(4030000, 0, 8192, 0xA1)});
    ASSERT_EQ(of(odd, "R6").size(), 1u);
    EXPECT_NE(of(odd, "R6")[0].message.find("priority 161"), std::string::npos);
}

TEST(CheckConfig, NewWithoutASnapshot) {
    std::string m = msi_new(4000, 1, 0, 8192);
    m = m.substr(0, m.find(",\"priority\"")) + "}";
    const CheckResult r = check({header(0, 1), m});
    ASSERT_EQ(of(r, "R6").size(), 1u);
    EXPECT_EQ(lines_of(of(r, "R6")[0]), (std::vector<uint64_t>{2}));
}

// ---------------------------------------------------------------- format

TEST(CheckFormat, ErrorsNameTheFileAndLine) {
    auto error_of = [](const std::string& text) {
        std::istringstream in(text);
        try {
            check_event_log(in, "t.jsonl");
        } catch (const CheckFormatError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of(header(0, 0) + "\n" + lpi(5, 8192, 0xA0, 1) + "\n{\"kind\":\"msi\",\"t_ps\":5,}\n"),
              "t.jsonl:3: error: not a JSON object (column 24: expected a member name)");
    EXPECT_EQ(error_of(msi_dropped(5, 1) + "\n"),
              "t.jsonl:1: error: the first record is not the \"run\" header (kind \"msi\")");
    EXPECT_EQ(error_of(header(0, 0) + "\n{\"kind\":\"msi\",\"t_ps\":5,\"status\":\"dropped\"}\n"),
              "t.jsonl:2: error: \"msi\" record without \"seq\"");
    EXPECT_EQ(error_of(header(0, 0) + "\n{\"kind\":\"ack\",\"t_ps\":-5}\n"),
              "t.jsonl:2: error: \"ack\" record: \"t_ps\" is not a non-negative integer");
    EXPECT_EQ(error_of("{\"kind\":\"run\",\"t_ps\":0,\"format\":2}\n"),
              "t.jsonl:1: error: event-log format 2 (this checker reads format 1)");
    EXPECT_EQ(error_of(""), "t.jsonl:1: error: the log is empty (no \"run\" header)");
    // CRLF line ends and unknown kinds are fine.
    EXPECT_EQ(error_of(header(0, 0) + "\r\n{\"kind\":\"future\",\"t_ps\":7}\r\n"), "no error");
}

TEST(CheckFormat, RecordsWithEscapesAndNestedValuesAreRead) {
    // Off the fast path (an escaped quote, a nested object, a fraction):
    // read all the same.
    const CheckResult r =
        check({header(0, 1), R"({"kind":"lpi","t_ps":5,"intid":8192,"priority":160,"enable":1,"note":"a\"b","x":{"y":[1.5,-2]}})",
               msi_new(4000, 1, 0, 8192, 0xA0, true), ack(40000, 0, 8192)});
    EXPECT_EQ(r.stats.lpis, 1u);
    EXPECT_EQ(r.total(), 0u) << (r.violations.empty() ? "" : r.violations[0].message);   // the lpi record counted for R6
    // A value of the wrong type there is still an error.
    std::istringstream in(header(0, 0) + "\n" + R"({"kind":"lpi","t_ps":5,"intid":"8192","x":{}})" + "\n");
    EXPECT_THROW(check_event_log(in, "t.jsonl"), CheckFormatError);
}

TEST(CheckCommand, ExitStatusAndOutput) {
    const std::string path = ::testing::TempDir() + "itsim_check_test.jsonl";
    auto run = [&](const std::vector<std::string>& lines, bool quiet, std::string& out, std::string& err) {
        std::ofstream(path, std::ios::binary) << join(lines);
        std::ostringstream o, e;
        const int rc = check_command(path, quiet, o, e);
        out = o.str();
        err = e.str();
        return rc;
    };
    std::string out, err;
    EXPECT_EQ(run({header(0, 1), msi_dropped(100, 1)}, false, out, err), 0);
    EXPECT_NE(out.find(": 1 records (1 msi: 0 delivered, 1 dropped;"), std::string::npos) << out;
    EXPECT_NE(out.find("no violations"), std::string::npos) << out;
    EXPECT_EQ(run({header(0, 1), msi_dropped(100, 1), ack(200, 0, 8192)}, true, out, err), 1);
    // Quiet: the violation and its record, nothing else.
    EXPECT_EQ(out, path + ":3: R3 pending: cpu 0 acknowledged LPI 8192 at 200ps, which was not pending there (no msi, "
                          "INT or other record made it pending)\n  3: " +
                       ack(200, 0, 8192) + "\n");
    EXPECT_EQ(run({header(0, 1), "{"}, false, out, err), 2);
    EXPECT_EQ(err, path + ":2: error: not a JSON object (column 2: expected a member name)\n");
    std::remove(path.c_str());
    std::ostringstream o, e;
    EXPECT_EQ(check_command(path, false, o, e), 2);
    EXPECT_EQ(e.str(), path + ": error: cannot read the event log\n");
    EXPECT_EQ(check_main({}, o, e), 2);
    EXPECT_EQ(check_main({"--help"}, o, e), 0);
}
