// fuzz_gits_regs: the GITS register file alone (ItsCore::read_register /
// write_register) against a shadow written from the register rules in
// its_core.h ("Documented choices / Registers"), not from the code:
//
//  - accesses must be 4 or 8 bytes, naturally aligned, and reach a register
//    of the table (CTLR, IIDR, TYPER, CBASER, CWRITER, CREADR, BASER0..7,
//    the ID block 0xFFD0-0xFFFC; an 8-byte access reaches two 32-bit ones);
//    any other is a bad access (false, reads 0, no effect);
//  - a 32-bit access reaches one half of a 64-bit register; a 64-bit read
//    is the two 32-bit reads of its halves;
//  - CTLR.Enabled is the only writable CTLR bit; Quiescent = !Enabled here
//    (nothing is in flight) unless MSIs are waiting; IIDR = config.iidr;
//  - CBASER takes its writable fields while disabled (and clears CREADR and
//    Stalled), is unchanged while enabled; CWRITER holds Offset bits only,
//    Retry clears Stalled; CREADR is RO;
//  - BASER0/1 keep Type and Entry_Size (RO), take their other fields while
//    disabled (Page_Size 0b11 reads 0b10, Indirect only with two-level
//    tables); BASER2..7 are RAZ/WI;
//  - GITS_TYPER is the value the configuration implies (Physical,
//    ITT_entry_size 7, ID_bits, Devbits, PTA, CIL/CIDbits), every time;
//    PIDR2 reads 0x3B and the ID block never changes; everything else RAZ.
// process_next() over a zero-filled memory (opcode 0: an unknown command)
// moves CREADR, so "CREADR inside the queue" and the stall rules are
// exercised too.
//
// Input: byte 0 configuration (as fuzz_its_core: bit 0 EventID bits 16/5,
// 1 stall, 2 PTA, 3 no two-level tables, 5 DeviceID bits 6, 6 ICID bits 4),
// then ops: [op] [operands...].
#include <map>
#include <string>

#include "fuzz_input.h"
#include "its_mem_env.h"

using namespace itsim;
using namespace itsim::fuzz;

namespace {

constexpr unsigned kMaxOps = 4096;
constexpr unsigned kMaxCommands = 256;

ItsConfig make_config(uint8_t b, uint32_t iidr) {
    ItsConfig c;
    c.event_id_bits = (b & 1) ? 16 : 5;
    c.error_policy = (b & 2) ? ItsErrorPolicy::stall : ItsErrorPolicy::ignore;
    c.pta = (b & 4) != 0;
    c.indirect_tables = (b & 8) == 0;
    c.device_id_bits = (b & 32) ? 6 : 16;
    c.icid_bits = (b & 64) ? 4 : 16;
    c.iidr = iidr;
    return c;
}

// GITS_TYPER as IHI 0069 lays it out, from the configuration.
uint64_t expected_typer(const ItsConfig& c) {
    uint64_t t = 1 | (uint64_t{7} << 4) | (uint64_t(c.event_id_bits - 1) << 8) |
                 (uint64_t(c.device_id_bits - 1) << 13) | (uint64_t(c.pta) << 19);
    if (c.icid_bits < 16) t |= (uint64_t(c.icid_bits - 1) << 32) | (uint64_t{1} << 36);
    return t;
}

struct Shadow {
    bool enabled = false;
    bool stalled = false;
    uint64_t cbaser = 0, cwriter = 0, creadr = 0;
    uint64_t baser[8] = {};
    unsigned waiting = 0;
};

constexpr uint64_t kBaserRO = baser::kTypeMask | baser::kEntrySizeMask;

struct Harness {
    ItsConfig cfg;
    ItsCore core;
    MemEnv env{1};
    Shadow s;
    std::map<uint64_t, uint64_t> id_block;   // first value read at each ID-register slot
    unsigned commands = 0;

    explicit Harness(const ItsConfig& c) : cfg(c), core(c) {
        core.set_redistributors({RdInfo{0, 0x080A0000}});
        s.baser[0] = (uint64_t(BaserType::device) << baser::kTypeShift) | (uint64_t{7} << baser::kEntrySizeShift);
        s.baser[1] = (uint64_t(BaserType::collection) << baser::kTypeShift) | (uint64_t{7} << baser::kEntrySizeShift);
        FUZZ_CHECK(core.typer() == expected_typer(cfg), "GITS_TYPER " + hex(core.typer()) + " expected " +
                   hex(expected_typer(cfg)));
    }

    // A 4-byte slot holding (part of) a register of the control frame.
    static bool register_slot(uint64_t w) {
        return w < 0x10 || (w >= gits::CBASER && w < gits::CREADR + 8) ||
               (w >= gits::BASER0 && w < gits::BASER0 + 64) || (w >= gits::PIDR4 && w < 0x10000);
    }
    static bool valid_access(uint64_t off, unsigned size) {
        if ((size != 4 && size != 8) || off % size) return false;
        return register_slot(off) || (size == 8 && register_slot(off + 4));
    }

    uint64_t shadow_ctlr() const {
        uint64_t v = s.enabled ? gits::CTLR_Enabled : 0;
        if (!s.enabled && s.waiting == 0) v |= gits::CTLR_Quiescent;
        return v | (uint64_t{cfg.iidr} << 32);
    }

    // The 64-bit value the shadow expects at `slot`; false: an ID-block slot
    // (checked for constancy instead).
    bool shadow64(uint64_t slot, uint64_t* v) const {
        *v = 0;
        if (slot >= 0xFFD0) return false;
        switch (slot) {
        case gits::CTLR: *v = shadow_ctlr(); break;
        case gits::TYPER: *v = expected_typer(cfg); break;
        case gits::CBASER: *v = s.cbaser; break;
        case gits::CWRITER: *v = s.cwriter; break;
        case gits::CREADR: *v = s.creadr | (s.stalled ? gits::CREADR_Stalled : 0); break;
        default:
            if (slot >= gits::BASER0 && slot < gits::BASER0 + 64) *v = s.baser[(slot - gits::BASER0) / 8];
            break;
        }
        return true;
    }

    void shadow_write(uint64_t off, unsigned size, uint64_t v) {
        const uint64_t slot = off & ~uint64_t{7};
        if (slot == gits::CTLR) {
            if (off == gits::CTLR) s.enabled = (v & 1) != 0;
            return;
        }
        uint64_t cur = 0;
        shadow64(slot, &cur);
        uint64_t nv = v;
        if (size == 4) nv = (off & 4) ? ((cur & 0xFFFFFFFFu) | (v << 32)) : ((cur & ~uint64_t{0xFFFFFFFFu}) | (v & 0xFFFFFFFFu));
        if (slot == gits::CBASER) {
            if (s.enabled) return;
            s.cbaser = nv & gits::CBASER_Writable;
            s.creadr = 0;
            s.stalled = false;
        } else if (slot == gits::CWRITER) {
            s.cwriter = nv & gits::QUEUE_OffsetMask;
            if (nv & gits::CWRITER_Retry) s.stalled = false;
        } else if (slot == gits::BASER0 || slot == gits::BASER0 + 8) {
            if (s.enabled) return;
            const unsigned n = unsigned(slot - gits::BASER0) / 8;
            uint64_t w = nv & ~kBaserRO & ~(uint64_t{0x1F} << 48);
            // Bits no BASER field holds (RES0): 52 sits between Entry_Size and OuterCache.
            w &= baser::kSizeMask | baser::kPageSizeMask | baser::kShareabilityMask | baser::kAddrMask |
                 baser::kOuterCacheMask | baser::kInnerCacheMask | baser::kIndirect | baser::kValid;
            if (!cfg.indirect_tables) w &= ~baser::kIndirect;
            if (((w >> baser::kPageSizeShift) & 3) == 3) w = (w & ~baser::kPageSizeMask) | (uint64_t{2} << baser::kPageSizeShift);
            s.baser[n] = (s.baser[n] & kBaserRO) | w;
        }
    }

    void write(uint64_t off, unsigned size, uint64_t v) {
        if (size == 4) v &= 0xFFFFFFFFu;
        const bool ok = core.write_register(off, size, v);
        FUZZ_CHECK(ok == valid_access(off, size), "write_register(" + hex(off) + ", " + std::to_string(size) +
                   ") returned " + std::to_string(ok));
        if (ok) shadow_write(off, size, v);
    }

    void read(uint64_t off, unsigned size) {
        uint64_t v = 0xBAD;
        const bool ok = core.read_register(off, size, &v);
        // Built only when a check fails (FUZZ_CHECK evaluates its message then).
        auto what = [&] { return std::string() + "read_register(" + hex(off) + ", " + std::to_string(size) + ")"; };
        FUZZ_CHECK(ok == valid_access(off, size), what() + " returned " + std::to_string(ok));
        if (!ok) {
            FUZZ_CHECK(v == 0, what() + " refused but read " + hex(v));
            return;
        }
        const uint64_t slot = off & ~uint64_t{7};
        uint64_t lo = 0, hi = 0;
        FUZZ_CHECK(core.read_register(slot, 4, &lo) && core.read_register(slot + 4, 4, &hi), what() + ": halves");
        uint64_t full = 0;
        FUZZ_CHECK(core.read_register(slot, 8, &full) && full == (lo | (hi << 32)),
                   what() + ": 64-bit read " + hex(full) + " is not its halves " + hex(lo) + ", " + hex(hi));
        const uint64_t want_v = size == 8 ? full : (off & 4) ? hi : lo;
        FUZZ_CHECK(v == want_v, what() + " = " + hex(v) + " but the same register reads " + hex(want_v));
        uint64_t want = 0;
        if (shadow64(slot, &want)) {
            FUZZ_CHECK(full == want, what() + ": register holds " + hex(full) + ", the rules say " + hex(want));
        } else {
            auto [it, fresh] = id_block.emplace(slot, full);
            FUZZ_CHECK(fresh || it->second == full, what() + ": ID register changed to " + hex(full));
            if (slot == (gits::PIDR2 & ~uint64_t{7})) FUZZ_CHECK(lo == gits::PIDR2_Value, "GITS_PIDR2 = " + hex(lo));
        }
    }

    void process() {
        if (commands >= kMaxCommands) return;
        const bool ready = s.enabled && !s.stalled && s.cbaser & gits::CBASER_Valid &&
                           s.cwriter < ((s.cbaser & 0xFF) + 1) * 4096 && s.creadr < ((s.cbaser & 0xFF) + 1) * 4096 &&
                           s.creadr != s.cwriter;
        FUZZ_CHECK(core.command_ready() == ready, "command_ready() = " + std::to_string(core.command_ready()) +
                   ", the registers say " + std::to_string(ready));
        if (!ready) return;
        ++commands;
        const ItsCore::CommandResult r = core.process_next(env);
        if (r.retired) {
            s.creadr = (s.creadr + 32) % (((s.cbaser & 0xFF) + 1) * 4096);
        } else {
            s.stalled = true;
        }
        // Opcode 0 is unknown: retired under `ignore`, stalled under `stall`;
        // a command outside the memory is a memory error: stalled.
        const bool in_mem = env.reachable((s.cbaser & gits::CBASER_AddrMask) + r.record.offset, 32);
        const bool want_stall = !in_mem || cfg.error_policy == ItsErrorPolicy::stall;
        FUZZ_CHECK(r.stalled == want_stall, "process_next at " + hex(r.record.offset) + " stalled=" +
                   std::to_string(r.stalled));
    }

    void check_all() {
        for (uint64_t slot : {gits::CTLR, gits::TYPER, gits::CBASER, gits::CWRITER, gits::CREADR})
            read(slot, 8);
        for (unsigned n = 0; n < 8; ++n) read(gits::BASER0 + 8 * n, 8);
        read(gits::PIDR2, 4);
        const uint64_t qb = core.queue_bytes();
        if (core.queue_valid())
            FUZZ_CHECK((core.creadr() & ~gits::CREADR_Stalled) < qb, "CREADR " + hex(core.creadr()) + " past the queue");
    }

    // An offset: mostly a register of the frame (or its neighbours), sometimes any.
    static uint64_t offset(Input& in) {
        static const uint64_t regs[] = {gits::CTLR,   gits::IIDR,        gits::TYPER,       gits::TYPER + 4,
                                        gits::CBASER, gits::CBASER + 4,  gits::CWRITER,     gits::CWRITER + 4,
                                        gits::CREADR, gits::CREADR + 4,  gits::BASER0,      gits::BASER0 + 4,
                                        0x108,        0x10C,             0x110,             0x138,
                                        gits::PIDR2,  gits::PIDR0,       gits::CIDR0,       0xFFFC,
                                        gits::PIDR4,  0x10000,           gits::TRANSLATER,  0x98};
        const uint8_t s = in.u8();
        if (s & 0x80) return in.u32();
        return regs[s % (sizeof regs / sizeof regs[0])] + ((s & 0x40) ? (in.u8() & 7) : 0);
    }

    void run(Input& in) {
        for (unsigned n = 0; n < kMaxOps && !in.empty(); ++n) {
            const uint8_t op = in.u8();
            switch (op % 8) {
            case 0:
            case 1: {   // write: offset, size 1..8, value
                const uint64_t off = offset(in);
                const unsigned size = (op & 0x10) ? (1 + in.u8() % 8) : ((op & 0x20) ? 8 : 4);
                write(off, size, in.u64());
                break;
            }
            case 2: {   // read
                const uint64_t off = offset(in);
                read(off, (op & 0x10) ? (1 + in.u8() % 8) : ((op & 0x20) ? 8 : 4));
                break;
            }
            case 3: {   // a valid queue in the memory (so that commands are fetched)
                const uint64_t page = in.u8();
                write(gits::CBASER, 8, gits::CBASER_Valid | (MemEnv::kBase + (page << 12)) | (in.u8() & 0xF));
                break;
            }
            case 4:     // run commands
                for (unsigned i = 0, k = 1 + in.u8() % 8; i < k; ++i) process();
                break;
            case 5:     // MSIs waiting in the module's ingress buffer
                s.waiting = in.u8() % 3;
                core.set_waiting_msis(s.waiting);
                break;
            case 6:     // enable / disable
                write(gits::CTLR, 4, in.u8() & 1);
                break;
            default:    // CWRITER near the queue's end (wrap, invalid offsets)
                write(gits::CWRITER, 8, (uint64_t(in.u16()) << 5) | (in.u8() & 1));
                break;
            }
            check_all();
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    Input in(data, size);
    const uint8_t c = in.u8();
    const uint32_t iidr = (c & 16) ? in.u32() : 0x01000000;
    Harness h(make_config(c, iidr));
    h.run(in);
    return 0;
}
