// build::vmapp's Default_Doorbell by GIC version: GICv4.1 with V=1 names no
// doorbell (1023, IHI 0069: the "no doorbell" INTID), which a GICv4.1 ITS
// accepts, where the 0 it used to leave is an SPI's number and is refused
// (VMAPP_PHYSICALID_OOR); GICv4.0 (the bits are RES0) and the v4.1 unmap
// (Linux encodes only vPEID, V and Alloc) leave DW1[31:0] at 0.
#include "its_virtual_fixture.h"

namespace {

uint32_t dw1_low(const ItsCommand& c) { return uint32_t(encode(c)[1] & 0xFFFFFFFFu); }

TEST(VmappBuilder, DefaultDoorbellByVersion) {
    const ItsCommand v41 = vmapp(3, 1, vpt_of(3), 15, true, GicVersion::v4_1);
    EXPECT_EQ(v41.default_doorbell, 1023u);
    EXPECT_EQ(dw1_low(v41), 1023u);
    EXPECT_EQ((encode(v41)[1] >> 32) & 0xFFFF, 3u);   // vPEID beside it
    EXPECT_EQ(decode(encode(v41)).default_doorbell, 1023u);
    const ItsCommand v40 = vmapp(3, 1, vpt_of(3), 15, true, GicVersion::v4_0);
    EXPECT_EQ(dw1_low(v40), 0u);
    EXPECT_EQ(dw1_low(vmapp(3, 1, vpt_of(3), 15)), 0u);   // the default version: v4.0
    EXPECT_EQ(dw1_low(vmapp(3, 0, 0, 0, false, GicVersion::v4_1)), 0u);
    // Only Default_Doorbell differs between the versions' words.
    CmdWords a = encode(v41), b = encode(v40);
    a[1] &= ~uint64_t{0xFFFFFFFF};
    b[1] &= ~uint64_t{0xFFFFFFFF};
    EXPECT_EQ(a, b);
}

class VmappBuilderCore : public VirtTest {};

TEST_F(VmappBuilderCore, Gicv41ItsAcceptsTheBuildersVmapp) {
    make(GicVersion::v4_1);
    ItsCommand zero = vmapp(4, 1, vpt_of(4), 15, true, GicVersion::v4_0);   // Default_Doorbell 0
    EXPECT_EQ(run(zero).status, 0x012906u);                                  // VMAPP_PHYSICALID_OOR
    EXPECT_EQ(vte_words(4)[0] >> 63, 0u);                                    // nothing written
    ok(vmapp(4, 1, vpt_of(4), 15, true, GicVersion::v4_1));
    const ItsVte e = decode_vte(vte_words(4));
    EXPECT_TRUE(e.valid);
    EXPECT_EQ(e.vpt_addr, vpt_of(4));
    EXPECT_EQ(e.default_doorbell, 1023u);
    // The unmap the builder makes for v4.1 (Default_Doorbell 0) is accepted:
    // V=0 checks no doorbell.
    ok(vmapp(4, 0, 0, 0, false, GicVersion::v4_1));
    EXPECT_FALSE(decode_vte(vte_words(4)).valid);
}

TEST_F(VmappBuilderCore, Gicv40ItsTakesTheV40Form) {
    make(GicVersion::v4_0);
    ok(vmapp(4, 2, vpt_of(4), 15, true, GicVersion::v4_0));
    const ItsVte e = decode_vte(vte_words(4));
    EXPECT_TRUE(e.valid);
    EXPECT_EQ(e.rdbase, 2u);
}

}  // namespace
