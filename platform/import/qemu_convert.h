// The state machine behind import_qemu_log (qemu_import.h): ITS events in
// log order in, trace statements out. Internal to platform/import.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "import/qemu_import.h"
#include "import/qemu_log.h"
#include "itsim/common/its_cmd.h"

namespace itsim::qemu {

// One line of the trace to write: a statement at t_ps, or a comment.
struct OutLine {
    bool comment = false;
    uint64_t t_ps = 0;
    std::string text;
};

class Converter {
public:
    Converter(const ImportOptions& opts, ImportStats& stats);
    void on_event(const LogEvent& e);
    // Close what is open and return the whole trace text.
    std::string finish();

private:
    // A command of the batch being collected, with what QEMU printed after it.
    struct Cmd {
        ItsCommand cmd;
        bool unknown = false;       // gicv3_its_cmd_unknown: only the opcode is known
        bool has_index = false;     // QEMU printed where in the queue it was
        uint64_t index = 0;         // GITS_CREADR.Offset: the 32-byte entry
        unsigned line = 0;
        uint64_t t_ps = 0;
        bool dte_write = false, cte_write = false, ite_write = false;
        bool ite_read = false, ite_valid = false;
        uint32_t ite_intid = 0, ite_icid = 0;
        std::vector<std::pair<bool, uint64_t>> cte_reads;  // valid, RDbase
        // Filled in when the batch is written:
        bool has_target = false;    // the collection target a SYNC after it would name
        uint64_t target = 0;
        uint32_t target_icid = 0;
    };
    struct Msi {
        uint32_t device = 0, event = 0;
        unsigned line = 0;
        uint64_t t_ps = 0;
        bool ite_valid = false, physical = false, cte_valid = false;
        uint32_t intid = 0;
        uint64_t rdbase = 0;
    };
    struct Device {
        uint64_t linux_itt = 0;
        unsigned size = 0;
        uint64_t slot = 0;
    };
    // A command as written to the trace, for checking against a queue dump.
    struct Written {
        uint64_t index = 0;
        ItsCommand cmd;             // as in the trace, itt relocated
        uint64_t linux_itt = 0;     // MAPD: the ITT address QEMU printed
        unsigned line = 0;
    };
    enum class Context { none, cmd, msi };

    uint64_t time_of(const LogEvent& e);
    void close_all();
    void close_batch(const LogEvent* closing_write);
    void close_msi();
    void start_cmd(const LogEvent& e, ItsOpcode op);
    void on_table_event(const LogEvent& e);
    // Fills, relocation and state for one command; its lines into `lines`.
    void finalize(size_t index, std::vector<OutLine>& lines, std::vector<std::string>& expects);
    uint64_t relocate_itt(const Cmd& c, std::string& note);
    bool collection_target(uint32_t icid, uint64_t& rdbase) const;
    // Every written command against the raw words of the queue dump.
    void check_queue(const std::string& dump);
    void statement(uint64_t t_ps, const std::string& text);
    void comment(const std::string& text);
    std::string cmd_text(const ItsCommand& cmd) const;

    ImportOptions opts_;
    ImportStats& stats_;
    std::vector<OutLine> out_;

    // Time
    bool have_t0_ = false;
    uint64_t t0_us_ = 0, last_us_ = 0;
    unsigned t0_line_ = 0;

    // What is being collected
    std::vector<Cmd> batch_;
    bool have_process_ = false;      // a process_command waiting for its cmd_* line
    uint8_t process_opcode_ = 0;
    uint64_t process_index_ = 0;
    unsigned process_line_ = 0;
    uint64_t process_t_ps_ = 0;
    bool msi_open_ = false;
    Msi msi_;
    Context ctx_ = Context::none;

    // What the commands so far have done (as QEMU reported it)
    std::map<uint32_t, uint64_t> collections_;                                    // ICID -> RDbase
    std::map<std::pair<uint32_t, uint32_t>, std::pair<uint32_t, uint32_t>> ites_;  // (Dev, Ev) -> (INTID, ICID)
    std::map<uint32_t, Device> devices_;
    std::map<uint32_t, bool> lpi_enabled_;   // the property bytes' enable bits as the fills leave them
    std::set<uint32_t> mapped_lpis_;
    bool have_mapc_ = false;
    uint32_t last_mapc_icid_ = 0;
    unsigned last_mapc_line_ = 0;
    uint64_t next_slot_ = 0;                 // offset of the next free ITT slot in the trace's region
    uint64_t max_rdbase_ = 0;
    bool any_rdbase_ = false;
    uint64_t cmd_seq_ = 0, msi_seq_ = 0;
    std::vector<Written> written_;
};

}  // namespace itsim::qemu
