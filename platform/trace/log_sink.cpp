// LogSink (log_sink.h).
#include "trace/log_sink.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include "params.h"

namespace itsim {

namespace {
constexpr size_t kBuffer = size_t{1} << 20;
}

bool LogSink::compressed(const std::string& path) {
    return path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0;
}

LogSink::LogSink(std::string path) : path_(std::move(path)), part_(path_ + ".part"), zst_(compressed(path_)) {
    part_file_ = std::fopen(part_.c_str(), "wb");
    if (!part_file_) fail("cannot write the event log");
    if (zst_) {
        cctx_ = ZSTD_createCCtx();
        // One frame without a content size or checksum (finish() puts the
        // header line in front of its blocks); level 1 (fast), single-threaded: the
        // same bytes from the same log.
        if (!cctx_ || ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 1)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 0)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_contentSizeFlag, 0)))
            fail("cannot set up zstd");
        zbuf_.resize(ZSTD_CStreamOutSize());
    }
    buf_.reserve(kBuffer + 4096);
}

LogSink::~LogSink() {
    if (cctx_) ZSTD_freeCCtx(cctx_);
    if (part_file_) {
        std::fclose(part_file_);
        std::remove(part_.c_str());
    }
}

void LogSink::fail(const char* what) const {
    throw ConfigError(path_ + ": error: " + what + (errno ? std::string(": ") + std::strerror(errno) : ""));
}

void LogSink::line(std::string_view s) {
    buf_.append(s);
    buf_ += '\n';
    ++lines_;
    if (buf_.size() >= kBuffer) drain(false);
}

void LogSink::drain(bool end) {
    if (!zst_) {
        if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), part_file_) != buf_.size())
            fail("cannot write the event log");
        buf_.clear();
        return;
    }
    ZSTD_inBuffer in{buf_.data(), buf_.size(), 0};
    for (;;) {
        ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
        const size_t left = ZSTD_compressStream2(cctx_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left)) throw ConfigError(path_ + ": error: zstd: " + ZSTD_getErrorName(left));
        if (out.pos && std::fwrite(zbuf_.data(), 1, out.pos, part_file_) != out.pos)
            fail("cannot write the event log");
        if (end ? left == 0 : in.pos == in.size) break;
    }
    buf_.clear();
}

void LogSink::finish(std::string_view header) {
    drain(true);
    if (std::fclose(part_file_) != 0) {
        part_file_ = nullptr;
        fail("cannot write the event log");
    }
    part_file_ = nullptr;
    struct Closer {
        std::FILE* f;
        ~Closer() {
            if (f) std::fclose(f);
        }
    };
    Closer in{std::fopen(part_.c_str(), "rb")};
    Closer out{std::fopen(path_.c_str(), "wb")};
    if (!in.f || !out.f) fail("cannot write the event log");
    std::string head(header);
    head += '\n';
    std::vector<char> chunk(kBuffer);
    auto put = [&](const void* p, size_t n) {
        if (n && std::fwrite(p, 1, n, out.f) != n) fail("cannot write the event log");
    };
    if (!zst_) {
        put(head.data(), head.size());
    } else {
        // The frame's header: magic, descriptor (no single segment, no
        // checksum, no dictionary, no content size), window descriptor.
        unsigned char fh[6];
        if (std::fread(fh, 1, 6, in.f) != 6 || fh[0] != 0x28 || fh[1] != 0xB5 || fh[2] != 0x2F || fh[3] != 0xFD ||
            fh[4] != 0)
            throw ConfigError(path_ + ": error: zstd wrote a frame header this writer does not expect");
        put(fh, 6);
        const unsigned exponent = fh[5] >> 3, mantissa = fh[5] & 7;
        const uint64_t base = uint64_t{1} << (10 + exponent);
        const uint64_t window = base + base / 8 * mantissa;
        const size_t max_block = size_t(window < (128u << 10) ? window : (128u << 10));
        // The header line as raw blocks (type 0, not last): the body's
        // blocks after them are unchanged, their matches stay inside the body.
        for (size_t at = 0; at < head.size();) {
            const size_t n = std::min(max_block, head.size() - at);
            const uint32_t bh = uint32_t(n) << 3;
            const unsigned char b[3] = {uint8_t(bh), uint8_t(bh >> 8), uint8_t(bh >> 16)};
            put(b, 3);
            put(head.data() + at, n);
            at += n;
        }
    }
    // The rest of FILE.part, in the kernel when it can (copy_file_range),
    // else through a buffer.
    const off_t skip = zst_ ? 6 : 0;
    if (std::fflush(out.f) != 0) fail("cannot write the event log");
    off_t off = skip;
    bool copied = false;
    for (;;) {
        const ssize_t n = ::copy_file_range(fileno(in.f), &off, fileno(out.f), nullptr, size_t{1} << 30, 0);
        if (n < 0) {
            if (off != skip) fail("cannot write the event log");
            break;   // not supported here: copy through the buffer
        }
        if (n == 0) {
            copied = true;
            break;
        }
    }
    if (!copied) {
        if (std::fseek(in.f, long(skip), SEEK_SET) != 0 || std::fseek(out.f, 0, SEEK_END) != 0)
            fail("cannot read back the event log");
        for (;;) {
            const size_t n = std::fread(chunk.data(), 1, chunk.size(), in.f);
            put(chunk.data(), n);
            if (n < chunk.size()) break;
        }
        if (std::ferror(in.f)) fail("cannot read back the event log");
    }
    std::fclose(in.f);
    in.f = nullptr;
    if (std::fclose(out.f) != 0) {
        out.f = nullptr;
        fail("cannot write the event log");
    }
    out.f = nullptr;
    std::remove(part_.c_str());
}

}  // namespace itsim
