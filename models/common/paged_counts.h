// PagedCounts: a counter per key (an INTID, a vPE's vINTID) for a hot path
// that bumps one count per event: counts live in pages of 256 consecutive
// keys, a page made when a key in it is first counted; the page bumped last
// is remembered, so the next bump of a key near it (the same LPIs again, or
// LPIs numbered in a run) costs no lookup. Memory is bounded by the keys
// counted (one 2 KiB page per 256 neighbours), never by the key space.
// Plain C++, no simulation kernel.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace itsim {

template <class Key>
class PagedCounts {
public:
    static constexpr unsigned kPageBits = 8;
    static constexpr Key kPageMask = (Key{1} << kPageBits) - 1;

    void bump(Key k) {
        const Key page = k >> kPageBits;
        if (!last_ || page != last_page_) {
            std::unique_ptr<Page>& p = pages_[page];
            if (!p) p = std::make_unique<Page>();
            last_ = p.get();
            last_page_ = page;
        }
        ++(*last_)[size_t(k & kPageMask)];
    }
    uint64_t get(Key k) const {
        auto it = pages_.find(k >> kPageBits);
        return it == pages_.end() ? 0 : (*it->second)[size_t(k & kPageMask)];
    }

private:
    using Page = std::array<uint64_t, size_t{1} << kPageBits>;
    // The page bumped last first: a bump near it reads nothing further.
    Page* last_ = nullptr;
    Key last_page_ = 0;
    std::unordered_map<Key, std::unique_ptr<Page>> pages_;
};

}  // namespace itsim
