// fuzz_gicr_regs: the GICR register file of the SystemC Redistributor
// (models/redist), MMIO through its target socket, plus the calls the ITS
// and the CPU interface make (LpiStreamIf, acknowledge), over a 16 MiB Memory.
//
// One SystemC world is built once (LLVMFuzzerInitialize): four units, each
// a Redistributor whose bus socket is bound straight to its own Memory, its
// irq to a signal, its mmio socket to an initiator of the Tester. Units
// differ in what they configure (timing mode, pending-table policy, cache,
// line and burst sizes, INTID bits, allow_disable); see make_units(). Each
// input runs on the unit its first byte selects: the Tester's SC_THREAD
// first resets that unit (EnableLPIs 1 -> 0, PROPBASER = PENDBASER = 0, all
// memory zeroed, WAKER.ProcessorSleep = 1) so that an input replays alone
// as it ran in the campaign, then executes the input's ops; the harness
// runs sc_start() until the kernel starves or kSimLimit, whichever first.
// Unit 3 has allow_disable = 0: once its LPIs are enabled they stay
// enabled, so its state (pending LPIs, caches) carries across inputs.
//
// Properties: register reads match a shadow kept from the register table
// (gicr_regs.h) - CTLR (EnableLPIs, CES, IR, RWP = 0), IIDR, TYPER, WAKER,
// PROPBASER and PENDBASER (writable fields only, not while enabled, PTZ
// reads 0), SYNCR 0, PIDR2 0x3B, every other offset 0; 64-bit reads are
// their halves; responses follow the headers (address error past 128 KiB;
// other sizes, misalignment and offsets that are no register read 0, change
// nothing and are OK - the bad-access rule, common/reg_frame.h; byte
// enables, a short streaming width and no data pointer get the byte-enable,
// burst and generic errors of reg_frame_tlm.h; TLM_IGNORE_COMMAND OK); the LPI range latched at
// EnableLPIs 0 -> 1 is 8192 .. 2^(min(IDbits, max_id_bits-1)+1); no LPI is
// pending while LPIs are disabled; SETLPIR/set_pending make an in-range LPI
// pending, CLRLPIR/clear_pending clear it; take_all_pending returns the
// pending set in INTID order; acknowledge returns highest_pending() once that has been
// selectable for a signal latency (and never a non-LPI); each
// input finishes within kBudget of simulated time and leaves no activity
// behind after kSimLimit.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "fuzz_input.h"
#include "gicr_shadow.h"
#include "itsim/common/its_cmd.h"
#include "itsim/memory/memory.h"
#include "itsim/redist/redistributor.h"

using namespace itsim;
using namespace itsim::fuzz;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_MS;

namespace {

constexpr unsigned kUnits = 4;
constexpr unsigned kMaxOps = 1024;
constexpr uint64_t kMemBytes = 16u << 20;
const sc_time kBudget(20, SC_MS);     // the Tester starts no op past this
const sc_time kSimLimit(200, SC_MS);  // sc_start() per input

std::vector<RedistConfig> make_units() {
    std::vector<RedistConfig> v(kUnits);
    // 0: accurate, lazy, the defaults.
    v[0].processor_number = 0;
    v[0].last = false;
    // 1: accurate, write-through, no configuration cache, tiny queues.
    v[1].processor_number = 1;
    v[1].pending_table = PendingTablePolicy::through;
    v[1].config_cache_entries = 0;
    v[1].pending_read_burst = 1;
    v[1].reg_inv_queue = 4;
    v[1].max_id_bits = 14;
    v[1].affinity = 0x01020304;
    // 2: fast with DMI, lazy with a small dirty limit, 64-byte lines.
    v[2].processor_number = 2;
    v[2].mode = TimingMode::fast;
    v[2].use_dmi = true;
    v[2].lazy_dirty_limit = 4;
    v[2].config_line_bytes = 64;
    v[2].config_cache_entries = 8;
    v[2].config_cache_ways = 2;
    v[2].pending_read_burst = 256;
    v[2].iidr = 0xFFFFFFFF;
    // 3: fast, write-through, EnableLPIs RES1 once set (state carries).
    v[3].processor_number = 0xFFFF;
    v[3].mode = TimingMode::fast;
    v[3].pending_table = PendingTablePolicy::through;
    v[3].allow_disable = false;
    v[3].max_id_bits = 24;
    v[3].affinity = 0xFFFFFFFF;
    return v;
}

struct Unit {
    RedistConfig cfg;
    std::unique_ptr<Memory> mem;
    std::unique_ptr<Redistributor> rd;
    std::unique_ptr<sc_core::sc_signal<bool>> irq;
    std::unique_ptr<tlm_utils::simple_initiator_socket<struct Tester>> sock;
    std::unique_ptr<BusMaster> bm;
    std::unique_ptr<Timeline> tl;
    GicrShadow s;
};

struct Tester : sc_core::sc_module {
    std::vector<Unit> units;
    sc_core::sc_event go;
    const uint8_t* data = nullptr;
    size_t size = 0;
    bool busy = false;
    // A posted set_pending LPI is recorded by the redistributor's method at its
    // time, so while one may be outstanding an LPI can turn pending during
    // any wait: the exact before/after checks then only hold one way.
    bool posted = false;

    SC_HAS_PROCESS(Tester);
    explicit Tester(sc_core::sc_module_name n) : sc_module(n), units(kUnits) {
        const std::vector<RedistConfig> cfgs = make_units();
        for (unsigned i = 0; i < kUnits; ++i) {
            Unit& u = units[i];
            u.cfg = cfgs[i];
            u.s.cfg = cfgs[i];
            const std::string id = std::to_string(i);
            MemoryConfig mc;
            mc.size = kMemBytes;
            mc.dmi = u.cfg.use_dmi;
            u.mem = std::make_unique<Memory>(("mem" + id).c_str(), mc);
            u.rd = std::make_unique<Redistributor>(("gicr" + id).c_str(), u.cfg);
            u.irq = std::make_unique<sc_core::sc_signal<bool>>(("irq" + id).c_str());
            u.sock = std::make_unique<tlm_utils::simple_initiator_socket<Tester>>(("sock" + id).c_str());
            u.rd->bus.bind(u.mem->socket);
            u.rd->irq(*u.irq);
            u.sock->bind(u.rd->mmio);
            u.bm = std::make_unique<BusMaster>(*u.sock, false);
            u.tl = std::make_unique<Timeline>(u.cfg.mode);
        }
        SC_THREAD(run);
        set_stack_size(4 << 20);   // ASan frames are large
    }

    void run() {
        for (;;) {
            sc_core::wait(go);
            Input in(data, size);
            Unit& u = units[in.u8() % kUnits];
            posted = false;
            reset(u, in.u8());
            program(u, in);
            u.tl->sync_now();
            final_checks(u);
            busy = false;
        }
    }

    // ---- MMIO ----
    tlm::tlm_response_status mmio(Unit& u, tlm::tlm_command cmd, uint64_t off, uint8_t* buf, unsigned len) {
        u.bm->access(cmd, off, buf, len, *u.tl);   // no bus: the socket sees RD_base offsets
        return u.bm->last_status();
    }
    void write(Unit& u, uint64_t off, unsigned len, uint64_t v) {
        uint8_t b[16] = {};
        for (unsigned i = 0; i < len && i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
        const auto st = mmio(u, tlm::TLM_WRITE_COMMAND, off, b, len);
        const auto want = GicrShadow::expected_status(off, len);
        FUZZ_CHECK(st == want, "GICR write at " + hex(off) + " len " + std::to_string(len) + ": status " +
                   std::to_string(int(st)) + ", expected " + std::to_string(int(want)));
        if (st != tlm::TLM_OK_RESPONSE || !GicrShadow::good_access(off, len)) return;
        if (len == 4) v &= 0xFFFFFFFFu;
        u.s.write(off, len, v);
        after_write(u, off, len, v);
    }

    uint64_t read(Unit& u, uint64_t off, unsigned len) {
        uint8_t b[16] = {};
        const auto st = mmio(u, tlm::TLM_READ_COMMAND, off, b, len);
        const auto want = GicrShadow::expected_status(off, len);
        const std::string what = "GICR read at " + hex(off) + " len " + std::to_string(len);
        FUZZ_CHECK(st == want, what + ": status " + std::to_string(int(st)) + ", expected " + std::to_string(int(want)));
        if (st != tlm::TLM_OK_RESPONSE) return 0;
        uint64_t v = 0;
        for (unsigned i = 0; i < len && i < 8; ++i) v |= uint64_t(b[i]) << (8 * i);
        for (unsigned i = 8; i < len && i < sizeof b; ++i)
            FUZZ_CHECK(b[i] == 0, what + ": byte " + std::to_string(i) + " of a bad access is not 0");
        const uint64_t e = u.s.read(off, len);
        FUZZ_CHECK(v == e, what + " = " + hex(v) + ", the register table says " + hex(e));
        return v;
    }

    // ---- LPI-level properties ----
    static uint32_t lpi_id(Input& in) {
        const uint8_t s = in.u8();
        if (s & 0x80) return in.u32();
        return 8192 + uint32_t(s & 0x7F) + ((s & 0x40) ? uint32_t(in.u8()) << 6 : 0);
    }
    static bool in_range(const Unit& u, uint64_t id) { return u.s.in_range(id); }

    void after_write(Unit& u, uint64_t off, unsigned len, uint64_t v) {
        const uint64_t slot = off & ~uint64_t{7};
        const bool low = len == 8 || (off & 4) == 0;
        if (!low || len == 0) return;
        const uint32_t id = uint32_t(v);
        if (slot == gicr::SETLPIR && in_range(u, id))
            FUZZ_CHECK(u.rd->lpis().is_pending(id), "SETLPIR " + std::to_string(id) + " left it not pending");
        if (slot == gicr::CLRLPIR && !posted)
            FUZZ_CHECK(!u.rd->lpis().is_pending(id), "CLRLPIR " + std::to_string(id) + " left it pending");
    }

    void check_state(Unit& u) {
        const Redistributor& rd = *u.rd;
        FUZZ_CHECK(rd.lpis_enabled() == u.s.enabled, "EnableLPIs " + std::to_string(rd.lpis_enabled()) +
                   ", the writes say " + std::to_string(u.s.enabled));
        FUZZ_CHECK(rd.propbaser() == u.s.propbaser && rd.pendbaser() == u.s.pendbaser, "BASER state differs");
        FUZZ_CHECK(rd.typer() == u.s.typer(), "GICR_TYPER " + hex(rd.typer()));
        if (!u.s.enabled) {
            FUZZ_CHECK(rd.lpis().pending_count() == 0, std::to_string(rd.lpis().pending_count()) +
                       " LPIs pending with LPIs disabled");
            FUZZ_CHECK(rd.intid_limit() == 0, "an LPI range while disabled");
        } else {
            FUZZ_CHECK(rd.intid_limit() == u.s.limit, "LPI range end " + std::to_string(rd.intid_limit()) +
                       ", expected " + std::to_string(u.s.limit));
            const uint64_t room = u.s.limit > 8192 ? u.s.limit - 8192 : 0;
            FUZZ_CHECK(rd.lpis().pending_count() <= room, "more LPIs pending than the range holds");
        }
        const uint32_t h = rd.highest_pending();
        FUZZ_CHECK(h == lpi::kSpurious || rd.lpis().is_pending(h), "highest_pending " + std::to_string(h) +
                   " is not pending");
        FUZZ_CHECK(rd.lpis().selectable_count() <= rd.lpis().pending_count(), "more selectable than pending");
    }

    void final_checks(Unit& u) {
        for (uint32_t id : u.rd->lpis().pending_list())
            FUZZ_CHECK(in_range(u, id), "LPI " + std::to_string(id) + " pending outside the range");
        check_state(u);
    }

    // Back to a state every input can start from (see the file comment).
    void reset(Unit& u, uint8_t flags) {
        write(u, gicr::CTLR, 4, 0);
        write(u, gicr::PROPBASER, 8, 0);
        write(u, gicr::PENDBASER, 8, 0);
        write(u, gicr::WAKER, 4, gicr::WAKER_ProcessorSleep);
        u.tl->sync_now();
        u.mem->store().fill(0, 0, kMemBytes);
        if (!u.s.enabled) {
            const auto p = (flags & 1) ? PendingTablePolicy::through : PendingTablePolicy::lazy;
            u.rd->set_pending_table(p);
        }
        check_state(u);
    }

    static uint64_t offset(Input& in) {
        static const uint64_t regs[] = {gicr::CTLR,      gicr::IIDR,          gicr::TYPER,     gicr::TYPER + 4,
                                        gicr::STATUSR,   gicr::WAKER,         gicr::SETLPIR,   gicr::SETLPIR + 4,
                                        gicr::CLRLPIR,   gicr::CLRLPIR + 4,   gicr::PROPBASER, gicr::PROPBASER + 4,
                                        gicr::PENDBASER, gicr::PENDBASER + 4, gicr::INVLPIR,   gicr::INVLPIR + 4,
                                        gicr::INVALLR,   gicr::INVALLR + 4,   gicr::SYNCR,     gicr::PIDR2,
                                        gicr::SGI_base,  gicr::SGI_base + 0x100, gicr::FRAME_SIZE - 4,
                                        gicr::FRAME_SIZE, 0x1FFFFFFFF};
        const uint8_t s = in.u8();
        if (s & 0x80) return in.u32();
        return regs[s % (sizeof regs / sizeof regs[0])] + ((s & 0x40) ? (in.u8() & 7) : 0);
    }
    static unsigned length(Input& in, uint8_t op) {
        if (op & 0x40) {
            static const unsigned lens[] = {0, 1, 2, 3, 5, 6, 7, 16};
            return lens[in.u8() % 8];
        }
        return (op & 0x20) ? 8 : 4;
    }

    // A transaction the BusMaster would never build: byte enables, a short
    // streaming width, TLM_IGNORE_COMMAND, no data pointer.
    void odd_transaction(Unit& u, Input& in) {
        u.tl->sync_now();
        const uint8_t k = in.u8();
        const uint64_t off = offset(in);
        uint8_t buf[8] = {}, be[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
        tlm::tlm_generic_payload t;
        const unsigned len = (k & 8) ? 8 : 4;
        t.set_command((k & 4) ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        t.set_address(off);
        t.set_data_ptr(buf);
        t.set_data_length(len);
        t.set_streaming_width(len);
        tlm::tlm_response_status want = GicrShadow::expected_status(off, len);
        const bool in_frame = want != tlm::TLM_ADDRESS_ERROR_RESPONSE;
        switch (k & 3) {
        case 0:
            t.set_byte_enable_ptr(be);
            t.set_byte_enable_length(len);
            if (in_frame) want = tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
            break;
        case 1:
            t.set_streaming_width(len / 2);
            if (in_frame) want = tlm::TLM_BURST_ERROR_RESPONSE;
            break;
        case 2:
            t.set_command(tlm::TLM_IGNORE_COMMAND);
            if (in_frame) want = tlm::TLM_OK_RESPONSE;
            break;
        default:
            t.set_data_ptr(nullptr);
            if (in_frame) want = tlm::TLM_GENERIC_ERROR_RESPONSE;
            break;
        }
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = sc_core::SC_ZERO_TIME;
        (*u.sock)->b_transport(t, d);
        FUZZ_CHECK(t.get_response_status() == want, "odd transaction " + std::to_string(k & 3) + " at " + hex(off) +
                   ": status " + std::to_string(int(t.get_response_status())));
        u.tl->spend(d);
    }

    void debug_read(Unit& u, Input& in) {
        const uint64_t off = offset(in);
        uint8_t buf[64] = {};
        const unsigned len = in.u8() % 65;
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(off);
        t.set_data_ptr(buf);
        t.set_data_length(len);
        const unsigned n = (*u.sock)->transport_dbg(t);
        const bool in_frame = off < gicr::FRAME_SIZE && len <= gicr::FRAME_SIZE - off;
        FUZZ_CHECK(n == (in_frame ? len : 0), "transport_dbg of " + std::to_string(len) + " at " + hex(off) +
                   " returned " + std::to_string(n));
        for (unsigned i = 0; i < n; ++i) {
            const uint64_t a = off + i;
            const uint8_t want = uint8_t(u.s.read32(a & ~uint64_t{3}) >> (8 * (a & 3)));
            FUZZ_CHECK(buf[i] == want, "debug read byte at " + hex(a) + " = " + hex(buf[i]) + ", expected " + hex(want));
        }
    }

    void program(Unit& u, Input& in) {
        Timeline& tl = *u.tl;
        Redistributor& rd = *u.rd;
        const sc_time start = sc_core::sc_time_stamp();
        for (unsigned n = 0; n < kMaxOps && !in.empty() && tl.now() - start < kBudget; ++n) {
            const uint8_t op = in.u8();
            switch ((op & 0x1F) % 24) {
            case 0: { const uint64_t off = offset(in); const unsigned len = length(in, op); write(u, off, len, in.u64()); break; }
            case 1: { const uint64_t off = offset(in); read(u, off, length(in, op)); break; }
            case 2: {   // PROPBASER: IDbits, an address in memory, attributes
                const uint64_t v = (in.u8() & 0x1F) | ((uint64_t(in.u16()) << 12) % kMemBytes) |
                                   (in.u64() & gicr::BASER_Attrs);
                if (op & 0x20) { write(u, gicr::PROPBASER, 4, v); write(u, gicr::PROPBASER + 4, 4, v >> 32); }
                else write(u, gicr::PROPBASER, 8, v);
                break;
            }
            case 3: {   // PENDBASER: an address in memory, PTZ, attributes
                const uint64_t v = ((uint64_t(in.u8()) << 16) % kMemBytes) | (in.flag() ? gicr::PENDBASER_PTZ : 0) |
                                   (in.u64() & gicr::BASER_Attrs);
                write(u, gicr::PENDBASER, 8, v);
                break;
            }
            case 4: write(u, gicr::CTLR, 4, in.u8()); break;
            case 5: write(u, gicr::SETLPIR, (op & 0x20) ? 4 : 8, lpi_id(in)); break;
            case 6: write(u, gicr::CLRLPIR, (op & 0x20) ? 4 : 8, lpi_id(in)); break;
            case 7: write(u, gicr::INVLPIR, 8, lpi_id(in) | ((op & 0x20) ? gicr::INVLPIR_V : 0)); break;
            case 8: write(u, gicr::INVALLR, 8, (op & 0x20) ? gicr::INVLPIR_V : 0); break;
            case 9: read(u, gicr::SYNCR, 4); break;
            case 10: {  // property bytes (priority, enable) straight into memory
                const uint32_t id = lpi_id(in);
                uint8_t b[16];
                const size_t len = in.bytes(b, 1 + in.u8() % 16);
                const uint64_t a = (u.s.propbaser & gicr::PA_51_12) + (id >= 8192 ? id - 8192 : id);
                u.mem->store().write(a, b, len);
                break;
            }
            case 11: {  // pending-table bytes straight into memory
                const uint64_t a = (u.s.pendbaser & gicr::PA_51_16) + in.u16();
                uint8_t b[16];
                const size_t len = in.bytes(b, 1 + in.u8() % 16);
                u.mem->store().write(a, b, len);
                break;
            }
            case 12: {  // ITS: set_pending
                const uint32_t id = lpi_id(in);
                const LpiRefusal r = rd.set_pending(id, tl);
                FUZZ_CHECK((r == LpiRefusal::none) == in_range(u, id), "set_pending(" + std::to_string(id) +
                           ") refusal " + std::to_string(int(r)));
                if (r == LpiRefusal::none) FUZZ_CHECK(rd.lpis().is_pending(id), "set_pending left it not pending");
                break;
            }
            case 13: {  // ITS: clear_pending
                const uint32_t id = lpi_id(in);
                const bool was = rd.lpis().is_pending(id);
                const bool got = rd.clear_pending(id, tl);
                FUZZ_CHECK(got == was || (posted && got), "clear_pending returned " + std::to_string(got) +
                           " for an LPI that was " + (was ? "" : "not ") + "pending");
                if (!posted) FUZZ_CHECK(!rd.lpis().is_pending(id), "clear_pending left it pending");
                break;
            }
            case 14: rd.inv(lpi_id(in), tl); break;
            case 15: rd.invall(tl); break;
            case 16: rd.sync(tl); break;
            case 17: {  // ITS: MOVALL source side
                const std::vector<uint32_t> before = rd.lpis().pending_list();
                const std::vector<uint32_t> got = rd.take_all_pending(tl);
                FUZZ_CHECK(got == before || (posted && std::includes(got.begin(), got.end(), before.begin(), before.end())),
                           "take_all_pending returned " + std::to_string(got.size()) + " of " +
                           std::to_string(before.size()) + " pending LPIs (or out of order)");
                for (size_t i = 1; i < got.size(); ++i)
                    FUZZ_CHECK(got[i - 1] < got[i], "take_all_pending not in INTID order");
                if (!posted) FUZZ_CHECK(rd.lpis().pending_count() == 0, "take_all_pending left LPIs pending");
                break;
            }
            case 18: {  // ITS: a posted set_pending (recorded later, at its time)
                const uint32_t id = lpi_id(in);
                // LPIs disabled at the kernel's time and the poster ahead of
                // it: decided after its time (decide_enabled), none for now.
                const bool undecided = !rd.lpis_enabled() && tl.local() != sc_core::SC_ZERO_TIME;
                const LpiRefusal r = rd.set_pending(id, tl, /*posted=*/true);
                posted = posted || r == LpiRefusal::none;
                FUZZ_CHECK((r == LpiRefusal::none) == (undecided || in_range(u, id)),
                           "post_pending refusal " + std::to_string(int(r)));
                break;
            }
            case 19: {  // CPU: acknowledge (at kernel time, as the CPU interface does)
                // It returns the highest-priority selectable LPI that became
                // selectable at least a signal latency ago (lpi_state.h, I4):
                // after waiting that long with nothing posted, highest_pending().
                tl.sync_now();
                const bool settle = (op & 0x20) == 0;
                if (settle) sc_core::wait(rd.timing().clock_period * double(rd.timing().signal_cycles));
                const uint32_t want = rd.highest_pending();
                const bool was_pending = want != lpi::kSpurious;
                const uint32_t got = rd.acknowledge(tl);
                if (settle && !posted)
                    FUZZ_CHECK(got == want, "acknowledge returned " + std::to_string(got) + ", highest was " +
                               std::to_string(want));
                if (!was_pending) FUZZ_CHECK(got == lpi::kSpurious, "acknowledge returned " + std::to_string(got) +
                                             " with nothing selectable");
                if (got != lpi::kSpurious) {
                    FUZZ_CHECK(in_range(u, got), "acknowledge returned " + std::to_string(got) + ", not an LPI in range");
                    FUZZ_CHECK(!rd.lpis().is_pending(got), "an acknowledged LPI is still pending");
                    rd.end_of_interrupt(got);
                }
                break;
            }
            case 20:    // let time pass (posted LPIs, the line, the write buffer)
                tl.sync_now();
                sc_core::wait(sc_time(1 + in.u8(), SC_NS));
                break;
            case 21: debug_read(u, in); break;
            case 22: odd_transaction(u, in); break;
            default: {  // the policy input: only while disabled
                const auto p = in.flag() ? PendingTablePolicy::through : PendingTablePolicy::lazy;
                const bool ok = rd.set_pending_table(p);
                if (u.s.enabled) FUZZ_CHECK(!ok, "set_pending_table accepted while LPIs are enabled");
                break;
            }
            }
            check_state(u);
        }
    }
};

Tester* g_tester = nullptr;

}  // namespace

// SystemC switches stacks (QuickThreads) without telling the sanitizers,
// and LeakSanitizer then misses pointers held on the main stack: it reports
// libFuzzer's own argument vector as leaked, during fuzzing and at exit.
// Leak detection is therefore off for this harness (README.md).
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    using namespace sc_core;
    sc_report_handler::set_actions(SC_WARNING, SC_DISPLAY);
    sc_report_handler::set_actions(SC_ERROR, SC_DISPLAY | SC_ABORT);
    sc_report_handler::set_actions(SC_FATAL, SC_DISPLAY | SC_ABORT);
    sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", SC_DO_NOTHING);
    tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    g_tester = new Tester("tester");
    sc_start(sc_core::SC_ZERO_TIME);   // elaborate; the Tester waits for its first input
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    g_tester->data = data;
    g_tester->size = size;
    g_tester->busy = true;
    g_tester->go.notify(sc_core::SC_ZERO_TIME);
    sc_core::sc_start(kSimLimit, sc_core::SC_EXIT_ON_STARVATION);
    FUZZ_CHECK(!g_tester->busy, "the input did not finish within " + kSimLimit.to_string() + " of simulated time");
    FUZZ_CHECK(!sc_core::sc_pending_activity(), "activity left " + kSimLimit.to_string() + " after the input");
    return 0;
}
