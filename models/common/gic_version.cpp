#include "itsim/common/gic_version.h"

namespace itsim {

const char* to_string(GicVersion v) {
    switch (v) {
    case GicVersion::v3: return "3";
    case GicVersion::v4_0: return "4.0";
    case GicVersion::v4_1: return "4.1";
    }
    return "?";
}

std::optional<GicVersion> gic_version_from_string(std::string_view s) {
    if (s == "3" || s == "3.0") return GicVersion::v3;
    if (s == "4" || s == "4.0") return GicVersion::v4_0;
    if (s == "4.1") return GicVersion::v4_1;
    return std::nullopt;
}

}  // namespace itsim
