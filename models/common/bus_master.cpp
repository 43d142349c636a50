#include "itsim/common/bus_master.h"

#include <cstring>

namespace itsim {

using sc_core::sc_time;

BusMaster::BusMaster(tlm::tlm_initiator_socket<>& socket, bool use_dmi)
    : socket_(socket), use_dmi_(use_dmi) {}

bool BusMaster::read(uint64_t addr, void* dst, unsigned len) {
    if (!tl_) {
        SC_REPORT_ERROR("itsim/bus_master", "read before set_timeline()");
        return false;
    }
    return transact(tlm::TLM_READ_COMMAND, addr, dst, len, *tl_, 0, nullptr);
}

bool BusMaster::write(uint64_t addr, const void* src, unsigned len) {
    if (!tl_) {
        SC_REPORT_ERROR("itsim/bus_master", "write before set_timeline()");
        return false;
    }
    // A write command never modifies the data array (TLM-2.0 rule).
    return transact(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(src), len, *tl_, 0, nullptr);
}

const BusMaster::DmiRegion* BusMaster::find_dmi(tlm::tlm_command cmd, uint64_t addr,
                                                unsigned len) const {
    for (const DmiRegion& r : regions_) {
        if (!r.valid || addr < r.start || addr > r.end || len - 1 > r.end - addr) continue;
        if (cmd == tlm::TLM_READ_COMMAND ? r.readable : r.writable) return &r;
    }
    return nullptr;
}

void BusMaster::request_dmi(uint64_t addr) {
    dmi_.init();
    if (!socket_->get_direct_mem_ptr(trans_, dmi_)) return;
    if (!dmi_.get_dmi_ptr() || addr < dmi_.get_start_address() || addr > dmi_.get_end_address())
        return;
    DmiRegion* slot = nullptr;
    for (DmiRegion& r : regions_)
        if (r.valid && r.start == dmi_.get_start_address()) slot = &r;
    if (!slot) {
        slot = &regions_[next_slot_];
        next_slot_ = (next_slot_ + 1) % kDmiSlots;
    }
    slot->valid = true;
    slot->readable = dmi_.is_read_allowed();
    slot->writable = dmi_.is_write_allowed();
    slot->start = dmi_.get_start_address();
    slot->end = dmi_.get_end_address();
    slot->ptr = dmi_.get_dmi_ptr();
    slot->read_latency = dmi_.get_read_latency();
    slot->write_latency = dmi_.get_write_latency();
}

void BusMaster::invalidate(uint64_t start, uint64_t end) {
    for (DmiRegion& r : regions_)
        if (r.valid && r.start <= end && start <= r.end) r.valid = false;
}

bool BusMaster::post(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, Timeline& tl) {
    trans_.set_command(cmd);
    trans_.set_address(addr);
    trans_.set_data_ptr(static_cast<unsigned char*>(data));
    trans_.set_data_length(len);
    trans_.set_streaming_width(len);
    trans_.set_byte_enable_ptr(nullptr);
    trans_.set_byte_enable_length(0);
    trans_.set_dmi_allowed(false);
    trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time delay = tl.local();
    socket_->b_transport(trans_, delay);
    if (delay > tl.local()) tl.spend(delay - tl.local());
    last_status_ = trans_.get_response_status();
    const bool ok = last_status_ == tlm::TLM_OK_RESPONSE;
    if (!ok) ++stats_.errors;
    else if (cmd == tlm::TLM_READ_COMMAND) ++stats_.reads;
    else if (cmd == tlm::TLM_WRITE_COMMAND) ++stats_.writes;
    return ok;
}

bool BusMaster::transact(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len,
                         Timeline& tl, unsigned ext_id, tlm::tlm_extension_base* ext, bool allow_dmi) {
    const bool fast = tl.mode() == TimingMode::fast;
    const bool dmi_ok = fast && use_dmi_ && allow_dmi && !ext && len >= 1 && len <= kDmiMaxLen &&
                        (cmd == tlm::TLM_READ_COMMAND || cmd == tlm::TLM_WRITE_COMMAND);

    if (dmi_ok) {
        if (const DmiRegion* r = find_dmi(cmd, addr, len)) {
            unsigned char* p = r->ptr + (addr - r->start);
            if (cmd == tlm::TLM_READ_COMMAND) {
                std::memcpy(data, p, len);
                tl.spend(r->read_latency);
                ++stats_.reads;
            } else {
                std::memcpy(p, data, len);
                tl.spend(r->write_latency);
                ++stats_.writes;
            }
            ++stats_.dmi_accesses;
            last_status_ = tlm::TLM_OK_RESPONSE;
            tl.sync();
            return true;
        }
    }

    trans_.set_command(cmd);
    trans_.set_address(addr);
    trans_.set_data_ptr(static_cast<unsigned char*>(data));
    trans_.set_data_length(len);
    trans_.set_streaming_width(len);
    trans_.set_byte_enable_ptr(nullptr);
    trans_.set_byte_enable_length(0);
    trans_.set_dmi_allowed(false);
    trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (ext) {
        if (ext_id >= ext_slots_) {
            trans_.resize_extensions();
            ext_slots_ = tlm::max_num_extensions();
        }
        trans_.set_extension(ext_id, ext);
    }

    if (fast) {
        sc_time delay = tl.local();
        socket_->b_transport(trans_, delay);
        // Targets here never wait, so the delay only grows; the new local
        // offset is the returned delay.
        if (delay > tl.local()) tl.spend(delay - tl.local());
    } else {
        tl.sync_now();
        sc_time delay = sc_core::SC_ZERO_TIME;
        socket_->b_transport(trans_, delay);
        tl.spend(delay);
    }
    if (ext) trans_.set_extension(ext_id, nullptr);

    last_status_ = trans_.get_response_status();
    const bool ok = last_status_ == tlm::TLM_OK_RESPONSE;
    if (!ok) {
        ++stats_.errors;
    } else {
        if (cmd == tlm::TLM_READ_COMMAND) ++stats_.reads;
        if (cmd == tlm::TLM_WRITE_COMMAND) ++stats_.writes;
        if (dmi_ok && trans_.is_dmi_allowed()) request_dmi(addr);
    }
    if (fast) tl.sync();
    return ok;
}

}  // namespace itsim
