// Small QEMU logs for the import tests: each helper returns the lines QEMU
// 7.2 prints for one thing (a command with the table accesses it does, an
// MSI with its reads), in QEMU's format, with a host timestamp.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "import/qemu_import.h"

namespace itsim::qemu::test {

class LogBuilder {
public:
    // The host time of the next lines, in microseconds after 1700000000 s.
    LogBuilder& at(uint64_t us) {
        us_ = us;
        return *this;
    }
    // One raw event line with the current timestamp.
    LogBuilder& ev(const std::string& name_and_message) {
        char p[48];
        std::snprintf(p, sizeof p, "4242@%llu.%06llu:", 1700000000ull + us_ / 1000000,
                      static_cast<unsigned long long>(us_ % 1000000));
        text += p + name_and_message + "\n";
        return *this;
    }
    LogBuilder& raw(const std::string& line) {
        text += line + "\n";
        return *this;
    }
    LogBuilder& process(unsigned opcode) {
        return ev("gicv3_its_process_command GICv3 ITS: processing command at offset " + h(index_++) + ": " + h(opcode));
    }
    LogBuilder& cwriter() { return ev("gicv3_its_write GICv3 ITS write: offset 0x88 data " + h(index_ * 32) + " size 4"); }
    LogBuilder& creadr() { return ev("gicv3_its_read GICv3 ITS read: offset 0x90 data " + h(index_ * 32) + " size 4"); }

    // Commands, each with QEMU's table accesses when it succeeds.
    LogBuilder& mapc(unsigned icid, unsigned rd) {
        process(0x9).ev("gicv3_its_cmd_mapc GICv3 ITS: command MAPC ICID " + h(icid) + " RDbase " + h(rd) + " V 1");
        return ev("gicv3_its_cte_write GICv3 ITS: Collection Table write for ICID " + h(icid) + ": valid 1 RDBase " + h(rd));
    }
    LogBuilder& mapd(unsigned dev, unsigned size, uint64_t itt, unsigned v = 1) {
        process(0x8).ev("gicv3_its_cmd_mapd GICv3 ITS: command MAPD DeviceID " + h(dev) + " Size " + h(size) +
                        " ITT_addr " + h(itt >> 8) + " V " + std::to_string(v));
        return ev("gicv3_its_dte_write GICv3 ITS: Device Table write for DeviceID " + h(dev) + ": valid " +
                  std::to_string(v) + " size " + h(size) + " ITTaddr " + h(itt >> 8));
    }
    LogBuilder& mapti(unsigned dev, unsigned event, unsigned icid, unsigned intid) {
        process(0xa).ev("gicv3_its_cmd_mapti GICv3 ITS: command MAPTI DeviceID " + h(dev) + " EventID " + h(event) +
                        " ICID " + h(icid) + " pINTID " + h(intid));
        return ev("gicv3_its_ite_write GICv3 ITS: Interrupt Table write for ITTaddr 0x42000000 EventID " + h(event) +
                  ": valid 1 inttype 1 intid " + h(intid) + " ICID " + h(icid) + " vPEID 0x0 doorbell 0x3ff");
    }
    // INV/DISCARD/MOVI with QEMU's reads of the ITE and the collection(s).
    LogBuilder& by_event(const char* name, unsigned opcode, unsigned dev, unsigned event, unsigned intid, unsigned icid,
                         unsigned rd) {
        process(opcode).ev(std::string("gicv3_its_cmd_") + name + " GICv3 ITS: command " + upper(name) + " DeviceID " +
                           h(dev) + " EventID " + h(event));
        return reads(event, intid, icid, rd);
    }
    LogBuilder& movi(unsigned dev, unsigned event, unsigned new_icid, unsigned intid, unsigned old_icid, unsigned old_rd,
                     unsigned new_rd) {
        process(0x1).ev("gicv3_its_cmd_movi GICv3 ITS: command MOVI DeviceID " + h(dev) + " EventID " + h(event) +
                        " ICID " + h(new_icid));
        reads(event, intid, old_icid, old_rd);
        ev("gicv3_its_cte_read GICv3 ITS: Collection Table read for ICID " + h(new_icid) + ": valid 1 RDBase " + h(new_rd));
        return ev("gicv3_its_ite_write GICv3 ITS: Interrupt Table write for ITTaddr 0x42000000 EventID " + h(event) +
                  ": valid 1 inttype 1 intid " + h(intid) + " ICID " + h(new_icid) + " vPEID 0x0 doorbell 0x3ff");
    }
    LogBuilder& sync() { return process(0x5).ev("gicv3_its_cmd_sync GICv3 ITS: command SYNC"); }
    LogBuilder& invall() { return process(0xd).ev("gicv3_its_cmd_invall GICv3 ITS: command INVALL"); }
    // A GITS_TRANSLATER write; with intid/rd, the reads of a translation that succeeds.
    LogBuilder& msi(unsigned dev, unsigned event) {
        return ev("gicv3_its_translation_write GICv3 ITS TRANSLATER write: offset 0x40 data " + h(event) +
                  " size 4 requester_id " + h(dev));
    }
    LogBuilder& msi(unsigned dev, unsigned event, unsigned intid, unsigned icid, unsigned rd) {
        msi(dev, event);
        ev("gicv3_its_dte_read GICv3 ITS: Device Table read for DeviceID " + h(dev) +
           ": valid 1 size 0x3 ITTaddr 0x42000000");
        return reads(event, intid, icid, rd);
    }

    std::string text;

    static std::string h(uint64_t v) {
        char b[24];
        std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
        return b;
    }

private:
    LogBuilder& reads(unsigned event, unsigned intid, unsigned icid, unsigned rd) {
        ev("gicv3_its_ite_read GICv3 ITS: Interrupt Table read for ITTaddr 0x42000000 EventID " + h(event) +
           ": valid 1 inttype 1 intid " + h(intid) + " ICID " + h(icid) + " vPEID 0x0 doorbell 0x3ff");
        return ev("gicv3_its_cte_read GICv3 ITS: Collection Table read for ICID " + h(icid) + ": valid 1 RDBase " + h(rd));
    }
    static std::string upper(const char* s) {
        std::string u(s);
        for (char& c : u) c = char(c >= 'a' && c <= 'z' ? c - 32 : c);
        return u;
    }
    uint64_t us_ = 0;
    unsigned index_ = 0;
};

// Import `text` as log "t.log" with the given options.
inline std::string import(const std::string& text, ImportStats* stats = nullptr, ImportOptions opts = {}) {
    opts.source_name = "t.log";
    return import_qemu_log(std::string_view(text), opts, stats);
}

// The statements of a trace after its platform line, without comment lines,
// times or blank lines: what a test compares (times, the header and the
// platform line are checked on their own).
inline std::string body(const std::string& trace) {
    std::string out, line;
    size_t pos = 0;
    bool header = true;
    while (pos < trace.size()) {
        size_t nl = trace.find('\n', pos);
        line = trace.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.rfind("itsim-trace", 0) == 0) {
            header = false;
            continue;
        }
        if (header || line.empty() || line[0] == '#' || line.rfind("platform ", 0) == 0) continue;
        if (line[0] == '@') line = line.substr(line.find(' ') + 1);
        out += line + "\n";
    }
    return out;
}

}  // namespace itsim::qemu::test
