#include "lpi_target.h"

namespace itsim {

const char* to_string(LpiRefusal r) {
    switch (r) {
    case LpiRefusal::none: return "none";
    case LpiRefusal::lpis_disabled: return "lpis_disabled";
    case LpiRefusal::out_of_range: return "intid_out_of_range";
    }
    return "unknown";
}

}  // namespace itsim
