// fuzz_make_seeds OUTDIR TRACE...: seed corpora for every harness, from the
// scenario traces (traces/*.its) and the parameter catalogue.
//
//   trace_reader/  each trace, whole when it fits kMaxTraceSeed bytes, else
//                  its header and platform lines plus windows of lines
//   params/        each trace's platform settings as a config file; every
//                  default as `name = value`; each parameter alone, in the
//                  file form and the tab-separated set() form
//   its_core/      each trace's commands (raw words) and MSIs as a program
//                  for fuzz_its_core after a driver-like bring-up, in both
//                  EventID configurations
//   gits_regs/     bring-up register sequences with commands run over them
//   gicr_regs/     each trace's `lpi` lines as property bytes, then
//                  EnableLPIs, SETLPIR/acknowledge of those LPIs, SYNCR,
//                  invalidations and disable, on every unit
// The op numbers used here are the harnesses' (see their file comments).
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "params.h"
#include "trace/trace.h"

using namespace itsim;

namespace {

constexpr size_t kMaxTraceSeed = 16384;
constexpr size_t kMaxProgram = 8000;

struct Bytes {
    std::string b;
    Bytes& u8(uint64_t v) { b.push_back(char(v & 0xFF)); return *this; }
    Bytes& u16(uint64_t v) { return u8(v).u8(v >> 8); }
    Bytes& u32(uint64_t v) { return u16(v).u16(v >> 16); }
    Bytes& u64(uint64_t v) { return u32(v).u32(v >> 32); }
};

std::string g_out;
unsigned g_files = 0;

void put(const std::string& harness, const std::string& name, const std::string& content) {
    const std::string dir = g_out + "/" + harness;
    ::mkdir(g_out.c_str(), 0755);
    ::mkdir(dir.c_str(), 0755);
    std::ofstream(dir + "/" + name, std::ios::binary) << content;
    ++g_files;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string stem(const std::string& path) {
    std::string s = path.substr(path.find_last_of('/') + 1);
    return s.substr(0, s.find('.'));
}

// ---- trace_reader ----
void trace_seeds(const std::string& name, const std::string& text) {
    if (text.size() <= kMaxTraceSeed) {
        put("trace_reader", name, text);
        return;
    }
    std::vector<std::string> lines, head;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l + "\n");
    size_t i = 0;
    for (; i < lines.size(); ++i) {
        head.push_back(lines[i]);
        if (lines[i].rfind("itsim-trace", 0) == 0) break;
    }
    for (size_t j = i + 1; j < lines.size() && lines[j].rfind("platform", 0) == 0; ++j) head.push_back(lines[j]);
    unsigned n = 0;
    for (size_t at = i + 1; at < lines.size() && n < 8; ++n) {
        std::string s;
        for (const auto& h : head) s += h;
        // Relative times only keep a window valid on its own: keep as is,
        // a window that starts with an absolute time is still in order.
        while (at < lines.size() && s.size() + lines[at].size() < kMaxTraceSeed / 2) s += lines[at++];
        put("trace_reader", name + "_" + std::to_string(n), s);
    }
}

// ---- params ----
void params_seeds(const std::string& name, const Trace& t) {
    if (t.platform.empty()) return;
    std::string cfg;
    for (const PlatformSetting& s : t.platform) cfg += s.key + " = " + s.value + "  # from " + name + "\n";
    put("params", name, cfg);
}

void catalogue_seeds() {
    std::string all;
    for (const ParamInfo& p : param_catalogue()) {
        all += std::string(p.name) + " = " + p.default_value + "\n";
        put("params", std::string("one_") + p.name, std::string(p.name) + "=" + p.default_value + "\n" + p.name +
                                                         "\t" + p.default_value + "\n");
    }
    put("params", "defaults", all);
}

// ---- its_core ----
// Bring-up as the driver agent does it: a 64 KiB queue, flat 4 KiB-page
// device and collection tables, ITS enabled (op numbers of fuzz_its_core).
Bytes its_bringup(uint8_t config) {
    Bytes b;
    b.u8(config);
    b.u8(2).u16(0x10).u8(15).u64(0).u8(0);             // CBASER: page 0x10, 16 pages, valid
    b.u8(3).u8(0).u8(0).u16(0x30).u8(15);               // BASER0: valid, flat, 4K, 16 pages at page 0x30
    b.u8(3).u8(1).u8(0).u16(0x50).u8(0);                // BASER1: one page at page 0x50
    b.u8(5).u8(1);                                      // CTLR.Enabled
    return b;
}

void its_core_seeds(const std::string& name, const Trace& t) {
    for (uint8_t config : {uint8_t(0x01), uint8_t(0x00), uint8_t(0x03)}) {
        Bytes b = its_bringup(config);
        for (const TraceLine& l : t.lines) {
            if (b.b.size() > kMaxProgram) break;
            if (l.op == TraceLine::Op::cmd) {
                uint8_t w[32];
                to_bytes(l.cmd.raw, w);
                b.u8(7);
                for (uint8_t x : w) b.u8(x);
                b.u8(10).u8(0);                         // process one
            } else if (l.op == TraceLine::Op::msi) {
                b.u8(11).u8(0x80).u32(l.device).u8(0x80).u32(l.event);
            } else if (l.op == TraceLine::Op::wait) {
                b.u8(10).u8(15);
            }
        }
        put("its_core", name + "_" + std::to_string(config), b.b);
    }
}

// ---- gits_regs ----
void gits_seeds() {
    for (uint8_t config : {uint8_t(0x00), uint8_t(0x03), uint8_t(0x0F)}) {
        Bytes b;
        b.u8(config);
        b.u8(3).u8(0x10).u8(0);                          // CBASER in memory, 1 page
        b.u8(1 | 0x20).u8(10).u64(0x8000000000000000ull | 0x40030000 | (1ull << 56) | (7ull << 48) | 15); // BASER0
        b.u8(6).u8(1);                                   // enable
        b.u8(7).u16(4).u8(0);                            // CWRITER = 4 commands
        b.u8(4).u8(7);                                   // run
        b.u8(2 | 0x20).u8(8);                            // read CREADR (8 bytes)
        b.u8(7).u16(0).u8(1);                            // CWRITER wraps, Retry
        b.u8(4).u8(7);
        b.u8(6).u8(0);                                   // disable
        b.u8(5).u8(1);                                   // an MSI waiting
        b.u8(2).u8(0);                                   // read CTLR
        b.u8(0x10).u8(0x80).u32(0xFFE8).u8(2).u64(0);    // odd-size write at PIDR2
        put("gits_regs", "bringup_" + std::to_string(config), b.b);
    }
}

// ---- gicr_regs ----
void gicr_seeds(const std::string& name, const Trace& t) {
    std::vector<const TraceLine*> lpis;
    for (const TraceLine& l : t.lines)
        if (l.op == TraceLine::Op::lpi && lpis.size() < 64) lpis.push_back(&l);
    if (lpis.empty() && name != "bringup") return;
    for (unsigned unit = 0; unit < 4; ++unit) {
        Bytes b;
        b.u8(unit).u8(unit & 1);
        b.u8(2).u8(15).u16(0x100).u64(0);                 // PROPBASER: IDbits 15 at 1 MiB
        b.u8(3).u8(0x20).u8(0).u64(0);                    // PENDBASER at 2 MiB, no PTZ
        for (const TraceLine* l : lpis)                   // property bytes
            b.u8(10).u8(0x80).u32(l->intid).u8(0).u8((l->priority & 0xFC) | 0x02 | (l->enable ? 1 : 0));
        b.u8(4).u8(1);                                    // EnableLPIs
        for (const TraceLine* l : lpis) b.u8(5).u8(0x80).u32(l->intid);   // SETLPIR
        b.u8(20).u8(10);                                  // let the line rise
        for (size_t i = 0; i < lpis.size() && i < 8; ++i) b.u8(19);       // acknowledge
        b.u8(12).u8(0x80).u32(8200).u8(17).u8(9);         // set_pending, take_all, SYNCR
        b.u8(7).u8(0x80).u32(8193).u8(8).u8(9);           // INVLPIR, INVALLR, SYNCR
        b.u8(1 | 0x20).u8(2);                             // read TYPER (8 bytes)
        b.u8(4).u8(0);                                    // disable
        put("gicr_regs", name + "_" + std::to_string(unit), b.b);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: fuzz_make_seeds OUTDIR [TRACE...]\n";
        return 2;
    }
    g_out = argv[1];
    catalogue_seeds();
    gits_seeds();
    for (int i = 2; i < argc; ++i) {
        const std::string path = argv[i];
        const std::string name = stem(path);
        const std::string text = read_file(path);
        trace_seeds(name, text);
        try {
            const Trace t = parse_trace(text, path);
            params_seeds(name, t);
            its_core_seeds(name, t);
            gicr_seeds(name, t);
        } catch (const TraceError& e) {
            std::cerr << "fuzz_make_seeds: skipping " << e.what() << "\n";
        }
    }
    std::cout << "fuzz_make_seeds: " << g_files << " seeds in " << g_out << "\n";
    return 0;
}
