// The reference model's GICv4 side (ref_core_virtual.cpp) and several ITSs
// on small hand-written traces. Every expected value is worked out by hand
// from the architecture and the model's documented choices (the comments
// say how): error codes are 0x01 <opcode> <reason> as the error table
// defines them (its_cmd.h), the doorbell of vPE v is gic.doorbell_base
// (0xFF00 = 65280) + v, each VMAPP's VPT, VCONF and Default_Doorbell the
// software's.
#include <gtest/gtest.h>

#include <sstream>

#include "ref/ref_compare.h"
#include "ref/ref_model.h"

namespace itsim::ref {
namespace {

Result run_text(const std::string& body, bool guard = false) {
    Options o;
    o.race_guard = guard;
    return run(parse_trace("itsim-trace 1\n" + body, "t.its"), o);
}

uint32_t status(const Result& r, size_t seq) {
    EXPECT_TRUE(r.commands.at(seq - 1).ran) << "cmd " << seq;
    return r.commands.at(seq - 1).status;
}

uint64_t rings(const Result& r, uint32_t vpeid) {
    auto it = r.doorbells.find(vpeid);
    return it == r.doorbells.end() ? 0 : it->second;
}

// Commands 1-4: device 1 with 16 events; vPE 0 on CPU 0 and vPE 1 on CPU 1;
// event 0 -> vLPI 8192 of vPE 0 (doorbell 1023 as Linux on GICv4.1).
const char* kV41 =
    "platform gic.version=4.1 gic.vpes=2 gic.vpes_per_vm=2 its.page_size=4K\n"
    "cmd op=MAPD device=1 itt=0x40001000 size=3 valid=1\n"
    "cmd op=VMAPP vpeid=0 rdbase=0 valid=1\n"
    "cmd op=VMAPP vpeid=1 rdbase=1 valid=1\n"
    "cmd op=VMAPTI device=1 event=0 vpeid=0 vintid=8192 doorbell=1023\n"
    "wait until=drained\n";

TEST(RefVirtual, CommandErrorsInTheModelsCheckOrder) {
    const Result r = run_text(std::string(kV41) +
                              "cmd op=VMAPP vpeid=0 rdbase=4 valid=1\n"                    // 5: no CPU 4
                              "cmd op=VMAPP vpeid=0 rdbase=0 vpt_size=16 valid=1\n"        // 6: 17 vINTID bits
                              "cmd op=VMAPP vpeid=0 rdbase=0 default_doorbell=5 valid=1\n" // 7: not an LPI
                              "cmd op=VMAPP vpeid=32768 rdbase=0 valid=1\n"                // 8: 4K flat: 32768 vPEs
                              "cmd op=VMAPP vpeid=40000 rdbase=9 vpt_size=31 valid=0\n"    // 9: V=0: only the vPEID
                              "cmd op=VMAPTI device=2 event=0 vpeid=0 vintid=8192 doorbell=1023\n"   // 10
                              "cmd op=VMAPTI device=1 event=16 vpeid=0 vintid=8192 doorbell=1023\n"  // 11
                              "cmd op=VMAPTI device=1 event=1 vpeid=0 vintid=100 doorbell=1023\n"    // 12
                              "cmd op=VMAPTI device=1 event=1 vpeid=0 vintid=8193 doorbell=7\n"      // 13
                              "cmd op=VMAPTI device=1 event=1 vpeid=40000 vintid=8193 doorbell=1023\n"   // 14
                              "cmd op=VMAPTI device=1 event=1 vpeid=3 vintid=8193 doorbell=1023\n"   // 15: ok, unmapped vPE
                              "cmd op=INT device=1 event=1\n"                              // 16: its vPE is unmapped
                              "cmd op=MOVI device=1 event=0 icid=0\n"                      // 17: a virtual ITE
                              "cmd op=VMOVI device=1 event=0 vpeid=1 doorbell=3 db_valid=1\n"   // 18: doorbell first
                              "cmd op=MAPTI device=1 event=2 intid=8200 icid=0\n"          // 19
                              "cmd op=VMOVI device=1 event=2 vpeid=1 doorbell=0 db_valid=0\n"   // 20: physical
                              "cmd op=VMOVI device=1 event=1 vpeid=1 doorbell=0 db_valid=0\n"   // 21: ITE's vPE 3
                              "cmd op=VMOVI device=1 event=0 vpeid=3 doorbell=0 db_valid=0\n"   // 22: vPE 3 unmapped
                              "cmd op=VMOVI device=1 event=0 vpeid=40000 doorbell=0 db_valid=0\n" // 23
                              "cmd op=VSYNC vpeid=3\n"                                     // 24
                              "cmd op=VINVALL vpeid=40000\n"                               // 25
                              "cmd op=INVDB vpeid=3\n"                                     // 26
                              "cmd op=VSGI vpeid=3 vintid=1 priority=0 group=1 clear=0 enable=1\n"   // 27
                              "cmd op=VMOVP seqnum=0 its_list=0 vpeid=3 rdbase=0 db=0 default_doorbell=0\n"   // 28
                              "cmd op=VMOVP seqnum=0 its_list=0 vpeid=0 rdbase=7 db=0 default_doorbell=0\n"   // 29
                              "wait until=drained\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    for (size_t s = 1; s <= 4; ++s) EXPECT_EQ(status(r, s), 0u) << s;
    EXPECT_EQ(status(r, 5), 0x012902u);    // VMAPP_PROCNUM_OOR
    EXPECT_EQ(status(r, 6), 0x012912u);    // VMAPP_VPTSIZE_OOR
    EXPECT_EQ(status(r, 7), 0x012906u);    // VMAPP_PHYSICALID_OOR (Default_Doorbell)
    EXPECT_EQ(status(r, 8), 0x012911u);    // VMAPP_VCPU_OOR: 256 pages x 4096 / 32 = 32768 vPEIDs
    EXPECT_EQ(status(r, 9), 0x012911u);
    EXPECT_EQ(status(r, 10), 0x012A04u);   // VMAPTI_UNMAPPED_DEVICE
    EXPECT_EQ(status(r, 11), 0x012A05u);   // VMAPTI_ID_OOR
    EXPECT_EQ(status(r, 12), 0x012A13u);   // VMAPTI_VIRTUALID_OOR
    EXPECT_EQ(status(r, 13), 0x012A06u);   // VMAPTI_PHYSICALID_OOR (doorbell 7)
    EXPECT_EQ(status(r, 14), 0x012A11u);   // VMAPTI_VCPU_OOR
    EXPECT_EQ(status(r, 15), 0u);
    EXPECT_EQ(status(r, 16), 0x010310u);   // INT_ITE_INVALID
    EXPECT_EQ(status(r, 17), 0x010110u);   // MOVI_ITE_INVALID
    EXPECT_EQ(status(r, 18), 0x012106u);   // VMOVI_PHYSICALID_OOR before the lookups
    EXPECT_EQ(status(r, 19), 0u);
    EXPECT_EQ(status(r, 20), 0x012115u);   // VMOVI_ID_IS_PHYSICAL
    EXPECT_EQ(status(r, 21), 0x012116u);   // VMOVI_ITEVCPU_INVALID
    EXPECT_EQ(status(r, 22), 0x012117u);   // VMOVI_CMDVCPU_INVALID
    EXPECT_EQ(status(r, 23), 0x012111u);   // VMOVI_VCPU_OOR
    EXPECT_EQ(status(r, 24), 0x012514u);   // VSYNC_VCPU_INVALID
    EXPECT_EQ(status(r, 25), 0x012D11u);   // VINVALL_VCPU_OOR
    EXPECT_EQ(status(r, 26), 0x012E14u);   // INVDB_VCPU_INVALID
    EXPECT_EQ(status(r, 27), 0x012314u);   // VSGI_VCPU_INVALID
    EXPECT_EQ(status(r, 28), 0x012214u);   // VMOVP_VCPU_INVALID (VMOVP = 1: no ITSList check)
    EXPECT_EQ(status(r, 29), 0x012202u);   // VMOVP_PROCNUM_OOR
}

TEST(RefVirtual, GicV3AndV40DoNotKnowTheLaterCommands) {
    // GICv3: every V command is an unknown opcode (0x01 <op> FF); GICv4.0:
    // VSGI (0x23) and INVDB (0x2E) are.
    const Result r3 = run_text("cmd raw=0x29,0,0,0\n");
    EXPECT_EQ(status(r3, 1), 0x0129FFu);
    const Result r40 = run_text(
        "platform gic.version=4.0 gic.vpes=2\n"
        "cmd op=VMAPP vpeid=0 rdbase=0 valid=1\n"
        "cmd raw=0x23,0,0,0\n"
        "cmd raw=0x2E,0,0,0\n");
    ASSERT_TRUE(r40.comparable) << r40.unsupported;
    EXPECT_EQ(status(r40, 1), 0u);
    EXPECT_EQ(status(r40, 2), 0x0123FFu);
    EXPECT_EQ(status(r40, 3), 0x012EFFu);
}

TEST(RefVirtual, ResidentVpeTakesItsEnabledVlpis) {
    const Result r = run_text(std::string(kV41) +
                              "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
                              "cmd op=VMAPTI device=1 event=1 vpeid=0 vintid=8193 doorbell=1023\n"   // 5: disabled
                              "wait until=drained\n"
                              "@20us schedule cpu=0 vpeid=0\n"
                              "@30us msi device=1 event=0\n"
                              "@31us msi device=1 event=1\n"
                              "@32us msi device=1 event=0\n"
                              "@40us vlpi vpeid=1 vintid=8193 priority=0xA0 enable=1\n"   // vPE 1: the same VM
                              "cmd op=INV device=1 event=1\n"                             // 6: re-read: taken
                              "wait until=drained\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    for (uint64_t m : {0, 2}) {
        EXPECT_TRUE(r.msis[m].delivered && r.msis[m].virt);
        EXPECT_EQ(r.msis[m].intid, 8192u);
        EXPECT_EQ(r.msis[m].vpeid, 0u);
        EXPECT_EQ(r.msis[m].cpu, 0u);
        EXPECT_EQ(r.msis[m].doorbell, 0u);
    }
    EXPECT_EQ(r.vack(0, 8192).lo, 2u);   // two MSIs, each taken before the next
    EXPECT_EQ(r.vack(0, 8193).lo, 1u);   // pending disabled until the INV after the vlpi line
    EXPECT_TRUE(r.vack(0, 8193).exact());
    EXPECT_TRUE(r.doorbells.empty());
}

TEST(RefVirtual, DefaultDoorbellRingsOnceForAnEnabledVlpi) {
    // v4.1: deschedule doorbell=1 arms vPE 0's default doorbell (65280) at
    // CPU 0. A vLPI that is disabled does not ring it; the first enabled one
    // does, once, as the physical LPI 65280 at CPU 0 (enabled at bring-up:
    // taken); the next enabled one only sets its VPT bit. The schedule then
    // finds both enabled vLPIs pending and takes them.
    const Result r = run_text(std::string(kV41) +
                              "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
                              "vlpi vpeid=0 vintid=8194 priority=0xA0 enable=1\n"
                              "cmd op=VMAPTI device=1 event=1 vpeid=0 vintid=8193 doorbell=1023\n"   // 5: disabled
                              "cmd op=VMAPTI device=1 event=2 vpeid=0 vintid=8194 doorbell=1023\n"   // 6
                              "wait until=drained\n"
                              "@20us schedule cpu=0 vpeid=0\n"
                              "@40us deschedule cpu=0 doorbell=1\n"
                              "@60us msi device=1 event=1\n"
                              "@61us msi device=1 event=0\n"
                              "@62us msi device=1 event=2\n"
                              "@80us schedule cpu=0 vpeid=0\n"
                              "@100us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(r.msis[0].doorbell, 0u);
    EXPECT_EQ(r.msis[1].doorbell, 65280u);
    EXPECT_EQ(r.msis[2].doorbell, 0u);
    EXPECT_EQ(rings(r, 0), 1u);
    EXPECT_EQ(r.ack(0, 65280).lo, 1u);
    EXPECT_EQ(r.vack(0, 8192).lo, 1u);
    EXPECT_EQ(r.vack(0, 8194).lo, 1u);
    EXPECT_EQ(r.vack(0, 8193).lo, 0u);
}

TEST(RefVirtual, ScheduleCancelsAnEarlierDoorbellRequest) {
    // Armed at the first deschedule, resident again, then descheduled
    // without a doorbell: the later vLPI rings nothing.
    const Result r = run_text(std::string(kV41) +
                              "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
                              "@20us schedule cpu=0 vpeid=0\n"
                              "@40us deschedule cpu=0 doorbell=1\n"
                              "@60us schedule cpu=0 vpeid=0\n"
                              "@80us deschedule cpu=0 doorbell=0\n"
                              "@100us msi device=1 event=0\n"
                              "@120us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(rings(r, 0), 0u);
    EXPECT_EQ(r.vack(0, 8192).lo, 0u);
}

TEST(RefVirtual, V40DoorbellIsTheItesWhateverTheEnable) {
    // GICv4.0: the ITE's doorbell 9000 rings for every vLPI of a
    // non-resident vPE (a disabled one too); 9000 has no `lpi` line, so it
    // stays pending, disabled, never taken. VMOVI with D=1 and doorbell
    // 1023 takes the doorbell away; the third MSI rings nothing.
    const Result r = run_text(
        "platform gic.version=4.0 gic.vpes=2 gic.vpes_per_vm=2\n"
        "cmd op=MAPD device=1 itt=0x40001000 size=3 valid=1\n"
        "cmd op=VMAPP vpeid=0 rdbase=0 valid=1\n"
        "cmd op=VMAPTI device=1 event=0 vpeid=0 vintid=8192 doorbell=9000\n"
        "wait until=drained\n"
        "@10us msi device=1 event=0\n"
        "@20us msi device=1 event=0\n"
        "cmd op=VMOVI device=1 event=0 vpeid=0 doorbell=1023 db_valid=1\n"   // 4
        "wait until=drained\n"
        "@30us msi device=1 event=0\n"
        "@40us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(status(r, 4), 0u);
    EXPECT_EQ(r.msis[0].doorbell, 9000u);
    EXPECT_EQ(r.msis[1].doorbell, 9000u);
    EXPECT_EQ(r.msis[2].doorbell, 0u);
    EXPECT_EQ(rings(r, 0), 2u);
    EXPECT_EQ(r.ack(0, 9000).lo, 0u);
    EXPECT_EQ(r.pending.at(0).count(9000), 1u);
}

TEST(RefVirtual, VmoviMovesPendingStateAndDropsReasons) {
    // vPE 0's vLPI 8192 is pending in its VPT (vPE 0 not resident);
    // VMOVI to vPE 1 (resident on CPU 1) moves it there: taken by vPE 1.
    // VMAPP V=0 of vPE 1, then an MSI of the ITE: vpe_unmapped.
    const Result r = run_text(std::string(kV41) +
                              "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
                              "@10us schedule cpu=1 vpeid=1\n"
                              "@30us msi device=1 event=0\n"
                              "cmd op=VMOVI device=1 event=0 vpeid=1 doorbell=0 db_valid=0\n"   // 5
                              "wait until=drained\n"
                              "cmd op=VMAPP vpeid=1 rdbase=1 valid=0\n"                          // 6
                              "wait until=drained\n"
                              "@40us msi device=1 event=0\n"
                              "@50us msi device=1 event=5\n"
                              "@60us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(status(r, 5), 0u);
    EXPECT_EQ(r.vack(1, 8192).lo, 1u);   // same VM: enabled for vPE 1 too
    EXPECT_EQ(r.vack(0, 8192).lo, 0u);
    EXPECT_FALSE(r.msis[1].delivered);
    EXPECT_EQ(r.msis[1].reason, "vpe_unmapped");
    EXPECT_EQ(r.msis[2].reason, "interrupt_unmapped");
}

TEST(RefVirtual, VmovpAcrossTwoItsAndItsList) {
    // its.count=2 with GITS_TYPER.VMOVP = 0: each ITS has its own tables
    // and checks ITSList (bit = ITS_Number) and SequenceNumber.
    const Result r = run_text(
        "platform gic.version=4.1 gic.vpes=2 its.count=2 its.vmovp=0\n"
        "cmd its=1 op=MAPD device=1 itt=0x40001000 size=3 valid=1\n"                                   // 1
        "cmd its=1 op=VMAPP vpeid=0 rdbase=0 valid=1\n"                                                // 2
        "cmd its=1 op=VMAPTI device=1 event=0 vpeid=0 vintid=8192 doorbell=1023\n"                     // 3
        "cmd its=0 op=VMAPP vpeid=0 rdbase=0 valid=1\n"                                                // 4
        "cmd its=1 op=VMOVP seqnum=5 its_list=1 vpeid=0 rdbase=1 db=0 default_doorbell=0\n"            // 5: not in list
        "cmd its=1 op=VMOVP seqnum=5 its_list=3 vpeid=0 rdbase=1 db=0 default_doorbell=0\n"            // 6: ok
        "cmd its=1 op=VMOVP seqnum=5 its_list=3 vpeid=0 rdbase=2 db=0 default_doorbell=0\n"            // 7: not after 5
        "cmd its=0 op=VMOVP seqnum=5 its_list=3 vpeid=0 rdbase=1 db=0 default_doorbell=0\n"            // 8: ITS 0's own
        "wait its=1 until=drained\n"
        "wait its=0 until=drained\n"
        "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
        "@20us schedule cpu=1 vpeid=0\n"
        "@40us msi its=1 device=1 event=0\n"
        "@41us msi its=0 device=1 event=0\n"
        "@60us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    EXPECT_EQ(status(r, 5), 0x0122E8u);   // VMOVP_ITSLIST_INVALID
    EXPECT_EQ(status(r, 6), 0u);
    EXPECT_EQ(status(r, 7), 0x0122E9u);   // VMOVP_SEQUENCE_INVALID
    EXPECT_EQ(status(r, 8), 0u);
    EXPECT_TRUE(r.msis[0].delivered);
    EXPECT_EQ(r.msis[0].cpu, 1u);
    EXPECT_EQ(r.msis[1].reason, "device_unmapped");   // ITS 0 has no device 1
    EXPECT_EQ(r.vack(0, 8192).lo, 1u);
}

TEST(RefVirtual, Gicv41VmovpHandsTheDoorbellRequestAndVsgisOver) {
    // vPE 0 (on CPU 0) gets vSGI 3 enabled Group 1 and vSGI 9 disabled at
    // CPU 0's redistributor, is descheduled there with doorbell=1 (nothing
    // pending: the request is armed at CPU 0), and vSGI 9 becomes pending
    // (disabled: no ring). VMOVP to CPU 2 takes the request and both vSGIs
    // along: the vLPI that follows rings doorbell 65280 (0xFF00 + 0) at CPU
    // 2's redistributor (taken there, enabled at bring-up), once - the vSGI
    // 3 after it rings nothing - and CPU 2 holds vSGIs 9 and 3 pending, CPU
    // 0 none. Scheduled at CPU 2, the vPE takes vLPI 8192 and vSGI 3 (its
    // configuration came along); vSGI 9 stays pending there, disabled.
    const std::string moved = std::string(kV41) +
                              "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
                              "cmd op=VSGI vpeid=0 vintid=3 priority=0xa0 group=1 clear=0 enable=1\n"   // 5
                              "cmd op=VSGI vpeid=0 vintid=9 priority=0x80 group=1 clear=0 enable=0\n"   // 6
                              "wait until=drained\n"
                              "@20us schedule cpu=0 vpeid=0\n"
                              "@40us deschedule cpu=0 doorbell=1\n"
                              "@50us sgi vpeid=0 vintid=9\n"
                              "cmd op=VMOVP seqnum=0 its_list=0 vpeid=0 rdbase=2 db=0 default_doorbell=0\n"   // 7
                              "wait until=drained\n"
                              "@70us msi device=1 event=0\n"
                              "@80us sgi vpeid=0 vintid=3\n";
    const Result r = run_text(moved + "@90us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    for (size_t s = 5; s <= 7; ++s) EXPECT_EQ(status(r, s), 0u) << s;
    ASSERT_EQ(r.msis.size(), 1u);
    EXPECT_TRUE(r.msis[0].delivered && r.msis[0].virt);
    EXPECT_EQ(r.msis[0].cpu, 2u);
    EXPECT_EQ(r.msis[0].doorbell, 65280u);
    EXPECT_EQ(rings(r, 0), 1u);
    EXPECT_EQ(r.ack(2, 65280).lo, 1u);
    EXPECT_EQ(r.ack(0, 65280).lo, 0u);
    EXPECT_EQ(r.vsgi_pending, (std::map<std::pair<uint32_t, uint32_t>, uint16_t>{{{2, 0}, (1u << 9) | (1u << 3)}}));
    EXPECT_EQ(r.vack(0, 3).lo, 0u);   // not resident: nothing taken

    const Result s = run_text(moved + "@100us schedule cpu=2 vpeid=0\n@120us\n");
    ASSERT_TRUE(s.comparable) << s.unsupported;
    EXPECT_EQ(s.vack(0, 8192).lo, 1u);
    EXPECT_EQ(s.vack(0, 3).lo, 1u);
    EXPECT_EQ(s.vack(0, 9).lo, 0u);
    EXPECT_EQ(s.vsgi_pending, (std::map<std::pair<uint32_t, uint32_t>, uint16_t>{{{2, 0}, 1u << 9}}));
}

TEST(RefVirtual, ComparesVirtualRecords) {
    const Result r = run_text(std::string(kV41) +
                              "vlpi vpeid=0 vintid=8192 priority=0xA0 enable=1\n"
                              "@20us schedule cpu=0 vpeid=0\n"
                              "@30us msi device=1 event=0\n"
                              "@40us\n");
    ASSERT_TRUE(r.comparable) << r.unsupported;
    std::string log =
        "{\"kind\":\"run\",\"config\":{\"cpus\":4,\"gic.version\":\"4.1\",\"its.count\":1}}\n"
        "{\"kind\":\"command\",\"seq\":1,\"status\":\"ok\"}\n"
        "{\"kind\":\"command\",\"seq\":2,\"status\":\"ok\"}\n"
        "{\"kind\":\"command\",\"seq\":3,\"status\":\"ok\"}\n"
        "{\"kind\":\"command\",\"seq\":4,\"status\":\"ok\"}\n"
        "{\"kind\":\"msi\",\"seq\":1,\"status\":\"delivered\",\"intid\":8192,\"cpu\":0,\"vpeid\":0,\"vintid\":8192}\n";
    EXPECT_EQ(compare_text(r, log + "{\"kind\":\"vack\",\"cpu\":0,\"vpeid\":0,\"vintid\":8192}\n").disagreements.size(),
              0u);
    const Comparison none = compare_text(r, log);
    ASSERT_EQ(none.disagreements.size(), 1u);
    EXPECT_EQ(none.disagreements[0], "vacks of vINTID 8192 of vPE 0: reference 1, model 0");
    const Comparison rang = compare_text(r, log + "{\"kind\":\"vack\",\"cpu\":0,\"vpeid\":0,\"vintid\":8192}\n"
                                                  "{\"kind\":\"doorbell\",\"cpu\":0,\"vpeid\":0,\"intid\":65280}\n");
    ASSERT_EQ(rang.disagreements.size(), 1u);
    EXPECT_EQ(rang.disagreements[0], "doorbells of vPE 0: reference 0, model 1");
    const Comparison ver = compare_text(r, "{\"kind\":\"run\",\"config\":{\"gic.version\":\"4.0\"}}\n");
    EXPECT_NE(ver.disagreements.at(0).find("gic.version=4.1, the run had 4.0"), std::string::npos);
}

TEST(RefVirtual, RefusesWhatItCannotPredict) {
    // A vLPI sent to CPU 0's redistributor while vPE 0 is resident at CPU 1.
    const Result a = run_text(std::string(kV41) +
                              "@20us schedule cpu=1 vpeid=0\n"
                              "@30us msi device=1 event=0\n");
    EXPECT_FALSE(a.comparable);
    EXPECT_NE(a.unsupported.find("resident at cpu 1"), std::string::npos) << a.unsupported;
    // A VMAPP naming its own VPT.
    const Result b = run_text(std::string(kV41) + "cmd op=VMAPP vpeid=1 rdbase=1 vpt=0x48000000 valid=1\n");
    EXPECT_FALSE(b.comparable);
    EXPECT_NE(b.unsupported.find("own VPT"), std::string::npos) << b.unsupported;
    // With the race guard: a schedule while the MSI to that vPE may be in flight.
    const Result c = run_text(std::string(kV41) +
                                  "@20us msi device=1 event=0\n"
                                  "@20.1us schedule cpu=0 vpeid=0\n",
                              true);
    EXPECT_FALSE(c.comparable);
    EXPECT_NE(c.unsupported.find("schedule line"), std::string::npos) << c.unsupported;
}

}  // namespace
}  // namespace itsim::ref
