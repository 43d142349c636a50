// The virtual path's latency samples of an event log (plot_v4.h).
#include "plot_v4.h"

#include <algorithm>

namespace itsim {

namespace {

uint64_t uint_at(const Json& o, const char* key) {
    const Json* v = o.get(key);
    return v && v->type == Json::Type::number && v->is_uint ? v->u : 0;
}

bool has_uint(const Json& o, const char* key) {
    const Json* v = o.get(key);
    return v && v->type == Json::Type::number && v->is_uint;
}

}  // namespace

void VirtualSamples::add(const std::string& kind, const Json& o) {
    if (kind == "msi") {
        if (!has_uint(o, "vpeid")) return;   // a physical ITE
        any_ = true;
        Msi m;
        m.vpeid = uint32_t(uint_at(o, "vpeid"));
        m.vintid = uint32_t(uint_at(o, "vintid"));
        m.issued = uint_at(o, "issued_ps");
        m.pending = uint_at(o, "pending_ps");
        const Json* st = o.get("status");
        m.delivered = st && st->type == Json::Type::string && st->str == "delivered";
        const Json* r = o.get("resident");
        m.resident = r && r->type == Json::Type::boolean && r->b;
        m.doorbell = uint_at(o, "doorbell") != 0;
        msis_.push_back(m);
    } else if (kind == "vack") {
        any_ = true;
        vacks_.push_back({uint32_t(uint_at(o, "vpeid")), uint32_t(uint_at(o, "vintid")), uint_at(o, "t_ps"), 0});
    } else if (kind == "doorbell") {
        any_ = true;
        doorbells_.push_back({uint32_t(uint_at(o, "vpeid")), 0, uint_at(o, "t_ps"), 0});
    } else if (kind == "vcpu") {
        any_ = true;
        const Json* op = o.get("op");
        if (op && op->type == Json::Type::string && op->str == "schedule")
            schedules_.push_back({uint32_t(uint_at(o, "vpeid")), 0, uint_at(o, "t_ps"), uint_at(o, "written_ps")});
    }
}

std::vector<Series> VirtualSamples::series() const {
    std::vector<Series> out = {{"vlpi_write_to_vack", {}}, {"vlpi_write_to_doorbell", {}}, {"doorbell_to_schedule", {}}};
    // Resident deliveries: each vack takes the oldest waiting MSI of its
    // vPE and vINTID that was pending by then; the others pending by then
    // coalesced into it.
    using Key = std::pair<uint32_t, uint32_t>;
    std::map<Key, std::vector<std::pair<uint64_t, uint64_t>>> waiting;   // (pending, issued)
    for (const Msi& m : msis_)
        if (m.delivered && m.resident) waiting[{m.vpeid, m.vintid}].push_back({m.pending, m.issued});
    for (auto& [k, v] : waiting) std::sort(v.begin(), v.end());
    std::vector<Stamp> vacks = vacks_;
    std::stable_sort(vacks.begin(), vacks.end(), [](const Stamp& a, const Stamp& b) { return a.t < b.t; });
    std::map<Key, size_t> next;
    for (const Stamp& a : vacks) {
        auto it = waiting.find({a.vpeid, a.vintid});
        if (it == waiting.end()) continue;
        size_t& i = next[it->first];
        const auto& v = it->second;
        if (i >= v.size() || v[i].first > a.t) continue;
        out[0].ps.push_back(a.t - std::min(a.t, v[i].second));
        while (i < v.size() && v[i].first <= a.t) ++i;
    }
    // Doorbells, in time order (the log's order).
    for (const Msi& m : msis_) {
        if (!m.doorbell) continue;
        for (const Stamp& d : doorbells_)
            if (d.vpeid == m.vpeid && d.t >= m.issued) {
                out[1].ps.push_back(d.t - m.issued);
                break;
            }
    }
    for (const Stamp& d : doorbells_)
        for (const Stamp& s : schedules_)
            if (s.vpeid == d.vpeid && s.written >= d.t) {
                out[2].ps.push_back(s.t - d.t);
                break;
            }
    return out;
}

}  // namespace itsim
