// What the ITS-to-redistributor stream (lpi_stream.h) and the
// redistributor's own callers say about a change of pending state: why a
// redistributor refused an LPI (LpiRefusal) and who asked for the change
// (LpiCause, carried in the caller's Timeline::context()).
#pragma once

#include <cstdint>

#include "timeline.h"

namespace itsim {

// Why a redistributor refused to make an LPI pending.
enum class LpiRefusal : uint8_t {
    none = 0,
    lpis_disabled,   // GICR_CTLR.EnableLPIs == 0
    out_of_range,    // INTID < 8192 or >= 2^(PROPBASER.IDbits+1)
};
const char* to_string(LpiRefusal r);

// Who asked a redistributor for a change of pending state, carried in the
// caller's Timeline::context() so that the redistributor's reports can say
// it (the event log's "pend" records, the MSI records' "new").
struct LpiCause {
    enum class Kind : uint8_t { none = 0, msi = 1, command = 2, reg = 3 };
    // Kind::reg: the register access (or GICR_CTLR change) responsible.
    enum Reg : uint8_t { SETLPIR = 1, CLRLPIR, INVLPIR, INVALLR, SYNCR, enable, disable };
    Kind kind = Kind::none;
    uint8_t op = 0;    // reg: a Reg value
    uint64_t id = 0;   // msi: its tag; command: its byte offset in the queue (48 bits)
    uint64_t pack() const { return (uint64_t(kind) << 56) | (uint64_t(op) << 48) | (id & kIdMask); }
    static LpiCause unpack(uint64_t w) {
        LpiCause c;
        c.kind = Kind(w >> 56);
        c.op = uint8_t(w >> 48);
        c.id = w & kIdMask;
        return c;
    }
    static LpiCause msi(uint64_t tag) { return LpiCause{Kind::msi, 0, tag}; }
    static LpiCause command(uint64_t offset) { return LpiCause{Kind::command, 0, offset}; }
    static LpiCause reg(Reg r) { return LpiCause{Kind::reg, uint8_t(r), 0}; }
    static constexpr uint64_t kIdMask = (uint64_t{1} << 48) - 1;
};
const char* to_string(LpiCause::Reg r);

}  // namespace itsim
