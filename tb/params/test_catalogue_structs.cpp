// The parameter catalogue is the config structs' own field lists
// (platform_config.h): the defaults it lists are the ones the models run
// with, every parameter reaches the member it names in the built System,
// and every field of every library config object is settable by name.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "params.h"
#include "platform_config.h"
#include "system.h"

namespace itsim {
namespace {

uint64_t ps(const sc_core::sc_time& t) { return t.value(); }   // the kernel's resolution is 1 ps here

const BusMapping& mapping(System& s, const std::string& name) {
    for (const BusMapping& m : s.bus().mappings())
        if (m.name == name) return m;
    // With its.count > 1 the first ITS is its0.
    for (const BusMapping& m : s.bus().mappings())
        if (m.name == name + "0") return m;
    throw std::out_of_range("no bus mapping " + name);
}

// Where each parameter must land, read from the built System without the
// field descriptions (so a description wired to the wrong member fails):
// the value as parse_field numbers it (integers, times in ps, clocks as
// periods in ps, booleans 0/1, a choice its word's index).
using Reader = std::function<uint64_t(System&)>;
const std::vector<std::pair<std::string, Reader>>& landing() {
    static const std::vector<std::pair<std::string, Reader>> rows = {
        {"cpus", [](System& s) { return uint64_t(s.cpus()); }},
        {"mode", [](System& s) { return uint64_t(s.its().config().mode == TimingMode::fast); }},
        // Not the models': run.cpp reads these from Params; System keeps them.
        {"quantum", [](System& s) { return s.config().platform.quantum_ps; }},
        {"seed", [](System& s) { return s.config().platform.seed; }},
        {"max_time", [](System& s) { return s.config().platform.max_time_ps; }},
        {"error_policy", [](System& s) { return uint64_t(s.its().config().core.error_policy == ItsErrorPolicy::stall); }},
        {"progress", [](System& s) { return uint64_t(s.config().platform.progress); }},   // auto, on, off
        {"coalesce", [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().coalesce); }},
        {"ram.base", [](System& s) { return mapping(s, "ram").base; }},
        {"ram.size", [](System& s) { return s.ram().config().size; }},
        {"its.base", [](System& s) { return mapping(s, "its").base; }},
        {"redist.base", [](System& s) { return s.redist(0).config().rd_base; }},
        {"redist.stride", [](System& s) { return s.redist(1).config().rd_base - s.redist(0).config().rd_base; }},
        {"bus.clock", [](System& s) { return ps(s.bus().config().clock_period); }},
        {"bus.hop_cycles", [](System& s) { return uint64_t(s.bus().config().hop_cycles); }},
        {"mem.read_latency", [](System& s) { return ps(s.ram().config().read_latency); }},
        {"mem.write_latency", [](System& s) { return ps(s.ram().config().write_latency); }},
        {"mem.clock", [](System& s) { return ps(s.ram().config().clock_period); }},
        {"mem.bytes_per_cycle", [](System& s) { return uint64_t(s.ram().config().bytes_per_cycle); }},
        {"mem.dmi", [](System& s) { return uint64_t(s.ram().config().dmi); }},
        {"its.clock", [](System& s) { return ps(s.its().config().timing.clock_period); }},
        {"its.device_bits", [](System& s) { return uint64_t(s.its().config().core.device_id_bits); }},
        {"its.event_bits", [](System& s) { return uint64_t(s.its().config().core.event_id_bits); }},
        {"its.icid_bits", [](System& s) { return uint64_t(s.its().config().core.icid_bits); }},
        {"its.lpi_bits", [](System& s) { return uint64_t(s.its().config().core.lpi_intid_bits); }},
        {"its.pta", [](System& s) { return uint64_t(s.its().config().core.pta); }},
        {"its.max_reads", [](System& s) { return uint64_t(s.its().config().max_reads); }},
        {"its.max_writes", [](System& s) { return uint64_t(s.its().config().max_writes); }},
        {"its.translation_slots", [](System& s) { return uint64_t(s.its().config().translation_slots); }},
        {"its.ingress_depth", [](System& s) { return uint64_t(s.its().config().ingress_depth); }},
        {"its.device_cache.entries", [](System& s) { return uint64_t(s.its().config().core.device_cache.entries); }},
        {"its.device_cache.ways", [](System& s) { return uint64_t(s.its().config().core.device_cache.ways); }},
        {"its.event_cache.entries", [](System& s) { return uint64_t(s.its().config().core.event_cache.entries); }},
        {"its.event_cache.ways", [](System& s) { return uint64_t(s.its().config().core.event_cache.ways); }},
        {"its.collection_cache.entries",
         [](System& s) { return uint64_t(s.its().config().core.collection_cache.entries); }},
        {"its.collection_cache.ways", [](System& s) { return uint64_t(s.its().config().core.collection_cache.ways); }},
        {"its.vmovp", [](System& s) { return uint64_t(s.its().config().core.vmovp); }},
        {"its.vpe_cache.entries", [](System& s) { return uint64_t(s.its().config().core.vpe_cache.entries); }},
        {"its.vpe_cache.ways", [](System& s) { return uint64_t(s.its().config().core.vpe_cache.ways); }},
        {"its.register_cycles", [](System& s) { return uint64_t(s.its().config().timing.register_cycles); }},
        {"its.ingress_cycles", [](System& s) { return uint64_t(s.its().config().timing.ingress_cycles); }},
        {"its.lookup_cycles", [](System& s) { return uint64_t(s.its().config().timing.lookup_cycles); }},
        {"its.decode_cycles", [](System& s) { return uint64_t(s.its().config().timing.decode_cycles); }},
        {"its.execute_cycles", [](System& s) { return uint64_t(s.its().config().timing.execute_cycles); }},
        {"its.hop_cycles", [](System& s) { return uint64_t(s.its().config().timing.hop_cycles); }},
        // The driver agent does not show its configuration: System's copy.
        {"its.device_table", [](System& s) { return uint64_t(s.config().driver.device_indirect); }},
        {"its.collection_table", [](System& s) { return uint64_t(s.config().driver.collection_indirect); }},
        {"its.page_size",   // 4K, 16K, 64K
         [](System& s) {
             const uint64_t p = s.config().driver.page_size;
             return uint64_t(p == 4096 ? 0 : p == 16384 ? 1 : p == 65536 ? 2 : 99);
         }},
        {"its.cmdq_pages", [](System& s) { return uint64_t(s.config().driver.cmdq_pages); }},
        // The redistributors: the last one (each is its own copy).
        {"redist.clock", [](System& s) { return ps(s.redist(s.cpus() - 1).timing().clock_period); }},
        {"redist.config_cache.entries",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().config_cache_entries); }},
        {"redist.config_cache.ways",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().config_cache_ways); }},
        {"redist.lookup_cycles",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).timing().config_lookup_cycles); }},
        {"redist.pending_cycles",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).timing().pending_update_cycles); }},
        {"redist.vpt_parse_cycles",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).timing().vpt_parse_cycles); }},
        {"redist.vsgi_query_cycles",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).timing().vsgi_query_cycles); }},
        {"redist.signal_cycles", [](System& s) { return uint64_t(s.redist(s.cpus() - 1).timing().signal_cycles); }},
        {"redist.register_cycles", [](System& s) { return uint64_t(s.redist(s.cpus() - 1).timing().mmio_cycles); }},
        {"redist.config_line_bytes",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().config_line_bytes); }},
        {"redist.pending_read_burst",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().pending_read_burst); }},
        {"redist.pending_table",
         [](System& s) {
             return uint64_t(s.redist(s.cpus() - 1).config().pending_table == PendingTablePolicy::through);
         }},
        {"redist.lazy_dirty_limit",
         [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().lazy_dirty_limit); }},
        {"redist.allow_disable", [](System& s) { return uint64_t(s.redist(s.cpus() - 1).config().allow_disable); }},
        {"driver.queue_timeout", [](System& s) { return s.config().driver.queue_timeout_ps; }},
        {"driver.dirty_poll", [](System& s) { return s.driver().config().dirty_poll_ps; }},
        {"driver.dirty_timeout", [](System& s) { return s.driver().config().dirty_timeout_ps; }},
        {"its.vpe_table", [](System& s) { return uint64_t(s.driver().config().vpe_indirect); }},
        // GICv4 and several ITSs: what the driver agent was given and the ITSs built.
        {"gic.version", [](System& s) { return uint64_t(s.driver().config().version); }},   // 3, 4.0, 4.1
        {"gic.vpes", [](System& s) { return uint64_t(s.driver().config().vpes); }},
        {"gic.vpes_per_vm", [](System& s) { return uint64_t(s.driver().config().vpes_per_vm); }},
        {"gic.doorbell_base", [](System& s) { return uint64_t(s.driver().config().doorbell_base); }},
        {"its.count", [](System& s) { return uint64_t(s.its_count()); }},
        {"cpu.ack_latency", [](System& s) { return ps(s.cpu(s.cpus() - 1).config().ack_latency); }},
        {"cpu.handler_latency", [](System& s) { return ps(s.cpu(s.cpus() - 1).config().handler_latency); }},
        {"cpu.pmr", [](System& s) { return uint64_t(s.cpu(s.cpus() - 1).config().pmr); }},
        {"cpu.preempt", [](System& s) { return uint64_t(s.cpu(s.cpus() - 1).config().preempt); }},
        {"cpu.bpr", [](System& s) { return uint64_t(s.cpu(s.cpus() - 1).config().bpr); }},
        {"cpu.vack_latency", [](System& s) { return ps(s.cpu(s.cpus() - 1).config().vack_latency); }},
        {"cpu.vhandler_latency", [](System& s) { return ps(s.cpu(s.cpus() - 1).config().vhandler_latency); }},
    };
    return rows;
}

uint64_t number(const ParamInfo& p, const std::string& text) {
    uint64_t v = 0;
    std::string why;
    EXPECT_TRUE(parse_field(p.field, text, v, &why)) << p.name << "=" << text << ": " << why;
    return v;
}

std::map<std::string, uint64_t> read_all(System& s) {
    std::map<std::string, uint64_t> out;
    for (const auto& [name, read] : landing()) out[name] = read(s);
    return out;
}

// Values other than the default, in the field's own grammar, to try in turn
// (some combinations System refuses: entries not a multiple of ways, ...).
std::vector<std::string> other_values(const ParamInfo& p) {
    const uint64_t d = number(p, p.default_value);
    std::vector<uint64_t> c;
    switch (p.field.type) {
    case FieldType::integer: c = {d + 1, d - 1, p.min, p.max, d * 2}; break;
    case FieldType::boolean: c = {1 - d}; break;
    case FieldType::choice:
        for (uint64_t k = 0; k < p.field.choices.size(); ++k) c.push_back(k);
        break;
    case FieldType::time: c = {d * 2, d + 1, 1000}; break;
    case FieldType::clock: c = {d * 2, d / 2}; break;   // half and double the frequency
    case FieldType::text: break;
    }
    std::vector<std::string> out;
    for (uint64_t v : c) {
        if (v == d || (p.field.type == FieldType::integer && (v < p.min || v > p.max))) continue;
        const std::string text = format_field(p.field, v);
        uint64_t back = 0;
        if (parse_field(p.field, text, back, nullptr) && back == v) out.push_back(text);
    }
    return out;
}

TEST(Catalogue, EveryParameterHasALandingAndNoneIsLeftOut) {
    std::set<std::string> rows;
    for (const auto& row : landing()) EXPECT_TRUE(rows.insert(row.first).second) << row.first << " twice";
    std::set<std::string> names;
    for (const ParamInfo& p : param_catalogue()) {
        names.insert(p.name);
        EXPECT_TRUE(rows.count(p.name)) << p.name << " has no landing row in this test";
    }
    EXPECT_EQ(names, rows);
    // Every field each struct describes is in the catalogue: the lists'
    // sizes add up (none is lost between the structs and the catalogue).
    const size_t described = PlatformConfig::fields().size() + BusConfig::fields().size() +
                             MemoryConfig::fields().size() + ItsModuleConfig::fields().size() +
                             DriverConfig::fields().size() + RedistTiming::fields().size() +
                             RedistConfig::fields().size() + CpuInterfaceConfig::fields().size();
    EXPECT_EQ(described, param_catalogue().size());
    EXPECT_EQ(ItsModuleConfig::fields().size(), ItsConfig::fields().size() + ItsTiming::fields().size() + 4);
}

// The defaults `itsim params` lists are the ones the built models hold,
// and each reads back to itself.
TEST(Catalogue, DefaultsAreTheModelsOwn) {
    ASSERT_EQ(sc_core::sc_get_time_resolution(), sc_core::sc_time(1, sc_core::SC_PS));   // ps() above
    Params params;
    System sys(params);
    const std::map<std::string, uint64_t> live = read_all(sys);
    const SystemConfig defaults;
    for (const ParamInfo& p : param_catalogue()) {
        EXPECT_EQ(live.at(p.name), number(p, p.default_value)) << p.name << " default " << p.default_value;
        EXPECT_EQ(defaults.get(p.name), p.default_value) << p.name;
        SystemConfig c;
        std::string e;
        EXPECT_TRUE(c.set(p.name, p.default_value, &e)) << e;
        for (const ParamInfo& q : param_catalogue()) EXPECT_EQ(c.get(q.name), q.default_value) << p.name << " " << q.name;
    }
    // Members System sets from the platform: standalone, a model's default
    // is the default platform's, so a model built alone behaves the same.
    const PlatformConfig pc;
    EXPECT_EQ(MemoryConfig{}.size, pc.ram_size);
    EXPECT_EQ(RedistConfig{}.rd_base, pc.redist_base);
    EXPECT_EQ(RedistConfig{}.max_id_bits, ItsConfig{}.lpi_intid_bits);
    EXPECT_EQ(sys.redist(3).config().max_id_bits, ItsConfig{}.lpi_intid_bits);
    EXPECT_EQ(sys.ram().config().size, pc.ram_size);
    // A few stated figures (QEMU virt's map, GIC-600's outstanding reads).
    EXPECT_EQ(params.raw("ram.base"), "0x40000000");
    EXPECT_EQ(params.raw("redist.base"), "0x080A0000");
    EXPECT_EQ(params.raw("its.max_reads"), "5");
    EXPECT_EQ(params.raw("its.page_size"), "64K");
}

// Each parameter set through --set reaches exactly its own member of the
// built System, and nothing else moves.
TEST(Catalogue, EveryParameterReachesItsMember) {
    // Systems are built one after another in this process, none simulated:
    // the ITS's spawned method outlives its module, so a later ITS's is
    // renamed (a warning, otherwise a failure here). Names play no part.
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_INSTANCE_EXISTS_, sc_core::SC_DO_NOTHING);
    std::map<std::string, uint64_t> base;
    {
        Params params;
        System sys(params);
        base = read_all(sys);
    }
    for (const ParamInfo& p : param_catalogue()) {
        bool built = false;
        std::string refused;
        for (const std::string& v : other_values(p)) {
            Params params;
            params.set_assignment(p.name + "=" + v, "--set " + p.name + "=" + v);
            std::map<std::string, uint64_t> live;
            try {
                System sys(params);
                live = read_all(sys);
            } catch (const std::exception& e) {   // ConfigError, or a bus window overlap
                refused += std::string(" ") + e.what();
                continue;
            }
            built = true;
            EXPECT_EQ(live.at(p.name), number(p, v)) << p.name << "=" << v;
            EXPECT_NE(live.at(p.name), base.at(p.name)) << p.name << "=" << v;
            for (const auto& [name, value] : base) {
                if (name == p.name) continue;
                // Derived defaults (apply_derived_defaults): GICv4 doubles the
                // stride; a second ITS moves the redistributors after it.
                if (p.name == "gic.version" && name == "redist.stride") {
                    EXPECT_EQ(live.at(name), 0x40000u) << p.name << "=" << v;
                    continue;
                }
                if (p.name == "its.count" && name == "redist.base") {
                    EXPECT_EQ(live.at(name), 0x08080000u + 0x20000u * number(p, v)) << p.name << "=" << v;
                    continue;
                }
                // The stride shows only between redistributors: cpus moves nothing else.
                EXPECT_EQ(live.at(name), value) << p.name << "=" << v << " moved " << name;
            }
            break;
        }
        EXPECT_TRUE(built) << p.name << ": no other value built:" << refused;
    }
}

// ---------------------------------------------------------------- library config objects

// For a struct with fields(): every field set to another good value reads
// it back; a bad one is refused with a message naming field and value and
// changes nothing.
template <class S>
void check_object(const char* what) {
    S s;
    const S defaults;
    for (const ParamInfo& p : catalogue_for(S::fields(), "")) {
        SCOPED_TRACE(std::string(what) + "." + p.name);
        EXPECT_EQ(s.get(p.name), defaults.get(p.name));
        const std::vector<std::string> others = other_values(p);
        ASSERT_FALSE(others.empty());
        std::string e;
        EXPECT_TRUE(s.set(p.name, others.front(), &e)) << e;
        EXPECT_EQ(s.get(p.name), others.front());
        std::string bad, why;
        switch (p.field.type) {
        case FieldType::integer:
            bad = p.max < UINT64_MAX ? std::to_string(p.max + 1) : "12 apples";
            why = p.max < UINT64_MAX ? "out of range [" + std::to_string(p.min) + ", " + std::to_string(p.max) + "]"
                                     : "not a number (decimal, 0x hex, optional K/M/G)";
            break;
        case FieldType::boolean: bad = "maybe", why = "must be 0 or 1 (or true/false, on/off, yes/no)"; break;
        case FieldType::choice: bad = "none", why = "must be one of " + p.choices; break;
        case FieldType::time: bad = "5", why = "not a time (a number with a unit ps, ns, us, ms or s)"; break;
        case FieldType::clock:
            bad = "3GHz", why = "not a frequency (a number with Hz, kHz, MHz or GHz whose period is whole picoseconds)";
            break;
        case FieldType::text: break;
        }
        EXPECT_FALSE(s.set(p.name, bad, &e));
        EXPECT_EQ(e, p.name + "=" + bad + ": " + why);
        EXPECT_EQ(s.get(p.name), others.front());
    }
    std::string e;
    EXPECT_FALSE(s.set("no_such_field", "1", &e));
    EXPECT_EQ(e, "unknown field 'no_such_field'");
    EXPECT_THROW(s.get("no_such_field"), std::out_of_range);
}

TEST(LibraryConfig, EveryFieldOfEveryObjectBySetAndGet) {
    check_object<ItsConfig>("ItsConfig");
    check_object<ItsTiming>("ItsTiming");
    check_object<ItsModuleConfig>("ItsModuleConfig");
    check_object<RedistConfig>("RedistConfig");
    check_object<RedistTiming>("RedistTiming");
    check_object<CpuInterfaceConfig>("CpuInterfaceConfig");
    check_object<MemoryConfig>("MemoryConfig");
    check_object<BusConfig>("BusConfig");
    check_object<DriverConfig>("DriverConfig");
    check_object<PlatformConfig>("PlatformConfig");
    check_object<SystemConfig>("SystemConfig");
}

// An integrator's view: the names of `itsim params` after the prefix.
TEST(LibraryConfig, ItsModuleConfigByTheCatalogueNames) {
    ItsModuleConfig c;
    std::string e;
    EXPECT_TRUE(c.set("event_cache.entries", "512", &e)) << e;
    EXPECT_EQ(c.core.event_cache.entries, 512u);
    EXPECT_TRUE(c.set("clock", "800MHz", &e)) << e;
    EXPECT_EQ(c.timing.clock_period, sc_core::sc_time(1250, sc_core::SC_PS));
    EXPECT_TRUE(c.set("error_policy", "stall", &e)) << e;
    EXPECT_EQ(c.core.error_policy, ItsErrorPolicy::stall);
    EXPECT_TRUE(c.set("max_reads", "0x8", &e)) << e;
    EXPECT_EQ(c.max_reads, 8u);
    EXPECT_FALSE(c.set("max_reads", "65", &e));
    EXPECT_EQ(e, "max_reads=65: out of range [1, 64]");
    EXPECT_EQ(c.max_reads, 8u);
    EXPECT_FALSE(c.set("its.max_reads", "4", &e));   // names are relative to the prefix
    EXPECT_EQ(e, "unknown field 'its.max_reads' (did you mean 'max_reads'?)");
}

// Per instance: a second ITS is the same list under its own prefix, with
// the same defaults and meanings as the platform's "its." entries.
TEST(Catalogue, BuiltPerInstance) {
    std::map<std::string, const ParamInfo*> platform;
    for (const ParamInfo& p : param_catalogue()) platform[p.name] = &p;
    const std::vector<ParamInfo> its1 = catalogue_for(ItsModuleConfig::fields(), "its1.");
    ASSERT_EQ(its1.size(), ItsModuleConfig::fields().size());
    EXPECT_EQ(its1.front().name, "its1.clock");
    EXPECT_EQ(its1.back().name, "its1.hop_cycles");
    for (const ParamInfo& p : its1) {
        const std::string rel = p.name.substr(5);
        const std::string today = rel == "error_policy" ? rel : "its." + rel;   // spelt so for the first ITS
        ASSERT_TRUE(platform.count(today)) << today;
        EXPECT_EQ(p.default_value, platform[today]->default_value) << p.name;
        EXPECT_EQ(p.description, platform[today]->description) << p.name;
        EXPECT_EQ(p.choices, platform[today]->choices) << p.name;
        EXPECT_EQ(p.min, platform[today]->min) << p.name;
        EXPECT_EQ(p.max, platform[today]->max) << p.name;
    }
    // The platform's "its." entries are that list in the same order
    // (error_policy apart), then the driver's table layout.
    std::vector<std::string> its_names;
    for (const ParamInfo& p : param_catalogue())
        if (p.name.rfind("its.", 0) == 0 && p.name != "its.base" && p.name != "its.count")
            its_names.push_back(p.name.substr(4));
    std::vector<std::string> want;
    for (const ParamInfo& p : its1)
        if (p.name != "its1.error_policy") want.push_back(p.name.substr(5));
    for (const char* d : {"device_table", "collection_table", "page_size", "cmdq_pages", "vpe_table"}) want.push_back(d);
    EXPECT_EQ(its_names, want);
}

}  // namespace
}  // namespace itsim
