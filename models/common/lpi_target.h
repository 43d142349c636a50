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
