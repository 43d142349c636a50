// Side-band of a write to GITS_TRANSLATER: the DeviceID travels with the
// transaction, as a requester/stream ID does on a real bus (QEMU uses
// MemTxAttrs.requester_id, gem5 the stream ID). The bus passes payload
// extensions through untouched.
#pragma once

#include <cstdint>
#include <tlm>

namespace itsim {

struct MsiExtension : tlm::tlm_extension<MsiExtension> {
    uint32_t device_id = 0;
    // Opaque tag the writer chooses (the trace's msi sequence number); the
    // ITS hands it back in its translation record. 0 = none.
    uint64_t tag = 0;

    MsiExtension() = default;
    MsiExtension(uint32_t dev, uint64_t t) : device_id(dev), tag(t) {}

    tlm::tlm_extension_base* clone() const override { return new MsiExtension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        *this = static_cast<const MsiExtension&>(other);
    }
};

}  // namespace itsim
