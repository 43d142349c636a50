// The event log (`--events FILE`): JSON Lines, one object a line, in
// simulated-time order, times in integer picoseconds (trace-format.md,
// "Event log", the public contract: keys may be added, never renamed).
//
// JsonObject is a small ordered builder: keys print in the order they were
// added, so the output is byte-for-byte deterministic. EventLog buffers the
// records of a run and writes them sorted by t_ps, records of equal time in
// the order they were added, after the "run" header line.
//
// Plain C++: no simulation kernel needed.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "itsim/common/its_cmd_table.h"
#include "itsim/common/records.h"

namespace itsim {

class JsonObject;

// One JSON value: null, boolean, integer (signed or unsigned 64-bit),
// number (double), string, object, array, or pre-serialised JSON text.
class JsonValue {
public:
    enum class Type { null, boolean, integer, unsigned_integer, number, string, object, array, raw };

    JsonValue() = default;  // null
    JsonValue(bool b) : type_(Type::boolean), u_(b ? 1 : 0) {}
    template <typename T, typename std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                                        std::is_signed_v<T>,
                                                    int> = 0>
    JsonValue(T v) : type_(Type::integer), i_(v) {}
    template <typename T, typename std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                                        std::is_unsigned_v<T>,
                                                    int> = 0>
    JsonValue(T v) : type_(Type::unsigned_integer), u_(v) {}
    JsonValue(double d) : type_(Type::number), d_(d) {}  // non-finite prints as null
    JsonValue(const char* s) : type_(Type::string), s_(s ? s : "") {}
    JsonValue(std::string s) : type_(Type::string), s_(std::move(s)) {}
    JsonValue(std::string_view s) : type_(Type::string), s_(s) {}
    JsonValue(JsonObject o);
    JsonValue(std::vector<JsonValue> a) : type_(Type::array), a_(std::move(a)) {}

    // Already-serialised JSON inserted verbatim (e.g. a configuration that
    // another part serialises); the caller guarantees it is valid JSON.
    static JsonValue raw_json(std::string text);

    Type type() const { return type_; }
    // The value as a non-negative integer (integer types only).
    bool as_u64(uint64_t& out) const;
    // The string, or nullptr when the value is not a string.
    const std::string* as_string() const { return type_ == Type::string ? &s_ : nullptr; }
    // The object, or nullptr when the value is not an object.
    const JsonObject* as_object() const;
    // Append the compact JSON text of the value.
    void dump(std::string& out) const;
    std::string dump() const;

    bool operator==(const JsonValue& o) const;
    bool operator!=(const JsonValue& o) const { return !(*this == o); }

private:
    Type type_ = Type::null;
    uint64_t u_ = 0;
    int64_t i_ = 0;
    double d_ = 0;
    std::string s_;                 // string, or raw JSON text
    std::vector<JsonObject> o_;     // one element for an object
    std::vector<JsonValue> a_;
};

using JsonArray = std::vector<JsonValue>;

// An ordered JSON object.
class JsonObject {
public:
    using Member = std::pair<std::string, JsonValue>;

    // Set `key`: replaces the value in place when the key exists, else
    // appends it. Returns *this for chaining.
    JsonObject& set(std::string_view key, JsonValue value);
    // Insert `key` right after `after` (or at the front when `after` is not
    // present), replacing an existing `key` in place instead.
    JsonObject& set_after(std::string_view after, std::string_view key, JsonValue value);
    const JsonValue* find(std::string_view key) const;
    bool erase(std::string_view key);

    const std::vector<Member>& members() const { return members_; }
    size_t size() const { return members_.size(); }
    bool empty() const { return members_.empty(); }

    // Compact one-line JSON: {"kind":"ack","t_ps":5,"cpu":0}
    void dump(std::string& out) const;
    std::string dump() const;

    bool operator==(const JsonObject& o) const { return members_ == o.members_; }
    bool operator!=(const JsonObject& o) const { return !(*this == o); }

private:
    std::vector<Member> members_;
};

// Append `s` to `out` as a JSON string literal: quotes, backslash and
// control characters escaped, bytes that are not valid UTF-8 replaced by
// U+FFFD so that the output is always valid JSON.
void json_escape(std::string_view s, std::string& out);

// ---- the contract's records

// {"kind":"command","t_ps":done_ps,"seq","op", fields by trace name...,
//  "status":"ok"|code, "issued_ps","done_ps", then extras: "offset",
//  "fetched_ps", "table_reads", "table_writes"}. Commands are read as a
// GIC of version `gic` reads them: an opcode that version does not have
// (a GICv4 one with version 3) has op "UNKNOWN", "opcode" and "raw"
// ("0x..,0x..,0x..,0x.."). A command that hit a bus error has status "memory_error" (and "memory_error":true).
JsonObject command_event(const CommandRecord& r, uint64_t seq, uint64_t issued_ps,
                         GicVersion gic = GicVersion::v3);

// {"kind":"msi","t_ps","seq","device","event","status":"delivered"|"dropped",
//  "intid","cpu" (delivered only), "issued_ps", "pending_ps" (delivered
//  only), "reason" (dropped only), then extras: the stage stamps that were
//  reached (accepted_ps started_ps device_ps event_ps collection_ps), the
//  hit flags of the stages that were reached (device_hit event_hit
//  collection_hit), "table_reads"}.
// t_ps is pending_ps when delivered; when dropped, the latest stage stamp
// reached (or issued_ps if none): when the ITS knew it was dropped.
JsonObject msi_event(const MsiRecord& r, uint64_t seq, uint64_t issued_ps);

// {"kind":"ack","t_ps","cpu","intid", then "signalled_ps" and "eoi_ps" when set}
JsonObject ack_event(const AckRecord& r);

// {"kind":"stall","t_ps","creadr","error"}
JsonObject stall_event(const StallRecord& r);

// The first line: {"kind":"run","t_ps":0,"format":1,"trace":FILE,"seed":SEED,
// "config":CONFIG}.
JsonObject run_header(const JsonValue& config, const std::string& trace_file, uint64_t seed);

class EventLog {
public:
    // The "run" line (run_header); replaces an earlier header.
    void header(const JsonValue& config, const std::string& trace_file, uint64_t seed);
    // Any object as the header line, as given.
    void header(JsonObject run);

    // Add a record at `t_ps`: the object's "t_ps" is set to it (in place,
    // or right after "kind" when absent).
    void add(uint64_t t_ps, JsonObject obj);
    // Add a record that already has an unsigned integer "t_ps" (the
    // builders above); one without counts as time 0.
    void add(JsonObject obj);

    size_t size() const { return records_.size(); }

    // Header first, then the records sorted stably by t_ps; one object and
    // one '\n' a line.
    void write(std::ostream& os) const;
    std::string str() const;

private:
    struct Record {
        uint64_t t_ps;
        std::string line;  // serialised without the newline
    };
    std::string header_;
    std::vector<Record> records_;
};

}  // namespace itsim
