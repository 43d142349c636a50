// The grammar of a setting's value, as text: numbers, durations,
// frequencies and booleans, read and written back exactly. One grammar for
// the platform's parameters (`itsim params`, --set, config files, the
// trace's `platform` line) and for the config structs' set()/get()
// (config_fields.h). Plain C++: no simulation kernel.
//
//   number     decimal or 0x hex (digits in either case), with allow_suffix
//              an optional K, M or G (x 2^10, 2^20, 2^30): "16", "0x40000000",
//              "1G". Nothing else: no sign, no separators, no spaces.
//   duration   a number (decimal with an optional fraction, or 0x hex), then
//              a unit ps ns us ms s: "50ns", "1.5us", "0x10ns". Exact in
//              picoseconds: a fraction finer than 1 ps is malformed.
//   frequency  a decimal number with an optional fraction (at most 12
//              digits), then Hz kHz MHz GHz: "1GHz", "2.5GHz". Exact: it
//              must be a whole number of Hz whose period is a whole number
//              of picoseconds ("3GHz" is not: 333.33 ps).
//   boolean    0/1, true/false, on/off, yes/no (any case).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace itsim::grammar {

enum class Number { ok, malformed, overflow };
// A number; out is set only when ok.
Number parse_number(std::string_view text, bool allow_suffix, uint64_t& out);

// Why a duration did not parse (the trace reader names each in its message).
enum class Duration { ok, malformed, hex_fraction, no_unit, bad_unit, too_large, not_whole_ps };
// A duration; `unit` is the text after the number (what was taken for the
// unit, also when it is not one). out_ps is set only when ok.
Duration parse_duration(std::string_view text, uint64_t& out_ps, std::string_view& unit);
constexpr const char* kDurationUnits = "ps ns us ms s";

// A frequency as its clock period in picoseconds ("1GHz" -> 1000).
bool parse_frequency(std::string_view text, uint64_t& period_ps);

bool parse_bool(std::string_view text, bool& out);

// Written back, each read back exactly by its parser:
//   format_ps: the largest unit not above the value, the fraction exact
//     ("0ps", "250ns", "1.5us", "3s").
//   format_frequency: the largest unit not above 1/period, fraction exact
//     ("1GHz", "2.5GHz", "400MHz"). A period of no whole number of Hz (only
//     a struct written directly can hold one: 3 ps) has no exact text; it
//     is written as the nearest whole Hz, and that is said with exact=false.
//   format_hex: "0x" and upper-case digits, at least min_digits of them.
//   format_size: the largest of G, M, K that divides the value ("1G",
//     "64K"), else decimal.
std::string format_ps(uint64_t ps);
std::string format_frequency(uint64_t period_ps, bool* exact = nullptr);
std::string format_hex(uint64_t v, unsigned min_digits = 0);
std::string format_size(uint64_t v);

}  // namespace itsim::grammar
