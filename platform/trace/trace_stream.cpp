// The streaming reader (trace.h): scan_trace_file, the first pass, and
// TraceCursor, the second, both on trace_reader.h's line parser fed one
// line at a time from a LineFile.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "trace/trace.h"
#include "trace/trace_reader.h"

namespace itsim {

namespace trace_detail {
namespace {

// The lines of a file through a fixed buffer: a line is a view into the
// buffer, or into `carry_` when it crosses a refill. Lines are cut as
// parse_trace cuts a text: at each '\n', the piece after the last one
// (empty when the file ends with '\n') is a line too, and a UTF-8 BOM at
// the very start is dropped. Memory: the buffer plus the longest line.
class LineFile {
public:
    explicit LineFile(const std::string& path) : path_(path), buf_(kBuffer) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw TraceError(path, std::string("cannot read trace file: ") + std::strerror(errno));
    }
    ~LineFile() { ::close(fd_); }
    LineFile(const LineFile&) = delete;
    LineFile& operator=(const LineFile&) = delete;

    // The next line (valid until the next call); false after the last.
    bool next(std::string_view& line) {
        if (done_) return false;
        carry_.clear();
        for (;;) {
            const char* begin = buf_.data() + pos_;
            const void* nl = std::memchr(begin, '\n', len_ - pos_);
            if (nl) {
                const size_t n = static_cast<const char*>(nl) - begin;
                pos_ += n + 1;
                if (carry_.empty()) {
                    line = std::string_view(begin, n);
                } else {
                    carry_.append(begin, n);
                    line = carry_;
                }
                return strip_bom(line);
            }
            carry_.append(begin, len_ - pos_);
            pos_ = len_ = 0;
            if (!fill()) {
                done_ = true;
                line = carry_;
                return strip_bom(line);
            }
        }
    }

private:
    static constexpr size_t kBuffer = 64 * 1024;

    bool fill() {
        for (;;) {
            const ssize_t n = ::read(fd_, buf_.data(), buf_.size());
            if (n > 0) {
                len_ = size_t(n);
                return true;
            }
            if (n == 0) return false;
            if (errno != EINTR) throw TraceError(path_, "cannot read trace file: read error");
        }
    }
    bool strip_bom(std::string_view& line) {
        if (first_ && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
        first_ = false;
        return true;
    }

    std::string path_;
    int fd_ = -1;
    std::vector<char> buf_;
    size_t pos_ = 0, len_ = 0;
    std::string carry_;
    bool done_ = false;
    bool first_ = true;
};

}  // namespace
}  // namespace trace_detail

Trace scan_trace_file(const std::string& path, const TraceVisit& visit) {
    using trace_detail::Reader;
    if (!trace_detail::stat_trace_file(path))
        return Reader(path, Reader::Keep::all, visit).run(trace_detail::read_whole_file(path));
    trace_detail::LineFile file(path);
    Reader reader(path, Reader::Keep::summary, visit);
    std::string_view line;
    while (file.next(line)) reader.feed(line);
    return reader.finish();
}

struct TraceCursor::Stream {
    explicit Stream(const std::string& path) : file(path), reader(path, trace_detail::Reader::Keep::none) {}
    trace_detail::LineFile file;
    trace_detail::Reader reader;
};

TraceCursor::TraceCursor(const Trace& trace) : trace_(trace) {
    if (trace.streamed) stream_ = std::make_unique<Stream>(trace.file);
}

TraceCursor::~TraceCursor() = default;

const TraceLine* TraceCursor::next() {
    if (!stream_) return index_ < trace_.lines.size() ? &trace_.lines[index_++] : nullptr;
    std::string_view line;
    while (stream_->file.next(line))
        if (stream_->reader.feed(line)) return &stream_->reader.current();
    return nullptr;
}

}  // namespace itsim
