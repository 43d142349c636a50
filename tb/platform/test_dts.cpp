// `itsim dts`: the source compiles with dtc (Debian's device-tree-compiler)
// and holds the addresses of the configuration it was given.
#include <gtest/gtest.h>

#include <unistd.h>

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

TEST(Dts, BadArgumentsAreOneLine) {
    EXPECT_NE(std::system((std::string(ITSIM_BINARY) + " dts --gicd 0x1234 > /dev/null 2>&1").c_str()), 0);
    EXPECT_NE(std::system((std::string(ITSIM_BINARY) + " dts --set cpus=0 > /dev/null 2>&1").c_str()), 0);
}

}  // namespace
