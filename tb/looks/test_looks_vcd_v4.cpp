// tb/looks: the virtual path's waveforms (platform/vcd_v4.h) of
// traces/v4_doorbell.its (GICv4.1: vPE 0 scheduled on CPU 0, descheduled
// with a doorbell request, two vLPIs that ring the doorbell once, then
// scheduled again and both taken), read back and checked against the
// event log and the parameters, in both timing modes; a GICv3 VCD has none
// of these signals.
#include "looks_helpers.h"

namespace {

// Defaults (itsim params): 1 GHz everywhere, bus.hop_cycles = 2,
// redist.register_cycles = 2, redist.signal_cycles = 2,
// redist.vpt_parse_cycles = 300, cpu.ack_latency = cpu.vack_latency = 20 ns,
// cpu.vhandler_latency = 200 ns.
constexpr uint64_t kNs = 1000;
constexpr uint64_t kHop = 2 * kNs, kRegister = 2 * kNs, kSignal = 2 * kNs, kParse = 300 * kNs;
constexpr uint64_t kAck = 20 * kNs, kVack = 20 * kNs, kVhandler = 200 * kNs;
constexpr uint32_t kDoorbell = 0xFF00;   // gic.doorbell_base + vPE 0

std::vector<Json> of_kind(const std::vector<Json>& log, const char* kind) {
    std::vector<Json> out;
    for (const Json& e : log)
        if (e.get("kind") && e.get("kind")->str == kind) out.push_back(e);
    return out;
}

class LooksVcdV4 : public ::testing::TestWithParam<const char*> {};

TEST_P(LooksVcdV4, DoorbellTraceSignalsChangeWhereTheLogAndTheParametersSay) {
    const std::string mode = GetParam();
    const std::string d = temp_dir("v4");
    ASSERT_EQ(run_itsim("run traces/v4_doorbell.its -q --check --set mode=" + mode + " --events " + d +
                            "/e.jsonl --vcd " + d + "/w.vcd",
                        d + "/log"),
              0)
        << slurp(d + "/log");
    const Vcd v = parse_vcd(slurp(d + "/w.vcd"));
    const std::vector<Json> log = read_jsonl(d + "/e.jsonl");
    for (unsigned c = 0; c < 4; ++c) {
        const std::string g = "gicr" + std::to_string(c);
        for (const std::string& n : {"cpu" + std::to_string(c) + ".virq", "cpu" + std::to_string(c) + ".vintid",
                                     g + ".vpe.dirty", g + ".vpe.vpending", g + ".doorbells"})
            EXPECT_TRUE(v.has(n)) << n;
    }
    EXPECT_TRUE(v.has("vpe0.cpu"));
    EXPECT_TRUE(v.has("vpe1.cpu"));    // gic.vpes=2
    EXPECT_FALSE(v.has("vpe2.cpu"));
    EXPECT_EQ(v.width.at("cpu0.vintid"), 32u);
    EXPECT_EQ(v.width.at("vpe0.cpu"), 8u);

    // Residency: the software's writes (vcpu) reach the redistributor one
    // bus hop and a register access later (residency.written_ps); Dirty
    // reads 1 from there to dirty_ps, and vPE 0 is resident on CPU 0 from
    // each schedule's write to the deschedule's.
    const std::vector<Json> vcpu = of_kind(log, "vcpu"), res = of_kind(log, "residency");
    ASSERT_EQ(vcpu.size(), 3u);
    ASSERT_EQ(res.size(), 3u);
    std::vector<std::pair<uint64_t, std::string>> dirty = {{0, "0"}}, where = {{0, "z"}};
    for (size_t i = 0; i < 3; ++i) {
        const bool schedule = vcpu[i].get("op")->str == "schedule";
        EXPECT_EQ(schedule, i != 1);
        EXPECT_EQ(res[i].get("state")->str, schedule ? "resident" : "nonresident");
        const uint64_t w = u(res[i], "written_ps");
        EXPECT_EQ(w, u(vcpu[i], "written_ps") + kHop + kRegister) << i;
        dirty.push_back({w, "1"});
        dirty.push_back({u(res[i], "dirty_ps"), "0"});
        where.push_back({w, schedule ? "0" : "z"});
    }
    // The deschedule writes nothing back (no vLPI was pending): Dirty is
    // the engine's vpt_parse_cycles alone.
    EXPECT_EQ(u(res[1], "dirty_ps"), u(res[1], "written_ps") + kParse);
    EXPECT_EQ(v.edges("gicr0.vpe.dirty"), dirty);
    EXPECT_EQ(v.edges("vpe0.cpu"), where);
    EXPECT_EQ(v.edges("vpe1.cpu"), (std::vector<std::pair<uint64_t, std::string>>{{0, "z"}}));
    EXPECT_EQ(v.edges("gicr1.vpe.dirty").size(), 1u);   // no other redistributor took a write

    // The doorbell: LPI 0xFF00 pending at CPU 0 from its pend record (cause
    // doorbell) to the host's acknowledge, a signal and an ack latency later.
    std::vector<Json> db_pend;
    for (const Json& p : of_kind(log, "pend"))
        if (p.get("cause") && p.get("cause")->str == "doorbell") db_pend.push_back(p);
    ASSERT_EQ(db_pend.size(), 1u);
    EXPECT_EQ(u(db_pend[0], "intid"), kDoorbell);
    const uint64_t rung = u(db_pend[0], "t_ps");
    const uint64_t taken = rung + kSignal + kAck;
    bool acked = false;
    for (const Json& a : of_kind(log, "ack"))
        if (u(a, "intid") == kDoorbell) {
            EXPECT_EQ(u(a, "t_ps"), taken);
            acked = true;
        }
    EXPECT_TRUE(acked);
    EXPECT_EQ(v.edges("gicr0.doorbells"),
              (std::vector<std::pair<uint64_t, std::string>>{{0, "0"}, {rung, "1"}, {taken, "0"}}));
    // It rang while the vPE was resident nowhere.
    EXPECT_EQ(v.at("vpe0.cpu", rung), "z");

    // The second schedule's parse finds both vLPIs: the virtual line rises
    // a signal latency after the parse (dirty_ps less the engine's time),
    // the virtual interface takes 8193 (priority 0x80) first, then 8192
    // (0xA0) after the first handler; the line falls with the last one.
    const uint64_t parsed = u(res[2], "dirty_ps") - kParse;
    const uint64_t rise = parsed + kSignal, first = rise + kVack, second = first + kVhandler + kVack;
    const std::vector<Json> vacks = of_kind(log, "vack");
    ASSERT_EQ(vacks.size(), 2u);
    EXPECT_EQ(u(vacks[0], "signalled_ps"), rise);
    EXPECT_EQ(u(vacks[0], "t_ps"), first);
    EXPECT_EQ(u(vacks[1], "t_ps"), second);
    EXPECT_EQ(v.edges("cpu0.virq"),
              (std::vector<std::pair<uint64_t, std::string>>{{0, "0"}, {rise, "1"}, {second, "0"}}));
    EXPECT_EQ(v.edges("cpu0.vintid"), (std::vector<std::pair<uint64_t, std::string>>{
                                          {0, "z"},
                                          {first, bits(8193)},
                                          {first + kVhandler, "z"},
                                          {second, bits(8192)},
                                          {second + kVhandler, "z"}}));
    EXPECT_EQ(v.at("gicr0.vpe.vpending", rise), "10");   // 2 pending
    EXPECT_EQ(v.at("gicr0.vpe.vpending", first), "1");
    EXPECT_EQ(v.at("gicr0.vpe.vpending", second), "0");
    EXPECT_EQ(v.at("gicr0.vpe.vpending", u(res[0], "dirty_ps")), "0");   // nothing found the first time
    EXPECT_EQ(v.edges("cpu1.virq").size(), 1u);
    // The V commands in the command lane: VMAPP (0x29) and VMAPTI (0x2A)
    // executed (accurate mode: fast mode samples the ITS at quantum
    // granularity, vcd.h, and shows the batch's last command only).
    if (mode == "fast") return;
    bool vmapp = false, vmapti = false;
    for (const auto& c : v.edges("its.engine.opcode")) {
        vmapp = vmapp || c.second == bits(0x29);
        vmapti = vmapti || c.second == bits(0x2A);
    }
    EXPECT_TRUE(vmapp);
    EXPECT_TRUE(vmapti);
}

INSTANTIATE_TEST_SUITE_P(BothModes, LooksVcdV4, ::testing::Values("accurate", "fast"));

// traces/v4_migration_itslist.its: two GICv4.0 ITSs with ITSList; each
// ITS's lane shows its own VMOVPs (0x22), VSYNCs (0x25) and VMAPP (0x29),
// and vPE 0 moves CPU 0 -> 1 -> 0 at the schedules' writes.
TEST(LooksVcdV4Lanes, EachItsHasItsCommandLane) {
    const std::string d = temp_dir("lanes");
    ASSERT_EQ(run_itsim("run traces/v4_migration_itslist.its -q --events " + d + "/e.jsonl --vcd " + d + "/w.vcd",
                        d + "/log"),
              0)
        << slurp(d + "/log");
    const Vcd v = parse_vcd(slurp(d + "/w.vcd"));
    ASSERT_TRUE(v.has("its1.engine.opcode"));
    EXPECT_FALSE(v.has("its2.engine.opcode"));
    for (const char* lane : {"its.engine.opcode", "its1.engine.opcode"}) {
        size_t vmovp = 0, vmapp = 0;
        for (const auto& c : v.edges(lane)) {
            vmovp += c.second == bits(0x22);
            vmapp += c.second == bits(0x29);
        }
        EXPECT_EQ(vmovp, 2u) << lane;   // one per migration
        EXPECT_EQ(vmapp, 1u) << lane;
    }
    // Each ITS ran 11 commands of 32 bytes: CREADR ends at 11 x 32.
    EXPECT_EQ(v.at("its1.cmdq.creadr", v.end), bits(11 * 32));
    EXPECT_EQ(v.at("its.cmdq.creadr", v.end), bits(11 * 32));
    std::vector<std::pair<uint64_t, std::string>> where = {{0, "z"}};
    for (const Json& r : read_jsonl(d + "/e.jsonl"))
        if (r.get("kind")->str == "residency")
            where.push_back({u(r, "written_ps"), r.get("state")->str == "resident" ? std::to_string(u(r, "cpu")) : "z"});
    ASSERT_EQ(where.size(), 6u);   // 3 schedules, 2 deschedules
    for (auto& w : where)
        if (w.second != "z") w.second = w.second == "0" ? "0" : bits(std::stoull(w.second));
    EXPECT_EQ(v.edges("vpe0.cpu"), where);
    EXPECT_EQ(v.at("vpe0.cpu", where[3].first), "1");
}

TEST(LooksVcdV4Only, AGicv3WaveformHasNoVirtualSignalAndAV4OneReadsBackThroughGtkwave) {
    const std::string d = temp_dir("v4only");
    ASSERT_EQ(run_itsim("run tb/looks/two_msis.its -q --vcd " + d + "/v3.vcd", d + "/log"), 0) << slurp(d + "/log");
    const Vcd v3 = parse_vcd(slurp(d + "/v3.vcd"));
    for (const auto& [name, w] : v3.width) {
        EXPECT_EQ(name.find("virq"), std::string::npos) << name;
        EXPECT_EQ(name.find(".vpe"), std::string::npos) << name;
        EXPECT_NE(name.rfind("vpe", 0), 0u) << name;
        EXPECT_EQ(name.find("doorbells"), std::string::npos) << name;
    }
    EXPECT_EQ(slurp(d + "/v3.vcd").find("GICv4"), std::string::npos);
    // Two v4 runs: the same bytes; gtkwave's vcd2fst / fst2vcd keep every change.
    for (const char* r : {"a", "b"})
        ASSERT_EQ(run_itsim("run traces/v4_doorbell.its -q --vcd " + d + "/" + r + ".vcd", d + "/log"), 0);
    EXPECT_TRUE(slurp(d + "/a.vcd") == slurp(d + "/b.vcd"));
    ASSERT_EQ(sh("command -v vcd2fst >/dev/null && command -v fst2vcd >/dev/null"), 0);
    ASSERT_EQ(sh("vcd2fst " + d + "/a.vcd " + d + "/a.fst >/dev/null 2>&1"), 0);
    ASSERT_EQ(sh("fst2vcd " + d + "/a.fst >" + d + "/back.vcd 2>/dev/null"), 0);
    const Vcd ours = parse_vcd(slurp(d + "/a.vcd")), back = parse_vcd(slurp(d + "/back.vcd"));
    for (const char* n : {"cpu0.virq", "cpu0.vintid", "gicr0.vpe.dirty", "gicr0.doorbells", "vpe0.cpu"}) {
        ASSERT_TRUE(back.has(n)) << n;
        EXPECT_EQ(ours.edges(n), back.edges(n)) << n;
    }
}

}  // namespace
