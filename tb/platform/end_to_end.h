// What the end-to-end tests of `itsim run` (tb/platform/test_end_to_end_*.cpp)
// share: paths in the source tree, a scratch folder, reading files, a
// minimal JSON reader for the event log, the options of a quiet run.
//
// Each TEST runs in its own process (gtest_discover_tests), so a test may
// build a System and call sc_start once. Tests that need two runs spawn the
// itsim binary (ITSIM_BINARY, set by tb/CMakeLists.txt). Header-only.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "itsim/common/its_cmd.h"
#include "params.h"
#include "run.h"
#include "system.h"
#include "trace/trace.h"

#ifndef ITSIM_SOURCE_DIR
#define ITSIM_SOURCE_DIR "."
#endif

namespace itsim {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- helpers

inline std::string source_path(const std::string& rel) { return std::string(ITSIM_SOURCE_DIR) + "/" + rel; }

// A file in a per-process scratch folder, removed with the folder.
class Scratch {
public:
    Scratch() {
        dir_ = fs::temp_directory_path() / ("itsim_e2e_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path(name), std::ios::binary) << text;
        return path(name);
    }

private:
    fs::path dir_;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream is(text);
    for (std::string l; std::getline(is, l);) out.push_back(l);
    return out;
}

// A minimal JSON reader for the event log (objects, strings, unsigned
// integers, true/false/null; nothing else appears in it).
struct Json {
    enum class T { null, boolean, number, string, object, array } t = T::null;
    bool b = false;
    uint64_t u = 0;
    std::string s;
    std::map<std::string, Json> o;
    std::vector<Json> a;

    bool has(const std::string& k) const { return t == T::object && o.count(k); }
    const Json& at(const std::string& k) const {
        static const Json none;
        auto it = o.find(k);
        return it == o.end() ? none : it->second;
    }
    bool is_u64() const { return t == T::number; }
    bool is_str() const { return t == T::string; }
};

class JsonReader {
public:
    explicit JsonReader(const std::string& text) : p_(text.c_str()), end_(text.c_str() + text.size()) {}
    bool parse(Json& out) {
        if (!value(out)) return false;
        ws();
        return p_ == end_;
    }

private:
    void ws() {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }
    bool lit(const char* w) {
        size_t n = std::char_traits<char>::length(w);
        if (size_t(end_ - p_) < n || std::string(p_, n) != w) return false;
        p_ += n;
        return true;
    }
    bool str(std::string& s) {
        if (p_ >= end_ || *p_ != '"') return false;
        ++p_;
        while (p_ < end_ && *p_ != '"') {
            if (*p_ == '\\') {
                if (++p_ >= end_) return false;
                switch (*p_) {
                case 'n': s += '\n'; break;
                case 't': s += '\t'; break;
                case 'r': s += '\r'; break;
                case 'u':
                    if (end_ - p_ < 5) return false;
                    s += char(std::stoi(std::string(p_ + 1, 4), nullptr, 16));
                    p_ += 4;
                    break;
                default: s += *p_; break;
                }
                ++p_;
            } else {
                s += *p_++;
            }
        }
        if (p_ >= end_) return false;
        ++p_;
        return true;
    }
    bool value(Json& v) {
        ws();
        if (p_ >= end_) return false;
        if (*p_ == '{') {
            ++p_;
            v.t = Json::T::object;
            ws();
            if (p_ < end_ && *p_ == '}') return ++p_, true;
            for (;;) {
                ws();
                std::string k;
                if (!str(k)) return false;
                ws();
                if (p_ >= end_ || *p_ != ':') return false;
                ++p_;
                Json item;
                if (!value(item)) return false;
                if (v.o.count(k)) return false;  // duplicate key: not valid for us
                v.o.emplace(k, std::move(item));
                ws();
                if (p_ < end_ && *p_ == ',') { ++p_; continue; }
                if (p_ < end_ && *p_ == '}') return ++p_, true;
                return false;
            }
        }
        if (*p_ == '[') {
            ++p_;
            v.t = Json::T::array;
            ws();
            if (p_ < end_ && *p_ == ']') return ++p_, true;
            for (;;) {
                Json item;
                if (!value(item)) return false;
                v.a.push_back(std::move(item));
                ws();
                if (p_ < end_ && *p_ == ',') { ++p_; continue; }
                if (p_ < end_ && *p_ == ']') return ++p_, true;
                return false;
            }
        }
        if (*p_ == '"') {
            v.t = Json::T::string;
            return str(v.s);
        }
        if (lit("true")) { v.t = Json::T::boolean; v.b = true; return true; }
        if (lit("false")) { v.t = Json::T::boolean; return true; }
        if (lit("null")) return true;
        if (*p_ >= '0' && *p_ <= '9') {
            v.t = Json::T::number;
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') v.u = v.u * 10 + uint64_t(*p_++ - '0');
            return true;
        }
        return false;
    }
    const char* p_;
    const char* end_;
};

inline std::vector<Json> read_event_log(const std::string& path) {
    std::vector<Json> out;
    for (const std::string& l : lines_of(slurp(path))) {
        Json j;
        EXPECT_TRUE(JsonReader(l).parse(j)) << "not one JSON object: " << l;
        EXPECT_EQ(j.t, Json::T::object) << l;
        out.push_back(std::move(j));
    }
    return out;
}

inline RunOptions quiet_run(const std::string& trace) {
    RunOptions o;
    o.trace_path = trace;
    o.quiet = true;
    o.sets.push_back("progress=off");
    return o;
}

// The one error line: exactly one '\n', at the end.
inline void expect_one_line(const std::string& err) {
    ASSERT_FALSE(err.empty());
    EXPECT_EQ(err.back(), '\n') << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

inline bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace
}  // namespace itsim
