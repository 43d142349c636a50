// Parameters: value grammar, errors with positions, precedence, echo.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "params.h"

using namespace itsim;

TEST(ParamParse, Integers) {
    uint64_t v = 0;
    EXPECT_TRUE(parse_integer("0x4000_0000" + std::string(), v) == false);  // no separators
    EXPECT_TRUE(parse_integer("0x40000000", v));
    EXPECT_EQ(v, 0x40000000u);
    EXPECT_TRUE(parse_integer("1G", v));
    EXPECT_EQ(v, 1ull << 30);
    EXPECT_TRUE(parse_integer("64K", v));
    EXPECT_EQ(v, 65536u);
    EXPECT_TRUE(parse_integer("18446744073709551615", v));
    EXPECT_EQ(v, UINT64_MAX);
    EXPECT_FALSE(parse_integer("18446744073709551616", v));
    EXPECT_FALSE(parse_integer("17179869184G", v));  // 2^34 G overflows
    EXPECT_FALSE(parse_integer("", v));
    EXPECT_FALSE(parse_integer("0x", v));
    EXPECT_FALSE(parse_integer("12k", v));
    EXPECT_FALSE(parse_integer("-1", v));
}

TEST(ParamParse, TimesAreExactPicoseconds) {
    uint64_t ps = 0;
    EXPECT_TRUE(parse_time_ps("50ns", ps));
    EXPECT_EQ(ps, 50000u);
    EXPECT_TRUE(parse_time_ps("1.5us", ps));
    EXPECT_EQ(ps, 1500000u);
    EXPECT_TRUE(parse_time_ps("0.001ns", ps));
    EXPECT_EQ(ps, 1u);
    EXPECT_FALSE(parse_time_ps("0.0001ns", ps));  // not a whole picosecond
    EXPECT_TRUE(parse_time_ps("10s", ps));
    EXPECT_EQ(ps, 10000000000000ull);
    EXPECT_FALSE(parse_time_ps("50", ps));    // unit required
    EXPECT_FALSE(parse_time_ps("50 ns", ps));
    EXPECT_FALSE(parse_time_ps("50min", ps));
    EXPECT_FALSE(parse_time_ps("99999999s", ps));  // past 2^64 ps
}

TEST(ParamParse, FrequenciesBecomePeriods) {
    uint64_t ps = 0;
    EXPECT_TRUE(parse_freq_period_ps("1GHz", ps));
    EXPECT_EQ(ps, 1000u);
    EXPECT_TRUE(parse_freq_period_ps("500MHz", ps));
    EXPECT_EQ(ps, 2000u);
    EXPECT_TRUE(parse_freq_period_ps("2.5GHz", ps));
    EXPECT_EQ(ps, 400u);
    EXPECT_FALSE(parse_freq_period_ps("3GHz", ps));  // 333.33 ps is not whole
    EXPECT_FALSE(parse_freq_period_ps("0Hz", ps));
    EXPECT_FALSE(parse_freq_period_ps("1G", ps));
}

TEST(Params, DefaultsAndTypedAccess) {
    Params p;
    EXPECT_EQ(p.integer("cpus"), 4u);
    EXPECT_EQ(p.integer("ram.base"), 0x40000000u);
    EXPECT_EQ(p.integer("ram.size"), 1ull << 30);
    EXPECT_EQ(p.integer("its.base"), 0x08080000u);
    EXPECT_EQ(p.integer("redist.base"), 0x080A0000u);
    EXPECT_EQ(p.picoseconds("mem.read_latency"), 50000u);
    EXPECT_EQ(p.period_ps("its.clock"), 1000u);
    EXPECT_EQ(p.text("mode"), "accurate");
    EXPECT_EQ(p.text("error_policy"), "ignore");
    EXPECT_EQ(p.integer("its.max_reads"), 5u);
    EXPECT_EQ(p.origin("cpus"), "default");
}

TEST(Params, ErrorsNameTheOriginAndValue) {
    Params p;
    try {
        p.set_assignment("cpus=0", "--set cpus=0");
        FAIL() << "cpus=0 accepted";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "--set cpus=0: error: cpus=0: out of range [1, 256]");
    }
    try {
        p.set_assignment("its.max_read=3", "--set its.max_read=3");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown parameter 'its.max_read' (did you mean 'its.max_reads'?)"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(p.set("mode", "slow", "x"), ConfigError);
    EXPECT_THROW(p.set("mem.read_latency", "50", "x"), ConfigError);
    EXPECT_THROW(p.set_assignment("novalue", "x"), ConfigError);
    p.set("mem.dmi", "off", "x");
    EXPECT_FALSE(p.flag("mem.dmi"));
    EXPECT_EQ(p.integer("cpus"), 4u);  // failed sets changed nothing
}

TEST(Params, ConfigFileErrorsCarryLineAndColumn) {
    char path[] = "/tmp/itsim_params_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        std::ofstream f(path);
        f << "# a comment\n"
          << "cpus = 8   # eight\n"
          << "\n"
          << "  mem.read_latency =  fast\n";
    }
    Params p;
    try {
        p.load_file(path);
        FAIL() << "bad value accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), std::string(path) + ":4:23: error: mem.read_latency=fast: not a time "
                                                            "(a number with a unit ps, ns, us, ms or s)");
    }
    EXPECT_EQ(p.integer("cpus"), 8u);  // the good line before it applied
    EXPECT_EQ(p.origin("cpus"), std::string(path) + ":2:8");
    {
        std::ofstream f(path);
        f << "cpus 8\n";
    }
    try {
        p.load_file(path);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()), std::string(path) + ":1:1: error: expected 'key = value'");
    }
    std::remove(path);
    EXPECT_THROW(p.load_file("/nonexistent/itsim.cfg"), ConfigError);
}

TEST(Params, JsonEchoesEveryParameter) {
    Params p;
    p.set("cpus", "0x10", "x");
    std::string j = p.to_json();
    EXPECT_EQ(j.front(), '{');
    EXPECT_EQ(j.back(), '}');
    EXPECT_NE(j.find("\"cpus\":16,"), std::string::npos);
    EXPECT_NE(j.find("\"mode\":\"accurate\""), std::string::npos);
    // GICv3: the GICv4 work's parameters only when set (a v3 run echoes
    // what it did before them; tb/platform/test_end_to_end_v3_identity.cpp),
    // and the later ones (coalesce) only when set whatever the version.
    for (const ParamInfo& info : param_catalogue())
        EXPECT_EQ(j.find(std::string("\"") + info.name + "\":") != std::string::npos,
                  !echoed_only_when_set(info.name) && !echoed_only_when_set_any_version(info.name))
            << info.name;
    p.set("gic.version", "4.0", "x");
    j = p.to_json();
    for (const ParamInfo& info : param_catalogue())
        EXPECT_EQ(j.find(std::string("\"") + info.name + "\":") != std::string::npos,
                  !echoed_only_when_set_any_version(info.name))
            << info.name;
    p.set("coalesce", "0", "x");
    EXPECT_NE(p.to_json().find("\"coalesce\":\"0\""), std::string::npos);
}
