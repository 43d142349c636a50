// Entry formats, BASER decoding and entry location (its_tables.h).
#include <gtest/gtest.h>

#include "itsim/its/its_tables.h"

using namespace itsim;

TEST(ItsTables, DteLayout) {
    ItsDte d{true, 0x0000'1234'5678'9A00ull, 4};
    EXPECT_EQ(encode_dte(d), 0x8000'1234'5678'9A04ull);
    // ITT address bits 7:0 and 63:52 never reach the entry.
    d.itt_addr = 0xFFF0'0000'0000'01FFull;
    EXPECT_EQ(encode_dte(d), 0x8000'0000'0000'0104ull);
    EXPECT_EQ(encode_dte(ItsDte{false, 0x1000, 3}), 0u);   // invalid = all zero
    const ItsDte back = decode_dte(0x8000'000F'FFFF'FF1Full);
    EXPECT_TRUE(back.valid);
    EXPECT_EQ(back.itt_addr, 0x000F'FFFF'FF00ull);
    EXPECT_EQ(back.size, 31);
    EXPECT_EQ(back.event_count(), uint64_t{1} << 32);
    EXPECT_FALSE(decode_dte(0x0000'0000'0010'0004ull).valid);
}

TEST(ItsTables, IteLayout) {
    ItsIte i{true, true, 0xBEEF, 0x12345678};
    EXPECT_EQ(encode_ite(i), 0xC000'BEEF'1234'5678ull);
    const ItsIte b = decode_ite(0x8000'0002'0000'2003ull);   // IntType 0
    EXPECT_TRUE(b.valid);
    EXPECT_FALSE(b.physical);
    EXPECT_EQ(b.icid, 2);
    EXPECT_EQ(b.intid, 8195u);
    EXPECT_EQ(encode_ite(ItsIte{}), 0u);
}

TEST(ItsTables, CteAndL1Layout) {
    EXPECT_EQ(encode_cte(ItsCte{true, 0xF'FFFF'FFFFull}), 0x8000'000F'FFFF'FFFFull);
    EXPECT_EQ(encode_cte(ItsCte{true, 0x1F'0000'0003ull}), 0x8000'000F'0000'0003ull);   // 36 bits
    EXPECT_EQ(decode_cte(0x8000'0000'0000'0007ull).rdbase, 7u);
    EXPECT_EQ(encode_l1(true, 0x000F'FFFF'FFFF'F123ull), 0x800F'FFFF'FFFF'F000ull);
    EXPECT_EQ(l1_page_addr(0x8000'0000'0123'4000ull, 4096), 0x1234000u);
    EXPECT_EQ(l1_page_addr(0x8000'0000'0123'4000ull, 16384), 0x1234000u);
    EXPECT_EQ(l1_page_addr(0x8000'0000'0123'4000ull, 65536), 0x1230000u);
    EXPECT_EQ(kItsEntrySizeField, 7u);
}

TEST(ItsTables, BaserDecode) {
    // Device table, 4K pages, 3 pages, flat, at 0x4001_2000.
    const uint64_t b4 = baser::kValid | (uint64_t{1} << 56) | (uint64_t{7} << 48) | 0x4001'2000ull | 2;
    TableGeometry t = decode_baser(b4);
    EXPECT_EQ(baser_type(b4), BaserType::device);
    EXPECT_TRUE(t.valid);
    EXPECT_FALSE(t.indirect);
    EXPECT_EQ(t.base, 0x4001'2000ull);
    EXPECT_EQ(t.page_bytes, 4096u);
    EXPECT_EQ(t.pages, 3u);
    EXPECT_EQ(t.entry_bytes, 8u);
    EXPECT_EQ(t.capacity(), 3u * 512);
    // 16K pages: bits 13:12 of the address are ignored.
    const uint64_t b16 = baser::kValid | (uint64_t{4} << 56) | (uint64_t{7} << 48) | (1u << 8) | 0x4001'7000ull;
    t = decode_baser(b16);
    EXPECT_EQ(baser_type(b16), BaserType::collection);
    EXPECT_EQ(t.page_bytes, 16384u);
    EXPECT_EQ(t.base, 0x4001'4000ull);
    // 64K pages: PA[51:48] in bits 15:12.
    const uint64_t b64 = baser::kValid | baser::kIndirect | (uint64_t{7} << 48) | (2u << 8) |
                         0x0000'8765'4321'0000ull | (0xAull << 12) | 0xFF;
    t = decode_baser(b64);
    EXPECT_EQ(t.page_bytes, 65536u);
    EXPECT_EQ(t.base, 0x000A'8765'4321'0000ull);
    EXPECT_TRUE(t.indirect);
    EXPECT_EQ(t.pages, 256u);
    // Two-level capacity: 256 * 64K / 8 descriptors, 8192 entries each.
    EXPECT_EQ(t.capacity(), uint64_t{256} * 8192 * 8192);
    // Reserved Page_Size 0b11 decodes as 64K.
    EXPECT_EQ(baser_page_bytes(3u << 8), 65536u);
    EXPECT_FALSE(decode_baser(b4 & ~baser::kValid).valid);
    EXPECT_EQ(decode_baser(b4 & ~baser::kValid).capacity(), 0u);
}

TEST(ItsTables, MaxIdsIsMinOfBitsAndCapacity) {
    TableGeometry t;
    t.valid = true;
    t.pages = 2;
    t.page_bytes = 4096;
    EXPECT_EQ(t.max_ids(16), 1024u);   // capacity bound
    EXPECT_EQ(t.max_ids(8), 256u);     // bits bound
    t.indirect = true;
    EXPECT_EQ(t.max_ids(32), uint64_t{1024} * 512);
    t.valid = false;
    EXPECT_EQ(t.max_ids(16), 0u);
}

TEST(ItsTables, LocateFlat) {
    TableGeometry t;
    t.valid = true;
    t.base = 0x10000;
    t.pages = 1;
    EntryLocation l = locate_entry(t, 511, 16);
    EXPECT_EQ(l.kind, EntryLocation::entry);
    EXPECT_EQ(l.addr, 0x10000u + 511 * 8);
    EXPECT_EQ(locate_entry(t, 512, 16).kind, EntryLocation::out_of_range);
    EXPECT_EQ(locate_entry(t, 4, 2).kind, EntryLocation::out_of_range);   // 2 ID bits: 0..3
}

TEST(ItsTables, LocateTwoLevelAllPageSizes) {
    for (uint32_t page : {4096u, 16384u, 65536u}) {
        TableGeometry t;
        t.valid = true;
        t.indirect = true;
        t.base = 0x100000;
        t.page_bytes = page;
        t.pages = 1;
        const uint64_t per = page / 8;
        const uint64_t id = 3 * per + 5;   // fourth level-2 page, sixth entry
        EntryLocation l = locate_entry(t, id, 32);
        ASSERT_EQ(l.kind, EntryLocation::needs_l1) << page;
        EXPECT_EQ(l.addr, 0x100000u + 3 * 8) << page;
        uint64_t a = 0;
        EXPECT_FALSE(l2_entry_addr(t, id, 0x0000'0000'0080'0000ull, &a));   // not valid
        ASSERT_TRUE(l2_entry_addr(t, id, encode_l1(true, 0x800000), &a));
        EXPECT_EQ(a, 0x800000u + 5 * 8) << page;
        EXPECT_EQ(locate_entry(t, per * per, 32).kind, EntryLocation::out_of_range) << page;
    }
}
