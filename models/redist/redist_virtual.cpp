// Redistributor, its virtual side (redist_ports.h): the virtual kinds of the
// ITS's stream (GICv4: set_vlpi, clear_vlpi, inv_vlpi, vinvall, vsync,
// invdb, vmovp, set_vsgi, vsgi_config; common/lpi_stream.h), which
// deliver() hands here.
//
// Not implemented yet: every virtual kind is answered `unsupported` (what a
// GICv3 redistributor answers), and nothing changes.
#include "itsim/redist/redistributor.h"

namespace itsim {

LpiResult Redistributor::deliver_virtual(const LpiOp&, Timeline&) {
    LpiResult r;
    r.unsupported = true;
    return r;
}

}  // namespace itsim
