// Every platform parameter: its name, type, default and one-line meaning.
// One catalogue feeds the command line (--set), config files (--config),
// the trace's `platform` line, `itsim params`, and the event log's first
// line (so a result can always be reproduced). Unknown keys and malformed
// values are errors that name where they came from (file:line:column).
//
// The catalogue is not written here: it is the fields of the config
// structs (SystemConfig in platform_config.h), each struct listing its own
// fields (itsim/common/config_fields.h) with its defaults in its member
// initialisers. Params holds the values as text; System fills the structs
// from them by name (system_config()).
//
// Plain C++: no simulation kernel needed.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/common/config_fields.h"

namespace itsim {

// A configuration or trace error, already formatted as one line
// "WHERE: error: MESSAGE" (WHERE = file:line:column or "--set").
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class ParamType {
    integer,   // decimal or 0x hex, optional K/M/G (binary) suffix
    time,      // number with a unit: ps ns us ms s ("50ns")
    freq,      // number with a unit: Hz kHz MHz GHz ("1GHz")
    choice,    // one of the listed words
    boolean,   // 0/1, true/false, on/off, yes/no
};

struct ParamInfo {
    std::string name;
    ParamType type;
    std::string default_value;
    std::string description;
    std::string choices;        // for ParamType::choice: words separated by '|'
    uint64_t min = 0;           // for integers
    uint64_t max = UINT64_MAX;
    FieldInfo field;            // the struct field's description (full name)
};

// The full catalogue, in documentation order.
const std::vector<ParamInfo>& param_catalogue();

// A config struct's fields as catalogue entries under `prefix`, with the
// struct's defaults: catalogue_for(ItsModuleConfig::fields(), "its1.")
// lists a second ITS's parameters, "its1.clock" ... "its1.hop_cycles".
ParamInfo param_info(const FieldValue& field);   // throws std::logic_error for a text field
template <class S>
std::vector<ParamInfo> catalogue_for(const ConfigFields<S>& fields, const std::string& prefix, const S& values = S{}) {
    std::vector<ParamInfo> out;
    for (const FieldValue& f : fields.list(values, prefix)) out.push_back(param_info(f));
    return out;
}

class Params {
public:
    Params();  // every parameter at its default

    // Set `key` to `value`. `where` names the origin for error messages
    // ("run.cfg:3:7", "--set"). Throws ConfigError for an unknown key or a
    // value that does not parse or is out of range.
    void set(const std::string& key, const std::string& value, const std::string& where,
             const std::string& value_where = "");
    // Read a config file: lines `key = value` (or `key=value`), `#` comments.
    void load_file(const std::string& path);
    // Parse "key=value" as given to --set.
    void set_assignment(const std::string& assignment, const std::string& where);

    uint64_t integer(const std::string& key) const;
    double seconds(const std::string& key) const;       // time, in seconds
    uint64_t picoseconds(const std::string& key) const; // time, in ps
    uint64_t period_ps(const std::string& key) const;   // freq, as a clock period in ps
    const std::string& text(const std::string& key) const;  // choice (or raw text)
    bool flag(const std::string& key) const;

    // Where the value came from: "default", "--set ...", "FILE:LINE:COLUMN".
    const std::string& origin(const std::string& key) const;
    // A ConfigError for `key`'s value, positioned where that value was set.
    ConfigError error(const std::string& key, const std::string& message) const;

    // The value as written (normalised), for echoing.
    const std::string& raw(const std::string& key) const;
    // All parameters in catalogue order as a JSON object (values as strings
    // or numbers, exactly reproducible with --set). With gic.version=3 the
    // keys the GICv4 work added (echoed_only_when_set) are left out while
    // they hold their defaults: a GICv3 run echoes what it did before them;
    // so are, in every run, the later keys echoed_only_when_set_any_version
    // names.
    std::string to_json() const;
    // Human-readable table for `itsim params`.
    static std::string describe();

private:
    const ParamInfo& info(const std::string& key) const;
    std::map<std::string, std::string> values_;
    std::map<std::string, std::string> origins_;
};

// Value parsers shared with the trace reader and the command line
// (itsim/common/config_value.h's grammar). Each returns false on a
// malformed value (no exceptions).
// Whether `key` is one of the GICv4 work's parameters (to_json).
bool echoed_only_when_set(const std::string& key);
// Whether `key` is left out of every run's echo while at its default
// (parameters added later that change no result: `coalesce`).
bool echoed_only_when_set_any_version(const std::string& key);

bool parse_integer(const std::string& text, uint64_t& out);       // 0x.., decimal, K/M/G
bool parse_time_ps(const std::string& text, uint64_t& out_ps);    // "50ns", "1.5us"
bool parse_freq_period_ps(const std::string& text, uint64_t& out_ps);  // "1GHz" -> 1000

}  // namespace itsim
