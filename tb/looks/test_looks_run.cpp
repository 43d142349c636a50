// tb/looks: the itsim binary (next to this test in the build tree): two
// runs of one trace give byte-identical event logs, statistics and VCDs;
// --vcd changes neither the log nor the statistics; gtkwave's vcd2fst reads
// the VCD (and fst2vcd gives the same changes back); the waveform of
// tb/looks/two_msis.its has each signal change where the event log and the
// parameters say it must; `itsim plot`; `itsim sweep` (CSV values,
// commands.txt lines that reproduce a point's statistics byte for byte).
// The helpers: looks_helpers.h.
#include "looks_helpers.h"

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
