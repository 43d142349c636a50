#include "random/coverage.h"

#include <cstdio>
#include <set>
#include <sstream>

#include "itsim/common/its_cmd.h"
#include "plot.h"

namespace itsim::gen {

namespace {
using cmd_error::ErrorCode;
using cmd_error::find_code;
using cmd_error::kErrorCodes;

const char* kPendingDisabled = "pending while disabled";
const char* kMerged = "merged into pending";
const char* kMoved = "moved while pending";
const char* kRemoved = "removed while pending";
const char* kReenabled = "re-enabled by INV/INVALL";
const char* kAroundAck = "MSI around its acknowledge";
const char* kCwriterBusy = "CWRITER while busy";
const char* kStalled = "queue stalled";
const char* kFillRaced = "cache fill raced";
const char* kOverflow = "lazy write-back overflow";
const char* kAckAgain = "acknowledge again";
const char* kRefused = "LPIs refused";

// Codes in cmd_error's table that a GICv3 physical model never reports,
// and why (listed, not hidden, in the coverage report).
bool unreachable(const ErrorCode& e, std::string* why) {
    const std::string n = e.name;
    if (is_virtual(uint8_t(e.command))) {
        *why = "a GICv4 command: the suite drives a GICv3 ITS";
        return true;
    }
    if (n.find("ITE_INVALID") != std::string::npos) {
        *why = "an ITE that exists but cannot be used: only virtual ITEs (GICv4)";
        return true;
    }
    return false;
}

uint64_t u(const Json* j) { return j && j->is_uint ? j->u : 0; }
std::string s(const Json* j) { return j ? j->str : std::string(); }

}  // namespace

const std::vector<std::string>& Coverage::situation_names() {
    static const std::vector<std::string> v = {kPendingDisabled, kMerged,   kMoved,      kRemoved,
                                               kReenabled,       kAroundAck, kCwriterBusy, kStalled,
                                               kFillRaced,       kOverflow,  kAckAgain,    kRefused};
    return v;
}

void Coverage::add_run(const std::string& events, const std::string& stats) {
    ++runs_;
    std::istringstream in(events);
    std::string line;
    std::map<std::pair<uint64_t, uint64_t>, std::vector<uint64_t>> acks;   // (cpu, intid) -> times
    std::vector<std::pair<uint64_t, uint64_t>> msi_pending;                 // for kAroundAck
    std::vector<uint64_t> msi_key_cpu, msi_key_intid;
    std::vector<std::pair<uint64_t, uint64_t>> busy;                        // command issued..done
    std::vector<uint64_t> kicks;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        Json r;
        try {
            r = parse_json(line);
        } catch (const std::exception&) {
            continue;
        }
        if (header) {
            header = false;
            continue;
        }
        const std::string kind = s(r.get("kind"));
        if (kind == "command") {
            std::string op = s(r.get("op"));
            const Json* st = r.get("status");
            std::string status = "ok";
            if (st && st->is_uint) {
                const ErrorCode* e = find_code(uint32_t(st->u));
                status = e ? e->name : (op == "UNKNOWN" ? "unknown opcode" : hex(st->u));
            } else if (st && st->str != "ok") {
                status = st->str;
            }
            ++outcomes_["cmd " + op + " " + status];
            if (r.get("done_ps")) busy.push_back({u(r.get("issued_ps")), u(r.get("done_ps"))});
        } else if (kind == "msi") {
            if (s(r.get("status")) == "delivered") {
                ++outcomes_["msi delivered"];
                const Json* nw = r.get("new");
                if (nw && nw->type == Json::Type::boolean) {
                    if (!nw->b) ++situations_[kMerged];
                    else if (r.get("enabled") && !r.get("enabled")->b) ++situations_[kPendingDisabled];
                }
                msi_pending.push_back({u(r.get("cpu")), u(r.get("intid"))});
                msi_key_cpu.push_back(u(r.get("pending_ps")));
            } else {
                ++outcomes_["msi dropped " + s(r.get("reason"))];
            }
        } else if (kind == "ack") {
            acks[{u(r.get("cpu")), u(r.get("intid"))}].push_back(u(r.get("t_ps")));
        } else if (kind == "pend") {
            const std::string ch = s(r.get("change")), cause = s(r.get("cause"));
            if (ch == "clear" && (cause == "MOVI" || cause == "MOVALL")) ++situations_[kMoved];
            if (ch == "clear" && (cause == "CLEAR" || cause == "DISCARD" || cause == "MAPD")) ++situations_[kRemoved];
            if (ch == "set" && r.get("enabled") && !r.get("enabled")->b) ++situations_[kPendingDisabled];
            if (ch == "refresh" && r.get("enabled") && r.get("enabled")->b) ++situations_[kReenabled];
        } else if (kind == "kick") {
            kicks.push_back(u(r.get("t_ps")));
        } else if (kind == "stall") {
            ++situations_[kStalled];
        }
    }
    for (size_t i = 0; i < msi_pending.size(); ++i) {
        auto it = acks.find(msi_pending[i]);
        if (it == acks.end()) continue;
        const uint64_t p = msi_key_cpu[i];
        for (uint64_t a : it->second)
            if ((a > p ? a - p : p - a) <= 5000) {
                ++situations_[kAroundAck];
                break;
            }
    }
    for (uint64_t k : kicks)
        for (const auto& [from, to] : busy)
            if (from < k && k < to) {
                ++situations_[kCwriterBusy];
                break;
            }
    if (!stats.empty()) {
        try {
            const Json st = parse_json(stats);
            if (u(st.path("its.cache_fills_dropped"))) ++situations_[kFillRaced];
            if (u(st.path("redistributors.lazy_overflows"))) ++situations_[kOverflow];
            if (u(st.path("redistributors.spurious_acks"))) ++situations_[kAckAgain];
            if (u(st.path("redistributors.refused_disabled")) || u(st.path("redistributors.refused_range")))
                ++situations_[kRefused];
        } catch (const std::exception&) {
        }
    }
}

void Coverage::merge(const Coverage& o) {
    runs_ += o.runs_;
    for (const auto& [k, n] : o.outcomes_) outcomes_[k] += n;
    for (const auto& [k, n] : o.situations_) situations_[k] += n;
}

std::vector<std::string> Coverage::missing_codes() const {
    std::set<std::string> hit;
    for (const auto& [k, n] : outcomes_) hit.insert(k);
    std::vector<std::string> out;
    for (const ErrorCode& e : kErrorCodes) {
        std::string why;
        if (unreachable(e, &why)) continue;
        const std::string key = std::string("cmd ") + opcode_name(uint8_t(e.command)) + " " + e.name;
        if (!hit.count(key)) out.push_back(key);
    }
    return out;
}

std::vector<std::string> Coverage::missing_situations() const {
    std::vector<std::string> out;
    for (const std::string& n : situation_names())
        if (!situations_.count(n)) out.push_back(n);
    return out;
}

std::string Coverage::markdown() const {
    std::ostringstream o;
    o << "| command or MSI | outcome | runs' count |\n| --- | --- | ---: |\n";
    for (const auto& [k, n] : outcomes_) {
        const size_t a = k.find(' '), b = k.find(' ', a + 1);
        if (k.rfind("cmd ", 0) == 0) o << "| " << k.substr(a + 1, b - a - 1) << " | " << k.substr(b + 1);
        else o << "| MSI | " << k.substr(a + 1);
        o << " | " << n << " |\n";
    }
    for (const ErrorCode& e : kErrorCodes) {
        std::string why;
        if (unreachable(e, &why))
            o << "| " << command_info(e.command)->name << " | " << e.name << " | not reachable: " << why << " |\n";
    }
    for (const std::string& m : missing_codes()) o << "| " << m.substr(4) << " | (not hit) | 0 |\n";
    o << "\n| situation (" << runs_ << " runs) | count |\n| --- | ---: |\n";
    for (const std::string& n : situation_names()) {
        auto it = situations_.find(n);
        o << "| " << n << " | " << (it == situations_.end() ? 0 : it->second) << " |\n";
    }
    return o.str();
}

}  // namespace itsim::gen
