#include "vcd.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "system.h"
#include "vcd_v4.h"

namespace itsim {

// ===========================================================================
// VcdWriter
// ===========================================================================

namespace {

// Identifier codes: printable ASCII '!'..'~', shortest first.
std::string vcd_id(size_t n) {
    std::string s;
    do {
        s.push_back(char('!' + n % 94));
        n /= 94;
    } while (n);
    return s;
}

uint64_t width_mask(unsigned w) { return w >= 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1; }

}  // namespace

VcdWriter::VcdWriter(const std::string& path, const std::string& comment) : path_(path), comment_(comment) {
    fp_ = std::fopen(path_.c_str(), "wb");
    if (!fp_) throw std::runtime_error(path_ + ": error: cannot write the waveform file");
    out_.reserve(kFlushAt + 256);
}

VcdWriter::~VcdWriter() {
    if (fp_) std::fclose(fp_);
}

void VcdWriter::refuse(const std::string& name) {
    SC_REPORT_WARNING("itsim/vcd", ("cannot trace '" + name + "': only bool and unsigned integers").c_str());
}

void VcdWriter::add_sampled(const void* object, uint8_t size, const std::string& name, int width) {
    if (started_) {
        SC_REPORT_WARNING("itsim/vcd", ("'" + name + "' traced after the first time step: ignored").c_str());
        return;
    }
    Var v;
    v.name = name;
    v.width = unsigned(std::clamp(width, 1, 64));
    v.id = vcd_id(vars_.size());
    v.object = object;
    v.size = size;
    sampled_.push_back(uint32_t(vars_.size()));
    vars_.push_back(std::move(v));
}

void VcdWriter::trace(const bool& o, const std::string& n) { add_sampled(&o, 0, n, 1); }
void VcdWriter::trace(const unsigned char& o, const std::string& n, int w) { add_sampled(&o, 1, n, w); }
void VcdWriter::trace(const unsigned short& o, const std::string& n, int w) { add_sampled(&o, 2, n, w); }
void VcdWriter::trace(const unsigned int& o, const std::string& n, int w) { add_sampled(&o, 4, n, w); }
void VcdWriter::trace(const unsigned long& o, const std::string& n, int w) { add_sampled(&o, 8, n, w); }
void VcdWriter::trace(const sc_dt::uint64& o, const std::string& n, int w) { add_sampled(&o, 8, n, w); }

uint32_t VcdWriter::add_stamped(const std::string& name, unsigned width, uint64_t initial) {
    if (started_) throw std::logic_error("VcdWriter: '" + name + "' added after the first time step");
    Var v;
    v.name = name;
    v.width = std::clamp(width, 1u, 64u);
    v.id = vcd_id(vars_.size());
    v.value = initial;
    vars_.push_back(std::move(v));
    return uint32_t(vars_.size() - 1);
}

uint64_t VcdWriter::read(const Var& v) const {
    uint64_t x = 0;
    switch (v.size) {
    case 0: x = *static_cast<const bool*>(v.object) ? 1 : 0; break;
    case 1: x = *static_cast<const uint8_t*>(v.object); break;
    case 2: x = *static_cast<const uint16_t*>(v.object); break;
    case 4: x = *static_cast<const uint32_t*>(v.object); break;
    default: std::memcpy(&x, v.object, 8); break;
    }
    return x & width_mask(v.width);
}

void VcdWriter::change(uint64_t t_ps, uint32_t var, uint64_t value) {
    if (var >= vars_.size() || finished_) return;
    pending_.push(Change{t_ps, seq_++, var, value});
}

// ---- output ----

void VcdWriter::put_time(uint64_t t) {
    if (time_written_ && t == written_t_) return;
    char line[32];
    char* e = line + sizeof line;
    char* b = e;
    *--b = '\n';
    uint64_t x = t;
    do {
        *--b = char('0' + x % 10);
        x /= 10;
    } while (x);
    *--b = '#';
    out_.append(b, size_t(e - b));
    written_t_ = t;
    time_written_ = true;
}

void VcdWriter::put_change(const Var& v, uint64_t value) {
    char line[96];
    size_t n = 0;
    if (v.width == 1) {
        line[n++] = value == kZ ? 'z' : (value & 1) ? '1' : '0';
    } else {
        line[n++] = 'b';
        if (value == kZ) {
            line[n++] = 'z';
        } else {
            value &= width_mask(v.width);
            int top = 63;
            while (top > 0 && !((value >> top) & 1)) --top;
            for (int b = top; b >= 0; --b) line[n++] = char('0' + ((value >> b) & 1));
        }
        line[n++] = ' ';
    }
    for (char c : v.id) line[n++] = c;   // ids are at most a few characters
    line[n++] = '\n';
    out_.append(line, n);
    if (out_.size() >= kFlushAt) drain();
}

void VcdWriter::drain() {
    if (!out_.empty() && fp_) std::fwrite(out_.data(), 1, out_.size(), fp_);
    out_.clear();
}

void VcdWriter::write_header() {
    drain();
    std::fprintf(fp_, "$version\n    itsim (SystemC %s kernel)\n$end\n", sc_core::sc_release());
    if (!comment_.empty()) std::fprintf(fp_, "$comment\n    %s\n$end\n", comment_.c_str());
    std::fputs("$timescale 1 ps $end\n", fp_);
    // Scopes from the dotted names, in order of first appearance.
    struct Node {
        std::string name;
        std::vector<std::pair<int, int>> items;   // (child node, -1) or (-1, var)
    };
    std::vector<Node> nodes(1);
    for (size_t i = 0; i < vars_.size(); ++i) {
        int cur = 0;
        const std::string& full = vars_[i].name;
        size_t from = 0, dot;
        while ((dot = full.find('.', from)) != std::string::npos) {
            const std::string part = full.substr(from, dot - from);
            from = dot + 1;
            int found = -1;
            for (const auto& it : nodes[size_t(cur)].items)
                if (it.first >= 0 && nodes[size_t(it.first)].name == part) found = it.first;
            if (found < 0) {
                nodes.push_back(Node{part, {}});
                found = int(nodes.size() - 1);
                nodes[size_t(cur)].items.push_back({found, -1});
            }
            cur = found;
        }
        nodes[size_t(cur)].items.push_back({-1, int(i)});
    }
    std::function<void(int)> emit = [&](int idx) {
        const Node& n = nodes[size_t(idx)];
        if (idx) std::fprintf(fp_, "$scope module %s $end\n", n.name.c_str());
        for (const auto& it : n.items) {
            if (it.first >= 0) {
                emit(it.first);
                continue;
            }
            const Var& v = vars_[size_t(it.second)];
            const std::string leaf = v.name.substr(v.name.rfind('.') == std::string::npos ? 0 : v.name.rfind('.') + 1);
            if (v.width == 1) std::fprintf(fp_, "$var wire 1 %s %s $end\n", v.id.c_str(), leaf.c_str());
            else
                std::fprintf(fp_, "$var wire %u %s %s [%u:0] $end\n", v.width, v.id.c_str(), leaf.c_str(),
                             v.width - 1);
        }
        if (idx) std::fputs("$upscope $end\n", fp_);
    };
    emit(0);
    std::fputs("$enddefinitions $end\n", fp_);
}

void VcdWriter::flush_before(uint64_t t, bool all) {
    // Two streams in (time, seq) order: stamped changes (heap) and sampled
    // ones (queue).
    for (;;) {
        const bool have_s = !pending_.empty() && (all || pending_.top().t < t);
        const bool have_q = !sampled_changes_.empty() && (all || sampled_changes_.front().t < t);
        if (!have_s && !have_q) break;
        Change c;
        if (have_s && (!have_q || sampled_changes_.front() > pending_.top())) {
            c = pending_.top();
            pending_.pop();
        } else {
            c = sampled_changes_.front();
            sampled_changes_.pop_front();
        }
        uint64_t at = c.t;
        if (time_written_ && at < written_t_) {
            ++late_;   // arrived after its time was written: show it as early as still possible
            at = written_t_;
        }
        put_time(at);
        put_change(vars_[c.var], c.value);
    }
}

void VcdWriter::step(uint64_t now) {
    if (finished_) return;
    if (hook_) hook_(now);
    if (!started_) {
        started_ = true;
        write_header();
        put_time(now);
        out_ += "$dumpvars\n";
        for (Var& v : vars_) {
            if (v.object) v.value = read(v);
            put_change(v, v.value);
        }
        out_ += "$end\n";
    } else {
        for (uint32_t i : sampled_) {
            Var& v = vars_[i];
            const uint64_t x = read(v);
            if (x != v.value) {
                v.value = x;
                sampled_changes_.push_back(Change{now, seq_++, i, x});
            }
        }
    }
    if (now > lag_ps_) flush_before(std::min(now - lag_ps_, hold_ps_), false);
}

void VcdWriter::cycle(bool delta_cycle) {
    if (!delta_cycle) step(sc_core::sc_time_stamp().value());
}

void VcdWriter::finish(uint64_t now) {
    if (finished_) return;
    step(now);
    finished_ = true;
    flush_before(0, true);
    put_time(std::max(now, written_t_));
    drain();
    const bool ok = std::fflush(fp_) == 0 && !std::ferror(fp_);
    const bool closed = std::fclose(fp_) == 0;
    fp_ = nullptr;
    if (!ok || !closed) throw std::runtime_error(path_ + ": error: cannot write the waveform file");
}

// ===========================================================================
// VcdTracer
// ===========================================================================

namespace {

std::string comment_for(System& sys) {
    std::string c = "itsim waveforms, mode " + sys.params().text("mode") + ", " + std::to_string(sys.cpus()) +
                    " CPUs. cpuN.irq, cpuN.intid, gicrN.pending and bus.*.busy carry the models' own time stamps; "
                    "the other signals are sampled at the end of each kernel time step.";
    if (sys.mode() == TimingMode::fast)
        c += " Fast mode: threads run ahead of kernel time, so sampled values move at quantum granularity; table "
             "walks use DMI, which the bus does not see.";
    if (has_gicv4(sys.version()))
        c += " GICv4: cpuN.vintid, gicrN.vpe.dirty and vpeN.cpu carry the models' time stamps too.";
    return c;
}
}  // namespace

class VcdTracer::Impl {
public:
    Impl(System& sys, const std::string& path);
    ~Impl();
    void finish();

private:
    struct PortState {
        unsigned port = 0;
        uint32_t var = 0;
        uint64_t last_until = 0, last_busy = 0;
        bool open = false;
        uint64_t end = 0;
    };
    void on_probe();
    void on_step(uint64_t now);

    System& sys_;
    VcdWriter vcd_;
    bool attached_ = false;

    // Sampled values.
    bool enabled_ = false, stalled_ = false;
    unsigned creadr_ = 0, cwriter_ = 0, occupancy_ = 0, state_ = 0, opcode_ = 0;
    unsigned ingress_ = 0, active_ = 0, reads_ = 0, writes_ = 0;
    unsigned cache_[6] = {};
    std::vector<uint32_t> irq_var_, pending_var_;   // per CPU, per redistributor
    uint8_t last_engine_ = ItsProbe::idle;
    uint64_t ram_base_ = 0;

    // Stamped signals.
    std::vector<uint32_t> intid_var_;   // per CPU
    std::vector<PortState> ports_;

    // Callbacks replaced (restored by the destructor).
    std::function<void()> prev_probe_;
    std::vector<std::function<void(const AckRecord&)>> prev_ack_;
    std::vector<std::function<void(uint64_t, bool)>> prev_line_;
    std::vector<std::function<void(uint64_t, size_t)>> prev_count_;

    // GICv4 (vcd_v4.h): the virtual path's signals, after all of the above.
    std::unique_ptr<VcdV4> v4_;
};

VcdTracer::Impl::Impl(System& sys, const std::string& path) : sys_(sys), vcd_(path, comment_for(sys)) {
    const unsigned n = sys_.cpus();
    ram_base_ = sys_.params().integer("ram.base");
    // Per CPU: line, handled INTID, pending count. The line and the count
    // come from the redistributor with their times (Redistributor::on_line,
    // on_count), not from the kernel's signal: a coalescing redistributor
    // runs its steps later than their times.
    for (unsigned i = 0; i < n; ++i) {
        const std::string c = "cpu" + std::to_string(i);
        irq_var_.push_back(vcd_.add_stamped(c + ".irq", 1, 0));
        intid_var_.push_back(vcd_.add_stamped(c + ".intid", 32, VcdWriter::kZ));
    }
    for (unsigned i = 0; i < n; ++i) {
        pending_var_.push_back(vcd_.add_stamped("gicr" + std::to_string(i) + ".pending", 24, 0));
        Redistributor& rd = sys_.redist(i);
        // Chained, as on_ack and on_probe are: a handler set before stays called.
        prev_line_.push_back(rd.on_line);
        prev_count_.push_back(rd.on_count);
        rd.on_line = [this, i](uint64_t t, bool level) {
            if (prev_line_[i]) prev_line_[i](t, level);
            vcd_.change(t, irq_var_[i], level ? 1 : 0);
        };
        rd.on_count = [this, i](uint64_t t, size_t count) {
            if (prev_count_[i]) prev_count_[i](t, count);
            vcd_.change(t, pending_var_[i], count);
        };
    }
    sc_trace(&vcd_, enabled_, "its.enabled");
    sc_trace(&vcd_, creadr_, "its.cmdq.creadr", 20);
    sc_trace(&vcd_, cwriter_, "its.cmdq.cwriter", 20);
    sc_trace(&vcd_, occupancy_, "its.cmdq.occupancy", 16);
    sc_trace(&vcd_, stalled_, "its.cmdq.stalled");
    sc_trace(&vcd_, state_, "its.engine.state", 2);
    sc_trace(&vcd_, opcode_, "its.engine.opcode", 8);
    sc_trace(&vcd_, ingress_, "its.xlate.ingress", 16);
    sc_trace(&vcd_, active_, "its.xlate.active", 16);
    sc_trace(&vcd_, reads_, "its.mem.reads", 16);
    sc_trace(&vcd_, writes_, "its.mem.writes", 16);
    const char* caches[3] = {"device", "event", "collection"};
    for (int k = 0; k < 3; ++k) {
        sc_trace(&vcd_, cache_[2 * k], std::string("its.cache.") + caches[k] + ".hits", 32);
        sc_trace(&vcd_, cache_[2 * k + 1], std::string("its.cache.") + caches[k] + ".misses", 32);
    }
    // Bus targets in port order, each once.
    std::vector<std::pair<unsigned, std::string>> targets;
    for (const BusMapping& m : sys_.bus().mappings()) {
        bool seen = false;
        for (const auto& t : targets) seen = seen || t.first == m.port;
        if (!seen) targets.push_back({m.port, m.name});
    }
    std::sort(targets.begin(), targets.end());
    for (const auto& [port, name] : targets) {
        PortState ps;
        ps.port = port;
        ps.var = vcd_.add_stamped("bus." + name + ".busy", 1, 0);
        ports_.push_back(ps);
    }

    if (has_gicv4(sys_.version())) v4_ = std::make_unique<VcdV4>(sys_, vcd_);

    // An acknowledge is reported at its EOI, handler_latency after it; a
    // coalescing redistributor runs an LPI's steps up to a signal latency,
    // an acknowledge and a handler after its time.
    if (n) {
        const RedistTiming& rt = sys_.redist(0).timing();
        const uint64_t signal = to_ps(rt.clock_period * double(rt.signal_cycles));
        vcd_.set_lag(std::max(to_ps(sys_.cpu(0).config().handler_latency) +
                                  to_ps(sys_.cpu(0).config().ack_latency) + signal + 1000,
                              v4_ ? v4_->lag_ps() : 0));
    }
    vcd_.set_step_hook([this](uint64_t now) { on_step(now); });

    prev_probe_ = sys_.its().on_probe;
    sys_.its().on_probe = [this] {
        if (prev_probe_) prev_probe_();
        on_probe();
    };
    for (unsigned i = 0; i < n; ++i) {
        prev_ack_.push_back(sys_.cpu(i).on_ack);
        sys_.cpu(i).on_ack = [this, i](const AckRecord& a) {
            if (prev_ack_[i]) prev_ack_[i](a);
            vcd_.change(a.t_ps, intid_var_[i], a.intid);
            vcd_.change(a.eoi_ps, intid_var_[i], VcdWriter::kZ);
        };
    }
    on_probe();
    sc_core::sc_get_curr_simcontext()->add_trace_file(&vcd_);
    attached_ = true;
}

VcdTracer::Impl::~Impl() {
    if (attached_) sc_core::sc_get_curr_simcontext()->remove_trace_file(&vcd_);
    v4_.reset();
    sys_.its().on_probe = prev_probe_;
    for (unsigned i = 0; i < prev_ack_.size(); ++i) sys_.cpu(i).on_ack = prev_ack_[i];
    for (unsigned i = 0; i < prev_line_.size(); ++i) {
        sys_.redist(i).on_line = prev_line_[i];
        sys_.redist(i).on_count = prev_count_[i];
    }
}

void VcdTracer::Impl::on_probe() {
    const Its& its = sys_.its();
    const ItsProbe& p = its.probe();
    enabled_ = p.enabled;
    creadr_ = unsigned(p.creadr & ~uint64_t{0x1F});
    stalled_ = (p.creadr & 1) != 0;
    cwriter_ = unsigned(p.cwriter & ~uint64_t{0x1F});
    occupancy_ = p.queue_occupancy;
    state_ = p.engine;
    ingress_ = p.ingress_occupancy;
    active_ = p.translations_active;
    reads_ = p.reads_in_flight;
    writes_ = p.writes_in_flight;
    const CacheStats* cs[3] = {&its.device_cache_stats(), &its.event_cache_stats(), &its.collection_cache_stats()};
    for (int k = 0; k < 3; ++k) {
        cache_[2 * k] = unsigned(cs[k]->hits);
        cache_[2 * k + 1] = unsigned(cs[k]->misses);
    }
    // ItsProbe::opcode changes only once a command has completed. While
    // the engine executes one, show its own opcode (DW0[7:0]), read from
    // the queue in memory where the ITS has just fetched it.
    // (The engine passes through `fetching` before each command; CREADR
    // announcements while it executes call on_probe too, with the queue
    // already moved on, so only the transition counts.)
    if (p.engine == ItsProbe::executing && last_engine_ != ItsProbe::executing) {
        const uint64_t rd = its.core().creadr() & ~uint64_t{0x1F};
        const uint64_t pa = its.core().cbaser() & ((uint64_t{1} << 52) - 1) & ~uint64_t{0xFFF};
        uint8_t op = 0;
        if (pa + rd >= ram_base_ && sys_.ram().store().read(pa + rd - ram_base_, &op, 1)) opcode_ = op;
        else opcode_ = p.opcode;
    }
    last_engine_ = p.engine;
}

void VcdTracer::Impl::on_step(uint64_t now) {
    if (v4_) v4_->on_step(now);
    const Bus& bus = sys_.bus();
    for (PortState& ps : ports_) {
        const BusPortStats& st = bus.port_stats(ps.port);
        const uint64_t until = to_ps(st.busy_until), busy = to_ps(st.busy);
        if (until != ps.last_until || busy != ps.last_busy) {
            // Requests since the last step: queued back to back, they
            // started `added` before the new busy_until (not before now).
            const uint64_t added = busy - ps.last_busy;
            const uint64_t start = std::max(now, until >= added ? until - added : 0);
            if (ps.open && start <= ps.end) {
                ps.end = std::max(ps.end, until);
            } else {
                if (ps.open) vcd_.change(ps.end, ps.var, 0);
                ps.open = true;
                ps.end = until;
                vcd_.change(start, ps.var, 1);
            }
            ps.last_until = until;
            ps.last_busy = busy;
        }
        if (ps.open && ps.end <= now) {
            vcd_.change(ps.end, ps.var, 0);
            ps.open = false;
        }
    }
}

void VcdTracer::Impl::finish() {
    if (attached_) sc_core::sc_get_curr_simcontext()->remove_trace_file(&vcd_);
    attached_ = false;
    // The kernel does not cycle trace files after the last time step of a
    // run: take it here. A bus request still in service stays busy.
    vcd_.finish(to_ps(sc_core::sc_time_stamp()));
}

VcdTracer::VcdTracer(System& sys, const std::string& path) : impl_(std::make_unique<Impl>(sys, path)) {}
VcdTracer::~VcdTracer() = default;
void VcdTracer::finish() { impl_->finish(); }

}  // namespace itsim
