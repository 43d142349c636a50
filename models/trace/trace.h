// Waveforms into an sc_trace_file the caller owns: the values of an ITS
// and of a redistributor registered with sc_trace(), under a prefix.
//
//   sc_core::sc_trace_file* tf = sc_core::sc_create_vcd_trace_file("gic");
//   itsim::trace(tf, its, "its");
//   itsim::trace(tf, gicr0, "gicr0");
//   ... sc_start(); ... sc_core::sc_close_vcd_trace_file(tf);
//
// Call after the module is built and before sc_start. The file stays the
// caller's (create, close, time unit); these functions only register
// values, which the kernel samples at the end of each time step in which
// one changed. Signals (width):
//   PREFIX.enabled              (1)  GITS_CTLR.Enabled
//   PREFIX.cmdq.creadr         (20)  GITS_CREADR as software reads it (Offset | Stalled)
//   PREFIX.cmdq.cwriter        (20)  GITS_CWRITER
//   PREFIX.cmdq.occupancy      (16)  commands between CREADR and CWRITER
//   PREFIX.engine.state         (2)  0 idle, 1 fetching, 2 executing, 3 stalled
//   PREFIX.engine.opcode        (8)  the command executing (or last executed)
//   PREFIX.engine.commands     (32)  commands processed
//   PREFIX.xlate.ingress       (16)  MSIs waiting in the ingress FIFO
//   PREFIX.xlate.active        (16)  translation workers busy
//   PREFIX.xlate.msis          (32)  MSIs translated
//   PREFIX.mem.reads, .writes  (16)  the ITS's bus accesses in flight
//   PREFIX.cache.{device,event,collection}.{hits,misses} (32)  cumulative
// and for a redistributor:
//   PREFIX.irq                  (1)  the interrupt line (Redistributor::irq)
//   PREFIX.set_pending         (32)  LPIs made pending, cumulative
//   PREFIX.cleared             (32)  pending states cleared, cumulative
//   PREFIX.acks                (32)  acknowledges that returned an LPI, cumulative
// The ITS's values are its probe (its.h, ItsProbe), kept up to date while
// Its::on_probe is set: trace() sets it, calling whatever was set before
// first. Values move at kernel time; in fast mode the ITS's threads run
// ahead, so they move at the times those threads synchronise. The itsim
// program's --vcd (platform/vcd.h) writes these and more, with its own
// writer.
#pragma once

#include <string>

#include <systemc>

#include "itsim/its/its.h"
#include "itsim/redist/redistributor.h"

namespace itsim {

void trace(sc_core::sc_trace_file* tf, Its& its, const std::string& prefix = "its");
void trace(sc_core::sc_trace_file* tf, const Redistributor& rd, const std::string& prefix);

}  // namespace itsim
