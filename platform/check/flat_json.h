// A fast reader for the one shape every event-log record has: a flat JSON
// object of strings, unsigned integers, booleans and nulls. Anything else
// (escapes, signs, fractions, nested values, malformed text) goes to the
// full reader, parse_json (plot.h), so that what is accepted and the error
// messages are exactly parse_json's; its values are then converted, nested
// ones kept as "other". Used by the event-log checker (check.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace itsim {

struct FlatValue {
    enum class Type { null, boolean, number, string, other };
    Type type = Type::null;
    bool b = false;
    bool is_uint = false;   // a number written as a non-negative integer that fits 64 bits
    uint64_t u = 0;
    std::string str;        // strings
};

class FlatObject {
public:
    // Parses `text` as one JSON value. Throws std::runtime_error("column N:
    // ...") as parse_json does. `is_object` tells whether it was an object.
    void parse(const std::string& text);
    bool is_object() const { return is_object_; }
    // The first member named `key`, or nullptr.
    const FlatValue* get(const char* key) const;

private:
    bool fast(const std::string& text);
    std::vector<std::pair<std::string, FlatValue>> members_;
    bool is_object_ = false;
};

}  // namespace itsim
