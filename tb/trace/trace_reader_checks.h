// What the trace reader tests (tb/trace/test_trace_reader_*.cpp) share: the
// header line, parse(), and EXPECT_TRACE_ERROR - the error's exact
// file:line:column, a fragment of its message, one line. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "trace/trace.h"

namespace itsim {
namespace {

const std::string H = "itsim-trace 1\n";

inline Trace parse(const std::string& body) { return parse_trace(body, "t.its"); }

inline void check_error(const std::string& text, unsigned line, unsigned column, const std::string& fragment) {
    try {
        parse_trace(text, "t.its");
        ADD_FAILURE() << "no error for:\n" << text;
    } catch (const TraceError& e) {
        const std::string what = e.what();
        const std::string prefix = "t.its:" + std::to_string(line) + ":" + std::to_string(column) + ": error: ";
        EXPECT_EQ(what.substr(0, prefix.size()), prefix) << what;
        EXPECT_NE(what.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_EQ(e.pos().file, "t.its");
        EXPECT_EQ(e.pos().line, line);
        EXPECT_EQ(e.pos().column, column);
        EXPECT_EQ(what, prefix + e.message());
    }
}

#define EXPECT_TRACE_ERROR(text, line, column, fragment)      \
    do {                                                      \
        SCOPED_TRACE(std::string("trace:\n") + (text));       \
        check_error((text), (line), (column), (fragment));    \
    } while (0)

}  // namespace
}  // namespace itsim
