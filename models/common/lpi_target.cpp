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

namespace itsim {

const char* to_string(LpiCause::Reg r) {
    switch (r) {
    case LpiCause::SETLPIR: return "SETLPIR";
    case LpiCause::CLRLPIR: return "CLRLPIR";
    case LpiCause::INVLPIR: return "INVLPIR";
    case LpiCause::INVALLR: return "INVALLR";
    case LpiCause::SYNCR: return "SYNCR";
    case LpiCause::enable: return "enable";
    case LpiCause::disable: return "disable";
    }
    return "register";
}

}  // namespace itsim
