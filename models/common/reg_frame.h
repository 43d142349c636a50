// itsim register frames: a frame is a table of registers, one row each, and
// one access routine (RegFrame::read / write) serves every frame - the GITS
// control frame, the ITS translation frame, the GICR frames - the same way.
// Plain C++ (the TLM side of a register target: reg_frame_tlm.h).
//
// A row: {offset, name, width, reset, access, write_mask, read, write, sizes}
//   offset      from the module's window base (the frame's rows all lie in
//               [base, base + size)), aligned to the width
//   name        the architected name, "GITS_CBASER"
//   width       32 or 64
//   reset       the value the register reads after reset; a row without a
//               read handler is a constant and always reads it
//   access      rw      reads: the read handler (or reset); writes: the
//                       write handler
//               ro      reads as rw; writes are ignored (no handler runs)
//               wo      reads as 0; writes as rw
//               raz_wi  reads 0, writes are ignored: an architected register
//                       this implementation leaves out (GITS_BASER2..7).
//                       Declared, so an access to it is not a bad access.
//   write_mask  the bits a write may change; the others are RO or RES0
//               fields (or WO bits the handler acts on, as GICR_PENDBASER.PTZ)
//   read        uint64_t (Owner::*)(Ctx&) const: the register's value. It may
//               ask its owner for state; side effects (GICR_SYNCR) are the
//               owner's, through Ctx, never on a debug access
//   write       void (Owner::*)(uint64_t value, uint64_t mask, Ctx&): `mask`
//               = the register bits the access wrote & write_mask (it may be
//               0: a write to a half holding only RO fields still reaches the
//               handler); the new value of those bits is value & mask, see
//               reg_merge(). The handler runs on every write reaching the row.
//   sizes       the access sizes the row takes (RegSizes; default 4 and 8)
// With Ctx = void the handlers take no context: uint64_t (Owner::*)() const
// and void (Owner::*)(uint64_t, uint64_t).
//
// Which registers an access reaches (size in bytes, offset aligned to it):
//   4 at a 32-bit row                 that row
//   8 at a 64-bit row                 that row
//   4 at a 64-bit row, or at row + 4  its low / its high half
//   8 at an 8-aligned offset that is  the row at offset (data bits 31:0)
//     not a 64-bit row                and the row at offset + 4 (data bits
//                                     63:32), whichever exist; low first
//   another size in a row's `sizes`   the row's low bytes (GITS_TRANSLATER
//     (1 or 2), at the row's offset   takes 16-bit writes)
// A row is reached only by a size in its `sizes`.
//
// The bad-access rule, one for every frame: an access that reaches no row -
// a size no row there takes (0, 1, 2, 3, 5..7, over 8), an offset that is
// not aligned to the size, an offset that is no register (a hole, a frame
// this implementation leaves empty such as SGI_base) - reads as zero and
// changes nothing; read() and write() return false. A module answers it with
// TLM_OK_RESPONSE and counts it (ItsStats::bad_accesses,
// RedistStats::bad_accesses). Why: IHI 0069 makes reserved register offsets
// RES0 and leaves other access sizes and alignments UNPREDICTABLE, so
// RAZ/WI is an allowed outcome for all three, and an error response would
// be an external abort (an SError for a guest) the architecture never asks
// for; QEMU's GICv3 ITS and redistributor answer RAZ/WI too, with no bus
// error, and log it. The count makes a driver that strays visible without
// changing its run. (What is not a register access at all - an address
// outside the module's window, byte enables, streaming, no data pointer - is
// a TLM error response: reg_frame_tlm.h.)
//
// Debug (transport_dbg) reads: reg_debug_read(), any length and alignment,
// through the frame's read with a context that says "no side effects".
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>
#include <vector>

namespace itsim {

enum class RegAccess : uint8_t { rw, ro, wo, raz_wi };
const char* to_string(RegAccess a);

// Access sizes: bit n set = an n-byte access (n = 1, 2, 4, 8).
using RegSizes = uint16_t;
constexpr RegSizes reg_size(unsigned bytes) { return RegSizes(1u << bytes); }
constexpr RegSizes kRegSizes32And64 = reg_size(4) | reg_size(8);

// The new value of a register from its old value and a write's (value, mask).
constexpr uint64_t reg_merge(uint64_t old, uint64_t value, uint64_t mask) {
    return (old & ~mask) | (value & mask);
}

// One row without its handlers: what every frame shares.
struct RegInfo {
    uint64_t offset = 0;
    const char* name = "";
    unsigned width = 32;
    uint64_t reset = 0;
    RegAccess access = RegAccess::rw;
    uint64_t write_mask = 0;
    RegSizes sizes = kRegSizes32And64;
    unsigned bytes() const { return width / 8; }
    bool takes(unsigned size) const { return size <= 8 && (sizes & reg_size(size)) != 0; }
};

// Where one register sits in an access.
struct RegSlice {
    size_t row = 0;           // index into rows()
    unsigned reg_shift = 0;   // lowest register bit reached (32: a high half)
    unsigned data_shift = 0;  // where those bits sit in the data (32: a span's second row)
    uint64_t mask = 0;        // register bits reached
};
// The registers an access reaches, at most two; none: a bad access.
struct RegDecode {
    unsigned count = 0;
    RegSlice slice[2];
};

// The rows of a frame, sorted by offset and checked once (a malformed table
// throws std::logic_error naming the row).
class RegLayout {
public:
    RegLayout(uint64_t base, uint64_t size, std::vector<RegInfo> rows);
    uint64_t base() const { return base_; }
    uint64_t size() const { return size_; }
    const std::vector<RegInfo>& rows() const { return rows_; }
    const RegInfo* find(uint64_t offset) const;   // the row at exactly `offset`
    RegDecode decode(uint64_t offset, unsigned size) const;

protected:
    const RegInfo* find_index(uint64_t offset, size_t* index) const;

private:
    uint64_t base_, size_;
    std::vector<RegInfo> rows_;
};

// rw and wo rows need a write handler; ro and raz_wi rows have none; wo and
// raz_wi rows have no read handler (they read 0). Throws std::logic_error.
void check_handlers(const RegInfo& row, bool has_read, bool has_write);

template <class Owner, class Ctx>
struct RegHandlers {
    using Read = uint64_t (Owner::*)(Ctx&) const;
    using Write = void (Owner::*)(uint64_t value, uint64_t mask, Ctx&);
};
template <class Owner>
struct RegHandlers<Owner, void> {
    using Read = uint64_t (Owner::*)() const;
    using Write = void (Owner::*)(uint64_t value, uint64_t mask);
};

template <class Owner, class Ctx = void>
class RegFrame : public RegLayout {
public:
    using Read = typename RegHandlers<Owner, Ctx>::Read;
    using Write = typename RegHandlers<Owner, Ctx>::Write;
    struct Reg {
        uint64_t offset;
        const char* name;
        unsigned width;
        uint64_t reset;
        RegAccess access;
        uint64_t write_mask;
        Read read;
        Write write;
        RegSizes sizes = kRegSizes32And64;
    };

    RegFrame(uint64_t base, uint64_t size, std::initializer_list<Reg> regs)
        : RegLayout(base, size, infos(regs)) {
        // The layout sorted the rows; the handlers follow them.
        read_.resize(rows().size());
        write_.resize(rows().size());
        for (const Reg& r : regs) {
            size_t i = 0;
            find_index(r.offset, &i);
            read_[i] = r.read;
            write_[i] = r.write;
            check_handlers(rows()[i], r.read != nullptr, r.write != nullptr);
        }
    }

    // `ctx` is passed to the handlers (nullptr with Ctx = void). false: a
    // bad access (*value = 0, no handler ran).
    bool read(const Owner& owner, Ctx* ctx, uint64_t offset, unsigned size, uint64_t* value) const {
        *value = 0;
        const RegDecode d = decode(offset, size);
        for (unsigned i = 0; i < d.count; ++i) {
            const RegSlice& s = d.slice[i];
            const RegInfo& r = rows()[s.row];
            if (r.access == RegAccess::wo || r.access == RegAccess::raz_wi) continue;
            const Read h = read_[s.row];
            const uint64_t v = h ? call(owner, h, ctx) : r.reset;
            *value |= ((v & s.mask) >> s.reg_shift) << s.data_shift;
        }
        return d.count != 0;
    }

    // false: a bad access (nothing written, no handler ran).
    bool write(Owner& owner, Ctx* ctx, uint64_t offset, unsigned size, uint64_t value) const {
        const RegDecode d = decode(offset, size);
        for (unsigned i = 0; i < d.count; ++i) {
            const RegSlice& s = d.slice[i];
            const RegInfo& r = rows()[s.row];
            if (r.access == RegAccess::ro || r.access == RegAccess::raz_wi) continue;
            const uint64_t v = ((value >> s.data_shift) << s.reg_shift) & s.mask;
            call(owner, write_[s.row], v, s.mask & r.write_mask, ctx);
        }
        return d.count != 0;
    }

private:
    static std::vector<RegInfo> infos(std::initializer_list<Reg> regs) {
        std::vector<RegInfo> v;
        v.reserve(regs.size());
        for (const Reg& r : regs) {
            RegInfo i;
            i.offset = r.offset;
            i.name = r.name;
            i.width = r.width;
            i.reset = r.reset;
            i.access = r.access;
            i.write_mask = r.write_mask;
            i.sizes = r.sizes;
            v.push_back(i);
        }
        return v;
    }
    static uint64_t call(const Owner& o, Read h, Ctx* ctx) {
        if constexpr (std::is_void_v<Ctx>) {
            (void)ctx;
            return (o.*h)();
        } else {
            return (o.*h)(*ctx);
        }
    }
    static void call(Owner& o, Write h, uint64_t v, uint64_t mask, Ctx* ctx) {
        if constexpr (std::is_void_v<Ctx>) {
            (void)ctx;
            (o.*h)(v, mask);
        } else {
            (o.*h)(v, mask, *ctx);
        }
    }

    std::vector<Read> read_;
    std::vector<Write> write_;
};

// A debug read of `len` bytes at `offset`, any length and alignment: each
// byte from the aligned 32-bit word holding it, got by
// word(word_offset, &value) - a 4-byte read with no side effect (a bad
// access reads 0).
template <class WordRead>
void reg_debug_read(uint64_t offset, unsigned len, unsigned char* data, WordRead&& word) {
    bool have = false;
    uint64_t at = 0, w = 0;
    for (unsigned i = 0; i < len; ++i) {
        const uint64_t a = offset + i;
        if (!have || (a & ~uint64_t{3}) != at) {
            at = a & ~uint64_t{3};
            w = 0;
            word(at, &w);
            have = true;
        }
        data[i] = static_cast<unsigned char>(w >> (8 * (a & 3)));
    }
}

}  // namespace itsim
