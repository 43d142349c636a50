// What the tb/looks tests (test_looks_*.cpp) share: reading files, the
// itsim binary next to the test in the build tree, scratch folders, a VCD
// reader, the event log as JSON objects. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <systemc>

#include "plot.h"
#include "sweep.h"
#include "vcd.h"

using namespace itsim;

namespace {

// ---------------------------------------------------------------- helpers

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline bool exists(const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0;
}

inline std::string build_dir() {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    buf[n] = 0;
    std::string p = buf;                       // <build>/tb/test_looks_...
    p = p.substr(0, p.find_last_of('/'));      // <build>/tb
    return p.substr(0, p.find_last_of('/'));   // <build>
}

inline std::string itsim_bin() { return build_dir() + "/platform/itsim"; }

inline std::string temp_dir(const char* tag) {
    std::string t = std::string("/tmp/itsim-looks-") + tag + "-XXXXXX";
    std::vector<char> b(t.begin(), t.end());
    b.push_back(0);
    const char* d = mkdtemp(b.data());
    return d ? d : "/tmp";
}

inline int sh(const std::string& cmd) {
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Runs itsim (must be built: make itsim) with `args`; returns its status.
inline int run_itsim(const std::string& args, const std::string& log) {
    if (!exists(itsim_bin())) {
        ADD_FAILURE() << itsim_bin() << " is missing: build the itsim target too";
        return -1;
    }
    return sh(itsim_bin() + " " + args + " >" + log + " 2>&1");
}

// A VCD as value changes per hierarchical name: (time, value). Vector
// values are normalised (no leading zeros; all-z is "z").
struct Vcd {
    std::map<std::string, unsigned> width;
    std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;
    uint64_t end = 0;
    bool has(const std::string& n) const { return width.count(n) != 0; }
    // Changes of `n` with consecutive duplicates removed.
    std::vector<std::pair<uint64_t, std::string>> edges(const std::string& n) const {
        std::vector<std::pair<uint64_t, std::string>> out;
        auto it = changes.find(n);
        if (it == changes.end()) return out;
        for (const auto& c : it->second)
            if (out.empty() || out.back().second != c.second) out.push_back(c);
        return out;
    }
    // Value of `n` at time t (after the changes at t).
    std::string at(const std::string& n, uint64_t t) const {
        std::string v = "?";
        auto it = changes.find(n);
        if (it == changes.end()) return v;
        for (const auto& c : it->second)
            if (c.first <= t) v = c.second;
        return v;
    }
};

inline std::string norm(std::string v) {
    if (v.empty()) return v;
    if (v.find_first_not_of('z') == std::string::npos) return "z";
    if (v.find_first_not_of('x') == std::string::npos) return "x";
    const size_t nz = v.find_first_not_of('0');
    return nz == std::string::npos ? "0" : v.substr(nz);
}

inline Vcd parse_vcd(const std::string& text) {
    Vcd v;
    std::istringstream in(text);
    std::string tok;
    std::vector<std::string> scope;
    std::map<std::string, std::string> name_of;   // id -> name
    bool body = false;
    uint64_t t = 0;
    std::string line;
    while (!body && in >> tok) {
        if (tok == "$scope") {
            std::string kind, name;
            in >> kind >> name >> tok;
            scope.push_back(name);
        } else if (tok == "$upscope") {
            in >> tok;
            scope.pop_back();
        } else if (tok == "$var") {
            std::string type, id, ref;
            unsigned w = 0;
            in >> type >> w >> id >> ref;
            std::string full;
            for (const std::string& s : scope) full += s + ".";
            full += ref;
            name_of[id] = full;
            v.width[full] = w;
            while (in >> tok && tok != "$end") {}
        } else if (tok == "$enddefinitions") {
            in >> tok;
            body = true;
        } else if (tok[0] == '$') {
            while (in >> tok && tok != "$end") {}
        }
    }
    while (in >> tok) {
        if (tok[0] == '#') {
            t = std::stoull(tok.substr(1));
            v.end = std::max(v.end, t);
        } else if (tok[0] == '$') {
            continue;   // $dumpvars, $end
        } else if (tok[0] == 'b' || tok[0] == 'B') {
            std::string id;
            in >> id;
            if (name_of.count(id)) v.changes[name_of[id]].push_back({t, norm(tok.substr(1))});
        } else {
            const std::string id = tok.substr(1);
            if (name_of.count(id)) v.changes[name_of[id]].push_back({t, std::string(1, tok[0])});
        }
    }
    return v;
}

inline std::vector<Json> read_jsonl(const std::string& path) {
    std::vector<Json> out;
    std::istringstream in(slurp(path));
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(parse_json(line));
    return out;
}

inline uint64_t u(const Json& o, const char* k) {
    const Json* v = o.get(k);
    return v && v->is_uint ? v->u : ~uint64_t{0};
}

inline std::string bits(uint64_t x) {
    std::string b;
    do {
        b.insert(b.begin(), char('0' + (x & 1)));
        x >>= 1;
    } while (x);
    return b;
}

}  // namespace

