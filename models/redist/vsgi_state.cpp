// VsgiState, VsgiQuery (vsgi_state.h).
#include "itsim/redist/vsgi_state.h"

#include <cstdio>
#include <cstdlib>

namespace itsim {

uint16_t VsgiSet::pending_mask() const {
    uint16_t m = 0;
    for (unsigned i = 0; i < vsgi::kCount; ++i)
        if (sgi[i].pending) m = uint16_t(m | (1u << i));
    return m;
}

bool VsgiSet::any_enabled_pending() const {
    for (const Vsgi& s : sgi)
        if (s.pending && s.enable) return true;
    return false;
}

uint32_t VsgiSet::highest(bool grp0_en, bool grp1_en) const {
    uint32_t best = vsgi::kNone;
    for (unsigned i = 0; i < vsgi::kCount; ++i) {
        const Vsgi& s = sgi[i];
        if (!s.pending || !s.enable || !(s.group ? grp1_en : grp0_en)) continue;
        // Lower priority value first; equal priorities keep the lower vINTID.
        if (best == vsgi::kNone || s.priority < sgi[best].priority) best = i;
    }
    return best;
}

bool VsgiSet::is_reset() const {
    for (const Vsgi& s : sgi)
        if (!(s == Vsgi{})) return false;
    return true;
}

bool VsgiState::set_pending(uint32_t vpeid, uint32_t n) {
    if (n >= vsgi::kCount) return false;
    Vsgi& s = at(vpeid).sgi[n];
    const bool was = s.pending;
    s.pending = true;
    verify();
    return !was;
}

void VsgiState::configure(uint32_t vpeid, uint32_t n, bool enable, bool group, uint8_t priority) {
    if (n >= vsgi::kCount) return;
    Vsgi& s = at(vpeid).sgi[n];
    s.enable = enable;
    s.group = group;
    s.priority = uint8_t(priority & vsgi::kPriorityMask);
    tidy(vpeid);
    verify();
}

bool VsgiState::clear(uint32_t vpeid, uint32_t n) {
    if (n >= vsgi::kCount) return false;
    auto it = sets_.find(vpeid);
    if (it == sets_.end()) return false;
    Vsgi& s = it->second.sgi[n];
    const bool was = s.pending;
    s.pending = false;
    tidy(vpeid);
    verify();
    return was;
}

Vsgi VsgiState::get(uint32_t vpeid, uint32_t n) const {
    const VsgiSet* s = find(vpeid);
    return s && n < vsgi::kCount ? s->sgi[n] : Vsgi{};
}

const VsgiSet* VsgiState::find(uint32_t vpeid) const {
    auto it = sets_.find(vpeid);
    return it == sets_.end() ? nullptr : &it->second;
}

uint16_t VsgiState::pending_mask(uint32_t vpeid) const {
    const VsgiSet* s = find(vpeid);
    return s ? s->pending_mask() : 0;
}

bool VsgiState::any_enabled_pending(uint32_t vpeid) const {
    const VsgiSet* s = find(vpeid);
    return s && s->any_enabled_pending();
}

uint32_t VsgiState::highest(uint32_t vpeid, bool grp0_en, bool grp1_en, uint8_t* priority) const {
    const VsgiSet* s = find(vpeid);
    const uint32_t n = s ? s->highest(grp0_en, grp1_en) : vsgi::kNone;
    if (priority) *priority = n == vsgi::kNone ? 0 : s->sgi[n].priority;
    return n;
}

uint32_t VsgiState::acknowledge(uint32_t vpeid, bool grp0_en, bool grp1_en, uint8_t* priority) {
    const uint32_t n = highest(vpeid, grp0_en, grp1_en, priority);
    if (n != vsgi::kNone) clear(vpeid, n);
    return n;
}

void VsgiState::tidy(uint32_t vpeid) {
    auto it = sets_.find(vpeid);
    if (it != sets_.end() && it->second.is_reset()) sets_.erase(it);
}

std::string VsgiState::check_invariants() const {
    for (const auto& [vpeid, s] : sets_) {
        if (s.is_reset()) return "V1: vPE " + std::to_string(vpeid) + " held with every vSGI at reset";
        for (const Vsgi& g : s.sgi)
            if (g.priority & ~vsgi::kPriorityMask)
                return "V2: vPE " + std::to_string(vpeid) + " holds a priority below bit 4";
    }
    return {};
}

void VsgiState::verify() const {
#ifdef ITSIM_CHECK_INVARIANTS
    const std::string broken = check_invariants();
    if (!broken.empty()) {
        std::fprintf(stderr, "itsim: VsgiState invariant broken: %s\n", broken.c_str());
        std::abort();
    }
#endif
}

bool VsgiQuery::start(uint32_t vpeid, uint64_t now_ps, uint64_t busy_ps) {
    if (busy(now_ps)) return false;
    started_ = true;
    vpeid_ = vpeid & vsgi::kVsgirVpeid;
    done_ps_ = now_ps + busy_ps;
    return true;
}

uint32_t VsgiQuery::read(const VsgiState& s, uint64_t now_ps) const {
    if (busy(now_ps)) return vsgi::kPendrBusy;
    if (!started_) return 0;
    return s.pending_mask(vpeid_);
}

}  // namespace itsim
