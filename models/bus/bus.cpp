#include "itsim/bus/bus.h"
#include "itsim/common/timeline.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace itsim {

using sc_core::sc_time;

namespace {
std::string window_text(const BusMapping& m) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "[0x%llx, 0x%llx]", (unsigned long long)m.base,
                  (unsigned long long)m.last());
    return "'" + m.name + "' " + buf;
}
}  // namespace

Bus::Bus(sc_core::sc_module_name name, const BusConfig& cfg)
    : sc_module(name), targ_socket("targ_socket"), init_socket("init_socket"), cfg_(cfg),
      hop_(sc_time::from_value(cfg.clock_period.value() * cfg.hop_cycles)) {
    targ_socket.register_b_transport(this, &Bus::b_transport);
    targ_socket.register_transport_dbg(this, &Bus::transport_dbg);
    targ_socket.register_get_direct_mem_ptr(this, &Bus::get_direct_mem_ptr);
    init_socket.register_invalidate_direct_mem_ptr(this, &Bus::invalidate_direct_mem_ptr);
}

void Bus::map(unsigned target_port, uint64_t base, uint64_t size, const std::string& name) {
    if (elaborated_)
        throw std::logic_error(std::string(this->name()) + ": map('" + name +
                               "') after elaboration");
    BusMapping m{base, size, target_port, name};
    if (size == 0)
        throw std::invalid_argument(std::string(this->name()) + ": mapping '" + name +
                                    "' has size 0");
    if (base + (size - 1) < base)
        throw std::invalid_argument(std::string(this->name()) + ": mapping '" + name +
                                    "' runs past the end of the address space");
    auto pos = std::upper_bound(map_.begin(), map_.end(), base,
                                [](uint64_t a, const BusMapping& x) { return a < x.base; });
    // Only the neighbours can overlap a window in a sorted, disjoint list.
    if (pos != map_.begin() && std::prev(pos)->last() >= base)
        throw std::invalid_argument(std::string(this->name()) + ": mapping " + window_text(m) +
                                    " overlaps " + window_text(*std::prev(pos)));
    if (pos != map_.end() && pos->base <= m.last())
        throw std::invalid_argument(std::string(this->name()) + ": mapping " + window_text(m) +
                                    " overlaps " + window_text(*pos));
    map_.insert(pos, m);
    if (target_port >= ports_.size()) ports_.resize(target_port + 1);
}

void Bus::end_of_elaboration() {
    elaborated_ = true;   // map_ is fixed from here on: last_ may point into it
    last_.assign(targ_socket.size(), nullptr);
    for (const BusMapping& m : map_)
        if (m.port >= init_socket.size())
            SC_REPORT_ERROR("itsim/bus", (std::string(name()) + ": mapping " + window_text(m) +
                                          " names target port " + std::to_string(m.port) +
                                          " but only " + std::to_string(init_socket.size()) +
                                          " targets are bound").c_str());
}

const BusMapping* Bus::decode(uint64_t addr, uint64_t len) const {
    auto pos = std::upper_bound(map_.begin(), map_.end(), addr,
                                [](uint64_t a, const BusMapping& x) { return a < x.base; });
    if (pos == map_.begin()) return nullptr;
    const BusMapping& m = *std::prev(pos);
    return m.holds(addr, len) ? &m : nullptr;
}

void Bus::b_transport(int id, tlm::tlm_generic_payload& trans, sc_time& delay) {
    const sc_time now = kernel_time();
    const uint64_t addr = trans.get_address();
    const uint64_t len = trans.get_data_length();
    const BusMapping* m = size_t(id) < last_.size() ? last_[size_t(id)] : nullptr;
    if (!m || !m->holds(addr, len)) {
        m = decode(addr, len);
        if (m && size_t(id) < last_.size()) last_[size_t(id)] = m;
    }
    if (!m) {
        ++unmapped_;
        delay += hop_;
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    BusPortStats& p = ports_[m->port];
    const sc_time arrival = now + delay + hop_;
    const sc_time start = std::max(arrival, p.busy_until);

    sc_time d = start - now;
    trans.set_address(addr - m->base);
    init_socket[m->port]->b_transport(trans, d);
    trans.set_address(addr);

    // The target may have waited (then the kernel time moved on).
    const sc_time after = kernel_time();
    const sc_time end = std::max(after + d, start);
    p.busy_until = end;
    ++p.transactions;
    p.busy += end - start;
    p.waiting += start - arrival;
    delay = end - after;
}

unsigned Bus::transport_dbg(int, tlm::tlm_generic_payload& trans) {
    const uint64_t addr = trans.get_address();
    const BusMapping* m = decode(addr, trans.get_data_length());
    if (!m) return 0;
    trans.set_address(addr - m->base);
    unsigned n = init_socket[m->port]->transport_dbg(trans);
    trans.set_address(addr);
    return n;
}

bool Bus::get_direct_mem_ptr(int, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
    const uint64_t addr = trans.get_address();
    const BusMapping* m = decode(addr, 1);
    if (!m) {
        // Refused for the whole gap between the neighbouring windows.
        auto pos = std::upper_bound(map_.begin(), map_.end(), addr,
                                    [](uint64_t a, const BusMapping& x) { return a < x.base; });
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        dmi.set_start_address(pos == map_.begin() ? 0 : std::prev(pos)->last() + 1);
        dmi.set_end_address(pos == map_.end() ? ~uint64_t(0) : pos->base - 1);
        return false;
    }
    trans.set_address(addr - m->base);
    bool ok = init_socket[m->port]->get_direct_mem_ptr(trans, dmi);
    trans.set_address(addr);

    // Back to global addresses, clipped to the window. Relative addresses
    // start at the window base, so only the end can stick out.
    const uint64_t rel_start = dmi.get_start_address();
    const uint64_t rel_end = std::min<uint64_t>(dmi.get_end_address(), m->size - 1);
    if (rel_start > rel_end || rel_start > addr - m->base || rel_end < addr - m->base) {
        // The target answered for a range not holding the address: refuse.
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        dmi.set_start_address(addr);
        dmi.set_end_address(addr);
        return false;
    }
    dmi.set_start_address(m->base + rel_start);
    dmi.set_end_address(m->base + rel_end);
    dmi.set_read_latency(dmi.get_read_latency() + hop_);
    dmi.set_write_latency(dmi.get_write_latency() + hop_);
    return ok;
}

void Bus::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
    for (const BusMapping& m : map_) {
        if (m.port != static_cast<unsigned>(port) || start >= m.size || end < start) continue;
        const uint64_t gs = m.base + start;
        const uint64_t ge = m.base + std::min<uint64_t>(end, m.size - 1);
        for (unsigned i = 0; i < targ_socket.size(); ++i)
            targ_socket[i]->invalidate_direct_mem_ptr(gs, ge);
    }
}

}  // namespace itsim
