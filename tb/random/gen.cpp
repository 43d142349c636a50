#include "random/gen.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace itsim::gen {

const char* to_string(Flavour f) { return f == Flavour::calm ? "calm" : f == Flavour::dense ? "dense" : "v4"; }

uint64_t Rng::next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t Rng::below(uint64_t n) { return n <= 1 ? 0 : next() % n; }

namespace {

constexpr uint32_t kDeviceLimit = 1u << 16;   // its.device_bits default
constexpr uint32_t kLpiLimit = 1u << 16;      // its.lpi_bits default
constexpr unsigned kBigIttSize = 13;            // MAPD Size of a 2^14-event device
constexpr uint64_t kIttBase = 0x40000000;     // the trace's own 256 MiB

struct Ite {
    uint32_t intid = 0;
    uint32_t icid = 0;
};
struct Device {
    uint32_t id = 0;
    unsigned size = 0;   // EventID bits - 1
    uint64_t itt = 0;
    bool mapped = false;
    std::map<uint32_t, Ite> ites;
    uint32_t events() const { return 1u << (size + 1); }
};

class Builder {
public:
    Builder(uint64_t seed, const Options& opt) : r_(seed), seed_(seed), opt_(opt) {}
    std::string build();

private:
    bool calm() const { return opt_.flavour == Flavour::calm; }
    // Output.
    void line(const std::string& s) { out_ << s << "\n"; }
    void after_ns(uint64_t ns) { out_ << "+" << ns << "ns "; }
    void cmd(const std::string& s) { line("cmd op=" + s); }
    void drain() { line("wait until=drained"); }
    // A calm step ends drained, then waits far beyond the acknowledge and
    // handler time (20 + 200 ns by default) and any table read. Trace times
    // count from the previous line's time, not from when the wait ended,
    // so the gap also covers the longest wait of a step (a MAPD sweeping a
    // 1024-event ITT through one read slot: about 7 us).
    void settle() {
        drain();
        out_ << "+20us\n";
    }
    // A dense step: a few nanoseconds to a microsecond later.
    void jitter() {
        const unsigned k = unsigned(r_.below(10));
        if (k < 3) return;                     // same time
        if (k < 8) after_ns(r_.range(1, 60));  // inside a fetch or an acknowledge
        else after_ns(r_.range(100, 1500));
    }
    // Model state the generator keeps to make Linux-like sequences.
    uint32_t new_device_id();
    uint32_t free_lpi();
    Device* pick_device(bool mapped);
    bool pick_ite(Device** d, uint32_t* event);
    uint32_t pick_icid() { return uint32_t(r_.below(icids_)); }
    uint32_t pick_spare_icid() { return cpus_ + uint32_t(r_.below(icids_ - cpus_)); }
    void set_lpi(uint32_t intid, unsigned prio, bool enable);
    void invalidate_all();
    void bring_up();
    void step();
    void msi_step();
    void bad_command();

    Rng r_;
    uint64_t seed_;
    Options opt_;
    std::ostringstream out_;
    unsigned cpus_ = 1, icids_ = 1, icid_bits_ = 16;
    bool stall_ = false;
    std::vector<Device> devs_;
    std::set<uint32_t> used_lpis_;
    std::map<uint32_t, int> col_cpu_;   // ICID -> CPU, -1 = unmapped
    uint64_t next_itt_ = kIttBase;
};

uint32_t Builder::new_device_id() {
    for (;;) {
        const uint32_t id = r_.chance(50) ? uint32_t(r_.below(16)) : uint32_t(r_.below(kDeviceLimit));
        bool taken = false;
        for (const Device& d : devs_) taken |= d.id == id;
        if (!taken) return id;
    }
}

uint32_t Builder::free_lpi() {
    for (;;) {
        const uint32_t id = r_.chance(85) ? 8192 + uint32_t(r_.below(512))
                                          : kLpiLimit - 1 - uint32_t(r_.below(64));
        if (!used_lpis_.count(id)) return id;
    }
}

Device* Builder::pick_device(bool mapped) {
    std::vector<Device*> v;
    for (Device& d : devs_)
        if (d.mapped == mapped) v.push_back(&d);
    return v.empty() ? nullptr : v[r_.below(v.size())];
}

bool Builder::pick_ite(Device** dev, uint32_t* event) {
    std::vector<std::pair<Device*, uint32_t>> v;
    for (Device& d : devs_)
        if (d.mapped)
            for (const auto& kv : d.ites) v.push_back({&d, kv.first});
    if (v.empty()) return false;
    const auto& p = v[r_.below(v.size())];
    *dev = p.first;
    *event = p.second;
    return true;
}

void Builder::set_lpi(uint32_t intid, unsigned prio, bool enable) {
    std::ostringstream s;
    s << "lpi intid=" << intid << " priority=0x" << std::hex << prio << std::dec << " enable=" << (enable ? 1 : 0);
    line(s.str());
}

// INVALL on every redistributor (ICID i is CPU i's, never remapped in a
// calm trace), then SYNC: no configuration cache anywhere keeps a byte
// older than the property table.
void Builder::invalidate_all() {
    for (unsigned c = 0; c < cpus_; ++c) cmd("INVALL icid=" + std::to_string(c));
    cmd("SYNC rdbase=0");
}

void Builder::bring_up() {
    // Collections: one per CPU, then a few spares (remapped and unmapped later).
    for (unsigned c = 0; c < cpus_; ++c) {
        cmd("MAPC icid=" + std::to_string(c) + " rdbase=" + std::to_string(c) + " valid=1");
        col_cpu_[c] = int(c);
    }
    for (unsigned i = cpus_; i < icids_; ++i) {
        const unsigned c = unsigned(r_.below(cpus_));
        cmd("MAPC icid=" + std::to_string(i) + " rdbase=" + std::to_string(c) + " valid=1");
        col_cpu_[i] = int(c);
    }
    const unsigned ndev = unsigned(r_.range(1, 6));
    for (unsigned k = 0; k < ndev; ++k) {
        Device d;
        d.id = new_device_id();
        // Now and then one device with 2^14 events (128 KiB of ITT): the
        // only kind whose EventIDs reach the LPI range, which MAPI needs.
        d.size = k == 0 && r_.chance(15) ? kBigIttSize : unsigned(r_.chance(70) ? r_.range(0, 4) : r_.range(5, 9));
        d.itt = next_itt_;
        next_itt_ += d.size == kBigIttSize ? 0x20000 : 0x10000;
        d.mapped = true;
        cmd("MAPD device=" + std::to_string(d.id) + " itt=0x" + [&] {
            std::ostringstream h;
            h << std::hex << d.itt;
            return h.str();
        }() + " size=" + std::to_string(d.size) + " valid=1");
        const unsigned nev = unsigned(std::min<uint32_t>(d.events(), uint32_t(r_.range(1, 8))));
        for (unsigned e = 0; e < nev; ++e) {
            const uint32_t ev = uint32_t(r_.below(d.events()));
            if (d.ites.count(ev)) continue;
            Ite ite;
            ite.icid = pick_icid();
            if (r_.chance(20) && ev >= 8192 && ev < kLpiLimit && !used_lpis_.count(ev)) {
                ite.intid = ev;   // MAPI: pINTID = EventID
                cmd("MAPI device=" + std::to_string(d.id) + " event=" + std::to_string(ev) +
                    " icid=" + std::to_string(ite.icid));
            } else {
                ite.intid = free_lpi();
                cmd("MAPTI device=" + std::to_string(d.id) + " event=" + std::to_string(ev) +
                    " intid=" + std::to_string(ite.intid) + " icid=" + std::to_string(ite.icid));
            }
            used_lpis_.insert(ite.intid);
            d.ites[ev] = ite;
        }
        devs_.push_back(d);
    }
    // Properties: most enabled, some left disabled (pending-while-disabled).
    for (uint32_t id : used_lpis_)
        if (r_.chance(85)) set_lpi(id, unsigned(r_.below(64)) << 2, r_.chance(90));
    invalidate_all();
    drain();
    out_ << "+2us\n";
}

void Builder::msi_step() {
    std::ostringstream s;
    const unsigned k = unsigned(r_.below(100));
    Device* d = nullptr;
    uint32_t ev = 0;
    if (k < 75 && pick_ite(&d, &ev)) {
        s << "msi device=" << d->id << " event=" << ev;
    } else if (k < 82 && (d = pick_device(true))) {
        s << "msi device=" << d->id << " event=" << (d->events() + r_.below(4));   // past the ITT
    } else if (k < 88 && (d = pick_device(true))) {
        s << "msi device=" << d->id << " event=" << r_.below(d->events());       // maybe unmapped
    } else if (k < 94) {
        s << "msi device=" << new_device_id() << " event=0";                    // unmapped device
    } else {
        s << "msi device=" << (kDeviceLimit + r_.below(1000)) << " event=1";   // DeviceID out of range
    }
    line(s.str());
}

// One failing command: every check of every command, by turns.
void Builder::bad_command() {
    Device* d = pick_device(true);
    const std::string dev = d ? std::to_string(d->id) : "1";
    const std::string past = d ? std::to_string(d->events() + r_.below(8)) : "1";
    const std::string oor_dev = std::to_string(kDeviceLimit + r_.below(5000));
    const std::string unmapped_dev = std::to_string(new_device_id());
    // An EventID inside the ITT with no ITE, or past it when every one is mapped.
    std::string free_ev = past;
    if (d)
        for (uint32_t e = 0; e < d->events(); ++e)
            if (!d->ites.count(e)) {
                free_ev = std::to_string(e);
                break;
            }
    // An ITE whose collection is unmapped, if any.
    std::string dead_dev, dead_ev;
    for (Device& x : devs_)
        if (x.mapped)
            for (const auto& [e, ite] : x.ites)
                if (col_cpu_.count(ite.icid) && col_cpu_[ite.icid] < 0) {
                    dead_dev = std::to_string(x.id);
                    dead_ev = std::to_string(e);
                }
    const std::string oor_icid = std::to_string((1u << icid_bits_) + r_.below(8));
    std::string unmapped_icid;
    for (const auto& [icid, cpu] : col_cpu_)
        if (cpu < 0) unmapped_icid = std::to_string(icid);
    static const char* kByEvent[] = {"INT", "CLEAR", "INV", "DISCARD", "MOVI"};
    const unsigned k = unsigned(r_.below(26));
    if (k < 15) {   // INT, CLEAR, INV, DISCARD, MOVI: device OOR, unmapped device, event OOR
        const std::string op = kByEvent[k % 5];
        const std::string tail = op == "MOVI" ? " icid=0" : "";
        switch (k / 5) {
        case 0: cmd(op + " device=" + oor_dev + " event=0" + tail); break;
        case 1: cmd(op + " device=" + unmapped_dev + " event=0" + tail); break;
        default: cmd(op + " device=" + dev + " event=" + past + tail); break;
        }
        return;
    }
    if (k < 20) {   // the same five: unmapped interrupt, or unmapped collection
        const std::string op = kByEvent[k - 15];
        const std::string tail = op == "MOVI" ? " icid=0" : "";
        if (!dead_dev.empty() && r_.chance(50)) cmd(op + " device=" + dead_dev + " event=" + dead_ev + tail);
        else cmd(op + " device=" + dev + " event=" + free_ev + tail);
        return;
    }
    switch (k) {
    case 20: cmd("MAPD device=" + oor_dev + " itt=0x48000000 size=2 valid=1"); break;
    case 21: cmd("MAPD device=" + unmapped_dev + " itt=0x48000000 size=" + std::to_string(r_.range(16, 31)) + " valid=1"); break;
    case 22:
        if (r_.chance(50)) cmd("MAPC icid=" + std::to_string(pick_spare_icid()) + " rdbase=" + std::to_string(cpus_ + r_.below(40)) + " valid=1");
        else if (icid_bits_ < 16) cmd("MAPC icid=" + oor_icid + " rdbase=0 valid=1");
        else cmd("MOVALL rdbase1=0 rdbase2=" + std::to_string(cpus_ + r_.below(100)));
        break;
    case 23: {   // MAPTI and MAPI, each check
        const bool mapi = r_.chance(50);
        const std::string op = mapi ? "MAPI" : "MAPTI";
        const std::string intid = mapi ? "" : " intid=8300";
        // MAPI's pINTID is its EventID: an LPI number, so that the check
        // after the pINTID range is the one that fails.
        const std::string ev0 = mapi ? std::to_string(8192 + r_.below(64)) : "0";
        switch (r_.below(5)) {
        case 0: cmd(op + " device=" + oor_dev + " event=" + ev0 + intid + " icid=0"); break;
        case 1: cmd(op + " device=" + unmapped_dev + " event=" + ev0 + intid + " icid=0"); break;
        case 2: cmd(op + " device=" + dev + " event=" + (mapi && d && d->events() <= 8192 ? ev0 : past) + intid + " icid=0"); break;
        case 3:
            if (icid_bits_ < 16) {
                // MAPI: an EventID inside the ITT that is an LPI number
                // needs a 2^14-event device, so that only the ICID fails.
                std::string on = dev;
                if (mapi)
                    for (const Device& x : devs_)
                        if (x.mapped && x.size == kBigIttSize) on = std::to_string(x.id);
                cmd(op + " device=" + on + " event=" + ev0 + intid + " icid=" + oor_icid);
                break;
            }
            [[fallthrough]];
        default:   // pINTID not an LPI (MAPI: EventID below 8192)
            cmd(mapi ? "MAPI device=" + dev + " event=0 icid=0"
                     : "MAPTI device=" + dev + " event=0 intid=" +
                           std::to_string(r_.chance(50) ? r_.below(8192) : kLpiLimit + r_.below(100)) + " icid=0");
        }
        break;
    }
    case 24:
        if (icid_bits_ < 16 && r_.chance(40)) cmd("INVALL icid=" + oor_icid);
        else if (icid_bits_ < 16 && r_.chance(40)) cmd("MOVI device=" + dev + " event=0 icid=" + oor_icid);
        else if (!unmapped_icid.empty()) cmd(std::string(r_.chance(50) ? "INVALL" : "MOVI device=" + dev + " event=0") + " icid=" + unmapped_icid);
        else cmd("SYNC rdbase=" + std::to_string(cpus_ + r_.below(100)));
        break;
    default: line("cmd raw=0x" + [&] {
        std::ostringstream h;
        h << std::hex << (0x10 + r_.below(0xE0));
        return h.str();
    }() + ",0,0,0"); break;
    }
}

void Builder::step() {
    const unsigned k = unsigned(r_.below(100));
    Device* d = nullptr;
    uint32_t ev = 0;
    if (k < 40) {
        msi_step();
        if (!calm() && r_.chance(40))   // the same again, right around its acknowledge
            for (unsigned n = unsigned(r_.range(1, 4)); n; --n) {
                after_ns(r_.range(1, 40));
                msi_step();
            }
        return;
    }
    if (k < 47 && pick_ite(&d, &ev)) {   // MOVI (pending state moves with it)
        const uint32_t icid = pick_icid();
        cmd("MOVI device=" + std::to_string(d->id) + " event=" + std::to_string(ev) + " icid=" + std::to_string(icid));
        d->ites[ev].icid = icid;
        if (r_.chance(60)) cmd("SYNC rdbase=" + std::to_string(col_cpu_[icid] < 0 ? 0 : col_cpu_[icid]));
        return;
    }
    if (k < 50 && cpus_ > 1) {   // MOVALL between two CPUs, then retarget the spares
        const unsigned a = unsigned(r_.below(cpus_)), b = unsigned(r_.below(cpus_));
        cmd("MOVALL rdbase1=" + std::to_string(a) + " rdbase2=" + std::to_string(b));
        return;
    }
    if (k < 55 && icids_ > cpus_) {   // MAPC remap or unmap of a spare collection
        const uint32_t icid = pick_spare_icid();
        if (r_.chance(70)) {
            const unsigned c = unsigned(r_.below(cpus_));
            cmd("MAPC icid=" + std::to_string(icid) + " rdbase=" + std::to_string(c) + " valid=1");
            col_cpu_[icid] = int(c);
        } else {
            cmd("MAPC icid=" + std::to_string(icid) + " rdbase=0 valid=0");
            col_cpu_[icid] = -1;
        }
        return;
    }
    if (k < 60 && (d = pick_device(r_.chance(70)))) {   // MAPD remap, unmap, or map again
        if (d->mapped && r_.chance(40)) {
            cmd("MAPD device=" + std::to_string(d->id) + " itt=0x0 size=0 valid=0");
            d->mapped = false;
        } else {
            std::ostringstream h;
            h << std::hex << d->itt;
            cmd("MAPD device=" + std::to_string(d->id) + " itt=0x" + h.str() + " size=" + std::to_string(d->size) + " valid=1");
            d->mapped = true;   // the old ITT memory still holds its ITEs: they come back
        }
        return;
    }
    if (k < 66 && (d = pick_device(true))) {   // MAPTI/MAPI, new or over an existing ITE
        const uint32_t event = uint32_t(r_.below(d->events()));
        Ite ite;
        ite.icid = pick_icid();
        ite.intid = r_.chance(calm() ? 0 : 30) && !used_lpis_.empty() ? *used_lpis_.begin() : free_lpi();
        cmd("MAPTI device=" + std::to_string(d->id) + " event=" + std::to_string(event) + " intid=" +
            std::to_string(ite.intid) + " icid=" + std::to_string(ite.icid));
        used_lpis_.insert(ite.intid);
        d->ites[event] = ite;
        return;
    }
    if (k < 71 && pick_ite(&d, &ev)) {   // DISCARD
        cmd("DISCARD device=" + std::to_string(d->id) + " event=" + std::to_string(ev));
        if (r_.chance(50)) d->ites.erase(ev);   // otherwise it may come back after a MAPD re-map
        return;
    }
    if (k < 78 && pick_ite(&d, &ev)) {   // INT / CLEAR
        cmd(std::string(r_.chance(60) ? "INT" : "CLEAR") + " device=" + std::to_string(d->id) +
            " event=" + std::to_string(ev));
        return;
    }
    if (k < 86 && !used_lpis_.empty() && !(calm() && stall_)) {   // property change
        auto it = used_lpis_.begin();
        std::advance(it, r_.below(used_lpis_.size()));
        set_lpi(*it, unsigned(r_.below(64)) << 2, r_.chance(75));
        if (calm()) {
            invalidate_all();
        } else if (r_.chance(60) && pick_ite(&d, &ev)) {
            cmd("INV device=" + std::to_string(d->id) + " event=" + std::to_string(ev));
        } else if (r_.chance(50)) {
            cmd("INVALL icid=" + std::to_string(pick_icid()));
        }
        return;
    }
    if (k < 94) {
        bad_command();
        return;
    }
    if (!calm() && k < 98) {   // a redistributor's registers, straight from software
        const uint64_t rd = 0x080A0000ull + 0x20000ull * r_.below(cpus_);
        std::ostringstream w;
        w << std::hex;
        const uint32_t lpi = used_lpis_.empty() ? 8192 : *std::next(used_lpis_.begin(), long(r_.below(used_lpis_.size())));
        switch (r_.below(5)) {
        case 0: w << "write addr=0x" << rd << " value=0x0 size=4"; break;   // EnableLPIs 1 -> 0: write-back, drop
        case 1: w << "write addr=0x" << rd << " value=0x1 size=4"; break;   // 0 -> 1: the pending table is read
        case 2: w << "write addr=0x" << (rd + 0x40) << " value=0x" << lpi << " size=8"; break;   // SETLPIR
        case 3: w << "write addr=0x" << (rd + 0x48) << " value=0x" << lpi << " size=8"; break;   // CLRLPIR
        default: w << "write addr=0x" << (rd + 0xA0) << " value=0x" << lpi << " size=8"; break;  // INVLPIR
        }
        line(w.str());
        return;
    }
    cmd("SYNC rdbase=" + std::to_string(r_.below(cpus_)));
}

std::string Builder::build() {
    static const unsigned kCpus[] = {1, 1, 2, 2, 3, 4, 4, 8, 16};
    cpus_ = kCpus[r_.below(std::size(kCpus))];
    icids_ = cpus_ + unsigned(r_.range(1, 4));
    stall_ = r_.chance(25);
    if (r_.chance(30)) icid_bits_ = unsigned(r_.range(5, 8));   // CIL = 1: ICIDs out of range exist
    out_ << "# itsim random workload: seed " << seed_ << ", flavour " << to_string(opt_.flavour)
         << " (tb/random/gen.h)\n";
    out_ << "itsim-trace 1\n";
    std::ostringstream p;
    p << "platform cpus=" << cpus_ << " seed=" << seed_ << " error_policy=" << (stall_ ? "stall" : "ignore");
    if (r_.chance(40)) p << " its.device_table=indirect";
    if (r_.chance(30)) p << " its.collection_table=indirect";
    static const char* kPages[] = {"4K", "16K", "64K"};
    p << " its.page_size=" << kPages[r_.below(3)];
    if (r_.chance(30)) {
        p << " its.device_cache.entries=0 its.event_cache.entries=0 its.collection_cache.entries=0";
    } else if (r_.chance(50)) {
        p << " its.device_cache.entries=4 its.event_cache.entries=8 its.event_cache.ways=2"
             " its.collection_cache.entries=2 its.collection_cache.ways=2";
    }
    if (r_.chance(25)) p << " redist.config_cache.entries=0";
    else if (r_.chance(30)) p << " redist.config_cache.entries=8 redist.config_cache.ways=2";
    if (r_.chance(30)) p << " redist.config_line_bytes=64";
    if (r_.chance(40)) p << " redist.pending_table=through";
    else if (r_.chance(50)) p << " redist.lazy_dirty_limit=" << r_.range(1, 4);
    if (r_.chance(20)) p << " its.translation_slots=" << r_.range(1, 3) << " its.max_reads=" << r_.range(1, 3);
    if (r_.chance(15)) p << " its.cmdq_pages=1";
    if (icid_bits_ < 16) p << " its.icid_bits=" << icid_bits_;
    line(p.str());
    bring_up();
    const unsigned steps = opt_.steps ? opt_.steps : unsigned(calm() ? r_.range(20, 60) : r_.range(40, 160));
    for (unsigned i = 0; i < steps; ++i) {
        if (calm()) {
            step();
            settle();
        } else {
            jitter();
            if (r_.chance(10)) line("kick");
            step();
            if (r_.chance(8)) drain();
        }
    }
    out_ << "+50us\n";
    return out_.str();
}

}  // namespace

std::string generate(uint64_t seed, const Options& opt) {
    if (opt.flavour == Flavour::v4) return generate_v4(seed, opt);
    return Builder(seed, opt).build();
}

}  // namespace itsim::gen
