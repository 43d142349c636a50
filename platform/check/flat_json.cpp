// Fast flat-object JSON reader with parse_json as the fallback (flat_json.h).
#include "check/flat_json.h"

#include <cstring>

#include "plot.h"

namespace itsim {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

const FlatValue* FlatObject::get(const char* key) const {
    const size_t len = std::strlen(key);
    for (const auto& [k, v] : members_)
        if (k.size() == len && std::memcmp(k.data(), key, len) == 0) return &v;
    return nullptr;
}

// The common case, or false to let parse_json decide. Accepts only text
// that parse_json accepts, with the same values.
bool FlatObject::fast(const std::string& s) {
    const size_t n = s.size();
    size_t i = 0;
    auto ws = [&] {
        while (i < n && is_ws(s[i])) ++i;
    };
    // A string without escapes; i at the opening quote.
    auto plain_string = [&](std::string& out) {
        const size_t start = ++i;
        while (i < n && s[i] != '"') {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            if (c < 0x20 || c == '\\') return false;
            ++i;
        }
        if (i >= n) return false;
        out.assign(s, start, i - start);
        ++i;
        return true;
    };
    ws();
    if (i >= n || s[i] != '{') return false;
    ++i;
    ws();
    if (i < n && s[i] == '}') {
        ++i;
    } else {
        for (;;) {
            ws();
            if (i >= n || s[i] != '"') return false;
            members_.emplace_back();
            auto& [key, v] = members_.back();
            if (!plain_string(key)) return false;
            ws();
            if (i >= n || s[i] != ':') return false;
            ++i;
            ws();
            if (i >= n) return false;
            const char c = s[i];
            if (c == '"') {
                v.type = FlatValue::Type::string;
                if (!plain_string(v.str)) return false;
            } else if (c >= '0' && c <= '9') {
                uint64_t u = 0;
                const size_t start = i;
                while (i < n && s[i] >= '0' && s[i] <= '9') {
                    const uint64_t d = uint64_t(s[i] - '0');
                    if (u > (UINT64_MAX - d) / 10) return false;   // parse_json: not is_uint
                    u = u * 10 + d;
                    ++i;
                }
                if (i - start > 20) return false;
                if (i < n && (s[i] == '.' || s[i] == 'e' || s[i] == 'E')) return false;
                v.type = FlatValue::Type::number;
                v.is_uint = true;
                v.u = u;
            } else if (s.compare(i, 4, "true") == 0) {
                v.type = FlatValue::Type::boolean;
                v.b = true;
                i += 4;
            } else if (s.compare(i, 5, "false") == 0) {
                v.type = FlatValue::Type::boolean;
                i += 5;
            } else if (s.compare(i, 4, "null") == 0) {
                i += 4;
            } else {
                return false;
            }
            ws();
            if (i < n && s[i] == ',') {
                ++i;
                continue;
            }
            if (i < n && s[i] == '}') {
                ++i;
                break;
            }
            return false;
        }
    }
    ws();
    return i == n;
}

void FlatObject::parse(const std::string& text) {
    members_.clear();
    members_.reserve(24);
    is_object_ = true;
    if (fast(text)) return;
    members_.clear();
    const Json j = parse_json(text);   // throws on malformed text
    is_object_ = j.type == Json::Type::object;
    for (const auto& [k, jv] : j.obj) {
        FlatValue v;
        switch (jv.type) {
        case Json::Type::null: break;
        case Json::Type::boolean:
            v.type = FlatValue::Type::boolean;
            v.b = jv.b;
            break;
        case Json::Type::number:
            v.type = FlatValue::Type::number;
            v.is_uint = jv.is_uint;
            v.u = jv.u;
            break;
        case Json::Type::string:
            v.type = FlatValue::Type::string;
            v.str = jv.str;
            break;
        default: v.type = FlatValue::Type::other; break;
        }
        members_.emplace_back(k, std::move(v));
    }
}

}  // namespace itsim
