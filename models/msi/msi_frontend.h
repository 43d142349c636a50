// MsiFrontEnd: MSIs from a platform that does not use itsim's MsiExtension.
//
// The ITS takes an MSI's DeviceID from an MsiExtension on the write to
// GITS_TRANSLATER (msi_ext.h); a write without one is translated as
// DeviceID 0 and counted (ItsStats::msis_without_device_id). An
// integrator's bus carries the DeviceID some other way, or not at all. This
// module sits in front of the ITS's frame and turns each of three ways of
// sending an MSI into a GITS_TRANSLATER write that carries the extension:
//
//   (a) frame    the ITS's whole 128 KiB frame, as Its::mmio has it
//                (offsets from ITS_base; bind it where the ITS would be).
//                Everything is passed to the ITS unchanged (same payload,
//                same delay plus `hop`) except a write to GITS_TRANSLATER
//                (0x10040) without an MsiExtension: `device_id_of`, a
//                function the integrator supplies, reads the DeviceID from
//                whatever the payload carries (its own initiator-ID or
//                stream-ID extension, an address bit, ...). If it returns a
//                value, the write reaches the ITS with an MsiExtension of
//                that DeviceID; if it returns none (or no function is set)
//                the write reaches the ITS as it came, which then uses
//                DeviceID 0 and counts it. A write that already carries an
//                MsiExtension passes untouched.
//   (b) device   per-device MSI target sockets, each with a fixed DeviceID:
//                the n-th initiator bound to `device` has DeviceID
//                config().device_ids[n] (binding more initiators than there
//                are IDs is an error at the end of elaboration). A 16- or
//                32-bit write at offset 0x40 of the socket's 64 KiB page
//                (the translation frame's layout: GITS_TRANSLATER) is an MSI
//                with EventID = the data.
//   (c) msi64    GIC-600's MSI-64 translater page: a 64-bit write at offset
//                0x40 carries DeviceID in data[63:32] and EventID in
//                data[31:0] (what GIC-600's MSI-64 Encapsulator produces
//                from a write plus its awdeviceid side-band). Any number of
//                initiators may bind. Place the page where only trusted
//                initiators reach it: a write there can name any device.
//   `device` and `msi64` decode the address modulo 64 KiB, so an initiator
//   bound straight to the socket (writing the full physical address) and a
//   router that passes window-relative addresses both work. Anything else
//   arriving there follows the ITS's bad-access rule (reg_frame.h): reads
//   0, changes nothing, TLM_OK_RESPONSE, counted in stats().bad_accesses;
//   what is no register access at all (byte enables, a streaming width
//   below the length, no data pointer, a command other than read, write or
//   ignore, a length past the page) gets an error response, also counted.
//   `device` and `msi64` may stay unbound.
//
//   its     initiator: bind to Its::mmio. (b) and (c) reach the ITS as a
//           32-bit write to GITS_TRANSLATER (0x10040) with the MsiExtension
//           (tag 0), on a payload of this module; the ITS's response status
//           is returned to the writer.
//
// Timing: the module adds `hop` to the delay of everything it forwards
// (default 0: a pure function call, no process, no wait; the write then
// reaches the ITS at the writer's time). A bad access costs nothing.
// It never waits itself; the ITS's b_transport may (a full ingress FIFO
// holds the writer back, its.h), so writers call from a thread.
// Debug transport: the frame is forwarded; `device` and `msi64` read 0 and
// take no writes. DMI: the frame's requests are forwarded (the ITS offers
// none); `device` and `msi64` refuse it.
//
// Sockets are TLM-2.0 base protocol, BUSWIDTH 32 like every itsim socket (the
// width types the binding only: 8-byte accesses are single transactions).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "itsim/common/config_fields.h"

namespace itsim {

struct MsiFrontEndConfig {
    // DeviceIDs of the per-device sockets, in binding order (set in code).
    std::vector<uint32_t> device_ids;
    // Added to the delay of every access forwarded to the ITS.
    sc_core::sc_time hop = sc_core::SC_ZERO_TIME;

    // By name (config_fields.h): hop (a time).
    static const ConfigFields<MsiFrontEndConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct MsiFrontEndStats {
    uint64_t forwarded = 0;            // frame accesses passed to the ITS (MSIs included)
    uint64_t msis_with_extension = 0;  // (a) writes that already carried an MsiExtension
    uint64_t msis_by_function = 0;     // (a) DeviceID from device_id_of
    uint64_t msis_without_device_id = 0;   // (a) none: the ITS uses DeviceID 0
    uint64_t msis_by_device_socket = 0;    // (b)
    uint64_t msis_by_msi64 = 0;            // (c)
    uint64_t bad_accesses = 0;         // (b), (c): not an MSI write (see above)
};

class MsiFrontEnd : public sc_core::sc_module {
public:
    using DeviceSocket = tlm_utils::multi_passthrough_target_socket<MsiFrontEnd, 32, tlm::tlm_base_protocol_types, 0,
                                                                    sc_core::SC_ZERO_OR_MORE_BOUND>;
    tlm_utils::simple_target_socket<MsiFrontEnd> frame;
    DeviceSocket device;
    DeviceSocket msi64;
    tlm_utils::simple_initiator_socket<MsiFrontEnd> its;

    // (a): the DeviceID of a GITS_TRANSLATER write that carries no
    // MsiExtension, or none. Called inside the writer's b_transport.
    std::function<std::optional<uint32_t>(const tlm::tlm_generic_payload&)> device_id_of;

    static constexpr uint64_t kTranslater = 0x10040;   // GITS_TRANSLATER in the ITS frame
    static constexpr uint64_t kPageBytes = 0x10000;    // a device / MSI-64 page
    static constexpr uint64_t kPageTranslater = 0x40;  // the MSI register in it

    MsiFrontEnd(sc_core::sc_module_name name, const MsiFrontEndConfig& cfg = MsiFrontEndConfig());

    const MsiFrontEndConfig& config() const { return cfg_; }
    const MsiFrontEndStats& stats() const { return stats_; }

private:
    void end_of_elaboration() override;
    void frame_b_transport(tlm::tlm_generic_payload& tr, sc_core::sc_time& delay);
    unsigned frame_dbg(tlm::tlm_generic_payload& tr);
    bool frame_dmi(tlm::tlm_generic_payload& tr, tlm::tlm_dmi& dmi);
    void its_invalidate(sc_dt::uint64 start, sc_dt::uint64 end);
    void device_b_transport(int index, tlm::tlm_generic_payload& tr, sc_core::sc_time& delay);
    void msi64_b_transport(int index, tlm::tlm_generic_payload& tr, sc_core::sc_time& delay);
    unsigned page_dbg(int index, tlm::tlm_generic_payload& tr);
    bool page_dmi(int index, tlm::tlm_generic_payload& tr, tlm::tlm_dmi& dmi);
    // (b), (c): answers every access that is not an MSI write (a bad one
    // counted) and returns false; an MSI write (at kPageTranslater, a length
    // whose bit is set in `sizes`): true, its data in `data`.
    bool page_msi(tlm::tlm_generic_payload& tr, unsigned sizes, uint64_t& data);
    // Sends the MSI to the ITS as a TRANSLATER write with the extension.
    void send(uint32_t device_id, uint32_t event, tlm::tlm_generic_payload& from, sc_core::sc_time& delay);

    MsiFrontEndConfig cfg_;
    MsiFrontEndStats stats_;
};

// A device_id_of that reads the DeviceID from the integrator's own payload
// extension Ext with `get` (Ext -> uint32_t); none when the payload lacks it:
//   fe.device_id_of = msi_device_id_from<StreamIdExt>([](const StreamIdExt& e) { return e.sid; });
template <class Ext, class Get>
std::function<std::optional<uint32_t>(const tlm::tlm_generic_payload&)> msi_device_id_from(Get get) {
    return [get](const tlm::tlm_generic_payload& tr) -> std::optional<uint32_t> {
        Ext* e = nullptr;
        tr.get_extension(e);
        if (!e) return std::nullopt;
        return static_cast<uint32_t>(get(*e));
    };
}

}  // namespace itsim
