#include "import/qemu_convert.h"

#include <cstdio>

#include "itsim/its/its_tables.h"
#include "trace/trace.h"

namespace itsim::qemu {

namespace {

// The trace's own memory: ITTs must lie in the first 256 MiB of RAM
// (trace-format.md, "The platform a trace runs on").
constexpr uint64_t kRegionBase = 0x40000000;
constexpr uint64_t kRegionBytes = 256ull << 20;
// Linux's LPI_PROP_DEFAULT_PRIO (GICD_INT_DEF_PRI): the priority of every LPI.
constexpr unsigned kLinuxLpiPriority = 0xa0;
constexpr uint32_t kFirstLpi = 8192;
constexpr uint32_t kLpiLimit = 1u << 24;  // its.lpi_bits is at most 24

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

ItsOpcode opcode_of(Ev kind) {
    switch (kind) {
    case Ev::cmd_int: return ItsOpcode::INT;
    case Ev::cmd_clear: return ItsOpcode::CLEAR;
    case Ev::cmd_discard: return ItsOpcode::DISCARD;
    case Ev::cmd_sync: return ItsOpcode::SYNC;
    case Ev::cmd_mapd: return ItsOpcode::MAPD;
    case Ev::cmd_mapc: return ItsOpcode::MAPC;
    case Ev::cmd_mapi: return ItsOpcode::MAPI;
    case Ev::cmd_mapti: return ItsOpcode::MAPTI;
    case Ev::cmd_inv: return ItsOpcode::INV;
    case Ev::cmd_invall: return ItsOpcode::INVALL;
    case Ev::cmd_movall: return ItsOpcode::MOVALL;
    default: return ItsOpcode::MOVI;
    }
}

}  // namespace

Converter::Converter(const ImportOptions& opts, ImportStats& stats) : opts_(opts), stats_(stats) {}

uint64_t Converter::time_of(const LogEvent& e) {
    if (e.timed) {
        if (!have_t0_) {
            have_t0_ = true;
            t0_us_ = last_us_ = e.t_us;
            t0_line_ = e.line;
        } else if (e.t_us < last_us_) {
            ++stats_.clamped_times;
        } else {
            last_us_ = e.t_us;
        }
    }
    const uint64_t d = last_us_ - t0_us_;
    if (d != 0 && opts_.ps_per_host_us > UINT64_MAX / d)
        throw ImportError(opts_.source_name, e.line, 0, "the time of this line is past 2^64 ps (lower --time-scale)");
    return d * opts_.ps_per_host_us;
}

void Converter::statement(uint64_t t_ps, const std::string& text) { out_.push_back({false, t_ps, text}); }
void Converter::comment(const std::string& text) { out_.push_back({true, 0, "# " + text}); }

std::string Converter::cmd_text(const ItsCommand& cmd) const {
    std::string s = "cmd op=";
    s += opcode_name(cmd.opcode);
    for (const CmdFieldValue& f : command_fields(cmd)) {
        const std::string name = f.name;
        s += " " + name + "=" + (name == "size" || name == "valid" ? std::to_string(f.value) : hex(f.value));
    }
    return s;
}

void Converter::on_event(const LogEvent& e) {
    ++stats_.its_events;
    const uint64_t t = time_of(e);
    const std::string& file = opts_.source_name;
    switch (e.kind) {
    case Ev::its_read:
    case Ev::its_badread: close_all(); break;
    case Ev::its_write:
    case Ev::its_badwrite:
        close_msi();
        close_batch(&e);
        break;
    case Ev::translation_write: {
        close_all();
        if (e.v[0] != 0x40) {
            comment("log " + std::to_string(e.line) + ": a write at offset " + hex(e.v[0]) +
                    " of the translation frame is not GITS_TRANSLATER: no MSI");
            break;
        }
        if (e.v[3] > UINT32_MAX) throw ImportError(file, e.line, 0, "requester_id " + hex(e.v[3]) + " is past 32 bits");
        msi_ = Msi{};
        msi_.device = uint32_t(e.v[3]);
        msi_.event = uint32_t(e.v[1]);  // QEMU takes the low 32 bits as the EventID
        msi_.line = e.line;
        msi_.t_ps = t;
        msi_open_ = true;
        ctx_ = Context::msi;
        break;
    }
    case Ev::process_command:
        close_msi();
        if (have_process_)
            throw ImportError(file, process_line_, 0,
                              "the command processed here has no gicv3_its_cmd_* line before line " +
                                  std::to_string(e.line));
        if (e.v[1] > 0xff) throw ImportError(file, e.line, 0, "opcode " + hex(e.v[1]) + " is past 8 bits");
        have_process_ = true;
        process_opcode_ = uint8_t(e.v[1]);
        process_index_ = e.v[0];
        process_line_ = e.line;
        process_t_ps_ = t;
        ctx_ = Context::none;
        break;
    case Ev::cmd_vmapi:
    case Ev::cmd_vmapti:
    case Ev::cmd_vmapp:
    case Ev::cmd_vmovp:
    case Ev::cmd_vsync:
    case Ev::cmd_vmovi:
    case Ev::cmd_vinvall:
        throw ImportError(file, e.line, 0,
                          std::string("GICv4 command (") + event_name(e.kind) +
                              "): the importer converts GICv3 guests only; capture with -machine virt,gic-version=3");
    case Ev::cmd_unknown:
        if (e.v[0] > 0xff) throw ImportError(file, e.line, 0, "opcode " + hex(e.v[0]) + " is past 8 bits");
        close_msi();
        start_cmd(e, ItsOpcode(uint8_t(e.v[0])));
        break;
    case Ev::cmd_int:
    case Ev::cmd_clear:
    case Ev::cmd_discard:
    case Ev::cmd_sync:
    case Ev::cmd_mapd:
    case Ev::cmd_mapc:
    case Ev::cmd_mapi:
    case Ev::cmd_mapti:
    case Ev::cmd_inv:
    case Ev::cmd_invall:
    case Ev::cmd_movall:
    case Ev::cmd_movi:
        close_msi();
        start_cmd(e, opcode_of(e.kind));
        break;
    case Ev::vte_read:
    case Ev::vte_read_fault:
    case Ev::vte_write: break;
    default: on_table_event(e); break;
    }
}

void Converter::start_cmd(const LogEvent& e, ItsOpcode op) {
    const std::string& file = opts_.source_name;
    Cmd c;
    c.unknown = e.kind == Ev::cmd_unknown;
    c.cmd.opcode = uint8_t(op);
    if (have_process_) {
        if (process_opcode_ != c.cmd.opcode)
            throw ImportError(file, e.line, 0,
                              std::string(event_name(e.kind)) + " does not match opcode " + hex(process_opcode_) +
                                  " processed at line " + std::to_string(process_line_));
        c.line = process_line_;
        c.t_ps = process_t_ps_;
        c.has_index = true;
        c.index = process_index_;
        have_process_ = false;
    } else {
        c.line = e.line;
        c.t_ps = time_of(e);
    }
    auto field = [&](unsigned i, unsigned bits, const char* what) -> uint64_t {
        const uint64_t v = e.v[i];
        if (bits < 64 && v >> bits)
            throw ImportError(file, e.line, 0, std::string(what) + " " + hex(v) + " is past " + std::to_string(bits) + " bits");
        return v;
    };
    ItsCommand& m = c.cmd;
    switch (e.kind) {
    case Ev::cmd_mapd:
        m.device = uint32_t(field(0, 32, "DeviceID"));
        m.size = uint8_t(field(1, 5, "Size"));
        m.itt_addr = field(2, 44, "ITT_addr") << 8;  // QEMU prints the field: PA[51:8]
        m.valid = field(3, 1, "V") != 0;
        break;
    case Ev::cmd_mapc:
        m.icid = uint32_t(field(0, 16, "ICID"));
        m.rdbase = field(1, 36, "RDbase");
        m.valid = field(2, 1, "V") != 0;
        break;
    case Ev::cmd_mapti:
        m.intid = uint32_t(field(3, 32, "pINTID"));
        [[fallthrough]];
    case Ev::cmd_mapi:
    case Ev::cmd_movi:
        m.icid = uint32_t(field(2, 16, "ICID"));
        [[fallthrough]];
    case Ev::cmd_int:
    case Ev::cmd_clear:
    case Ev::cmd_discard:
    case Ev::cmd_inv:
        m.device = uint32_t(field(0, 32, "DeviceID"));
        m.event = uint32_t(field(1, 32, "EventID"));
        break;
    case Ev::cmd_movall:
        m.rdbase = field(0, 36, "RDbase1");
        m.rdbase2 = field(1, 36, "RDbase2");
        break;
    default: break;
    }
    batch_.push_back(c);
    ctx_ = Context::cmd;
}

void Converter::on_table_event(const LogEvent& e) {
    if (ctx_ == Context::msi) {
        if (e.kind == Ev::ite_read) {
            msi_.ite_valid = e.v[2] == 1;
            msi_.physical = e.v[3] == 1;
            msi_.intid = uint32_t(e.v[4]);
        } else if (e.kind == Ev::cte_read && msi_.ite_valid && msi_.physical) {
            msi_.cte_valid = e.v[1] == 1;
            msi_.rdbase = e.v[2];
        }
        return;
    }
    if (ctx_ != Context::cmd || batch_.empty()) return;
    Cmd& c = batch_.back();
    switch (e.kind) {
    case Ev::dte_write: c.dte_write = true; break;
    case Ev::cte_write: c.cte_write = true; break;
    case Ev::ite_write: c.ite_write = true; break;
    case Ev::ite_read:
        c.ite_read = true;
        c.ite_valid = e.v[2] == 1 && e.v[3] == 1;
        c.ite_intid = uint32_t(e.v[4]);
        c.ite_icid = uint32_t(e.v[5]);
        break;
    case Ev::cte_read: c.cte_reads.push_back({e.v[1] == 1, e.v[2]}); break;
    default: break;
    }
}

void Converter::close_all() {
    close_msi();
    close_batch(nullptr);
}

void Converter::close_msi() {
    if (!msi_open_) return;
    msi_open_ = false;
    ctx_ = Context::none;
    ++msi_seq_;
    ++stats_.msis;
    std::string line = "msi device=" + hex(msi_.device) + " event=" + hex(msi_.event) + "  # log " +
                       std::to_string(msi_.line);
    const bool delivered = msi_.ite_valid && msi_.physical && msi_.cte_valid;
    if (delivered && !lpi_enabled_[msi_.intid]) {
        ++stats_.msis_on_disabled;
        line += "; note: the lpi fills have this LPI disabled here";
    }
    statement(msi_.t_ps, line);
    if (delivered) {
        if (msi_.rdbase > UINT32_MAX)
            throw ImportError(opts_.source_name, msi_.line, 0, "the collection's RDbase " + hex(msi_.rdbase) + " is past 32 bits");
        ++stats_.delivered;
        if (!any_rdbase_ || msi_.rdbase > max_rdbase_) max_rdbase_ = msi_.rdbase;
        any_rdbase_ = true;
        statement(msi_.t_ps, "expect msi=" + std::to_string(msi_seq_) + " intid=" + hex(msi_.intid) +
                                 " cpu=" + std::to_string(msi_.rdbase));
    } else {
        ++stats_.dropped;
        statement(msi_.t_ps, "expect msi=" + std::to_string(msi_seq_) + " dropped");
    }
}

void Converter::close_batch(const LogEvent* write) {
    if (have_process_ && write)
        throw ImportError(opts_.source_name, process_line_, 0,
                          "the command processed here has no gicv3_its_cmd_* line before line " +
                              std::to_string(write->line));
    if (batch_.empty()) return;
    const uint64_t t = batch_.front().t_ps;
    std::string what = "log " + std::to_string(batch_.front().line) + ": " + std::to_string(batch_.size()) +
                       (batch_.size() == 1 ? " command" : " commands");
    if (write && write->kind == Ev::its_write && write->v[0] == 0x88)
        what += ", processed at the GITS_CWRITER write of line " + std::to_string(write->line) + " (" +
                hex(write->v[1]) + ")";
    else if (write)
        what += ", processed at the register write of line " + std::to_string(write->line) + " (offset " +
                hex(write->v[0]) + ")";
    comment(what);
    std::vector<OutLine> lines;
    std::vector<std::string> expects;
    for (size_t i = 0; i < batch_.size(); ++i) finalize(i, lines, expects);
    for (OutLine& l : lines) statement(t, l.text);
    statement(t, "kick");
    statement(t, "wait until=drained");
    for (const std::string& x : expects) statement(t, x);
    ++stats_.batches;
    batch_.clear();
    ctx_ = Context::none;
}

bool Converter::collection_target(uint32_t icid, uint64_t& rdbase) const {
    auto it = collections_.find(icid);
    if (it == collections_.end()) return false;
    rdbase = it->second;
    return true;
}

uint64_t Converter::relocate_itt(const Cmd& c, std::string& note) {
    const ItsCommand& m = c.cmd;
    auto it = devices_.find(m.device);
    if (!m.valid) {
        if (it != devices_.end()) {
            note = "relocated: the device's ITT slot (Linux's ITT at " + hex(it->second.linux_itt) + ")";
            return it->second.slot;
        }
        note = "relocated: V=0 uses no ITT (Linux's " + hex(m.itt_addr) + ")";
        return kRegionBase;
    }
    if (it != devices_.end() && it->second.linux_itt == m.itt_addr && it->second.size == m.size) {
        note = "relocated: the device's ITT slot (Linux's ITT at " + hex(m.itt_addr) + ")";
        return it->second.slot;
    }
    const uint64_t events = uint64_t{1} << (m.size + 1);
    uint64_t bytes = events * kItsEntryBytes;
    bytes = (bytes + 255) & ~uint64_t{255};
    if (bytes > kRegionBytes - next_slot_)
        throw ImportError(opts_.source_name, c.line, 0,
                          "the ITT of this MAPD (" + std::to_string(events) + " events, " + std::to_string(bytes) +
                              " bytes) does not fit what is left of the trace's 256 MiB (" +
                              std::to_string(kRegionBytes - next_slot_) + " bytes after " +
                              std::to_string(stats_.itt_slots) + " ITTs)");
    const uint64_t slot = kRegionBase + next_slot_;
    next_slot_ += bytes;
    ++stats_.itt_slots;
    note = "relocated: Linux's ITT at " + hex(m.itt_addr) + " (" + std::to_string(events) + " events)";
    return slot;
}

void Converter::finalize(size_t i, std::vector<OutLine>& lines, std::vector<std::string>& expects) {
    Cmd& c = batch_[i];
    ItsCommand m = c.cmd;
    std::string note;
    bool ok = false;
    const auto key = std::make_pair(m.device, m.event);
    auto ite = ites_.find(key);
    // The event's LPI and collection: QEMU's own reads first, else what the
    // commands so far made of it.
    bool have_intid = false;
    uint32_t intid = 0, icid = 0;
    if (c.ite_read && c.ite_valid) {
        have_intid = true;
        intid = c.ite_intid;
        icid = c.ite_icid;
    } else if (ite != ites_.end()) {
        have_intid = true;
        intid = ite->second.first;
        icid = ite->second.second;
    }
    switch (ItsOpcode(m.opcode)) {
    case ItsOpcode::MAPD: {
        m.itt_addr = relocate_itt(c, note);
        if (c.dte_write) {
            ok = true;
            auto d = devices_.find(m.device);
            const bool same = m.valid && d != devices_.end() && d->second.slot == m.itt_addr;
            if (!same)
                for (auto e = ites_.lower_bound({m.device, 0}); e != ites_.end() && e->first.first == m.device;)
                    e = ites_.erase(e);
            if (m.valid) devices_[m.device] = Device{c.cmd.itt_addr, m.size, m.itt_addr};
            else devices_.erase(m.device);
        }
        break;
    }
    case ItsOpcode::MAPC:
        if (c.cte_write) {
            ok = true;
            if (m.valid) collections_[m.icid] = m.rdbase;
            else collections_.erase(m.icid);
        }
        if (m.valid) {
            have_mapc_ = true;
            last_mapc_icid_ = m.icid;
            last_mapc_line_ = c.line;
            if (!any_rdbase_ || m.rdbase > max_rdbase_) max_rdbase_ = m.rdbase;
            any_rdbase_ = true;
        }
        c.has_target = true;
        c.target = m.rdbase;
        c.target_icid = m.icid;
        break;
    case ItsOpcode::MAPTI:
    case ItsOpcode::MAPI: {
        const uint32_t lpi = ItsOpcode(m.opcode) == ItsOpcode::MAPI ? m.event : m.intid;
        if (c.ite_write) {
            ok = true;
            ites_[key] = {lpi, m.icid};
            mapped_lpis_.insert(lpi);
        }
        c.target_icid = m.icid;
        c.has_target = collection_target(m.icid, c.target);
        break;
    }
    case ItsOpcode::MOVI:
        if (c.ite_write) {
            ok = true;
            if (ite != ites_.end()) ite->second.second = m.icid;
        }
        // Linux's SYNC goes to the collection the event was on before the
        // move (its_set_affinity updates its map after sending MOVI); QEMU
        // reads that collection first, then the new one.
        c.target_icid = icid;
        if (!c.cte_reads.empty() && c.cte_reads[0].first) {
            c.has_target = true;
            c.target = c.cte_reads[0].second;
        } else if (have_intid) {
            c.has_target = collection_target(icid, c.target);
        }
        break;
    case ItsOpcode::DISCARD:
    case ItsOpcode::INV:
    case ItsOpcode::INT:
    case ItsOpcode::CLEAR:
        c.target_icid = icid;
        if (!c.cte_reads.empty() && c.cte_reads[0].first) {
            c.has_target = true;
            c.target = c.cte_reads[0].second;
        } else if (have_intid) {
            c.has_target = collection_target(icid, c.target);
        }
        if (ItsOpcode(m.opcode) == ItsOpcode::DISCARD) {
            if (c.ite_write) {
                ok = true;
                ites_.erase(key);
            }
        } else {
            ok = !c.cte_reads.empty() && c.cte_reads[0].first;
        }
        if (ItsOpcode(m.opcode) == ItsOpcode::INV && have_intid && intid >= kFirstLpi &&
            intid < kLpiLimit) {
            bool& en = lpi_enabled_[intid];
            en = !en;
            ++stats_.lpi_fills;
            lines.push_back({false, 0,
                             "lpi intid=" + hex(intid) + " priority=" + hex(kLinuxLpiPriority) +
                                 " enable=" + (en ? "1" : "0") + "  # fill: Linux " + (en ? "unmasks" : "masks") +
                                 " the LPI (writes its byte) before this INV"});
        }
        break;
    case ItsOpcode::INVALL:
        m.icid = have_mapc_ ? last_mapc_icid_ : 0;
        note = have_mapc_ ? "fill: ICID of the MAPC of line " + std::to_string(last_mapc_line_)
                          : "fill: no MAPC before it: ICID 0";
        ++stats_.invall_fills;
        c.target_icid = m.icid;
        c.has_target = collection_target(m.icid, c.target);
        break;
    case ItsOpcode::SYNC:
        ++stats_.sync_fills;
        if (i > 0 && batch_[i - 1].has_target) {
            m.rdbase = batch_[i - 1].target;
            note = std::string("fill: RDbase of ICID ") + hex(batch_[i - 1].target_icid) + ", the " +
                   opcode_name(batch_[i - 1].cmd.opcode) + "'s collection";
        } else {
            m.rdbase = 0;
            note = "fill: no command before it names a mapped collection: RDbase 0";
        }
        break;
    case ItsOpcode::MOVALL:
        c.has_target = true;
        c.target = m.rdbase2;
        break;
    default: break;
    }
    ++cmd_seq_;
    ++stats_.commands;
    std::string text;
    if (c.unknown) {
        text = "cmd raw=" + hex(m.opcode) + ",0,0,0  # fill: QEMU prints only the opcode of an unknown command";
    } else {
        text = cmd_text(m);
        if (!note.empty()) text += "  # " + note;
    }
    lines.push_back({false, 0, text});
    if (c.has_index && !c.unknown) written_.push_back({c.index, m, c.cmd.itt_addr, c.line});
    if (ok) {
        ++stats_.cmd_expects;
        expects.push_back("expect cmd=" + std::to_string(cmd_seq_) + " ok");
    }
}

}  // namespace itsim::qemu

namespace itsim::qemu {

void Converter::check_queue(const std::string& dump) {
    std::set<uint64_t> seen;  // a wrapped queue holds only the last command at an entry
    for (auto w = written_.rbegin(); w != written_.rend(); ++w) {
        if (w->index >= dump.size() / 32 || !seen.insert(w->index).second) {
            ++stats_.cmdq_skipped;
            continue;
        }
        uint8_t bytes[32];
        for (unsigned i = 0; i < 32; ++i) bytes[i] = uint8_t(dump[w->index * 32 + i]);
        const ItsCommand q = decode(from_bytes(bytes));
        auto fail = [&](const std::string& what) {
            throw ImportError(opts_.source_name, w->line, 0,
                              "the command queue dump disagrees at entry " + hex(w->index) + " (byte offset " +
                                  hex(w->index * 32) + "): " + what);
        };
        if (q.opcode != w->cmd.opcode)
            fail(std::string("opcode ") + hex(q.opcode) + " there, " + opcode_name(w->cmd.opcode) + " in the trace");
        const std::vector<CmdFieldValue> mine = command_fields(w->cmd), theirs = command_fields(q);
        for (size_t i = 0; i < mine.size() && i < theirs.size(); ++i) {
            const uint64_t want = std::string(mine[i].name) == "itt" ? w->linux_itt : mine[i].value;
            if (theirs[i].value != want)
                fail(std::string(opcode_name(q.opcode)) + " " + mine[i].name + " is " + hex(theirs[i].value) +
                     " there, " + hex(want) + " in the trace" + (mine[i].name == std::string("itt") ? " (before relocation)" : ""));
        }
        ++stats_.cmdq_checked;
    }
}

}  // namespace itsim::qemu
