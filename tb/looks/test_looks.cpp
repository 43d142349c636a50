// tb/looks: waveforms, plots and sweeps.
//   - VcdWriter on its own (no simulation): header, time order of sampled
//     and stamped changes, the lag window, late changes, no date.
//   - the itsim binary (next to this test in the build tree): two runs of
//     one trace give byte-identical event logs, statistics and VCDs; --vcd
//     changes neither the log nor the statistics; gtkwave's vcd2fst reads
//     the VCD (and fst2vcd gives the same changes back); the waveform of
//     tb/looks/two_msis.its has each signal change where the event log and
//     the parameters say it must.
//   - the JSON reader, the event-log reader against the statistics file,
//     `itsim plot` and `itsim sweep` (CSV values, commands.txt lines that
//     reproduce a point's statistics byte for byte).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "plot.h"
#include "sweep.h"
#include "vcd.h"

using namespace itsim;

namespace {

// ---------------------------------------------------------------- helpers

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool exists(const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0;
}

std::string build_dir() {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    buf[n] = 0;
    std::string p = buf;                       // <build>/tb/test_looks
    p = p.substr(0, p.find_last_of('/'));      // <build>/tb
    return p.substr(0, p.find_last_of('/'));   // <build>
}

std::string itsim_bin() { return build_dir() + "/platform/itsim"; }

std::string temp_dir(const char* tag) {
    std::string t = std::string("/tmp/itsim-looks-") + tag + "-XXXXXX";
    std::vector<char> b(t.begin(), t.end());
    b.push_back(0);
    const char* d = mkdtemp(b.data());
    return d ? d : "/tmp";
}

int sh(const std::string& cmd) {
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Runs itsim (must be built: make itsim) with `args`; returns its status.
int run_itsim(const std::string& args, const std::string& log) {
    if (!exists(itsim_bin())) {
        ADD_FAILURE() << itsim_bin() << " is missing: build the itsim target too";
        return -1;
    }
    return sh(itsim_bin() + " " + args + " >" + log + " 2>&1");
}

// A VCD as value changes per hierarchical name: (time, value). Vector
// values are normalised (no leading zeros; all-z is "z").
struct Vcd {
    std::map<std::string, unsigned> width;
    std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;
    uint64_t end = 0;
    bool has(const std::string& n) const { return width.count(n) != 0; }
    // Changes of `n` with consecutive duplicates removed.
    std::vector<std::pair<uint64_t, std::string>> edges(const std::string& n) const {
        std::vector<std::pair<uint64_t, std::string>> out;
        auto it = changes.find(n);
        if (it == changes.end()) return out;
        for (const auto& c : it->second)
            if (out.empty() || out.back().second != c.second) out.push_back(c);
        return out;
    }
    // Value of `n` at time t (after the changes at t).
    std::string at(const std::string& n, uint64_t t) const {
        std::string v = "?";
        auto it = changes.find(n);
        if (it == changes.end()) return v;
        for (const auto& c : it->second)
            if (c.first <= t) v = c.second;
        return v;
    }
};

std::string norm(std::string v) {
    if (v.empty()) return v;
    if (v.find_first_not_of('z') == std::string::npos) return "z";
    if (v.find_first_not_of('x') == std::string::npos) return "x";
    const size_t nz = v.find_first_not_of('0');
    return nz == std::string::npos ? "0" : v.substr(nz);
}

Vcd parse_vcd(const std::string& text) {
    Vcd v;
    std::istringstream in(text);
    std::string tok;
    std::vector<std::string> scope;
    std::map<std::string, std::string> name_of;   // id -> name
    bool body = false;
    uint64_t t = 0;
    std::string line;
    while (!body && in >> tok) {
        if (tok == "$scope") {
            std::string kind, name;
            in >> kind >> name >> tok;
            scope.push_back(name);
        } else if (tok == "$upscope") {
            in >> tok;
            scope.pop_back();
        } else if (tok == "$var") {
            std::string type, id, ref;
            unsigned w = 0;
            in >> type >> w >> id >> ref;
            std::string full;
            for (const std::string& s : scope) full += s + ".";
            full += ref;
            name_of[id] = full;
            v.width[full] = w;
            while (in >> tok && tok != "$end") {}
        } else if (tok == "$enddefinitions") {
            in >> tok;
            body = true;
        } else if (tok[0] == '$') {
            while (in >> tok && tok != "$end") {}
        }
    }
    while (in >> tok) {
        if (tok[0] == '#') {
            t = std::stoull(tok.substr(1));
            v.end = std::max(v.end, t);
        } else if (tok[0] == '$') {
            continue;   // $dumpvars, $end
        } else if (tok[0] == 'b' || tok[0] == 'B') {
            std::string id;
            in >> id;
            if (name_of.count(id)) v.changes[name_of[id]].push_back({t, norm(tok.substr(1))});
        } else {
            const std::string id = tok.substr(1);
            if (name_of.count(id)) v.changes[name_of[id]].push_back({t, std::string(1, tok[0])});
        }
    }
    return v;
}

std::vector<Json> read_jsonl(const std::string& path) {
    std::vector<Json> out;
    std::istringstream in(slurp(path));
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(parse_json(line));
    return out;
}

uint64_t u(const Json& o, const char* k) {
    const Json* v = o.get(k);
    return v && v->is_uint ? v->u : ~uint64_t{0};
}

std::string bits(uint64_t x) {
    std::string b;
    do {
        b.insert(b.begin(), char('0' + (x & 1)));
        x >>= 1;
    } while (x);
    return b;
}

}  // namespace

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

// ===========================================================================
// The itsim binary
// ===========================================================================

TEST(LooksRun, TwoRunsGiveByteIdenticalLogsStatisticsAndWaveforms) {
    const std::string d = temp_dir("det");
    for (const char* r : {"a", "b"}) {
        const std::string p = d + "/" + r;
        ASSERT_EQ(run_itsim("run traces/bringup.its -q --events " + p + ".jsonl --stats " + p + ".json --vcd " + p + ".vcd",
                        d + "/log"),
                  0)
            << slurp(d + "/log");
    }
    for (const char* ext : {".jsonl", ".json", ".vcd"}) {
        const std::string a = slurp(d + "/a" + ext), b = slurp(d + "/b" + ext);
        EXPECT_GT(a.size(), 1000u) << ext;
        EXPECT_TRUE(a == b) << ext << " differs between two runs";
    }
    // Waveforms change nothing else.
    ASSERT_EQ(run_itsim("run traces/bringup.its -q --events " + d + "/c.jsonl --stats " + d + "/c.json", d + "/log"), 0);
    EXPECT_TRUE(slurp(d + "/a.jsonl") == slurp(d + "/c.jsonl")) << "--vcd changed the event log";
    EXPECT_TRUE(slurp(d + "/a.json") == slurp(d + "/c.json")) << "--vcd changed the statistics";
    // No temporary file is left beside the VCD.
    EXPECT_EQ(sh("ls " + d + " | grep -v -E '^(a|b|c)\\.(jsonl|json|vcd)$|^log$' >/dev/null"), 1);
}

TEST(LooksRun, GtkwaveReadsTheWaveform) {
    const std::string d = temp_dir("fst");
    ASSERT_EQ(run_itsim("run traces/bringup.its -q --vcd " + d + "/w.vcd", d + "/log"), 0) << slurp(d + "/log");
    ASSERT_EQ(sh("command -v vcd2fst >/dev/null && command -v fst2vcd >/dev/null"), 0)
        << "gtkwave's vcd2fst/fst2vcd are needed (.ci/deps installs gtkwave)";
    ASSERT_EQ(sh("vcd2fst " + d + "/w.vcd " + d + "/w.fst >" + d + "/vcd2fst.log 2>&1"), 0)
        << slurp(d + "/vcd2fst.log");
    ASSERT_EQ(sh("fst2vcd " + d + "/w.fst >" + d + "/back.vcd 2>" + d + "/fst2vcd.log"), 0)
        << slurp(d + "/fst2vcd.log");
    const Vcd ours = parse_vcd(slurp(d + "/w.vcd"));
    const Vcd back = parse_vcd(slurp(d + "/back.vcd"));
    // Every signal came through with the same changes.
    EXPECT_EQ(ours.width.size(), 4 * 3 + 17 + 6u);   // per CPU 3, ITS 17, bus targets 6
    for (const auto& [name, w] : ours.width) {
        ASSERT_TRUE(back.has(name)) << name << " lost by vcd2fst";
        EXPECT_EQ(back.width.at(name), w) << name;
        EXPECT_EQ(ours.edges(name), back.edges(name)) << name;
    }
    EXPECT_GT(ours.edges("cpu0.intid").size(), 100u);
    EXPECT_GT(ours.edges("bus.ram.busy").size(), 1000u);
}

TEST(LooksRun, WaveformOfTwoMsisMatchesTheEventLogAndTheParameters) {
    const std::string d = temp_dir("wave");
    ASSERT_EQ(run_itsim("run tb/looks/two_msis.its --events " + d + "/e.jsonl --vcd " + d + "/w.vcd", d + "/log"), 0)
        << slurp(d + "/log");
    const Vcd v = parse_vcd(slurp(d + "/w.vcd"));
    for (const char* n :
         {"cpu0.irq", "cpu0.intid", "gicr0.pending", "its.enabled", "its.cmdq.creadr", "its.cmdq.cwriter",
          "its.cmdq.occupancy", "its.cmdq.stalled", "its.engine.state", "its.engine.opcode", "its.xlate.ingress",
          "its.xlate.active", "its.mem.reads", "its.mem.writes", "its.cache.device.hits", "its.cache.device.misses",
          "its.cache.event.hits", "its.cache.event.misses", "its.cache.collection.hits",
          "its.cache.collection.misses", "bus.ram.busy", "bus.its.busy", "bus.gicr0.busy"})
        EXPECT_TRUE(v.has(n)) << n;
    EXPECT_FALSE(v.has("cpu1.irq"));   // platform cpus=1
    EXPECT_EQ(v.width.at("cpu0.intid"), 32u);
    EXPECT_EQ(v.width.at("cpu0.irq"), 1u);

    // Defaults: redist.signal_cycles = 2 at 1 GHz, cpu.ack_latency = 20 ns,
    // cpu.handler_latency = 200 ns.
    const uint64_t signal = 2000, ack_lat = 20000, handler = 200000;
    std::vector<Json> msis, acks;
    for (const Json& e : read_jsonl(d + "/e.jsonl")) {
        if (e.get("kind")->str == "msi") msis.push_back(e);
        if (e.get("kind")->str == "ack") acks.push_back(e);
    }
    ASSERT_EQ(msis.size(), 2u);
    ASSERT_EQ(acks.size(), 2u);
    std::vector<std::pair<uint64_t, std::string>> irq = {{0, "0"}}, intid = {{0, "z"}}, pend = {{0, "0"}};
    for (size_t i = 0; i < 2; ++i) {
        const uint64_t pending = u(msis[i], "pending_ps"), rise = pending + signal, ack = rise + ack_lat;
        EXPECT_EQ(u(acks[i], "t_ps"), ack);
        EXPECT_EQ(u(acks[i], "eoi_ps"), ack + handler);
        irq.push_back({rise, "1"});
        irq.push_back({ack, "0"});
        intid.push_back({ack, bits(8192 + i)});
        intid.push_back({ack + handler, "z"});
        pend.push_back({pending, "1"});
        pend.push_back({ack, "0"});
        // The MSI write reaches the ITS's bus port at accepted_ps.
        EXPECT_EQ(v.at("bus.its.busy", u(msis[i], "accepted_ps")), "1");
        EXPECT_EQ(v.at("bus.its.busy", u(msis[i], "accepted_ps") - 1), "0");
        EXPECT_EQ(v.at("its.xlate.active", u(msis[i], "started_ps")), "1");
    }
    EXPECT_EQ(v.edges("cpu0.irq"), irq);
    EXPECT_EQ(v.edges("cpu0.intid"), intid);   // 8192 = 0x2000 while its handler runs
    EXPECT_EQ(v.edges("gicr0.pending"), pend);
    EXPECT_EQ(v.at("cpu0.intid", u(acks[0], "t_ps")), "10000000000000");

    // Five commands: CWRITER at 5 * 32 bytes, CREADR catches up, queue empty.
    EXPECT_EQ(v.at("its.cmdq.cwriter", v.end), bits(5 * 32));
    EXPECT_EQ(v.at("its.cmdq.creadr", v.end), bits(5 * 32));
    EXPECT_EQ(v.at("its.cmdq.occupancy", v.end), "0");
    EXPECT_EQ(v.edges("its.cmdq.occupancy").at(1).second, "101");   // 5 queued by one CWRITER write
    EXPECT_EQ(v.at("its.enabled", 0), "1");
    EXPECT_EQ(v.edges("its.cmdq.stalled").size(), 1u);
    // The engine executed MAPC (0x09), MAPD (0x08), MAPTI (0x0A), SYNC (0x05) in that order.
    std::vector<std::string> ops;
    for (const auto& c : v.edges("its.engine.opcode")) ops.push_back(c.second);
    EXPECT_EQ(ops, (std::vector<std::string>{"0", "1001", "1000", "1010", "101"}));
    EXPECT_EQ(v.at("its.engine.state", v.end), "0");   // idle
    // Each MSI missed the event cache once; the second hit the collection cache.
    EXPECT_EQ(v.at("its.cache.event.misses", v.end), "10");
    EXPECT_GE(v.edges("bus.ram.busy").size(), 10u);
}

TEST(LooksRun, VcdToAnUnwritablePathIsAnError) {
    const std::string d = temp_dir("bad");
    EXPECT_EQ(run_itsim("run tb/looks/two_msis.its -q --vcd /nonexistent-dir/w.vcd", d + "/log"), 2);
    EXPECT_NE(slurp(d + "/log").find("/nonexistent-dir/w.vcd: error: cannot write the waveform file"),
              std::string::npos)
        << slurp(d + "/log");
}

TEST(LooksPlot, WritesThePicturesAndTheirData) {
    const std::string d = temp_dir("plot");
    ASSERT_EQ(run_itsim("run traces/bringup.its -q --events " + d + "/e.jsonl --stats " + d + "/s.json", d + "/log"), 0);
    // The event-log reader agrees with the statistics file.
    std::ifstream in(d + "/e.jsonl");
    LatencySamples s = read_event_log(in, "e.jsonl");
    const Json st = parse_json(slurp(d + "/s.json"));
    for (auto* set : {&s.msi_stages, &s.msi_totals})
        for (Series& x : *set) {
            std::sort(x.ps.begin(), x.ps.end());
            const std::string where = (set == &s.msi_stages ? "msi.stages." : "msi.latency.") + x.name;
            ASSERT_NE(st.path(where), nullptr) << where;
            EXPECT_EQ(x.ps.size(), st.path(where + ".count")->u) << where;
            for (const char* p : {"p50_ps", "p90_ps", "p99_ps", "max_ps"}) {
                const double pc = std::string(p) == "max_ps" ? 100 : std::atof(p + 1);
                EXPECT_EQ(percentile_sorted(x.ps, pc), st.path(where + "." + p)->u) << where << " " << p;
            }
        }
    for (Series& x : s.commands) {
        std::sort(x.ps.begin(), x.ps.end());
        const std::string where = "commands.latency_by_type." + x.name;
        ASSERT_NE(st.path(where), nullptr) << where;
        EXPECT_EQ(percentile_sorted(x.ps, 50), st.path(where + ".p50_ps")->u) << where;
    }

    ASSERT_EQ(run_itsim("plot --events " + d + "/e.jsonl --stats " + d + "/s.json --out " + d + "/p", d + "/plog"), 0)
        << slurp(d + "/plog");
    for (const char* png : {"msi_latency_hist.png", "msi_latency_cdf.png", "command_latency.png"}) {
        const std::string b = slurp(d + "/p/" + png);
        ASSERT_GT(b.size(), 10000u) << png;
        EXPECT_EQ(b.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << png;
    }
    // One line per command type with its count.
    const std::string cmds = slurp(d + "/p/command_latency.dat");
    EXPECT_NE(cmds.find("\"MAPTI (512)\""), std::string::npos) << cmds;
    EXPECT_NE(cmds.find("\"SYNC (24)\""), std::string::npos) << cmds;
    // A missing log is an input error.
    EXPECT_EQ(run_itsim("plot --events " + d + "/none.jsonl --out " + d + "/q", d + "/plog"), 2);
}

TEST(LooksSweepRun, RunsTheGridAndItsCommandLinesReproduceEachPoint) {
    const std::string d = temp_dir("sweep");
    ASSERT_EQ(run_itsim("sweep tb/looks/two_msis.its --grid cpu.ack_latency=20ns,50ns --grid mem.read_latency=50ns,80ns "
                    "--out " + d + "/s -j 2",
                    d + "/log"),
              0)
        << slurp(d + "/log");
    EXPECT_EQ(slurp(d + "/log").find('\r'), std::string::npos) << "progress bar drawn without a terminal";
    const std::string csv = slurp(d + "/s/sweep.csv");
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    EXPECT_EQ(line.rfind("point,cpu.ack_latency,mem.read_latency,exit_status,msis_delivered,"
                         "write_to_pending_p50_ps,write_to_pending_p90_ps,write_to_pending_p99_ps,"
                         "write_to_ack_p50_ps,write_to_ack_p90_ps,write_to_ack_p99_ps,",
                         0),
              0u)
        << line;
    std::vector<std::vector<std::string>> rows;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::stringstream ls(line);
        std::string x;
        while (std::getline(ls, x, ',')) f.push_back(x);
        rows.push_back(f);
    }
    ASSERT_EQ(rows.size(), 4u);
    const std::vector<std::string> cmds = [&] {
        std::vector<std::string> c;
        std::istringstream in(slurp(d + "/s/commands.txt"));
        std::string l;
        while (std::getline(in, l)) c.push_back(l);
        return c;
    }();
    ASSERT_EQ(cmds.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
        const auto& r = rows[i];
        EXPECT_EQ(r[0], std::to_string(i + 1));
        EXPECT_EQ(r[1], i < 2 ? "20ns" : "50ns");
        EXPECT_EQ(r[2], i % 2 ? "80ns" : "50ns");
        EXPECT_EQ(r[3], "0");
        EXPECT_EQ(r[4], "2");
        // Idle system: write_to_ack = write_to_pending + 2 ns line + ack latency, at every percentile.
        const uint64_t ack = i < 2 ? 20000 : 50000;
        for (int k = 0; k < 3; ++k) EXPECT_EQ(std::stoull(r[8 + k]), std::stoull(r[5 + k]) + 2000 + ack) << i;
        // The command column is the line in commands.txt.
        EXPECT_NE(csv.find(cmds[i]), std::string::npos);
        EXPECT_NE(cmds[i].find("--set cpu.ack_latency=" + r[1] + " --set mem.read_latency=" + r[2]),
                  std::string::npos);
    }
    // A slower memory makes the (table-reading) MSIs slower: p99 write_to_pending grows.
    EXPECT_GT(std::stoull(rows[1][7]), std::stoull(rows[0][7]));
    // Running a line of commands.txt by hand gives the same statistics, byte for byte.
    const std::string ref = slurp(d + "/s/points/0003/stats.json");
    ASSERT_GT(ref.size(), 100u);
    ASSERT_EQ(sh("sed -n 3p " + d + "/s/commands.txt | sh >/dev/null 2>&1"), 0);
    EXPECT_TRUE(slurp(d + "/s/points/0003/stats.json") == ref);
    EXPECT_NE(slurp(d + "/s/slurm.sh").find("#SBATCH --array=1-4"), std::string::npos);
    EXPECT_EQ(slurp(d + "/s/sweep.png").substr(0, 4), std::string("\x89PNG", 4));
    // --collect rebuilds the table from what is there, running nothing.
    std::remove((d + "/s/sweep.csv").c_str());
    ASSERT_EQ(run_itsim("sweep tb/looks/two_msis.its --grid cpu.ack_latency=20ns,50ns --grid mem.read_latency=50ns,80ns "
                    "--out " + d + "/s --collect --gnuplot ''",
                    d + "/log"),
              0)
        << slurp(d + "/log");
    EXPECT_TRUE(slurp(d + "/s/sweep.csv") == csv);
    // A key the trace's platform line sets cannot be swept; a bad value is refused before running.
    EXPECT_EQ(run_itsim("sweep tb/looks/two_msis.its --grid cpus=1,2 --out " + d + "/t", d + "/log"), 2);
    EXPECT_NE(slurp(d + "/log").find("the trace's platform line sets cpus"), std::string::npos) << slurp(d + "/log");
    EXPECT_EQ(run_itsim("sweep tb/looks/two_msis.its --grid mem.read_latency=fast --out " + d + "/t", d + "/log"), 2);
    EXPECT_FALSE(exists(d + "/t/points"));
}
