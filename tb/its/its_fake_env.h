// A fake ItsEnv for plain-C++ tests of ItsCore: a byte-array memory with
// error ranges, a log of every access, step and redistributor operation, and
// per-redistributor pending sets.
#pragma once

#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "itsim/its/its_core.h"

namespace itsim::test {

struct FakeEnv : ItsEnv {
    static constexpr uint64_t kMemBytes = 16u << 20;   // 16 MiB at PA 0

    struct Access {
        uint64_t addr;
        unsigned len;
        ItsAccess what;
        bool write;
    };
    struct RdOp {
        std::string op;
        unsigned rd;
        uint32_t intid;
        bool operator==(const RdOp& o) const { return op == o.op && rd == o.rd && intid == o.intid; }
    };

    std::vector<uint8_t> mem = std::vector<uint8_t>(kMemBytes);
    std::vector<std::pair<uint64_t, uint64_t>> bad;   // [lo, hi): bus errors
    std::vector<Access> log;
    std::vector<ItsStep> steps;
    std::vector<RdOp> rd_ops;
    std::vector<std::set<uint32_t>> pending;
    std::vector<LpiRefusal> refuse;
    // Called after a read's data arrived, before it returns to the core
    // (lets a test run a command "while the read was in flight").
    std::function<void(const Access&)> after_read;

    explicit FakeEnv(unsigned rds = 4) : pending(rds), refuse(rds, LpiRefusal::none) {}

    bool reachable(uint64_t addr, unsigned len) const {
        if (addr >= kMemBytes || len > kMemBytes - addr) return false;
        for (auto& b : bad)
            if (addr < b.second && addr + len > b.first) return false;
        return true;
    }
    bool read(uint64_t addr, void* dst, unsigned len, ItsAccess what) override {
        log.push_back({addr, len, what, false});
        if (!reachable(addr, len)) return false;
        std::memcpy(dst, &mem[addr], len);
        if (after_read) after_read(log.back());
        return true;
    }
    bool write(uint64_t addr, const void* src, unsigned len, ItsAccess what) override {
        log.push_back({addr, len, what, true});
        if (!reachable(addr, len)) return false;
        std::memcpy(&mem[addr], src, len);
        return true;
    }
    void step(ItsStep s) override { steps.push_back(s); }
    // The stream: each op logged by the name of its kind (set, clear, inv,
    // invall, sync, take_all; the virtual kinds by to_string()).
    LpiResult send(unsigned rd, const LpiOp& op) override {
        LpiResult r;
        switch (op.kind) {
        case LpiOp::Kind::set_pending:
            rd_ops.push_back({"set", rd, op.intid});
            r.refusal = refuse[rd];
            if (r.refusal == LpiRefusal::none) pending[rd].insert(op.intid);
            break;
        case LpiOp::Kind::clear_pending:
            rd_ops.push_back({"clear", rd, op.intid});
            r.was_pending = pending[rd].erase(op.intid) != 0;
            break;
        case LpiOp::Kind::inv: rd_ops.push_back({"inv", rd, op.intid}); break;
        case LpiOp::Kind::invall: rd_ops.push_back({"invall", rd, 0}); break;
        case LpiOp::Kind::sync: rd_ops.push_back({"sync", rd, 0}); break;
        case LpiOp::Kind::take_all:
            rd_ops.push_back({"take_all", rd, 0});
            r.taken.assign(pending[rd].begin(), pending[rd].end());
            pending[rd].clear();
            break;
        default:
            rd_ops.push_back({to_string(op.kind), rd, op.intid});
            r.unsupported = true;
            break;
        }
        return r;
    }

    uint64_t get64(uint64_t addr) const {
        uint64_t v = 0;
        for (unsigned i = 0; i < 8; ++i) v |= uint64_t{mem.at(addr + i)} << (8 * i);
        return v;
    }
    void put64(uint64_t addr, uint64_t v) {
        for (unsigned i = 0; i < 8; ++i) mem.at(addr + i) = static_cast<uint8_t>(v >> (8 * i));
    }
    unsigned count(ItsAccess what, bool write) const {
        unsigned n = 0;
        for (auto& a : log)
            if (a.what == what && a.write == write) ++n;
        return n;
    }
    unsigned reads() const {
        unsigned n = 0;
        for (auto& a : log) n += !a.write;
        return n;
    }
    unsigned writes() const { return static_cast<unsigned>(log.size()) - reads(); }
    // What each read was for, in order (shows where a failing command stopped).
    std::vector<ItsAccess> read_kinds() const {
        std::vector<ItsAccess> v;
        for (auto& a : log)
            if (!a.write) v.push_back(a.what);
        return v;
    }
    void clear_logs() {
        log.clear();
        steps.clear();
        rd_ops.clear();
    }
};

}  // namespace itsim::test
