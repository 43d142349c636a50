// `itsim run`'s GICv4 part (run_v4.h).
#include "run_v4.h"

#include <cstdio>
#include <functional>
#include <string>

namespace itsim {

namespace {

std::string n2s(uint64_t v) { return std::to_string(v); }

}  // namespace

V4LineCheck::V4LineCheck(const Params& params)
    : cpus(params.integer("cpus")),
      nits(params.integer("its.count")),
      vpes(params.integer("gic.vpes")),
      lpi_bits(params.raw("its.lpi_bits")),
      lpi_limit(uint64_t{1} << params.integer("its.lpi_bits")),
      ver(params.raw("gic.version")),
      v4(ver != "3"),
      v41(ver == "4.1") {}

void V4LineCheck::check(const TraceLine& l, uint64_t vsgi_read_count) const {
    auto need = [&](const TraceLine& l, bool ok, const char* what) {
        if (!ok)
            throw TraceError(l.pos, std::string("'") + op_name(l.op) + "' needs " + what + " (gic.version=" + ver +
                                        "; set it on the platform line or with --set)");
    };
    auto vpe = [&](const TraceLine& l, uint32_t v, const char* key) {
        if (v >= vpes)
            throw TraceError(l.value_pos(key), "vPE " + n2s(v) + " is not set up (gic.vpes=" + n2s(vpes) +
                                                   ": vPEIDs 0.." + n2s(vpes - 1) + ")");
    };
    auto cpu = [&](const TraceLine& l, uint32_t c) {
        if (c >= cpus)
            throw TraceError(l.value_pos("cpu"), "cpu " + n2s(c) + " does not exist (cpus=" + n2s(cpus) + ")");
    };
    if (l.its >= nits)
        throw TraceError(l.value_pos("its"), "its=" + n2s(l.its) + " does not exist (its.count=" + n2s(nits) +
                                                 ": ITSs 0.." + n2s(nits - 1) + ")");
    switch (l.op) {
    case TraceLine::Op::vlpi:
        need(l, v4, "GICv4 (gic.version=4.0 or 4.1)");
        vpe(l, l.vpeid, "vpeid");
        if (l.vintid >= lpi_limit)
            throw TraceError(l.value_pos("vintid"), "vintid " + n2s(l.vintid) +
                                                        " is past the vLPI range (its.lpi_bits=" +
                                                        lpi_bits + ": last " +
                                                        n2s(lpi_limit - 1) + ")");
        break;
    case TraceLine::Op::schedule:
        need(l, v4, "GICv4 (gic.version=4.0 or 4.1)");
        cpu(l, l.cpu);
        vpe(l, l.vpeid, "vpeid");
        break;
    case TraceLine::Op::deschedule:
        need(l, v4, "GICv4 (gic.version=4.0 or 4.1)");
        cpu(l, l.cpu);
        break;
    case TraceLine::Op::sgi: need(l, v41, "GICv4.1 (gic.version=4.1)"); break;
    case TraceLine::Op::vsgi_read:
        need(l, v41, "GICv4.1 (gic.version=4.1)");
        cpu(l, l.cpu);
        break;
    case TraceLine::Op::expect: {
        const Expect& e = l.expect;
        if (e.kind == Expect::Kind::vsgi_pending) {
            if (!v41) throw TraceError(e.pos, "this expect needs GICv4.1 (gic.version=" + ver + ")");
            if (e.vsgi_read > vsgi_read_count)
                throw TraceError(l.value_pos("vsgi_read"), "expect refers to vsgi_read " + n2s(e.vsgi_read) +
                                                               " but the trace has " + n2s(vsgi_read_count));
        }
        if (e.kind == Expect::Kind::msi_virtual || e.kind == Expect::Kind::vtaken ||
            e.kind == Expect::Kind::doorbell) {
            if (!v4) throw TraceError(e.pos, "this expect needs GICv4 (gic.version=" + ver + ")");
            vpe(l, e.vpeid, "vpeid");
        }
        break;
    }
    default: break;
    }
}

void check_trace_v4(const Trace& trace, const Params& params) {
    const V4LineCheck c(params);
    for (const TraceLine& l : trace.lines) c.check(l, trace.vsgi_read_count);
}

ExpectResult check_expect_v4(const Expect& e, System& sys) {
    ExpectResult r;
    r.pos = e.pos;
    const RunRecords& rec = sys.records();
    switch (e.kind) {
    case Expect::Kind::msi_virtual: {
        const RunRecords::Msi* m = e.msi <= rec.msis.size() ? &rec.msis[e.msi - 1] : nullptr;
        std::string got;
        if (!m || !m->reported) got = "it was never translated";
        else if (!m->rec.delivered) got = "it was dropped (" + std::string(m->rec.reason) + ")";
        else if (!m->is_virtual)
            got = "it was delivered as physical intid " + n2s(m->rec.intid) + " to cpu " + n2s(m->rec.cpu);
        else got = "it was delivered as vintid " + n2s(m->vintid) + " of vPE " + n2s(m->vpeid);
        r.passed = m && m->reported && m->rec.delivered && m->is_virtual && m->vintid == e.vintid &&
                   m->vpeid == e.vpeid;
        r.message = "msi " + n2s(e.msi) + ": expected vintid " + n2s(e.vintid) + " of vPE " + n2s(e.vpeid) + ", " + got;
        break;
    }
    case Expect::Kind::vtaken: {
        uint64_t n = 0;
        for (const VackRecord& a : rec.vacks)
            if (a.vpeid == e.vpeid && a.vintid == e.vintid) ++n;
        r.passed = n == e.count;
        r.message = "vtaken vintid " + n2s(e.vintid) + " vpeid " + n2s(e.vpeid) + ": expected " + n2s(e.count) +
                    " times, taken " + n2s(n);
        break;
    }
    case Expect::Kind::doorbell: {
        uint64_t n = 0;
        for (const RunRecords::DoorbellRing& d : rec.doorbells)
            if (d.vpeid == e.vpeid) ++n;
        r.passed = n == e.count;
        r.message = "doorbell vpeid " + n2s(e.vpeid) + ": expected " + n2s(e.count) + " rings, rang " + n2s(n);
        break;
    }
    case Expect::Kind::vsgi_pending: {
        const DriverVsgiRead* got = nullptr;
        for (const DriverVsgiRead& v : rec.vsgi_reads)
            if (v.seq == e.vsgi_read) got = &v;
        char want[16], have[16];
        std::snprintf(want, sizeof want, "0x%04X", e.pending);
        std::snprintf(have, sizeof have, "0x%04X", got ? got->pending : 0);
        r.passed = got && !got->timeout && got->pending == e.pending;
        r.message = "vsgi_read " + n2s(e.vsgi_read) + ": expected pending " + want + ", " +
                    (!got ? std::string("it never ran") : got->timeout ? std::string("Busy never cleared")
                                                                      : std::string("read ") + have);
        break;
    }
    default: break;
    }
    return r;
}

namespace {
// A ResidencyRecord's vPE: GICv4.0 redistributors know the VPT only.
uint32_t vpe_of(System& sys, const ResidencyRecord& r) {
    if (r.vpeid != 0xFFFFFFFFu) return r.vpeid;
    for (uint32_t v = 0; v < sys.driver().config().vpes; ++v)
        if (sys.driver().vpt(v) == r.vpt_addr) return v;
    return r.vpeid;
}
}  // namespace

void link_doorbells(System& sys) {
    // Each doorbell to the virtual MSI that rang it: the latest one of that
    // vPE and vINTID issued by then, not yet pending then, that found the
    // vPE non-resident and rang none yet (a ring made by a command - INT,
    // VMOVI - belongs to no MSI).
    RunRecords& rec = sys.records();
    for (const RunRecords::DoorbellRing& d : rec.doorbells) {
        if (d.vsgi) continue;
        RunRecords::Msi* best = nullptr;
        for (RunRecords::Msi& m : rec.msis)
            if (m.reported && m.is_virtual && !m.doorbell && !m.resident && m.vpeid == d.vpeid &&
                m.vintid == d.vintid && m.issued_ps <= d.t_ps && (!m.rec.pending_ps || d.t_ps <= m.rec.pending_ps) &&
                (!best || m.issued_ps >= best->issued_ps))
                best = &m;
        if (best) best->doorbell = d.intid;
    }
}

void add_v4_events(System& sys, const std::function<void(unsigned, JsonObject)>& emit) {
    const RunRecords& rec = sys.records();
    // The doorbells' property bytes, written by the software at bring-up
    // (driver_v4.cpp: priority 0xA0, enabled), as lpi records at time 0.
    if (has_gicv4(sys.version()))
        for (uint32_t v = 0; v < sys.driver().config().vpes; ++v) {
            JsonObject o;
            o.set("kind", "lpi").set("t_ps", uint64_t(0)).set("intid", sys.driver().doorbell_of(v));
            o.set("priority", 0xA0u).set("enable", 1);
            emit(0, std::move(o));
        }
    for (const RunRecords::VlpiWrite& w : rec.vlpi_writes) {
        JsonObject o;
        o.set("kind", "vlpi").set("t_ps", w.t_ps).set("vpeid", w.vpeid).set("vintid", w.vintid);
        o.set("priority", unsigned(w.priority)).set("enable", w.enable ? 1 : 0);
        emit(1, std::move(o));
    }
    // The hypervisor's side of a schedule / deschedule (the redistributor's
    // side is the residency record): when it wrote GICR_VPENDBASER, when
    // its Dirty poll saw 0, how many reads that took.
    for (const DriverResidency& d : rec.residencies) {
        JsonObject o;
        o.set("kind", "vcpu").set("t_ps", d.done_ps).set("op", d.schedule ? "schedule" : "deschedule");
        o.set("cpu", d.cpu).set("vpeid", d.vpeid).set("written_ps", d.t_ps).set("polls", d.polls);
        if (!d.schedule) {
            o.set("doorbell", d.doorbell);
            o.set("pending_last", d.pending_last);
        }
        if (d.dirty_timeout) o.set("dirty_timeout", true);
        emit(2, std::move(o));
    }
    for (const DriverVsgiRead& v : rec.vsgi_reads) {
        JsonObject o;
        o.set("kind", "vsgi_read").set("t_ps", v.done_ps).set("cpu", v.cpu).set("vpeid", v.vpeid);
        o.set("pending", v.pending).set("written_ps", v.t_ps).set("polls", v.polls);
        if (v.timeout) o.set("timeout", true);
        emit(3, std::move(o));
    }
    for (const RunRecords::DoorbellRing& d : rec.doorbells) {
        JsonObject o;
        o.set("kind", "doorbell").set("t_ps", d.t_ps).set("cpu", d.cpu).set("vpeid", d.vpeid).set("intid", d.intid);
        o.set(d.vsgi ? "vsgi" : "vintid", d.vintid);
        emit(4, std::move(o));
    }
    // The redistributors' side: when the VPT parse or write-back was done.
    for (const ResidencyRecord& r : rec.rd_residencies) {
        JsonObject o;
        o.set("kind", "residency").set("t_ps", r.dirty_ps).set("cpu", r.cpu).set("vpeid", vpe_of(sys, r));
        o.set("state", r.resident ? "resident" : "nonresident").set("written_ps", r.t_ps).set("dirty_ps", r.dirty_ps);
        if (!r.resident) o.set("pending_last", r.pending_last).set("doorbell_armed", r.doorbell_armed);
        o.set(r.resident ? "vlpis_found" : "vpt_bytes_written", r.vlpis);
        emit(5, std::move(o));
    }
    for (const VackRecord& a : rec.vacks) {
        JsonObject o;
        o.set("kind", "vack").set("t_ps", a.t_ps).set("cpu", a.cpu).set("vpeid", a.vpeid).set("vintid", a.vintid);
        if (a.signalled_ps) o.set("signalled_ps", a.signalled_ps);
        if (a.eoi_ps) o.set("eoi_ps", a.eoi_ps);
        o.set("priority", unsigned(a.priority));
        emit(6, std::move(o));
    }
}

}  // namespace itsim
