#include "itsim/msi/msi_frontend.h"

#include <string>

#include "itsim/common/config_fields_sc.h"
#include "itsim/common/msi_ext.h"
#include "itsim/common/reg_frame_tlm.h"
#include "itsim/common/report.h"

namespace itsim {

const ConfigFields<MsiFrontEndConfig>& MsiFrontEndConfig::fields() {
    using C = MsiFrontEndConfig;
    static const ConfigFields<C> f{
        field::time<&C::hop>("hop", "added to the delay of every access the MSI front-end forwards to the ITS"),
    };
    return f;
}

MsiFrontEnd::MsiFrontEnd(sc_core::sc_module_name name, const MsiFrontEndConfig& cfg)
    : sc_module(name), frame("frame"), device("device"), msi64("msi64"), its("its"), cfg_(cfg) {
    frame.register_b_transport(this, &MsiFrontEnd::frame_b_transport);
    frame.register_transport_dbg(this, &MsiFrontEnd::frame_dbg);
    frame.register_get_direct_mem_ptr(this, &MsiFrontEnd::frame_dmi);
    its.register_invalidate_direct_mem_ptr(this, &MsiFrontEnd::its_invalidate);
    device.register_b_transport(this, &MsiFrontEnd::device_b_transport);
    device.register_transport_dbg(this, &MsiFrontEnd::page_dbg);
    device.register_get_direct_mem_ptr(this, &MsiFrontEnd::page_dmi);
    msi64.register_b_transport(this, &MsiFrontEnd::msi64_b_transport);
    msi64.register_transport_dbg(this, &MsiFrontEnd::page_dbg);
    msi64.register_get_direct_mem_ptr(this, &MsiFrontEnd::page_dmi);
}

void MsiFrontEnd::end_of_elaboration() {
    if (device.size() > cfg_.device_ids.size())
        SC_REPORT_ERROR("itsim/msi", (std::string(name()) + ": " + std::to_string(device.size()) +
                                      " initiators bound to `device`, but only " +
                                      std::to_string(cfg_.device_ids.size()) + " device_ids configured")
                                         .c_str());
}

// (a) The ITS's frame.
void MsiFrontEnd::frame_b_transport(tlm::tlm_generic_payload& tr, sc_core::sc_time& delay) {
    ++stats_.forwarded;
    delay += cfg_.hop;
    if (tr.is_write() && tr.get_address() == kTranslater) {
        MsiExtension* ext = nullptr;
        tr.get_extension(ext);
        std::optional<uint32_t> id;
        if (ext) ++stats_.msis_with_extension;
        else if (device_id_of) id = device_id_of(tr);
        if (id) {
            ++stats_.msis_by_function;
            MsiExtension own(*id, 0);
            tr.set_extension(&own);
            its->b_transport(tr, delay);
            tr.clear_extension(&own);
            return;
        }
        if (!ext) {
            ++stats_.msis_without_device_id;
            const unsigned len = tr.get_data_length();
            if (tr.get_data_ptr() && len <= 4)
                report::msi_without_device_id(report::kMsi, this, uint32_t(reg_load(tr.get_data_ptr(), len)));
        }
    }
    its->b_transport(tr, delay);
}

unsigned MsiFrontEnd::frame_dbg(tlm::tlm_generic_payload& tr) { return its->transport_dbg(tr); }

bool MsiFrontEnd::frame_dmi(tlm::tlm_generic_payload& tr, tlm::tlm_dmi& dmi) {
    return its->get_direct_mem_ptr(tr, dmi);
}

void MsiFrontEnd::its_invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
    frame->invalidate_direct_mem_ptr(start, end);
}

// (b), (c) The MSI pages.
bool MsiFrontEnd::page_msi(tlm::tlm_generic_payload& tr, unsigned sizes, uint64_t& data) {
    const tlm::tlm_command cmd = tr.get_command();
    const uint64_t off = tr.get_address() % kPageBytes;
    const unsigned len = tr.get_data_length();
    tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;
    if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND && cmd != tlm::TLM_IGNORE_COMMAND)
        st = tlm::TLM_COMMAND_ERROR_RESPONSE;
    else if (len > kPageBytes - off) st = tlm::TLM_ADDRESS_ERROR_RESPONSE;
    else if (tr.get_byte_enable_ptr()) st = tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    else if (tr.get_streaming_width() < len) st = tlm::TLM_BURST_ERROR_RESPONSE;
    else if (len && !tr.get_data_ptr() && cmd != tlm::TLM_IGNORE_COMMAND) st = tlm::TLM_GENERIC_ERROR_RESPONSE;
    tr.set_response_status(st);
    if (st != tlm::TLM_OK_RESPONSE) {
        ++stats_.bad_accesses;
        report::bad_access(report::kMsi, this, tr);
        return false;
    }
    if (cmd == tlm::TLM_IGNORE_COMMAND) return false;
    const bool reg = off == kPageTranslater && len < 32 && ((sizes >> len) & 1);
    if (cmd == tlm::TLM_READ_COMMAND) {
        reg_store(tr.get_data_ptr(), len, 0);   // write-only: reads 0
        if (!reg) {
            ++stats_.bad_accesses;
            report::bad_access(report::kMsi, this, tr);
        }
        return false;
    }
    if (!reg) {
        ++stats_.bad_accesses;
        report::bad_access(report::kMsi, this, tr);
        return false;
    }
    data = reg_load(tr.get_data_ptr(), len);
    return true;
}

void MsiFrontEnd::device_b_transport(int index, tlm::tlm_generic_payload& tr, sc_core::sc_time& delay) {
    uint64_t data = 0;
    if (!page_msi(tr, (1u << 2) | (1u << 4), data)) return;
    ++stats_.msis_by_device_socket;
    // end_of_elaboration checked that every binding has its DeviceID.
    send(cfg_.device_ids.at(size_t(index)), uint32_t(data), tr, delay);
}

void MsiFrontEnd::msi64_b_transport(int, tlm::tlm_generic_payload& tr, sc_core::sc_time& delay) {
    uint64_t data = 0;
    if (!page_msi(tr, 1u << 8, data)) return;
    ++stats_.msis_by_msi64;
    send(uint32_t(data >> 32), uint32_t(data), tr, delay);
}

unsigned MsiFrontEnd::page_dbg(int, tlm::tlm_generic_payload& tr) {
    if (!tr.is_read() || !tr.get_data_ptr()) return 0;
    reg_store(tr.get_data_ptr(), tr.get_data_length(), 0);
    tr.set_response_status(tlm::TLM_OK_RESPONSE);
    return tr.get_data_length();
}

bool MsiFrontEnd::page_dmi(int, tlm::tlm_generic_payload& tr, tlm::tlm_dmi& dmi) {
    // Refused for the whole page (tlm_dmi's convention for a refusal).
    const uint64_t base = tr.get_address() - tr.get_address() % kPageBytes;
    dmi.set_start_address(base);
    dmi.set_end_address(base + kPageBytes - 1);
    dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
    return false;
}

void MsiFrontEnd::send(uint32_t device_id, uint32_t event, tlm::tlm_generic_payload& from,
                       sc_core::sc_time& delay) {
    unsigned char buf[4];
    reg_store(buf, 4, event);
    tlm::tlm_generic_payload p;
    p.set_command(tlm::TLM_WRITE_COMMAND);
    p.set_address(kTranslater);
    p.set_data_ptr(buf);
    p.set_data_length(4);
    p.set_streaming_width(4);
    p.set_byte_enable_ptr(nullptr);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    MsiExtension ext(device_id, 0);
    p.set_extension(&ext);
    delay += cfg_.hop;
    its->b_transport(p, delay);
    p.clear_extension(&ext);
    from.set_response_status(p.get_response_status());
}

}  // namespace itsim
