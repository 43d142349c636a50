// `itsim dts`: the source compiles with dtc (Debian's device-tree-compiler)
// and holds the addresses of the configuration it was given.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#ifndef ITSIM_SOURCE_DIR
#define ITSIM_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}

TEST(Dts, CompilesWithDtcAndHoldsTheConfiguredAddresses) {
    const fs::path dir = fs::temp_directory_path() / ("itsim_dts_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string src = (dir / "gic.dts").string(), dtb = (dir / "gic.dtb").string(),
                      back = (dir / "back.dts").string();
    const std::string run = std::string(ITSIM_BINARY) +
                            " dts --set cpus=6 --set its.base=0x9000000 --set redist.base=0xA000000"
                            " --set redist.stride=0x40000 --set ram.base=0x80000000 --gicd 0x8800000 > " + src;
    ASSERT_EQ(std::system(run.c_str()), 0);
    // dtc must accept it (warnings allowed, errors not) and give it back.
    ASSERT_EQ(std::system(("dtc -q -I dts -O dtb -o " + dtb + " " + src).c_str()), 0) << slurp(src);
    ASSERT_EQ(std::system(("dtc -q -I dtb -O dts -o " + back + " " + dtb).c_str()), 0);
    const std::string t = slurp(back);
    EXPECT_NE(t.find("compatible = \"arm,gic-v3\";"), std::string::npos);
    EXPECT_NE(t.find("compatible = \"arm,gic-v3-its\";"), std::string::npos);
    EXPECT_NE(t.find("msi-controller;"), std::string::npos);
    EXPECT_NE(t.find("#msi-cells = <0x01>;"), std::string::npos);
    // GICD at 0x8800000, the redistributor region 6 x 0x40000 = 0x180000 at 0xA000000.
    EXPECT_NE(t.find("reg = <0x00 0x8800000 0x00 0x10000 0x00 0xa000000 0x00 0x180000>;"), std::string::npos) << t;
    EXPECT_NE(t.find("redistributor-stride = <0x00 0x40000>;"), std::string::npos);
    EXPECT_NE(t.find("reg = <0x00 0x9000000 0x00 0x20000>;"), std::string::npos);   // the ITS frames
    EXPECT_NE(t.find("memory@80000000"), std::string::npos);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

// The reg cells dtc gives back for a 64-bit address and size.
std::string reg(uint64_t a, uint64_t size) {
    char b[96];
    std::snprintf(b, sizeof b, "reg = <0x%02x 0x%llx 0x%02x 0x%llx>;", unsigned(a >> 32),
                  (unsigned long long)(a & 0xFFFFFFFFu), unsigned(size >> 32), (unsigned long long)(size & 0xFFFFFFFFu));
    return b;
}

size_t count(const std::string& t, const std::string& what) {
    size_t n = 0;
    for (size_t at = t.find(what); at != std::string::npos; at = t.find(what, at + 1)) ++n;
    return n;
}

// dtc's decompiled source of `itsim dts ARGS`.
std::string dts_back(const std::string& args, const std::string& tag) {
    const fs::path dir = fs::temp_directory_path() / ("itsim_dts_" + tag + "_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string src = (dir / "gic.dts").string(), dtb = (dir / "gic.dtb").string(),
                      back = (dir / "back.dts").string();
    std::string t;
    if (std::system((std::string(ITSIM_BINARY) + " dts " + args + " > " + src).c_str()) == 0 &&
        std::system(("dtc -q -I dts -O dtb -o " + dtb + " " + src).c_str()) == 0 &&
        std::system(("dtc -q -I dtb -O dts -o " + back + " " + dtb).c_str()) == 0)
        t = slurp(back);
    std::error_code ec;
    fs::remove_all(dir, ec);
    return t;
}

// GICv4.1 with two ITSs: each ITS is 3 x 64 KiB (control, translation,
// GITS_SGIR), ITS n at its.base + n x 0x30000; the redistributors (4 x 64
// KiB each with GICv4) move after the last ITS since QEMU virt's
// redist.base would overlap the second.
TEST(Dts, GicV41WithTwoItsHasOneMsiControllerEachAndFourFrameRedistributors) {
    const uint64_t its_base = 0x08080000, frames = 3 * 0x10000, cpus = 2, rd_stride = 4 * 0x10000;
    const uint64_t rd_base = its_base + 2 * frames;   // after ITS 1
    const std::string t = dts_back("--set cpus=2 --set gic.version=4.1 --set its.count=2", "v41");
    ASSERT_FALSE(t.empty()) << "itsim dts or dtc failed";
    EXPECT_EQ(count(t, "compatible = \"arm,gic-v3-its\";"), 2u) << t;
    EXPECT_EQ(count(t, "msi-controller;"), 2u) << t;
    char node[64];
    for (uint64_t n = 0; n < 2; ++n) {
        std::snprintf(node, sizeof node, "msi-controller@%llx {", (unsigned long long)(its_base + n * frames));
        EXPECT_NE(t.find(node), std::string::npos) << node << "\n" << t;
        EXPECT_NE(t.find(reg(its_base + n * frames, frames)), std::string::npos) << n << "\n" << t;
    }
    EXPECT_NE(t.find("redistributor-stride = <0x00 0x40000>;"), std::string::npos) << t;
    char gicr[160];
    std::snprintf(gicr, sizeof gicr, "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x%llx 0x00 0x%llx>;",
                  (unsigned long long)rd_base, (unsigned long long)(cpus * rd_stride));
    EXPECT_NE(t.find(gicr), std::string::npos) << gicr << "\n" << t;
}

// GICv4.0, one ITS: 2 frames as with GICv3, at QEMU virt's addresses; the
// redistributor stride 4 frames; an explicit stride wins over the default.
TEST(Dts, GicV40KeepsTwoItsFramesAndTakesAnExplicitStride) {
    std::string t = dts_back("--set gic.version=4.0", "v40");
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(count(t, "msi-controller;"), 1u);
    EXPECT_NE(t.find(reg(0x08080000, 2 * 0x10000)), std::string::npos) << t;
    EXPECT_NE(t.find("redistributor-stride = <0x00 0x40000>;"), std::string::npos) << t;
    EXPECT_NE(t.find("reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x100000>;"), std::string::npos)
        << t;   // 4 CPUs x 0x40000
    t = dts_back("--set gic.version=4.0 --set redist.stride=0x80000", "v40s");
    EXPECT_NE(t.find("redistributor-stride = <0x00 0x80000>;"), std::string::npos) << t;
    // GICv3 with the defaults: 2 frames per redistributor, one ITS.
    t = dts_back("", "v3");
    EXPECT_EQ(count(t, "msi-controller;"), 1u);
    EXPECT_NE(t.find("redistributor-stride = <0x00 0x20000>;"), std::string::npos) << t;
}

TEST(Dts, BadArgumentsAreOneLine) {
    EXPECT_NE(std::system((std::string(ITSIM_BINARY) + " dts --gicd 0x1234 > /dev/null 2>&1").c_str()), 0);
    EXPECT_NE(std::system((std::string(ITSIM_BINARY) + " dts --set cpus=0 > /dev/null 2>&1").c_str()), 0);
}

}  // namespace
