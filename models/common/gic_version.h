// The GIC architecture version a system models (parameter gic.version) and
// that a command, field or register first appears in.
//   v3    GICv3: physical LPIs only (the default)
//   v4_0  GICv4.0: virtual LPIs, the vPE table, doorbells per ITE
//   v4_1  GICv4.1: vSGIs, VCONF in the vPE table, default doorbells, INVDB
// With v3 nothing virtual exists: results are those of a GICv3 system.
// Plain C++.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace itsim {

enum class GicVersion : uint8_t { v3, v4_0, v4_1 };
const char* to_string(GicVersion v);  // "3", "4.0", "4.1"
// "3", "4.0" (or "4"), "4.1"; nullopt for anything else.
std::optional<GicVersion> gic_version_from_string(std::string_view s);
inline bool has_gicv4(GicVersion v) { return v != GicVersion::v3; }

}  // namespace itsim
