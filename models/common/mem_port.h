// What behaviour code needs from the memory system: a blocking read or
// write that either succeeds or fails (a TLM error response). Whoever
// implements it decides what the access costs and when it happens; tests
// implement it over a plain byte array.
#pragma once

#include <cstdint>

namespace itsim {

class MemPort {
public:
    virtual ~MemPort() = default;
    virtual bool read(uint64_t addr, void* dst, unsigned len) = 0;
    virtual bool write(uint64_t addr, const void* src, unsigned len) = 0;
};

}  // namespace itsim
