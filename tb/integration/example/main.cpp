// An integrator's platform with itsim's ITS and redistributors in it, built
// from the installed package (README "itsim in your platform"). Its own
// router, RAM, CPU stand-ins and an MSI device that knows nothing of itsim;
// software programs the GIC by plain TLM stores (tables, MAPD/MAPC/MAPTI,
// CWRITER), then the device signals MSIs each of the three ways, and the
// exit status says whether every interrupt reached the right CPU with the
// right INTID (0) or not (1).
#include <itsim/itsim.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "parts.h"

using namespace example;

namespace {

// The memory map (QEMU virt's GIC addresses).
constexpr uint64_t kItsBase = 0x0808'0000;     // 128 KiB: GITS control + translation frame
constexpr uint64_t kRdBase = 0x080A'0000;      // GICR i at kRdBase + i * 128 KiB
constexpr uint64_t kRdStride = 0x2'0000;
constexpr uint64_t kMsi64Page = 0x0C00'0000;   // 64 KiB, only devices and the hypervisor reach it
constexpr uint64_t kRam = 0x4000'0000;
constexpr uint64_t kRamSize = 2 << 20;
constexpr unsigned kCpus = 2;

// Guest memory layout.
constexpr uint64_t kCmdQueue = kRam + 0x00'0000;   // 4 KiB: 128 commands
constexpr uint64_t kPropTable = kRam + 0x01'0000;  // 2^16 - 8192 property bytes
constexpr uint64_t kPendTable = kRam + 0x02'0000;  // CPU i: + i * 64 KiB (8 KiB each)
constexpr uint64_t kCollTable = kRam + 0x04'0000;  // 4 KiB: 512 collections
constexpr uint64_t kDevTable = kRam + 0x08'0000;   // 128 pages: 2^16 DeviceIDs of 8 bytes
constexpr uint64_t kItts = kRam + 0x10'0000;       // device k's ITT at kItts + 0x100 * k

// GIC registers (IHI 0069 offsets).
constexpr uint64_t GITS_CTLR = 0x0000, GITS_CBASER = 0x0080, GITS_CWRITER = 0x0088, GITS_CREADR = 0x0090;
constexpr uint64_t GITS_BASER0 = 0x0100, GITS_BASER1 = 0x0108, GITS_TRANSLATER = 0x1'0040;
constexpr uint64_t GICR_CTLR = 0x0000, GICR_PROPBASER = 0x0070, GICR_PENDBASER = 0x0078;
constexpr uint64_t kValid = uint64_t{1} << 63, kPtz = uint64_t{1} << 62;

// The three devices of the test, one per way of sending an MSI.
constexpr uint32_t kDevByMasterId = 0x10, kDevBySocket = 0x20, kDevByMsi64 = 0xABCD;

// Software on CPU 0: brings the GIC up and maps the interrupts, then makes
// the device send its MSIs.
struct Software : Master {
    MsiDevice* dev = nullptr;
    uint64_t widx = 0;
    bool ok = true;
    SC_HAS_PROCESS(Software);
    explicit Software(sc_core::sc_module_name n) : Master(n) { SC_THREAD(run); }

    void store(uint64_t addr, uint64_t v, unsigned len) { ok = write(addr, v, len) && ok; }
    // A command: four little-endian doublewords into the queue.
    void command(uint64_t dw0, uint64_t dw1, uint64_t dw2, uint64_t dw3 = 0) {
        for (uint64_t dw : {dw0, dw1, dw2, dw3}) {
            store(kCmdQueue + widx, dw, 8);
            widx += 8;
        }
    }
    void mapd(uint32_t dev, unsigned event_bits) {   // 0x08: DeviceID, Size = bits - 1, ITT_addr, V
        command(0x08 | uint64_t{dev} << 32, event_bits - 1, kValid | (kItts + 0x100 * (dev & 0xFF)));
    }
    void mapc(unsigned icid, unsigned cpu) { command(0x09, 0, kValid | uint64_t{cpu} << 16 | icid); }   // RDbase = CPU number
    void mapti(uint32_t dev, uint32_t event, uint32_t intid, unsigned icid) {
        command(0x0A | uint64_t{dev} << 32, uint64_t{intid} << 32 | event, icid);
    }
    void sync(unsigned cpu) { command(0x05, 0, uint64_t{cpu} << 16); }
    void publish_and_wait() {
        store(kItsBase + GITS_CWRITER, widx, 8);
        while (read(kItsBase + GITS_CREADR, 8) != widx) sc_core::wait(100, SC_NS);
    }

    void run() {
        // Redistributors: property table (16 INTID bits: IDbits = 15), pending tables, EnableLPIs.
        for (unsigned i = 0; i < kCpus; ++i) {
            const uint64_t rd = kRdBase + i * kRdStride;
            store(rd + GICR_PROPBASER, kPropTable | 15, 8);
            store(rd + GICR_PENDBASER, (kPendTable + i * 0x1'0000) | kPtz, 8);
            store(rd + GICR_CTLR, 1, 4);
        }
        // LPIs 8192..8199: priority 0xA0, enabled.
        for (uint64_t n = 0; n < 8; ++n) store(kPropTable + n, 0xA1, 1);
        // ITS: flat 4 KiB-page tables (Valid | PA | pages - 1), a 4 KiB queue, enable.
        store(kItsBase + GITS_BASER0, kValid | kDevTable | 127, 8);
        store(kItsBase + GITS_BASER1, kValid | kCollTable | 0, 8);
        store(kItsBase + GITS_CBASER, kValid | kCmdQueue | 0, 8);
        store(kItsBase + GITS_CWRITER, 0, 8);
        store(kItsBase + GITS_CTLR, 1, 4);

        // Collection i on CPU i; each device has 16 events, two of them mapped.
        for (unsigned i = 0; i < kCpus; ++i) mapc(i, i);
        uint32_t intid = 8192;
        for (uint32_t dev : {kDevByMasterId, kDevBySocket, kDevByMsi64}) {
            mapd(dev, 4);
            mapti(dev, 0, intid++, 0);   // event 0 -> CPU 0
            mapti(dev, 1, intid++, 1);   // event 1 -> CPU 1
        }
        for (unsigned i = 0; i < kCpus; ++i) sync(i);
        publish_and_wait();
        if (!ok) std::printf("software: a GIC set-up store failed\n");

        // The MSIs, 1 us apart.
        const auto gap = [] { sc_core::wait(1, sc_core::SC_US); };
        ok = dev->msi_by_master_id(kItsBase + GITS_TRANSLATER, 0) && ok; gap();   // 8192 on CPU 0
        ok = dev->msi_by_master_id(kItsBase + GITS_TRANSLATER, 1) && ok; gap();   // 8193 on CPU 1
        ok = dev->msi_by_socket(1) && ok; gap();                                  // 8195 on CPU 1
        ok = dev->msi_by_socket(0) && ok; gap();                                  // 8194 on CPU 0
        ok = dev->msi64(kMsi64Page, kDevByMsi64, 0) && ok; gap();                 // 8196 on CPU 0
        ok = dev->msi64(kMsi64Page, kDevByMsi64, 1) && ok; gap();                 // 8197 on CPU 1
        // No DeviceID at all: the ITS uses DeviceID 0 (unmapped here), nothing arrives.
        ok = write(kItsBase + GITS_TRANSLATER, 0, 4) && ok; gap();
    }
};

itsim::RedistConfig rd_config(unsigned i) {
    itsim::RedistConfig rc;
    rc.processor_number = i;                 // GICR_TYPER.Processor_Number: RDbase with PTA = 0
    rc.rd_base = kRdBase + i * kRdStride;
    rc.last = i + 1 == kCpus;                // GICR_TYPER.Last
    return rc;
}

itsim::MsiFrontEndConfig msi_config() {
    itsim::MsiFrontEndConfig c;
    c.device_ids = {kDevBySocket};           // the first initiator bound to `device`
    return c;
}

}  // namespace

int sc_main(int, char**) {
    // ---- The assembly (README "itsim in your platform") ----
    Router bus("bus");
    Ram ram("ram", kRamSize);
    Software sw("sw");
    MsiDevice dev("dev", kDevByMasterId);
    itsim::Its its("its");
    itsim::MsiFrontEnd msi("msi", msi_config());    // dev.msi is DeviceID 0x20
    msi.device_id_of = itsim::msi_device_id_from<MasterId>([](const MasterId& m) { return m.id; });
    std::unique_ptr<itsim::Redistributor> rds[kCpus];
    std::unique_ptr<Cpu> cpus[kCpus];
    sc_core::sc_signal<bool> lines[kCpus];
    for (unsigned i = 0; i < kCpus; ++i) {
        rds[i] = std::make_unique<itsim::Redistributor>(("gicr" + std::to_string(i)).c_str(), rd_config(i));
        cpus[i] = std::make_unique<Cpu>(("cpu" + std::to_string(i)).c_str(), i);
        rds[i]->irq(lines[i]);                        // interrupt output
        cpus[i]->irq(lines[i]);
        cpus[i]->gic(*rds[i]);                        // acknowledge, end of interrupt
        rds[i]->bus.bind(bus.in);                     // property and pending tables
        bus.attach(rds[i]->mmio, kRdBase + i * kRdStride, kRdStride);   // GICR frames
        its.rd(*rds[i]);                              // the ITS-to-redistributor link
    }
    its.bus.bind(bus.in);                             // command queue and tables
    msi.its.bind(its.mmio);                           // the MSI front-end owns the ITS frame
    bus.attach(msi.frame, kItsBase, itsim::Its::kFrameBytes);     // GITS frames
    bus.attach(msi.msi64, kMsi64Page, itsim::MsiFrontEnd::kPageBytes);   // (c) MSI-64
    bus.attach(ram.socket, kRam, kRamSize);
    sw.socket.bind(bus.in);
    dev.socket.bind(bus.in);
    dev.msi.bind(msi.device);                         // (b) a socket with a fixed DeviceID
    sw.dev = &dev;
    // ---- end of the assembly ----

    sc_core::sc_start();

    // Every interrupt at the right CPU with the right INTID, once each.
    const std::set<uint32_t> want[kCpus] = {{8192, 8194, 8196}, {8193, 8195, 8197}};
    bool pass = sw.ok;
    for (unsigned i = 0; i < kCpus; ++i) {
        const std::set<uint32_t> got(cpus[i]->taken.begin(), cpus[i]->taken.end());
        if (got != want[i] || cpus[i]->taken.size() != want[i].size()) {
            std::printf("cpu%u took %zu interrupts, not the three expected\n", i, cpus[i]->taken.size());
            pass = false;
        }
    }
    const itsim::ItsStats& st = its.stats();
    if (st.msis_accepted != 7 || st.msis_without_device_id != 1) {
        std::printf("ITS: %llu MSIs accepted, %llu without a DeviceID (expected 7 and 1)\n",
                    (unsigned long long)st.msis_accepted, (unsigned long long)st.msis_without_device_id);
        pass = false;
    }
    const itsim::MsiFrontEndStats& fs = msi.stats();
    if (fs.msis_by_function != 2 || fs.msis_by_device_socket != 2 || fs.msis_by_msi64 != 2) {
        std::printf("MSI front-end: %llu by master ID, %llu by socket, %llu MSI-64 (expected 2 each)\n",
                    (unsigned long long)fs.msis_by_function, (unsigned long long)fs.msis_by_device_socket,
                    (unsigned long long)fs.msis_by_msi64);
        pass = false;
    }
    std::printf("itsim %s example platform: %s\n", itsim::kVersion, pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
