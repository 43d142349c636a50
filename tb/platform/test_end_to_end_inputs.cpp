// End-to-end tests of `itsim run` (end_to_end.h): input errors - one
// positioned line, exit status 2, nothing run.
#include "end_to_end.h"

namespace itsim {
namespace {

// ---------------------------------------------------------------- input errors

// Each malformed trace: exit status 2, exactly one line on the error stream
// naming FILE:LINE:COLUMN, nothing on the output stream, no event log, and
// the kernel never ran.
TEST(EndToEnd, MalformedTracesAreOnePositionedErrorAndNothingRuns) {
    Scratch tmp;
    struct Case {
        const char* name;
        const char* text;
        const char* where;   // expected "LINE:COLUMN"
        const char* words;   // a word the message must contain
    };
    const Case cases[] = {
        // Unknown key "evnt" starts at column 14 of line 4.
        {"unknown_key.its", "itsim-trace 1\n# comment\ncmd op=MAPC icid=0 rdbase=0 valid=1\nmsi device=1 evnt=0\n",
         "4:14", "evnt"},
        // Unknown op on line 3, column 6 (after the TIME token "@1us ").
        {"unknown_op.its", "itsim-trace 1\nmsi device=1 event=0\n@1us irq device=1\n", "3:6", "irq"},
        // Malformed number: the value "0x1g" of line 2 starts at column 27.
        {"bad_number.its", "itsim-trace 1\ncmd op=MAPC icid=0 rdbase=0x1g valid=1\n", "2:27", "0x1g"},
        // Time going backwards: line 3's TIME token, column 1.
        {"backwards.its", "itsim-trace 1\n@2us msi device=1 event=0\n@1us msi device=1 event=1\n", "3:1", ""},
        // A platform setting that does not exist, on the trace's platform line.
        {"platform_key.its", "itsim-trace 1\nplatform cpus=2 its.foo=1\n", "2:17", "its.foo"},
        // An expect naming a CPU the platform lacks (cpus=2): the value column.
        {"cpu_range.its",
         "itsim-trace 1\nplatform cpus=2\nmsi device=1 event=0\nexpect msi=1 intid=8192 cpu=2\n", "4:29", "cpu"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string trace = tmp.write(c.name, c.text);
        RunOptions o = quiet_run(trace);
        o.events_path = tmp.path(std::string(c.name) + ".jsonl");
        std::ostringstream out, err;
        EXPECT_EQ(run_command(o, out, err), 2);
        expect_one_line(err.str());
        EXPECT_TRUE(starts_with(err.str(), trace + ":" + c.where + ": error: ")) << err.str();
        EXPECT_NE(err.str().find(c.words), std::string::npos) << err.str();
        EXPECT_EQ(out.str(), "");
        EXPECT_FALSE(fs::exists(o.events_path));
    }
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);
    EXPECT_EQ(sc_core::sc_delta_count(), 0u);
}

// A misspelt --set key: one line, naming the --set option, nothing simulated.
TEST(EndToEnd, UnknownSetKeyIsOneLineNamingTheOption) {
    Scratch tmp;
    const std::string trace = tmp.write("ok.its", "itsim-trace 1\nmsi device=1 event=0\n");
    RunOptions o = quiet_run(trace);
    o.sets.push_back("its.devcie_bits=8");
    std::ostringstream out, err;
    EXPECT_EQ(run_command(o, out, err), 2);
    expect_one_line(err.str());
    EXPECT_TRUE(starts_with(err.str(), "--set its.devcie_bits=8: error: unknown parameter 'its.devcie_bits'"))
        << err.str();
    // A value out of range names the option too.
    RunOptions o2 = quiet_run(trace);
    o2.sets.push_back("cpus=0");
    std::ostringstream out2, err2;
    EXPECT_EQ(run_command(o2, out2, err2), 2);
    expect_one_line(err2.str());
    EXPECT_TRUE(starts_with(err2.str(), "--set cpus=0: error: cpus=0: out of range")) << err2.str();
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);
    EXPECT_EQ(sc_core::sc_delta_count(), 0u);
}

// A bad value in a configuration file: FILE:LINE:COLUMN of the value.
TEST(EndToEnd, BadConfigFileValueNamesFileLineColumn) {
    Scratch tmp;
    const std::string trace = tmp.write("ok.its", "itsim-trace 1\nmsi device=1 event=0\n");
    // Line 3: "its.lpi_bits =  99", the value at column 17.
    const std::string cfg = tmp.write("bad.cfg", "# platform\ncpus = 2\nits.lpi_bits =  99\n");
    RunOptions o = quiet_run(trace);
    o.config_files.push_back(cfg);
    std::ostringstream out, err;
    EXPECT_EQ(run_command(o, out, err), 2);
    expect_one_line(err.str());
    EXPECT_TRUE(starts_with(err.str(), cfg + ":3:17: error: its.lpi_bits=99: out of range [14, 24]")) << err.str();
    // An unknown key in the file: the key's column.
    const std::string cfg2 = tmp.write("bad2.cfg", "cpus = 2\n   mem.latency = 5ns\n");
    RunOptions o2 = quiet_run(trace);
    o2.config_files.push_back(cfg2);
    std::ostringstream out2, err2;
    EXPECT_EQ(run_command(o2, out2, err2), 2);
    expect_one_line(err2.str());
    EXPECT_TRUE(starts_with(err2.str(), cfg2 + ":2:4: error: unknown parameter 'mem.latency'")) << err2.str();
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);
    EXPECT_EQ(sc_core::sc_delta_count(), 0u);
}

}  // namespace
}  // namespace itsim
