// GICv4 latency statistics (stats_v4.h).
#include "stats_v4.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "itsim/common/its_cmd.h"
#include "itsim/common/its_cmd_table.h"
#include "system.h"

namespace itsim {

const char* command_name(uint8_t opcode, GicVersion v) {
    if (const char* n = opcode_name(opcode)) return n;
    const CmdInfo* info = command_info(opcode);
    return info && has_gicv4(v) && info->since <= v ? info->name : nullptr;
}

DistributionSet virtual_latencies(System& sys) {
    DistributionSet out;
    const RunRecords& rec = sys.records();
    // Resident deliveries: vacks in time order, each matched to the oldest
    // unmatched virtual MSI of its (vPE, vINTID) delivered by then.
    using Key = std::pair<uint32_t, uint32_t>;
    std::map<Key, std::vector<std::pair<uint64_t, uint64_t>>> waiting;   // key -> (pending_ps, issued_ps), in MSI order
    for (const RunRecords::Msi& m : rec.msis)
        if (m.reported && m.rec.delivered && m.is_virtual && m.resident)
            waiting[{m.vpeid, m.vintid}].push_back({m.rec.pending_ps, m.issued_ps});
    for (auto& [k, v] : waiting) std::stable_sort(v.begin(), v.end());
    std::vector<const VackRecord*> vacks;
    for (const VackRecord& a : rec.vacks) vacks.push_back(&a);
    std::stable_sort(vacks.begin(), vacks.end(), [](const VackRecord* a, const VackRecord* b) { return a->t_ps < b->t_ps; });
    std::map<Key, size_t> next;
    for (const VackRecord* a : vacks) {
        auto it = waiting.find({a->vpeid, a->vintid});
        if (it == waiting.end()) continue;
        size_t& i = next[it->first];
        const auto& v = it->second;
        if (i >= v.size() || v[i].first > a->t_ps) continue;
        out["vlpi_write_to_vack"].add(a->t_ps - std::min(a->t_ps, v[i].second));
        while (i < v.size() && v[i].first <= a->t_ps) ++i;   // coalesced into this one
    }
    // Doorbells: the write that rang one, then what software did next.
    for (const RunRecords::Msi& m : rec.msis) {
        if (!m.reported || !m.is_virtual || !m.doorbell) continue;
        for (const RunRecords::DoorbellRing& d : rec.doorbells)
            if (d.vpeid == m.vpeid && d.t_ps >= m.issued_ps) {
                out["vlpi_write_to_doorbell"].add(d.t_ps - m.issued_ps);
                break;
            }
    }
    for (const RunRecords::DoorbellRing& d : rec.doorbells) {
        for (const DriverResidency& r : rec.residencies)
            if (r.schedule && r.vpeid == d.vpeid && r.t_ps >= d.t_ps) {
                out["doorbell_to_schedule"].add(r.done_ps - d.t_ps);
                break;
            }
        const VackRecord* first = nullptr;
        for (const VackRecord* a : vacks)
            if (a->vpeid == d.vpeid && a->t_ps >= d.t_ps) {
                first = a;
                break;
            }
        if (first) out["doorbell_to_vack"].add(first->t_ps - d.t_ps);
    }
    for (const DriverResidency& r : rec.residencies)
        out[r.schedule ? "schedule" : "deschedule"].add(r.done_ps - r.t_ps);
    return out;
}

}  // namespace itsim
