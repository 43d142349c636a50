// Helpers shared by the libFuzzer harnesses: a reader that turns the
// fuzzer's bytes into values (zeros once the input is used up, so every
// input is a valid program), and FUZZ_CHECK, which reports a broken
// property and aborts (libFuzzer then saves the input as a crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace itsim::fuzz {

class Input {
public:
    Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}

    bool empty() const { return p_ == end_; }
    size_t left() const { return size_t(end_ - p_); }

    uint8_t u8() { return p_ == end_ ? 0 : *p_++; }
    uint16_t u16() { return uint16_t(u8() | (unsigned(u8()) << 8)); }
    uint32_t u32() { return uint32_t(u16()) | (uint32_t(u16()) << 16); }
    uint64_t u64() { return uint64_t(u32()) | (uint64_t(u32()) << 32); }
    bool flag() { return (u8() & 1) != 0; }
    // Up to n bytes (fewer when the input ends).
    size_t bytes(uint8_t* out, size_t n) {
        size_t i = 0;
        for (; i < n && p_ != end_; ++i) out[i] = *p_++;
        return i;
    }

private:
    const uint8_t* p_;
    const uint8_t* end_;
};

[[noreturn]] inline void fail(const char* file, int line, const char* cond, const std::string& msg) {
    std::fprintf(stderr, "\n==== itsim fuzz property broken: %s\n     at %s:%d\n     %s\n", cond, file, line,
                 msg.c_str());
    std::fflush(stderr);
    std::abort();
}

}  // namespace itsim::fuzz

#define FUZZ_CHECK(cond, msg)                                                       \
    do {                                                                            \
        if (!(cond)) ::itsim::fuzz::fail(__FILE__, __LINE__, #cond, std::string(msg)); \
    } while (0)
