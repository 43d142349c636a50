// Config structs that describe their own fields, so that each can be set
// and read by name with text values, and listed. Plain C++ (sc_time
// fields: config_fields_sc.h).
//
// A struct lists its fields once, each with its name (as `itsim params`
// spells it after the struct's prefix: "event_cache.entries" for
// "its.event_cache.entries"), the member it holds (pointer to member; a
// path of them for a member of a member), its type and range, and one line
// of meaning. The default is the struct's own default member initialiser:
// nothing else states it. Values are text in the grammar of
// config_value.h, the same as the platform's parameters.
//
//   struct Foo {
//       unsigned depth = 16;
//       static const ConfigFields<Foo>& fields();
//       bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
//           return fields().set(*this, key, value, error);
//       }
//       std::string get(std::string_view key) const { return fields().get(*this, key); }
//   };
//   const ConfigFields<Foo>& Foo::fields() {
//       static const ConfigFields<Foo> f{
//           field::integer<&Foo::depth>("depth", 1, 4096, "entries buffered"),
//       };
//       return f;
//   }
//
//   Foo foo;
//   std::string error;
//   foo.set("depth", "0x20", &error);   // true: depth = 32; foo.get("depth") == "32"
//   foo.set("depth", "0", &error);      // false: "depth=0: out of range [1, 4096]"
//
// A struct made of others lists theirs with nest<&Outer::member>(prefix,
// Inner::fields(), names): the named ones in that order, or with no names
// all those of that member not listed yet. The platform builds its whole
// catalogue that way, one prefix per instance ("its.", later "its1.").
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace itsim {

enum class FieldType : uint8_t {
    integer,   // unsigned within [min, max]: decimal or 0x hex, K/M/G where `suffix`
    boolean,   // 0/1, true/false, on/off, yes/no; written 0 or 1
    choice,    // one of `choices`
    time,      // a duration ("50ns"), held in ps (uint64_t) or as an sc_time
    clock,     // a frequency ("1GHz"), held as its period (ps or sc_time)
    text,      // any one-line text without quotes or backslashes
};
const char* to_string(FieldType t);

// How an integer is written back (get(), the defaults `itsim params` lists).
enum class IntFormat : uint8_t {
    decimal,   // "16"
    hex,       // "0x080A0000": upper-case, at least FieldInfo::hex_digits digits
    size,      // "1G", "64K" when exact, else decimal
};

// What a field is, apart from the struct that holds it.
struct FieldInfo {
    std::string name;                     // relative to the struct: "event_cache.entries"
    FieldType type = FieldType::integer;
    std::string meaning;                  // one line
    uint64_t min = 0;                     // integer
    uint64_t max = UINT64_MAX;
    bool suffix = true;                   // integer: K/M/G accepted
    IntFormat format = IntFormat::decimal;
    unsigned hex_digits = 0;
    std::vector<std::string> choices;     // choice: the words
    std::string choice_list() const;      // "lazy|through"
};

// A value as the number a field holds: an integer itself, a boolean 0 or
// 1, a choice its word's index, a time its picoseconds, a clock its period
// in picoseconds (not for text fields). On a bad value: false, and *why
// says what is wrong ("out of range [1, 64]", "must be one of lazy|through").
bool parse_field(const FieldInfo& f, std::string_view text, uint64_t& out, std::string* why);
// The text of a number of that field, read back exactly by parse_field
// (a clock of no whole number of Hz, and a choice index past the words,
// exist only in a struct written directly: see grammar::format_frequency;
// the latter is "").
std::string format_field(const FieldInfo& f, uint64_t v);
// A text field's value: one line without quotes or backslashes.
bool check_text(std::string_view text, std::string* why);

// One field of S: its description and how to reach its member.
template <class S>
struct ConfigField {
    FieldInfo info;
    // The member it reaches, as one tag per step of the member path: two
    // fields with the same path are the same member.
    std::vector<const void*> path;
    std::function<uint64_t(const S&)> read;   // every type but text
    std::function<void(S&, uint64_t)> write;
    std::function<std::string(const S&)> read_text;   // text
    std::function<void(S&, std::string_view)> write_text;

    // Parse `text` and store it; false (S unchanged) with *why on a bad value.
    bool set(S& s, std::string_view text, std::string* why = nullptr) const {
        if (info.type == FieldType::text) {
            if (!check_text(text, why)) return false;
            write_text(s, text);
            return true;
        }
        uint64_t v = 0;
        if (!parse_field(info, text, v, why)) return false;
        write(s, v);
        return true;
    }
    std::string get(const S& s) const {
        return info.type == FieldType::text ? read_text(s) : format_field(info, read(s));
    }
};

// A field's description with a value, as listed (prefix already applied).
struct FieldValue {
    FieldInfo info;
    std::string value;
};

namespace detail {

template <class T>
struct member_of;
template <class C, class M>
struct member_of<M C::*> {
    using cls = C;
    using type = M;
};

// One distinct address per member path.
template <auto... P>
struct PathTag {
    static constexpr char id = 0;
};

// A path of pointers to members: s.*First.*Rest...
template <auto First, auto... Rest>
struct MemberPath {
    using S = typename member_of<decltype(First)>::cls;
    static auto& ref(S& s) { return ((s.*First).*....*Rest); }
    static const auto& ref(const S& s) { return ((s.*First).*....*Rest); }
    using M = std::remove_cv_t<std::remove_reference_t<decltype(ref(std::declval<S&>()))>>;
    static const void* tag() { return &PathTag<First, Rest...>::id; }
};

std::string unknown_field_message(std::string_view key, const std::vector<std::string>& names);

}  // namespace detail

// The fields of S, in their listing order.
template <class S>
class ConfigFields {
public:
    ConfigFields() = default;
    ConfigFields(std::initializer_list<ConfigField<S>> fields) {
        for (const ConfigField<S>& f : fields) add(f);
    }

    // Throws std::logic_error when the name or the member is listed already.
    ConfigFields& add(ConfigField<S> f) {
        if (find(f.info.name)) throw std::logic_error("config field '" + f.info.name + "' listed twice");
        for (const ConfigField<S>& g : fields_)
            if (g.path == f.path)
                throw std::logic_error("config fields '" + g.info.name + "' and '" + f.info.name +
                                       "' hold the same member");
        fields_.push_back(std::move(f));
        return *this;
    }

    // The fields of the member `Member` (a struct with fields()), named
    // prefix + their names: those in `names`, in that order, or with no
    // names every one of them not listed here yet, in their order.
    template <auto Member>
    ConfigFields& nest(std::string_view prefix,
                       const ConfigFields<typename detail::member_of<decltype(Member)>::type>& inner,
                       std::initializer_list<std::string_view> names = {}) {
        using Inner = typename detail::member_of<decltype(Member)>::type;
        const void* tag = detail::MemberPath<Member>::tag();
        auto wrap = [&](const ConfigField<Inner>& in) {
            ConfigField<S> f;
            f.info = in.info;
            f.info.name = std::string(prefix) + in.info.name;
            f.path = in.path;
            f.path.insert(f.path.begin(), tag);
            if (in.read) f.read = [r = in.read](const S& s) { return r(s.*Member); };
            if (in.write) f.write = [w = in.write](S& s, uint64_t v) { w(s.*Member, v); };
            if (in.read_text) f.read_text = [r = in.read_text](const S& s) { return r(s.*Member); };
            if (in.write_text) f.write_text = [w = in.write_text](S& s, std::string_view v) { w(s.*Member, v); };
            return f;
        };
        if (names.size() == 0) {
            for (const ConfigField<Inner>& in : inner.all()) {
                ConfigField<S> f = wrap(in);
                bool listed = false;
                for (const ConfigField<S>& g : fields_) listed = listed || g.path == f.path;
                if (!listed) add(std::move(f));
            }
        } else {
            for (std::string_view n : names) {
                const ConfigField<Inner>* in = inner.find(n);
                if (!in) throw std::logic_error("nest: no config field '" + std::string(n) + "'");
                add(wrap(*in));
            }
        }
        return *this;
    }

    const std::vector<ConfigField<S>>& all() const { return fields_; }
    size_t size() const { return fields_.size(); }

    const ConfigField<S>* find(std::string_view name) const {
        for (const ConfigField<S>& f : fields_)
            if (f.info.name == name) return &f;
        return nullptr;
    }

    std::vector<std::string> names() const {
        std::vector<std::string> n;
        for (const ConfigField<S>& f : fields_) n.push_back(f.info.name);
        return n;
    }

    // Set field `key` from text. False, S unchanged, with *error a one-line
    // message, for an unknown key ("unknown field 'x' (did you mean
    // 'y'?)") or a bad value ("max_reads=0: out of range [1, 64]").
    bool set(S& s, std::string_view key, std::string_view value, std::string* error = nullptr) const {
        const ConfigField<S>* f = find(key);
        if (!f) {
            if (error) *error = detail::unknown_field_message(key, names());
            return false;
        }
        std::string why;
        if (f->set(s, value, &why)) return true;
        if (error) *error = std::string(key) + "=" + std::string(value) + ": " + why;
        return false;
    }

    // Field `key`'s value as text, read back exactly by set(). Throws
    // std::out_of_range for an unknown key.
    std::string get(const S& s, std::string_view key) const {
        const ConfigField<S>* f = find(key);
        if (!f) throw std::out_of_range(detail::unknown_field_message(key, names()));
        return f->get(s);
    }

    // Every field with its value in `s`, names after `prefix`: with a
    // default-constructed S, the defaults.
    std::vector<FieldValue> list(const S& s, std::string_view prefix = "") const {
        std::vector<FieldValue> out;
        out.reserve(fields_.size());
        for (const ConfigField<S>& f : fields_) {
            FieldValue v{f.info, f.get(s)};
            v.info.name = std::string(prefix) + f.info.name;
            out.push_back(std::move(v));
        }
        return out;
    }

private:
    std::vector<ConfigField<S>> fields_;
};

// Field makers. The template arguments are the member path:
// field::integer<&ItsConfig::device_id_bits>(...), or for a member of a
// member field::integer<&ItsConfig::event_cache, &ItsCacheGeometry::entries>(...).
namespace field {

// ps <-> the member type of a time or clock field (sc_time: config_fields_sc.h).
template <class M, class = void>
struct TimeCodec;
template <>
struct TimeCodec<uint64_t> {
    static uint64_t to_ps(uint64_t v) { return v; }
    static uint64_t from_ps(uint64_t ps) { return ps; }
};

template <auto... P>
using StructOf = typename detail::MemberPath<P...>::S;
template <auto... P>
using MemberOf = typename detail::MemberPath<P...>::M;

template <auto... P>
ConfigField<StructOf<P...>> make(FieldInfo info) {
    using Path = detail::MemberPath<P...>;
    ConfigField<StructOf<P...>> f;
    f.info = std::move(info);
    f.path = {Path::tag()};
    return f;
}

// An unsigned integer (unsigned, size_t, uint64_t, ... or bool for a 0/1
// number) within [min, max].
template <auto... P>
ConfigField<StructOf<P...>> integer(std::string name, uint64_t min, uint64_t max, std::string meaning,
                                    IntFormat format = IntFormat::decimal, unsigned hex_digits = 0) {
    using Path = detail::MemberPath<P...>;
    using M = MemberOf<P...>;
    static_assert(std::is_integral_v<M> && std::is_unsigned_v<M>, "integer fields hold an unsigned integer");
    if (max > uint64_t(std::numeric_limits<M>::max()) || min > max)
        throw std::logic_error("config field '" + name + "': range does not fit its member");
    FieldInfo i;
    i.name = std::move(name);
    i.type = FieldType::integer;
    i.meaning = std::move(meaning);
    i.min = min;
    i.max = max;
    i.format = format;
    i.hex_digits = hex_digits;
    auto f = make<P...>(std::move(i));
    f.read = [](const auto& s) { return uint64_t(Path::ref(s)); };
    f.write = [](auto& s, uint64_t v) { Path::ref(s) = static_cast<M>(v); };
    return f;
}

template <auto... P>
ConfigField<StructOf<P...>> flag(std::string name, std::string meaning) {
    using Path = detail::MemberPath<P...>;
    static_assert(std::is_same_v<MemberOf<P...>, bool>, "flag fields hold a bool");
    FieldInfo i;
    i.name = std::move(name);
    i.type = FieldType::boolean;
    i.meaning = std::move(meaning);
    i.max = 1;
    auto f = make<P...>(std::move(i));
    f.read = [](const auto& s) { return uint64_t(Path::ref(s) ? 1 : 0); };
    f.write = [](auto& s, uint64_t v) { Path::ref(s) = v != 0; };
    return f;
}

// One of the words, each standing for a value of the member (an enum, a
// bool, a number).
template <auto... P>
ConfigField<StructOf<P...>> choice(std::string name, std::initializer_list<std::pair<const char*, MemberOf<P...>>> words,
                                   std::string meaning) {
    using Path = detail::MemberPath<P...>;
    using M = MemberOf<P...>;
    FieldInfo i;
    i.name = std::move(name);
    i.type = FieldType::choice;
    i.meaning = std::move(meaning);
    std::vector<M> values;
    for (const auto& w : words) {
        i.choices.emplace_back(w.first);
        values.push_back(w.second);
    }
    if (values.empty()) throw std::logic_error("config field '" + i.name + "' has no choices");
    i.max = values.size() - 1;
    auto f = make<P...>(std::move(i));
    f.read = [values](const auto& s) {
        for (size_t k = 0; k < values.size(); ++k)
            if (Path::ref(s) == values[k]) return uint64_t(k);
        return uint64_t(values.size());   // a value no word names
    };
    f.write = [values](auto& s, uint64_t v) { Path::ref(s) = values.at(v); };
    return f;
}

// A duration; the member holds picoseconds (uint64_t) or an sc_time.
template <auto... P>
ConfigField<StructOf<P...>> time(std::string name, std::string meaning) {
    using Path = detail::MemberPath<P...>;
    using Codec = TimeCodec<MemberOf<P...>>;
    FieldInfo i;
    i.name = std::move(name);
    i.type = FieldType::time;
    i.meaning = std::move(meaning);
    auto f = make<P...>(std::move(i));
    f.read = [](const auto& s) { return Codec::to_ps(Path::ref(s)); };
    f.write = [](auto& s, uint64_t ps) { Path::ref(s) = Codec::from_ps(ps); };
    return f;
}

// A clock given as its frequency; the member holds its period (ps or sc_time).
template <auto... P>
ConfigField<StructOf<P...>> clock(std::string name, std::string meaning) {
    auto f = time<P...>(std::move(name), std::move(meaning));
    f.info.type = FieldType::clock;
    return f;
}

template <auto... P>
ConfigField<StructOf<P...>> text(std::string name, std::string meaning) {
    using Path = detail::MemberPath<P...>;
    static_assert(std::is_same_v<MemberOf<P...>, std::string>, "text fields hold a std::string");
    FieldInfo i;
    i.name = std::move(name);
    i.type = FieldType::text;
    i.meaning = std::move(meaning);
    auto f = make<P...>(std::move(i));
    f.read_text = [](const auto& s) { return Path::ref(s); };
    f.write_text = [](auto& s, std::string_view v) { Path::ref(s) = std::string(v); };
    return f;
}

}  // namespace field

}  // namespace itsim
