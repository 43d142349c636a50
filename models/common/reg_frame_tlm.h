// The TLM side of a register target (the ITS, the redistributor): what a
// payload must be before any register is decoded, and its data as a
// little-endian value. The register rules themselves, the bad-access rule
// included, are reg_frame.h's.
//
// Checked in this order (as Memory does), each answered with an error
// response, counted by the module as a bad access, no register touched and
// no time charged:
//   a command other than read, write, ignore  TLM_COMMAND_ERROR_RESPONSE
//   an address or length outside the window   TLM_ADDRESS_ERROR_RESPONSE
//   byte enables                              TLM_BYTE_ENABLE_ERROR_RESPONSE
//   a streaming width below the length        TLM_BURST_ERROR_RESPONSE
//   no data pointer (length above 0)          TLM_GENERIC_ERROR_RESPONSE
// These are not accesses software can make: the interconnect would have to
// build them. TLM_IGNORE_COMMAND inside the window: TLM_OK_RESPONSE, nothing
// read or written, not a bad access.
#pragma once

#include <cstdint>

#include <tlm>

namespace itsim {

inline tlm::tlm_response_status reg_payload_status(const tlm::tlm_generic_payload& tr, uint64_t window) {
    const tlm::tlm_command cmd = tr.get_command();
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND && cmd != tlm::TLM_IGNORE_COMMAND)
        return tlm::TLM_COMMAND_ERROR_RESPONSE;
    const uint64_t addr = tr.get_address();
    const unsigned len = tr.get_data_length();
    if (addr >= window || len > window - addr) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    if (tr.get_byte_enable_ptr()) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (tr.get_streaming_width() < len) return tlm::TLM_BURST_ERROR_RESPONSE;
    if (len && !tr.get_data_ptr() && cmd != tlm::TLM_IGNORE_COMMAND) return tlm::TLM_GENERIC_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

// The first min(len, 8) bytes as a little-endian value.
inline uint64_t reg_load(const unsigned char* p, unsigned len) {
    uint64_t v = 0;
    for (unsigned i = 0; i < len && i < 8; ++i) v |= uint64_t{p[i]} << (8 * i);
    return v;
}

// `len` bytes of v, little-endian; bytes past the eighth are 0.
inline void reg_store(unsigned char* p, unsigned len, uint64_t v) {
    for (unsigned i = 0; i < len; ++i) p[i] = i < 8 ? static_cast<unsigned char>(v >> (8 * i)) : 0;
}

}  // namespace itsim
