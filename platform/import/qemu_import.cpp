// import_qemu_log: read the log line by line through the Converter, then
// write the trace: the header that says what was imported and how, the
// platform line, Linux's initial property bytes, and the statements.
#include "import/qemu_import.h"

#include <sstream>

#include "import/qemu_convert.h"
#include "trace/trace.h"

namespace itsim::qemu {

namespace {

constexpr uint32_t kFirstLpi = 8192;
constexpr unsigned kDefaultLpiBits = 16;  // the default platform's LPIs 8192..65535
constexpr uint64_t kDefaultMaxTime = 10000000000000ull;  // max_time's default, 10 s

const char* kFillText =
    "# Fills: what QEMU does not print, as Linux 6.1 (irq-gic-v3-its.c) builds\n"
    "# it; each filled value is marked \"# fill:\" on its line.\n"
    "#   SYNC rdbase: Linux appends a SYNC to each command but MAPD, on the\n"
    "#     collection the command's builder returns: MAPC's own; MAPTI's and\n"
    "#     MAPI's ICID; for INV, INT, CLEAR, DISCARD and MOVI the event's\n"
    "#     collection (MOVI: before the move); INVALL's ICID. Its RDbase as\n"
    "#     QEMU read it, or as the MAPCs so far set it.\n"
    "#   INVALL icid: Linux sends INVALL right after the MAPC of a CPU coming\n"
    "#     up (its_cpu_init_collection): the ICID of the last MAPC.\n"
    "#   lpi: Linux's property table starts with every byte at priority 0xa0,\n"
    "#     disabled (the lines before the first command, one for each LPI the\n"
    "#     log maps); it writes an LPI's byte, enable bit flipped, before the\n"
    "#     INV of each mask and unmask (the line before each INV).\n";

}  // namespace

std::string Converter::finish() {
    close_all();
    if (have_process_)
        throw ImportError(opts_.source_name, process_line_, 0,
                          "the command processed here has no gicv3_its_cmd_* line before the end of the log");
    if (!opts_.cmdq.empty()) check_queue(opts_.cmdq);
    std::ostringstream o;
    const ImportStats& s = stats_;
    o << "# Imported from a QEMU log by `itsim import qemu` (docs/import.md); to\n"
      << "# change it, import the log again.\n"
      << "# Log: " << (opts_.header_name.empty() ? opts_.source_name : opts_.header_name) << ", " << s.log_lines << " lines: " << s.its_events
      << " gicv3_its events, " << s.other_lines << " other lines skipped\n"
      << "#   (other trace events, guest errors).\n"
      << "# Time: QEMU's host timestamps (-msg timestamp=on), t=0 at log line " << t0_line_ << ";\n"
      << "#   1 host second = " << format_time_scale(opts_.ps_per_host_us) << " simulated second(s) (--time-scale).\n";
    if (s.clamped_times)
        o << "#   " << s.clamped_times << " timestamp(s) earlier than the line before taken as that line's time.\n";
    o << "# Commands: " << s.commands << " in " << s.batches << " batches: the commands QEMU processed at one\n"
      << "#   register write (GITS_CWRITER), then kick and wait until=drained\n"
      << "#   (Linux polls GITS_CREADR after each GITS_CWRITER write).\n"
      << "# MSIs: " << s.msis << " (" << s.delivered << " translated, " << s.dropped << " dropped), each with an\n"
      << "#   expect of QEMU's outcome: the INTID of the ITE and the RDbase (CPU) of\n"
      << "#   the collection QEMU read. expect cmd=N ok: " << s.cmd_expects << " commands QEMU\n"
      << "#   completed (it wrote the table entry, or read the event's collection).\n"
      << "# ITTs: Linux's addresses relocated into the trace's 256 MiB at 0x40000000:\n"
      << "#   " << s.itt_slots << " slots, one for each MAPD that gives a device a new ITT (\"# relocated:\").\n"
      << kFillText;
    if (!opts_.cmdq.empty())
        o << "# Checked against a dump of the command queue: " << s.cmdq_checked
          << " commands equal its raw words, fills included (" << s.cmdq_skipped << " no longer in it).\n";
    if (s.msis_on_disabled)
        o << "# Note: " << s.msis_on_disabled << " MSI(s) arrive on an LPI the lpi fills leave disabled (\"note:\").\n";
    o << "itsim-trace 1\n";
    // Linux brings up one collection per CPU, RDbase = processor number.
    const uint64_t cpus = any_rdbase_ ? max_rdbase_ + 1 : 1;
    o << "platform cpus=" << cpus;
    uint32_t max_lpi = 0;
    for (uint32_t l : mapped_lpis_) max_lpi = l > max_lpi ? l : max_lpi;
    for (const auto& kv : lpi_enabled_) max_lpi = kv.first > max_lpi ? kv.first : max_lpi;
    unsigned bits = kDefaultLpiBits;
    while (bits < 24 && (uint64_t{1} << bits) <= max_lpi) ++bits;
    if (bits != kDefaultLpiBits) o << " its.lpi_bits=" << bits;
    // A run stops at max_time (10 s by default): past that, room for the
    // whole trace and a second more.
    const uint64_t end_ps = out_.empty() ? 0 : [&] {
        uint64_t e = 0;
        for (const OutLine& l : out_)
            if (!l.comment) e = l.t_ps;
        return e;
    }();
    constexpr uint64_t kSecond = 1000000000000ull;
    if (end_ps + kSecond > kDefaultMaxTime) o << " max_time=" << (end_ps / kSecond + 2) << "s";
    o << "\n";
    unsigned initial = 0;
    for (uint32_t l : mapped_lpis_) {
        if (l < kFirstLpi || l >= (1u << 24)) continue;
        if (initial++ == 0) o << "# Linux's property table before the first command (fill)\n";
        o << "lpi intid=0x" << std::hex << l << std::dec << " priority=0xa0 enable=0\n";
    }
    stats_.lpi_fills += initial;
    uint64_t now = 0;
    for (const OutLine& l : out_) {
        if (!l.comment && l.t_ps != now) {
            o << "@" << format_ps(l.t_ps) << " ";
            now = l.t_ps;
        }
        o << l.text << "\n";
    }
    return o.str();
}

namespace {

template <class NextLine>
std::string run(NextLine next, const ImportOptions& opts, ImportStats* stats) {
    ImportStats local;
    ImportStats& s = stats ? *stats : local;
    s = ImportStats{};
    Converter conv(opts, s);
    std::string line;
    unsigned n = 0;
    while (next(line)) {
        if (n == UINT32_MAX) throw ImportError(opts.source_name, n, 0, "more than 2^32 lines");
        ++n;
        LogEvent ev;
        if (read_log_line(line, n, opts.source_name, ev) == LineKind::its_event) conv.on_event(ev);
        else ++s.other_lines;
    }
    s.log_lines = n;
    std::string text = conv.finish();
    // What we write must be a trace the reader takes as it is.
    try {
        parse_trace(text, opts.source_name + " (imported)");
    } catch (const TraceError& e) {
        throw ImportError(opts.source_name, 0, 0, std::string("internal error: the imported trace is invalid: ") + e.what());
    }
    return text;
}

}  // namespace

std::string import_qemu_log(std::istream& in, const ImportOptions& opts, ImportStats* stats) {
    return run([&](std::string& line) { return bool(std::getline(in, line)); }, opts, stats);
}

std::string import_qemu_log(std::string_view text, const ImportOptions& opts, ImportStats* stats) {
    size_t pos = 0;
    return run(
        [&](std::string& line) {
            if (pos >= text.size()) return false;
            size_t nl = text.find('\n', pos);
            if (nl == std::string_view::npos) nl = text.size();
            line.assign(text.substr(pos, nl - pos));
            pos = nl + 1;
            return true;
        },
        opts, stats);
}

bool parse_time_scale(std::string_view text, uint64_t& ps_per_host_us) {
    // scale x 10^6 ps per host us, exactly: integer digits, optional fraction.
    uint64_t whole = 0, frac = 0;
    unsigned frac_digits = 0;
    size_t i = 0;
    bool any = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
        if (whole > 1000000000000ull) return false;
        whole = whole * 10 + unsigned(text[i] - '0');
    }
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
            if (frac_digits == 6) {
                if (text[i] != '0') return false;  // finer than 1 ps per host us
                continue;
            }
            frac = frac * 10 + unsigned(text[i] - '0');
            ++frac_digits;
        }
    }
    if (!any || i != text.size()) return false;
    while (frac_digits < 6) {
        frac *= 10;
        ++frac_digits;
    }
    ps_per_host_us = whole * 1000000 + frac;
    return ps_per_host_us >= 1;
}

std::string format_time_scale(uint64_t ps) {
    std::string s = std::to_string(ps / 1000000);
    uint64_t frac = ps % 1000000;
    if (frac) {
        std::string f = std::to_string(frac);
        f.insert(0, 6 - f.size(), '0');
        while (f.back() == '0') f.pop_back();
        s += "." + f;
    }
    return s;
}

}  // namespace itsim::qemu
