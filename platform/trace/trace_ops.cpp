// The trace reader's checker of each op (trace_reader.h), in the order of
// trace-format.md: platform, cmd (by name or raw=), wait, msi, write, lpi,
// expect. kick takes no keys (do_line checks that).
#include "trace/trace_reader.h"

#include <cctype>

namespace itsim::trace_detail {

// ---- ops

void Reader::do_platform(TraceLine& tl) {
    for (const KeyValue& kv : kvs_) {
        const std::string key(kv.key);
        auto it = platform_keys_.find(key);
        if (it != platform_keys_.end())
            fail(kv.key_column, "platform setting " + quote(kv.key) + " is already set at line " +
                                    std::to_string(it->second.line) + ", column " +
                                    std::to_string(it->second.column));
        if (kv.key == "cpus") {
            uint64_t n = 0;
            if (parse_number(kv.value, false, n) != NumResult::ok || n == 0)
                fail(kv.value_column, "cpus=" + std::string(kv.value) + " is not a number of CPUs (1 or more)");
        }
        PlatformSetting s{key, std::string(kv.value), tl.at(kv.key_column), tl.at(kv.value_column)};
        platform_keys_.emplace(key, s.pos);
        tl.settings.push_back(s);
        trace_.platform.push_back(std::move(s));
    }
}

void Reader::do_cmd(TraceLine& tl, const Token& op) {
    const KeyValue* raw = find_kv("raw");
    const KeyValue* name = find_kv("op");
    if (raw) {
        for (const KeyValue& kv : kvs_)
            if (&kv != raw)
                fail(kv.key_column, "key " + quote(kv.key) + " cannot be combined with raw=");
        tl.cmd = decode(parse_raw(*raw));
        tl.raw_form = true;
    } else if (name) {
        // Architected names are upper case; accept any case ("mapti").
        std::string upper(name->value);
        for (char& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        // GICv4 commands too: the ITS, not the reader, decides what it implements.
        const CmdInfo* info = command_named(upper);
        if (!info)
            fail(name->value_column, "unknown command " + quote(name->value) + " (commands: " + command_list() + ")");
        const std::vector<Field>& fields = *fields_for(info->opcode());
        uint64_t values[kMaxFields] = {};
        // VMAPP: what the software knows better than the trace may be left
        // out (trace.h); the driver agent fills it in.
        uint32_t optional = 0;
        if (info->opcode() == uint8_t(ItsOpcode::VMAPP))
            for (size_t i = 0; i < fields.size(); ++i)
                for (CmdField m : {CmdField::vpt_addr, CmdField::vpt_size, CmdField::vconf_addr,
                                   CmdField::default_doorbell, CmdField::alloc, CmdField::ptz})
                    if (fields[i].cmd->member == m) optional |= uint32_t{1} << i;
        check_keys(op, fields, values, std::string(name->value), name, optional, &tl.cmd_defaulted);
        tl.cmd.opcode = info->opcode();
        for (size_t i = 0; i < fields.size(); ++i) set_field_value(tl.cmd, fields[i].cmd->member, values[i]);
        tl.cmd.raw = encode(tl.cmd);
    } else {
        fail(op.column, "missing key 'op' for cmd (cmd needs op=NAME or raw=W0,W1,W2,W3)");
    }
    tl.cmd_seq = ++trace_.cmd_count;
}

CmdWords Reader::parse_raw(const KeyValue& kv) {
    CmdWords w{};
    std::string_view rest = kv.value;
    unsigned column = kv.value_column;
    for (unsigned i = 0; i < 4; ++i) {
        const size_t comma = rest.find(',');
        const std::string_view word = rest.substr(0, comma);
        if (word.empty())
            fail(column, "raw= needs four comma-separated 64-bit words (W0,W1,W2,W3)");
        switch (parse_number(word, false, w[i])) {
        case NumResult::malformed:
            fail(column, "malformed number " + quote(word) + " in raw= (expected decimal or 0x hex)");
        case NumResult::overflow: fail(column, "raw word " + quote(word) + " does not fit in 64 bits");
        case NumResult::ok: break;
        }
        if (i < 3) {
            if (comma == std::string_view::npos)
                fail(kv.value_column, "raw= needs four comma-separated 64-bit words (W0,W1,W2,W3), got " +
                                          std::to_string(i + 1));
            rest = rest.substr(comma + 1);
            column += static_cast<unsigned>(comma + 1);
        } else if (comma != std::string_view::npos) {
            fail(column + static_cast<unsigned>(comma),
                 "raw= needs exactly four comma-separated 64-bit words (W0,W1,W2,W3)");
        }
    }
    return w;
}

void Reader::do_wait(TraceLine& tl, const Token& op) {
    for (const KeyValue& kv : kvs_) {
        if (kv.key != "until") fail(kv.key_column, "unknown key " + quote(kv.key) + " for wait (keys: until)");
        if (kv.value != "drained")
            fail(kv.value_column, "unknown wait condition " + quote(kv.value) + " (expected until=drained)");
    }
    if (kvs_.empty()) fail(op.column, "missing key 'until' for wait (expected until=drained)");
    tl.until = TraceLine::WaitUntil::drained;
}

void Reader::do_msi(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {kDevice, kEvent};
    uint64_t v[2] = {};
    check_keys(op, fields, v);
    tl.device = static_cast<uint32_t>(v[0]);
    tl.event = static_cast<uint32_t>(v[1]);
    tl.msi_seq = ++trace_.msi_count;
}

void Reader::do_write(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {
        {"addr", UINT64_MAX, 0, true, ""},
        {"value", UINT64_MAX, 0, true, ""},
        {"size", 8, 1, false, ""},
    };
    uint64_t v[3] = {};
    check_keys(op, fields, v);
    const KeyValue* size = find_kv("size");
    if (v[2] != 1 && v[2] != 2 && v[2] != 4 && v[2] != 8)
        fail(size->value_column, "size=" + std::string(size->value) + " is not 1, 2, 4 or 8");
    if (v[2] < 8 && (v[1] >> (8 * v[2])) != 0) {
        const KeyValue* value = find_kv("value");
        fail(value->value_column, "value=" + std::string(value->value) + " does not fit in size=" +
                                      std::to_string(v[2]) + " (at most " +
                                      hex((uint64_t{1} << (8 * v[2])) - 1) + ")");
    }
    tl.addr = v[0];
    tl.value = v[1];
    tl.size = static_cast<unsigned>(v[2]);
}

void Reader::do_lpi(TraceLine& tl, const Token& op) {
    static const std::vector<Field> fields = {
        {"intid", k32, kLpiBase, false, "32-bit INTID"},
        {"priority", 255, 0, false, "8-bit priority"},
        {"enable", 1, 0, false, ""},
    };
    uint64_t v[3] = {};
    check_keys(op, fields, v);
    tl.intid = static_cast<uint32_t>(v[0]);
    tl.priority = static_cast<uint8_t>(v[1]);
    tl.enable = v[2] != 0;
}

void Reader::do_expect(TraceLine& tl, const Token& op) {
    Expect& e = tl.expect;
    e.pos = tl.pos;
    // The form is named by the first marker on the line.
    enum class Form { none, msi, cmd, taken, vtaken, doorbell } form = Form::none;
    unsigned marker = 0;
    for (const Token& w : words_)
        if (w.text == "taken" || w.text == "vtaken" || w.text == "doorbell") {
            form = w.text == "taken" ? Form::taken : w.text == "vtaken" ? Form::vtaken : Form::doorbell;
            marker = w.column;
            break;
        }
    for (const KeyValue& kv : kvs_)
        if ((kv.key == "msi" || kv.key == "cmd") && (form == Form::none || kv.key_column < marker)) {
            form = kv.key == "msi" ? Form::msi : Form::cmd;
            marker = kv.key_column;
            break;
        }
    if (form == Form::none)
        for (const KeyValue& kv : kvs_)
            if (kv.key == "vsgi_read") {
                do_expect_vsgi(tl, op);
                return;
            }
    if (form == Form::none)
        fail(op.column, "expect needs msi=N, cmd=N, taken, vtaken or doorbell (forms: msi=N intid=I cpu=C | "
                        "msi=N vintid=I vpeid=V | msi=N dropped | cmd=N ok | cmd=N error=CODE | "
                        "taken intid=I cpu=C count=K | vtaken vintid=I vpeid=V count=K | doorbell vpeid=V count=K)");
    if (form == Form::vtaken || form == Form::doorbell) {
        do_expect_v4(tl, op, form == Form::vtaken);
        return;
    }

    const Field intid{"intid", k32, kLpiBase, false, "32-bit INTID"};
    const Field cpu{"cpu", k32, 0, false, "32-bit CPU number"};
    const Field seq{"", UINT64_MAX, 1, false, ""};
    const char* allowed_word = form == Form::msi ? "dropped" : form == Form::cmd ? "ok" : "taken";
    const Token* word = nullptr;
    for (const Token& w : words_) {
        if (w.text != allowed_word) {
            if (w.text == "dropped" || w.text == "ok" || w.text == "taken")
                fail(w.column, quote(w.text) + " cannot be combined with " +
                                   (form == Form::msi ? "msi=" : form == Form::cmd ? "cmd=" : "taken"));
            fail(w.column, "expected key=value, got " + quote(w.text));
        }
        if (word) fail(w.column, "duplicate " + quote(w.text) + " (first at column " + std::to_string(word->column) + ")");
        word = &w;
    }

    const KeyValue* kv_intid = nullptr;
    const KeyValue* kv_cpu = nullptr;
    const KeyValue* kv_count = nullptr;
    const KeyValue* kv_error = nullptr;
    const KeyValue* kv_vintid = nullptr;
    const KeyValue* kv_vpeid = nullptr;
    for (const KeyValue& kv : kvs_) {
        auto unknown = [&](const char* keys) {
            fail(kv.key_column, "unknown key " + quote(kv.key) + " for this expect form (keys: " + keys + ")");
        };
        if (form == Form::msi) {
            if (kv.key == "msi") {
                e.msi = reference(kv, seq, true);
            } else if (kv.key == "vintid" || kv.key == "vpeid") {
                if (word) fail(kv.key_column, quote(kv.key) + " cannot be combined with 'dropped'");
                if (kv_intid || kv_cpu)
                    fail(kv.key_column, quote(kv.key) + " cannot be combined with " +
                                            (kv_intid ? "'intid'" : "'cpu'") + " (a virtual delivery names "
                                            "vintid and vpeid)");
                if (kv.key == "vintid") {
                    kv_vintid = &kv;
                    e.vintid = static_cast<uint32_t>(parse_field(kv, Field{"vintid", k32, kLpiBase, false, "32-bit vINTID"}));
                } else {
                    kv_vpeid = &kv;
                    e.vpeid = static_cast<uint32_t>(parse_field(kv, kVpeid));
                }
            } else if (kv.key == "intid" || kv.key == "cpu") {
                if (kv_vintid || kv_vpeid)
                    fail(kv.key_column, quote(kv.key) + " cannot be combined with " +
                                            (kv_vintid ? "'vintid'" : "'vpeid'") + " (a virtual delivery names "
                                            "vintid and vpeid)");
                if (word) fail(kv.key_column, quote(kv.key) + " cannot be combined with 'dropped'");
                if (kv.key == "intid") {
                    kv_intid = &kv;
                    e.intid = static_cast<uint32_t>(parse_field(kv, intid));
                } else {
                    kv_cpu = &kv;
                    e.cpu = static_cast<uint32_t>(parse_field(kv, cpu));
                }
            } else {
                unknown("msi intid cpu, msi vintid vpeid, or msi and the word dropped");
            }
        } else if (form == Form::cmd) {
            if (kv.key == "cmd") {
                e.cmd = reference(kv, seq, false);
            } else if (kv.key == "error") {
                if (word) fail(kv.key_column, "'error' cannot be combined with 'ok'");
                kv_error = &kv;
                const Field code{"error", k32, 1, false, "32-bit error code"};
                uint64_t zero = 1;
                if (parse_number(kv.value, false, zero) == NumResult::ok && zero == 0)
                    fail(kv.value_column, "error=0 is not an error code (use 'ok')");
                e.code = static_cast<uint32_t>(parse_field(kv, code));
            } else {
                unknown("cmd, and the word ok or error");
            }
        } else {
            if (kv.key == "intid") {
                kv_intid = &kv;
                e.intid = static_cast<uint32_t>(parse_field(kv, intid));
            } else if (kv.key == "cpu") {
                kv_cpu = &kv;
                e.cpu = static_cast<uint32_t>(parse_field(kv, cpu));
            } else if (kv.key == "count") {
                kv_count = &kv;
                e.count = parse_field(kv, Field{"count", UINT64_MAX, 0, false, ""});
            } else {
                unknown("intid cpu count, after the word taken");
            }
        }
    }
    auto missing = [&](const char* what) { fail(op.column, std::string("missing ") + what + " for expect"); };
    switch (form) {
    case Form::msi:
        if (word) {
            e.kind = Expect::Kind::msi_dropped;
        } else if (kv_vintid || kv_vpeid) {
            if (!kv_vintid) missing("key 'vintid'");
            if (!kv_vpeid) missing("key 'vpeid'");
            e.kind = Expect::Kind::msi_virtual;
        } else {
            if (!kv_intid) missing("key 'intid' (or the word 'dropped')");
            if (!kv_cpu) missing("key 'cpu'");
            e.kind = Expect::Kind::msi_delivered;
        }
        break;
    case Form::cmd:
        if (!word && !kv_error) missing("'ok' or error=CODE");
        e.kind = word ? Expect::Kind::cmd_ok : Expect::Kind::cmd_error;
        break;
    case Form::taken:
        if (!kv_intid) missing("key 'intid'");
        if (!kv_cpu) missing("key 'cpu'");
        if (!kv_count) missing("key 'count'");
        e.kind = Expect::Kind::taken;
        break;
    case Form::none:
    case Form::vtaken:
    case Form::doorbell: break;
    }
    trace_.expects.push_back(e);
}

uint64_t Reader::reference(const KeyValue& kv, const Field& seq, bool msi) {
    uint64_t n = 0;
    if (parse_number(kv.value, false, n) == NumResult::ok && n == 0)
        fail(kv.value_column, std::string(kv.key) + "=0: " + (msi ? "msi" : "cmd") +
                                  " lines are counted from 1");
    n = parse_field(kv, seq);
    refs_.push_back({n, msi, SourcePos{trace_.file, line_no_, kv.value_column}});
    return n;
}

// source device=D events=A-B rate=R [pattern=] [popularity=] count=N|until=T [seed=S]
// [its=N]: each value by sources/source_spec.h, the error's column inside
// the value.
void Reader::do_source(TraceLine& tl, const Token& op) {
    SourceSpec spec;
    bool device = false, events = false, rate = false;
    for (const KeyValue& kv : kvs_) {
        SourceKeyError e;
        bool unknown = false;
        if (!parse_source_key(spec, kv.key, kv.value, e, unknown))
            fail(unknown ? kv.key_column : kv.value_column + e.offset, e.message);
        device |= kv.key == "device";
        events |= kv.key == "events";
        rate |= kv.key == "rate";
    }
    std::string missing;
    const std::string why = check_source_line(spec, device, events, rate, tl.t_ps, missing);
    if (!why.empty()) {
        const KeyValue* until = find_kv("until");
        fail(missing.empty() && until && spec.has_until && spec.until_ps <= tl.t_ps ? until->value_column : op.column,
             why);
    }
    tl.source = source_count_++;
    trace_.sources.push_back(spec);
}

}  // namespace itsim::trace_detail
