#include "itsim/memory/memory.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace itsim {

using sc_core::sc_time;

Memory::Memory(sc_core::sc_module_name name, const MemoryConfig& cfg)
    : sc_module(name), socket("socket"), cfg_(cfg), store_(cfg.size) {
    if (cfg_.bytes_per_cycle == 0)
        throw std::invalid_argument(std::string(this->name()) +
                                    ": bytes_per_cycle must be at least 1");
    for (unsigned len = 0; len <= kTimedLen; ++len) {
        read_time_[len] = compute_service_time(tlm::TLM_READ_COMMAND, len);
        write_time_[len] = compute_service_time(tlm::TLM_WRITE_COMMAND, len);
    }
    dmi_read_latency_ = service_time(tlm::TLM_READ_COMMAND, 8);
    dmi_write_latency_ = service_time(tlm::TLM_WRITE_COMMAND, 8);
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
}

sc_time Memory::compute_service_time(tlm::tlm_command cmd, uint64_t len) const {
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND)
        return sc_core::SC_ZERO_TIME;
    uint64_t beats = (len + cfg_.bytes_per_cycle - 1) / cfg_.bytes_per_cycle;
    sc_time latency = cmd == tlm::TLM_READ_COMMAND ? cfg_.read_latency : cfg_.write_latency;
    return latency + sc_time::from_value(cfg_.clock_period.value() * beats);
}

tlm::tlm_response_status Memory::check(const tlm::tlm_generic_payload& trans) const {
    tlm::tlm_command cmd = trans.get_command();
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND &&
        cmd != tlm::TLM_IGNORE_COMMAND)
        return tlm::TLM_COMMAND_ERROR_RESPONSE;
    unsigned len = trans.get_data_length();
    if (!store_.contains(trans.get_address(), len)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    if (trans.get_byte_enable_ptr()) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (trans.get_streaming_width() < len) return tlm::TLM_BURST_ERROR_RESPONSE;
    if (len && !trans.get_data_ptr() && cmd != tlm::TLM_IGNORE_COMMAND)
        return tlm::TLM_GENERIC_ERROR_RESPONSE;
    return tlm::TLM_OK_RESPONSE;
}

void Memory::b_transport(tlm::tlm_generic_payload& trans, sc_time& delay) {
    tlm::tlm_response_status st = check(trans);
    if (st != tlm::TLM_OK_RESPONSE) {
        ++stats_.errors;
        trans.set_response_status(st);
        return;
    }
    tlm::tlm_command cmd = trans.get_command();
    uint64_t addr = trans.get_address();
    unsigned len = trans.get_data_length();
    bool resident = false;   // the read's own page lookup says (no second one)
    bool looked = false;
    if (cmd == tlm::TLM_READ_COMMAND) {
        store_.read(addr, trans.get_data_ptr(), len, &resident);
        looked = true;
        ++stats_.reads;
        stats_.bytes_read += len;
    } else if (cmd == tlm::TLM_WRITE_COMMAND) {
        store_.write(addr, trans.get_data_ptr(), len);
        ++stats_.writes;
        stats_.bytes_written += len;
    }
    const sc_time s = service_time(cmd, len);
    stats_.busy += s;
    delay += s;
    if (cfg_.dmi && (looked ? resident : store_.page_resident(addr))) trans.set_dmi_allowed(true);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned Memory::transport_dbg(tlm::tlm_generic_payload& trans) {
    tlm::tlm_command cmd = trans.get_command();
    uint64_t addr = trans.get_address();
    unsigned len = trans.get_data_length();
    if (!trans.get_data_ptr() || !store_.contains(addr, len)) return 0;
    if (cmd == tlm::TLM_READ_COMMAND) return store_.read(addr, trans.get_data_ptr(), len) ? len : 0;
    if (cmd == tlm::TLM_WRITE_COMMAND) return store_.write(addr, trans.get_data_ptr(), len) ? len : 0;
    return 0;
}

bool Memory::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
    uint64_t addr = trans.get_address();
    uint64_t page = addr & ~SparseStore::kPageMask;
    dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
    if (!cfg_.dmi || addr >= store_.size()) {
        // Refused for the whole memory (or everything past its end).
        dmi.set_start_address(cfg_.dmi ? store_.size() : 0);
        dmi.set_end_address(~uint64_t(0));
        return false;
    }
    dmi.set_start_address(page);
    dmi.set_end_address(std::min(page + SparseStore::kPageMask, store_.size() - 1));
    bool want_write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
    uint8_t* p = store_.page_ptr(page, want_write);
    if (!p) return false;  // untouched page, read access: not allocated for a read
    dmi.set_dmi_ptr(p);
    dmi.allow_read_write();
    dmi.set_read_latency(dmi_read_latency_);
    dmi.set_write_latency(dmi_write_latency_);
    return true;
}

}  // namespace itsim
