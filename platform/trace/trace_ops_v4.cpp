// The trace reader's checkers of the GICv4 ops (trace.h, trace-format.md):
// its=N on the lines that reach an ITS, vlpi, schedule, deschedule, sgi,
// and the expect forms vtaken and doorbell (msi=N vintid=I vpeid=V is in
// do_expect, beside the physical msi form).
#include "trace/trace_reader.h"

namespace itsim::trace_detail {

void Reader::take_its(TraceLine& tl) {
    for (size_t i = 0; i < kvs_.size(); ++i) {
        if (kvs_[i].key != "its") continue;
        tl.its = static_cast<unsigned>(parse_field(kvs_[i], kIts));
        kvs_.erase(kvs_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
    }
}

void Reader::do_vlpi(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {
        kVpeid,
        kVlpiVintid,
        {"priority", 255, 0, false, "8-bit priority"},
        {"enable", 1, 0, false, ""},
    };
    uint64_t v[4] = {};
    check_keys(op, fields, v);
    tl.vpeid = static_cast<uint32_t>(v[0]);
    tl.vintid = static_cast<uint32_t>(v[1]);
    tl.priority = static_cast<uint8_t>(v[2]);
    tl.enable = v[3] != 0;
}

void Reader::do_schedule(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {{"cpu", k32, 0, false, "32-bit CPU number"}, kVpeid};
    uint64_t v[2] = {};
    check_keys(op, fields, v);
    tl.cpu = static_cast<uint32_t>(v[0]);
    tl.vpeid = static_cast<uint32_t>(v[1]);
}

void Reader::do_deschedule(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {{"cpu", k32, 0, false, "32-bit CPU number"},
                                              {"doorbell", 1, 0, false, ""}};
    uint64_t v[2] = {};
    uint32_t missing = 0;
    check_keys(op, fields, v, "", nullptr, 0x2, &missing);   // doorbell: default 0
    tl.cpu = static_cast<uint32_t>(v[0]);
    tl.doorbell = v[1] != 0;
}

void Reader::do_sgi(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {kVpeid, kVsgiVintid};
    uint64_t v[2] = {};
    check_keys(op, fields, v);
    tl.vpeid = static_cast<uint32_t>(v[0]);
    tl.vintid = static_cast<uint32_t>(v[1]);
}

// expect vtaken vintid=I vpeid=V count=K | expect doorbell vpeid=V count=K
void Reader::do_expect_v4(TraceLine& tl, const Token& op, bool vtaken) {
    Expect& e = tl.expect;
    const char* form = vtaken ? "vtaken" : "doorbell";
    const Token* word = nullptr;
    for (const Token& w : words_) {
        if (w.text != form) {
            if (w.text == "dropped" || w.text == "ok" || w.text == "taken" || w.text == "vtaken" ||
                w.text == "doorbell")
                fail(w.column, quote(w.text) + " cannot be combined with " + form);
            fail(w.column, "expected key=value, got " + quote(w.text));
        }
        if (word) fail(w.column, "duplicate " + quote(w.text) + " (first at column " + std::to_string(word->column) + ")");
        word = &w;
    }
    bool have_vintid = false, have_vpeid = false, have_count = false;
    for (const KeyValue& kv : kvs_) {
        if (kv.key == "vintid" && vtaken) {
            // A vLPI (8192 and up) or a vSGI (0 to 15).
            uint64_t n = parse_field(kv, Field{"vintid", k32, 0, false, "32-bit vINTID"});
            if (n >= 16 && n < kLpiBase)
                fail(kv.value_column, "vintid=" + std::string(kv.value) +
                                          " is neither a vSGI (0 to 15) nor a vLPI (8192 and up)");
            e.vintid = static_cast<uint32_t>(n);
            have_vintid = true;
        } else if (kv.key == "vpeid") {
            e.vpeid = static_cast<uint32_t>(parse_field(kv, kVpeid));
            have_vpeid = true;
        } else if (kv.key == "count") {
            e.count = parse_field(kv, Field{"count", UINT64_MAX, 0, false, ""});
            have_count = true;
        } else {
            fail(kv.key_column, "unknown key " + quote(kv.key) + " for this expect form (keys: " +
                                    (vtaken ? "vintid vpeid count, after the word vtaken"
                                            : "vpeid count, after the word doorbell") + ")");
        }
    }
    auto missing = [&](const char* what) { fail(op.column, std::string("missing ") + what + " for expect"); };
    if (vtaken && !have_vintid) missing("key 'vintid'");
    if (!have_vpeid) missing("key 'vpeid'");
    if (!have_count) missing("key 'count'");
    e.kind = vtaken ? Expect::Kind::vtaken : Expect::Kind::doorbell;
    trace_.expects.push_back(e);
}

void Reader::do_vsgi_read(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {{"cpu", k32, 0, false, "32-bit CPU number"}, kVpeid};
    uint64_t v[2] = {};
    check_keys(op, fields, v);
    tl.cpu = static_cast<uint32_t>(v[0]);
    tl.vpeid = static_cast<uint32_t>(v[1]);
    tl.vsgi_read_seq = ++trace_.vsgi_read_count;
}

// expect vsgi_read=N pending=MASK
void Reader::do_expect_vsgi(TraceLine& tl, const Token& op) {
    Expect& e = tl.expect;
    if (!words_.empty()) fail(words_[0].column, "expected key=value, got " + quote(words_[0].text));
    bool have_n = false, have_pending = false;
    for (const KeyValue& kv : kvs_) {
        if (kv.key == "vsgi_read") {
            e.vsgi_read = parse_field(kv, Field{"vsgi_read", UINT64_MAX, 1, false, ""});
            have_n = true;
        } else if (kv.key == "pending") {
            e.pending = static_cast<uint32_t>(parse_field(kv, Field{"pending", 0xFFFF, 0, false, "Pending[15:0]"}));
            have_pending = true;
        } else {
            fail(kv.key_column, "unknown key " + quote(kv.key) + " for this expect form (keys: vsgi_read pending)");
        }
    }
    if (!have_n) fail(op.column, "missing key 'vsgi_read' for expect");
    if (!have_pending) fail(op.column, "missing key 'pending' for expect");
    e.kind = Expect::Kind::vsgi_pending;
    trace_.expects.push_back(e);
}

}  // namespace itsim::trace_detail
