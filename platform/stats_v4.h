// GICv4 latency statistics (--stats "virtual", the summary's vLPI lines),
// from the records of a run (system.h RunRecords), in picoseconds:
//   vlpi_write_to_vack      a resident vPE's vLPI: the device's write to the
//                           CPU's virtual acknowledge (each vack matched to
//                           the oldest virtual MSI of that vPE and vINTID
//                           delivered by then; later ones coalesced into it)
//   vlpi_write_to_doorbell  a non-resident vPE's vLPI that rang a doorbell:
//                           the write to the doorbell record (its pINTID
//                           made pending)
//   doorbell_to_schedule    a doorbell to the end of the next schedule of
//                           that vPE (software's Dirty poll read 0)
//   doorbell_to_vack        a doorbell to the vPE's next virtual acknowledge
//   schedule, deschedule    software's GICR_VPENDBASER write to its Dirty
//                           poll reading 0
// VMAPP, VMOVP, ... latencies are the commands' ("latency_by_type"); the
// vPE cache's hit rate is the ITS's (caches.its_vpe) when the ITS has one.
// Nothing of this is written with gic.version=3.
#pragma once

#include <iosfwd>

#include "itsim/common/gic_version.h"
#include "stats.h"

namespace itsim {

class System;

DistributionSet virtual_latencies(System& sys);

// A command's name as a GIC of version `v` names it: the architected name
// of a command that version has, nullptr for any other opcode (with v3 the
// GICv4 commands are unknown, as opcode_name says).
const char* command_name(uint8_t opcode, GicVersion v);

}  // namespace itsim
