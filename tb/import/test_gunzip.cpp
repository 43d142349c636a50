// gunzip (platform/import/gunzip.h): a member built by hand (a stored
// block, the CRC-32 check value of "123456789"), what the gzip program
// makes (dynamic and fixed Huffman blocks), several members, and every way
// a damaged file fails instead of being read.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "import/gunzip.h"

namespace itsim {
namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int x : b) s.push_back(char(x));
    return s;
}

// "123456789" in one stored block. CRC-32 of it is 0xCBF43926 (the check
// value of the CRC-32 used by gzip).
std::string stored_member() {
    return bytes({0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff,  // header, no flags
                  0x01,                                  // BFINAL=1, BTYPE=00 (stored)
                  9, 0, 0xf6, 0xff})                      // LEN=9, NLEN=~9
           + "123456789" + bytes({0x26, 0x39, 0xf4, 0xcb, 9, 0, 0, 0});
}

// The gzip program's output for `text` (level -1: fixed and dynamic blocks).
std::string gzip_of(const std::string& text, const char* level) {
    // One file per process and call: CTest runs the tests of this file in
    // parallel processes.
    static int calls = 0;
    const std::string in = ::testing::TempDir() + "gunzip_in." + std::to_string(getpid()) + "." +
                           std::to_string(++calls) + ".txt";
    std::ofstream(in, std::ios::binary) << text;
    const std::string cmd = std::string("gzip -n -c ") + level + " " + in;
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    if (!p) return out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
    std::remove(in.c_str());
    return out;
}

TEST(Gunzip, StoredBlockByHand) {
    EXPECT_TRUE(is_gzip(stored_member()));
    EXPECT_EQ(gunzip(stored_member(), 100), "123456789");
    // Two members: their contents one after the other.
    EXPECT_EQ(gunzip(stored_member() + stored_member(), 100), "123456789123456789");
}

TEST(Gunzip, WhatTheGzipProgramWrites) {
    // Text with repeats near and far (lengths and distances of every size),
    // and bytes of every value.
    std::string text;
    uint32_t x = 12345;
    for (int i = 0; i < 20000; ++i) {
        x = x * 1103515245 + 12345;
        text += "line " + std::to_string(i % 97) + " value " + std::to_string(x >> 20) + "\n";
        if (i % 1000 == 0)
            for (int b = 0; b < 256; ++b) text.push_back(char(b));
    }
    for (const char* level : {"-1", "-6", "-9"}) {
        const std::string z = gzip_of(text, level);
        ASSERT_FALSE(z.empty()) << "gzip " << level;
        EXPECT_TRUE(gunzip(z, text.size()) == text) << "gzip " << level;
    }
    EXPECT_EQ(gunzip(gzip_of("", "-9"), 0), "");
    EXPECT_EQ(gunzip(gzip_of("a", "-9"), 1), "a");
}

void expect_error(const std::string& data, const std::string& what, uint64_t max = 1000) {
    try {
        gunzip(data, max);
        ADD_FAILURE() << "no error for " << what;
    } catch (const GunzipError& e) {
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
}

TEST(Gunzip, DamagedFilesFail) {
    std::string m = stored_member();
    expect_error("plain text", "not a gzip file");
    std::string bad_crc = m;
    bad_crc[bad_crc.size() - 8] ^= 1;
    expect_error(bad_crc, "CRC-32 mismatch");
    std::string bad_len = m;
    bad_len[bad_len.size() - 4] = 10;
    expect_error(bad_len, "length mismatch");
    std::string bad_nlen = m;
    bad_nlen[13] = 0;
    expect_error(bad_nlen, "complement");
    std::string method = m;
    method[2] = 7;
    expect_error(method, "not deflate");
    std::string type3 = m;
    type3[10] = 0x07;  // BFINAL=1, BTYPE=11
    expect_error(type3, "reserved type 3");
    expect_error(m.substr(0, 5), "not a gzip file");
    for (size_t cut : {size_t(12), size_t(20), m.size() - 3})
        expect_error(m.substr(0, cut), "data ends");
    expect_error(m, "inflates past 8 bytes", 8);
    // Output past the limit from a small file: 1 MiB of zeros in ~1 KiB.
    const std::string zeros = gzip_of(std::string(1 << 20, '\0'), "-9");
    ASSERT_LT(zeros.size(), 4096u);
    expect_error(zeros, "inflates past", 1 << 16);
    // Random bytes after a valid header are rejected, never read past.
    std::string junk = m.substr(0, 10);
    uint32_t x = 7;
    for (int i = 0; i < 64; ++i) {
        x = x * 1664525 + 1013904223;
        junk.push_back(char(x >> 24));
    }
    EXPECT_THROW(gunzip(junk, 1 << 20), GunzipError);
}

}  // namespace
}  // namespace itsim
