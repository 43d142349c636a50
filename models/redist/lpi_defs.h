// Numbers of the physical LPIs (IHI 0069, "LPIs", "LPI Configuration
// tables", "LPI Pending tables") and of this model's pending-table writes,
// for LpiState (lpi_state.h) and its pending set (lpi_pending_set.h).
#pragma once

#include <cstdint>

namespace itsim {
namespace lpi {
constexpr uint32_t kFirstLpi = 8192;         // lowest LPI INTID
constexpr uint32_t kSpurious = 1023;         // "no interrupt" from acknowledge
constexpr uint8_t kPropEnable = 0x01;        // property byte bit 0
constexpr uint8_t kPropPriorityMask = 0xFC;  // priority bits [7:2]
constexpr uint32_t kPendingTableReserved = kFirstLpi / 8;   // first 1 KiB of the pending table
constexpr unsigned kMaxLineBytes = 64;
constexpr unsigned kMaxWriteRun = 64;        // net tracking: bytes per pending-table write

// Whether a pending LPI with this snapshot can be selected: its byte was
// read and has Enable set.
constexpr bool selectable(uint8_t config, bool valid) { return valid && (config & kPropEnable); }
}  // namespace lpi
}  // namespace itsim
