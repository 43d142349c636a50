// What the LpiState tests (tb/redist/test_lpi_state_*.cpp) share. LpiState
// is plain C++, no kernel. The backend is a sparse byte map that records
// every access and hook call, so the tests can check what was read and
// written, in which order, and how often. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "itsim/redist/lpi_state.h"

using namespace itsim;

namespace {

constexpr uint64_t kProp = 0x100000;    // property table
constexpr uint64_t kPend = 0x200000;    // pending table
constexpr uint8_t kGroup1 = 0x02;       // bit 1, RES1 as Linux writes it

inline uint8_t prop(uint8_t priority, bool enabled) {
    return uint8_t((priority & 0xFC) | kGroup1 | (enabled ? 1 : 0));
}

struct Access {
    char kind;   // 'r', 'w'
    uint64_t addr;
    unsigned len;
};

class FakeMem : public LpiBackend {
public:
    std::map<uint64_t, uint8_t> bytes;
    std::vector<Access> log;
    std::string events;   // L = lookup, R = read, W = write, U = update
    uint64_t fail_from = ~uint64_t{0}, fail_to = 0;   // reads in [from, to) fail
    uint64_t now = 0;
    std::function<void()> during_read;

    void set_prop(uint32_t intid, uint8_t v) { bytes[kProp + intid - 8192] = v; }
    uint8_t at(uint64_t a) const {
        auto it = bytes.find(a);
        return it == bytes.end() ? 0 : it->second;
    }
    size_t reads() const {
        size_t n = 0;
        for (const Access& a : log) n += a.kind == 'r';
        return n;
    }
    size_t writes() const { return log.size() - reads(); }

    bool read(uint64_t addr, void* dst, unsigned len) override {
        log.push_back({'r', addr, len});
        events += 'R';
        if (during_read) during_read();
        if (addr < fail_to && addr + len > fail_from) return false;
        auto* d = static_cast<uint8_t*>(dst);
        for (unsigned i = 0; i < len; ++i) d[i] = at(addr + i);
        return true;
    }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        log.push_back({'w', addr, len});
        events += 'W';
        auto* s = static_cast<const uint8_t*>(src);
        for (unsigned i = 0; i < len; ++i) bytes[addr + i] = s[i];
        return true;
    }
    void on_config_lookup() override { events += 'L'; }
    void on_pending_update() override { events += 'U'; }
    uint64_t stamp() override { return now; }
};

inline LpiStateConfig cache_cfg(size_t entries, size_t ways, unsigned line = 1) {
    LpiStateConfig c;
    c.cache_entries = entries;
    c.cache_ways = ways;
    c.line_bytes = line;
    return c;
}

struct LpiStateTest : ::testing::Test {
    FakeMem mem;
    LpiState st{cache_cfg(64, 4)};
    void SetUp() override { st.set_tables(kProp, kPend, 1u << 16); }
    std::vector<uint32_t> drain_acks() {
        std::vector<uint32_t> v;
        for (uint32_t id = st.acknowledge().intid; id != 1023; id = st.acknowledge().intid)
            v.push_back(id);
        return v;
    }
};

}  // namespace
