// Where an event log goes as the run writes it (`--events FILE`): plain
// JSON Lines, or zstd-compressed when FILE ends in ".zst" (one zstd frame;
// decompressed, exactly the bytes of the plain log).
//
// The header line comes first in the file but is known only at the end of
// the run (the sources' MSI counts, "stopped"), so the records after it go
// to FILE.part, next to FILE, as they come (plain: the lines; zstd: one
// frame compressed as it goes), and finish() writes FILE: the header, then
// FILE.part's bytes (zstd: the frame's header, the header line as raw
// blocks, then the frame's blocks, which never refer back past their own
// start), and removes FILE.part. Memory: one 1 MiB buffer (and zstd's
// context), whatever the length of the log.
//
// Plain C++ (libzstd); no simulation kernel needed.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

struct ZSTD_CCtx_s;

namespace itsim {

class LogSink {
public:
    // Throws ConfigError when FILE.part cannot be written.
    explicit LogSink(std::string path);
    ~LogSink();   // removes FILE.part when finish() did not run
    LogSink(const LogSink&) = delete;
    LogSink& operator=(const LogSink&) = delete;

    static bool compressed(const std::string& path);   // ends in ".zst"

    // One record's line, without its '\n'.
    void line(std::string_view s);
    // Writes FILE: `header` (a line without '\n') and every line so far.
    // Throws ConfigError on a write error.
    void finish(std::string_view header);

    const std::string& path() const { return path_; }
    uint64_t lines() const { return lines_; }

private:
    void drain(bool end);
    void fail(const char* what) const;

    std::string path_, part_;
    bool zst_ = false;
    std::FILE* part_file_ = nullptr;
    ZSTD_CCtx_s* cctx_ = nullptr;
    std::string buf_, zbuf_;
    uint64_t lines_ = 0;
};

}  // namespace itsim
