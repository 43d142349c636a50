#include "itsim/redist/lpi_pending_set.h"

#include <algorithm>

namespace itsim {

namespace {
constexpr size_t kMinIndex = 8;   // entries the index first has room for
}

void LpiPendingSet::heap_remove(uint32_t entry) {
    const uint32_t pos = entries_[entry].heap_pos;
    entries_[entry].heap_pos = kNotInOrder;
    heap_.remove_at(pos, order());
}

void LpiPendingSet::insert(uint32_t intid, uint8_t config, bool valid, uint64_t stamp) {
    if (!index_.fits(entries_.size() + 1)) index_.grow(std::max(kMinIndex, 2 * entries_.size()), key_of());
    const uint32_t p = uint32_t(entries_.size());
    Entry e;
    e.intid = intid;
    e.config = config;
    e.valid = valid;
    e.stamp = stamp;
    entries_.push_back(e);
    index_.insert(p, intid);
    if (e.selectable()) heap_.push(p, order());
}

void LpiPendingSet::update(uint32_t intid, uint8_t config, bool valid, uint64_t stamp) {
    const uint32_t slot = index_.find(intid, key_of());
    if (slot == OpenIndex::kNoSlot) return;
    const uint32_t p = index_.at(slot);
    Entry& e = entries_[p];
    const bool was = e.heap_pos != kNotInOrder;
    e.config = config;
    e.valid = valid;
    e.stamp = stamp;
    const bool now = e.selectable();
    if (was && now) heap_.fix(e.heap_pos, order());
    else if (was) heap_remove(p);
    else if (now) heap_.push(p, order());
}

bool LpiPendingSet::erase(uint32_t intid) {
    const uint32_t slot = index_.find(intid, key_of());
    if (slot == OpenIndex::kNoSlot) return false;
    const uint32_t p = index_.at(slot);
    if (entries_[p].heap_pos != kNotInOrder) heap_remove(p);
    index_.erase(slot, key_of());
    const uint32_t last = uint32_t(entries_.size() - 1);
    if (p != last) {
        // The last entry takes the freed place: its index slot and its
        // place in the heap follow it.
        index_.set(index_.find(entries_[last].intid, key_of()), p);
        entries_[p] = entries_[last];
        if (entries_[p].heap_pos != kNotInOrder) heap_.rename(entries_[p].heap_pos, p);
    }
    entries_.pop_back();
    return true;
}

void LpiPendingSet::clear() {
    entries_.clear();
    heap_.clear();
    index_.clear();
}

const LpiPendingSet::Entry* LpiPendingSet::walk_order(uint64_t visible, uint64_t* earliest) const {
    // The order from the top, as a walk of the heap: a frontier of heap
    // positions, smallest key first (keys are distinct: they hold the INTID).
    const auto later = [this](uint32_t a, uint32_t b) { return keys().less(heap_.at(b), heap_.at(a)); };
    walk_.clear();
    walk_.push_back(0);
    uint64_t least = UINT64_MAX;
    while (!walk_.empty()) {
        std::pop_heap(walk_.begin(), walk_.end(), later);
        const uint32_t hp = walk_.back();
        walk_.pop_back();
        const Entry& e = entries_[heap_.at(hp)];
        if (e.stamp <= visible) return &e;
        least = std::min(least, e.stamp);
        for (uint32_t c = 2 * hp + 1; c <= 2 * hp + 2 && c < heap_.size(); ++c) {
            walk_.push_back(c);
            std::push_heap(walk_.begin(), walk_.end(), later);
        }
    }
    if (earliest) *earliest = least;
    return nullptr;
}

std::vector<uint32_t> LpiPendingSet::sorted_intids() const {
    std::vector<uint32_t> v;
    v.reserve(entries_.size());
    for (const Entry& e : entries_) v.push_back(e.intid);
    std::sort(v.begin(), v.end());
    return v;
}

std::string LpiPendingSet::check() const {
    size_t used = 0;
    index_.for_each([&](uint32_t) { ++used; });
    if (used != entries_.size()) return "index holds " + std::to_string(used) + " slots for " +
                                        std::to_string(entries_.size()) + " entries";
    size_t selectable = 0;
    for (uint32_t p = 0; p < entries_.size(); ++p) {
        const Entry& e = entries_[p];
        const uint32_t slot = index_.find(e.intid, key_of());
        if (slot == OpenIndex::kNoSlot || index_.at(slot) != p)
            return "index does not find LPI " + std::to_string(e.intid);
        if (e.selectable()) {
            ++selectable;
            if (e.heap_pos >= heap_.size() || heap_.at(e.heap_pos) != p)
                return "selectable LPI " + std::to_string(e.intid) + " missing from the order";
        } else if (e.heap_pos != kNotInOrder) {
            return "LPI " + std::to_string(e.intid) + " in the order but not selectable";
        }
    }
    if (selectable != heap_.size())
        return "order holds " + std::to_string(heap_.size()) + " LPIs for " + std::to_string(selectable) +
               " selectable";
    const std::string order = heap_.check(keys());
    return order.empty() ? order : "order " + order;
}

}  // namespace itsim
