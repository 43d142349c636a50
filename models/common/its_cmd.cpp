// ITS command encoding and decoding, read from the command table
// (its_cmd_table.h has the layout).
//
// Choices the header leaves open, made here:
// - encode() of a GICv3 command builds the words from the named fields only
//   (`raw` is ignored). encode() of any other opcode starts from `raw`, with
//   the opcode byte replaced by `opcode` and, for a GICv4 command, the
//   named fields' bits replaced by the fields: a command this ITS does not
//   implement keeps every other bit it was read with, so
//   encode(decode(w)) == w for those opcodes (a built one, whose raw is 0,
//   gets exactly its fields).
// - decode() of MAPI leaves `intid` at 0 and of VMAPI `vintid` at 0: they
//   carry no pINTID / vINTID (the ITS uses the EventID); the command engine
//   applies that rule.
// - operator== compares what the command means: the opcode and the fields
//   that opcode carries (exactly, not truncated); for an opcode the table
//   does not have, the raw words. RES0 bits in `raw` of a command the table
//   has do not make two commands different; compare `raw` directly for that.
#include "itsim/common/its_cmd.h"

#include <cstdio>

namespace itsim {

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

const char* opcode_name(uint8_t opcode) {
    const CmdInfo* c = command_info(opcode);
    return c && c->since == GicVersion::v3 ? c->name : nullptr;
}

std::optional<ItsOpcode> opcode_from_name(std::string_view name) {
    const CmdInfo* c = command_named(name);
    if (!c || c->since != GicVersion::v3) return std::nullopt;
    return c->op;
}

bool is_known_opcode(uint8_t opcode) { return opcode_name(opcode) != nullptr; }

uint64_t field_value(const ItsCommand& c, CmdField member) {
    switch (member) {
    case CmdField::device: return c.device;
    case CmdField::event: return c.event;
    case CmdField::intid: return c.intid;
    case CmdField::icid: return c.icid;
    case CmdField::itt_addr: return c.itt_addr;
    case CmdField::size: return c.size;
    case CmdField::valid: return c.valid;
    case CmdField::rdbase: return c.rdbase;
    case CmdField::rdbase2: return c.rdbase2;
    case CmdField::vpeid: return c.vpeid;
    case CmdField::vintid: return c.vintid;
    case CmdField::doorbell: return c.doorbell;
    case CmdField::db_valid: return c.db_valid;
    case CmdField::vpt_addr: return c.vpt_addr;
    case CmdField::vpt_size: return c.vpt_size;
    case CmdField::vconf_addr: return c.vconf_addr;
    case CmdField::default_doorbell: return c.default_doorbell;
    case CmdField::alloc: return c.alloc;
    case CmdField::ptz: return c.ptz;
    case CmdField::seqnum: return c.seqnum;
    case CmdField::its_list: return c.its_list;
    case CmdField::db: return c.db;
    case CmdField::priority: return c.priority;
    case CmdField::group: return c.group;
    case CmdField::clear: return c.clear;
    case CmdField::enable: return c.enable;
    }
    return 0;
}

void set_field_value(ItsCommand& c, CmdField member, uint64_t v) {
    const auto u32 = static_cast<uint32_t>(v);
    const auto u8 = static_cast<uint8_t>(v);
    const bool b = v != 0;
    switch (member) {
    case CmdField::device: c.device = u32; return;
    case CmdField::event: c.event = u32; return;
    case CmdField::intid: c.intid = u32; return;
    case CmdField::icid: c.icid = u32; return;
    case CmdField::itt_addr: c.itt_addr = v; return;
    case CmdField::size: c.size = u8; return;
    case CmdField::valid: c.valid = b; return;
    case CmdField::rdbase: c.rdbase = v; return;
    case CmdField::rdbase2: c.rdbase2 = v; return;
    case CmdField::vpeid: c.vpeid = u32; return;
    case CmdField::vintid: c.vintid = u32; return;
    case CmdField::doorbell: c.doorbell = u32; return;
    case CmdField::db_valid: c.db_valid = b; return;
    case CmdField::vpt_addr: c.vpt_addr = v; return;
    case CmdField::vpt_size: c.vpt_size = u8; return;
    case CmdField::vconf_addr: c.vconf_addr = v; return;
    case CmdField::default_doorbell: c.default_doorbell = u32; return;
    case CmdField::alloc: c.alloc = b; return;
    case CmdField::ptz: c.ptz = b; return;
    case CmdField::seqnum: c.seqnum = u32; return;
    case CmdField::its_list: c.its_list = u32; return;
    case CmdField::db: c.db = b; return;
    case CmdField::priority: c.priority = u8; return;
    case CmdField::group: c.group = b; return;
    case CmdField::clear: c.clear = b; return;
    case CmdField::enable: c.enable = b; return;
    }
}

bool ItsCommand::operator==(const ItsCommand& o) const {
    if (opcode != o.opcode) return false;
    const CmdInfo* info = command_info(opcode);
    if (!info) return raw == o.raw;
    for (const CmdFieldInfo& f : *info)
        if (field_value(*this, f.member) != field_value(o, f.member)) return false;
    return true;
}

CmdWords encode(const ItsCommand& cmd) {
    CmdWords w{};
    if (!is_known_opcode(cmd.opcode)) w = cmd.raw;
    w[0] = (w[0] & ~uint64_t{0xFF}) | cmd.opcode;
    if (const CmdInfo* info = command_info(cmd.opcode))
        for (const CmdFieldInfo& f : *info)
            w[f.dw] = (w[f.dw] & ~f.place(~uint64_t{0})) | f.place(field_value(cmd, f.member));
    return w;
}

ItsCommand decode(const CmdWords& words) {
    ItsCommand c;
    c.raw = words;
    c.opcode = static_cast<uint8_t>(words[0] & 0xFF);
    if (const CmdInfo* info = command_info(c.opcode))
        for (const CmdFieldInfo& f : *info) set_field_value(c, f.member, f.extract(words[f.dw]));
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
std::string to_string(const ItsCommand& cmd, GicVersion gic) {
    const CmdInfo* info = command_info(cmd.opcode);
    if (!info || !has_command(gic, *info)) {
        const CmdWords w = encode(cmd);
        std::string s = "UNKNOWN opcode=" + hex(cmd.opcode) + " raw=";
        for (unsigned i = 0; i < 4; ++i) s += (i ? "," : "") + hex(w[i]);
        return s;
    }
    std::string s = info->name;
    for (const CmdFieldInfo& f : *info) {
        if (!has_field(gic, f)) continue;
        const uint64_t v = field_value(cmd, f.member);
        const bool in_hex = f.kind == FieldKind::hex || f.kind == FieldKind::address;
        s += std::string(" ") + f.name + "=" + (in_hex ? hex(v) : std::to_string(v));
    }
    return s;
}

std::string to_string(const ItsCommand& cmd) { return to_string(cmd, GicVersion::v3); }

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
ItsCommand vmapp(uint32_t vpeid, uint64_t rdbase, uint64_t vpt_addr, uint8_t vpt_size, bool valid,
                 GicVersion version) {
    ItsCommand c = of(ItsOpcode::VMAPP);
    c.vpeid = vpeid;
    c.rdbase = rdbase;
    c.vpt_addr = vpt_addr;
    c.vpt_size = vpt_size;
    c.valid = valid;
    if (version == GicVersion::v4_1 && valid) c.default_doorbell = kNoDoorbell;
    return c;
}
ItsCommand vmapti(uint32_t device, uint32_t event, uint32_t vpeid, uint32_t vintid, uint32_t doorbell) {
    ItsCommand c = vmapi(device, event, vpeid, doorbell);
    c.opcode = static_cast<uint8_t>(ItsOpcode::VMAPTI);
    c.vintid = vintid;
    return c;
}
ItsCommand vmapi(uint32_t device, uint32_t event, uint32_t vpeid, uint32_t doorbell) {
    ItsCommand c = of(ItsOpcode::VMAPI);
    c.device = device;
    c.event = event;
    c.vpeid = vpeid;
    c.doorbell = doorbell;
    return c;
}
ItsCommand vmovi(uint32_t device, uint32_t event, uint32_t vpeid, uint32_t doorbell, bool db_valid) {
    ItsCommand c = vmapi(device, event, vpeid, doorbell);
    c.opcode = static_cast<uint8_t>(ItsOpcode::VMOVI);
    c.db_valid = db_valid;
    return c;
}
ItsCommand vmovp(uint32_t seqnum, uint32_t its_list, uint32_t vpeid, uint64_t rdbase, bool db,
                 uint32_t default_doorbell) {
    ItsCommand c = of(ItsOpcode::VMOVP);
    c.seqnum = seqnum;
    c.its_list = its_list;
    c.vpeid = vpeid;
    c.rdbase = rdbase;
    c.db = db;
    c.default_doorbell = default_doorbell;
    return c;
}
ItsCommand by_vpe(ItsOpcode op, uint32_t vpeid) {
    ItsCommand c = of(op);
    c.vpeid = vpeid;
    return c;
}
ItsCommand vsgi(uint32_t vpeid, uint32_t vintid, uint8_t priority, bool group, bool clear, bool enable) {
    ItsCommand c = of(ItsOpcode::VSGI);
    c.vpeid = vpeid;
    c.vintid = vintid;
    c.priority = priority;
    c.group = group;
    c.clear = clear;
    c.enable = enable;
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
