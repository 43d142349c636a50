// tb/looks: VcdWriter on its own (no simulation): header, time order of
// sampled and stamped changes, the lag window, late changes, no date
// (looks_helpers.h: the helpers).
#include "looks_helpers.h"

// ===========================================================================
// VcdWriter alone
// ===========================================================================

TEST(LooksVcdWriter, HeaderScopesAndNoDate) {
    const std::string dir = temp_dir("hdr");
    bool flag = false;
    unsigned count = 0;
    {
        VcdWriter w(dir + "/h.vcd", "a comment");
        sc_core::sc_trace(&w, flag, "top.a.flag");
        sc_core::sc_trace(&w, count, "top.b.count", 12);
        const uint32_t s = w.add_stamped("top.a.stamp", 32, VcdWriter::kZ);
        EXPECT_EQ(s, 2u);
        EXPECT_EQ(w.variables(), 3u);
        w.step(0);
        w.finish(5);
    }
    const std::string text = slurp(dir + "/h.vcd");
    EXPECT_EQ(text.find("$date"), std::string::npos) << "a date would make two runs differ";
    EXPECT_NE(text.find("$comment\n    a comment\n$end"), std::string::npos);
    EXPECT_NE(text.find("$timescale 1 ps $end"), std::string::npos);
    // Scopes nest by the dots, in order of first appearance.
    EXPECT_NE(text.find("$scope module top $end\n$scope module a $end\n$var wire 1 ! flag $end\n"
                        "$var wire 32 # stamp [31:0] $end\n$upscope $end\n$scope module b $end\n"
                        "$var wire 12 \" count [11:0] $end\n$upscope $end\n$upscope $end\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("#0\n$dumpvars\n0!\nb0 \"\nbz #\n$end\n#5\n"), std::string::npos) << text;
}

TEST(LooksVcdWriter, SampledAndStampedChangesInTimeOrder) {
    const std::string dir = temp_dir("order");
    bool flag = false;
    unsigned count = 0;
    uint64_t late = 0;
    {
        VcdWriter w(dir + "/o.vcd", "");
        sc_core::sc_trace(&w, flag, "flag");
        sc_core::sc_trace(&w, count, "count", 8);
        const uint32_t s = w.add_stamped("stamp", 16, VcdWriter::kZ);
        std::vector<uint64_t> hook_calls;
        w.set_step_hook([&](uint64_t now) { hook_calls.push_back(now); });
        w.set_lag(100);
        w.step(0);
        count = 5;
        w.change(50, s, 8192);      // stamped, in the past of the next step
        w.step(100);                // count=5 at 100; nothing older than 0 yet
        w.change(150, s, VcdWriter::kZ);
        count = 300;                // masked to 8 bits: 44
        flag = true;
        w.step(300);                // writes everything before 200
        w.change(120, s, 7);        // too late: 120 < 150 already written
        w.step(400);
        w.finish(450);
        late = w.late_changes();
        EXPECT_EQ(hook_calls, (std::vector<uint64_t>{0, 100, 300, 400, 450}));
    }
    EXPECT_EQ(late, 1u);
    const std::string text = slurp(dir + "/o.vcd");
    const std::string body = text.substr(text.find("#0\n"));
    EXPECT_EQ(body,
              "#0\n$dumpvars\n0!\nb0 \"\nbz #\n$end\n"
              "#50\nb10000000000000 #\n"
              "#100\nb101 \"\n"
              "#150\nbz #\n"
              "b111 #\n"          // the late change, at the earliest time still open
              "#300\n1!\nb101100 \"\n"   // same time: in order of tracing
              "#450\n");
}

