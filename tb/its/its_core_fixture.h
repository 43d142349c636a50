// What the ItsCore tests (tb/its/test_its_core_*.cpp) share: the table and
// queue addresses, BASER values, four redistributors, and the fixture - a
// core over a FakeEnv, with flat tables, enabled - with helpers to run a
// command, translate an MSI and drive the command queue. Header-only; each
// test_its_core_*.cpp is its own executable.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "itsim/its/its_core.h"
#include "its_fake_env.h"

using namespace itsim;
using itsim::test::FakeEnv;
using RdOp = FakeEnv::RdOp;

namespace {

constexpr uint64_t kDt = 0x10000;     // device table (flat, 4K, 1 page = 512 devices)
constexpr uint64_t kCt = 0x20000;     // collection table (flat, 4K, 1 page = 512 ICIDs)
constexpr uint64_t kCq = 0x40000;     // command queue, 1 page = 128 commands
constexpr uint64_t kItt0 = 0x100000;  // ITTs
constexpr uint64_t kItt1 = 0x101000;
constexpr uint64_t kBad = 0xF00000;   // FakeEnv answers bus errors from here

inline uint64_t baser_value(uint64_t addr, unsigned page_code, unsigned pages, bool indirect = false) {
    uint64_t v = baser::kValid | (uint64_t(page_code) << 8) | (pages - 1);
    if (indirect) v |= baser::kIndirect;
    if (page_code == 2) v |= (addr & 0x0000'FFFF'FFFF'0000ull) | (((addr >> 48) & 0xF) << 12);
    else v |= addr & baser::kAddrMask;
    return v;
}

inline uint64_t rd_base_of(unsigned i) { return 0x080A'0000ull + i * 0x20000ull; }

inline std::vector<RdInfo> four_rds() {
    std::vector<RdInfo> v;
    for (unsigned i = 0; i < 4; ++i) v.push_back({i, rd_base_of(i)});
    return v;
}

using build::mapc;
using build::mapd;
using build::mapi;
using build::mapti;
using build::movall;
using build::movi;
using build::invall;

class ItsCoreTest : public ::testing::Test {
protected:
    FakeEnv env;
    std::unique_ptr<ItsCore> core;

    void SetUp() override { make(ItsConfig{}); }

    // Build a core, program BASER0/1 and CBASER, enable it.
    void make(const ItsConfig& cfg, uint64_t dev_baser = baser_value(kDt, 0, 1),
              uint64_t col_baser = baser_value(kCt, 0, 1), bool enable = true) {
        core = std::make_unique<ItsCore>(cfg);
        core->set_redistributors(four_rds());
        ASSERT_TRUE(core->write_register(gits::BASER0, 8, dev_baser));
        ASSERT_TRUE(core->write_register(gits::BASER0 + 8, 8, col_baser));
        ASSERT_TRUE(core->write_register(gits::CBASER, 8, gits::CBASER_Valid | kCq));
        if (enable) {
            ASSERT_TRUE(core->write_register(gits::CTLR, 4, 1));
        }
    }
    CommandRecord run(const ItsCommand& cmd) {
        CommandRecord rec;
        core->execute(cmd, env, rec);
        return rec;
    }
    void ok(const ItsCommand& cmd) {
        const CommandRecord r = run(cmd);
        ASSERT_EQ(r.status, 0u) << to_string(cmd);
        ASSERT_FALSE(r.memory_error) << to_string(cmd);
    }
    MsiRecord msi(uint32_t dev, uint32_t ev) {
        MsiRecord r;
        core->translate(dev, ev, env, r);
        return r;
    }
    // Device 1 (ITT0, 32 events) with event 3 -> LPI 8195 in collection 2 on RD 1.
    void basic_mapping() {
        ok(mapc(2, 1));
        ok(mapd(1, kItt0, 4));
        ok(mapti(1, 3, 8195, 2));
    }
    // Append commands to the queue in memory and publish them (CWRITER).
    void enqueue(const std::vector<ItsCommand>& cmds) {
        uint64_t w = core->cwriter();
        const uint64_t qb = core->queue_bytes();
        for (const auto& c : cmds) {
            uint8_t b[32];
            to_bytes(encode(c), b);
            std::memcpy(&env.mem[kCq + w], b, 32);
            w = (w + 32) % qb;
        }
        core->write_register(gits::CWRITER, 8, w);
    }
    std::vector<ItsCore::CommandResult> drain() {
        std::vector<ItsCore::CommandResult> out;
        for (unsigned guard = 0; core->command_ready() && guard < 10000; ++guard) out.push_back(core->process_next(env));
        return out;
    }
};

}  // namespace
