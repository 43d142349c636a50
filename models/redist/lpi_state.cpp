#include "itsim/redist/lpi_state.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace itsim {

namespace {
bool power_of_two(unsigned v) { return v != 0 && (v & (v - 1)) == 0; }
constexpr unsigned kMaxBurst = 256;
}  // namespace

LpiState::LpiState(const LpiStateConfig& cfg) : cfg_(cfg) {
    if (!power_of_two(cfg.line_bytes) || cfg.line_bytes > lpi::kMaxLineBytes)
        throw std::invalid_argument("LPI configuration line must be a power of two, 1..64 bytes");
    cache_.resize(cfg.cache_entries, cfg.cache_ways);
}

bool LpiState::set_tracking(PendingTracking t) {
    if (has_dirty()) return false;
    cfg_.tracking = t;
    return true;
}

void LpiState::set_tables(uint64_t prop_base, uint64_t pend_base, uint64_t intid_limit) {
    prop_base_ = prop_base;
    pend_base_ = pend_base;
    limit_ = std::min<uint64_t>(intid_limit, uint64_t{1} << 32);
}

std::optional<uint8_t> LpiState::lookup_config(uint32_t intid, LpiBackend& mem) {
    mem.on_config_lookup();
    if (const uint8_t* v = cache_.lookup(intid)) return *v;

    // Miss: read the aligned line holding the byte, clipped to the table.
    const uint64_t off = uint64_t(intid) - lpi::kFirstLpi;
    const uint64_t line = cfg_.line_bytes;
    const uint64_t first = off & ~(line - 1);
    const uint64_t table_end = limit_ - lpi::kFirstLpi;
    const unsigned len = unsigned(std::min(first + line, table_end) - first);
    uint8_t buf[lpi::kMaxLineBytes];
    ++stats_.config_reads;
    const uint64_t gen = generation_;
    if (!mem.read(prop_base_ + first, buf, len)) {
        ++stats_.config_read_errors;
        return std::nullopt;
    }
    if (gen != generation_) return std::nullopt;   // dropped while reading
    // Neighbours first (only those not cached yet), the wanted byte last so
    // that it is the most recently used line of its set.
    for (unsigned i = 0; i < len; ++i) {
        const uint64_t key = lpi::kFirstLpi + first + i;
        if (key != intid && !cache_.peek(key)) cache_.insert(key, buf[i]);
    }
    const uint8_t v = buf[off - first];
    cache_.insert(intid, v);
    return v;
}

// net_ is sorted by descending index: the lowest (next to write) is at the
// back, so writing pops from the back.
std::vector<LpiState::NetByte>::iterator LpiState::net_find(uint32_t index) {
    // A byte at or below the lowest dirty one (the usual case: few bytes
    // dirty) needs no search.
    if (net_.empty() || net_.back().index > index) return net_.end();
    if (net_.back().index == index) return net_.end() - 1;
    return std::lower_bound(net_.begin(), net_.end(), index,
                            [](const NetByte& n, uint32_t i) { return n.index > i; });
}

void LpiState::mark_dirty(uint32_t intid) {
    const uint32_t b = intid / 8;
    if (cfg_.tracking == PendingTracking::queue) {
        if (dirty_set_.insert(b)) dirty_fifo_.push_back(b);
        return;
    }
    const uint8_t bit = uint8_t(1u << (intid % 8));
    auto it = net_find(b);
    if (it == net_.end() || it->index != b) {
        net_.insert(it, NetByte{b, bit, false});
    } else {
        it->toggled ^= bit;
        if (!it->toggled && !it->forced) net_.erase(it);   // back to what memory holds
    }
}

LpiState::Prepared LpiState::prepare_pending(uint32_t intid, LpiBackend& mem) {
    Prepared p;
    if (!in_range(intid)) {
        p.skip = true;
        return p;
    }
    p.generation = generation_;
    if (const LpiPendingSet::Entry* e = pending_.find(intid)) {
        p.already = true;
        p.selectable = e->selectable();
        p.valid = e->valid;
        p.config = e->config;
        return p;
    }
    if (auto c = lookup_config(intid, mem)) {
        p.config = *c;
        p.valid = true;
    }
    return p;
}

LpiState::SetResult LpiState::commit_pending(uint32_t intid, const Prepared& p, uint64_t stamp) {
    SetResult r;
    if (p.generation != generation_) {
        r.abandoned = true;
        return r;
    }
    if (p.skip || !in_range(intid)) return r;
    // Pending by now (found so at prepare, or made so by another caller
    // meanwhile): the MSI merges, nothing changes.
    if (const LpiPendingSet::Entry* e = pending_.find(intid)) {
        r.selectable = e->selectable();
        return r;
    }
    uint8_t config = p.config;
    bool valid = p.valid;
    if (p.already) {
        // Pending at prepare (no lookup made), acknowledged or cleared
        // since: the configuration is what the cache holds now, else the
        // snapshot it was pending with.
        if (const uint8_t* c = cache_.peek(intid)) {
            config = *c;
            valid = true;
        }
    }
    pending_.insert(intid, config, valid, stamp);
    mark_dirty(intid);
    r.newly_pending = true;
    r.selectable = lpi::selectable(config, valid);
    r.valid = valid;
    r.config = config;
    r.new_highest = r.selectable && highest() == intid;
    verify();
    return r;
}

LpiState::SetResult LpiState::set_pending(uint32_t intid, LpiBackend& mem) {
    const Prepared p = prepare_pending(intid, mem);
    if (p.skip) return SetResult{};
    // The update's cost is charged first (the caller's time then catches
    // up): the decision is made, and a new LPI becomes visible to an
    // acknowledge, at the end of the update, not before.
    mem.on_pending_update();
    return commit_pending(intid, p, mem.stamp());
}

bool LpiState::clear_pending(uint32_t intid) {
    if (!pending_.erase(intid)) return false;
    mark_dirty(intid);
    verify();
    return true;
}

uint32_t LpiState::highest() const {
    return pending_.selectable_count() ? pending_.top() : lpi::kSpurious;
}

LpiState::Ack LpiState::acknowledge(uint64_t visible) {
    Ack a;
    // The first LPI of the order that is visible. Those that are not were
    // made selectable less than a signal latency ago: a few at most.
    uint64_t earliest = 0;
    const LpiPendingSet::Entry* e = pending_.first_visible(visible, &earliest);
    if (!e) {
        if (pending_.selectable_count()) {
            a.none_visible = true;
            a.earliest_stamp = earliest;
        }
        return a;
    }
    a.intid = e->intid;
    a.stamp = e->stamp;
    a.config = e->config;
    pending_.erase(a.intid);
    mark_dirty(a.intid);
    verify();
    return a;
}

bool LpiState::refresh(uint32_t intid, LpiBackend& mem, uint64_t gen) {
    if (gen != generation_) return false;
    std::optional<uint8_t> c = lookup_config(intid, mem);
    if (gen != generation_ || !is_pending(intid)) return false;
    mem.on_pending_update();   // may block: re-find the entry after it
    if (gen != generation_) return false;
    const LpiPendingSet::Entry* found = pending_.find(intid);
    if (!found) return false;   // acknowledged or cleared meanwhile
    const LpiPendingSet::Entry old = *found;
    LpiPendingSet::Entry e = old;
    e.valid = c.has_value();
    e.config = c.value_or(0);
    if (!old.selectable() && e.selectable()) e.stamp = mem.stamp();
    pending_.update(intid, e.config, e.valid, e.stamp);
    mem.on_refreshed(intid, e.config, e.valid);
    verify();
    if (old.selectable() != e.selectable()) return true;
    return e.selectable() &&
           (old.config & lpi::kPropPriorityMask) != (e.config & lpi::kPropPriorityMask);
}

bool LpiState::inv(uint32_t intid, LpiBackend& mem) {
    if (!in_range(intid)) return false;
    cache_.invalidate(intid);
    // A pending LPI's re-read is the lookup (it misses now); otherwise the
    // invalidating probe is the only lookup.
    if (!is_pending(intid)) {
        mem.on_config_lookup();
        return false;
    }
    return refresh(intid, mem, generation_);
}

void LpiState::invall(LpiBackend& mem) {
    cache_.clear();
    // Every LPI pending now, unless the state is dropped (or abandoned:
    // EnableLPIs 1 -> 0) while a re-read waits.
    const uint64_t gen = generation_;
    for (uint32_t intid : pending_list()) {
        if (gen != generation_) return;
        refresh(intid, mem, gen);
    }
}

std::vector<uint32_t> LpiState::take_all() {
    std::vector<uint32_t> all = pending_list();
    for (uint32_t intid : all) mark_dirty(intid);
    pending_.clear();
    verify();
    return all;
}

size_t LpiState::load_pending_table(LpiBackend& mem, unsigned burst) {
    if (limit_ <= lpi::kFirstLpi) return 0;
    burst = std::clamp(burst, 1u, kMaxBurst);
    const uint64_t end = limit_ / 8;   // limit_ is a power of two >= 2^14
    const uint64_t gen = generation_;
    size_t made = 0;
    uint8_t buf[kMaxBurst];
    for (uint64_t b = lpi::kPendingTableReserved; b < end; b += burst) {
        const unsigned len = unsigned(std::min<uint64_t>(burst, end - b));
        ++stats_.pending_table_reads;
        if (!mem.read(pend_base_ + b, buf, len)) {
            ++stats_.pending_table_read_errors;
            continue;
        }
        if (gen != generation_) return made;
        for (unsigned i = 0; i < len; ++i) {
            if (!buf[i]) continue;
            for (unsigned bit = 0; bit < 8; ++bit) {
                if (!(buf[i] & (1u << bit))) continue;
                const uint32_t intid = uint32_t((b + i) * 8 + bit);
                if (is_pending(intid)) continue;
                uint8_t config = 0;
                bool valid = false;
                if (auto c = lookup_config(intid, mem)) {
                    config = *c;
                    valid = true;
                }
                if (gen != generation_) return made;
                if (is_pending(intid)) continue;
                mem.on_pending_update();   // may block
                if (gen != generation_) return made;
                if (is_pending(intid)) continue;   // made pending meanwhile
                pending_.insert(intid, config, valid, mem.stamp());
                mem.on_loaded(intid, config, valid);
                verify();
                ++made;
            }
        }
    }
    return made;
}

void LpiState::mark_all_pending_dirty() {
    if (cfg_.tracking == PendingTracking::queue) {
        for (uint32_t intid : pending_list()) mark_dirty(intid);
        return;
    }
    // Merge (descending) the pending LPIs' bytes into the dirty ones, forced.
    const std::vector<uint32_t> ids = pending_list();   // ascending
    std::vector<NetByte> merged;
    merged.reserve(net_.size() + ids.size());
    auto n = net_.begin();
    for (auto i = ids.rbegin(); i != ids.rend();) {
        const uint32_t b = *i / 8;
        if (n != net_.end() && n->index > b) {
            merged.push_back(*n++);
            continue;
        }
        if (n != net_.end() && n->index == b) {
            merged.push_back(*n++);
            merged.back().forced = true;
        } else if (merged.empty() || merged.back().index != b) {
            merged.push_back(NetByte{b, 0, true});
        }
        while (i != ids.rend() && *i / 8 == b) ++i;
    }
    merged.insert(merged.end(), n, net_.end());
    net_.swap(merged);
}

void LpiState::drop_all() {
    pending_.clear();
    cache_.clear();
    dirty_fifo_.clear();
    dirty_set_.clear();
    net_.clear();
    ++generation_;
}

uint32_t LpiState::pop_dirty() {
    if (cfg_.tracking == PendingTracking::net) {
        const uint32_t b = net_.back().index;
        net_.pop_back();
        return b;
    }
    const uint32_t b = dirty_fifo_.front();
    dirty_fifo_.pop_front();
    dirty_set_.erase(b);
    return b;
}

uint8_t LpiState::pending_byte(uint32_t byte_index) const {
    uint8_t v = 0;
    for (unsigned bit = 0; bit < 8; ++bit) {
        const uint64_t intid = uint64_t(byte_index) * 8 + bit;
        if (intid >= lpi::kFirstLpi && intid <= 0xFFFFFFFFu && pending_.contains(uint32_t(intid)))
            v |= uint8_t(1u << bit);
    }
    return v;
}

bool LpiState::write_next(MemPort& mem, unsigned* len) {
    if (!has_dirty()) return false;
    uint8_t v[lpi::kMaxWriteRun];
    const uint32_t first = pop_dirty();
    unsigned n = 1;
    v[0] = pending_byte(first);
    if (cfg_.tracking == PendingTracking::net) {
        // The dirty bytes right after it, up to the end of its line.
        const uint32_t line_end = (first | (lpi::kMaxWriteRun - 1)) + 1;
        while (!net_.empty() && net_.back().index == first + n && first + n < line_end) {
            net_.pop_back();
            v[n] = pending_byte(first + n);
            ++n;
        }
    }
    if (len) *len = n;
    ++stats_.pending_writes;
    if (!mem.write(pending_byte_addr(first), v, n)) ++stats_.pending_write_errors;
    return true;
}

size_t LpiState::flush(MemPort& mem) {
    size_t bytes = 0;
    unsigned n = 0;
    while (write_next(mem, &n)) bytes += n;
    return bytes;
}

std::optional<uint8_t> LpiState::pending_config(uint32_t intid) const {
    const LpiPendingSet::Entry* e = pending_.find(intid);
    if (!e || !e->valid) return std::nullopt;
    return e->config;
}

std::vector<uint32_t> LpiState::pending_list() const {
    return pending_.sorted_intids();
}

}  // namespace itsim

namespace itsim {

std::string LpiState::check_invariants() const {
    // I2: range.
    for (const LpiPendingSet::Entry& e : pending_.entries())
        if (!in_range(e.intid)) return "I2: LPI " + std::to_string(e.intid) + " pending out of range";
    // I1: the order and the selectable pending LPIs agree, one place each
    // (and the set's index finds every pending LPI).
    if (std::string broken = pending_.check(); !broken.empty()) return "I1: " + broken;
    // I3: the dirty bookkeeping.
    if (cfg_.tracking == PendingTracking::queue) {
        if (dirty_fifo_.size() != dirty_set_.size()) return "I3: dirty FIFO and set differ in size";
        for (uint32_t b : dirty_fifo_)
            if (!dirty_set_.contains(b)) return "I3: dirty byte " + std::to_string(b) + " not in the set";
    } else {
        for (size_t i = 0; i < net_.size(); ++i) {
            if (i && !(net_[i - 1].index > net_[i].index)) return "I3: dirty bytes not strictly descending";
            if (!net_[i].toggled && !net_[i].forced) return "I3: clean byte left in the dirty list";
        }
    }
    return {};
}

void LpiState::verify() const {
#ifdef ITSIM_CHECK_INVARIANTS
    // Bounded cost: the full check while the state is small, sizes beyond.
    std::string broken;
    if (pending_.size() <= 4096) broken = check_invariants();
    else if (pending_.selectable_count() > pending_.size()) broken = "I1: more ordered than pending LPIs";
    if (!broken.empty()) {
        std::fprintf(stderr, "itsim: LpiState invariant broken: %s\n", broken.c_str());
        std::abort();
    }
#endif
}

}  // namespace itsim
