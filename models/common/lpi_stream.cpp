#include "itsim/common/lpi_stream.h"

namespace itsim {

const char* to_string(LpiOp::Kind k) {
    switch (k) {
    case LpiOp::Kind::set_pending: return "set_pending";
    case LpiOp::Kind::clear_pending: return "clear_pending";
    case LpiOp::Kind::inv: return "inv";
    case LpiOp::Kind::invall: return "invall";
    case LpiOp::Kind::sync: return "sync";
    case LpiOp::Kind::take_all: return "take_all";
    case LpiOp::Kind::set_vlpi: return "set_vlpi";
    case LpiOp::Kind::clear_vlpi: return "clear_vlpi";
    case LpiOp::Kind::inv_vlpi: return "inv_vlpi";
    case LpiOp::Kind::vinvall: return "vinvall";
    case LpiOp::Kind::vsync: return "vsync";
    case LpiOp::Kind::invdb: return "invdb";
    case LpiOp::Kind::vmovp: return "vmovp";
    case LpiOp::Kind::set_vsgi: return "set_vsgi";
    case LpiOp::Kind::vsgi_config: return "vsgi_config";
    case LpiOp::Kind::vmovp_from: return "vmovp_from";
    }
    return "?";
}

}  // namespace itsim
