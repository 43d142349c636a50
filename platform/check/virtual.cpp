// R7 "virtual": the checker's GICv4 rules (check_virtual.h).
#include <algorithm>

#include "check/check_virtual.h"

namespace itsim::check_detail {

namespace {
std::string n2s(uint64_t v) { return std::to_string(v); }
std::string vpe_at(uint32_t cpu, uint32_t vpeid) { return "vPE " + n2s(vpeid) + " at cpu " + n2s(cpu); }
}  // namespace

void VirtualTracker::configure(const std::string& version, uint64_t vpes_per_vm, uint64_t its_count,
                               const RdbaseMap& rd) {
    v4_ = version == "4.0" || version == "4" || version == "4.1";
    v41_ = version == "4.1";
    per_vm_ = vpes_per_vm ? vpes_per_vm : 1;
    one_its_ = its_count <= 1;
    rd_ = rd;
}

int64_t VirtualTracker::cpu_of(uint64_t rdbase) const {
    if (!rd_.pta) return rdbase < rd_.cpus ? int64_t(rdbase) : -1;
    if (rdbase > (UINT64_MAX >> 16)) return -1;
    const uint64_t a = rdbase << 16;
    if (a < rd_.base || rd_.stride == 0 || (a - rd_.base) % rd_.stride) return -1;
    const uint64_t i = (a - rd_.base) / rd_.stride;
    return i < rd_.cpus ? int64_t(i) : -1;
}

// A VMOVP that completed: the vPE's entry in this ITS (and, with
// its.vmovp=1, in every ITS that has it) names the new redistributor; v4.1
// hands a doorbell request at the old one over to the new one.
void VirtualTracker::vmovp(const Rec& r, const Fields& f, uint64_t its) {
    const uint32_t vpeid = f.u32("vpeid");
    const int64_t to = cpu_of(f.u64("rdbase"));
    auto e = vte_cpu_.find({its, vpeid});
    if (e == vte_cpu_.end() || to < 0) return;   // not mapped from the records: nothing known to move
    const uint32_t from = e->second;
    for (auto& [k, cpu] : vte_cpu_)
        if (k.second == vpeid && (k.first == its || rd_.vmovp)) cpu = uint32_t(to);
    if (!v41_ || from == uint32_t(to)) return;
    auto a = armed_.find({from, vpeid});
    if (a == armed_.end()) return;
    const CpuVpe k{uint32_t(to), vpeid};
    armed_[k] = a->second;
    armed_.erase(a);
    // A ring at the new CPU seen before this record (while the VMOVP ran) is this request's.
    auto h = held_rings_.find(k);
    if (h == held_rings_.end()) return;
    const uint64_t issued = f.opt_u64("issued_ps").value_or(r.t);
    for (auto x = h->second.begin(); x != h->second.end(); ++x) {
        if (x->t < issued) continue;
        last_ring_[k] = x->t;
        armed_.erase(k);
        h->second.erase(x);
        break;
    }
    if (h->second.empty()) held_rings_.erase(h);
}

void VirtualTracker::msi(const Rec& r, const Fields& f) {
    if (!v4_) return;
    const uint32_t vpeid = f.u32("vpeid"), vintid = f.u32("vintid"), cpu = f.u32("cpu");
    const uint64_t issued = f.opt_u64("issued_ps").value_or(r.t);
    const auto rang = f.opt_u64("doorbell");
    if (f.opt_bool("resident").value_or(false)) {
        owed_.emplace(std::make_pair(vpeid, vintid), Owed{r.t, r.ref()});
        if (rang)
            sink_.report("R7", "msi to resident " + vpe_at(cpu, vpeid) + " (vINTID " + n2s(vintid) +
                                   ") rang doorbell " + n2s(*rang) + ": only a non-resident vPE's doorbell rings",
                         {r.ref()});
        return;
    }
    // Not resident: the VPT took it, and the doorbell rules apply.
    if (!v41_) {
        if (!one_its_) return;   // the msi record does not say which ITS's ITE it used
        const uint32_t dev = f.u32("device"), ev = f.u32("event");
        auto it = ites_.find({dev, ev});
        auto d = device_changed_.find(dev);
        if (it == ites_.end() || it->second.changed >= issued || (d != device_changed_.end() && d->second >= issued))
            return;   // the ITE is not known from the records, or changed while the MSI was on its way
        const uint32_t want = it->second.doorbell;
        if (want != 1023 && (!rang || *rang != want))
            sink_.report("R7", "msi to non-resident " + vpe_at(cpu, vpeid) + " (vINTID " + n2s(vintid) +
                                   ") rang no doorbell, but its ITE names doorbell " + n2s(want) + " (GICv4.0)",
                         {r.ref()});
        else if (want == 1023 && rang)
            sink_.report("R7", "msi to non-resident " + vpe_at(cpu, vpeid) + " rang doorbell " + n2s(*rang) +
                                   ", but its ITE names none (1023)",
                         {r.ref()});
        return;
    }
    auto a = armed_.find({cpu, vpeid});
    if (rang || a == armed_.end() || a->second >= issued || no_default_.count(vpeid)) return;
    auto b = bytes_.find({vm(vpeid), vintid});
    if (b == bytes_.end() || !b->second.enabled || b->second.changed >= issued) return;
    sink_.report("R7", "msi to non-resident " + vpe_at(cpu, vpeid) + " made enabled vINTID " + n2s(vintid) +
                           " pending after the doorbell request at " + ps(a->second) + ", but rang no doorbell",
                 {r.ref()});
}

void VirtualTracker::record(const Rec& r, const Fields& f) {
    if (!v4_) return;
    if (r.kind == "vack") {
        vack(r, f);
    } else if (r.kind == "doorbell") {
        doorbell(r, f);
    } else if (r.kind == "residency") {
        residency(r, f);
    } else if (r.kind == "vlpi") {
        Byte& b = bytes_[{vm(f.u32("vpeid")), f.u32("vintid")}];
        const bool en = f.opt_bool("enable").value_or(false);
        if (en && b.first_enabled == UINT64_MAX) b.first_enabled = r.t;
        if (!en && b.first_enabled != UINT64_MAX) b.disabled_after = true;
        b.enabled = en;
        b.changed = r.t;
    }
}

void VirtualTracker::vack(const Rec& r, const Fields& f) {
    const uint32_t cpu = f.u32("cpu"), vpeid = f.u32("vpeid"), vintid = f.u32("vintid");
    owed_.erase({vpeid, vintid});
    const CpuVpe k{cpu, vpeid};
    auto s = res_.find(k);
    if (s != res_.end() && s->second.resident && s->second.written <= r.t) {
        Held& l = last_vack_[k];
        if (r.t >= l.t) l = Held{r.t, r.ref()};
        return;
    }
    held_vacks_[k].push_back(Held{r.t, r.ref()});   // its schedule's record may come later (at dirty_ps)
}

void VirtualTracker::doorbell(const Rec& r, const Fields& f) {
    if (!v41_) return;
    const CpuVpe k{f.u32("cpu"), f.u32("vpeid")};
    auto a = armed_.find(k);
    if (a != armed_.end() && a->second <= r.t) {
        armed_.erase(a);
        last_ring_[k] = r.t;
        return;
    }
    held_rings_[k].push_back(Held{r.t, r.ref()});   // its request's record may come later
}

void VirtualTracker::residency(const Rec& r, const Fields& f) {
    const uint32_t cpu = f.u32("cpu"), vpeid = f.u32("vpeid");
    const uint64_t w = f.opt_u64("written_ps").value_or(r.t);
    const bool resident = f.str("state") == "resident";
    const CpuVpe k{cpu, vpeid};
    if (resident) {
        res_[k] = Residency{true, w, r.ref()};
        schedules_[vpeid].push_back(w);
        last_vack_.erase(k);
        auto h = held_vacks_.find(k);
        if (h != held_vacks_.end()) {
            for (const Held& x : h->second) {
                if (x.t >= w) {
                    Held& l = last_vack_[k];
                    if (x.t >= l.t) l = x;
                } else {
                    sink_.report("R7", "vack of " + vpe_at(cpu, vpeid) + " at " + ps(x.t) +
                                           ", before it was scheduled there (GICR_VPENDBASER written at " + ps(w) + ")",
                                 {x.ref, r.ref()});
                }
            }
            held_vacks_.erase(h);
        }
        armed_.erase(k);   // resident again: an earlier doorbell request has lapsed
    } else {
        auto l = last_vack_.find(k);
        if (l != last_vack_.end() && l->second.t > w)
            sink_.report("R7", "vack of " + vpe_at(cpu, vpeid) + " at " + ps(l->second.t) +
                                   ", after GICR_VPENDBASER descheduled it (written at " + ps(w) + ")",
                         {l->second.ref, r.ref()});
        last_vack_.erase(k);
        res_[k] = Residency{false, w, r.ref()};
        for (auto it = owed_.lower_bound({vpeid, 0}); it != owed_.end() && it->first.first == vpeid;)
            it = owed_.erase(it);   // back in the VPT
        if (v41_ && f.opt_bool("doorbell_armed").value_or(false)) armed_[k] = w;
    }
    // Rings seen before this record: explained only by this request (at most one).
    auto h = held_rings_.find(k);
    if (h == held_rings_.end()) return;
    for (const Held& x : h->second) {
        auto a = armed_.find(k);
        if (!resident && a != armed_.end() && a->second <= x.t) {
            armed_.erase(a);
            last_ring_[k] = x.t;
            continue;
        }
        sink_.report("R7", "doorbell of " + vpe_at(cpu, vpeid) + " rang at " + ps(x.t) +
                               " without a doorbell request (a deschedule with doorbell_armed) there before it",
                     {x.ref, r.ref()});
    }
    held_rings_.erase(h);
}

void VirtualTracker::command(const Rec& r, const Fields& f) {
    if (!v4_) return;
    const std::string& op = f.str("op");
    const FlatValue* st = r.json.get("status");
    const bool ok = st && st->type == FlatValue::Type::string && st->str == "ok";
    if (const auto v = f.opt_u64("vpeid"))   // it may have cleared or moved the vPE's vLPIs
        for (auto it = owed_.lower_bound({uint32_t(*v), 0}); it != owed_.end() && it->first.first == *v;)
            it = owed_.erase(it);
    if (!ok) return;
    if (op == "MAPD") {
        owed_.clear();   // its sweep may have cleared any vLPI
        device_changed_[f.u32("device")] = r.t;
    } else if (op == "VMAPTI" || op == "VMAPI") {
        ites_[{f.u32("device"), f.u32("event")}] = Ite{f.u32("doorbell"), r.t, true};
    } else if (op == "VMOVI") {
        Ite& e = ites_[{f.u32("device"), f.u32("event")}];
        if (f.opt_u64("db_valid").value_or(0)) e.doorbell = f.u32("doorbell");
        e.changed = r.t;
    } else if (op == "MAPTI" || op == "MAPI" || op == "DISCARD") {
        ites_.erase({f.u32("device"), f.u32("event")});
    } else if ((op == "VMAPP" && f.opt_u64("valid").value_or(0)) || (op == "VMOVP" && f.opt_u64("db").value_or(0))) {
        if (f.opt_u64("default_doorbell").value_or(1023) == 1023) no_default_.insert(f.u32("vpeid"));
    }
    const uint64_t its = f.opt_u64("its").value_or(0);
    if (op == "VMAPP") {
        const std::pair<uint64_t, uint32_t> k{its, f.u32("vpeid")};
        const int64_t cpu = f.opt_u64("valid").value_or(0) ? cpu_of(f.u64("rdbase")) : -1;
        if (cpu < 0) vte_cpu_.erase(k);
        else vte_cpu_[k] = uint32_t(cpu);
    } else if (op == "VMOVP") {
        vmovp(r, f, its);
    }
}

void VirtualTracker::finish(bool complete) {
    if (!v4_ || !complete) return;
    for (const auto& [key, o] : owed_) {
        // Enabled before the residency began (so every lookup in it read 1) and never disabled.
        auto s = schedules_.find(key.first);
        if (s == schedules_.end()) continue;
        auto w = std::upper_bound(s->second.begin(), s->second.end(), o.t);
        if (w == s->second.begin()) continue;
        auto b = bytes_.find({vm(key.first), key.second});
        if (b == bytes_.end() || b->second.disabled_after || b->second.first_enabled >= *std::prev(w)) continue;
        sink_.report("R7", "vINTID " + n2s(key.second) + " of vPE " + n2s(key.first) +
                               " was delivered to the resident vPE at " + ps(o.t) +
                               ", enabled, and never acknowledged, moved or cleared: a lost vLPI",
                     {o.ref});
    }
    for (const auto& [k, list] : held_vacks_)
        for (const Held& x : list)
            sink_.report("R7", "vack of " + vpe_at(k.first, k.second) + " at " + ps(x.t) +
                                   ", which was not resident there",
                         {x.ref});
    for (const auto& [k, list] : held_rings_)
        for (const Held& x : list)
            sink_.report("R7", "doorbell of " + vpe_at(k.first, k.second) + " rang at " + ps(x.t) +
                                   " without a doorbell request (a deschedule with doorbell_armed) there before it",
                         {x.ref});
}

}  // namespace itsim::check_detail
