// `itsim plot` on a GICv4 run: the virtual path's latency samples from the
// event log, by the statistics file's definitions (stats_v4.h), so that the
// pictures and the "virtual" section of --stats describe the same numbers:
//   vlpi_write_to_vack      msi records with "resident":true, each vack
//                           matched to the oldest such MSI of its (vpeid,
//                           vintid) pending by then (later ones coalesce);
//                           issued_ps to the vack's t_ps
//   vlpi_write_to_doorbell  msi records with a "doorbell": issued_ps to the
//                           first doorbell record of that vPE at or after it
//   doorbell_to_schedule    doorbell record to the end (t_ps: Dirty read 0)
//                           of the first vcpu "schedule" of that vPE written
//                           at or after it
// Plain C++ (plot.h's JSON reader).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "plot.h"

namespace itsim {

class VirtualSamples {
public:
    // One event-log record (kind already read); anything not virtual is ignored.
    void add(const std::string& kind, const Json& record);
    bool any() const { return any_; }
    // The three series above, in that order (empty series when none).
    std::vector<Series> series() const;

private:
    struct Msi {
        uint32_t vpeid = 0, vintid = 0;
        uint64_t issued = 0, pending = 0;
        bool resident = false, delivered = false, doorbell = false;
    };
    struct Stamp {
        uint32_t vpeid = 0, vintid = 0;
        uint64_t t = 0, written = 0;
    };
    bool any_ = false;
    std::vector<Msi> msis_;
    std::vector<Stamp> vacks_, doorbells_, schedules_;
};

}  // namespace itsim
