// The shipped capture (traces/linux_boot.*, made by tools/capture-linux):
// importing the log again reproduces the shipped trace byte for byte, every
// msi line and its expect say what the log says QEMU did (read here with
// plain string searches, not the importer), and a damaged copy of the log is
// reported at the damaged line.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "import/gunzip.h"
#include "import/import.h"
#include "import/qemu_import.h"
#include "trace/trace.h"

namespace itsim {
namespace {

const char* kLog = "traces/linux_boot.qemu.log.gz";
const char* kCmdq = "traces/linux_boot.cmdq.bin.gz";
const char* kTrace = "traces/linux_boot.its";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> v;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
}

// The hex number after `key` in `line` (0 if none).
uint64_t hex_after(const std::string& line, const std::string& key) {
    const size_t p = line.find(key);
    return p == std::string::npos ? 0 : std::stoull(line.substr(p + key.size()), nullptr, 16);
}

TEST(ImportShipped, TheLogConvertsToTheShippedTraceByteForByte) {
    const std::string out = ::testing::TempDir() + "linux_boot.reimported.its";
    std::ostringstream o, e;
    ASSERT_EQ(import_main({"qemu", kLog, "--cmdq", kCmdq, "-o", out, "-q"}, o, e), 0) << e.str();
    const std::string shipped = slurp(kTrace);
    ASSERT_FALSE(shipped.empty());
    EXPECT_TRUE(slurp(out) == shipped) << "re-import " << out << " differs from " << kTrace;
    std::remove(out.c_str());
}

TEST(ImportShipped, EveryMsiAndExpectIsWhatTheLogSaysQemuDid) {
    const std::vector<std::string> log = lines_of(gunzip(slurp(kLog), 64u << 20));
    // From the log: each GITS_TRANSLATER write, and the ITE and collection
    // QEMU read for it (the next ite_read / cte_read before another access).
    struct Seen {
        uint64_t device, event, intid = 0, cpu = 0;
        bool translated = false;
    };
    std::vector<Seen> seen;
    bool open = false;
    for (const std::string& l : log) {
        if (l.find(":gicv3_its_translation_write ") != std::string::npos && l.find("offset 0x40 ") != std::string::npos) {
            seen.push_back({hex_after(l, "requester_id 0x"), hex_after(l, "data 0x")});
            open = true;
        } else if (open && l.find(":gicv3_its_ite_read ") != std::string::npos) {
            seen.back().intid = hex_after(l, " intid 0x");
        } else if (open && l.find(":gicv3_its_cte_read ") != std::string::npos) {
            seen.back().cpu = hex_after(l, "RDBase 0x");
            seen.back().translated = l.find("valid 1") != std::string::npos;
        } else if (l.find(":gicv3_its_dte_read ") == std::string::npos) {
            open = false;
        }
    }
    ASSERT_GT(seen.size(), 100u);
    const Trace t = read_trace_file(kTrace);
    ASSERT_EQ(t.msi_count, seen.size());
    std::vector<const TraceLine*> msis;
    for (const TraceLine& l : t.lines)
        if (l.op == TraceLine::Op::msi) msis.push_back(&l);
    size_t checked = 0;
    for (const Expect& x : t.expects) {
        if (x.kind != Expect::Kind::msi_delivered && x.kind != Expect::Kind::msi_dropped) continue;
        ASSERT_GE(x.msi, 1u);
        const Seen& s = seen.at(x.msi - 1);
        EXPECT_EQ(msis[x.msi - 1]->device, s.device) << "msi " << x.msi;
        EXPECT_EQ(msis[x.msi - 1]->event, s.event) << "msi " << x.msi;
        ASSERT_TRUE(s.translated) << "msi " << x.msi;
        ASSERT_EQ(x.kind, Expect::Kind::msi_delivered);
        EXPECT_EQ(x.intid, s.intid) << "msi " << x.msi;
        EXPECT_EQ(x.cpu, s.cpu) << "msi " << x.msi;
        ++checked;
    }
    EXPECT_EQ(checked, seen.size());  // one expect for every msi
    // The capture's devices: virtio-net (4 queue pairs + config: 9 vectors),
    // virtio-blk (2 queues + config) and NVMe (admin + 4 I/O queues), each
    // with MSIs; CPU 1 went offline and came back: interrupts at every CPU.
    std::vector<bool> cpu(4, false);
    for (const Seen& s : seen) cpu.at(s.cpu) = true;
    EXPECT_EQ(cpu, std::vector<bool>(4, true));
}

TEST(ImportShipped, ADamagedLineOfTheShippedLogIsReportedWithItsNumber) {
    std::vector<std::string> log = lines_of(gunzip(slurp(kLog), 64u << 20));
    // Cut the first MAPTI line short.
    size_t n = 0;
    while (n < log.size() && log[n].find(":gicv3_its_cmd_mapti ") == std::string::npos) ++n;
    ASSERT_LT(n, log.size());
    log[n] = log[n].substr(0, log[n].find(" pINTID"));
    std::string text;
    for (const std::string& l : log) text += l + "\n";
    qemu::ImportOptions o;
    o.source_name = "damaged.log";
    try {
        qemu::import_qemu_log(std::string_view(text), o);
        FAIL() << "no error";
    } catch (const qemu::ImportError& e) {
        EXPECT_EQ(e.line(), n + 1);
        const std::string want = "damaged.log:" + std::to_string(n + 1) + ":" + std::to_string(log[n].size() + 1) +
                                 ": error: malformed gicv3_its_cmd_mapti event: expected ' pINTID 0x'";
        EXPECT_EQ(std::string(e.what()).rfind(want, 0), 0u) << e.what();
    }
}

}  // namespace
}  // namespace itsim
