// GICv4 table formats (its_tables.h, format version 2): the 16-byte ITE
// and the vPE table entry against hand-computed bytes.
#include <gtest/gtest.h>

#include "itsim/its/its_tables.h"

using namespace itsim;

namespace {

TEST(ItsVirtualTables, IteFormat2) {
    // Virtual: Valid[63], IntType[62] = 0, vPEID[47:32], vINTID[31:0];
    // word 1 = Dbell_pINTID.
    ItsIte v{true, false, 5, 8200, 8300};
    EXPECT_EQ(encode_ite2(v), (IteWords{0x8000'0005'0000'2008ull, 0x206Cull}));
    // Physical: IntType = 1, ICID, pINTID; word 1 written 0.
    ItsIte p{true, true, 2, 8195};
    EXPECT_EQ(encode_ite2(p), (IteWords{0xC000'0002'0000'2003ull, 0}));
    EXPECT_EQ(encode_ite2(ItsIte{}), (IteWords{0, 0}));
    const ItsIte back = decode_ite2({0x8000'FFFF'0001'0000ull, 0xFFFF'FFFF'0000'03FFull});
    EXPECT_TRUE(back.valid);
    EXPECT_FALSE(back.physical);
    EXPECT_EQ(back.vpeid(), 0xFFFFu);
    EXPECT_EQ(back.intid, 0x10000u);
    EXPECT_EQ(back.doorbell, 1023u);   // the low 32 bits of word 1
    // A physical ITE's word 1 is ignored: its doorbell reads 1023.
    EXPECT_EQ(decode_ite2({0xC000'0001'0000'2000ull, 0x2222}).doorbell, 1023u);
    EXPECT_EQ(ite_bytes(GicVersion::v3), 8u);
    EXPECT_EQ(ite_bytes(GicVersion::v4_0), 16u);
    EXPECT_EQ(itt_entry_size_field(GicVersion::v4_1), 15u);
    EXPECT_EQ(ite_addr(0x10000, 3, 16), 0x10030u);
}

TEST(ItsVirtualTables, VteLayout) {
    // Valid, VPT_size 15 at [60:56], VPT PA[51:16] in place; RDbase; VCONF
    // PA[51:16]; Default_Doorbell.
    ItsVte e{true, 0x0123'4567'0000ull, 15, 3, 0x0089'0000ull, 8500};
    EXPECT_EQ(encode_vte(e), (VteWords{0x8F00'0123'4567'0000ull, 3, 0x0089'0000ull, 0x2134}));
    // Address bits below 16 and above 51, size bits above 4, RDbase above 35: dropped.
    ItsVte w{true, 0xFFF1'2345'6789'ABCDull, 0xFF, 0xFF'FFFF'FFFFull, 0x1'FFFFull, 1023};
    EXPECT_EQ(encode_vte(w), (VteWords{0x9F01'2345'6789'0000ull, 0xF'FFFF'FFFFull, 0x1'0000ull, 1023}));
    EXPECT_EQ(encode_vte(ItsVte{}), (VteWords{0, 0, 0, 0}));
    const ItsVte back = decode_vte({0x8500'0000'0042'0000ull, 0x7, 0x0003'0000ull, 0x2001});
    EXPECT_TRUE(back.valid);
    EXPECT_EQ(back.vpt_size, 5u);
    EXPECT_EQ(back.vpt_addr, 0x42'0000ull);
    EXPECT_EQ(back.rdbase, 7u);
    EXPECT_EQ(back.vconf_addr, 0x3'0000ull);
    EXPECT_EQ(back.default_doorbell, 0x2001u);
    EXPECT_FALSE(decode_vte({0x0500'0000'0042'0000ull, 1, 0, 0}).valid);
    EXPECT_EQ(kVteEntrySizeField, 31u);
}

}  // namespace
