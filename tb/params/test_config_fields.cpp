// The field-description mechanism (itsim/common/config_fields.h) and the
// value grammar it shares with the parameters and the trace
// (itsim/common/config_value.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "itsim/common/config_fields.h"
#include "itsim/common/config_fields_sc.h"
#include "itsim/common/config_value.h"
#include "trace/trace.h"

namespace itsim {
namespace {

// ---------------------------------------------------------------- grammar

TEST(ConfigGrammar, NumbersDurationsFrequencies) {
    uint64_t v = 0;
    EXPECT_EQ(grammar::parse_number("0x080A0000", false, v), grammar::Number::ok);
    EXPECT_EQ(v, 0x080A0000u);
    EXPECT_EQ(grammar::parse_number("64K", true, v), grammar::Number::ok);
    EXPECT_EQ(v, 65536u);
    EXPECT_EQ(grammar::parse_number("64K", false, v), grammar::Number::malformed);
    EXPECT_EQ(grammar::parse_number("16G", true, v), grammar::Number::ok);
    EXPECT_EQ(v, 16ull << 30);
    EXPECT_EQ(grammar::parse_number("17179869184G", true, v), grammar::Number::overflow);  // 2^34 G = 2^64
    EXPECT_EQ(grammar::parse_number("18446744073709551616", false, v), grammar::Number::overflow);

    std::string_view unit;
    EXPECT_EQ(grammar::parse_duration("1.5us", v, unit), grammar::Duration::ok);
    EXPECT_EQ(v, 1500000u);
    EXPECT_EQ(grammar::parse_duration("0x10ns", v, unit), grammar::Duration::ok);
    EXPECT_EQ(v, 16000u);
    EXPECT_EQ(grammar::parse_duration("0x1.5ns", v, unit), grammar::Duration::hex_fraction);
    EXPECT_EQ(grammar::parse_duration("50", v, unit), grammar::Duration::no_unit);
    EXPECT_EQ(grammar::parse_duration("50min", v, unit), grammar::Duration::bad_unit);
    EXPECT_EQ(unit, "min");
    EXPECT_EQ(grammar::parse_duration("0.0001ns", v, unit), grammar::Duration::not_whole_ps);
    EXPECT_EQ(grammar::parse_duration("18446745s", v, unit), grammar::Duration::too_large);  // > 2^64 ps

    EXPECT_TRUE(grammar::parse_frequency("2.5GHz", v));
    EXPECT_EQ(v, 400u);
    EXPECT_TRUE(grammar::parse_frequency("800MHz", v));
    EXPECT_EQ(v, 1250u);
    EXPECT_FALSE(grammar::parse_frequency("3GHz", v));   // 333.33 ps
    EXPECT_FALSE(grammar::parse_frequency("0.5Hz", v));  // not a whole Hz
    // 2^64 + 1 Hz must not wrap round to 1 Hz.
    EXPECT_FALSE(grammar::parse_frequency("18446744073709551617Hz", v));

    bool b = false;
    EXPECT_TRUE(grammar::parse_bool("ON", b));
    EXPECT_TRUE(b);
    EXPECT_TRUE(grammar::parse_bool("No", b));
    EXPECT_FALSE(b);
    EXPECT_FALSE(grammar::parse_bool("2", b));
}

TEST(ConfigGrammar, WrittenValuesReadBackExactly) {
    EXPECT_EQ(grammar::format_ps(0), "0ps");
    EXPECT_EQ(grammar::format_ps(1500000), "1.5us");
    EXPECT_EQ(grammar::format_ps(10000000000000ull), "10s");
    EXPECT_EQ(grammar::format_frequency(1000), "1GHz");
    EXPECT_EQ(grammar::format_frequency(400), "2.5GHz");
    EXPECT_EQ(grammar::format_frequency(1250), "800MHz");
    bool exact = true;
    EXPECT_EQ(grammar::format_frequency(3, &exact), "333.333333333GHz");   // nearest Hz: 333333333333
    EXPECT_FALSE(exact);
    EXPECT_EQ(grammar::format_hex(0x080A0000, 8), "0x080A0000");
    EXPECT_EQ(grammar::format_hex(0x20000), "0x20000");
    EXPECT_EQ(grammar::format_size(1ull << 30), "1G");
    EXPECT_EQ(grammar::format_size(3ull << 20), "3M");
    EXPECT_EQ(grammar::format_size(1536), "1536");   // 1.5K: not a whole K
    for (uint64_t ps : std::vector<uint64_t>{1, 999, 1001, 123456789, UINT64_MAX}) {
        uint64_t back = 0;
        std::string_view unit;
        ASSERT_EQ(grammar::parse_duration(grammar::format_ps(ps), back, unit), grammar::Duration::ok) << ps;
        EXPECT_EQ(back, ps);
    }
    for (uint64_t period : std::vector<uint64_t>{1, 2, 400, 1250, 1000000000000ull}) {
        uint64_t back = 0;
        ASSERT_TRUE(grammar::parse_frequency(grammar::format_frequency(period), back)) << period;
        EXPECT_EQ(back, period);
    }
}

// The trace reader keeps its own copy of the number and duration grammar
// (platform/trace); until it takes this one, both must agree.
TEST(ConfigGrammar, AgreesWithTheTraceGrammar) {
    const std::vector<std::string> inputs = {
        "", "0", "007", "16", "0x", "0X1f", "0xfffffffffffffffff", "18446744073709551615", "18446744073709551616",
        "16K", "16M", "16G", "4k", "1_000", "-1", " 1", "1 ", "50ns", "1.5us", "0.001ns", "0.0001ns", "0x10ns",
        "0x1.5ns", "10s", "99999999s", "1.ns", ".5ns", "50", "5min", "1e3ns", "0.000000000001s", "18446744073709551615ps",
        "18446744073709551616ps"};
    for (const std::string& s : inputs) {
        for (bool suffix : {false, true}) {
            uint64_t a = 1, b = 1;
            const bool ta = parse_trace_number(s, suffix, a);
            const bool ga = grammar::parse_number(s, suffix, b) == grammar::Number::ok;
            EXPECT_EQ(ta, ga) << "'" << s << "' suffix=" << suffix;
            if (ta && ga) {
                EXPECT_EQ(a, b) << s;
            }
        }
        uint64_t a = 1, b = 1;
        std::string_view unit;
        const bool ta = parse_trace_duration(s, a);
        const bool ga = grammar::parse_duration(s, b, unit) == grammar::Duration::ok;
        EXPECT_EQ(ta, ga) << "'" << s << "'";
        if (ta && ga) {
            EXPECT_EQ(a, b) << s;
            EXPECT_EQ(format_ps(a), grammar::format_ps(b));
        }
    }
}

// ---------------------------------------------------------------- fields of a struct

enum class Colour : uint8_t { red, green, blue };

struct Inner {
    size_t entries = 8;
    size_t ways = 2;
    static const ConfigFields<Inner>& fields() {
        static const ConfigFields<Inner> f{
            field::integer<&Inner::entries>("entries", 0, 1024, "lines"),
            field::integer<&Inner::ways>("ways", 1, 16, "associativity"),
        };
        return f;
    }
};

struct Outer {
    unsigned depth = 16;
    uint64_t base = 0x1000;
    bool fast = true;
    Colour colour = Colour::green;
    uint64_t wait_ps = 50000;
    sc_core::sc_time latency = sc_core::sc_time(20, sc_core::SC_NS);
    sc_core::sc_time period = sc_core::sc_time(1, sc_core::SC_NS);
    std::string label = "main";
    Inner cache;
    Inner other;

    static const ConfigFields<Outer>& fields() {
        static const ConfigFields<Outer> f =
            ConfigFields<Outer>{
                field::integer<&Outer::depth>("depth", 1, 4096, "entries buffered"),
                field::integer<&Outer::base>("base", 0, UINT64_MAX, "where", IntFormat::hex, 8),
                field::flag<&Outer::fast>("fast", "go fast"),
                field::choice<&Outer::colour>(
                    "colour", {{"red", Colour::red}, {"green", Colour::green}, {"blue", Colour::blue}}, "hue"),
                field::time<&Outer::wait_ps>("wait", "how long"),
                field::time<&Outer::latency>("latency", "an sc_time"),
                field::clock<&Outer::period>("clock", "a clock"),
                field::text<&Outer::label>("label", "a name"),
                field::integer<&Outer::other, &Inner::ways>("other.ways", 1, 16, "a member of a member"),
            }
                .nest<&Outer::cache>("cache.", Inner::fields());
        return f;
    }
    bool set(std::string_view k, std::string_view v, std::string* e = nullptr) { return fields().set(*this, k, v, e); }
    std::string get(std::string_view k) const { return fields().get(*this, k); }
};

TEST(ConfigFields, DefaultsComeFromTheStruct) {
    const Outer o;
    EXPECT_EQ(o.get("depth"), "16");
    EXPECT_EQ(o.get("base"), "0x00001000");
    EXPECT_EQ(o.get("fast"), "1");
    EXPECT_EQ(o.get("colour"), "green");
    EXPECT_EQ(o.get("wait"), "50ns");
    EXPECT_EQ(o.get("latency"), "20ns");
    EXPECT_EQ(o.get("clock"), "1GHz");
    EXPECT_EQ(o.get("label"), "main");
    EXPECT_EQ(o.get("cache.entries"), "8");
    EXPECT_EQ(o.get("other.ways"), "2");
    EXPECT_EQ(Outer::fields().names(),
              (std::vector<std::string>{"depth", "base", "fast", "colour", "wait", "latency", "clock", "label",
                                        "other.ways", "cache.entries", "cache.ways"}));
    const std::vector<FieldValue> l = Outer::fields().list(o, "x.");
    ASSERT_EQ(l.size(), 11u);
    EXPECT_EQ(l[1].info.name, "x.base");
    EXPECT_EQ(l[1].value, "0x00001000");
    EXPECT_EQ(l[3].info.choice_list(), "red|green|blue");
    EXPECT_EQ(l[10].info.meaning, "associativity");
}

TEST(ConfigFields, SetReachesTheMember) {
    Outer o;
    std::string e;
    EXPECT_TRUE(o.set("depth", "0x20", &e)) << e;
    EXPECT_EQ(o.depth, 32u);
    EXPECT_TRUE(o.set("base", "1G", &e)) << e;
    EXPECT_EQ(o.base, 1ull << 30);
    EXPECT_EQ(o.get("base"), "0x40000000");
    EXPECT_TRUE(o.set("fast", "off", &e));
    EXPECT_FALSE(o.fast);
    EXPECT_EQ(o.get("fast"), "0");
    EXPECT_TRUE(o.set("colour", "blue", &e));
    EXPECT_EQ(o.colour, Colour::blue);
    EXPECT_TRUE(o.set("wait", "1.5us", &e));
    EXPECT_EQ(o.wait_ps, 1500000u);
    EXPECT_TRUE(o.set("latency", "7ps", &e));
    EXPECT_EQ(o.latency, sc_core::sc_time(7, sc_core::SC_PS));
    EXPECT_TRUE(o.set("clock", "800MHz", &e));
    EXPECT_EQ(o.period, sc_core::sc_time(1250, sc_core::SC_PS));
    EXPECT_EQ(o.get("clock"), "800MHz");
    EXPECT_TRUE(o.set("label", "second ITS", &e));
    EXPECT_EQ(o.label, "second ITS");
    EXPECT_TRUE(o.set("cache.ways", "4", &e));
    EXPECT_EQ(o.cache.ways, 4u);
    EXPECT_EQ(o.other.ways, 2u);   // the other Inner is untouched
    EXPECT_TRUE(o.set("other.ways", "8", &e));
    EXPECT_EQ(o.other.ways, 8u);
    EXPECT_EQ(o.cache.ways, 4u);
}

TEST(ConfigFields, BadValuesAreRefusedAndChangeNothing) {
    Outer o;
    std::string e;
    EXPECT_FALSE(o.set("depth", "0", &e));
    EXPECT_EQ(e, "depth=0: out of range [1, 4096]");
    EXPECT_FALSE(o.set("depth", "many", &e));
    EXPECT_EQ(e, "depth=many: not a number (decimal, 0x hex, optional K/M/G)");
    EXPECT_FALSE(o.set("fast", "maybe", &e));
    EXPECT_EQ(e, "fast=maybe: must be 0 or 1 (or true/false, on/off, yes/no)");
    EXPECT_FALSE(o.set("colour", "Red", &e));
    EXPECT_EQ(e, "colour=Red: must be one of red|green|blue");
    EXPECT_FALSE(o.set("wait", "50", &e));
    EXPECT_EQ(e, "wait=50: not a time (a number with a unit ps, ns, us, ms or s)");
    EXPECT_FALSE(o.set("clock", "3GHz", &e));
    EXPECT_EQ(e, "clock=3GHz: not a frequency (a number with Hz, kHz, MHz or GHz whose period is whole picoseconds)");
    EXPECT_FALSE(o.set("label", "a\"b", &e));
    EXPECT_EQ(e, "label=a\"b: must be one line without quotes or backslashes");
    EXPECT_FALSE(o.set("dept", "4", &e));
    EXPECT_EQ(e, "unknown field 'dept' (did you mean 'depth'?)");
    EXPECT_FALSE(o.set("cache", "4", &e));
    EXPECT_EQ(e, "unknown field 'cache' (did you mean 'cache.entries'?)");
    EXPECT_FALSE(o.set("colour", "blue ", nullptr));   // no error wanted: still refused
    EXPECT_THROW(o.get("nothing"), std::out_of_range);
    const Outer d;
    for (const std::string& n : Outer::fields().names()) EXPECT_EQ(o.get(n), d.get(n)) << n;
}

TEST(ConfigFields, AListNamesEachMemberOnce) {
    struct Twice {
        unsigned a = 1;
        unsigned b = 2;
    };
    ConfigFields<Twice> f{field::integer<&Twice::a>("a", 0, 9, "")};
    EXPECT_THROW(f.add(field::integer<&Twice::a>("a2", 0, 9, "")), std::logic_error);   // same member
    EXPECT_THROW(f.add(field::integer<&Twice::b>("a", 0, 9, "")), std::logic_error);    // same name
    EXPECT_THROW(field::integer<&Twice::a>("big", 0, uint64_t{1} << 32, ""), std::logic_error);  // past unsigned
    EXPECT_EQ(f.size(), 1u);

    // nest with names, then the rest: each inner field once, in list order.
    struct Box {
        Inner in;
    };
    ConfigFields<Box> g;
    g.nest<&Box::in>("in.", Inner::fields(), {"ways"}).nest<&Box::in>("in.", Inner::fields());
    EXPECT_EQ(g.names(), (std::vector<std::string>{"in.ways", "in.entries"}));
    EXPECT_THROW(g.nest<&Box::in>("again.", Inner::fields(), {"ways"}), std::logic_error);
    EXPECT_THROW(g.nest<&Box::in>("x.", Inner::fields(), {"nope"}), std::logic_error);
    Box b;
    EXPECT_TRUE(g.set(b, "in.entries", "64"));
    EXPECT_EQ(b.in.entries, 64u);
}

}  // namespace
}  // namespace itsim
