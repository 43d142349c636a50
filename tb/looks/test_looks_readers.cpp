// tb/looks: the JSON reader, the event-log reader against the statistics
// file, the sweep's grid and quoting (looks_helpers.h: the helpers).
#include "looks_helpers.h"

// ===========================================================================
// JSON reader, event-log reader
// ===========================================================================

TEST(LooksJson, ParsesValuesAndKeepsIntegersExact) {
    const Json j = parse_json(R"({"a": [1, -2.5, true, null, "x\"\u00e9"], "big": 18446744073709551615, "o": {"p": 3}})");
    ASSERT_EQ(j.type, Json::Type::object);
    const Json* a = j.get("a");
    ASSERT_TRUE(a && a->arr.size() == 5);
    EXPECT_TRUE(a->arr[0].is_uint);
    EXPECT_EQ(a->arr[0].u, 1u);
    EXPECT_FALSE(a->arr[1].is_uint);
    EXPECT_DOUBLE_EQ(a->arr[1].num, -2.5);
    EXPECT_TRUE(a->arr[2].b);
    EXPECT_EQ(a->arr[3].type, Json::Type::null);
    EXPECT_EQ(a->arr[4].str, "x\"\xc3\xa9");
    EXPECT_EQ(j.get("big")->u, 18446744073709551615ull);
    EXPECT_EQ(j.path("o.p")->u, 3u);
    EXPECT_EQ(j.path("o.q"), nullptr);
}

TEST(LooksJson, RejectsMalformedTextWithAColumn) {
    for (const char* bad : {"{", "{\"a\" 1}", "[1,]", "\"abc", "01x", "{} x", "[\"\x01\"]"}) {
        try {
            parse_json(bad);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const std::runtime_error& e) {
            EXPECT_EQ(std::string(e.what()).rfind("column ", 0), 0u) << e.what();
        }
    }
    std::string deep(100, '[');
    EXPECT_THROW(parse_json(deep), std::runtime_error);
}

TEST(LooksEventLog, StagesAndCoalescedAcknowledges) {
    // Two MSIs of LPI 8200 pending before one acknowledge (coalesced: the
    // oldest counts), one of LPI 8201 acknowledged, one dropped.
    std::istringstream in(
        R"({"kind":"run","t_ps":0}
{"kind":"msi","t_ps":160,"seq":1,"status":"delivered","intid":8200,"cpu":1,"issued_ps":100,"accepted_ps":102,"started_ps":104,"device_ps":105,"event_ps":120,"collection_ps":121,"pending_ps":160}
{"kind":"msi","t_ps":170,"seq":2,"status":"delivered","intid":8200,"cpu":1,"issued_ps":110,"accepted_ps":112,"started_ps":114,"device_ps":115,"event_ps":116,"collection_ps":117,"pending_ps":170}
{"kind":"ack","t_ps":200,"cpu":1,"intid":8200}
{"kind":"msi","t_ps":300,"seq":3,"status":"delivered","intid":8201,"cpu":0,"issued_ps":250,"accepted_ps":252,"started_ps":254,"device_ps":255,"event_ps":256,"collection_ps":257,"pending_ps":300}
{"kind":"ack","t_ps":330,"cpu":0,"intid":8201}
{"kind":"msi","t_ps":400,"seq":4,"status":"dropped","reason":"device_unmapped","issued_ps":390}
{"kind":"command","t_ps":500,"seq":1,"op":"MAPC","status":"ok","issued_ps":100,"done_ps":500}
{"kind":"command","t_ps":600,"seq":2,"op":"SYNC","status":"ok","issued_ps":100,"done_ps":600}
{"kind":"command","t_ps":700,"seq":3,"op":"MAPC","status":"ok","issued_ps":600,"done_ps":700}
)");
    const LatencySamples s = read_event_log(in, "x.jsonl");
    EXPECT_EQ(s.msis, 4u);
    EXPECT_EQ(s.delivered, 3u);
    EXPECT_EQ(s.acks, 2u);
    ASSERT_EQ(s.msi_stages.size(), 6u);
    EXPECT_EQ(s.msi_stages[0].name, "bus");
    EXPECT_EQ(s.msi_stages[0].ps, (std::vector<uint64_t>{2, 2, 2}));
    EXPECT_EQ(s.msi_stages[3].name, "event_lookup");
    EXPECT_EQ(s.msi_stages[3].ps, (std::vector<uint64_t>{15, 1, 1}));
    EXPECT_EQ(s.msi_stages[5].ps, (std::vector<uint64_t>{39, 53, 43}));
    EXPECT_EQ(s.msi_totals[0].ps, (std::vector<uint64_t>{60, 60, 50}));   // write_to_pending
    EXPECT_EQ(s.msi_totals[1].ps, (std::vector<uint64_t>{40, 30}));       // pending_to_ack: oldest of 8200
    EXPECT_EQ(s.msi_totals[2].ps, (std::vector<uint64_t>{100, 80}));      // write_to_ack
    ASSERT_EQ(s.commands.size(), 2u);
    EXPECT_EQ(s.commands[0].name, "MAPC");
    EXPECT_EQ(s.commands[0].ps, (std::vector<uint64_t>{400, 100}));
    EXPECT_EQ(s.commands[1].ps, (std::vector<uint64_t>{500}));

    std::istringstream bad("{\"kind\":\"msi\"}\nnot json\n");
    try {
        read_event_log(bad, "bad.jsonl");
        ADD_FAILURE() << "accepted a bad line";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("bad.jsonl:2: error:", 0), 0u) << e.what();
    }
}

TEST(LooksSweep, GridAxesPointsAndQuoting) {
    EXPECT_THROW(parse_grid_axis("cpus"), std::exception);
    EXPECT_THROW(parse_grid_axis("cpus=1,,2"), std::exception);
    SweepOptions o;
    o.trace_path = "/t/x.its";
    o.out_dir = "/o";
    o.itsim = "/bin/itsim";
    o.sets = {"mode=fast"};
    o.grid = {parse_grid_axis("cpus=1,2"), parse_grid_axis("mem.read_latency=50ns,100ns,200ns")};
    const std::vector<SweepPoint> p = sweep_points(o);
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[0].values, (std::vector<std::string>{"1", "50ns"}));
    EXPECT_EQ(p[2].values, (std::vector<std::string>{"1", "200ns"}));
    EXPECT_EQ(p[3].values, (std::vector<std::string>{"2", "50ns"}));
    EXPECT_EQ(p[5].index, 6u);
    EXPECT_EQ(p[5].dir, "/o/points/0006");
    EXPECT_EQ(p[5].command,
              "/bin/itsim run /t/x.its --set mode=fast --set cpus=2 --set mem.read_latency=200ns "
              "--stats /o/points/0006/stats.json -q");
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote("x=1,2"), "x=1,2");
    EXPECT_EQ(shell_quote(""), "''");
}

