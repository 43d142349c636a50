// JSON builder and the event-log writer (see event_log.h).
#include "trace/event_log.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <ostream>
#include <sstream>

#include "trace/trace.h"

namespace itsim {

// ---------------------------------------------------------------- JSON

JsonValue::JsonValue(JsonObject o) : type_(Type::object) { o_.push_back(std::move(o)); }

JsonValue JsonValue::raw_json(std::string text) {
    JsonValue v;
    v.type_ = Type::raw;
    v.s_ = std::move(text);
    return v;
}

bool JsonValue::as_u64(uint64_t& out) const {
    if (type_ == Type::unsigned_integer) {
        out = u_;
        return true;
    }
    if (type_ == Type::integer && i_ >= 0) {
        out = static_cast<uint64_t>(i_);
        return true;
    }
    return false;
}

const JsonObject* JsonValue::as_object() const { return type_ == Type::object ? &o_.front() : nullptr; }

bool JsonValue::operator==(const JsonValue& o) const {
    if (type_ != o.type_) return false;
    switch (type_) {
    case Type::null: return true;
    case Type::boolean:
    case Type::unsigned_integer: return u_ == o.u_;
    case Type::integer: return i_ == o.i_;
    case Type::number: return d_ == o.d_;
    case Type::string:
    case Type::raw: return s_ == o.s_;
    case Type::object: return o_ == o.o_;
    case Type::array: return a_ == o.a_;
    }
    return false;
}

void JsonValue::dump(std::string& out) const {
    switch (type_) {
    case Type::null: out += "null"; return;
    case Type::boolean: out += u_ ? "true" : "false"; return;
    case Type::unsigned_integer: out += std::to_string(u_); return;
    case Type::integer: out += std::to_string(i_); return;
    case Type::number: {
        if (!std::isfinite(d_)) {
            out += "null";
            return;
        }
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof buf, d_);
        out.append(buf, res.ptr);
        return;
    }
    case Type::string: json_escape(s_, out); return;
    case Type::raw: out += s_; return;
    case Type::object: o_.front().dump(out); return;
    case Type::array:
        out += '[';
        for (size_t i = 0; i < a_.size(); ++i) {
            if (i) out += ',';
            a_[i].dump(out);
        }
        out += ']';
        return;
    }
}

std::string JsonValue::dump() const {
    std::string s;
    dump(s);
    return s;
}

JsonObject& JsonObject::set(std::string_view key, JsonValue value) {
    for (Member& m : members_)
        if (m.first == key) {
            m.second = std::move(value);
            return *this;
        }
    members_.emplace_back(std::string(key), std::move(value));
    return *this;
}

JsonObject& JsonObject::set_after(std::string_view after, std::string_view key, JsonValue value) {
    for (Member& m : members_)
        if (m.first == key) {
            m.second = std::move(value);
            return *this;
        }
    auto it = members_.begin();
    for (auto i = members_.begin(); i != members_.end(); ++i)
        if (i->first == after) {
            it = i + 1;
            break;
        }
    members_.emplace(it, std::string(key), std::move(value));
    return *this;
}

const JsonValue* JsonObject::find(std::string_view key) const {
    for (const Member& m : members_)
        if (m.first == key) return &m.second;
    return nullptr;
}

bool JsonObject::erase(std::string_view key) {
    for (auto it = members_.begin(); it != members_.end(); ++it)
        if (it->first == key) {
            members_.erase(it);
            return true;
        }
    return false;
}

void JsonObject::dump(std::string& out) const {
    out += '{';
    bool first = true;
    for (const Member& m : members_) {
        if (!first) out += ',';
        first = false;
        json_escape(m.first, out);
        out += ':';
        m.second.dump(out);
    }
    out += '}';
}

std::string JsonObject::dump() const {
    std::string s;
    dump(s);
    return s;
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0.
size_t utf8_length(std::string_view s, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
    const unsigned char c = b(i);
    if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(i + 1) || !cont(i + 2)) return 0;
        if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
        if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogates
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
        if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
        if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // past U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

void json_escape(std::string_view s, std::string& out) {
    out += '"';
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
            }
            ++i;
            continue;
        }
        const size_t n = utf8_length(s, i);
        if (n == 0) {
            out += "\\ufffd";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    out += '"';
}

// ---------------------------------------------------------------- records

JsonObject command_event(const CommandRecord& r, uint64_t seq, uint64_t issued_ps, GicVersion gic) {
    JsonObject o;
    // A command the queue never moved past (the run ended stalled at it)
    // has no done_ps; it is logged when it last ran.
    const bool retired = r.done_ps != 0;
    o.set("kind", "command").set("t_ps", retired ? r.done_ps : std::max(issued_ps, r.fetched_ps)).set("seq", seq);
    // A command as the GIC of the run reads it: with version 3 a GICv4
    // opcode is as unknown as an unassigned one.
    const CmdInfo* info = command_info(r.cmd.opcode);
    if (info && has_command(gic, *info)) {
        o.set("op", info->name);
        for (const CmdFieldValue& f : command_fields(r.cmd)) o.set(f.name, f.value);
    } else {
        std::string raw;
        for (unsigned i = 0; i < 4; ++i) raw += (i ? "," : "") + hex(r.cmd.raw[i]);
        o.set("op", "UNKNOWN").set("opcode", r.cmd.opcode).set("raw", raw);
    }
    if (r.memory_error)
        o.set("status", "memory_error");
    else if (r.status == 0)
        o.set("status", "ok");
    else
        o.set("status", r.status);
    o.set("issued_ps", issued_ps);
    if (retired) o.set("done_ps", r.done_ps);
    else o.set("retired", false);
    o.set("offset", r.offset).set("fetched_ps", r.fetched_ps);
    o.set("table_reads", r.table_reads).set("table_writes", r.table_writes);
    if (r.memory_error) o.set("memory_error", true);
    // What it acted on (INT, CLEAR, INV, DISCARD, MOVI, INVALL).
    if (r.has_lpi) o.set("intid", r.lpi_intid);
    if (r.has_cpu) o.set("cpu", r.lpi_cpu);
    if (r.has_to_cpu) o.set("to_cpu", r.to_cpu);
    return o;
}

JsonObject msi_event(const MsiRecord& r, uint64_t seq, uint64_t issued_ps) {
    const uint64_t t = std::max({issued_ps, r.accepted_ps, r.started_ps, r.device_ps, r.event_ps,
                                 r.collection_ps, r.pending_ps});
    JsonObject o;
    o.set("kind", "msi").set("t_ps", t).set("seq", seq).set("device", r.device).set("event", r.event);
    o.set("status", r.delivered ? "delivered" : "dropped");
    if (r.delivered) o.set("intid", r.intid).set("cpu", r.cpu);
    o.set("issued_ps", issued_ps);
    if (r.delivered)
        o.set("pending_ps", r.pending_ps);
    else
        o.set("reason", r.reason.empty() ? std::string("unknown") : std::string(r.reason));
    const std::pair<const char*, uint64_t> stamps[] = {
        {"accepted_ps", r.accepted_ps}, {"started_ps", r.started_ps},       {"device_ps", r.device_ps},
        {"event_ps", r.event_ps},       {"collection_ps", r.collection_ps},
    };
    for (const auto& [key, value] : stamps)
        if (value != 0) o.set(key, value);
    if (r.device_ps) o.set("device_hit", r.device_hit);
    if (r.event_ps) o.set("event_hit", r.event_hit);
    if (r.collection_ps) o.set("collection_hit", r.collection_hit);
    o.set("table_reads", r.table_reads);
    return o;
}

JsonObject ack_event(const AckRecord& r) {
    JsonObject o;
    o.set("kind", "ack").set("t_ps", r.t_ps).set("cpu", r.cpu).set("intid", r.intid);
    if (r.signalled_ps) o.set("signalled_ps", r.signalled_ps);
    if (r.eoi_ps) o.set("eoi_ps", r.eoi_ps);
    o.set("priority", r.priority);
    return o;
}

JsonObject stall_event(const StallRecord& r) {
    JsonObject o;
    o.set("kind", "stall").set("t_ps", r.t_ps).set("creadr", r.creadr).set("error", r.error);
    return o;
}

JsonObject run_header(const JsonValue& config, const std::string& trace_file, uint64_t seed) {
    JsonObject o;
    o.set("kind", "run").set("t_ps", uint64_t{0}).set("format", 1).set("trace", trace_file).set("seed", seed);
    o.set("config", config);
    return o;
}

// ---------------------------------------------------------------- log

void EventLog::header(const JsonValue& config, const std::string& trace_file, uint64_t seed) {
    header(run_header(config, trace_file, seed));
}

void EventLog::header(JsonObject run) { header_ = run.dump(); }

void EventLog::add(uint64_t t_ps, JsonObject obj) {
    obj.set_after("kind", "t_ps", t_ps);
    records_.push_back({t_ps, obj.dump()});
}

void EventLog::add(JsonObject obj) {
    uint64_t t = 0;
    if (const JsonValue* v = obj.find("t_ps")) v->as_u64(t);
    add(t, std::move(obj));
}

void EventLog::write(std::ostream& os) const {
    if (!header_.empty()) os << header_ << '\n';
    std::vector<size_t> order(records_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return records_[a].t_ps < records_[b].t_ps; });
    for (size_t i : order) os << records_[i].line << '\n';
}

std::string EventLog::str() const {
    std::ostringstream os;
    write(os);
    return os.str();
}

}  // namespace itsim
