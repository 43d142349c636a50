// The comparison with an event log (hand-written logs, each disagreement
// worked out by hand), and the reference against the hand-written `expect`
// lines of the shipped scenario traces.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "ref/ref_compare.h"

namespace itsim::ref {
namespace {

// cmd 4 fails (collection 2 unmapped); msi 1 is LPI 8192 at CPU 0,
// enabled, so taken once; msi 2 names EventID 2 of a 2-event ITT.
const char* kTrace =
    "itsim-trace 1\n"
    "cmd op=MAPC icid=0 rdbase=0 valid=1\n"
    "cmd op=MAPD device=1 itt=0x40000000 size=0 valid=1\n"
    "cmd op=MAPTI device=1 event=0 intid=8192 icid=0\n"
    "cmd op=MOVI device=1 event=0 icid=2\n"
    "wait until=drained\n"
    "lpi intid=8192 priority=0 enable=1\n"
    "cmd op=INV device=1 event=0\n"
    "wait until=drained\n"
    "@10us msi device=1 event=0\n"
    "@20us msi device=1 event=2\n";

const char* kCmd = R"({"kind":"command","t_ps":1,"seq":%d,"op":"X","status":%s})";

std::string cmd_line(int seq, const std::string& status) {
    char buf[200];
    std::snprintf(buf, sizeof buf, kCmd, seq, status.c_str());
    return std::string(buf) + "\n";
}

// The log a correct run writes (the keys the comparison ignores left out).
std::string good_log() {
    return std::string(R"({"kind":"run","t_ps":0,"format":1,"trace":"t.its"})") + "\n" + cmd_line(1, "\"ok\"") +
           cmd_line(2, "\"ok\"") + cmd_line(3, "\"ok\"") + cmd_line(4, "65801") + cmd_line(5, "\"ok\"") +
           R"({"kind":"msi","t_ps":9,"seq":1,"device":1,"event":0,"status":"delivered","intid":8192,"cpu":0})" "\n"
           R"({"kind":"ack","t_ps":10,"cpu":0,"intid":8192})" "\n"
           R"({"kind":"msi","t_ps":11,"seq":2,"device":1,"event":2,"status":"dropped","reason":"event_out_of_range"})" "\n"
           R"({"kind":"timeout","t_ps":12,"what":"wait"})" "\n"
           R"({"kind":"a_kind_added_later","t_ps":13})" "\n";
}

Result reference() { return run(parse_trace(kTrace, "t.its")); }

std::vector<std::string> diff(const std::string& log) { return compare_text(reference(), log).disagreements; }

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
}

TEST(RefCompare, AgreementAndWhatWasCompared) {
    const Result r = reference();
    ASSERT_TRUE(r.comparable) << r.unsupported;
    const Comparison c = compare_text(r, good_log());
    EXPECT_TRUE(c.agrees()) << c.disagreements.front();
    EXPECT_EQ(c.commands, 5u);
    EXPECT_EQ(c.msis, 2u);
    EXPECT_EQ(c.ack_counts, 1u);
}

TEST(RefCompare, CommandStatus) {
    const auto d = diff(replace(good_log(), cmd_line(4, "65801"), cmd_line(4, "\"ok\"")));
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0], "cmd 4 (MOVI device=0x1 event=0 icid=2, line 5): reference 0x010109, model ok");
    const auto m = diff(replace(good_log(), cmd_line(2, "\"ok\""), cmd_line(2, "\"memory_error\"")));
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0], "cmd 2 (MAPD device=0x1 itt=0x40000000 size=0 valid=1, line 3): reference ok, model memory_error");
    const auto gone = diff(replace(good_log(), cmd_line(3, "\"ok\""), ""));
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0], "cmd 3 (MAPTI device=0x1 event=0 intid=8192 icid=0, line 4): reference ok, model never ran it");
    const auto twice = diff(good_log() + cmd_line(5, "\"ok\""));
    ASSERT_EQ(twice.size(), 1u);
    EXPECT_EQ(twice[0], "cmd 5 (INV device=0x1 event=0, line 8): model ran it 2 times, reference once");
    const auto extra = diff(good_log() + cmd_line(6, "\"ok\""));
    ASSERT_EQ(extra.size(), 1u);
    EXPECT_EQ(extra[0], "cmd 6: the model logs a command the trace does not have");
}

TEST(RefCompare, MsiTranslation) {
    const auto reason = diff(replace(good_log(), "\"event_out_of_range\"", "\"interrupt_unmapped\""));
    ASSERT_EQ(reason.size(), 1u);
    EXPECT_EQ(reason[0], "msi 2 (device=0x1 event=2, line 11): reference dropped (event_out_of_range), "
                         "model dropped (interrupt_unmapped)");
    const auto cpu = diff(replace(good_log(), R"("intid":8192,"cpu":0})", R"("intid":8192,"cpu":1})"));
    ASSERT_EQ(cpu.size(), 1u);
    EXPECT_EQ(cpu[0], "msi 1 (device=0x1 event=0, line 10): reference delivered as intid 8192 to cpu 0, "
                      "model delivered as intid 8192 to cpu 1");
    const auto none = diff(replace(good_log(), R"("status":"dropped","reason":"event_out_of_range"})",
                                   R"("status":"delivered","intid":8193,"cpu":0})"));
    ASSERT_EQ(none.size(), 1u);
    EXPECT_EQ(none[0], "msi 2 (device=0x1 event=2, line 11): reference dropped (event_out_of_range), "
                       "model delivered as intid 8193 to cpu 0");
}

TEST(RefCompare, AcknowledgeCounts) {
    const std::string ack = std::string(R"({"kind":"ack","t_ps":10,"cpu":0,"intid":8192})") + "\n";
    const auto missing = diff(replace(good_log(), ack, ""));
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0], "acks of LPI 8192 at cpu 0: reference 1, model 0");
    const auto twice = diff(good_log() + ack);
    ASSERT_EQ(twice.size(), 1u);
    EXPECT_EQ(twice[0], "acks of LPI 8192 at cpu 0: reference 1, model 2");
    const auto other = diff(good_log() + R"({"kind":"ack","t_ps":10,"cpu":3,"intid":8192})" + "\n");
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0], "acks of LPI 8192 at cpu 3: reference 0, model 1");
}

TEST(RefCompare, StallsAndMalformedLines) {
    const auto stall = diff(good_log() + R"({"kind":"stall","t_ps":5,"creadr":96,"error":65801})" + "\n");
    ASSERT_EQ(stall.size(), 1u);
    EXPECT_EQ(stall[0], "stalls: reference none, model 1");
    const auto bad = diff(good_log() + "not json\n" + R"({"kind":"msi","seq":1})" + "\n");
    ASSERT_EQ(bad.size(), 2u);
    EXPECT_EQ(bad[0].rfind("event log line 12: not JSON", 0), 0u) << bad[0];
    EXPECT_EQ(bad[1], "event log line 13: msi record without seq or a status delivered/dropped");

    // Under `stall` the reference expects exactly the stall at cmd 4
    // (offset 3 * 32) and nothing of cmd 5. msi 1 is still taken: its
    // redistributor never looked LPI 8192 up before, so it reads the
    // enabled byte from memory without the INV.
    const Result st = run(parse_trace(replace(kTrace, "itsim-trace 1\n", "itsim-trace 1\nplatform error_policy=stall\n"),
                                      "t.its"));
    ASSERT_TRUE(st.stall);
    const std::string log = replace(good_log(), cmd_line(5, "\"ok\""), "");
    EXPECT_TRUE(compare_text(st, log + R"({"kind":"stall","t_ps":5,"creadr":96,"error":65801})" + "\n").agrees());
    const auto where = compare_text(st, log + R"({"kind":"stall","t_ps":5,"creadr":128,"error":65801})" + "\n");
    ASSERT_EQ(where.disagreements.size(), 1u);
    EXPECT_EQ(where.disagreements[0],
              "stall: reference at creadr 0x60 with 0x010109, model at creadr 0x80 with 0x010109");
    const auto ran = compare_text(st, good_log() + R"({"kind":"stall","t_ps":5,"creadr":96,"error":65801})" + "\n");
    ASSERT_EQ(ran.disagreements.size(), 1u);
    EXPECT_EQ(ran.disagreements[0], "cmd 5 (INV device=0x1 event=0, line 9): reference never runs it (the queue "
                                    "stalled at cmd 4), model ok");
}

TEST(RefCompare, TheRunsConfigurationMustBeTheReferences) {
    const std::string run_line = R"({"kind":"run","t_ps":0,"format":1,"trace":"t.its"})";
    const std::string other = R"({"kind":"run","t_ps":0,"config":{"cpus":2,"error_policy":"stall","its.lpi_bits":16}})";
    const auto d = diff(replace(good_log(), run_line, other));
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0], "run: the reference is for cpus=4, the run had 2");
    EXPECT_EQ(d[1], "run: the reference is for error_policy=ignore, the run had stall");
}

TEST(RefCompare, NotComparable) {
    const Result r = run(parse_trace("itsim-trace 1\nwrite addr=0x08080000 value=0 size=4\n", "w.its"));
    const auto d = compare_text(r, good_log()).disagreements;
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].rfind("the trace is not comparable: unsupported: write to 0x8080000", 0), 0u) << d[0];
}

// ---- shipped scenario traces ----------------------------------------------
std::filesystem::path traces_dir() { return std::filesystem::path(ITSIM_TREE) / "traces"; }

TEST(RefShippedTraces, ComparableOnesMeetTheirExpectLines) {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(traces_dir()))
        if (e.path().extension() == ".its") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    size_t comparable = 0;
    for (const auto& path : paths) {
        const Trace t = read_trace_file(path.string());
        const Result r = run(t);
        if (!r.comparable) {
            std::printf("  %s: %s\n", path.filename().c_str(), r.unsupported.c_str());
            continue;
        }
        ++comparable;
        for (const std::string& f : check_expects(r, t)) ADD_FAILURE() << f;
    }
    EXPECT_GE(comparable, 1u);
}

TEST(RefShippedTraces, TheTimingIndependentOnesAreComparable) {
    for (const char* name : {"bringup.its", "wrap.its", "two_level_4k.its", "two_level_16k.its", "two_level_64k.its"}) {
        const Trace t = read_trace_file((traces_dir() / name).string());
        const Result r = run(t);
        EXPECT_TRUE(r.comparable) << name << ": " << r.unsupported;
        EXPECT_FALSE(t.expects.empty()) << name;
        EXPECT_TRUE(check_expects(r, t).empty()) << name;
    }
}

TEST(RefShippedTraces, TeardownInTraceOrder) {
    // teardown.its has lines a run may reorder (msi 5 and the MAPTI of the
    // same event at 25 us); taken in trace order, the reference must meet
    // every hand-written expectation.
    const Trace t = read_trace_file((traces_dir() / "teardown.its").string());
    Options o;
    o.race_guard = false;
    const Result r = run(t, o);
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_GE(t.expects.size(), 10u);
    for (const std::string& f : check_expects(r, t)) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace itsim::ref
