// The command table's rows (its_cmd_table.h says how to read them). Field
// positions: its-facts.md 2.1 (GICv3) and gicv4-facts.md 1.1 (GICv4), which
// agree with the Linux encoders, QEMU's field definitions and KVM's
// decoders. Each row is checked at compile time by table_is_consistent().
#include "itsim/common/its_cmd_table.h"

#include <array>

namespace itsim {

namespace {

constexpr GicVersion v3 = GicVersion::v3;
constexpr GicVersion v40 = GicVersion::v4_0;
constexpr GicVersion v41 = GicVersion::v4_1;

// A field at DW<dw>[hi:lo] holding value[value_lsb + hi - lo : value_lsb].
constexpr CmdFieldInfo field(const char* name, const char* arch, CmdField m, unsigned dw, unsigned hi, unsigned lo,
                             FieldKind kind, GicVersion since, unsigned value_lsb = 0) {
    return CmdFieldInfo{name, arch, m, uint8_t(dw), uint8_t(lo), uint8_t(hi - lo + 1), uint8_t(value_lsb), kind, since};
}
constexpr FieldKind num = FieldKind::number;
constexpr FieldKind hexid = FieldKind::hex;
constexpr FieldKind addr = FieldKind::address;
constexpr FieldKind flag = FieldKind::flag;
using M = CmdField;

// clang-format off
// ---- GICv3 fields ---------------------------------------------------------------------------
//                                  trace      architected      member       DW  hi  lo  kind   since
constexpr CmdFieldInfo kDevice   = field("device",  "DeviceID", M::device,   0, 63, 32, hexid, v3);
constexpr CmdFieldInfo kEvent    = field("event",   "EventID",  M::event,    1, 31,  0, num,   v3);
constexpr CmdFieldInfo kIntid    = field("intid",   "pINTID",   M::intid,    1, 63, 32, num,   v3);
constexpr CmdFieldInfo kIcid     = field("icid",    "ICID",     M::icid,     2, 15,  0, num,   v3);
constexpr CmdFieldInfo kItt      = field("itt",     "ITT_addr", M::itt_addr, 2, 51,  8, addr,  v3, 8);   // PA[51:8] in place
constexpr CmdFieldInfo kSize     = field("size",    "Size",     M::size,     1,  4,  0, num,   v3);      // EventID bits - 1
constexpr CmdFieldInfo kValid    = field("valid",   "V",        M::valid,    2, 63, 63, flag,  v3);
constexpr CmdFieldInfo kRdbase   = field("rdbase",  "RDbase",   M::rdbase,   2, 51, 16, num,   v3);      // the field value
constexpr CmdFieldInfo kRdbase1  = field("rdbase1", "RDbase",   M::rdbase,   2, 51, 16, num,   v3);      // MOVALL's first
constexpr CmdFieldInfo kRdbase2  = field("rdbase2", "RDbase2",  M::rdbase2,  3, 51, 16, num,   v3);

// ---- GICv4 fields ---------------------------------------------------------------------------
constexpr CmdFieldInfo kVpeid    = field("vpeid",    "vPEID",        M::vpeid,    1, 47, 32, num,  v40);
constexpr CmdFieldInfo kVintid   = field("vintid",   "vINTID",       M::vintid,   2, 31,  0, num,  v40);  // VMAPTI
constexpr CmdFieldInfo kDoorbell = field("doorbell", "Dbell_pINTID", M::doorbell, 2, 63, 32, num,  v40);  // 1023: none
constexpr CmdFieldInfo kDbValid  = field("db_valid", "D",            M::db_valid, 2,  0,  0, flag, v40);  // VMOVI
// VMAPP. VPT_size is [4:0] in GICv4.0 ([7:5] RES0), [7:0] in GICv4.1: the
// table keeps the wider field.
constexpr CmdFieldInfo kVpt      = field("vpt",      "VPT_addr",     M::vpt_addr, 3, 51, 16, addr, v40, 16);  // PA[51:16] in place
constexpr CmdFieldInfo kVptSize  = field("vpt_size", "VPT_size",     M::vpt_size, 3,  7,  0, num,  v40);      // vINTID bits - 1
constexpr CmdFieldInfo kVconf    = field("vconf",    "VCONF_addr",   M::vconf_addr, 0, 51, 16, addr, v41, 16);  // PA[51:16] in place
constexpr CmdFieldInfo kVmappDb  = field("default_doorbell", "Default_Doorbell", M::default_doorbell, 1, 31, 0, num, v41);
constexpr CmdFieldInfo kAlloc    = field("alloc",    "Alloc",        M::alloc,    0,  8,  8, flag, v41);
constexpr CmdFieldInfo kPtz      = field("ptz",      "PTZ",          M::ptz,      0,  9,  9, flag, v41);
// VMOVP. SequenceNumber and ITSList are RES0 when GITS_TYPER.VMOVP = 1.
constexpr CmdFieldInfo kSeqnum   = field("seqnum",   "SequenceNumber", M::seqnum, 0, 47, 32, num, v40);
constexpr CmdFieldInfo kItsList  = field("its_list", "ITSList",      M::its_list, 1, 15,  0, num,  v40);
constexpr CmdFieldInfo kDb       = field("db",       "DB",           M::db,       2, 63, 63, flag, v41);
constexpr CmdFieldInfo kVmovpDb  = field("default_doorbell", "Default_Doorbell", M::default_doorbell, 3, 31, 0, num, v41);
// VSGI (GICv4.1).
constexpr CmdFieldInfo kSgiId    = field("vintid",   "vINTID",       M::vintid,   0, 35, 32, num,  v41);  // the vSGI, 0..15
constexpr CmdFieldInfo kPriority = field("priority", "Priority",     M::priority, 0, 23, 20, num,  v41, 4);  // priority[7:4]
constexpr CmdFieldInfo kGroup    = field("group",    "Group",        M::group,    0, 10, 10, flag, v41);
constexpr CmdFieldInfo kClear    = field("clear",    "Clear",        M::clear,    0,  9,  9, flag, v41);
constexpr CmdFieldInfo kEnable   = field("enable",   "Enable",       M::enable,   0,  8,  8, flag, v41);

// ---- field lists, in trace order ------------------------------------------------------------
constexpr CmdFieldInfo kMapdF[]    = {kDevice, kItt, kSize, kValid};
constexpr CmdFieldInfo kMapcF[]    = {kIcid, kRdbase, kValid};
constexpr CmdFieldInfo kMaptiF[]   = {kDevice, kEvent, kIntid, kIcid};
constexpr CmdFieldInfo kMapiF[]    = {kDevice, kEvent, kIcid};           // pINTID = EventID
constexpr CmdFieldInfo kMoviF[]    = {kDevice, kEvent, kIcid};
constexpr CmdFieldInfo kMovallF[]  = {kRdbase1, kRdbase2};
constexpr CmdFieldInfo kEventF[]   = {kDevice, kEvent};                  // DISCARD CLEAR INT INV
constexpr CmdFieldInfo kInvallF[]  = {kIcid};
constexpr CmdFieldInfo kSyncF[]    = {kRdbase};
constexpr CmdFieldInfo kVmappF[]   = {kVpeid, kRdbase, kVpt, kVptSize, kValid, kVconf, kVmappDb, kAlloc, kPtz};
constexpr CmdFieldInfo kVmaptiF[]  = {kDevice, kEvent, kVpeid, kVintid, kDoorbell};
constexpr CmdFieldInfo kVmapiF[]   = {kDevice, kEvent, kVpeid, kDoorbell};   // vINTID = EventID
constexpr CmdFieldInfo kVmoviF[]   = {kDevice, kEvent, kVpeid, kDoorbell, kDbValid};
constexpr CmdFieldInfo kVmovpF[]   = {kSeqnum, kItsList, kVpeid, kRdbase, kDb, kVmovpDb};
constexpr CmdFieldInfo kVpeF[]     = {kVpeid};                           // VSYNC VINVALL INVDB
constexpr CmdFieldInfo kVsgiF[]    = {kVpeid, kSgiId, kPriority, kGroup, kClear, kEnable};

template <size_t N>
constexpr CmdInfo row(ItsOpcode op, const char* name, CmdFamily fam, GicVersion since, CmdMaps maps,
                      const CmdFieldInfo (&f)[N]) {
    return CmdInfo{op, name, fam, since, maps, f, uint8_t(N)};
}
constexpr CmdFamily kMap = CmdFamily::mapping;
constexpr CmdFamily kOne = CmdFamily::per_interrupt;
constexpr CmdFamily kRd = CmdFamily::per_redistributor;
constexpr CmdFamily kVirt = CmdFamily::virtual_;
constexpr CmdMaps kNone = CmdMaps::none;

using O = ItsOpcode;
constexpr CmdInfo kCommands[] = {
    row(O::MAPD,    "MAPD",    kMap,  v3,  CmdMaps::device,     kMapdF),
    row(O::MAPC,    "MAPC",    kMap,  v3,  CmdMaps::collection, kMapcF),
    row(O::MAPTI,   "MAPTI",   kMap,  v3,  kNone,               kMaptiF),
    row(O::MAPI,    "MAPI",    kMap,  v3,  kNone,               kMapiF),
    row(O::MOVI,    "MOVI",    kOne,  v3,  kNone,               kMoviF),
    row(O::MOVALL,  "MOVALL",  kRd,   v3,  kNone,               kMovallF),
    row(O::DISCARD, "DISCARD", kOne,  v3,  kNone,               kEventF),
    row(O::CLEAR,   "CLEAR",   kOne,  v3,  kNone,               kEventF),
    row(O::INT,     "INT",     kOne,  v3,  kNone,               kEventF),
    row(O::INV,     "INV",     kOne,  v3,  kNone,               kEventF),
    row(O::INVALL,  "INVALL",  kRd,   v3,  kNone,               kInvallF),
    row(O::SYNC,    "SYNC",    kRd,   v3,  kNone,               kSyncF),
    row(O::VMAPP,   "VMAPP",   kVirt, v40, CmdMaps::vpe,        kVmappF),
    row(O::VMAPTI,  "VMAPTI",  kVirt, v40, kNone,               kVmaptiF),
    row(O::VMAPI,   "VMAPI",   kVirt, v40, kNone,               kVmapiF),
    row(O::VMOVI,   "VMOVI",   kVirt, v40, kNone,               kVmoviF),
    row(O::VMOVP,   "VMOVP",   kVirt, v40, kNone,               kVmovpF),
    row(O::VSYNC,   "VSYNC",   kVirt, v40, kNone,               kVpeF),
    row(O::VINVALL, "VINVALL", kVirt, v40, kNone,               kVpeF),
    row(O::INVDB,   "INVDB",   kVirt, v41, kNone,               kVpeF),
    row(O::VSGI,    "VSGI",    kVirt, v41, kNone,               kVsgiF),
};
// clang-format on
constexpr size_t kCommandCount = sizeof kCommands / sizeof kCommands[0];

constexpr bool same(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

// The table's own rules: opcodes and names unique; the GICv4 commands are
// exactly the virtual family; in each command no two fields share a name, a
// member or a bit, none touches the opcode byte DW0[7:0] or leaves its
// doubleword; addresses are kept in place, flags are one bit.
constexpr bool table_is_consistent() {
    for (size_t i = 0; i < kCommandCount; ++i) {
        const CmdInfo& c = kCommands[i];
        if ((c.family == CmdFamily::virtual_) != (c.since != GicVersion::v3)) return false;
        if (c.field_count > kMaxCmdFields) return false;
        for (size_t j = i + 1; j < kCommandCount; ++j)
            if (kCommands[j].op == c.op || same(kCommands[j].name, c.name)) return false;
        for (size_t a = 0; a < c.field_count; ++a) {
            const CmdFieldInfo& f = c.field_data[a];
            if (f.dw > 3 || f.width == 0 || f.lsb + f.width > 64 || f.value_lsb + f.width > 64) return false;
            if (f.dw == 0 && f.lsb < 8) return false;
            if (f.kind == FieldKind::address && f.value_lsb != f.lsb) return false;
            if (f.kind == FieldKind::flag && f.width != 1) return false;
            for (size_t b = a + 1; b < c.field_count; ++b) {
                const CmdFieldInfo& g = c.field_data[b];
                if (same(f.name, g.name) || f.member == g.member) return false;
                if (f.dw == g.dw && (f.place(~uint64_t{0}) & g.place(~uint64_t{0}))) return false;
            }
        }
    }
    return true;
}
static_assert(table_is_consistent(), "kCommands breaks its own rules");

constexpr std::array<int8_t, 256> make_index() {
    std::array<int8_t, 256> idx{};
    for (auto& i : idx) i = -1;
    for (size_t i = 0; i < kCommandCount; ++i) idx[kCommands[i].opcode()] = int8_t(i);
    return idx;
}

constexpr std::array<int8_t, 256> kIndex = make_index();

}  // namespace

const char* to_string(CmdFamily f) {
    switch (f) {
    case CmdFamily::mapping: return "mapping";
    case CmdFamily::per_interrupt: return "per-interrupt";
    case CmdFamily::per_redistributor: return "per-redistributor";
    case CmdFamily::virtual_: return "virtual";
    }
    return "?";
}

CmdTable command_table() { return CmdTable{kCommands, kCommands + kCommandCount}; }

const CmdInfo* command_info(uint8_t opcode) {
    const int i = kIndex[opcode];
    return i < 0 ? nullptr : &kCommands[i];
}

const CmdInfo* command_named(std::string_view name) {
    for (const CmdInfo& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

bool is_virtual(uint8_t opcode) {
    const CmdInfo* c = command_info(opcode);
    return c && c->family == CmdFamily::virtual_;
}

const CmdFieldInfo* CmdInfo::field(std::string_view name) const {
    for (const CmdFieldInfo& f : *this)
        if (name == f.name) return &f;
    return nullptr;
}

const CmdFieldInfo* CmdInfo::field(CmdField member) const {
    for (const CmdFieldInfo& f : *this)
        if (f.member == member) return &f;
    return nullptr;
}

std::string describe(const CmdFieldInfo& f) {
    const std::string bits = "[" + std::to_string(f.value_lsb + f.width - 1) + ":" + std::to_string(f.value_lsb) + "]";
    if (f.kind == FieldKind::address) return std::string(f.arch) + ", PA" + bits;
    if (f.value_lsb != 0) return std::string(f.arch) + ", " + f.name + bits;
    return std::to_string(f.width) + "-bit " + f.arch;
}

}  // namespace itsim
