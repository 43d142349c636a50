// An ItsEnv for the ITS fuzz harnesses: guest memory is a 1 MiB byte array
// at kBase (everything else, and any window marked bad, answers a bus
// error); the redistributor stream (send) is a stub that keeps a pending
// set per redistributor and counts what it was asked. Every call checks the
// arguments the core may pass (length, redistributor index) and counts the
// memory accesses so that a harness can bound them per command.
// The 1 MiB lives in one arena for the whole process (allocating and
// faulting it in per input would cost more than most inputs): each MemEnv
// starts with it zeroed and zeroes what it wrote when it goes.
#pragma once

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "fuzz_input.h"
#include "itsim/its/its_core.h"

namespace itsim::fuzz {

struct MemEnv : ItsEnv {
    static constexpr uint64_t kBase = 0x40000000;   // QEMU virt RAM base
    static constexpr uint64_t kBytes = 1u << 20;    // 1 MiB
    static constexpr unsigned kMaxAccess = 256;     // sweep_burst_bytes <= 256, commands 32

    uint8_t* const mem = arena();
    uint64_t dirty_lo = kBytes, dirty_hi = 0;   // [lo, hi) written since construction
    std::vector<std::pair<uint64_t, uint64_t>> bad;   // [lo, hi) answer bus errors
    std::vector<std::set<uint32_t>> pending;
    std::vector<LpiRefusal> refuse;
    uint64_t reads = 0, writes = 0, rd_calls = 0, steps = 0;
    uint64_t bytes_read = 0;

    explicit MemEnv(unsigned rds) : pending(rds), refuse(rds, LpiRefusal::none) {}
    ~MemEnv() override {
        if (dirty_lo < dirty_hi) std::memset(mem + dirty_lo, 0, dirty_hi - dirty_lo);
    }
    MemEnv(const MemEnv&) = delete;
    MemEnv& operator=(const MemEnv&) = delete;

    static uint8_t* arena() {
        static std::vector<uint8_t> bytes(kBytes);
        return bytes.data();
    }
    void touch(uint64_t off, uint64_t len) {
        dirty_lo = std::min(dirty_lo, off);
        dirty_hi = std::max(dirty_hi, off + len);
    }

    void reset_counts() { reads = writes = rd_calls = steps = bytes_read = 0; }

    bool reachable(uint64_t addr, unsigned len) const {
        if (addr < kBase || addr - kBase >= kBytes || len > kBytes - (addr - kBase)) return false;
        for (const auto& b : bad)
            if (addr < b.second && addr + len > b.first) return false;
        return true;
    }
    bool read(uint64_t addr, void* dst, unsigned len, ItsAccess what) override {
        FUZZ_CHECK(len >= 1 && len <= kMaxAccess, "ITS read of " + std::to_string(len) + " bytes (" +
                   to_string(what) + ")");
        ++reads;
        bytes_read += len;
        if (!reachable(addr, len)) return false;
        std::memcpy(dst, &mem[addr - kBase], len);
        return true;
    }
    bool write(uint64_t addr, const void* src, unsigned len, ItsAccess what) override {
        FUZZ_CHECK(len >= 1 && len <= kMaxAccess, "ITS write of " + std::to_string(len) + " bytes (" +
                   to_string(what) + ")");
        ++writes;
        if (!reachable(addr, len)) return false;
        std::memcpy(&mem[addr - kBase], src, len);
        touch(addr - kBase, len);
        return true;
    }
    void step(ItsStep) override { ++steps; }
    void check_rd(unsigned rd, const char* op) const {
        FUZZ_CHECK(rd < pending.size(), std::string(op) + " on redistributor " + std::to_string(rd) + " of " +
                   std::to_string(pending.size()));
    }
    LpiResult send(unsigned rd, const LpiOp& op) override {
        check_rd(rd, to_string(op.kind));
        FUZZ_CHECK(!op.posted, "the core posted a " + std::string(to_string(op.kind)));
        ++rd_calls;
        LpiResult r;
        switch (op.kind) {
        case LpiOp::Kind::set_pending:
            r.refusal = refuse[rd];
            if (r.refusal == LpiRefusal::none) pending[rd].insert(op.intid);
            break;
        case LpiOp::Kind::clear_pending: r.was_pending = pending[rd].erase(op.intid) != 0; break;
        case LpiOp::Kind::take_all:
            r.taken.assign(pending[rd].begin(), pending[rd].end());
            pending[rd].clear();
            break;
        case LpiOp::Kind::inv:
        case LpiOp::Kind::invall:
        case LpiOp::Kind::sync: break;
        default: r.unsupported = true; break;   // a GICv3 redistributor's answer
        }
        return r;
    }

    void put(uint64_t addr, const void* src, size_t len) {
        if (addr < kBase || addr - kBase >= kBytes) return;
        const uint64_t off = addr - kBase;
        const uint64_t n = std::min<uint64_t>(len, kBytes - off);
        std::memcpy(&mem[off], src, n);
        touch(off, n);
    }
    void put64(uint64_t addr, uint64_t v) {
        uint8_t b[8];
        for (unsigned i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
        if (addr <= UINT64_MAX - 8) put(addr, b, 8);
    }
};

}  // namespace itsim::fuzz
