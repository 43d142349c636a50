// run_stream.h's direct writers of the msi and ack lines give the bytes of
// the JsonObject builders (event_log.h) with the keys the platform adds, for
// every shape of record: delivered or dropped, each stage reached or not,
// merged or new, virtual with or without a doorbell.
#include <gtest/gtest.h>

#include <string>

#include "run_stream.h"
#include "trace/event_log.h"

namespace itsim {
namespace {

// The msi record as the event log built it before it streamed.
std::string reference(const RunRecords::Msi& m, uint64_t tag) {
    JsonObject o = msi_event(m.rec, tag, m.issued_ps);
    if (m.is_virtual) {
        o.set("vpeid", m.vpeid).set("vintid", m.vintid).set("resident", m.resident);
        if (m.doorbell) o.set("doorbell", m.doorbell);
    }
    if (m.rec.delivered && m.changed) {
        o.set("new", m.is_new);
        if (m.is_new) {
            o.set("priority", unsigned(m.config & 0xFC));
            o.set("enabled", m.config_valid && (m.config & 1));
        }
    }
    return o.dump();
}

uint64_t t_of(const RunRecords::Msi& m) {
    const MsiRecord& r = m.rec;
    return std::max({m.issued_ps, r.accepted_ps, r.started_ps, r.device_ps, r.event_ps, r.collection_ps,
                     r.pending_ps});
}

TEST(RunStreamLines, MsiLineIsTheBuildersBytes) {
    RunRecords::Msi m;
    m.issued_ps = 86031000;
    m.reported = true;
    MsiRecord& r = m.rec;
    r.device = 272;
    r.event = 6;
    r.delivered = true;
    r.intid = 8262;
    r.cpu = 2;
    r.accepted_ps = 86033000;
    r.started_ps = 86035000;
    r.device_ps = 86036000;
    r.event_ps = 86090000;
    r.collection_ps = 86091000;
    r.pending_ps = 86150000;
    r.device_hit = true;
    r.collection_hit = true;
    r.table_reads = 1;
    m.changed = true;
    m.is_new = true;
    m.config = 0xA1;
    m.config_valid = true;
    std::vector<RunRecords::Msi> cases{m};
    m.is_new = false;   // merged
    cases.push_back(m);
    m.changed = false;   // the run ended before the redistributor took it
    cases.push_back(m);
    m.changed = true;
    m.is_new = true;
    m.config_valid = false;   // the byte could not be read
    cases.push_back(m);
    m.is_virtual = true;   // GICv4, then with a doorbell
    m.vpeid = 3;
    m.vintid = 8200;
    cases.push_back(m);
    m.doorbell = 65283;
    m.resident = true;
    cases.push_back(m);
    RunRecords::Msi d;   // dropped at the device table, then without a reason
    d.issued_ps = 5000;
    d.reported = true;
    d.rec.device = 0x30;
    d.rec.event = 1;
    d.rec.reason = "device_unmapped";
    d.rec.accepted_ps = 7000;
    d.rec.started_ps = 9000;
    d.rec.device_ps = 10000;
    d.rec.table_reads = 1;
    cases.push_back(d);
    d.rec.reason = {};
    d.rec.device_ps = 0;
    cases.push_back(d);
    d.rec.reason = "bad \"quote\"\n";   // escaped as the builder escapes
    cases.push_back(d);
    static const std::string long_reason(300, 'r');   // longer than the writer's room for a plain string
    d.rec.reason = long_reason;
    cases.push_back(d);
    d.rec.reason = "caf\xc3\xa9 \xff";   // UTF-8 kept, a stray byte replaced
    cases.push_back(d);
    RunRecords::Msi big = m;   // every number at its widest: the line runs past one buffer's worth
    const uint64_t all = ~uint64_t{0};
    big.issued_ps = big.rec.accepted_ps = big.rec.started_ps = big.rec.device_ps = all;
    big.rec.event_ps = big.rec.collection_ps = big.rec.pending_ps = all;
    big.rec.device = big.rec.event = big.rec.intid = big.rec.cpu = ~uint32_t{0};
    big.rec.table_reads = ~uint32_t{0};
    big.vpeid = big.vintid = big.doorbell = ~uint32_t{0};
    cases.push_back(big);
    uint64_t tag = 1;
    for (const RunRecords::Msi& c : cases) {
        std::string line;
        msi_line(line, c, tag, t_of(c));
        EXPECT_EQ(line, reference(c, tag)) << "case " << tag;
        std::string after = "{}\n";   // appended after what the string holds
        msi_line(after, c, tag, t_of(c));
        EXPECT_EQ(after, "{}\n" + reference(c, tag)) << "case " << tag;
        ++tag;
    }
    // One of them spelled out (docs/event-log.md's example).
    std::string first;
    msi_line(first, cases[0], 1, t_of(cases[0]));
    EXPECT_EQ(first,
              "{\"kind\":\"msi\",\"t_ps\":86150000,\"seq\":1,\"device\":272,\"event\":6,\"status\":\"delivered\","
              "\"intid\":8262,\"cpu\":2,\"issued_ps\":86031000,\"pending_ps\":86150000,\"accepted_ps\":86033000,"
              "\"started_ps\":86035000,\"device_ps\":86036000,\"event_ps\":86090000,\"collection_ps\":86091000,"
              "\"device_hit\":true,\"event_hit\":false,\"collection_hit\":true,\"table_reads\":1,\"new\":true,"
              "\"priority\":160,\"enabled\":true}");
}

TEST(RunStreamLines, AckLineIsTheBuildersBytes) {
    AckRecord a;
    a.cpu = 2;
    a.intid = 8262;
    a.t_ps = 86172000;
    a.signalled_ps = 86152000;
    a.eoi_ps = 86372000;
    a.priority = 160;
    for (int k = 0; k < 3; ++k) {
        std::string line;
        ack_line(line, a);
        EXPECT_EQ(line, ack_event(a).dump());
        if (k == 0) a.signalled_ps = 0;
        else a.eoi_ps = 0;
    }
    // Every length of number, and each side of every power of ten.
    std::vector<uint64_t> values{0, 1, 9, ~uint64_t{0}, ~uint64_t{0} - 1};
    for (uint64_t p = 10; p != 0 && p <= ~uint64_t{0} / 10; p *= 10) {
        values.insert(values.end(), {p - 1, p, p + 1, 2 * p - 1, 5 * p});
        if (p == 1000000000000000000ull) values.push_back(10 * p - 1);
    }
    values.push_back(10000000000000000000ull);
    for (uint64_t v : values) {
        a.t_ps = v;
        a.signalled_ps = v;
        std::string line;
        ack_line(line, a);
        EXPECT_EQ(line, ack_event(a).dump()) << v;
    }
}

}  // namespace
}  // namespace itsim
