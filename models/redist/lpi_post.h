// An optional extension of LpiTarget (common/lpi_target.h) for fast mode:
// "set pending" without blocking the caller. A caller finds out whether a
// target offers it with dynamic_cast<LpiPostTarget*>. (It belongs next to
// LpiTarget; it lives here because that header is not the redistributor's.)
#pragma once

#include <cstdint>

#include "itsim/common/lpi_target.h"
#include "itsim/common/timeline.h"

namespace itsim {

class LpiPostTarget {
public:
    virtual ~LpiPostTarget() = default;
    // As LpiTarget::set_pending, charging the same costs to `tl`, but never
    // waits: the refusal is decided now, the configuration is looked up now
    // (on tl), and the LPI becomes pending at the end of its update
    // (tl.now() when this returns), recorded then by the target's own
    // process, so nothing sees it pending earlier. Callable from inside
    // another process's b_transport (tl may be a no-wait timeline).
    virtual LpiRefusal post_pending(uint32_t intid, Timeline& tl) = 0;
};

}  // namespace itsim
