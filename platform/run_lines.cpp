// The two records of every MSI, msi and ack, written straight to text
// (run_stream.h): the bytes of msi_event / ack_event (event_log.h) with the
// keys run.cpp added, without building a JsonObject
// (tb/platform/test_run_stream.cpp holds them equal).
//
// A line is put together in a buffer on the stack, each key a literal of
// known length, and appended to the caller's string once: a streaming run
// writes two of these per MSI into strings whose capacity it reuses, so
// the usual line costs no heap call.
#include "run_stream.h"

#include <cstdint>
#include <cstring>

namespace itsim {

namespace {

// A number in decimal at p, returning the end: its length from its highest
// bit, then four digits per step from the right, as two pairs from a table
// (std::to_chars gives the same bytes, at about twice the instructions).
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
constexpr uint64_t kPow10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                 100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
                                 1000000000000ull, 10000000000000ull, 100000000000000ull,
                                 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
                                 1000000000000000000ull, 10000000000000000000ull};
inline unsigned decimal_digits(uint64_t v) {
    const uint64_t x = v | 1;   // 0 has one digit, as 1 has (and v | 1 >= 10^d just when v >= 10^d, d > 0)
    const unsigned bits = 64u - unsigned(__builtin_clzll(x));
    const unsigned d = (bits * 1233u) >> 12;   // about log10(2^bits): the digits, or one less
    return d + (d < 20 && x >= kPow10[d]);
}
inline char* put_decimal(char* p, uint64_t v) {
    const unsigned n = decimal_digits(v);
    char* q = p + n;
    while (v >= 10000) {   // four digits a step: one 64-bit division
        const uint64_t d = v / 10000;
        const unsigned r = unsigned(v - d * 10000);
        v = d;
        q -= 4;
        std::memcpy(q, kPairs + 2 * (r / 100), 2);
        std::memcpy(q + 2, kPairs + 2 * (r % 100), 2);
    }
    unsigned w = unsigned(v);   // below 10 000
    if (w >= 100) {
        q -= 2;
        std::memcpy(q, kPairs + 2 * (w % 100), 2);
        w /= 100;
    }
    if (w >= 10) std::memcpy(q - 2, kPairs + 2 * w, 2);
    else q[-1] = char('0' + w);
    return p + n;
}

class Line {
public:
    explicit Line(std::string& out) : out_(out) {}

    template <size_t N>
    Line& u(const char (&k)[N], uint64_t v) {
        key(k);
        p_ = put_decimal(p_, v);   // at most 20 digits
        return *this;
    }
    template <size_t N>
    Line& b(const char (&k)[N], bool v) {
        key(k);
        if (v) put("true");
        else put("false");
        return *this;
    }
    template <size_t N>
    Line& str(const char (&k)[N], std::string_view v) {
        key(k);
        bool plain = v.size() <= kRoom;
        for (size_t i = 0; plain && i < v.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(v[i]);
            plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        }
        if (plain) {   // nothing to escape: the bytes themselves, quoted
            *p_++ = '"';
            std::memcpy(p_, v.data(), v.size());
            p_ += v.size();
            *p_++ = '"';
        } else {
            flush();
            json_escape(v, out_);
        }
        return *this;
    }
    void end() {
        *p_++ = '}';
        flush();
    }

private:
    // What a key and its value may take at most, but a string value
    // (whose room str() checks): keys are short literals.
    static constexpr size_t kRoom = 128;

    template <size_t N>
    void key(const char (&k)[N]) {
        static_assert(N < 64, "a key of the event log is a short literal");
        if (size_t(buf_ + sizeof buf_ - p_) < 2 * kRoom + 8) flush();
        *p_++ = first_ ? '{' : ',';
        first_ = false;
        *p_++ = '"';
        std::memcpy(p_, k, N - 1);
        p_ += N - 1;
        *p_++ = '"';
        *p_++ = ':';
    }
    template <size_t N>
    void put(const char (&s)[N]) {
        std::memcpy(p_, s, N - 1);
        p_ += N - 1;
    }
    void flush() {
        out_.append(buf_, size_t(p_ - buf_));
        p_ = buf_;
    }

    std::string& out_;
    bool first_ = true;
    char buf_[1024];
    char* p_ = buf_;
};

}  // namespace

void msi_line(std::string& out, const RunRecords::Msi& m, uint64_t tag, uint64_t t) {
    const MsiRecord& r = m.rec;
    Line l{out};
    l.str("kind", "msi").u("t_ps", t).u("seq", tag).u("device", r.device).u("event", r.event);
    l.str("status", r.delivered ? "delivered" : "dropped");
    if (r.delivered) l.u("intid", r.intid).u("cpu", r.cpu);
    l.u("issued_ps", m.issued_ps);
    if (r.delivered) l.u("pending_ps", r.pending_ps);
    else l.str("reason", r.reason.empty() ? std::string_view("unknown") : r.reason);
    if (r.accepted_ps) l.u("accepted_ps", r.accepted_ps);
    if (r.started_ps) l.u("started_ps", r.started_ps);
    if (r.device_ps) l.u("device_ps", r.device_ps);
    if (r.event_ps) l.u("event_ps", r.event_ps);
    if (r.collection_ps) l.u("collection_ps", r.collection_ps);
    if (r.device_ps) l.b("device_hit", r.device_hit);
    if (r.event_ps) l.b("event_hit", r.event_hit);
    if (r.collection_ps) l.b("collection_hit", r.collection_hit);
    l.u("table_reads", r.table_reads);
    if (m.is_virtual) {
        l.u("vpeid", m.vpeid).u("vintid", m.vintid).b("resident", m.resident);
        if (m.doorbell) l.u("doorbell", m.doorbell);
    }
    if (r.delivered && m.changed) {
        l.b("new", m.is_new);
        if (m.is_new) l.u("priority", unsigned(m.config & 0xFC)).b("enabled", m.config_valid && (m.config & 1));
    }
    l.end();
}

void ack_line(std::string& out, const AckRecord& a) {
    Line l{out};
    l.str("kind", "ack").u("t_ps", a.t_ps).u("cpu", a.cpu).u("intid", a.intid);
    if (a.signalled_ps) l.u("signalled_ps", a.signalled_ps);
    if (a.eoi_ps) l.u("eoi_ps", a.eoi_ps);
    l.u("priority", a.priority);
    l.end();
}

}  // namespace itsim
