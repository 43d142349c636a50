// The random suite's GICv4 flavour (gen.h Flavour::v4): gic.version 4.0 or
// 4.1, one or two ITSs, a few VMs of vPEs mapped on every ITS as Linux maps
// them, devices whose events are forwarded as vLPIs (and a few physical
// LPIs), then steps mixing vMSIs, schedule/deschedule (v4.1 with and
// without a doorbell request), VMOVP (VMOVP = 1, or one per ITS with
// ITSList and SequenceNumber), VMOVI (with the v4.0 doorbell), INT/CLEAR/
// INV/DISCARD of virtual ITEs, vLPI configuration changes with VINVALL,
// VMAPP unmap and remap, VMAPTI over an ITE, vSGIs (GITS_SGIR, VSGI, v4.1),
// INVDB, MAPD remaps and every failing V command. Timing-independent as the
// calm flavour is: each step's commands drained before the next step, MSIs
// far apart, +30 us after a schedule or deschedule (the Dirty poll), a vPE
// scheduled only at the redistributor its VTEs name and moved only while
// not resident: the reference model (tb/ref) predicts it exactly.
// Its random stream is its own (seeded from the seed, not shared with
// the GICv3 flavours, whose traces stay as they were).
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "random/gen.h"

namespace itsim::gen {

namespace {

std::string s(uint64_t v) { return std::to_string(v); }
std::string hex(uint64_t v) {
    std::ostringstream o;
    o << "0x" << std::hex << v;
    return o.str();
}

struct VIte {
    bool virt = true;
    uint32_t vpeid = 0, vintid = 0, doorbell = 1023;   // physical: vintid is the pINTID, vpeid the ICID
};
struct Dev {
    unsigned its = 0;
    uint32_t id = 0;
    unsigned size = 0;
    uint64_t itt = 0;
    bool mapped = true;
    std::map<uint32_t, VIte> ites;
    uint32_t events() const { return 1u << (size + 1); }
};
struct Vpe {
    unsigned rd = 0;       // the redistributor its VTEs name
    int resident = -1;     // CPU, or -1
    std::set<unsigned> mapped_on;   // ITSs with a valid VTE
};

class V4Builder {
public:
    V4Builder(uint64_t seed, const Options& opt) : r_(seed ^ 0x5634A7B1C2D3E4F5ull), seed_(seed), opt_(opt) {}
    std::string build();

private:
    void line(const std::string& l) { out_ << l << "\n"; }
    void cmd(unsigned its, const std::string& c) { line("cmd its=" + s(its) + " op=" + c); }
    void drain(unsigned its) { line("wait its=" + s(its) + " until=drained"); }
    void gap(unsigned us) { out_ << "+" << us << "us\n"; }
    unsigned pick_its() { return unsigned(r_.below(its_)); }
    uint32_t pick_vpe() { return uint32_t(r_.below(vpes_)); }
    uint32_t doorbell_of(uint32_t v) const { return 0xFF00 + v; }
    bool pick_ite(Dev** d, uint32_t* ev, bool virt);
    uint32_t vintid() { return 8192 + uint32_t(r_.below(48)); }
    void vlpi(uint32_t vpeid, uint32_t vint, bool enable);
    void map_vpe(unsigned its, uint32_t v);
    void bring_up();
    void step();
    void bad_command(unsigned its);
    void vinvall_vm(uint32_t vpeid);

    Rng r_;
    uint64_t seed_;
    Options opt_;
    std::ostringstream out_;
    bool v41_ = false, vmovp_ = true;
    unsigned cpus_ = 2, its_ = 1, vpes_ = 2, per_vm_ = 1;
    uint32_t seqnum_ = 0;
    bool vpe_4k_flat_ = false;
    std::vector<Dev> devs_;
    std::vector<Vpe> vpe_;
    uint64_t next_itt_ = 0x40000000;
};

bool V4Builder::pick_ite(Dev** d, uint32_t* ev, bool virt) {
    std::vector<std::pair<Dev*, uint32_t>> v;
    for (Dev& x : devs_)
        if (x.mapped)
            for (const auto& [e, ite] : x.ites)
                if (ite.virt == virt) v.push_back({&x, e});
    if (v.empty()) return false;
    const auto& p = v[r_.below(v.size())];
    *d = p.first;
    *ev = p.second;
    return true;
}

void V4Builder::vlpi(uint32_t vpeid, uint32_t vint, bool enable) {
    line("vlpi vpeid=" + s(vpeid) + " vintid=" + s(vint) + " priority=" + hex(0x80 + 16 * r_.below(4)) +
         " enable=" + (enable ? "1" : "0"));
}

void V4Builder::map_vpe(unsigned its, uint32_t v) {
    std::string c = "VMAPP vpeid=" + s(v) + " rdbase=" + s(vpe_[v].rd) + " valid=1";
    if (v41_ && r_.chance(10)) c += " default_doorbell=1023";   // a vPE without a default doorbell
    cmd(its, c);
    cmd(its, "VSYNC vpeid=" + s(v));
    vpe_[v].mapped_on.insert(its);
}

// VINVALL of every vPE of the VM of `vpeid` that is mapped (the resident
// one re-reads its pending vLPIs; the others read them at their schedule).
void V4Builder::vinvall_vm(uint32_t vpeid) {
    const uint32_t vm = vpeid / per_vm_;
    for (uint32_t v = vm * per_vm_; v < std::min(vpes_, (vm + 1) * per_vm_); ++v)
        if (!vpe_[v].mapped_on.empty()) cmd(*vpe_[v].mapped_on.begin(), "VINVALL vpeid=" + s(v));
}

void V4Builder::bring_up() {
    for (unsigned c = 0; c < cpus_; ++c) cmd(0, "MAPC icid=" + s(c) + " rdbase=" + s(c) + " valid=1");
    for (unsigned its = 0; its < its_; ++its)
        for (uint32_t v = 0; v < vpes_; ++v) map_vpe(its, v);
    for (unsigned its = 0; its < its_; ++its) {
        const unsigned n = unsigned(r_.range(1, 2));
        for (unsigned k = 0; k < n; ++k) {
            Dev d;
            d.its = its;
            d.id = uint32_t(devs_.size() + 1 + r_.below(4) * 16);
            d.size = unsigned(r_.range(1, 4));
            d.itt = next_itt_;
            next_itt_ += 0x10000;
            cmd(its, "MAPD device=" + s(d.id) + " itt=" + hex(d.itt) + " size=" + s(d.size) + " valid=1");
            const unsigned nev = unsigned(std::min<uint32_t>(d.events(), uint32_t(r_.range(2, 6))));
            for (unsigned e = 0; e < nev; ++e) {
                const uint32_t ev = uint32_t(r_.below(d.events()));
                if (d.ites.count(ev)) continue;
                VIte ite;
                if (its == 0 && r_.chance(15)) {   // a physical LPI beside the virtual ones
                    ite.virt = false;
                    ite.vpeid = uint32_t(r_.below(cpus_));
                    ite.vintid = 8300 + uint32_t(devs_.size() * 16 + e);
                    cmd(its, "MAPTI device=" + s(d.id) + " event=" + s(ev) + " intid=" + s(ite.vintid) +
                                 " icid=" + s(ite.vpeid));
                    line("lpi intid=" + s(ite.vintid) + " priority=0xa0 enable=1");
                } else {
                    ite.vpeid = pick_vpe();
                    ite.vintid = vintid();
                    ite.doorbell = !v41_ && r_.chance(60) ? doorbell_of(ite.vpeid) : 1023;
                    cmd(its, "VMAPTI device=" + s(d.id) + " event=" + s(ev) + " vpeid=" + s(ite.vpeid) +
                                 " vintid=" + s(ite.vintid) + " doorbell=" + s(ite.doorbell));
                }
                d.ites[ev] = ite;
            }
            devs_.push_back(d);
        }
        drain(its);
    }
    // The VMs' vLPI bytes: most enabled.
    for (uint32_t vm = 0; vm * per_vm_ < vpes_; ++vm)
        for (uint32_t i = 8192; i < 8192 + 48; ++i)
            if (r_.chance(40)) vlpi(vm * per_vm_, i, r_.chance(85));
    if (v41_)   // the vSGIs some vPEs take
        for (uint32_t v = 0; v < vpes_; ++v)
            if (r_.chance(50))
                cmd(0, "VSGI vpeid=" + s(v) + " vintid=" + s(r_.below(16)) + " priority=0x" + "a0" +
                           " group=" + (r_.chance(80) ? "1" : "0") + " clear=0 enable=1");
    drain(0);
    gap(150);   // beyond the race guard's bound for the whole bring-up's queues
}

void V4Builder::bad_command(unsigned its) {
    Dev* d = nullptr;
    uint32_t ev = 0;
    const uint32_t unmapped = vpes_ + uint32_t(r_.below(50));
    const bool have = pick_ite(&d, &ev, true) && d->its == its;
    const std::string dev = have ? s(d->id) : "200";
    switch (r_.below(12)) {
    case 0: cmd(its, "VMAPP vpeid=0 rdbase=" + s(cpus_ + r_.below(8)) + " valid=1"); break;    // PROCNUM
    case 1: cmd(its, "VMAPP vpeid=0 rdbase=0 vpt_size=" + s(16 + r_.below(4)) + " valid=1"); break;   // VPTSIZE
    case 2: cmd(its, vpe_4k_flat_ ? "VSYNC vpeid=40000" : "VINVALL vpeid=" + s(unmapped)); break;
    case 3: cmd(its, "VMAPTI device=300 event=0 vpeid=0 vintid=8192 doorbell=1023"); break;   // unmapped device
    case 4: cmd(its, "VMAPTI device=" + dev + " event=" + s(have ? d->events() : 0) + " vpeid=0 vintid=8192 doorbell=1023"); break;
    case 5: cmd(its, "VMAPI device=" + dev + " event=5 vpeid=0 doorbell=1023"); break;       // vINTID 5
    case 6: cmd(its, "VMAPTI device=" + dev + " event=0 vpeid=0 vintid=8192 doorbell=" + s(r_.below(8192))); break;
    case 7: cmd(its, "VMOVI device=" + dev + " event=" + s(ev) + " vpeid=" + s(unmapped) + " doorbell=1023 db_valid=0"); break;
    case 8: cmd(its, "VMOVP seqnum=0 its_list=0 vpeid=" + s(unmapped) + " rdbase=0 db=0 default_doorbell=0"); break;
    case 9: cmd(its, "MOVI device=" + dev + " event=" + s(ev) + " icid=0"); break;   // a virtual ITE
    case 10: cmd(its, std::string(v41_ ? "INVDB" : "VSYNC") + " vpeid=" + s(unmapped)); break;
    default: {   // a physical command on a virtual ITE whose vPE is unmapped (VMAPTI of an unmapped vPE)
        if (!have) break;
        static const char* kOps[] = {"INT", "CLEAR", "INV", "DISCARD"};
        cmd(its, "VMAPTI device=" + dev + " event=" + s(ev) + " vpeid=" + s(unmapped) + " vintid=" +
                     s(d->ites[ev].vintid) + " doorbell=1023");
        d->ites[ev].vpeid = unmapped;
        cmd(its, std::string(kOps[r_.below(4)]) + " device=" + dev + " event=" + s(ev));
        break;
    }
    }
}

void V4Builder::step() {
    const unsigned k = unsigned(r_.below(100));
    Dev* d = nullptr;
    uint32_t ev = 0;
    if (k < 35) {   // MSIs: vLPIs mostly, some physical, some unmapped
        if (r_.chance(85) && pick_ite(&d, &ev, r_.chance(90))) line("msi its=" + s(d->its) + " device=" + s(d->id) + " event=" + s(ev));
        else line("msi its=" + s(pick_its()) + " device=" + s(400 + r_.below(4)) + " event=0");
        gap(5);
        return;
    }
    if (k < 47) {   // schedule at its redistributor, or deschedule
        const uint32_t v = pick_vpe();
        Vpe& p = vpe_[v];
        if (p.resident >= 0) {
            const bool db = v41_ && r_.chance(60);
            line(std::string("deschedule cpu=") + s(unsigned(p.resident)) + (db ? " doorbell=1" : ""));
            p.resident = -1;
        } else {
            for (const Vpe& o : vpe_)
                if (o.resident == int(p.rd)) return;   // that CPU runs another vPE
            line("schedule cpu=" + s(p.rd) + " vpeid=" + s(v));
            p.resident = int(p.rd);
        }
        gap(30);
        return;
    }
    const unsigned its = pick_its();
    if (k < 53) {   // VMOVP of a non-resident vPE to another CPU, on every ITS that has it
        const uint32_t v = pick_vpe();
        if (vpe_[v].resident >= 0 || cpus_ < 2) return;
        const unsigned to = unsigned(r_.below(cpus_));
        const std::string db = v41_ && r_.chance(30) ? " db=1 default_doorbell=" + s(doorbell_of(v)) : " db=0 default_doorbell=0";
        if (vmovp_) {
            cmd(its, "VMOVP seqnum=0 its_list=0 vpeid=" + s(v) + " rdbase=" + s(to) + db);
        } else {
            ++seqnum_;
            const uint32_t list = (1u << its_) - 1;
            for (unsigned n = 0; n < its_; ++n)
                cmd(n, "VMOVP seqnum=" + s(seqnum_) + " its_list=" + s(list) + " vpeid=" + s(v) + " rdbase=" + s(to) + db);
        }
        vpe_[v].rd = to;
        for (unsigned n = 0; n < its_; ++n) drain(n);
        gap(20);
        return;
    }
    if (k < 60 && pick_ite(&d, &ev, true)) {   // VMOVI to another vPE or the same (the doorbell)
        VIte& ite = d->ites[ev];
        const uint32_t to = r_.chance(70) ? pick_vpe() : ite.vpeid;
        const bool dv = r_.chance(50);
        const uint32_t db = dv && !v41_ && r_.chance(60) ? doorbell_of(to) : 1023;
        cmd(d->its, "VMOVI device=" + s(d->id) + " event=" + s(ev) + " vpeid=" + s(to) + " doorbell=" + s(db) +
                        " db_valid=" + (dv ? "1" : "0"));
        if (to < vpes_) {
            ite.vpeid = to;
            if (dv) ite.doorbell = v41_ ? 1023 : db;
        }
        drain(d->its);
    } else if (k < 68 && pick_ite(&d, &ev, true)) {   // INT CLEAR INV DISCARD of a virtual ITE
        static const char* kOps[] = {"INT", "INT", "CLEAR", "INV", "DISCARD"};
        const std::string op = kOps[r_.below(5)];
        cmd(d->its, op + " device=" + s(d->id) + " event=" + s(ev));
        if (op == "DISCARD") d->ites.erase(ev);
        drain(d->its);
    } else if (k < 75) {   // a vLPI's byte, then VINVALL of its VM's vPEs
        const uint32_t v = pick_vpe();
        vlpi(v, vintid(), r_.chance(70));
        vinvall_vm(v);
        for (unsigned n = 0; n < its_; ++n) drain(n);
    } else if (k < 79) {   // VMAPP unmap (and now and then map again) on one ITS
        const uint32_t v = pick_vpe();
        if (vpe_[v].resident >= 0) return;
        if (vpe_[v].mapped_on.count(its) && !(v41_ && its == 0)) {   // v4.1: the redistributors read ITS 0's
            cmd(its, "VMAPP vpeid=" + s(v) + " rdbase=" + s(vpe_[v].rd) + " valid=0");
            vpe_[v].mapped_on.erase(its);
        } else if (!vpe_[v].mapped_on.count(its)) {
            map_vpe(its, v);
        }
        drain(its);
    } else if (k < 84 && pick_ite(&d, &ev, r_.chance(80))) {   // VMAPTI over an ITE (a physical one too)
        VIte ite;
        ite.vpeid = pick_vpe();
        ite.vintid = vintid();
        ite.doorbell = !v41_ && r_.chance(50) ? doorbell_of(ite.vpeid) : 1023;
        cmd(d->its, "VMAPTI device=" + s(d->id) + " event=" + s(ev) + " vpeid=" + s(ite.vpeid) + " vintid=" +
                        s(ite.vintid) + " doorbell=" + s(ite.doorbell));
        d->ites[ev] = ite;
        drain(d->its);
    } else if (k < 88 && v41_) {   // vSGIs
        const uint32_t v = pick_vpe();
        if (r_.chance(60)) line("sgi its=" + s(its) + " vpeid=" + s(v) + " vintid=" + s(r_.below(16)));
        else cmd(its, "VSGI vpeid=" + s(v) + " vintid=" + s(r_.below(16)) + " priority=0x" + "a0" + " group=" +
                          (r_.chance(80) ? "1" : "0") + " clear=" + (r_.chance(30) ? "1" : "0") + " enable=" +
                          (r_.chance(80) ? "1" : "0"));
        if (v41_ && r_.chance(30)) cmd(its, "INVDB vpeid=" + s(v));
        drain(its);
    } else if (k < 91 && !devs_.empty()) {   // MAPD: unmap or map again (the ITT keeps its ITEs)
        Dev& x = devs_[r_.below(devs_.size())];
        if (x.mapped) cmd(x.its, "MAPD device=" + s(x.id) + " itt=0x0 size=0 valid=0");
        else cmd(x.its, "MAPD device=" + s(x.id) + " itt=" + hex(x.itt) + " size=" + s(x.size) + " valid=1");
        x.mapped = !x.mapped;
        drain(x.its);
    } else {
        bad_command(its);
        drain(its);
    }
    gap(20);
}

std::string V4Builder::build() {
    v41_ = r_.chance(50);
    static const unsigned kCpus[] = {1, 2, 2, 3, 4};
    cpus_ = kCpus[r_.below(std::size(kCpus))];
    its_ = r_.chance(35) ? 2 : 1;
    vpes_ = unsigned(r_.range(2, 4));
    per_vm_ = unsigned(r_.range(1, 2));
    vmovp_ = its_ == 1 || r_.chance(50);
    vpe_.assign(vpes_, Vpe{});
    for (uint32_t v = 0; v < vpes_; ++v) vpe_[v].rd = unsigned(r_.below(cpus_));
    out_ << "# itsim random workload: seed " << seed_ << ", flavour v4 (tb/random/gen_v4.cpp)\n";
    out_ << "itsim-trace 1\n";
    std::ostringstream p;
    static const char* kPages[] = {"4K", "16K", "64K"};
    const char* page = kPages[r_.below(3)];
    const bool indirect = r_.chance(40);
    vpe_4k_flat_ = std::string(page) == "4K" && !indirect;
    p << "platform cpus=" << cpus_ << " seed=" << seed_ << " gic.version=" << (v41_ ? "4.1" : "4.0")
      << " gic.vpes=" << vpes_ << " gic.vpes_per_vm=" << per_vm_ << " its.count=" << its_
      << " its.page_size=" << page << " its.vpe_table=" << (indirect ? "indirect" : "flat");
    if (its_ > 1) p << " its.vmovp=" << (vmovp_ ? 1 : 0);
    if (its_ == 1 && r_.chance(15)) p << " error_policy=stall";
    if (r_.chance(30)) p << " its.vpe_cache.entries=0";
    else if (r_.chance(40)) p << " its.vpe_cache.entries=2 its.vpe_cache.ways=1";
    if (r_.chance(25)) p << " redist.config_cache.entries=0";
    else if (r_.chance(30)) p << " redist.config_cache.entries=8 redist.config_cache.ways=2";
    if (r_.chance(20)) p << " redist.config_line_bytes=64";
    line(p.str());
    bring_up();
    const unsigned steps = opt_.steps ? opt_.steps : unsigned(r_.range(20, 60));
    for (unsigned i = 0; i < steps; ++i) step();
    gap(50);
    return out_.str();
}

}  // namespace

std::string generate_v4(uint64_t seed, const Options& opt) { return V4Builder(seed, opt).build(); }

}  // namespace itsim::gen
