// Address-list parser for ENVELOPE (see address.hpp). Recursive descent over
// the Lexer: address = group / name-addr / addr-spec. Display names are
// phrases with quotes removed and words joined by one space; with no phrase,
// a trailing comment names the address (RFC 822 habit, kept by Dovecot).
#include "proto/mime/address.hpp"

#include "proto/mime/lexer.hpp"

namespace pillarbox::mime {

namespace {

constexpr const char* kMissingMailbox = "MISSING_MAILBOX";
constexpr const char* kMissingDomain = "MISSING_DOMAIN";

class AddressParser {
 public:
  explicit AddressParser(std::string_view text) : lex_(text) {}

  std::vector<Address> run() {
    for (;;) {
      lex_.skip_cfws();
      if (lex_.at_end()) break;
      if (lex_.peek() == ',' || lex_.peek() == ';' || lex_.peek() == '>') {
        lex_.advance();  // empty member (obs-addr-list) or stray punctuation
        continue;
      }
      address(true);
    }
    return std::move(out_);
  }

 private:
  // display-name: words (atoms or quoted strings) joined by one space.
  std::string phrase() {
    std::string out;
    for (;;) {
      lex_.skip_cfws();
      std::string word;
      if (lex_.peek() == '"') {
        word = lex_.quoted_string();
      } else {
        word = lex_.atom(kAddressSpecials);
        if (word.empty()) break;
      }
      if (!out.empty()) out.push_back(' ');
      out += word;
    }
    return out;
  }

  void address(bool allow_group) {
    const std::size_t start = lex_.pos();
    std::string name = phrase();
    const char c = lex_.peek();
    if (c == ':' && allow_group) {
      lex_.advance();
      group(std::move(name));
    } else if (c == '<') {
      Address a;
      if (!name.empty()) a.name = std::move(name);
      angle_addr(a);
      push(std::move(a));
    } else {
      lex_.seek(start);
      Address a;
      addr_spec(a, true);
      push(std::move(a));
    }
    // Whatever follows up to the next separator is junk.
    lex_.skip_until(allow_group ? "," : ",;");
  }

  void group(std::string name) {
    out_.push_back(Address{std::nullopt, std::nullopt, std::move(name), std::nullopt});
    for (;;) {
      lex_.skip_cfws();
      if (lex_.at_end()) break;
      if (lex_.peek() == ';') {
        lex_.advance();
        break;
      }
      if (lex_.peek() == ',') {
        lex_.advance();
        continue;
      }
      address(false);
    }
    out_.push_back(Address{});
  }

  void angle_addr(Address& a) {
    lex_.advance();  // '<'
    lex_.skip_cfws();
    if (lex_.peek() == '@') {
      std::string route;
      while (lex_.peek() == '@' || lex_.peek() == ',') {
        const char c = lex_.peek();
        lex_.advance();
        lex_.skip_cfws();
        if (c == ',') continue;
        if (!route.empty()) route.push_back(',');
        route += '@' + domain();
        lex_.skip_cfws();
      }
      if (lex_.peek() == ':') lex_.advance();
      a.adl = std::move(route);
    }
    addr_spec(a, false);
    lex_.skip_until(">,");
    if (lex_.peek() == '>') lex_.advance();
  }

  void addr_spec(Address& a, bool comment_names) {
    lex_.clear_comment();
    std::string local = local_part();
    lex_.skip_cfws();
    std::string host;
    if (lex_.peek() == '@') {
      lex_.advance();
      host = domain();
      lex_.skip_cfws();
    }
    a.mailbox = local.empty() ? kMissingMailbox : std::move(local);
    a.host = host.empty() ? kMissingDomain : std::move(host);
    if (comment_names && !a.name && !lex_.last_comment().empty()) a.name = lex_.last_comment();
  }

  // local-part = dot-atom / quoted-string / obs-local-part (words and dots).
  std::string local_part() {
    std::string out;
    for (;;) {
      lex_.skip_cfws();
      if (lex_.peek() == '"') {
        out += lex_.quoted_string();
      } else {
        std::string word = lex_.atom(kAddressSpecials);
        if (word.empty()) break;
        out += word;
      }
      lex_.skip_cfws();
      if (lex_.peek() != '.' && (out.empty() || out.back() != '.')) break;
    }
    return out;
  }

  std::string domain() {
    std::string out;
    for (;;) {
      lex_.skip_cfws();
      std::string word = lex_.peek() == '[' ? lex_.domain_literal() : lex_.atom(kAddressSpecials);
      if (word.empty()) break;
      out += word;
      lex_.skip_cfws();
      if (out.back() != '.' && lex_.peek() != '.') break;
    }
    return out;
  }

  void push(Address a) { out_.push_back(std::move(a)); }

  Lexer lex_;
  std::vector<Address> out_;
};

}  // namespace

std::vector<Address> parse_addresses(std::string_view header_value) {
  return AddressParser(header_value).run();
}

}  // namespace pillarbox::mime
