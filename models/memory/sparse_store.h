// Sparse backing store of a memory (plain C++, no kernel).
//
// A fixed-size byte array of up to kMaxSize bytes, kept in 4 KiB pages that
// exist only once written: reads of untouched bytes return zero and
// allocate nothing, so a 4 GiB map of mostly empty tables costs a few
// pages. Pages are found through a two-level directory (2 MiB chunks of
// 512 page pointers), so an access costs two indexed loads, no hashing.
// Pages are never freed while the store lives; host pointers handed out
// for DMI (page_ptr) stay valid as long as the store.
//
// Every access is range-checked: an access that does not lie wholly inside
// [0, size) returns false and touches nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace itsim {

class SparseStore {
public:
    static constexpr uint64_t kPageSize = 4096;
    static constexpr uint64_t kPageMask = kPageSize - 1;
    // Upper bound on size: the directory costs 8 bytes per 2 MiB of size
    // (256 KiB at 64 GiB), paid up front.
    static constexpr uint64_t kMaxSize = 64ull << 30;

    // Throws std::invalid_argument if size > kMaxSize.
    explicit SparseStore(uint64_t size);
    ~SparseStore();
    SparseStore(const SparseStore&) = delete;
    SparseStore& operator=(const SparseStore&) = delete;

    uint64_t size() const { return size_; }
    // [addr, addr+len) lies inside the store (len 0: addr <= size).
    bool contains(uint64_t addr, uint64_t len) const {
        return addr <= size_ && len <= size_ - addr;
    }

    // first_resident (if given): whether the page holding addr was found
    // (what page_resident(addr) says), from the lookup the read made anyway.
    bool read(uint64_t addr, void* dst, uint64_t len, bool* first_resident = nullptr) const;
    bool write(uint64_t addr, const void* src, uint64_t len);
    // Filling untouched pages with zero allocates nothing.
    bool fill(uint64_t addr, uint8_t value, uint64_t len);

    // Host pointer to the first byte of the page holding addr (for DMI).
    // With allocate == false an untouched page gives nullptr; out of range
    // always gives nullptr.
    uint8_t* page_ptr(uint64_t addr, bool allocate);
    bool page_resident(uint64_t addr) const { return addr < size_ && find(addr) != nullptr; }

    // Bytes held in pages (a multiple of kPageSize).
    uint64_t resident_bytes() const { return pages_ * kPageSize; }

private:
    static constexpr unsigned kChunkShift = 21;  // 2 MiB per directory entry
    static constexpr uint64_t kPagesPerChunk = 1ull << (kChunkShift - 12);
    struct Chunk {
        std::unique_ptr<uint8_t[]> page[kPagesPerChunk];
    };

    uint8_t* find(uint64_t addr) const;
    uint8_t* find_or_allocate(uint64_t addr);

    uint64_t size_;
    uint64_t pages_ = 0;
    std::vector<std::unique_ptr<Chunk>> dir_;
};

}  // namespace itsim
