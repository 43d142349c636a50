// End-to-end tests of GICv4 runs (end_to_end.h): traces/v4_kvm.its, Linux's
// and KVM's sequence, runs on GICv4.1 (its platform line) and unchanged on
// GICv4.0, in both timing modes, its expects and the checker passing; the
// software's part of it in the event log (VMAPP's fields it filled in, the
// schedule/deschedule records with their Dirty polls) as the parameters make
// it; a GICv4 line on a GICv3 platform is an error at its position.
#include "end_to_end.h"

namespace itsim {
namespace {

std::string kvm_trace(const std::string& version) {
    std::string t = slurp(source_path("traces/v4_kvm.its"));
    const std::string from = "platform gic.version=4.1";
    const size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos);
    if (at != std::string::npos) t.replace(at, from.size(), "platform gic.version=" + version);
    return t;
}

void run_kvm(const std::string& version, const std::string& mode, const std::vector<std::string>& sets = {}) {
    SCOPED_TRACE("gic.version=" + version + " mode=" + mode);
    Scratch tmp;
    const std::string path = tmp.write("v4_kvm.its", kvm_trace(version));
    RunOptions o = quiet_run(path);
    o.sets.push_back("mode=" + mode);
    for (const std::string& s : sets) o.sets.push_back(s);
    o.events_path = tmp.path("e.jsonl");
    o.check = true;
    std::ostringstream out, err;
    ASSERT_EQ(run_command(o, out, err), 0) << err.str();
    const std::vector<Json> log = read_event_log(o.events_path);
    unsigned schedules = 0, deschedules = 0;
    bool vmapp_seen = false;
    // The redistributors' side of each (de)schedule: when Dirty went to 0.
    std::vector<const Json*> rd_side;
    for (const Json& e : log)
        if (e.at("kind").s == "residency") rd_side.push_back(&e);
    for (const Json& e : log) {
        if (e.at("kind").s == "vcpu") {
            const bool sched = e.at("op").s == "schedule";
            (sched ? schedules : deschedules)++;
            // The software's poll ends when it reads Dirty = 0: after the
            // write, and not before that redistributor's parse (schedule)
            // or write-back (deschedule) was done.
            EXPECT_GE(e.at("polls").u, 1u);
            EXPECT_GT(e.at("t_ps").u, e.at("written_ps").u);
            const Json* rd = nullptr;
            for (const Json* r : rd_side)
                if (r->at("cpu").u == e.at("cpu").u && r->at("state").s == (sched ? "resident" : "nonresident") &&
                    r->at("written_ps").u >= e.at("written_ps").u && r->at("written_ps").u <= e.at("t_ps").u)
                    rd = r;
            ASSERT_NE(rd, nullptr) << "no redistributor record for the " << e.at("op").s << " at "
                                   << e.at("written_ps").u;
            EXPECT_LE(rd->at("dirty_ps").u, e.at("t_ps").u);
            EXPECT_EQ(rd->at("vpeid").u, e.at("vpeid").u);
        }
        if (e.at("kind").s == "command" && e.at("op").s == "VMAPP" && e.at("seq").u == 1) {
            vmapp_seen = true;
            // Filled in by the software: VPT_size = its.lpi_bits - 1 = 15, a
            // 64 KiB-aligned VPT above the trace's 256 MiB; GICv4.1 also the
            // VM's table, vPE 0's doorbell 0xFF00 and Alloc (its first map).
            EXPECT_EQ(e.at("vpt_size").u, 15u);
            EXPECT_EQ(e.at("vpt").u % 0x10000, 0u);
            EXPECT_GE(e.at("vpt").u, 0x50000000u);
            if (version == "4.1") {
                EXPECT_EQ(e.at("default_doorbell").u, 0xFF00u);
                EXPECT_EQ(e.at("alloc").u, 1u);
                EXPECT_GE(e.at("vconf").u, 0x50000000u);
            }
        }
    }
    EXPECT_TRUE(vmapp_seen);
    EXPECT_EQ(schedules, 3u);     // the trace's three schedule lines
    EXPECT_EQ(deschedules, 3u);   // and three deschedule lines
}

// One run a process (SystemC elaborates once): a TEST each.
TEST(EndToEndV4, KvmSequenceOnGicv41Accurate) { run_kvm("4.1", "accurate"); }
TEST(EndToEndV4, KvmSequenceOnGicv41Fast) { run_kvm("4.1", "fast"); }
TEST(EndToEndV4, KvmSequenceOnGicv40Accurate) { run_kvm("4.0", "accurate"); }
TEST(EndToEndV4, KvmSequenceOnGicv40Fast) { run_kvm("4.0", "fast"); }
// The vPE table two-level (its.vpe_table=indirect, 4 KiB pages: 128 vPEs a
// level-2 page), which GICv4.1 redistributors read too (GICR_VPROPBASER).
TEST(EndToEndV4, KvmSequenceTwoLevelVpeTable) {
    run_kvm("4.1", "accurate", {"its.vpe_table=indirect", "its.page_size=4K"});
}

TEST(EndToEndV4, Gicv4LinesNeedAGicv4Platform) {
    Scratch tmp;
    const std::string path = tmp.write("t.its", "itsim-trace 1\n@1us schedule cpu=0 vpeid=0\n");
    std::ostringstream out, err;
    EXPECT_EQ(run_command(quiet_run(path), out, err), 2);
    EXPECT_NE(err.str().find(path + ":2:6: error: 'schedule' needs GICv4"), std::string::npos) << err.str();
    const std::string sgi = tmp.write("s.its", "itsim-trace 1\nplatform gic.version=4.0\nsgi vpeid=0 vintid=1\n");
    std::ostringstream out2, err2;
    EXPECT_EQ(run_command(quiet_run(sgi), out2, err2), 2);
    EXPECT_NE(err2.str().find(sgi + ":3:1: error: 'sgi' needs GICv4.1"), std::string::npos) << err2.str();
    const std::string vpe = tmp.write("v.its", "itsim-trace 1\nplatform gic.version=4.1 gic.vpes=2\n"
                                               "schedule cpu=0 vpeid=2\n");
    std::ostringstream out3, err3;
    EXPECT_EQ(run_command(quiet_run(vpe), out3, err3), 2);
    EXPECT_NE(err3.str().find(vpe + ":3:22: error: vPE 2 is not set up (gic.vpes=2"), std::string::npos)
        << err3.str();
    const std::string its = tmp.write("i.its", "itsim-trace 1\nkick its=1\n");
    std::ostringstream out4, err4;
    EXPECT_EQ(run_command(quiet_run(its), out4, err4), 2);
    EXPECT_NE(err4.str().find(its + ":2:10: error: its=1 does not exist (its.count=1"), std::string::npos)
        << err4.str();
}

}  // namespace
}  // namespace itsim
