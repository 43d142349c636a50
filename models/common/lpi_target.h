// The ITS-to-redistributor interface (the stream between them in GIC-600).
// Implemented by the redistributor module (models/redist); called from the
// ITS's threads, with that thread's Timeline so that the redistributor
// charges its own cycles and bus time to the caller (loosely-timed style).
// Every call may block in accurate mode.
#pragma once

#include <cstdint>
#include <vector>

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

class LpiTarget {
public:
    virtual ~LpiTarget() = default;

    // Processor number (GICR_TYPER.Processor_Number) and RD_base address,
    // the two RDbase encodings (GITS_TYPER.PTA = 0 / 1).
    virtual uint32_t processor_number() const = 0;
    virtual uint64_t rd_base() const = 0;

    // Make `intid` pending. Returns none when the LPI is now pending here
    // (whether or not its configuration lets it be signalled).
    virtual LpiRefusal set_pending(uint32_t intid, Timeline& tl) = 0;
    // Clear the pending state; returns whether it was pending.
    virtual bool clear_pending(uint32_t intid, Timeline& tl) = 0;
    // INV: re-read this LPI's configuration from the property table.
    virtual void inv(uint32_t intid, Timeline& tl) = 0;
    // INVALL: drop every cached configuration of this redistributor and
    // re-read the configuration of the LPIs it holds pending.
    virtual void invall(Timeline& tl) = 0;
    // SYNC: returns once every earlier operation sent to this
    // redistributor is visible (its memory writes have completed).
    virtual void sync(Timeline& tl) = 0;
    // MOVALL source side: clear and return every pending LPI, in INTID order.
    virtual std::vector<uint32_t> take_all_pending(Timeline& tl) = 0;
};

}  // namespace itsim
