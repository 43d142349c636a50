// tb/looks: `itsim plot` and `itsim sweep` on GICv4 runs. The plot's
// virtual samples (platform/plot_v4.h, from the event log) are the
// statistics file's "virtual" distributions, sample count and percentiles
// alike, and become virtual_latency.png; a sweep of GICv4 runs has the
// virtual path's columns, equal to each point's statistics, and a GICv3
// sweep has none of them.
#include "looks_helpers.h"

namespace {

const char* const kVirtual[3] = {"vlpi_write_to_vack", "vlpi_write_to_doorbell", "doorbell_to_schedule"};

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string x;
    while (std::getline(ls, x, ',')) f.push_back(x);
    return f;
}

TEST(LooksPlotV4, VirtualSamplesAreTheStatisticsAndArePlotted) {
    const std::string d = temp_dir("plotv4");
    // v4_kvm: resident deliveries, doorbells and schedules; v4_doorbell: a
    // doorbell and no resident delivery.
    for (const char* trace : {"traces/v4_kvm.its", "traces/v4_doorbell.its"}) {
        ASSERT_EQ(run_itsim(std::string("run ") + trace + " -q --events " + d + "/e.jsonl --stats " + d + "/s.json",
                            d + "/log"),
                  0)
            << slurp(d + "/log");
        std::ifstream in(d + "/e.jsonl");
        LatencySamples s = read_event_log(in, "e.jsonl");
        const Json st = parse_json(slurp(d + "/s.json"));
        ASSERT_EQ(s.virtual_series.size(), 3u) << trace;
        size_t samples = 0;
        for (size_t k = 0; k < 3; ++k) {
            Series& x = s.virtual_series[k];
            EXPECT_EQ(x.name, kVirtual[k]);
            std::sort(x.ps.begin(), x.ps.end());
            samples += x.ps.size();
            const std::string where = std::string("virtual.") + kVirtual[k];
            if (x.ps.empty()) {   // the statistics have no distribution without samples
                EXPECT_EQ(st.path(where), nullptr) << trace << " " << where;
                continue;
            }
            ASSERT_NE(st.path(where), nullptr) << trace << " " << where;
            EXPECT_EQ(x.ps.size(), st.path(where + ".count")->u) << trace << " " << where;
            for (const char* p : {"p50_ps", "p90_ps", "p99_ps", "max_ps"}) {
                const double pc = std::string(p) == "max_ps" ? 100 : std::atof(p + 1);
                EXPECT_EQ(percentile_sorted(x.ps, pc), st.path(where + "." + p)->u) << trace << " " << where << " " << p;
            }
        }
        EXPECT_GT(samples, 0u) << trace;
    }
    // v4_doorbell (the last run): the doorbell rings 194 ns after the write
    // in the statistics; the plot's sample is the same number.
    std::ifstream in(d + "/e.jsonl");
    const LatencySamples s = read_event_log(in, "e.jsonl");
    ASSERT_EQ(s.virtual_series[1].ps.size(), 1u);
    ASSERT_TRUE(s.virtual_series[0].ps.empty());   // its vLPIs went to the VPT
    // The pictures: virtual_latency.png beside the others, its data and script.
    PlotOptions o;
    o.events_path = d + "/e.jsonl";
    o.stats_path = d + "/s.json";
    o.out_dir = d + "/p";
    std::ostringstream out, err;
    ASSERT_EQ(plot_command(o, out, err), 0) << err.str();
    EXPECT_EQ(err.str(), "");   // no "not the same run" warning
    EXPECT_NE(out.str().find("virtual_latency.png"), std::string::npos);
    EXPECT_EQ(slurp(d + "/p/virtual_latency.png").substr(0, 4), std::string("\x89PNG", 4));
    EXPECT_NE(slurp(d + "/p/plots.gp").find("virtual_hist.dat"), std::string::npos);
    EXPECT_NE(slurp(d + "/p/virtual_hist.dat").find("# center_ns"), std::string::npos);
    // A GICv3 log: no virtual picture.
    ASSERT_EQ(run_itsim("run tb/looks/two_msis.its -q --events " + d + "/e3.jsonl", d + "/log"), 0);
    std::ifstream in3(d + "/e3.jsonl");
    EXPECT_TRUE(read_event_log(in3, "e3.jsonl").virtual_series.empty());
    o.events_path = d + "/e3.jsonl";
    o.stats_path.clear();
    o.out_dir = d + "/p3";
    o.gnuplot.clear();
    std::ostringstream out3, err3;
    ASSERT_EQ(plot_command(o, out3, err3), 0) << err3.str();
    EXPECT_EQ(out3.str().find("virtual"), std::string::npos);
    EXPECT_FALSE(exists(d + "/p3/virtual_hist.dat"));
    EXPECT_EQ(slurp(d + "/p3/plots.gp").find("virtual"), std::string::npos);
}

TEST(LooksSweepV4, VirtualColumnsAreEachPointsStatisticsAndOnlyForGicv4) {
    const std::string d = temp_dir("sweepv4");
    ASSERT_EQ(run_itsim("sweep traces/v4_doorbell.its --grid redist.vpt_parse_cycles=300,3000 --out " + d +
                            "/s -j 2 --gnuplot ''",
                        d + "/log"),
              0)
        << slurp(d + "/log");
    std::istringstream lines(slurp(d + "/s/sweep.csv"));
    std::string line;
    std::getline(lines, line);
    const std::vector<std::string> head = split(line);
    std::vector<std::string> want;
    for (const char* c : {"vlpi_write_to_vack", "vlpi_write_to_doorbell", "doorbell_to_schedule", "vmapp", "vmovp"})
        for (const char* p : {"_p50_ps", "_p90_ps", "_p99_ps"}) want.push_back(std::string(c) + p);
    want.push_back("its_vpe_hit_rate");
    const auto at = std::find(head.begin(), head.end(), "redist_config_hit_rate");
    ASSERT_NE(at, head.end()) << line;
    EXPECT_EQ(std::vector<std::string>(at + 1, at + 1 + want.size()), want) << line;
    EXPECT_EQ(head.back(), "command");
    auto col = [&](const std::string& name) { return size_t(std::find(head.begin(), head.end(), name) - head.begin()); };
    std::vector<std::vector<std::string>> rows;
    while (std::getline(lines, line)) rows.push_back(split(line));
    ASSERT_EQ(rows.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        const Json st = parse_json(slurp(d + "/s/points/000" + std::to_string(i + 1) + "/stats.json"));
        const auto& r = rows[i];
        EXPECT_EQ(r[col("vlpi_write_to_doorbell_p50_ps")],
                  std::to_string(st.path("virtual.vlpi_write_to_doorbell.p50_ps")->u));
        EXPECT_EQ(r[col("doorbell_to_schedule_p99_ps")], std::to_string(st.path("virtual.doorbell_to_schedule.p99_ps")->u));
        EXPECT_EQ(r[col("vmapp_p50_ps")], std::to_string(st.path("commands.latency_by_type.VMAPP.p50_ps")->u));
        EXPECT_EQ(r[col("vlpi_write_to_vack_p50_ps")], "");   // no resident delivery in this trace
        EXPECT_EQ(r[col("vmovp_p50_ps")], "");                // nor a VMOVP
        EXPECT_FALSE(r[col("its_vpe_hit_rate")].empty());
    }
    // The doorbell rings before any schedule: the parse time does not touch
    // it; the schedule after it waits for the longer parse (2700 cycles at
    // 1 GHz more, to within the hypervisor's 1 us Dirty poll).
    EXPECT_EQ(rows[0][col("vlpi_write_to_doorbell_p50_ps")], rows[1][col("vlpi_write_to_doorbell_p50_ps")]);
    const uint64_t s0 = std::stoull(rows[0][col("doorbell_to_schedule_p50_ps")]);
    const uint64_t s1 = std::stoull(rows[1][col("doorbell_to_schedule_p50_ps")]);
    EXPECT_GE(s1, s0 + 2700000 - 1000000);
    EXPECT_LE(s1, s0 + 2700000 + 1000000);
    // GICv3: the table as it always was.
    ASSERT_EQ(run_itsim("sweep tb/looks/two_msis.its --grid cpu.ack_latency=20ns --out " + d + "/t --gnuplot ''",
                        d + "/log"),
              0)
        << slurp(d + "/log");
    std::istringstream l3(slurp(d + "/t/sweep.csv"));
    std::getline(l3, line);
    EXPECT_EQ(line.substr(line.find(",its_device_hit_rate")),
              ",its_device_hit_rate,its_event_hit_rate,its_collection_hit_rate,redist_config_hit_rate,command");
}

}  // namespace
