// `itsim dts`: the device-tree nodes a Linux guest needs to find the GIC
// that a configuration describes: the GICv3 node (arm,gic-v3: the
// distributor, the redistributor region, its stride) and the ITS under it
// (arm,gic-v3-its: msi-controller, #msi-cells = <1>, its frames), with the
// RAM as a memory node, in a complete source that dtc compiles. The map is
// System's (apply_derived_defaults): its.count=N gives N msi-controller
// nodes, ITS n at its.base + n x its frames (its, its1, ...); with
// gic.version 4.0/4.1 the redistributor stride is 4 x 64 KiB unless set,
// and a GICv4.1 ITS has 3 frames (GITS_SGIR's at +0x20000).
//
//   itsim dts [TRACE] [--config FILE]... [--set key=value]... [--gicd ADDR]
//
// Parameters are taken as `itsim run` takes them (a TRACE's platform line
// last). itsim models no distributor; the node still needs its frame, at
// --gicd (default 0x08000000, QEMU virt's). Integrators paste the
// interrupt-controller node into their board's tree.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace itsim {

class Params;

// The device-tree source for `params`.
std::string device_tree(const Params& params, uint64_t gicd_base);

int dts_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace itsim
