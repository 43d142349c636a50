// fuzz_its_core: the command decoder and ItsCore (registers, command queue,
// the twelve commands, translation, caches) over a 1 MiB guest memory
// (its_mem_env.h). The input is a program:
//
//   byte 0     configuration (bit 0: EventID bits 16 (ItsConfig default)
//              or 5; 1: error policy stall; 2: PTA; 3: no two-level tables;
//              4: no caches; 5: DeviceID bits 6 instead of 16; 6: ICID bits
//              4 instead of 16; 7: sweep bursts of 8 bytes instead of 64)
//   then ops   one byte each (value % kOps) and its operands, until the
//              input ends or kMaxOps ops ran.
//
// Ops write registers (raw and "structured" values that land in the
// memory), append commands at CWRITER the way a driver does (structured or
// raw words), scribble on memory and on table entries (raw, or well-formed
// DTEs and CTEs: the tables live in memory software can write), mark
// memory windows as bus errors, make redistributors refuse LPIs, run
// process_next() (at most kMaxCommands per input) and translate MSIs (at
// most kMaxMsis).
//
// Properties checked besides "no crash, no sanitizer report, no other
// exception": every memory access is 1..256 bytes; redistributor indices are
// in range; a command's memory reads and redistributor calls stay within
// what the architecture allows for the configuration (a MAPD sweep reads at
// most 2^event_id_bits ITEs); CREADR moves by exactly one command or the
// queue stalls (memory errors always stall; command errors stall only under
// `stall`); an unknown opcode reports 0x01<op>FF; GITS_TYPER never changes;
// a delivered MSI is pending at the redistributor of the CPU it names; the
// core's counters add up.
#include <string>

#include "fuzz_input.h"
#include "its_mem_env.h"

using namespace itsim;
using namespace itsim::fuzz;

namespace {

constexpr unsigned kRds = 4;
constexpr unsigned kMaxOps = 4096;
constexpr unsigned kMaxCommands = 256;
constexpr unsigned kMaxMsis = 512;
constexpr uint64_t kRdBase0 = 0x080A0000, kRdStride = 0x20000;

ItsConfig make_config(uint8_t b) {
    ItsConfig c;
    c.event_id_bits = (b & 1) ? 16 : 5;
    c.error_policy = (b & 2) ? ItsErrorPolicy::stall : ItsErrorPolicy::ignore;
    c.pta = (b & 4) != 0;
    c.indirect_tables = (b & 8) == 0;
    if (b & 16) c.device_cache = c.event_cache = c.collection_cache = ItsCacheGeometry{0, 1};
    c.device_id_bits = (b & 32) ? 6 : 16;
    c.icid_bits = (b & 64) ? 4 : 16;
    c.sweep_burst_bytes = (b & 128) ? 8 : 64;
    return c;
}

struct Harness {
    ItsCore core;
    MemEnv env{kRds};
    const uint64_t typer;
    unsigned commands = 0, msis = 0;
    uint64_t executes = 0, translations = 0;

    explicit Harness(const ItsConfig& cfg) : core(cfg), typer(core.typer()) {
        std::vector<RdInfo> rds;
        for (unsigned i = 0; i < kRds; ++i) rds.push_back({i, kRdBase0 + i * kRdStride});
        core.set_redistributors(rds);
    }

    // A small value most of the time (so IDs hit mapped entries), any value otherwise.
    static uint32_t id(Input& in) {
        const uint8_t s = in.u8();
        return (s & 0x80) ? in.u32() : (s & 0x7F);
    }
    // A page-aligned address inside the memory, or (rarely) anywhere.
    static uint64_t addr(Input& in, unsigned align_bits) {
        const uint16_t s = in.u16();
        if (s == 0xFFFF) return in.u64();
        const uint64_t off = (uint64_t(s) << align_bits) % MemEnv::kBytes;
        return MemEnv::kBase + off;
    }
    // RDbase field naming one of the redistributors (or anything).
    uint64_t rdbase(Input& in) const {
        const uint8_t s = in.u8();
        if (s & 0x80) return in.u64() & kRdbaseMask;
        const unsigned i = s % (kRds + 1);   // kRds: names no redistributor
        const uint64_t base = kRdBase0 + uint64_t(i) * kRdStride;
        return core.config().pta ? (base >> 16) : i;
    }

    void write_reg(uint64_t off, unsigned size, uint64_t v) { core.write_register(off, size, v); }

    static const ItsOpcode kOpcodes[12];

    ItsCommand structured_command(Input& in) {
        const uint8_t s = in.u8();
        ItsCommand c;
        c.opcode = (s & 0x80) ? in.u8() : static_cast<uint8_t>(kOpcodes[s % 12]);
        c.device = id(in);
        c.event = id(in);
        const uint8_t is = in.u8();
        c.intid = (is & 0x80) ? in.u32() : 8192 + (is & 0x7F);
        c.icid = id(in) & kIcidMask;
        c.itt_addr = addr(in, 8) & kIttAddrMask;
        c.size = in.u8() & kSizeMask;
        c.valid = in.flag();
        c.rdbase = rdbase(in);
        c.rdbase2 = rdbase(in);
        return c;
    }

    // Append 32 bytes at CWRITER and publish them, as a driver does.
    void append(const uint8_t bytes[32]) {
        const uint64_t qb = core.queue_bytes();
        if (qb == 0) return;
        const uint64_t slot = core.cwriter() % qb;
        env.put((core.cbaser() & gits::CBASER_AddrMask) + slot, bytes, 32);
        write_reg(gits::CWRITER, 8, (slot + 32) % qb);
    }

    // Reads a command may cost: the command, two-level lookups of DTE, ITE
    // and two CTEs, and a MAPD sweep of at most 2^event_id_bits ITEs (each
    // valid one may look its collection up: level-1 + CTE).
    uint64_t max_reads_per_command() const {
        const ItsConfig& c = core.config();
        const uint64_t ites = uint64_t{1} << c.event_id_bits;
        const uint64_t sweep = (ites * kItsEntryBytes + c.sweep_burst_bytes - 1) / c.sweep_burst_bytes;
        return 16 + sweep + 2 * ites;
    }
    uint64_t total_pending() const {
        uint64_t n = 0;
        for (const auto& s : env.pending) n += s.size();
        return n;
    }

    void process() {
        if (commands >= kMaxCommands || !core.command_ready()) return;
        ++commands;
        const uint64_t before = core.creadr();
        const uint64_t qb = core.queue_bytes();
        const uint64_t pending_before = total_pending();
        const uint64_t executed_before = core.commands_executed();
        env.reset_counts();
        const ItsCore::CommandResult r = core.process_next(env);
        // Built only when a check fails (FUZZ_CHECK evaluates its message then).
        auto what = [&] { return std::string() + "process_next at CREADR " + hex(before) + ": " + to_string(r.record.cmd); };
        FUZZ_CHECK(r.record.offset == before, what() + ": record offset " + hex(r.record.offset));
        FUZZ_CHECK(r.stalled != r.retired, what() + ": stalled and retired must differ");
        if (r.retired) {
            FUZZ_CHECK(core.creadr() == (before + 32) % qb, what() + ": CREADR moved to " + hex(core.creadr()));
            FUZZ_CHECK(!r.record.memory_error, what() + ": retired after a memory error");
            if (core.config().error_policy == ItsErrorPolicy::stall)
                FUZZ_CHECK(r.record.status == 0, what() + ": retired with an error under `stall`");
        } else {
            FUZZ_CHECK(core.stalled() && core.creadr() == (before | gits::CREADR_Stalled),
                       what() + ": stalled but CREADR reads " + hex(core.creadr()));
            FUZZ_CHECK(r.record.memory_error || (r.record.status != 0 &&
                                                 core.config().error_policy == ItsErrorPolicy::stall),
                       what() + ": stalled without a reason");
        }
        if (r.record.memory_error) FUZZ_CHECK(r.record.status == 0, what() + ": memory error with a status");
        const bool fetched = core.commands_executed() != executed_before;
        if (fetched) ++executes;
        if (fetched && !is_known_opcode(r.record.cmd.opcode))
            FUZZ_CHECK(r.record.status == cmd_error::unknown_opcode(r.record.cmd.opcode),
                       what() + ": unknown opcode status " + hex(r.record.status));
        FUZZ_CHECK(env.reads <= max_reads_per_command(),
                   what() + ": " + std::to_string(env.reads) + " memory reads (bound " +
                       std::to_string(max_reads_per_command()) + " for event_id_bits " +
                       std::to_string(core.config().event_id_bits) + ")");
        const uint64_t max_rd = (uint64_t{1} << core.config().event_id_bits) + pending_before + 4;
        FUZZ_CHECK(env.rd_calls <= max_rd, what() + ": " + std::to_string(env.rd_calls) + " redistributor calls");
        FUZZ_CHECK(env.writes <= 4, what() + ": " + std::to_string(env.writes) + " memory writes");
    }

    void translate(uint32_t device, uint32_t event) {
        if (msis >= kMaxMsis) return;
        ++msis;
        ++translations;
        env.reset_counts();
        MsiRecord rec;
        core.translate(device, event, env, rec);
        // Built only when a check fails (FUZZ_CHECK evaluates its message then).
        auto what = [&] { return std::string() + "translate(" + hex(device) + ", " + hex(event) + ")"; };
        FUZZ_CHECK(rec.device == device && rec.event == event, what() + ": record names another MSI");
        FUZZ_CHECK(env.reads <= 8, what() + ": " + std::to_string(env.reads) + " memory reads");
        FUZZ_CHECK(env.writes == 0, what() + ": a translation wrote memory");
        FUZZ_CHECK(rec.delivered == rec.reason.empty(), what() + ": delivered=" + std::to_string(rec.delivered) +
                   " reason=" + std::string(rec.reason));
        if (!core.enabled()) FUZZ_CHECK(rec.reason == "its_disabled", what() + ": ITS disabled but " + std::string(rec.reason));
        if (rec.delivered) {
            FUZZ_CHECK(rec.cpu < kRds && env.pending[rec.cpu].count(rec.intid),
                       what() + ": delivered to cpu " + std::to_string(rec.cpu) + " but not pending there");
        }
        FUZZ_CHECK(core.translations_in_flight() == 0, what() + ": translation still counted in flight");
    }

    void check_invariants() {
        FUZZ_CHECK(core.typer() == typer, "GITS_TYPER changed to " + hex(core.typer()));
        FUZZ_CHECK(!core.command_in_flight(), "a command still counted in flight");
        const uint64_t qb = core.queue_bytes();
        if (core.queue_valid()) {
            FUZZ_CHECK((core.creadr() & ~gits::CREADR_Stalled) < qb, "CREADR past the queue");
            FUZZ_CHECK(core.queue_occupancy() < qb / 32, "queue occupancy past the queue");
        }
        FUZZ_CHECK(core.msis_delivered() + core.msis_dropped() == translations, "MSI counters do not add up");
        FUZZ_CHECK(core.commands_executed() == executes, "commands_executed does not count executions");
    }

    void run(Input& in) {
        for (unsigned n = 0; n < kMaxOps && !in.empty(); ++n) {
            switch (in.u8() % 16) {
            case 0: {   // raw register write: any offset, any size (1..8)
                const uint64_t off = in.u16();
                const unsigned size = 1 + in.u8() % 8;
                write_reg(off, size, in.u64());
                break;
            }
            case 1: {   // raw register read
                const uint64_t off = in.u16();
                const unsigned size = 1 + in.u8() % 8;
                uint64_t v = 1;
                const bool ok = core.read_register(off, size, &v);
                if (!ok) FUZZ_CHECK(v == 0, "a refused register read returned " + hex(v));
                break;
            }
            case 2: {   // CBASER: Valid, an address in memory, Size
                const uint64_t a = addr(in, 12);
                const uint8_t size = in.u8();
                const uint64_t attrs = in.u64() & ((uint64_t{7} << 53) | (uint64_t{7} << 59) | (uint64_t{3} << 10));
                write_reg(gits::CBASER, 8, (in.flag() ? 0 : gits::CBASER_Valid) | (a & gits::CBASER_AddrMask) | size | attrs);
                break;
            }
            case 3: {   // BASER<n>: Valid, Indirect, Page_Size, Size, an address in memory
                const unsigned n = in.u8() % 8;
                const uint8_t f = in.u8();
                const uint64_t page = f & 3;
                const uint64_t a = addr(in, page == 0 ? 12 : page == 1 ? 14 : 16);
                uint64_t v = ((f & 4) ? 0 : baser::kValid) | ((f & 8) ? baser::kIndirect : 0) |
                             (page << baser::kPageSizeShift) | (in.u8() & baser::kSizeMask) |
                             (a & baser::kAddrMask) | ((f & 16) ? (uint64_t(in.u8()) << 48) : 0);
                if (page == 2 && (a >> 48)) v |= ((a >> 48) & 0xF) << 12;
                write_reg(gits::BASER0 + 8 * n, 8, v);
                break;
            }
            case 4: {   // CWRITER (optionally Retry)
                const uint64_t v = (uint64_t(in.u16()) << 5) | (in.flag() ? gits::CWRITER_Retry : 0);
                write_reg(gits::CWRITER, 8, v);
                break;
            }
            case 5:     // CTLR
                write_reg(gits::CTLR, 4, in.u8() & 1);
                break;
            case 6: {   // append a structured command
                uint8_t b[32];
                to_bytes(encode(structured_command(in)), b);
                append(b);
                break;
            }
            case 7: {   // append raw command bytes
                uint8_t b[32] = {};
                in.bytes(b, 32);
                append(b);
                break;
            }
            case 8: {   // scribble on memory
                const uint32_t off = in.u32() % MemEnv::kBytes;
                uint8_t b[64];
                const size_t len = in.bytes(b, 1 + in.u8() % 64);
                env.put(MemEnv::kBase + off, b, len);
                break;
            }
            case 9: {   // an entry of a (flat) device or collection table, raw or well-formed
                const uint8_t which = in.u8();
                const uint64_t idx = id(in);
                uint64_t v = 0;
                if (!(which & 2)) {
                    v = in.u64();
                } else if (which & 1) {   // CTE: Valid, an RDbase
                    v = kEntryValid | rdbase(in);
                } else {                  // DTE: Valid, an ITT in memory, any Size (5 bits)
                    const uint64_t itt = addr(in, 8) & kDteIttMask;
                    v = kEntryValid | itt | (in.u8() & kDteSizeMask);
                }
                const TableGeometry& t = (which & 1) ? core.collection_table() : core.device_table();
                env.put64(t.base + idx * 8, v);
                break;
            }
            case 10: {  // run commands
                const unsigned k = 1 + in.u8() % 16;
                for (unsigned i = 0; i < k; ++i) process();
                break;
            }
            case 11: {  // an MSI
                const uint32_t d = id(in);
                translate(d, id(in));
                break;
            }
            case 12: {  // a bus-error window (at most 4)
                const uint64_t lo = addr(in, 8);
                const uint64_t len = 1 + in.u16();
                if (env.bad.size() < 4) env.bad.push_back({lo, lo + len});
                break;
            }
            case 13: {  // a redistributor refuses (or accepts again)
                const unsigned rd = in.u8() % kRds;
                env.refuse[rd] = static_cast<LpiRefusal>(in.u8() % 3);
                break;
            }
            case 14: {  // execute a command directly (no queue)
                if (commands >= kMaxCommands) break;
                ++commands;
                CommandRecord rec;
                env.reset_counts();
                const ItsCommand c = structured_command(in);
                core.execute(c, env, rec);
                ++executes;
                FUZZ_CHECK(env.reads <= max_reads_per_command(), "execute " + to_string(c) + ": " +
                           std::to_string(env.reads) + " memory reads");
                break;
            }
            default: {  // decode/encode of arbitrary words
                CmdWords w{in.u64(), in.u64(), in.u64(), in.u64()};
                const ItsCommand c = decode(w);
                FUZZ_CHECK(decode(encode(c)) == c, "decode(encode(decode(w))) != decode(w) for " + to_string(c));
                if (!is_known_opcode(c.opcode)) FUZZ_CHECK(encode(c) == w, "unknown opcode words not kept");
                break;
            }
            }
            check_invariants();
        }
    }
};

const ItsOpcode Harness::kOpcodes[12] = {ItsOpcode::MOVI, ItsOpcode::INT,   ItsOpcode::CLEAR,  ItsOpcode::SYNC,
                                         ItsOpcode::MAPD, ItsOpcode::MAPC,  ItsOpcode::MAPTI,  ItsOpcode::MAPI,
                                         ItsOpcode::INV,  ItsOpcode::INVALL, ItsOpcode::MOVALL, ItsOpcode::DISCARD};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    Input in(data, size);
    Harness h(make_config(in.u8()));
    h.run(in);
    return 0;
}
