// RFC 2231 joining and decoding (see rfc2231.hpp). Sections are ordered by
// number, not by position; an extended value's charset comes from its first
// section (§4.1). Unknown charsets keep the bytes, repaired to UTF-8.
#include "proto/mime/rfc2231.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "proto/mime/codec.hpp"

namespace pillarbox::mime {

namespace {

struct Piece {
  std::string base;                      // name without the RFC 2231 suffix
  std::optional<unsigned long> section;  // "*N"
  bool extended = false;                 // trailing "*"
  const std::string* value = nullptr;
};

Piece split_name(const RawParam& p) {
  Piece piece{p.name, std::nullopt, false, &p.value};
  std::string_view n = p.name;
  if (n.size() > 1 && n.back() == '*') {
    piece.extended = true;
    n.remove_suffix(1);
  }
  const std::size_t star = n.rfind('*');
  if (star != std::string_view::npos && star > 0 && star + 1 < n.size() && n.size() - star <= 10 &&
      std::all_of(n.begin() + static_cast<std::ptrdiff_t>(star) + 1, n.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    piece.section = std::stoul(std::string(n.substr(star + 1)));
    n = n.substr(0, star);
  }
  piece.base = std::string(n);
  return piece;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void percent_decode(std::string_view in, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
}

// The decoded value of one parameter's pieces (all sharing one base name).
std::string decode_pieces(std::vector<const Piece*> pieces) {
  std::stable_sort(pieces.begin(), pieces.end(), [](const Piece* a, const Piece* b) {
    return a->section.value_or(0) < b->section.value_or(0);
  });
  // A repeated section number keeps its first occurrence.
  pieces.erase(std::unique(pieces.begin(), pieces.end(),
                           [](const Piece* a, const Piece* b) {
                             return a->section.value_or(0) == b->section.value_or(0);
                           }),
               pieces.end());
  std::string charset;
  std::string bytes;
  bool any_extended = false;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    std::string_view v = *pieces[i]->value;
    if (!pieces[i]->extended) {
      bytes.append(v);
      continue;
    }
    any_extended = true;
    if (i == 0) {
      // charset'language'text; a value without the two quotes is taken whole.
      const std::size_t q1 = v.find('\'');
      const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
      if (q2 != std::string_view::npos) {
        charset = std::string(v.substr(0, q1));
        v = v.substr(q2 + 1);
      }
    }
    percent_decode(v, bytes);
  }
  if (!any_extended) return bytes;
  auto utf8 = to_utf8(bytes, charset);
  return utf8 ? std::move(*utf8) : repair_utf8(bytes);
}

struct Group {
  std::string base;
  std::vector<const Piece*> rfc2231;
  const Piece* plain = nullptr;
};

}  // namespace

Params join_params(const std::vector<RawParam>& raw) {
  std::vector<Piece> pieces;
  pieces.reserve(raw.size());
  for (const auto& p : raw) pieces.push_back(split_name(p));

  // Groups in order of first appearance; the map keeps this linear for
  // hostile headers with many thousands of parameters.
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& p : pieces) {
    auto [it, added] = index.try_emplace(p.base, groups.size());
    if (added) groups.push_back(Group{p.base, {}, nullptr});
    Group& g = groups[it->second];
    if (p.section || p.extended) {
      g.rfc2231.push_back(&p);
    } else if (g.plain == nullptr) {
      g.plain = &p;
    }
  }
  Params out;
  out.reserve(groups.size());
  for (auto& g : groups) {
    out.emplace_back(std::move(g.base), g.rfc2231.empty() ? *g.plain->value
                                                          : decode_pieces(std::move(g.rfc2231)));
  }
  return out;
}

}  // namespace pillarbox::mime
