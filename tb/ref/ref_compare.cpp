#include "ref/ref_compare.h"

#include <fstream>
#include <istream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "plot.h"

namespace itsim::ref {

namespace {

// What the model's log says about one command run.
struct ModelCmd {
    bool memory_error = false;
    uint32_t status = 0;
};
struct ModelMsi {
    bool delivered = false;
    uint64_t intid = 0, cpu = 0;
    std::string reason;
    bool virt = false;              // GICv4: it carries vpeid
    uint64_t vpeid = 0, doorbell = 0;
};
struct ModelStall {
    uint64_t creadr = 0, error = 0;
};

struct ModelLog {
    Json config;                                           // the "run" line's, if any
    std::map<uint64_t, std::vector<ModelCmd>> commands;   // by seq, in log order
    std::map<uint64_t, std::vector<ModelMsi>> msis;
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> acks;
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> vacks;   // (vpeid, vintid)
    std::map<uint32_t, uint64_t> doorbells;                    // vpeid -> rings
    std::vector<ModelStall> stalls;
};

bool get_u64(const Json& o, const char* key, uint64_t& out) {
    const Json* v = o.get(key);
    if (!v || v->type != Json::Type::number || !v->is_uint) return false;
    out = v->u;
    return true;
}
const std::string* get_str(const Json& o, const char* key) {
    const Json* v = o.get(key);
    return v && v->type == Json::Type::string ? &v->str : nullptr;
}

// Parse the log; malformed lines go to `bad`.
ModelLog read_log(std::istream& in, std::vector<std::string>& bad) {
    ModelLog log;
    std::string text;
    unsigned n = 0;
    while (std::getline(in, text)) {
        ++n;
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = "event log line " + std::to_string(n) + ": ";
        Json o;
        try {
            o = parse_json(text);
        } catch (const std::exception& e) {
            bad.push_back(where + "not JSON (" + e.what() + ")");
            continue;
        }
        const std::string* kind = o.type == Json::Type::object ? get_str(o, "kind") : nullptr;
        if (!kind) {
            bad.push_back(where + "not an object with a \"kind\"");
            continue;
        }
        uint64_t seq = 0;
        if (*kind == "command") {
            ModelCmd c;
            const Json* st = o.get("status");
            if (!get_u64(o, "seq", seq) || !st) {
                bad.push_back(where + "command record without seq or status");
                continue;
            }
            if (st->type == Json::Type::string && st->str == "ok") {
            } else if (st->type == Json::Type::string && st->str == "memory_error") {
                c.memory_error = true;
            } else if (st->type == Json::Type::number && st->is_uint && st->u <= UINT32_MAX) {
                c.status = uint32_t(st->u);
            } else {
                bad.push_back(where + "command status is neither \"ok\", \"memory_error\" nor a code");
                continue;
            }
            log.commands[seq].push_back(c);
        } else if (*kind == "msi") {
            ModelMsi m;
            const std::string* st = get_str(o, "status");
            if (!get_u64(o, "seq", seq) || !st || (*st != "delivered" && *st != "dropped")) {
                bad.push_back(where + "msi record without seq or a status delivered/dropped");
                continue;
            }
            m.delivered = *st == "delivered";
            if (m.delivered && (!get_u64(o, "intid", m.intid) || !get_u64(o, "cpu", m.cpu))) {
                bad.push_back(where + "delivered msi record without intid or cpu");
                continue;
            }
            if (!m.delivered) {
                const std::string* r = get_str(o, "reason");
                m.reason = r ? *r : "(none)";
            }
            m.virt = get_u64(o, "vpeid", m.vpeid);
            get_u64(o, "doorbell", m.doorbell);
            log.msis[seq].push_back(m);
        } else if (*kind == "vack" || *kind == "doorbell") {
            uint64_t vpeid = 0, vintid = 0;
            const bool vack = *kind == "vack";
            if (!get_u64(o, "vpeid", vpeid) || vpeid > UINT32_MAX ||
                (vack && (!get_u64(o, "vintid", vintid) || vintid > UINT32_MAX))) {
                bad.push_back(where + *kind + " record without vpeid" + (vack ? " or vintid" : ""));
                continue;
            }
            if (vack) ++log.vacks[{uint32_t(vpeid), uint32_t(vintid)}];
            else ++log.doorbells[uint32_t(vpeid)];
        } else if (*kind == "ack") {
            uint64_t cpu = 0, intid = 0;
            if (!get_u64(o, "cpu", cpu) || !get_u64(o, "intid", intid) || cpu > UINT32_MAX || intid > UINT32_MAX) {
                bad.push_back(where + "ack record without cpu or intid");
                continue;
            }
            ++log.acks[{uint32_t(cpu), uint32_t(intid)}];
        } else if (*kind == "stall") {
            ModelStall s;
            if (!get_u64(o, "creadr", s.creadr) || !get_u64(o, "error", s.error)) {
                bad.push_back(where + "stall record without creadr or error");
                continue;
            }
            log.stalls.push_back(s);
        } else if (*kind == "run") {
            if (const Json* c = o.get("config")) log.config = *c;
        }
        // "timeout" and any later kind: nothing to compare.
    }
    return log;
}

std::string model_status(const ModelCmd& c) { return c.memory_error ? "memory_error" : status_text(c.status); }

std::string msi_text(bool delivered, uint64_t intid, uint64_t cpu, const std::string& reason, bool virt = false,
                     uint64_t vpeid = 0, uint64_t doorbell = 0) {
    if (!delivered) return "dropped (" + reason + ")";
    if (!virt) return "delivered as intid " + std::to_string(intid) + " to cpu " + std::to_string(cpu);
    return "delivered as vintid " + std::to_string(intid) + " of vPE " + std::to_string(vpeid) + " at cpu " +
           std::to_string(cpu) + (doorbell ? ", ringing doorbell " + std::to_string(doorbell) : ", no doorbell");
}

std::string lpi_at(uint32_t cpu, uint32_t intid) {
    return "LPI " + std::to_string(intid) + " at cpu " + std::to_string(cpu);
}

// The run's parameters that the reference's platform depends on must be
// the ones it was built for (a log of another configuration is no test).
void check_config(const Platform& p, const Json& cfg, std::vector<std::string>& d) {
    if (cfg.type != Json::Type::object) return;
    auto num = [&](const char* key, uint64_t want) {
        const Json* v = cfg.get(key);
        if (v && v->type == Json::Type::number && v->is_uint && v->u != want)
            d.push_back(std::string("run: the reference is for ") + key + "=" + std::to_string(want) +
                        ", the run had " + std::to_string(v->u));
    };
    num("cpus", p.cpus);
    num("its.device_bits", p.device_bits);
    num("its.event_bits", p.event_bits);
    num("its.lpi_bits", p.lpi_bits);
    num("its.pta", p.pta ? 1 : 0);
    num("its.cmdq_pages", p.cmdq_slots / 128);
    num("redist.config_line_bytes", p.config_line_bytes);
    num("its.count", p.its_count);
    const Json* ver = cfg.get("gic.version");
    const char* vwant = to_string(p.version);
    if (ver && ver->type == Json::Type::string && ver->str != vwant)
        d.push_back(std::string("run: the reference is for gic.version=") + vwant + ", the run had " + ver->str);
    const Json* pol = cfg.get("error_policy");
    const char* want = p.stall_policy ? "stall" : "ignore";
    if (pol && pol->type == Json::Type::string && pol->str != want)
        d.push_back(std::string("run: the reference is for error_policy=") + want + ", the run had " + pol->str);
}

}  // namespace

Comparison compare(const Result& ref, std::istream& in) {
    Comparison out;
    auto& d = out.disagreements;
    if (!ref.comparable) {
        d.push_back("the trace is not comparable: " + ref.unsupported);
        return out;
    }
    const ModelLog log = read_log(in, d);
    check_config(ref.platform, log.config, d);

    // Commands.
    for (size_t i = 0; i < ref.commands.size(); ++i) {
        const CmdResult& c = ref.commands[i];
        const uint64_t seq = i + 1;
        const std::string name = "cmd " + std::to_string(seq) + " (" + to_string(c.cmd) + ", line " +
                                 std::to_string(c.pos.line) + ")";
        auto it = log.commands.find(seq);
        ++out.commands;
        if (it == log.commands.end()) {
            if (c.ran) d.push_back(name + ": reference " + status_text(c.status) + ", model never ran it");
            continue;
        }
        const ModelCmd& last = it->second.back();
        if (!c.ran) {
            d.push_back(name + ": reference never runs it (the queue stalled at cmd " +
                        std::to_string(ref.stall ? ref.stall->seq : 0) + "), model " + model_status(last));
            continue;
        }
        if (it->second.size() > 1)
            d.push_back(name + ": model ran it " + std::to_string(it->second.size()) + " times, reference once");
        if (last.memory_error || last.status != c.status)
            d.push_back(name + ": reference " + status_text(c.status) + ", model " + model_status(last));
    }
    for (const auto& [seq, runs] : log.commands)
        if (seq == 0 || seq > ref.commands.size())
            d.push_back("cmd " + std::to_string(seq) + ": the model logs a command the trace does not have");

    // MSIs.
    for (size_t i = 0; i < ref.msis.size(); ++i) {
        const MsiResult& m = ref.msis[i];
        const uint64_t seq = i + 1;
        const std::string name = "msi " + std::to_string(seq) + " (device=" + hex(m.device) + " event=" +
                                 std::to_string(m.event) + ", line " + std::to_string(m.pos.line) + ")";
        const std::string want = msi_text(m.delivered, m.intid, m.cpu, m.reason, m.virt, m.vpeid, m.doorbell);
        ++out.msis;
        auto it = log.msis.find(seq);
        if (it == log.msis.end()) {
            d.push_back(name + ": reference " + want + ", model has no record of it");
            continue;
        }
        if (it->second.size() > 1) d.push_back(name + ": the model logs it " + std::to_string(it->second.size()) + " times");
        const ModelMsi& g = it->second.back();
        const bool same = g.delivered == m.delivered &&
                          (m.delivered ? g.intid == m.intid && g.cpu == m.cpu && g.virt == m.virt &&
                                             (!m.virt || (g.vpeid == m.vpeid && g.doorbell == m.doorbell))
                                       : g.reason == m.reason);
        if (!same)
            d.push_back(name + ": reference " + want + ", model " +
                        msi_text(g.delivered, g.intid, g.cpu, g.reason, g.virt, g.vpeid, g.doorbell));
    }
    for (const auto& [seq, recs] : log.msis)
        if (seq == 0 || seq > ref.msis.size())
            d.push_back("msi " + std::to_string(seq) + ": the model logs an MSI the trace does not have");

    // Acknowledges.
    std::map<std::pair<uint32_t, uint32_t>, bool> keys;
    for (const auto& [k, a] : ref.acks) keys[k] = true;
    for (const auto& [k, n] : log.acks) keys[k] = true;
    for (const auto& [k, unused] : keys) {
        const AckCount a = ref.ack(k.first, k.second);
        auto it = log.acks.find(k);
        const uint64_t got = it == log.acks.end() ? 0 : it->second;
        ++out.ack_counts;
        if (got < a.lo || got > a.hi)
            d.push_back("acks of " + lpi_at(k.first, k.second) + ": reference " + std::to_string(a.lo) +
                        (a.exact() ? "" : ".." + std::to_string(a.hi)) + ", model " + std::to_string(got));
    }

    // GICv4: virtual acknowledges per (vPE, vINTID), doorbell rings per vPE.
    std::map<std::pair<uint32_t, uint32_t>, bool> vkeys;
    for (const auto& [k, a] : ref.vacks) vkeys[k] = true;
    for (const auto& [k, n] : log.vacks) vkeys[k] = true;
    for (const auto& [k, unused] : vkeys) {
        const AckCount a = ref.vack(k.first, k.second);
        auto it = log.vacks.find(k);
        const uint64_t got = it == log.vacks.end() ? 0 : it->second;
        ++out.ack_counts;
        if (got < a.lo || got > a.hi)
            d.push_back("vacks of vINTID " + std::to_string(k.second) + " of vPE " + std::to_string(k.first) +
                        ": reference " + std::to_string(a.lo) + (a.exact() ? "" : ".." + std::to_string(a.hi)) +
                        ", model " + std::to_string(got));
    }
    std::map<uint32_t, bool> dkeys;
    for (const auto& [v, n] : ref.doorbells) dkeys[v] = true;
    for (const auto& [v, n] : log.doorbells) dkeys[v] = true;
    for (const auto& [v, unused] : dkeys) {
        auto r = ref.doorbells.find(v);
        auto g = log.doorbells.find(v);
        const uint64_t want = r == ref.doorbells.end() ? 0 : r->second, got = g == log.doorbells.end() ? 0 : g->second;
        if (want != got)
            d.push_back("doorbells of vPE " + std::to_string(v) + ": reference " + std::to_string(want) + ", model " +
                        std::to_string(got));
    }

    // Stalls.
    const size_t want_stalls = ref.stall ? 1 : 0;
    if (log.stalls.size() != want_stalls) {
        d.push_back("stalls: reference " +
                    (ref.stall ? "one, at cmd " + std::to_string(ref.stall->seq) + " (" +
                                     status_text(ref.stall->error) + ")"
                               : std::string("none")) +
                    ", model " + std::to_string(log.stalls.size()));
    } else if (ref.stall) {
        const ModelStall& s = log.stalls.front();
        if (s.creadr != ref.stall->creadr || s.error != ref.stall->error)
            d.push_back("stall: reference at creadr " + hex(ref.stall->creadr) + " with " +
                        status_text(ref.stall->error) + ", model at creadr " + hex(s.creadr) + " with " +
                        status_text(uint32_t(s.error)));
    }
    return out;
}

Comparison compare_text(const Result& ref, const std::string& event_log) {
    std::istringstream in(event_log);
    return compare(ref, in);
}

Comparison compare_file(const Result& ref, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Comparison c;
        c.disagreements.push_back(path + ": cannot read the event log");
        return c;
    }
    return compare(ref, in);
}

}  // namespace itsim::ref
