#include "dts.h"

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "params.h"
#include "platform_config.h"
#include "run.h"
#include "trace/trace.h"

namespace itsim {

namespace {

// "0x0 0x8000000": a 64-bit value as two 32-bit cells.
std::string cells(uint64_t v) {
    char b[40];
    std::snprintf(b, sizeof b, "0x%x 0x%x", unsigned(v >> 32), unsigned(v & 0xFFFFFFFFu));
    return b;
}

std::string bare_hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", (unsigned long long)v);
    return b;
}

}  // namespace

std::string device_tree(const Params& p_in, uint64_t gicd_base) {
    // The memory map as System builds it: the derived defaults (GICv4's
    // 4-frame redistributor stride, the redistributors after several ITSs).
    Params p = p_in;
    apply_derived_defaults(p);
    PlatformConfig pc;
    pc.set("gic.version", p.raw("gic.version"));
    const uint64_t cpus = p.integer("cpus");
    const uint64_t ram = p.integer("ram.base"), ram_size = p.integer("ram.size");
    const uint64_t its = p.integer("its.base"), nits = p.integer("its.count"), its_span = pc.its_stride();
    const uint64_t rd = p.integer("redist.base"), stride = p.integer("redist.stride");
    const std::string ver = p.raw("gic.version");
    std::ostringstream o;
    o << "// itsim dts: the GIC of this configuration (" << cpus << " CPUs";
    if (has_gicv4(pc.gic_version)) o << ", GICv" << ver;
    if (nits > 1) o << ", " << nits << " ITSs";
    o << ").\n"
      << "/dts-v1/;\n\n/ {\n"
      << "\t#address-cells = <2>;\n\t#size-cells = <2>;\n"
      << "\tinterrupt-parent = <&gic>;\n\n"
      << "\tmemory@" << bare_hex(ram) << " {\n\t\tdevice_type = \"memory\";\n"
      << "\t\treg = <" << cells(ram) << " " << cells(ram_size) << ">;\n\t};\n\n"
      << "\tgic: interrupt-controller@" << bare_hex(gicd_base) << " {\n"
      << "\t\tcompatible = \"arm,gic-v3\";\n"
      << "\t\t#interrupt-cells = <3>;\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n"
      << "\t\tranges;\n\t\tinterrupt-controller;\n"
      << "\t\t#redistributor-regions = <1>;\n"
      << "\t\tredistributor-stride = <" << cells(stride) << ">;\n"
      << "\t\treg = <" << cells(gicd_base) << " " << cells(0x10000) << ">,\t// GICD (not modelled by itsim)\n"
      << "\t\t      <" << cells(rd) << " " << cells(cpus * stride) << ">;\t// GICR: " << cpus << " x "
      << "0x" << bare_hex(stride);
    // GICv4: RD_base, SGI_base, VLPI_base and a reserved frame; Linux finds
    // the virtual side in GICR_TYPER.VLPIS, not in the tree.
    if (has_gicv4(pc.gic_version)) o << " (RD_base, SGI_base, VLPI_base, reserved)";
    o << "\n"
      << "\t\tinterrupts = <1 9 4>;\t// maintenance interrupt, PPI 9\n";
    // One msi-controller per ITS, each at its own frames (GITS_SGIR's
    // third frame with GICv4.1: Linux maps it at ITS_base + 128 KiB).
    for (uint64_t n = 0; n < nits; ++n) {
        const uint64_t base = its + n * its_span;
        o << "\n\t\t" << (n ? "its" + std::to_string(n) : std::string("its")) << ": msi-controller@" << bare_hex(base)
          << " {\n"
          << "\t\t\tcompatible = \"arm,gic-v3-its\";\n"
          << "\t\t\tmsi-controller;\n\t\t\t#msi-cells = <1>;\n"
          << "\t\t\treg = <" << cells(base) << " " << cells(its_span) << ">;\t// control + translation frame"
          << (its_span > 0x20000 ? " + GITS_SGIR frame" : "") << "\n"
          << "\t\t};\n";
    }
    o << "\t};\n};\n";
    return o.str();
}

int dts_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    RunOptions opts;
    uint64_t gicd = 0x08000000;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto next = [&](std::string& v) {
            if (i + 1 >= args.size()) return false;
            v = args[++i];
            return true;
        };
        std::string v;
        if (a == "--config" && next(v)) {
            opts.config_files.push_back(v);
        } else if (a == "--set" && next(v)) {
            opts.sets.push_back(v);
        } else if (a == "--gicd" && next(v)) {
            if (!parse_trace_number(v, false, gicd) || (gicd & 0xFFFF)) {
                err << "itsim dts: --gicd " << v << ": not a 64 KiB-aligned address\n";
                return 2;
            }
        } else if (a == "-h" || a == "--help") {
            out << "usage: itsim dts [TRACE] [--config FILE]... [--set key=value]... [--gicd ADDR]\n";
            return 0;
        } else if (!a.empty() && a[0] != '-' && opts.trace_path.empty()) {
            opts.trace_path = a;
        } else {
            err << "itsim dts: bad argument '" << a << "' (itsim dts --help)\n";
            return 2;
        }
    }
    Params params;
    try {
        Trace trace;
        if (!opts.trace_path.empty()) trace = scan_trace_file(opts.trace_path);
        apply_settings(params, opts, trace);
    } catch (const std::exception& e) {
        err << e.what() << "\n";
        return 2;
    }
    out << device_tree(params, gicd);
    return 0;
}

}  // namespace itsim
