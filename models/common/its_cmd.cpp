// GICv3 ITS command encoding and decoding (see its_cmd.h for the layout).
//
// Choices the header leaves open, made here:
// - encode() of a known opcode builds the words from the named fields only
//   (`raw` is ignored); encode() of an unknown opcode returns `raw` with the
//   opcode byte replaced by `opcode`, so encode(decode(w)) == w for unknown
//   opcodes too.
// - decode() of MAPI leaves `intid` at 0: MAPI carries no pINTID (the ITS
//   uses the EventID); the command engine applies that rule.
// - operator== compares what the command means: the opcode and the fields
//   that opcode carries (exactly, not truncated); for an unknown opcode the
//   raw words. RES0 bits in `raw` of a known command do not make two
//   commands different; compare `raw` directly for that.
#include "itsim/common/its_cmd.h"

#include <cstdio>

namespace itsim {

namespace {

struct OpcodeName {
    ItsOpcode op;
    const char* name;
};

constexpr OpcodeName kOpcodeNames[] = {
    {ItsOpcode::MOVI, "MOVI"},     {ItsOpcode::INT, "INT"},         {ItsOpcode::CLEAR, "CLEAR"},
    {ItsOpcode::SYNC, "SYNC"},     {ItsOpcode::MAPD, "MAPD"},       {ItsOpcode::MAPC, "MAPC"},
    {ItsOpcode::MAPTI, "MAPTI"},   {ItsOpcode::MAPI, "MAPI"},       {ItsOpcode::INV, "INV"},
    {ItsOpcode::INVALL, "INVALL"}, {ItsOpcode::MOVALL, "MOVALL"}, {ItsOpcode::DISCARD, "DISCARD"},
};

// Which fields each physical opcode carries.
enum FieldBit : unsigned {
    kDevice = 1u << 0,
    kEvent = 1u << 1,
    kIntid = 1u << 2,
    kIcid = 1u << 3,
    kItt = 1u << 4,
    kSize = 1u << 5,
    kValid = 1u << 6,
    kRdbase = 1u << 7,
    kRdbase2 = 1u << 8,
};

unsigned fields_of(uint8_t opcode) {
    switch (static_cast<ItsOpcode>(opcode)) {
    case ItsOpcode::MAPD: return kDevice | kItt | kSize | kValid;
    case ItsOpcode::MAPC: return kIcid | kRdbase | kValid;
    case ItsOpcode::MAPTI: return kDevice | kEvent | kIntid | kIcid;
    case ItsOpcode::MAPI:
    case ItsOpcode::MOVI: return kDevice | kEvent | kIcid;
    case ItsOpcode::MOVALL: return kRdbase | kRdbase2;
    case ItsOpcode::DISCARD:
    case ItsOpcode::CLEAR:
    case ItsOpcode::INT:
    case ItsOpcode::INV: return kDevice | kEvent;
    case ItsOpcode::INVALL: return kIcid;
    case ItsOpcode::SYNC: return kRdbase;
    }
    return 0;
}

}  // namespace

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

const char* opcode_name(uint8_t opcode) {
    for (const auto& e : kOpcodeNames)
        if (static_cast<uint8_t>(e.op) == opcode) return e.name;
    return nullptr;
}

std::optional<ItsOpcode> opcode_from_name(std::string_view name) {
    for (const auto& e : kOpcodeNames)
        if (name == e.name) return e.op;
    return std::nullopt;
}

bool is_known_opcode(uint8_t opcode) { return opcode_name(opcode) != nullptr; }

bool ItsCommand::operator==(const ItsCommand& o) const {
    if (opcode != o.opcode) return false;
    const unsigned f = fields_of(opcode);
    if (f == 0) return raw == o.raw;
    if ((f & kDevice) && device != o.device) return false;
    if ((f & kEvent) && event != o.event) return false;
    if ((f & kIntid) && intid != o.intid) return false;
    if ((f & kIcid) && icid != o.icid) return false;
    if ((f & kItt) && itt_addr != o.itt_addr) return false;
    if ((f & kSize) && size != o.size) return false;
    if ((f & kValid) && valid != o.valid) return false;
    if ((f & kRdbase) && rdbase != o.rdbase) return false;
    if ((f & kRdbase2) && rdbase2 != o.rdbase2) return false;
    return true;
}

CmdWords encode(const ItsCommand& cmd) {
    const unsigned f = fields_of(cmd.opcode);
    if (f == 0) {
        CmdWords w = cmd.raw;
        w[0] = (w[0] & ~uint64_t{0xFF}) | cmd.opcode;
        return w;
    }
    CmdWords w{};
    w[0] = cmd.opcode;
    if (f & kDevice) w[0] |= uint64_t{cmd.device} << 32;
    if (f & kEvent) w[1] |= cmd.event;
    if (f & kIntid) w[1] |= uint64_t{cmd.intid} << 32;
    if (f & kSize) w[1] |= cmd.size & kSizeMask;
    if (f & kIcid) w[2] |= cmd.icid & kIcidMask;
    if (f & kItt) w[2] |= cmd.itt_addr & kIttAddrMask;
    if (f & kRdbase) w[2] |= (cmd.rdbase & kRdbaseMask) << 16;
    if (f & kValid) w[2] |= uint64_t{cmd.valid} << 63;
    if (f & kRdbase2) w[3] |= (cmd.rdbase2 & kRdbaseMask) << 16;
    return w;
}

ItsCommand decode(const CmdWords& words) {
    ItsCommand c;
    c.raw = words;
    c.opcode = static_cast<uint8_t>(words[0] & 0xFF);
    const unsigned f = fields_of(c.opcode);
    if (f & kDevice) c.device = static_cast<uint32_t>(words[0] >> 32);
    if (f & kEvent) c.event = static_cast<uint32_t>(words[1]);
    if (f & kIntid) c.intid = static_cast<uint32_t>(words[1] >> 32);
    if (f & kSize) c.size = static_cast<uint8_t>(words[1] & kSizeMask);
    if (f & kIcid) c.icid = static_cast<uint32_t>(words[2] & kIcidMask);
    if (f & kItt) c.itt_addr = words[2] & kIttAddrMask;
    if (f & kRdbase) c.rdbase = (words[2] >> 16) & kRdbaseMask;
    if (f & kValid) c.valid = (words[2] >> 63) != 0;
    if (f & kRdbase2) c.rdbase2 = (words[3] >> 16) & kRdbaseMask;
    return c;
}

void to_bytes(const CmdWords& words, uint8_t out[32]) {
    for (unsigned i = 0; i < 4; ++i)
        for (unsigned b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<uint8_t>(words[i] >> (8 * b));
}

CmdWords from_bytes(const uint8_t in[32]) {
    CmdWords w{};
    for (unsigned i = 0; i < 4; ++i)
        for (unsigned b = 0; b < 8; ++b) w[i] |= uint64_t{in[i * 8 + b]} << (8 * b);
    return w;
}

// Same key names and order as the trace format's command table.
std::string to_string(const ItsCommand& cmd) {
    const char* name = opcode_name(cmd.opcode);
    if (!name) {
        std::string s = "UNKNOWN opcode=" + hex(cmd.opcode) + " raw=";
        for (unsigned i = 0; i < 4; ++i) s += (i ? "," : "") + hex(cmd.raw[i]);
        return s;
    }
    const unsigned f = fields_of(cmd.opcode);
    std::string s = name;
    auto dec = [&](const char* key, uint64_t v) { s += std::string(" ") + key + "=" + std::to_string(v); };
    auto hx = [&](const char* key, uint64_t v) { s += std::string(" ") + key + "=" + hex(v); };
    if (f & kDevice) hx("device", cmd.device);
    if (f & kEvent) dec("event", cmd.event);
    if (f & kIntid) dec("intid", cmd.intid);
    if (f & kItt) hx("itt", cmd.itt_addr);
    if (f & kSize) dec("size", cmd.size);
    if (f & kIcid) dec("icid", cmd.icid);
    if (f & kRdbase) dec((f & kRdbase2) ? "rdbase1" : "rdbase", cmd.rdbase);
    if (f & kRdbase2) dec("rdbase2", cmd.rdbase2);
    if (f & kValid) dec("valid", cmd.valid ? 1 : 0);
    return s;
}

namespace build {
namespace {
ItsCommand of(ItsOpcode op) {
    ItsCommand c;
    c.opcode = static_cast<uint8_t>(op);
    return c;
}
}  // namespace

ItsCommand mapd(uint32_t device, uint64_t itt_addr, uint8_t size, bool valid) {
    ItsCommand c = of(ItsOpcode::MAPD);
    c.device = device;
    c.itt_addr = itt_addr;
    c.size = size;
    c.valid = valid;
    return c;
}
ItsCommand mapc(uint32_t icid, uint64_t rdbase, bool valid) {
    ItsCommand c = of(ItsOpcode::MAPC);
    c.icid = icid;
    c.rdbase = rdbase;
    c.valid = valid;
    return c;
}
ItsCommand mapti(uint32_t device, uint32_t event, uint32_t intid, uint32_t icid) {
    ItsCommand c = of(ItsOpcode::MAPTI);
    c.device = device;
    c.event = event;
    c.intid = intid;
    c.icid = icid;
    return c;
}
ItsCommand mapi(uint32_t device, uint32_t event, uint32_t icid) {
    ItsCommand c = of(ItsOpcode::MAPI);
    c.device = device;
    c.event = event;
    c.icid = icid;
    return c;
}
ItsCommand movi(uint32_t device, uint32_t event, uint32_t icid) {
    ItsCommand c = of(ItsOpcode::MOVI);
    c.device = device;
    c.event = event;
    c.icid = icid;
    return c;
}
ItsCommand movall(uint64_t rdbase1, uint64_t rdbase2) {
    ItsCommand c = of(ItsOpcode::MOVALL);
    c.rdbase = rdbase1;
    c.rdbase2 = rdbase2;
    return c;
}
ItsCommand by_event(ItsOpcode op, uint32_t device, uint32_t event) {
    ItsCommand c = of(op);
    c.device = device;
    c.event = event;
    return c;
}
ItsCommand invall(uint32_t icid) {
    ItsCommand c = of(ItsOpcode::INVALL);
    c.icid = icid;
    return c;
}
ItsCommand sync(uint64_t rdbase) {
    ItsCommand c = of(ItsOpcode::SYNC);
    c.rdbase = rdbase;
    return c;
}
}  // namespace build

const char* cmd_error::code_name(uint32_t code) {
    if (const ErrorCode* e = find_code(code)) return e->name;
    if ((code >> 16) == 0x01 && (code & 0xFF) == 0xFF && !is_known_opcode(uint8_t(code >> 8)))
        return "UNSUPPORTED_CMD";
    return nullptr;
}

}  // namespace itsim
