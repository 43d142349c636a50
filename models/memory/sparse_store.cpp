#include "itsim/memory/sparse_store.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace itsim {

SparseStore::SparseStore(uint64_t size) : size_(size) {
    if (size > kMaxSize)
        throw std::invalid_argument("sparse store: size " + std::to_string(size) +
                                    " exceeds the maximum of " + std::to_string(kMaxSize) + " bytes");
    uint64_t chunk = 1ull << kChunkShift;
    dir_.resize((size + chunk - 1) / chunk);
}

SparseStore::~SparseStore() = default;

uint8_t* SparseStore::find(uint64_t addr) const {
    const Chunk* c = dir_[addr >> kChunkShift].get();
    if (!c) return nullptr;
    return c->page[(addr >> 12) & (kPagesPerChunk - 1)].get();
}

uint8_t* SparseStore::find_or_allocate(uint64_t addr) {
    std::unique_ptr<Chunk>& c = dir_[addr >> kChunkShift];
    if (!c) c = std::make_unique<Chunk>();
    std::unique_ptr<uint8_t[]>& p = c->page[(addr >> 12) & (kPagesPerChunk - 1)];
    if (!p) {
        p.reset(new uint8_t[kPageSize]());  // zero-filled
        ++pages_;
    }
    return p.get();
}

bool SparseStore::read(uint64_t addr, void* dst, uint64_t len, bool* first_resident) const {
    if (!contains(addr, len)) return false;
    uint8_t* out = static_cast<uint8_t*>(dst);
    if (const uint64_t off = addr & kPageMask; len && off + len <= kPageSize) {   // one page: the usual read
        const uint8_t* p = find(addr);
        if (p) std::memcpy(out, p + off, len);
        else std::memset(out, 0, len);
        if (first_resident) *first_resident = p != nullptr;
        return true;
    }
    if (first_resident) *first_resident = len ? false : page_resident(addr);
    bool first = true;
    while (len) {
        uint64_t off = addr & kPageMask;
        uint64_t n = std::min(len, kPageSize - off);
        const uint8_t* p = find(addr);
        if (p) std::memcpy(out, p + off, n);
        else std::memset(out, 0, n);
        if (first && first_resident) *first_resident = p != nullptr;
        first = false;
        out += n; addr += n; len -= n;
    }
    return true;
}

bool SparseStore::write(uint64_t addr, const void* src, uint64_t len) {
    if (!contains(addr, len)) return false;
    const uint8_t* in = static_cast<const uint8_t*>(src);
    while (len) {
        uint64_t off = addr & kPageMask;
        uint64_t n = std::min(len, kPageSize - off);
        std::memcpy(find_or_allocate(addr) + off, in, n);
        in += n; addr += n; len -= n;
    }
    return true;
}

bool SparseStore::fill(uint64_t addr, uint8_t value, uint64_t len) {
    if (!contains(addr, len)) return false;
    while (len) {
        uint64_t off = addr & kPageMask;
        uint64_t n = std::min(len, kPageSize - off);
        uint8_t* p = value ? find_or_allocate(addr) : find(addr);
        if (p) std::memset(p + off, value, n);
        addr += n; len -= n;
    }
    return true;
}

uint8_t* SparseStore::page_ptr(uint64_t addr, bool allocate) {
    if (addr >= size_) return nullptr;
    return allocate ? find_or_allocate(addr) : find(addr);
}

}  // namespace itsim
