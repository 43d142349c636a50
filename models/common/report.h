// SystemC reports of architecturally notable guest behaviour, with stable
// message types, so that an integrator's platform can show, log, count or
// stop on them with the ordinary sc_report_handler controls.
//
// Message types (stable; one per model):
//   itsim/its      the ITS: a command that completed with an error code or a
//                  memory error, a stall of the command queue, a register
//                  access that reached no register (the bad-access rule,
//                  reg_frame.h), a GITS_TRANSLATER write without a DeviceID
//   itsim/redist   a redistributor: a bad register access, a write the
//                  register file ignores (PROPBASER/PENDBASER while
//                  EnableLPIs = 1, which IHI 0069 makes UNPREDICTABLE;
//                  INVLPIR/INVALLR/SETLPIR/CLRLPIR that cannot apply)
//   itsim/cpu      the CPU interface
//   itsim/msi      the MSI front-end (models/msi)
// Each is an SC_INFO report at verbosity SC_HIGH: the guest did something
// the architecture allows but software rarely means, and the model went on
// as documented (nothing here is an error of the simulator). SystemC's
// default verbosity limit is SC_MEDIUM, so they are silent unless asked for:
//   sc_core::sc_report_handler::set_verbosity_level(sc_core::SC_HIGH);
// and each type can be routed on its own, e.g. stop the simulation on a
// command error:
//   sc_core::sc_report_handler::set_actions("itsim/its", sc_core::SC_INFO, sc_core::SC_DISPLAY | sc_core::SC_STOP);
// The message names the module (its SystemC name) and the simulated time is
// the report's own (sc_report::get_time()). Nothing is formatted while the
// verbosity limit hides the report, so a silent report costs one compare.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>

#include "itsim/common/records.h"

namespace itsim::report {

inline constexpr const char* kIts = "itsim/its";
inline constexpr const char* kRedist = "itsim/redist";
inline constexpr const char* kCpu = "itsim/cpu";
inline constexpr const char* kMsi = "itsim/msi";

// The verbosity every report here is made at.
inline constexpr int kVerbosity = sc_core::SC_HIGH;

// Whether a report would be shown (the verbosity limit lets it through).
inline bool wanted() { return sc_core::sc_report_handler::get_verbosity_level() >= kVerbosity; }

// "<who>: <what>" as an SC_INFO of `type` at kVerbosity.
void note(const char* type, const sc_core::sc_object* who, const std::string& what);

// What the models call where they already count these events. Each does
// nothing unless wanted().
void command_error(const sc_core::sc_object* its, const CommandRecord& rec);
void stall(const sc_core::sc_object* its, const StallRecord& s);
void bad_access(const char* type, const sc_core::sc_object* who, const tlm::tlm_generic_payload& tr);
void msi_without_device_id(const char* type, const sc_core::sc_object* who, uint32_t event);
void ignored_write(const char* type, const sc_core::sc_object* who, const char* what);

}  // namespace itsim::report
