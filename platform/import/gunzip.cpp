#include "import/gunzip.h"

#include <array>
#include <vector>

namespace itsim {

namespace {

std::array<uint32_t, 256> make_crc_table() {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
        uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[n] = c;
    }
    return t;
}

uint32_t crc32(const char* p, size_t n) {
    static const std::array<uint32_t, 256> table = make_crc_table();
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) c = table[(c ^ uint8_t(p[i])) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

[[noreturn]] void fail(const std::string& why) { throw GunzipError("gzip: " + why); }

// LSB-first bit reader over the compressed bytes.
class Bits {
public:
    Bits(std::string_view d, size_t pos) : d_(d), pos_(pos) {}
    unsigned bit() {
        if (nbits_ == 0) {
            if (pos_ >= d_.size()) fail("data ends in the middle of a block");
            buf_ = uint8_t(d_[pos_++]);
            nbits_ = 8;
        }
        unsigned b = buf_ & 1;
        buf_ >>= 1;
        --nbits_;
        return b;
    }
    unsigned bits(unsigned n) {  // n <= 16
        unsigned v = 0;
        for (unsigned i = 0; i < n; ++i) v |= bit() << i;
        return v;
    }
    void align() { nbits_ = 0; }
    size_t pos() const { return pos_; }
    void skip(size_t n) { pos_ += n; }
    std::string_view data() const { return d_; }

private:
    std::string_view d_;
    size_t pos_;
    unsigned buf_ = 0, nbits_ = 0;
};

// A canonical prefix code: how many codes of each length, and the symbols
// in code order.
struct Code {
    std::array<uint16_t, 16> count{};
    std::vector<uint16_t> symbol;
};

Code build_code(const uint8_t* lengths, unsigned n) {
    Code c;
    for (unsigned s = 0; s < n; ++s) ++c.count[lengths[s]];
    c.count[0] = 0;
    int left = 1;
    for (unsigned len = 1; len < 16; ++len) {
        left = left * 2 - c.count[len];
        if (left < 0) fail("a prefix code with too many codes of some length");
    }
    std::array<uint16_t, 16> offset{};
    for (unsigned len = 1; len < 15; ++len) offset[len + 1] = uint16_t(offset[len] + c.count[len]);
    unsigned total = 0;
    for (unsigned len = 1; len < 16; ++len) total += c.count[len];
    c.symbol.assign(total, 0);
    for (unsigned s = 0; s < n; ++s)
        if (lengths[s]) c.symbol[offset[lengths[s]]++] = uint16_t(s);
    return c;
}

unsigned decode(Bits& in, const Code& c) {
    int code = 0, first = 0, index = 0;
    for (unsigned len = 1; len < 16; ++len) {
        code |= int(in.bit());
        const int count = c.count[len];
        if (code - first < count) return c.symbol[size_t(index + code - first)];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    fail("a code that the block's prefix code does not have");
}

const uint16_t kLenBase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                               35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
const uint8_t kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
const uint16_t kDistBase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
const uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

class Inflater {
public:
    Inflater(std::string& out, uint64_t max) : out_(out), max_(max) {}

    // One deflate stream from `in`'s position; returns when the last block ends.
    void stream(Bits& in) {
        bool last = false;
        while (!last) {
            last = in.bit() != 0;
            switch (in.bits(2)) {
            case 0: stored(in); break;
            case 1: fixed(in); break;
            case 2: dynamic(in); break;
            default: fail("a block of the reserved type 3");
            }
        }
    }

private:
    void put(char c) {
        if (out_.size() >= max_) fail("the data inflates past " + std::to_string(max_) + " bytes");
        out_.push_back(c);
    }
    void stored(Bits& in) {
        in.align();
        std::string_view d = in.data();
        size_t p = in.pos();
        if (d.size() - p < 4) fail("data ends in a stored block's header");
        const unsigned len = uint8_t(d[p]) | unsigned(uint8_t(d[p + 1])) << 8;
        const unsigned nlen = uint8_t(d[p + 2]) | unsigned(uint8_t(d[p + 3])) << 8;
        if ((len ^ 0xFFFF) != nlen) fail("a stored block whose length and its complement disagree");
        p += 4;
        if (d.size() - p < len) fail("data ends in a stored block");
        for (unsigned i = 0; i < len; ++i) put(d[p + i]);
        in.skip(4 + len);
    }
    void fixed(Bits& in) {
        static const Code lit = [] {
            uint8_t l[288];
            for (unsigned s = 0; s < 288; ++s) l[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
            return build_code(l, 288);
        }();
        static const Code dist = [] {
            uint8_t l[30];
            for (auto& x : l) x = 5;
            return build_code(l, 30);
        }();
        codes(in, lit, dist);
    }
    void dynamic(Bits& in) {
        const unsigned nlit = in.bits(5) + 257, ndist = in.bits(5) + 1, nclen = in.bits(4) + 4;
        if (nlit > 286 || ndist > 30) fail("a dynamic block with too many codes");
        static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
        uint8_t cl[19] = {};
        for (unsigned i = 0; i < nclen; ++i) cl[order[i]] = uint8_t(in.bits(3));
        const Code clc = build_code(cl, 19);
        uint8_t lengths[286 + 30] = {};
        unsigned n = 0;
        while (n < nlit + ndist) {
            const unsigned sym = decode(in, clc);
            if (sym < 16) {
                lengths[n++] = uint8_t(sym);
                continue;
            }
            unsigned rep = 0;
            uint8_t val = 0;
            if (sym == 16) {
                if (n == 0) fail("a repeat with no length before it");
                val = lengths[n - 1];
                rep = 3 + in.bits(2);
            } else if (sym == 17) {
                rep = 3 + in.bits(3);
            } else {
                rep = 11 + in.bits(7);
            }
            if (n + rep > nlit + ndist) fail("code lengths past the block's count");
            while (rep--) lengths[n++] = val;
        }
        if (lengths[256] == 0) fail("a dynamic block without an end-of-block code");
        const Code lit = build_code(lengths, nlit);
        const Code dist = build_code(lengths + nlit, ndist);
        codes(in, lit, dist);
    }
    void codes(Bits& in, const Code& lit, const Code& dist) {
        for (;;) {
            const unsigned sym = decode(in, lit);
            if (sym < 256) {
                put(char(sym));
                continue;
            }
            if (sym == 256) return;
            const unsigned li = sym - 257;
            if (li >= 29) fail("a length code past 285");
            const unsigned len = kLenBase[li] + in.bits(kLenExtra[li]);
            const unsigned di = decode(in, dist);
            if (di >= 30) fail("a distance code past 29");
            const size_t d = kDistBase[di] + in.bits(kDistExtra[di]);
            if (d > out_.size() - start_) fail("a distance back past the start of the data");
            for (unsigned i = 0; i < len; ++i) put(out_[out_.size() - d]);
        }
    }

public:
    size_t start_ = 0;  // where this member's output begins

private:
    std::string& out_;
    uint64_t max_;
};

uint32_t le32(std::string_view d, size_t p) {
    return uint32_t(uint8_t(d[p])) | uint32_t(uint8_t(d[p + 1])) << 8 | uint32_t(uint8_t(d[p + 2])) << 16 |
           uint32_t(uint8_t(d[p + 3])) << 24;
}

}  // namespace

bool is_gzip(std::string_view d) { return d.size() >= 2 && uint8_t(d[0]) == 0x1f && uint8_t(d[1]) == 0x8b; }

std::string gunzip(std::string_view d, uint64_t max_bytes) {
    std::string out;
    size_t p = 0;
    bool first = true;
    while (first || p < d.size()) {
        first = false;
        if (d.size() - p < 10 || !is_gzip(d.substr(p))) fail("not a gzip file (no 1f 8b header)");
        if (uint8_t(d[p + 2]) != 8) fail("compression method " + std::to_string(uint8_t(d[p + 2])) + " is not deflate");
        const unsigned flg = uint8_t(d[p + 3]);
        if (flg & 0xE0) fail("reserved header flags set");
        p += 10;
        if (flg & 0x04) {  // FEXTRA
            if (d.size() - p < 2) fail("data ends in the header");
            const size_t xlen = uint8_t(d[p]) | size_t(uint8_t(d[p + 1])) << 8;
            if (d.size() - p - 2 < xlen) fail("data ends in the header");
            p += 2 + xlen;
        }
        for (unsigned f : {0x08u, 0x10u}) {  // FNAME, FCOMMENT: zero-terminated
            if (!(flg & f)) continue;
            while (p < d.size() && d[p] != 0) ++p;
            if (p >= d.size()) fail("data ends in the header");
            ++p;
        }
        if (flg & 0x02) p += 2;  // FHCRC
        if (p > d.size()) fail("data ends in the header");
        Inflater inf(out, max_bytes);
        inf.start_ = out.size();
        Bits in(d, p);
        inf.stream(in);
        p = in.pos();
        if (d.size() - p < 8) fail("data ends before the CRC-32 and length");
        const uint32_t crc = le32(d, p), isize = le32(d, p + 4);
        p += 8;
        if (crc32(out.data() + inf.start_, out.size() - inf.start_) != crc) fail("CRC-32 mismatch (corrupt data)");
        if (uint32_t(out.size() - inf.start_) != isize) fail("length mismatch (corrupt data)");
    }
    return out;
}

}  // namespace itsim
