// The integrator's own platform parts, written against plain TLM-2.0 and
// SystemC: nothing here knows itsim except the CPU stand-in, which uses the
// published CPU hooks (itsim/redist/redist_cpu_if.h). A real platform has
// its own versions of all of these.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <itsim/redist/redist_cpu_if.h>

namespace example {

using sc_core::sc_time;
using sc_core::SC_NS;

// The platform's side-band for "who is writing": a master ID on every
// transaction a device issues (as an AXI AWUSER field would carry it).
struct MasterId : tlm::tlm_extension<MasterId> {
    uint32_t id = 0;
    explicit MasterId(uint32_t v = 0) : id(v) {}
    tlm::tlm_extension_base* clone() const override { return new MasterId(*this); }
    void copy_from(const tlm::tlm_extension_base& o) override { id = static_cast<const MasterId&>(o).id; }
};

// Address decoder: any number of initiators to the targets bound in order,
// each at one window; the target sees window-relative addresses. No time.
struct Router : sc_core::sc_module {
    tlm_utils::multi_passthrough_target_socket<Router> in;
    tlm_utils::multi_passthrough_initiator_socket<Router> out;
    struct Window { uint64_t base, size; };
    std::vector<Window> windows;   // windows[i]: the i-th target attached

    explicit Router(sc_core::sc_module_name n) : sc_module(n), in("in"), out("out") {
        in.register_b_transport(this, &Router::b_transport);
        in.register_transport_dbg(this, &Router::transport_dbg);
    }
    // The next target, at [base, base + size).
    template <class TargetSocket>
    void attach(TargetSocket& target, uint64_t base, uint64_t size) {
        out.bind(target);
        windows.push_back({base, size});
    }
    int decode(tlm::tlm_generic_payload& tr) {
        const uint64_t a = tr.get_address();
        for (size_t i = 0; i < windows.size(); ++i)
            if (a >= windows[i].base && a - windows[i].base < windows[i].size) {
                tr.set_address(a - windows[i].base);
                return int(i);
            }
        return -1;
    }
    void b_transport(int, tlm::tlm_generic_payload& tr, sc_time& delay) {
        const uint64_t a = tr.get_address();
        const int port = decode(tr);
        if (port < 0) {
            tr.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        tr.set_dmi_allowed(false);
        out[port]->b_transport(tr, delay);
        tr.set_address(a);
    }
    unsigned transport_dbg(int, tlm::tlm_generic_payload& tr) {
        const uint64_t a = tr.get_address();
        const int port = decode(tr);
        const unsigned n = port < 0 ? 0 : out[port]->transport_dbg(tr);
        tr.set_address(a);
        return n;
    }
};

// RAM: zero-filled, 10 ns per access.
struct Ram : sc_core::sc_module {
    tlm_utils::simple_target_socket<Ram> socket;
    std::vector<unsigned char> bytes;

    Ram(sc_core::sc_module_name n, size_t size) : sc_module(n), socket("socket"), bytes(size) {
        socket.register_b_transport(this, &Ram::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& tr, sc_time& delay) {
        const uint64_t a = tr.get_address();
        const unsigned len = tr.get_data_length();
        if (a > bytes.size() || len > bytes.size() - a || tr.get_byte_enable_ptr()) {
            tr.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (tr.is_read()) std::memcpy(tr.get_data_ptr(), &bytes[a], len);
        else if (tr.is_write()) std::memcpy(&bytes[a], tr.get_data_ptr(), len);
        delay += sc_time(10, SC_NS);
        tr.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

// A bus initiator that does plain little-endian loads and stores, waiting
// out each access's delay (software on a CPU, or a device's DMA engine).
struct Master : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Master> socket;
    explicit Master(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
    bool access(tlm::tlm_command cmd, uint64_t addr, uint64_t& v, unsigned len, MasterId* ext = nullptr) {
        unsigned char b[8];
        for (unsigned i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
        tlm::tlm_generic_payload p;
        p.set_command(cmd);
        p.set_address(addr);
        p.set_data_ptr(b);
        p.set_data_length(len);
        p.set_streaming_width(len);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (ext) p.set_extension(ext);
        sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(p, delay);
        if (ext) p.clear_extension(ext);
        sc_core::wait(delay);
        v = 0;
        for (unsigned i = 0; i < len; ++i) v |= uint64_t{b[i]} << (8 * i);
        return p.is_response_ok();
    }
    bool write(uint64_t addr, uint64_t v, unsigned len, MasterId* ext = nullptr) {
        return access(tlm::TLM_WRITE_COMMAND, addr, v, len, ext);
    }
    uint64_t read(uint64_t addr, unsigned len) {
        uint64_t v = 0;
        access(tlm::TLM_READ_COMMAND, addr, v, len);
        return v;
    }
};

// A device that signals MSIs the three ways a platform without itsim's
// extension can: (a) through the bus to GITS_TRANSLATER with its master ID
// on the transaction, (b) through its own MSI socket, which the GIC side
// knows as one DeviceID, (c) as GIC-600's MSI-64, DeviceID and EventID in
// one 64-bit write to the MSI-64 page.
struct MsiDevice : Master {
    tlm_utils::simple_initiator_socket<MsiDevice> msi;   // (b)
    uint32_t master_id;
    MsiDevice(sc_core::sc_module_name n, uint32_t id) : Master(n), msi("msi"), master_id(id) {}
    bool msi_by_master_id(uint64_t translater, uint32_t event) {
        MasterId tag(master_id);
        return write(translater, event, 4, &tag);
    }
    bool msi_by_socket(uint32_t event) {
        unsigned char b[4];
        for (unsigned i = 0; i < 4; ++i) b[i] = static_cast<unsigned char>(event >> (8 * i));
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_WRITE_COMMAND);
        p.set_address(0x40);   // GITS_TRANSLATER's offset in its page
        p.set_data_ptr(b);
        p.set_data_length(4);
        p.set_streaming_width(4);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = sc_core::SC_ZERO_TIME;
        msi->b_transport(p, delay);
        sc_core::wait(delay);
        return p.is_response_ok();
    }
    bool msi64(uint64_t page, uint32_t device_id, uint32_t event) {
        return write(page + 0x40, uint64_t{device_id} << 32 | event, 8);
    }
};

// A CPU stand-in: when its interrupt line is high it reads the
// acknowledge register (itsim's CPU hook, RedistCpuIf::acknowledge), runs
// a handler, and writes end of interrupt. It records what it took.
struct Cpu : sc_core::sc_module {
    sc_core::sc_in<bool> irq;
    sc_core::sc_port<itsim::RedistCpuIf> gic;
    unsigned number;
    std::vector<uint32_t> taken;   // INTIDs, in the order acknowledged

    SC_HAS_PROCESS(Cpu);
    Cpu(sc_core::sc_module_name n, unsigned num) : sc_module(n), irq("irq"), gic("gic"), number(num) {
        SC_THREAD(run);
    }
    void run() {
        itsim::Timeline tl;   // the acknowledge costs no time of its own
        for (;;) {
            if (!irq.read()) sc_core::wait(irq.posedge_event());
            sc_core::wait(20, SC_NS);                   // ICC_IAR1_EL1 read
            const uint32_t intid = gic->acknowledge(tl);
            if (intid == 1023) continue;                // spurious, or not visible yet: look again
            taken.push_back(intid);
            std::printf("cpu%u: INTID %u at %s\n", number, intid, sc_core::sc_time_stamp().to_string().c_str());
            sc_core::wait(100, SC_NS);                  // the handler
            gic->end_of_interrupt(intid);               // ICC_EOIR1_EL1
        }
    }
};

}  // namespace example
