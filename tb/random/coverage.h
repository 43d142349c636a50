// Functional coverage of the random suite (issue 8, item 7): what the runs
// exercised, read from each run's event log and statistics file.
//
//   outcomes    every (command, status) pair: "MAPTI ok", "MOVI
//               MOVI_UNMAPPED_COLLECTION" (the mnemonic of cmd_error's
//               table), and every MSI outcome ("delivered", a drop reason);
//   situations  the interleavings that matter, each counted where the log
//               shows it:
//     pending while disabled     an LPI made pending with a disabled snapshot
//     merged into pending        an MSI to an LPI already pending
//     moved while pending        MOVI/MOVALL moved a pending LPI
//     removed while pending      CLEAR, DISCARD or MAPD removed one
//     re-enabled by INV/INVALL   a refresh made a pending LPI selectable
//     MSI around its acknowledge an MSI to an LPI pending within 5 ns of an
//                                acknowledge of it at that CPU
//     CWRITER while busy         a CWRITER write while the engine had a
//                                published command not yet done
//     queue stalled              a stall record
//     cache fill raced           an ITS cache fill dropped because a command
//                                changed the cache during its read (stats)
//     lazy write-back overflow   the pending table's dirty limit passed (stats)
//     acknowledge again          an acknowledge found only unsignalled LPIs (stats)
//     LPIs refused               set pending refused: LPIs disabled or out of range
// Plain C++.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace itsim::gen {

class Coverage {
public:
    // One run's event log (JSON Lines) and statistics file (JSON), as text.
    void add_run(const std::string& events_text, const std::string& stats_text);
    void merge(const Coverage& o);

    const std::map<std::string, uint64_t>& outcomes() const { return outcomes_; }
    const std::map<std::string, uint64_t>& situations() const { return situations_; }
    uint64_t runs() const { return runs_; }

    // The architected (command, error) pairs itsim can report that no run hit.
    std::vector<std::string> missing_codes() const;
    // Situations (of the list above) that no run showed.
    std::vector<std::string> missing_situations() const;
    // Markdown tables (for the README): outcomes and situations with counts.
    std::string markdown() const;

    static const std::vector<std::string>& situation_names();

private:
    std::map<std::string, uint64_t> outcomes_, situations_;
    uint64_t runs_ = 0;
};

}  // namespace itsim::gen
