#include "itsim/common/report.h"

#include <cstdio>

#include "itsim/common/its_cmd.h"

namespace itsim::report {

namespace {
std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}
}  // namespace

void note(const char* type, const sc_core::sc_object* who, const std::string& what) {
    if (!wanted()) return;
    const std::string msg = (who ? std::string(who->name()) + ": " : std::string()) + what;
    SC_REPORT_INFO_VERB(type, msg.c_str(), kVerbosity);
}

void command_error(const sc_core::sc_object* its, const CommandRecord& rec) {
    if (!wanted() || (rec.status == 0 && !rec.memory_error)) return;
    const char* op = opcode_name(rec.cmd.opcode);
    std::string what = (op ? std::string(op) : "opcode " + hex(rec.cmd.opcode)) + " at queue offset " + hex(rec.offset);
    if (rec.memory_error) {
        what += ": memory error reading the command or a table";
    } else {
        const char* code = cmd_error::code_name(rec.status);
        what += ": error " + hex(rec.status) + (code ? " (" + std::string(code) + ")" : std::string());
    }
    note(kIts, its, what);
}

void stall(const sc_core::sc_object* its, const StallRecord& s) {
    if (!wanted()) return;
    note(kIts, its, "command queue stalled at offset " + hex(s.creadr) +
                        (s.error ? " (error " + hex(s.error) + ")" : std::string(" (memory error)")) +
                        "; GITS_CWRITER.Retry resumes it");
}

void bad_access(const char* type, const sc_core::sc_object* who, const tlm::tlm_generic_payload& tr) {
    if (!wanted()) return;
    const char* cmd = tr.is_read() ? "read" : tr.is_write() ? "write" : "access";
    note(type, who, std::string("bad register ") + cmd + " of " + std::to_string(tr.get_data_length()) +
                        " bytes at offset " + hex(tr.get_address()) +
                        (tr.get_response_status() == tlm::TLM_OK_RESPONSE ? " (RAZ/WI)" : " (error response)"));
}

void msi_without_device_id(const char* type, const sc_core::sc_object* who, uint32_t event) {
    if (!wanted()) return;
    note(type, who, "GITS_TRANSLATER write (EventID " + hex(event) + ") without a DeviceID: DeviceID 0 used");
}

void ignored_write(const char* type, const sc_core::sc_object* who, const char* what) {
    if (!wanted()) return;
    note(type, who, std::string("write ignored: ") + what);
}

}  // namespace itsim::report
