// LogSink (platform/trace/log_sink.h): the plain log is the header line and
// the records' lines; the compressed one is one zstd frame that
// decompresses to exactly those bytes; FILE.part is gone afterwards.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <zstd.h>

#include "params.h"
#include "trace/log_sink.h"

namespace itsim {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// Every frame of `z`, decompressed in turn; `frames` counts them.
std::string unzstd(const std::string& z, unsigned& frames) {
    std::string out;
    ZSTD_DCtx* d = ZSTD_createDCtx();
    ZSTD_inBuffer in{z.data(), z.size(), 0};
    std::string buf(ZSTD_DStreamOutSize(), '\0');
    frames = 0;
    while (in.pos < in.size) {
        ZSTD_outBuffer o{buf.data(), buf.size(), 0};
        const size_t r = ZSTD_decompressStream(d, &o, &in);
        EXPECT_FALSE(ZSTD_isError(r)) << ZSTD_getErrorName(r);
        if (ZSTD_isError(r)) break;
        out.append(buf.data(), o.pos);
        if (r == 0) ++frames;
    }
    ZSTD_freeDCtx(d);
    return out;
}

std::string tmp(const char* name) { return ::testing::TempDir() + "itsim_log_sink_" + name; }

// Writes `lines` records after `header` to `path`; returns the plain text.
std::string write_log(const std::string& path, const std::string& header, size_t lines) {
    LogSink sink(path);
    std::string want = header + "\n";
    for (size_t i = 0; i < lines; ++i) {
        const std::string l = "{\"kind\":\"msi\",\"t_ps\":" + std::to_string(1000 * i) + ",\"seq\":" +
                              std::to_string(i + 1) + ",\"device\":" + std::to_string(i % 37) + "}";
        sink.line(l);
        want += l + "\n";
    }
    EXPECT_EQ(sink.lines(), lines);
    EXPECT_TRUE(exists(path + ".part"));
    sink.finish(header);
    EXPECT_FALSE(exists(path + ".part"));
    return want;
}

TEST(LogSink, PlainIsTheHeaderThenTheLines) {
    const std::string p = tmp("plain.jsonl");
    const std::string want = write_log(p, "{\"kind\":\"run\",\"t_ps\":0}", 100000);
    EXPECT_EQ(slurp(p), want);
    EXPECT_FALSE(LogSink::compressed(p));
    std::remove(p.c_str());
}

TEST(LogSink, CompressedDecompressesToThePlainBytes) {
    // Several MiB (the buffer is 1 MiB), a short header and one longer than
    // a zstd block (128 KiB: several stored blocks), and an empty body.
    const std::string big_header = "{\"kind\":\"run\",\"pad\":\"" + std::string(300000, 'x') + "\"}";
    for (const auto& [header, lines] :
         {std::pair<std::string, size_t>{"{\"kind\":\"run\",\"t_ps\":0}", 200000}, {big_header, 50000},
          {"{\"kind\":\"run\"}", 0}}) {
        const std::string p = tmp("log.jsonl.zst"), q = tmp("log.jsonl");
        ASSERT_TRUE(LogSink::compressed(p));
        const std::string want = write_log(p, header, lines);
        EXPECT_EQ(write_log(q, header, lines), want);
        const std::string z = slurp(p);
        unsigned frames = 0;
        EXPECT_EQ(unzstd(z, frames), slurp(q));
        EXPECT_EQ(frames, 1u);   // one frame: readers that stop after the first see it all
        if (lines) {
            EXPECT_LT(z.size(), want.size() / 4);
        }
        // The same lines again: the same bytes.
        const std::string p2 = tmp("log2.jsonl.zst");
        write_log(p2, header, lines);
        EXPECT_EQ(slurp(p2), z);
        for (const std::string& f : {p, q, p2}) std::remove(f.c_str());
    }
}

TEST(LogSink, UnwritableIsAConfigError) {
    EXPECT_THROW(LogSink("/nonexistent-dir/e.jsonl"), ConfigError);
}

TEST(LogSink, NotFinishedLeavesNothing) {
    const std::string p = tmp("abandoned.jsonl.zst");
    {
        LogSink sink(p);
        sink.line("{}");
    }
    EXPECT_FALSE(exists(p + ".part"));
    EXPECT_FALSE(exists(p));
}

}  // namespace
}  // namespace itsim
