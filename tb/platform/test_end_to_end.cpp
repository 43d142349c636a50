// End-to-end tests of `itsim run`: input errors, the event-log contract
// against the trace that produced it, the pending table in guest memory,
// and run-to-run determinism of the event log and the statistics file.
//
// Each TEST runs in its own process (gtest_discover_tests), so a test may
// build a System and call sc_start once. Tests that need two runs spawn the
// itsim binary (ITSIM_BINARY, set by tb/CMakeLists.txt).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "common/its_cmd.h"
#include "params.h"
#include "run.h"
#include "system.h"
#include "trace/trace.h"

#ifndef ITSIM_SOURCE_DIR
#define ITSIM_SOURCE_DIR "."
#endif

namespace itsim {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- helpers

std::string source_path(const std::string& rel) { return std::string(ITSIM_SOURCE_DIR) + "/" + rel; }

// A file in a per-process scratch folder, removed with the folder.
class Scratch {
public:
    Scratch() {
        dir_ = fs::temp_directory_path() / ("itsim_e2e_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path(name), std::ios::binary) << text;
        return path(name);
    }

private:
    fs::path dir_;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream is(text);
    for (std::string l; std::getline(is, l);) out.push_back(l);
    return out;
}

// A minimal JSON reader for the event log (objects, strings, unsigned
// integers, true/false/null; nothing else appears in it).
struct Json {
    enum class T { null, boolean, number, string, object, array } t = T::null;
    bool b = false;
    uint64_t u = 0;
    std::string s;
    std::map<std::string, Json> o;
    std::vector<Json> a;

    bool has(const std::string& k) const { return t == T::object && o.count(k); }
    const Json& at(const std::string& k) const {
        static const Json none;
        auto it = o.find(k);
        return it == o.end() ? none : it->second;
    }
    bool is_u64() const { return t == T::number; }
    bool is_str() const { return t == T::string; }
};

class JsonReader {
public:
    explicit JsonReader(const std::string& text) : p_(text.c_str()), end_(text.c_str() + text.size()) {}
    bool parse(Json& out) {
        if (!value(out)) return false;
        ws();
        return p_ == end_;
    }

private:
    void ws() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }
    bool lit(const char* w) {
        size_t n = std::char_traits<char>::length(w);
        if (size_t(end_ - p_) < n || std::string(p_, n) != w) return false;
        p_ += n;
        return true;
    }
    bool str(std::string& s) {
        if (p_ >= end_ || *p_ != '"') return false;
        ++p_;
        while (p_ < end_ && *p_ != '"') {
            if (*p_ == '\\') {
                if (++p_ >= end_) return false;
                switch (*p_) {
                case 'n': s += '\n'; break;
                case 't': s += '\t'; break;
                case 'r': s += '\r'; break;
                case 'u':
                    if (end_ - p_ < 5) return false;
                    s += char(std::stoi(std::string(p_ + 1, 4), nullptr, 16));
                    p_ += 4;
                    break;
                default: s += *p_; break;
                }
                ++p_;
            } else {
                s += *p_++;
            }
        }
        if (p_ >= end_) return false;
        ++p_;
        return true;
    }
    bool value(Json& v) {
        ws();
        if (p_ >= end_) return false;
        if (*p_ == '{') {
            ++p_;
            v.t = Json::T::object;
            ws();
            if (p_ < end_ && *p_ == '}') return ++p_, true;
            for (;;) {
                ws();
                std::string k;
                if (!str(k)) return false;
                ws();
                if (p_ >= end_ || *p_ != ':') return false;
                ++p_;
                Json item;
                if (!value(item)) return false;
                if (v.o.count(k)) return false;  // duplicate key: not valid for us
                v.o.emplace(k, std::move(item));
                ws();
                if (p_ < end_ && *p_ == ',') { ++p_; continue; }
                if (p_ < end_ && *p_ == '}') return ++p_, true;
                return false;
            }
        }
        if (*p_ == '[') {
            ++p_;
            v.t = Json::T::array;
            ws();
            if (p_ < end_ && *p_ == ']') return ++p_, true;
            for (;;) {
                Json item;
                if (!value(item)) return false;
                v.a.push_back(std::move(item));
                ws();
                if (p_ < end_ && *p_ == ',') { ++p_; continue; }
                if (p_ < end_ && *p_ == ']') return ++p_, true;
                return false;
            }
        }
        if (*p_ == '"') {
            v.t = Json::T::string;
            return str(v.s);
        }
        if (lit("true")) { v.t = Json::T::boolean; v.b = true; return true; }
        if (lit("false")) { v.t = Json::T::boolean; return true; }
        if (lit("null")) return true;
        if (*p_ >= '0' && *p_ <= '9') {
            v.t = Json::T::number;
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') v.u = v.u * 10 + uint64_t(*p_++ - '0');
            return true;
        }
        return false;
    }
    const char* p_;
    const char* end_;
};

std::vector<Json> read_event_log(const std::string& path) {
    std::vector<Json> out;
    for (const std::string& l : lines_of(slurp(path))) {
        Json j;
        EXPECT_TRUE(JsonReader(l).parse(j)) << "not one JSON object: " << l;
        EXPECT_EQ(j.t, Json::T::object) << l;
        out.push_back(std::move(j));
    }
    return out;
}

RunOptions quiet_run(const std::string& trace) {
    RunOptions o;
    o.trace_path = trace;
    o.quiet = true;
    o.sets.push_back("progress=off");
    return o;
}

// The one error line: exactly one '\n', at the end.
void expect_one_line(const std::string& err) {
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.back(), '\n') << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

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

// ---------------------------------------------------------------- the event log

// The event log of the default scenario against the trace that produced it:
// every command and MSI line of the trace appears once, with its fields,
// the contract keys, times that make sense, and the values its expects
// name; lines in non-decreasing t_ps.
TEST(EndToEnd, BringupEventLogMatchesTheTraceAndTheContract) {
    Scratch tmp;
    const std::string trace_path = source_path("traces/bringup.its");
    const Trace trace = read_trace_file(trace_path);
    RunOptions o = quiet_run(trace_path);
    o.events_path = tmp.path("bringup.jsonl");
    std::ostringstream out, err;
    ASSERT_EQ(run_command(o, out, err), 0) << err.str();
    EXPECT_EQ(err.str(), "");

    const std::vector<Json> log = read_event_log(o.events_path);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log[0].at("kind").s, "run");
    EXPECT_EQ(log[0].at("t_ps").u, 0u);

    std::map<uint64_t, const TraceLine*> cmd_line, msi_line;
    for (const TraceLine& l : trace.lines) {
        if (l.op == TraceLine::Op::cmd) cmd_line[l.cmd_seq] = &l;
        if (l.op == TraceLine::Op::msi) msi_line[l.msi_seq] = &l;
    }
    const uint64_t cpus = 4;
    std::map<uint64_t, const Json*> cmd_ev, msi_ev;
    std::map<std::pair<uint64_t, uint64_t>, uint64_t> taken;  // (cpu, intid) -> acks
    uint64_t last_t = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        const Json& e = log[i];
        SCOPED_TRACE("event log line " + std::to_string(i + 1));
        ASSERT_TRUE(e.at("kind").is_str());
        ASSERT_TRUE(e.at("t_ps").is_u64());
        const uint64_t t = e.at("t_ps").u;
        EXPECT_GE(t, last_t) << "lines out of time order";
        last_t = t;
        const std::string& kind = e.at("kind").s;
        if (kind == "command") {
            for (const char* k : {"seq", "op", "status", "issued_ps", "done_ps"}) EXPECT_TRUE(e.has(k)) << k;
            const uint64_t seq = e.at("seq").u;
            ASSERT_TRUE(cmd_line.count(seq)) << "seq " << seq;
            EXPECT_EQ(cmd_ev.count(seq), 0u) << "command " << seq << " logged twice";
            cmd_ev[seq] = &e;
            const TraceLine& l = *cmd_line[seq];
            const char* name = opcode_name(l.cmd.opcode);
            EXPECT_EQ(e.at("op").s, name ? name : "UNKNOWN");
            for (const CmdFieldValue& f : command_fields(l.cmd)) {
                ASSERT_TRUE(e.at(f.name).is_u64()) << f.name;
                EXPECT_EQ(e.at(f.name).u, f.value) << f.name;
            }
            const Json& st = e.at("status");
            EXPECT_TRUE((st.is_str() && st.s == "ok") || (st.is_u64() && (st.u >> 16) == 0x01)) << "status";
            EXPECT_GE(e.at("issued_ps").u, l.t_ps);        // published at or after its line
            EXPECT_GT(e.at("done_ps").u, e.at("issued_ps").u);
            EXPECT_EQ(e.at("done_ps").u, t);
        } else if (kind == "msi") {
            for (const char* k : {"seq", "device", "event", "status", "issued_ps"}) EXPECT_TRUE(e.has(k)) << k;
            const uint64_t seq = e.at("seq").u;
            ASSERT_TRUE(msi_line.count(seq)) << "seq " << seq;
            EXPECT_EQ(msi_ev.count(seq), 0u) << "msi " << seq << " logged twice";
            msi_ev[seq] = &e;
            const TraceLine& l = *msi_line[seq];
            EXPECT_EQ(e.at("device").u, l.device);
            EXPECT_EQ(e.at("event").u, l.event);
            EXPECT_EQ(e.at("issued_ps").u, l.t_ps);       // the device writes at its line's time
            if (e.at("status").s == "delivered") {
                for (const char* k : {"intid", "cpu", "pending_ps"}) EXPECT_TRUE(e.has(k)) << k;
                EXPECT_GE(e.at("intid").u, 8192u);
                EXPECT_LT(e.at("cpu").u, cpus);
                EXPECT_GT(e.at("pending_ps").u, e.at("issued_ps").u);
                EXPECT_EQ(e.at("pending_ps").u, t);
            } else {
                EXPECT_EQ(e.at("status").s, "dropped");
                EXPECT_TRUE(e.at("reason").is_str());
            }
        } else if (kind == "ack") {
            EXPECT_TRUE(e.at("cpu").is_u64());
            EXPECT_LT(e.at("cpu").u, cpus);
            EXPECT_GE(e.at("intid").u, 8192u);
            ++taken[{e.at("cpu").u, e.at("intid").u}];
        } else if (kind == "kick" || kind == "lpi" || kind == "pend") {
            // Extensions of the contract (docs/event-log.md); the checker
            // (itsim check) holds them to the rest of the log.
            EXPECT_TRUE(e.at("t_ps").is_u64());
        } else {
            EXPECT_EQ(kind, "run");
            EXPECT_EQ(i, 0u) << "a second run header";
        }
    }
    EXPECT_EQ(cmd_ev.size(), trace.cmd_count);
    EXPECT_EQ(msi_ev.size(), trace.msi_count);

    // The trace's expects, read back from the log.
    ASSERT_FALSE(trace.expects.empty());
    for (const Expect& x : trace.expects) {
        SCOPED_TRACE(x.pos.str());
        switch (x.kind) {
        case Expect::Kind::cmd_ok: EXPECT_EQ(cmd_ev.at(x.cmd)->at("status").s, "ok"); break;
        case Expect::Kind::cmd_error: EXPECT_EQ(cmd_ev.at(x.cmd)->at("status").u, x.code); break;
        case Expect::Kind::msi_delivered:
            EXPECT_EQ(msi_ev.at(x.msi)->at("status").s, "delivered");
            EXPECT_EQ(msi_ev.at(x.msi)->at("intid").u, x.intid);
            EXPECT_EQ(msi_ev.at(x.msi)->at("cpu").u, x.cpu);
            break;
        case Expect::Kind::msi_dropped: EXPECT_EQ(msi_ev.at(x.msi)->at("status").s, "dropped"); break;
        case Expect::Kind::taken: EXPECT_EQ((taken[{x.cpu, x.intid}]), x.count); break;
        }
    }
}

// The queue stalls show in the log as `stall` lines with the queue offset
// and the error: stall.its stalls twice at command 5 (offset 4 x 32 = 128)
// with 0x010903; unmapped_tables.its stalls on bus errors (error 0) at
// command 2 (offset 32), then twice at command 6 (offset 160), and its MSIs
// to the unmapped tables are dropped with reason memory_error.
TEST(EndToEnd, StallsAndMemoryErrorsAreInTheEventLog) {
    Scratch tmp;
    struct Expected {
        const char* trace;
        std::vector<std::pair<uint64_t, uint64_t>> stalls;   // (creadr, error)
        std::vector<uint64_t> memory_error_msis;
    };
    const Expected runs[] = {
        {"traces/stall.its", {{128, 0x010903}, {128, 0x010903}}, {}},
        {"traces/unmapped_tables.its", {{32, 0}, {160, 0}, {160, 0}}, {1, 3, 5}},
    };
    // One simulation per process: run the binary for these two.
    for (const Expected& r : runs) {
        SCOPED_TRACE(r.trace);
        const std::string events = tmp.path(fs::path(r.trace).stem().string() + ".jsonl");
        const std::string cmd = std::string(ITSIM_BINARY) + " run " + source_path(r.trace) + " -q --set progress=off --events " +
                                events + " > /dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
        std::vector<std::pair<uint64_t, uint64_t>> stalls;
        std::vector<uint64_t> mem_msis;
        for (const Json& e : read_event_log(events)) {
            if (e.at("kind").s == "stall") {
                EXPECT_TRUE(e.has("creadr") && e.has("error"));
                EXPECT_GT(e.at("t_ps").u, 0u);
                stalls.emplace_back(e.at("creadr").u, e.at("error").u);
            }
            if (e.at("kind").s == "msi" && e.at("status").s == "dropped" && e.at("reason").s == "memory_error")
                mem_msis.push_back(e.at("seq").u);
        }
        EXPECT_EQ(stalls, r.stalls);
        EXPECT_EQ(mem_msis, r.memory_error_msis);
    }
}

// A command that never retires (the queue ends stalled at it) must still be
// logged at a time when something happened to it, not at t_ps 0, and
// without a done_ps (CREADR never moved past it).
TEST(EndToEnd, UnretiredCommandIsLoggedAtItsStallTime) {
    Scratch tmp;
    const std::string events = tmp.path("unmapped.jsonl");
    const std::string cmd = std::string(ITSIM_BINARY) + " run " + source_path("traces/unmapped_tables.its") +
                            " -q --set progress=off --events " + events + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    unsigned unretired = 0;
    for (const Json& e : read_event_log(events)) {
        if (e.at("kind").s == "command") {
            EXPECT_GE(e.at("t_ps").u, e.at("issued_ps").u) << "seq " << e.at("seq").u;
            if (!e.has("done_ps")) ++unretired;
        }
    }
    EXPECT_EQ(unretired, 1u);  // the MAPTI the run ends stalled at
}

// ---------------------------------------------------------------- pending table in memory

// The redistributor keeps the pending table in guest memory coherent (exact
// after a SYNC): the bit of a delivered-but-disabled LPI is set at
// pend_table(cpu) + INTID/8, bit INTID%8, and cleared by CLEAR and by
// DISCARD. The other CPUs' tables never see it.
TEST(EndToEnd, PendingTableBitsFollowDeliveryClearAndDiscard) {
    Params p;
    p.set("progress", "off", "test");
    System sys(p);
    sys.expect_msis(2);
    const uint64_t ram_base = p.integer("ram.base");
    // LPIs 8202 and 8203 share byte 1025 (bits 2 and 3).
    constexpr uint32_t kA = 8202, kB = 8203;
    constexpr uint64_t kByte = kA / 8;
    static_assert(kA / 8 == kB / 8, "same byte");
    auto pend_byte = [&](unsigned cpu) {
        uint8_t b = 0xEE;
        EXPECT_TRUE(sys.ram().store().read(sys.driver().pend_table(cpu) + kByte - ram_base, &b, 1));
        return b;
    };
    std::vector<uint8_t> seen;   // byte of CPU 0 at each step
    std::vector<uint8_t> others; // OR of the other CPUs' bytes at each step
    auto snapshot = [&] {
        seen.push_back(pend_byte(0));
        uint8_t o = 0;
        for (unsigned c = 1; c < sys.cpus(); ++c) o |= pend_byte(c);
        others.push_back(o);
    };
    auto cmd = [](ItsOpcode op) {
        ItsCommand c;
        c.opcode = uint8_t(op);
        return c;
    };
    sys.driver().set_program([&](DriverAgent& d) {
        ItsCommand mapc = cmd(ItsOpcode::MAPC);
        mapc.icid = 0, mapc.rdbase = 0, mapc.valid = true;
        ItsCommand mapd = cmd(ItsOpcode::MAPD);
        mapd.device = 7, mapd.itt_addr = ram_base, mapd.size = 3, mapd.valid = true;
        ItsCommand m0 = cmd(ItsOpcode::MAPTI);
        m0.device = 7, m0.event = 0, m0.intid = kA, m0.icid = 0;
        ItsCommand m1 = m0;
        m1.event = 1, m1.intid = kB;
        ItsCommand sync = cmd(ItsOpcode::SYNC);
        sync.rdbase = 0;
        for (const ItsCommand& c : {mapc, mapd, m0, m1, sync}) d.append_command(c, 0);
        d.wait_drained();
        snapshot();                         // 0: nothing pending
        // Both LPIs disabled (property bytes zero): delivered, pending, not taken.
        d.advance_to(5000000);
        d.send_msi(7, 0, 1);
        d.send_msi(7, 1, 2);
        d.advance_to(7000000);
        d.append_command(sync, 0);
        d.wait_drained();
        snapshot();                         // 1: both bits set
        ItsCommand clear = cmd(ItsOpcode::CLEAR);
        clear.device = 7, clear.event = 0;
        d.append_command(clear, 0);
        d.append_command(sync, 0);
        d.wait_drained();
        snapshot();                         // 2: CLEAR took bit 2 away
        ItsCommand discard = cmd(ItsOpcode::DISCARD);
        discard.device = 7, discard.event = 1;
        d.append_command(discard, 0);
        d.append_command(sync, 0);
        d.wait_drained();
        snapshot();                         // 3: DISCARD took bit 3 away
    });
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS), sc_core::SC_EXIT_ON_STARVATION);
    ASSERT_EQ(sys.driver().setup_error(), "");
    ASSERT_EQ(seen.size(), 4u);
    const uint8_t a = uint8_t(1u << (kA % 8)), b = uint8_t(1u << (kB % 8));
    EXPECT_EQ(seen[0], 0x00);
    EXPECT_EQ(seen[1], a | b);
    EXPECT_EQ(seen[2], b);
    EXPECT_EQ(seen[3], 0x00);
    EXPECT_EQ(others, std::vector<uint8_t>(4, 0x00));
    // What the models reported agrees: both MSIs delivered to CPU 0, none taken.
    const RunRecords& rec = sys.records();
    ASSERT_EQ(rec.msis.size(), 2u);
    EXPECT_TRUE(rec.msis[0].reported && rec.msis[0].rec.delivered);
    EXPECT_EQ(rec.msis[0].rec.intid, kA);
    EXPECT_EQ(rec.msis[1].rec.intid, kB);
    EXPECT_EQ(rec.msis[0].rec.cpu, 0u);
    EXPECT_EQ(rec.msis[1].rec.cpu, 0u);
    EXPECT_TRUE(rec.acks.empty());
    for (const auto& c : rec.commands) EXPECT_EQ(c.rec.status, 0u) << to_string(c.rec.cmd);
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

// ---------------------------------------------------------------- determinism

// Two runs of the same trace give byte-identical event logs and statistics.
void expect_identical_runs(const std::string& trace, const std::string& extra) {
    Scratch tmp;
    std::string files[2][2];
    for (int i = 0; i < 2; ++i) {
        files[i][0] = tmp.path("run" + std::to_string(i) + ".jsonl");
        files[i][1] = tmp.path("run" + std::to_string(i) + ".json");
        const std::string cmd = std::string(ITSIM_BINARY) + " run " + source_path(trace) + " -q --set progress=off " +
                                extra + " --events " + files[i][0] + " --stats " + files[i][1] + " > /dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    for (int k = 0; k < 2; ++k) {
        const std::string a = slurp(files[0][k]), b = slurp(files[1][k]);
        EXPECT_GT(a.size(), 100u) << files[0][k];
        EXPECT_TRUE(a == b) << files[0][k] << " and " << files[1][k] << " differ";
    }
}

TEST(EndToEnd, TwoRunsGiveIdenticalLogsAccurate) { expect_identical_runs("traces/bringup.its", ""); }

TEST(EndToEnd, TwoRunsGiveIdenticalLogsFast) { expect_identical_runs("traces/bringup.its", "--set mode=fast"); }

}  // namespace
}  // namespace itsim
