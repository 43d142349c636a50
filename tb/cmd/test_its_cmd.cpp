// ITS command encoding: every physical command against hand-computed words
// (IHI 0069 layout, its-facts.md 2.1), decode back, truncation at the
// architected widths, unknown opcodes, byte images, the error-code table.
#include <gtest/gtest.h>

#include <string>

#include "itsim/common/its_cmd.h"

namespace itsim {
namespace {

ItsCommand make(ItsOpcode op) {
    ItsCommand c;
    c.opcode = static_cast<uint8_t>(op);
    return c;
}

// encode(c) == expected, and decode(expected) gives back c's fields with raw set.
void check_round_trip(const ItsCommand& c, const CmdWords& expected) {
    const CmdWords w = encode(c);
    EXPECT_EQ(w[0], expected[0]) << to_string(c);
    EXPECT_EQ(w[1], expected[1]) << to_string(c);
    EXPECT_EQ(w[2], expected[2]) << to_string(c);
    EXPECT_EQ(w[3], expected[3]) << to_string(c);
    const ItsCommand d = decode(expected);
    EXPECT_EQ(d.opcode, c.opcode);
    EXPECT_EQ(d.device, c.device);
    EXPECT_EQ(d.event, c.event);
    EXPECT_EQ(d.intid, c.intid);
    EXPECT_EQ(d.icid, c.icid);
    EXPECT_EQ(d.itt_addr, c.itt_addr);
    EXPECT_EQ(d.size, c.size);
    EXPECT_EQ(d.valid, c.valid);
    EXPECT_EQ(d.rdbase, c.rdbase);
    EXPECT_EQ(d.rdbase2, c.rdbase2);
    EXPECT_EQ(d.raw, expected);
    EXPECT_TRUE(d == c) << to_string(d) << " vs " << to_string(c);
}

TEST(ItsCmd, OpcodeNames) {
    EXPECT_STREQ(opcode_name(0x01), "MOVI");
    EXPECT_STREQ(opcode_name(0x03), "INT");
    EXPECT_STREQ(opcode_name(0x04), "CLEAR");
    EXPECT_STREQ(opcode_name(0x05), "SYNC");
    EXPECT_STREQ(opcode_name(0x08), "MAPD");
    EXPECT_STREQ(opcode_name(0x09), "MAPC");
    EXPECT_STREQ(opcode_name(0x0A), "MAPTI");
    EXPECT_STREQ(opcode_name(0x0B), "MAPI");
    EXPECT_STREQ(opcode_name(0x0C), "INV");
    EXPECT_STREQ(opcode_name(0x0D), "INVALL");
    EXPECT_STREQ(opcode_name(0x0E), "MOVALL");
    EXPECT_STREQ(opcode_name(0x0F), "DISCARD");
    for (uint8_t op : {0x00, 0x02, 0x06, 0x07, 0x10, 0x21, 0x2A, 0xFF}) {
        EXPECT_EQ(opcode_name(op), nullptr) << int(op);
        EXPECT_FALSE(is_known_opcode(op)) << int(op);
    }
    int known = 0;
    for (int op = 0; op < 256; ++op) {
        if (!is_known_opcode(static_cast<uint8_t>(op))) continue;
        ++known;
        auto back = opcode_from_name(opcode_name(static_cast<uint8_t>(op)));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(static_cast<int>(*back), op);
    }
    EXPECT_EQ(known, 12);
    EXPECT_EQ(opcode_from_name("MAPTI"), ItsOpcode::MAPTI);
    EXPECT_FALSE(opcode_from_name("mapti").has_value());
    EXPECT_FALSE(opcode_from_name("VMAPTI").has_value());
    EXPECT_FALSE(opcode_from_name("").has_value());
}

TEST(ItsCmd, Mapd) {
    ItsCommand c = make(ItsOpcode::MAPD);
    c.device = 0x10;
    c.itt_addr = 0x40001000;
    c.size = 4;
    c.valid = true;
    check_round_trip(c, {0x0000001000000008, 0x4, 0x8000000040001000, 0});
    c.valid = false;
    c.size = 31;
    c.device = 0xFFFFFFFF;
    c.itt_addr = 0x000FFFFFFFFFFF00;
    check_round_trip(c, {0xFFFFFFFF00000008, 0x1F, 0x000FFFFFFFFFFF00, 0});
}

TEST(ItsCmd, Mapc) {
    ItsCommand c = make(ItsOpcode::MAPC);
    c.icid = 3;
    c.rdbase = 2;
    c.valid = true;
    check_round_trip(c, {0x9, 0, 0x8000000000020003, 0});
    c.icid = 0xFFFF;
    c.rdbase = 0xFFFFFFFFF;  // 36 bits
    c.valid = false;
    check_round_trip(c, {0x9, 0, 0x000FFFFFFFFFFFFF, 0});
}

TEST(ItsCmd, Mapti) {
    ItsCommand c = make(ItsOpcode::MAPTI);
    c.device = 0x12345678;
    c.event = 0x9ABC;
    c.intid = 8195;
    c.icid = 7;
    check_round_trip(c, {0x123456780000000A, 0x0000200300009ABC, 0x7, 0});
}

TEST(ItsCmd, Mapi) {
    ItsCommand c = make(ItsOpcode::MAPI);
    c.device = 5;
    c.event = 17;
    c.icid = 0xFFFF;
    check_round_trip(c, {0x000000050000000B, 0x11, 0xFFFF, 0});
}

TEST(ItsCmd, Movi) {
    ItsCommand c = make(ItsOpcode::MOVI);
    c.device = 0xFFFFFFFF;
    c.event = 0xFFFFFFFF;
    c.icid = 1;
    check_round_trip(c, {0xFFFFFFFF00000001, 0x00000000FFFFFFFF, 0x1, 0});
}

TEST(ItsCmd, Movall) {
    ItsCommand c = make(ItsOpcode::MOVALL);
    c.rdbase = 1;
    c.rdbase2 = 3;
    check_round_trip(c, {0xE, 0, 0x10000, 0x30000});
}

TEST(ItsCmd, DeviceEventCommands) {
    ItsCommand c = make(ItsOpcode::DISCARD);
    c.device = 2;
    c.event = 3;
    check_round_trip(c, {0x000000020000000F, 0x3, 0, 0});
    c.opcode = 0x04;  // CLEAR
    check_round_trip(c, {0x0000000200000004, 0x3, 0, 0});
    c.opcode = 0x03;  // INT
    c.device = 0x20;
    c.event = 0;
    check_round_trip(c, {0x0000002000000003, 0, 0, 0});
    c.opcode = 0x0C;  // INV
    c.device = 1;
    c.event = 0x100;
    check_round_trip(c, {0x000000010000000C, 0x100, 0, 0});
}

TEST(ItsCmd, InvallAndSync) {
    ItsCommand c = make(ItsOpcode::INVALL);
    c.icid = 0x1234;
    check_round_trip(c, {0xD, 0, 0x1234, 0});
    ItsCommand s = make(ItsOpcode::SYNC);
    s.rdbase = 0xFFFFFFFFF;
    check_round_trip(s, {0x5, 0, 0x000FFFFFFFFF0000, 0});
    s.rdbase = 3;
    check_round_trip(s, {0x5, 0, 0x30000, 0});
}

TEST(ItsCmd, EncodeTruncatesToArchitectedWidths) {
    ItsCommand c = make(ItsOpcode::MAPC);
    c.icid = 0x12345;                        // 16 bits kept
    c.rdbase = (uint64_t{1} << 36) | 5;      // 36 bits kept
    c.valid = true;
    EXPECT_EQ(encode(c)[2], 0x8000000000052345u);
    ItsCommand d = make(ItsOpcode::MAPD);
    d.size = 0x25;                           // 5 bits kept
    d.itt_addr = 0xFFFFFFFFFFFFFFFF;         // bits [51:8] kept
    EXPECT_EQ(encode(d)[1], 0x5u);
    EXPECT_EQ(encode(d)[2], 0x000FFFFFFFFFFF00u);
    ItsCommand m = make(ItsOpcode::MOVALL);
    m.rdbase = 0xFFFFFFFFFFFFFFFF;
    m.rdbase2 = 0xF000000000000001;
    EXPECT_EQ(encode(m)[2], 0x000FFFFFFFFF0000u);
    EXPECT_EQ(encode(m)[3], 0x0000000000010000u);
}

TEST(ItsCmd, EncodeIgnoresFieldsTheOpcodeDoesNotCarry) {
    ItsCommand c = make(ItsOpcode::INT);
    c.device = 1;
    c.event = 2;
    c.icid = 0x55;          // INT has no ICID
    c.intid = 9000;         // nor pINTID
    c.valid = true;
    c.raw = {1, 2, 3, 4};   // raw is not used for a known opcode
    EXPECT_EQ(encode(c), (CmdWords{0x0000000100000003, 2, 0, 0}));
    // MAPI has no pINTID field: intid is ignored, and decodes to 0.
    ItsCommand m = make(ItsOpcode::MAPI);
    m.intid = 8200;
    m.event = 4;
    EXPECT_EQ(encode(m)[1], 4u);
    EXPECT_EQ(decode(encode(m)).intid, 0u);
}

TEST(ItsCmd, DecodeIgnoresRes0BitsButKeepsRaw) {
    // MAPD with RES0 bits set in every word around the fields.
    CmdWords w{0x00000010FFFFFF08, 0xFFFFFFFFFFFFFFE4, 0xFFF00000400010FF, 0x123};
    ItsCommand d = decode(w);
    EXPECT_EQ(d.opcode, 0x08);
    EXPECT_EQ(d.device, 0x10u);
    EXPECT_EQ(d.size, 4);
    EXPECT_EQ(d.itt_addr, 0x40001000u);
    EXPECT_TRUE(d.valid);
    EXPECT_EQ(d.raw, w);
    EXPECT_EQ(encode(d), (CmdWords{0x0000001000000008, 0x4, 0x8000000040001000, 0}));
    // MAPTI: ICID is only DW2[15:0].
    ItsCommand t = decode({0x0A, 0, 0xFFFFFFFFFFFF0003, 0});
    EXPECT_EQ(t.icid, 3u);
    // SYNC: RDbase is DW2[51:16].
    ItsCommand s = decode({0x05, 0, 0xFFFFFFFFFFFFFFFF, 0});
    EXPECT_EQ(s.rdbase, 0xFFFFFFFFFu);
}

TEST(ItsCmd, UnknownOpcodeRoundTrip) {
    const CmdWords w{0xDEADBEEF00000042, 1, 0x8000000000000002, 3};
    ItsCommand d = decode(w);
    EXPECT_EQ(d.opcode, 0x42);
    EXPECT_EQ(d.device, 0u);
    EXPECT_EQ(d.event, 0u);
    EXPECT_EQ(d.icid, 0u);
    EXPECT_EQ(d.rdbase, 0u);
    EXPECT_FALSE(d.valid);
    EXPECT_EQ(d.raw, w);
    EXPECT_EQ(encode(d), w);
    // A GICv4 opcode is unknown to this GICv3 decoder.
    ItsCommand v = decode({0x2A, 0, 0, 0});
    EXPECT_EQ(v.opcode, 0x2A);
    EXPECT_EQ(to_string(v), "UNKNOWN opcode=0x2a raw=0x2a,0x0,0x0,0x0");
    // Unknown commands compare by their raw words.
    ItsCommand e = decode({0xDEADBEEF00000042, 1, 0x8000000000000002, 4});
    EXPECT_FALSE(d == e);
    EXPECT_TRUE(d == decode(w));
}

TEST(ItsCmd, Equality) {
    ItsCommand a = make(ItsOpcode::MAPTI);
    a.device = 1;
    a.event = 2;
    a.intid = 8192;
    a.icid = 3;
    ItsCommand b = a;
    EXPECT_TRUE(a == b);
    b.intid = 8193;
    EXPECT_FALSE(a == b);
    b = a;
    b.opcode = static_cast<uint8_t>(ItsOpcode::MAPI);
    EXPECT_FALSE(a == b);
    b = a;
    b.valid = true;  // MAPTI carries no V: not part of the command
    EXPECT_TRUE(a == b);
}

TEST(ItsCmd, BytesAreLittleEndian) {
    const CmdWords w{0x0000001000000008, 0x4, 0x8000000040001000, 0x0102030405060708};
    uint8_t bytes[32];
    to_bytes(w, bytes);
    const uint8_t expected[32] = {
        0x08, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,  //
        0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  //
        0x00, 0x10, 0x00, 0x40, 0x00, 0x00, 0x00, 0x80,  //
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
    };
    for (int i = 0; i < 32; ++i) EXPECT_EQ(bytes[i], expected[i]) << "byte " << i;
    EXPECT_EQ(from_bytes(expected), w);
}

TEST(ItsCmd, ToString) {
    ItsCommand c = make(ItsOpcode::MAPTI);
    c.device = 0x10;
    c.event = 3;
    c.intid = 8195;
    c.icid = 1;
    EXPECT_EQ(to_string(c), "MAPTI device=0x10 event=3 intid=8195 icid=1");
    ItsCommand d = make(ItsOpcode::MAPD);
    d.device = 0x10;
    d.itt_addr = 0x40001000;
    d.size = 4;
    d.valid = true;
    EXPECT_EQ(to_string(d), "MAPD device=0x10 itt=0x40001000 size=4 valid=1");
    ItsCommand m = make(ItsOpcode::MOVALL);
    m.rdbase = 1;
    m.rdbase2 = 2;
    EXPECT_EQ(to_string(m), "MOVALL rdbase1=1 rdbase2=2");
    ItsCommand s = make(ItsOpcode::SYNC);
    s.rdbase = 3;
    EXPECT_EQ(to_string(s), "SYNC rdbase=3");
    ItsCommand p = make(ItsOpcode::MAPC);
    p.icid = 2;
    p.rdbase = 1;
    EXPECT_EQ(to_string(p), "MAPC icid=2 rdbase=1 valid=0");
}

// Command error codes: values from the sources named in its_cmd.h (GIC-600AE
// TRM tables, Linux E_ITS_*, QNX GITS_ERR_*, uvmm Cmd::Err), typed in here
// independently of the table.
TEST(ItsCmdErrors, NamedCodesHaveTheDocumentedValues) {
    using namespace cmd_error;
    EXPECT_EQ(kIntDeviceOutOfRange, 0x010301u);
    EXPECT_EQ(kIntUnmappedDevice, 0x010304u);
    EXPECT_EQ(kIntEventOutOfRange, 0x010305u);
    EXPECT_EQ(kIntUnmappedInterrupt, 0x010307u);
    EXPECT_EQ(kIntUnmappedCollection, 0x010307u);
    EXPECT_EQ(kClearDeviceOutOfRange, 0x010501u);   // CLEAR's codes are 0x0105xx, not 0x0104xx
    EXPECT_EQ(kClearUnmappedDevice, 0x010504u);
    EXPECT_EQ(kClearEventOutOfRange, 0x010505u);
    EXPECT_EQ(kClearUnmappedInterrupt, 0x010507u);
    EXPECT_EQ(kClearUnmappedCollection, 0x010507u);
    EXPECT_EQ(kInvDeviceOutOfRange, 0x010C01u);
    EXPECT_EQ(kInvUnmappedDevice, 0x010C04u);
    EXPECT_EQ(kInvEventOutOfRange, 0x010C05u);
    EXPECT_EQ(kInvUnmappedInterrupt, 0x010C07u);
    EXPECT_EQ(kInvUnmappedCollection, 0x010C07u);
    EXPECT_EQ(kDiscardDeviceOutOfRange, 0x010F01u);
    EXPECT_EQ(kDiscardUnmappedDevice, 0x010F04u);
    EXPECT_EQ(kDiscardEventOutOfRange, 0x010F05u);
    EXPECT_EQ(kDiscardUnmappedInterrupt, 0x010F07u);
    EXPECT_EQ(kDiscardUnmappedCollection, 0x010F07u);
    EXPECT_EQ(kMoviDeviceOutOfRange, 0x010101u);
    EXPECT_EQ(kMoviIcidOutOfRange, 0x010103u);
    EXPECT_EQ(kMoviUnmappedDevice, 0x010104u);
    EXPECT_EQ(kMoviEventOutOfRange, 0x010105u);
    EXPECT_EQ(kMoviUnmappedInterrupt, 0x010107u);
    EXPECT_EQ(kMoviUnmappedCollection, 0x010109u);
    EXPECT_EQ(kMapdDeviceOutOfRange, 0x010801u);
    EXPECT_EQ(kMapdSizeOutOfRange, 0x010802u);
    EXPECT_EQ(kMapcRdbaseOutOfRange, 0x010902u);
    EXPECT_EQ(kMapcIcidOutOfRange, 0x010903u);
    EXPECT_EQ(kMaptiDeviceOutOfRange, 0x010A01u);
    EXPECT_EQ(kMaptiIcidOutOfRange, 0x010A03u);
    EXPECT_EQ(kMaptiUnmappedDevice, 0x010A04u);
    EXPECT_EQ(kMaptiEventOutOfRange, 0x010A05u);
    EXPECT_EQ(kMaptiIntidOutOfRange, 0x010A06u);
    EXPECT_EQ(kMapiDeviceOutOfRange, 0x010B01u);
    EXPECT_EQ(kMapiIcidOutOfRange, 0x010B03u);
    EXPECT_EQ(kMapiUnmappedDevice, 0x010B04u);
    EXPECT_EQ(kMapiEventOutOfRange, 0x010B05u);
    EXPECT_EQ(kMapiIntidOutOfRange, 0x010B06u);
    EXPECT_EQ(kInvallIcidOutOfRange, 0x010D03u);
    EXPECT_EQ(kInvallUnmappedCollection, 0x010D09u);
    EXPECT_EQ(kMovallRdbaseOutOfRange, 0x010E01u);
}

TEST(ItsCmdErrors, Names) {
    using namespace cmd_error;
    EXPECT_STREQ(code_name(0x010304), "INT_UNMAPPED_DEVICE");
    EXPECT_STREQ(code_name(kMoviEventOutOfRange), "MOVI_ID_OOR");
    EXPECT_STREQ(code_name(kClearUnmappedCollection), "CLEAR_UNMAPPED_INTERRUPT");
    EXPECT_STREQ(code_name(kMapcRdbaseOutOfRange), "MAPC_PROCNUM_OOR");
    EXPECT_STREQ(code_name(0x010F10), "DISCARD_ITE_INVALID");   // listed, never reported
    EXPECT_STREQ(code_name(unknown_opcode(0x42)), "UNSUPPORTED_CMD");
    EXPECT_EQ(code_name(0), nullptr);
    EXPECT_EQ(code_name(0x010309), nullptr);   // INT_UNMAPPED_COLLECTION: in no source
    EXPECT_EQ(code_name(0x0103FF), nullptr);   // 0xFF with a known opcode is not unknown_opcode()
    EXPECT_EQ(code_name(0x020307), nullptr);
    EXPECT_EQ(code_named("INT_ID_OOR"), 0x010305u);
    EXPECT_EQ(code_named("INT_UNMAPPED_COLLECTION"), 0u);
}

TEST(ItsCmdErrors, TableRows) {
    using namespace cmd_error;
    unsigned patterns = 0;
    for (const ErrorCode& e : kErrorCodes) {
        // The mnemonic starts with the command's name and an underscore.
        const std::string prefix = std::string(command_info(e.command)->name) + "_";
        EXPECT_EQ(std::string(e.name).rfind(prefix, 0), 0u) << e.name;
        EXPECT_EQ(find_code(e.code), &e) << e.name;
        EXPECT_NE(std::string(e.source), "") << e.name;
        if (e.basis == Basis::pattern) {
            EXPECT_EQ(std::string(e.source).rfind("pattern", 0), 0u) << e.name;
            if (!is_virtual(uint8_t(e.command))) ++patterns;
        } else if (is_virtual(uint8_t(e.command))) {
            EXPECT_EQ(std::string(e.source), "QNX") << e.name;   // the one source of GICv4 codes
        }
    }
    // Of the physical commands' codes only MAPI_PHYSICALID_OOR,
    // DISCARD_UNMAPPED_DEVICE and (GICv4: MOVI of a virtual ITE)
    // MOVI_ITE_INVALID are in no source.
    EXPECT_EQ(patterns, 3u);
    EXPECT_EQ(find_code(kMoviIteInvalid)->basis, Basis::pattern);
    EXPECT_EQ(find_code(0x012514)->basis, Basis::documented);   // VSYNC_VCPU_INVALID, QNX
    EXPECT_EQ(find_code(kMapiIntidOutOfRange)->basis, Basis::pattern);
    EXPECT_EQ(find_code(kDiscardUnmappedDevice)->basis, Basis::pattern);
    EXPECT_EQ(find_code(kIntUnmappedDevice)->basis, Basis::documented);
    EXPECT_EQ(command_byte(ItsOpcode::CLEAR), 0x05);
    EXPECT_EQ(command_byte(ItsOpcode::DISCARD), 0x0F);
}

}  // namespace
}  // namespace itsim
