// What the GICv4 ItsCore tests (tb/its/test_its_virtual_*.cpp) share: a
// FakeEnv that also answers the virtual kinds of the stream (it logs every
// virtual op with its redistributor and keeps the vLPIs pending per
// redistributor and vPE), the tables of its_core_fixture.h plus a vPE table
// and VPTs, and a fixture that builds a GICv4.0 or 4.1 core, programs
// BASER0..2 and CBASER and enables it. Header-only.
#pragma once

#include <set>
#include <tuple>

#include "its_core_fixture.h"

namespace {

constexpr uint64_t kVt = 0x30000;      // vPE table (flat, 4K, 1 page = 128 VTEs of 32 bytes)
constexpr uint64_t kVt2 = 0x60000;     // a second ITS's vPE table
constexpr uint64_t kVpt0 = 0x200000;   // VPT of vPE n at kVpt0 + n * 64K
constexpr uint64_t kVconf = 0x800000;  // the VM's vLPI configuration table (64K aligned)

inline uint64_t vpt_of(unsigned vpe) { return kVpt0 + uint64_t{vpe} * 0x10000; }
// GITS_BASER2 as software writes it (Type and Entry_Size are RO).
inline uint64_t vpe_baser(uint64_t addr = kVt, unsigned pages = 1, bool indirect = false) {
    return baser_value(addr, 0, pages, indirect);
}

struct VirtEnv : FakeEnv {
    struct VOp {
        LpiOp op;
        unsigned rd;
    };
    std::vector<VOp> vops;
    std::set<std::tuple<unsigned, uint32_t, uint32_t>> vpending;   // (rd, vPEID, vINTID)

    LpiResult send(unsigned rd, const LpiOp& op) override {
        if (!op.is_virtual()) return FakeEnv::send(rd, op);
        vops.push_back({op, rd});
        LpiResult r;
        const auto key = std::make_tuple(rd, op.vpe.vpeid, op.intid);
        if (op.kind == LpiOp::Kind::set_vlpi) vpending.insert(key);
        if (op.kind == LpiOp::Kind::clear_vlpi) r.was_pending = vpending.erase(key) != 0;
        return r;
    }
    // The kinds sent, in order, with their redistributor and vINTID.
    std::vector<std::tuple<LpiOp::Kind, unsigned, uint32_t>> kinds() const {
        std::vector<std::tuple<LpiOp::Kind, unsigned, uint32_t>> v;
        for (const VOp& o : vops) v.emplace_back(o.op.kind, o.rd, o.op.intid);
        return v;
    }
};

using K = LpiOp::Kind;
using build::by_vpe;
using build::vmapi;
using build::vmapp;
using build::vmapti;
using build::vmovi;
using build::vmovp;
using build::vsgi;
// VMAPP as a GICv4.1 driver sends it: Default_Doorbell 1023 (none, what
// build::vmapp gives with GicVersion::v4_1) unless given.
inline ItsCommand vmapp41(uint32_t vpeid, uint64_t rdbase, uint64_t vpt, uint8_t size, uint32_t db = 1023) {
    ItsCommand c = vmapp(vpeid, rdbase, vpt, size, true, GicVersion::v4_1);
    c.default_doorbell = db;
    return c;
}

class VirtTest : public ::testing::Test {
protected:
    VirtEnv env;
    std::unique_ptr<ItsCore> core;

    void SetUp() override { make(GicVersion::v4_0); }

    static ItsConfig config(GicVersion v) {
        ItsConfig c;
        c.version = v;
        return c;
    }
    void make(GicVersion v) { make(config(v)); }
    void make(const ItsConfig& cfg, uint64_t vt_baser = vpe_baser()) {
        core = std::make_unique<ItsCore>(cfg);
        core->set_redistributors(four_rds());
        ASSERT_TRUE(core->write_register(gits::BASER0, 8, baser_value(kDt, 0, 1)));
        ASSERT_TRUE(core->write_register(gits::BASER(1), 8, baser_value(kCt, 0, 1)));
        ASSERT_TRUE(core->write_register(gits::BASER(2), 8, vt_baser));
        ASSERT_TRUE(core->write_register(gits::CBASER, 8, gits::CBASER_Valid | kCq));
        ASSERT_TRUE(core->write_register(gits::CTLR, 4, 1));
    }
    CommandRecord run(const ItsCommand& cmd) {
        CommandRecord rec;
        core->execute(cmd, env, rec);
        return rec;
    }
    void ok(const ItsCommand& cmd) {
        const CommandRecord r = run(cmd);
        ASSERT_EQ(r.status, 0u) << to_string(cmd, core->config().version) << " " << hex(r.status);
        ASSERT_FALSE(r.memory_error) << to_string(cmd, core->config().version);
    }
    MsiRecord msi(uint32_t dev, uint32_t ev) {
        MsiRecord r;
        core->translate(dev, ev, env, r);
        return r;
    }
    // Run the command whose four words are `w` from the queue.
    ItsCore::CommandResult run_words(const CmdWords& w) {
        uint8_t b[32];
        to_bytes(w, b);
        const uint64_t at = core->cwriter();
        std::memcpy(&env.mem[kCq + at], b, 32);
        core->write_register(gits::CWRITER, 8, (at + 32) % core->queue_bytes());
        return core->process_next(env);
    }
    // VTE of `vpe` and ITE of (dev, ev) as they are in memory.
    VteWords vte_words(unsigned vpe, uint64_t table = kVt) const {
        VteWords w;
        for (unsigned i = 0; i < 4; ++i) w[i] = env.get64(table + 32ull * vpe + 8 * i);
        return w;
    }
    IteWords ite_words(uint64_t itt, uint32_t ev) const {
        return {env.get64(itt + 16ull * ev), env.get64(itt + 16ull * ev + 8)};
    }
    // vPE 2 on RD 1 (VPT_size 15: vINTIDs below 65536); device 1 (ITT0, 32
    // events) with event 3 -> vINTID 8200 of vPE 2, doorbell 8300.
    void basic_virtual() {
        ok(vmapp(2, 1, vpt_of(2), 15));
        ok(mapd(1, kItt0, 4));
        ok(vmapti(1, 3, 2, 8200, 8300));
    }
};

}  // namespace
