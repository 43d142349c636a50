// gzip files (RFC 1952, deflate of RFC 1951) in memory, so that
// `itsim import qemu` reads a compressed log as it is shipped
// (traces/*.qemu.log.gz) without another library.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace itsim {

// Corrupt or truncated data, a CRC-32 or length that does not match, or
// output past the limit. what() says which.
class GunzipError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// True when `data` starts like a gzip member (1f 8b).
bool is_gzip(std::string_view data);

// Decompress every member of a gzip file. At most `max_bytes` of output:
// past that, GunzipError (a guard against a small file that inflates
// without bound).
std::string gunzip(std::string_view data, uint64_t max_bytes);

}  // namespace itsim
