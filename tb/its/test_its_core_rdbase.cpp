// ItsCore::resolve_rdbase: which redistributor an RDbase field names
// (IHI 0069: processor number with GITS_TYPER.PTA = 0, PA[51:16] with
// PTA = 1), through the flat lookup set_redistributors builds (a direct
// table for dense encodings, a sorted search otherwise). Plain C++.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "itsim/its/its_core.h"

using namespace itsim;

namespace {

ItsCore core_with(bool pta, const std::vector<RdInfo>& rds) {
    ItsConfig c;
    c.pta = pta;
    ItsCore core(c);
    core.set_redistributors(rds);
    return core;
}

std::vector<RdInfo> by_number(const std::vector<uint32_t>& numbers) {
    std::vector<RdInfo> v;
    for (uint32_t n : numbers) v.push_back(RdInfo{n, 0});
    return v;
}

}  // namespace

TEST(ItsCoreRdbase, ProcessorNumbersInAnyOrderNameTheirIndex) {
    // Given out of order: the index is the position in the list, not the number.
    ItsCore core = core_with(false, by_number({2, 0, 3, 1}));
    EXPECT_EQ(core.resolve_rdbase(2), 0u);
    EXPECT_EQ(core.resolve_rdbase(0), 1u);
    EXPECT_EQ(core.resolve_rdbase(3), 2u);
    EXPECT_EQ(core.resolve_rdbase(1), 3u);
    EXPECT_FALSE(core.resolve_rdbase(4).has_value());
    EXPECT_FALSE(core.resolve_rdbase(~uint64_t{0}).has_value());
}

TEST(ItsCoreRdbase, GapsBelowAndInsideTheNumbersResolveToNothing) {
    ItsCore core = core_with(false, by_number({10, 12, 15}));
    EXPECT_FALSE(core.resolve_rdbase(9).has_value());    // below the least: no wrap into the table
    EXPECT_FALSE(core.resolve_rdbase(0).has_value());
    EXPECT_EQ(core.resolve_rdbase(10), 0u);
    EXPECT_FALSE(core.resolve_rdbase(11).has_value());
    EXPECT_EQ(core.resolve_rdbase(12), 1u);
    EXPECT_EQ(core.resolve_rdbase(15), 2u);
    EXPECT_FALSE(core.resolve_rdbase(16).has_value());
}

TEST(ItsCoreRdbase, SparseNumbersAndPhysicalAddressesAreSearched) {
    ItsCore sparse = core_with(false, by_number({0, 1000000, 7}));
    EXPECT_EQ(sparse.resolve_rdbase(0), 0u);
    EXPECT_EQ(sparse.resolve_rdbase(1000000), 1u);
    EXPECT_EQ(sparse.resolve_rdbase(7), 2u);
    EXPECT_FALSE(sparse.resolve_rdbase(8).has_value());
    EXPECT_FALSE(sparse.resolve_rdbase(999999).has_value());

    // PTA = 1: RDbase is the frame's PA >> 16; frames 128 KiB apart (two
    // 64 KiB frames each), and one far away.
    std::vector<RdInfo> rds = {{0, 0x2f100000}, {1, 0x2f120000}, {2, 0x8000000000}};
    ItsCore pa = core_with(true, rds);
    EXPECT_EQ(pa.resolve_rdbase(0x2f100000 >> 16), 0u);
    EXPECT_EQ(pa.resolve_rdbase(0x2f120000 >> 16), 1u);
    EXPECT_EQ(pa.resolve_rdbase(0x8000000000 >> 16), 2u);
    EXPECT_FALSE(pa.resolve_rdbase(0x2f110000 >> 16).has_value());   // the first one's second frame
    EXPECT_FALSE(pa.resolve_rdbase(0).has_value());                   // a processor number means nothing now
    EXPECT_FALSE(pa.resolve_rdbase(1).has_value());
}

TEST(ItsCoreRdbase, TwoRedistributorsWithOneEncodingAreRefused) {
    EXPECT_THROW(core_with(false, by_number({0, 1, 1})), std::invalid_argument);
    std::vector<RdInfo> same_pa = {{0, 0x2f100000}, {1, 0x2f100000}};
    EXPECT_THROW(core_with(true, same_pa), std::invalid_argument);
    EXPECT_NO_THROW(core_with(false, {}));   // none: everything resolves to nothing
    EXPECT_FALSE(core_with(false, {}).resolve_rdbase(0).has_value());
}
