// What the three parts of ItsCore share and nobody else sees: the context of
// one call (the environment, and the table reads and writes it made) and
// little-endian loads and stores of table entries.
//   its_core.cpp            construction, configuration, the GITS register
//                           file, the command queue and process_next()
//   its_core_commands.cpp   the twelve commands (an index at its top)
//   its_core_translate.cpp  table access, the caches, MSI translation
#pragma once

#include <cstdint>

#include "itsim/its/its_core.h"

namespace itsim {

namespace {

inline uint64_t load_le64(const uint8_t* p) {
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}

inline void store_le64(uint8_t* p, uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

struct ItsCore::Ctx {
    ItsEnv& env;
    uint32_t reads = 0;
    uint32_t writes = 0;
};

}  // namespace itsim
