// Event log (trace-format.md "Event log"): exact JSON lines for each record
// kind, string escaping, the JSON builder, stable time ordering.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>

#include "trace/event_log.h"

namespace itsim {
namespace {

std::string esc(std::string_view s) {
    std::string out;
    json_escape(s, out);
    return out;
}

TEST(Json, Escaping) {
    EXPECT_EQ(esc(""), "\"\"");
    EXPECT_EQ(esc("plain text"), "\"plain text\"");
    EXPECT_EQ(esc("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
    EXPECT_EQ(esc("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
    EXPECT_EQ(esc(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
    EXPECT_EQ(esc(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
    // Valid UTF-8 passes through; invalid bytes become U+FFFD.
    EXPECT_EQ(esc("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    EXPECT_EQ(esc("\xFF"), "\"\\ufffd\"");
    EXPECT_EQ(esc("a\xC3"), "\"a\\ufffd\"");                      // truncated sequence
    EXPECT_EQ(esc("\xC0\xAF"), "\"\\ufffd\\ufffd\"");             // overlong
    EXPECT_EQ(esc("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
    EXPECT_EQ(esc("\xF4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // past U+10FFFF
}

TEST(Json, ObjectBuilder) {
    JsonObject inner;
    inner.set("a", 1).set("b", JsonArray{JsonValue(1), JsonValue("x"), JsonValue(true), JsonValue()});
    JsonObject o;
    o.set("z", "first")
        .set("neg", int64_t{-5})
        .set("max", UINT64_MAX)
        .set("flag", false)
        .set("half", 0.5)
        .set("inf", std::numeric_limits<double>::infinity())
        .set("inner", inner)
        .set("empty", JsonObject{})
        .set("raw", JsonValue::raw_json("[1,2]"))
        .set("key \"q\"", uint8_t{200});
    EXPECT_EQ(o.dump(),
              "{\"z\":\"first\",\"neg\":-5,\"max\":18446744073709551615,\"flag\":false,\"half\":0.5,"
              "\"inf\":null,\"inner\":{\"a\":1,\"b\":[1,\"x\",true,null]},\"empty\":{},\"raw\":[1,2],"
              "\"key \\\"q\\\"\":200}");
    // set() replaces in place; set_after() inserts after a key.
    o.set("z", 7);
    o.set_after("z", "after_z", "y");
    o.set_after("missing", "front", 0);
    ASSERT_EQ(o.members().size(), 12u);
    EXPECT_EQ(o.members()[0].first, "front");
    EXPECT_EQ(o.members()[1].first, "z");
    EXPECT_EQ(o.members()[1].second.dump(), "7");
    EXPECT_EQ(o.members()[2].first, "after_z");
    EXPECT_TRUE(o.erase("front"));
    EXPECT_FALSE(o.erase("front"));
    uint64_t v = 0;
    ASSERT_NE(o.find("max"), nullptr);
    EXPECT_TRUE(o.find("max")->as_u64(v));
    EXPECT_EQ(v, UINT64_MAX);
    EXPECT_FALSE(o.find("neg")->as_u64(v));
    ASSERT_NE(o.find("after_z")->as_string(), nullptr);
    EXPECT_EQ(*o.find("after_z")->as_string(), "y");
    EXPECT_EQ(o.find("nope"), nullptr);
    EXPECT_EQ(o.find("inner")->as_object()->find("a")->dump(), "1");
}

CommandRecord mapd_record() {
    CommandRecord r;
    r.offset = 0x20;
    r.cmd = decode({0x0000001000000008, 4, 0x8000000040001000, 0});
    r.status = 0;
    r.fetched_ps = 1500;
    r.done_ps = 4000;
    r.table_reads = 1;
    r.table_writes = 1;
    return r;
}

TEST(EventLogRecords, CommandOk) {
    EXPECT_EQ(command_event(mapd_record(), 2, 1000).dump(),
              "{\"kind\":\"command\",\"t_ps\":4000,\"seq\":2,\"op\":\"MAPD\",\"device\":16,\"itt\":1073745920,"
              "\"size\":4,\"valid\":1,\"status\":\"ok\",\"issued_ps\":1000,\"done_ps\":4000,\"offset\":32,"
              "\"fetched_ps\":1500,\"table_reads\":1,\"table_writes\":1}");
}

TEST(EventLogRecords, CommandErrorCodes) {
    CommandRecord r;
    r.cmd = decode({0x000000010000000A, 0x0000200000000002, 3, 0});  // MAPTI 1 2 8192 3
    r.status = cmd_error::kMaptiUnmappedDevice;                        // 0x010A04
    r.done_ps = 9000;
    EXPECT_EQ(command_event(r, 1, 500).dump(),
              "{\"kind\":\"command\",\"t_ps\":9000,\"seq\":1,\"op\":\"MAPTI\",\"device\":1,\"event\":2,"
              "\"intid\":8192,\"icid\":3,\"status\":68100,\"issued_ps\":500,\"done_ps\":9000,\"offset\":0,"
              "\"fetched_ps\":0,\"table_reads\":0,\"table_writes\":0}");
    CommandRecord m;
    m.cmd = decode({0xE, 0, 0x10000, 0x30000});
    m.done_ps = 10;
    EXPECT_EQ(command_event(m, 4, 1).dump(),
              "{\"kind\":\"command\",\"t_ps\":10,\"seq\":4,\"op\":\"MOVALL\",\"rdbase1\":1,\"rdbase2\":3,"
              "\"status\":\"ok\",\"issued_ps\":1,\"done_ps\":10,\"offset\":0,\"fetched_ps\":0,"
              "\"table_reads\":0,\"table_writes\":0}");
}

// A GICv4 command as a GICv4 GIC reads it: its name and fields by their
// trace names; a GICv3 one logs it as an unknown opcode.
TEST(EventLogRecords, CommandGicv4FieldsByName) {
    CommandRecord r;
    // VMAPTI device 0x10, event 3, vPEID 2, vINTID 40, Dbell_pINTID 1023.
    r.cmd = decode({0x000000100000002A, 0x0000000200000003, 0x000003FF00000028, 0});
    r.status = cmd_error::unknown_opcode(0x2A);  // 0x012AFF = 76543
    r.done_ps = 30;
    EXPECT_NE(command_event(r, 2, 20).dump().find(",\"op\":\"UNKNOWN\",\"opcode\":42,\"raw\":"), std::string::npos);
    EXPECT_EQ(command_event(r, 2, 20, GicVersion::v4_0).dump(),
              "{\"kind\":\"command\",\"t_ps\":30,\"seq\":2,\"op\":\"VMAPTI\",\"device\":16,\"event\":3,\"vpeid\":2,"
              "\"vintid\":40,\"doorbell\":1023,\"status\":76543,\"issued_ps\":20,\"done_ps\":30,\"offset\":0,"
              "\"fetched_ps\":0,\"table_reads\":0,\"table_writes\":0}");
    CommandRecord s;
    // VSGI vPEID 5, vINTID 9, priority 0x90 (9 at DW0[23:20]), Group, Enable.
    s.cmd = decode({0x0000000900900523, 0x0000000500000000, 0, 0});
    s.status = cmd_error::unknown_opcode(0x23);  // 0x0123FF = 74751
    s.done_ps = 40;
    EXPECT_EQ(command_event(s, 3, 35, GicVersion::v4_1).dump(),
              "{\"kind\":\"command\",\"t_ps\":40,\"seq\":3,\"op\":\"VSGI\",\"vpeid\":5,\"vintid\":9,\"priority\":144,"
              "\"group\":1,\"clear\":0,\"enable\":1,\"status\":74751,\"issued_ps\":35,\"done_ps\":40,\"offset\":0,"
              "\"fetched_ps\":0,\"table_reads\":0,\"table_writes\":0}");
}

TEST(EventLogRecords, CommandUnknownAndMemoryError) {
    CommandRecord r;
    r.cmd = decode({0x42, 1, 0, 0xFFFFFFFFFFFFFFFF});
    r.status = cmd_error::unknown_opcode(0x42);  // 0x0142FF
    r.done_ps = 7;
    EXPECT_EQ(command_event(r, 3, 5).dump(),
              "{\"kind\":\"command\",\"t_ps\":7,\"seq\":3,\"op\":\"UNKNOWN\",\"opcode\":66,"
              "\"raw\":\"0x42,0x1,0x0,0xffffffffffffffff\",\"status\":82687,\"issued_ps\":5,\"done_ps\":7,"
              "\"offset\":0,\"fetched_ps\":0,\"table_reads\":0,\"table_writes\":0}");
    CommandRecord m;
    m.cmd = decode({0x5, 0, 0x10000, 0});  // SYNC rdbase=1
    m.memory_error = true;
    m.done_ps = 8;
    EXPECT_EQ(command_event(m, 1, 2).dump(),
              "{\"kind\":\"command\",\"t_ps\":8,\"seq\":1,\"op\":\"SYNC\",\"rdbase\":1,\"status\":\"memory_error\","
              "\"issued_ps\":2,\"done_ps\":8,\"offset\":0,\"fetched_ps\":0,\"table_reads\":0,"
              "\"table_writes\":0,\"memory_error\":true}");
}

TEST(EventLogRecords, MsiDelivered) {
    MsiRecord r;
    r.device = 16;
    r.event = 3;
    r.delivered = true;
    r.intid = 8195;
    r.cpu = 2;
    r.accepted_ps = 1100;
    r.started_ps = 1200;
    r.device_ps = 1300;
    r.device_hit = true;
    r.event_ps = 1400;
    r.collection_ps = 1500;
    r.collection_hit = true;
    r.pending_ps = 1600;
    r.table_reads = 1;
    EXPECT_EQ(msi_event(r, 1, 1000).dump(),
              "{\"kind\":\"msi\",\"t_ps\":1600,\"seq\":1,\"device\":16,\"event\":3,\"status\":\"delivered\","
              "\"intid\":8195,\"cpu\":2,\"issued_ps\":1000,\"pending_ps\":1600,\"accepted_ps\":1100,"
              "\"started_ps\":1200,\"device_ps\":1300,\"event_ps\":1400,\"collection_ps\":1500,"
              "\"device_hit\":true,\"event_hit\":false,\"collection_hit\":true,\"table_reads\":1}");
}

TEST(EventLogRecords, MsiDropped) {
    MsiRecord r;
    r.device = 7;
    r.event = 0;
    r.reason = "device_unmapped";
    r.accepted_ps = 2100;
    r.started_ps = 2200;
    r.device_ps = 2300;
    r.table_reads = 1;
    EXPECT_EQ(msi_event(r, 2, 2000).dump(),
              "{\"kind\":\"msi\",\"t_ps\":2300,\"seq\":2,\"device\":7,\"event\":0,\"status\":\"dropped\","
              "\"issued_ps\":2000,\"reason\":\"device_unmapped\",\"accepted_ps\":2100,\"started_ps\":2200,"
              "\"device_ps\":2300,\"device_hit\":false,\"table_reads\":1}");
    // Dropped before the ITS saw it (e.g. ITS disabled): time of issue.
    MsiRecord d;
    d.device = 1;
    d.event = 1;
    EXPECT_EQ(msi_event(d, 3, 50).dump(),
              "{\"kind\":\"msi\",\"t_ps\":50,\"seq\":3,\"device\":1,\"event\":1,\"status\":\"dropped\","
              "\"issued_ps\":50,\"reason\":\"unknown\",\"table_reads\":0}");
}

TEST(EventLogRecords, AckAndStall) {
    AckRecord a;
    a.cpu = 1;
    a.intid = 8195;
    a.t_ps = 5000;
    a.signalled_ps = 4000;
    a.eoi_ps = 6000;
    a.priority = 0xA0;
    EXPECT_EQ(ack_event(a).dump(),
              "{\"kind\":\"ack\",\"t_ps\":5000,\"cpu\":1,\"intid\":8195,\"signalled_ps\":4000,\"eoi_ps\":6000,"
              "\"priority\":160}");
    AckRecord b;
    b.cpu = 0;
    b.intid = 8192;
    b.t_ps = 7;
    EXPECT_EQ(ack_event(b).dump(), "{\"kind\":\"ack\",\"t_ps\":7,\"cpu\":0,\"intid\":8192,\"priority\":0}");
    StallRecord s;
    s.t_ps = 300;
    s.creadr = 64;
    s.error = cmd_error::kMapdDeviceOutOfRange;  // 0x010801
    EXPECT_EQ(stall_event(s).dump(), "{\"kind\":\"stall\",\"t_ps\":300,\"creadr\":64,\"error\":67585}");
}

TEST(EventLog, HeaderFirstThenStableTimeOrder) {
    EventLog log;
    AckRecord a;
    a.t_ps = 300;
    a.cpu = 1;
    a.intid = 8192;
    log.add(ack_event(a));                      // 300, first of its time
    JsonObject late;
    late.set("kind", "note").set("text", "c");
    log.add(100, late);                         // 100, first of its time
    StallRecord s;
    s.t_ps = 300;
    log.add(stall_event(s));                    // 300, second
    JsonObject early;
    early.set("kind", "note").set("t_ps", 999).set("text", "a");
    log.add(0, early);                          // t_ps replaced in place by 0
    JsonObject same;
    same.set("kind", "note").set("text", "d");
    log.add(100, same);                         // 100, second
    JsonObject config;
    config.set("cpus", 4).set("mode", "accurate");
    log.header(config, "dir/a \"b\".its", 42);
    EXPECT_EQ(log.size(), 5u);
    const std::string expected =
        "{\"kind\":\"run\",\"t_ps\":0,\"format\":1,\"trace\":\"dir/a \\\"b\\\".its\",\"seed\":42,"
        "\"config\":{\"cpus\":4,\"mode\":\"accurate\"}}\n"
        "{\"kind\":\"note\",\"t_ps\":0,\"text\":\"a\"}\n"
        "{\"kind\":\"note\",\"t_ps\":100,\"text\":\"c\"}\n"
        "{\"kind\":\"note\",\"t_ps\":100,\"text\":\"d\"}\n"
        "{\"kind\":\"ack\",\"t_ps\":300,\"cpu\":1,\"intid\":8192,\"priority\":0}\n"
        "{\"kind\":\"stall\",\"t_ps\":300,\"creadr\":0,\"error\":0}\n";
    EXPECT_EQ(log.str(), expected);
    std::ostringstream os;
    log.write(os);
    EXPECT_EQ(os.str(), expected);
    // Writing does not disturb the log: same bytes again.
    EXPECT_EQ(log.str(), expected);
}

TEST(EventLog, RawConfigAndManyEqualTimes) {
    EventLog log;
    log.header(JsonValue::raw_json("{\"cpus\":\"4\"}"), "t.its", 0);
    // 1000 records at three times, added interleaved: each time keeps its order.
    for (int i = 0; i < 1000; ++i) {
        JsonObject o;
        o.set("kind", "n").set("i", i);
        log.add(uint64_t(2 - i % 3), o);
    }
    std::istringstream in(log.str());
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "{\"kind\":\"run\",\"t_ps\":0,\"format\":1,\"trace\":\"t.its\",\"seed\":0,\"config\":{\"cpus\":\"4\"}}");
    int expected_i[3] = {2, 1, 0};  // t=0 holds i%3==2, t=1 i%3==1, t=2 i%3==0
    int count = 0;
    for (int t = 0; t < 3; ++t) {
        for (int i = expected_i[t]; i < 1000; i += 3) {
            ASSERT_TRUE(std::getline(in, line));
            EXPECT_EQ(line, "{\"kind\":\"n\",\"t_ps\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}");
            ++count;
        }
    }
    EXPECT_EQ(count, 1000);
    EXPECT_FALSE(std::getline(in, line));
}

TEST(EventLog, NoHeaderNoLine) {
    EventLog log;
    EXPECT_EQ(log.str(), "");
    JsonObject o;
    o.set("t_ps", 5).set("x", 1);  // no kind: t_ps stays where it is
    log.add(o);
    EXPECT_EQ(log.str(), "{\"t_ps\":5,\"x\":1}\n");
}

}  // namespace
}  // namespace itsim
