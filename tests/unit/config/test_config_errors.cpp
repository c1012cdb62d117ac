// libcore/config error messages: exact text, `FILE:LINE: KEY: PROBLEM`, with
// the line where the offending key or array element sits in the file.
#include <catch2/catch.hpp>

#include "libcore/config/config.hpp"

using namespace pillarbox;

namespace {

std::string error_of(std::string_view text) {
  auto r = config::parse(text, "f.conf", "/etc/pillarbox");
  if (r.ok()) FAIL("parsed without error: " << text);
  CHECK(r.error().code == ErrorCode::InvalidInput);
  return r.error().message;
}

}  // namespace

TEST_CASE("config errors: unknown keys at every level", "[config][errors]") {
  CHECK(error_of("{\n"
                 "  \"data_dir\": \"/x\",\n"
                 "  \"user\": \"u\",\n"
                 "\n"
                 "  // a comment\n"
                 "  /* and another */\n"
                 "  \"lisen\": {}\n"
                 "}") == "f.conf:7: lisen: unknown key");
  CHECK(error_of("{\"tls\": {\n\"cert\": \"a\",\n\"crt\": \"b\"}}") == "f.conf:3: tls.crt: unknown key");
  CHECK(error_of("{\"log\":\n{\"lvl\": \"info\"}}") == "f.conf:2: log.lvl: unknown key");
  CHECK(error_of("{\"heartbeat\": {\"every\": 1}}") == "f.conf:1: heartbeat.every: unknown key");
  CHECK(error_of("{\"children\": {\n \"smtpd\": {\n  \"services\": [],\n  \"prog\": \"x\"}}}") ==
        "f.conf:4: children.smtpd.prog: unknown key");
}

TEST_CASE("config errors: wrong types", "[config][errors]") {
  CHECK(error_of("{\n\n  \"user\": 1\n}") == "f.conf:3: user: must be a string");
  CHECK(error_of("{\"data_dir\": null}") == "f.conf:1: data_dir: must be a string");
  CHECK(error_of("{\"database\": []}") == "f.conf:1: database: must be a string");
  CHECK(error_of("{\"listen\": []}") == "f.conf:1: listen: must be an object");
  CHECK(error_of("{\"listen\": {\n\"smtp\": \"127.0.0.1:25\"}}") ==
        "f.conf:2: listen.smtp: must be a list of strings");
  CHECK(error_of("{\"listen\": {\"smtp\": [\n\"127.0.0.1:25\",\n25]}}") ==
        "f.conf:3: listen.smtp[1]: must be a string");
  CHECK(error_of("{\"tls\": \"x\"}") == "f.conf:1: tls: must be an object");
  CHECK(error_of("{\"log\": {\"level\": 1}}") == "f.conf:1: log.level: must be a string");
  CHECK(error_of("{\"heartbeat\": {\n\"timeout\": \"30\"}}") == "f.conf:2: heartbeat.timeout: must be a number");
  CHECK(error_of("{\"shutdown_timeout\": true}") == "f.conf:1: shutdown_timeout: must be a number");
  CHECK(error_of("{\"children\": []}") == "f.conf:1: children: must be an object");
  CHECK(error_of("{\"children\": {\"a\": 1}}") == "f.conf:1: children.a: must be an object");
  CHECK(error_of("{\"children\": {\"a\": {\"args\": [\n\"-v\",\n{}]}}}") ==
        "f.conf:3: children.a.args[1]: must be a string");
  CHECK(error_of("{\"children\": {\"a\": {\n\"program\": 5}}}") == "f.conf:2: children.a.program: must be a string");
  CHECK(error_of("[1, 2]") == "f.conf:1: (top level): must be an object");
  CHECK(error_of("\n\n  \"text\"") == "f.conf:3: (top level): must be an object");
}

TEST_CASE("config errors: bad values", "[config][errors]") {
  CHECK(error_of("{\"log\": {\"level\": \"verbose\"}}") ==
        "f.conf:1: log.level: must be one of debug, info, warning, error");
  CHECK(error_of("{\"user\": \"\"}") == "f.conf:1: user: must be a user name");
  CHECK(error_of("{\"user\": \"a b\"}") == "f.conf:1: user: must be a user name");
  CHECK(error_of("{\"hostname\": \"mail example\"}") ==
        "f.conf:1: hostname: must be a host name (letters, digits, '-' and '.')");
  CHECK(error_of("{\"data_dir\": \"\"}") == "f.conf:1: data_dir: must not be empty");
  CHECK(error_of("{\"shutdown_timeout\": 0}") ==
        "f.conf:1: shutdown_timeout: must be a number of seconds, more than 0 and at most 86400");
  CHECK(error_of("{\"heartbeat\": {\"interval\": -1}}") ==
        "f.conf:1: heartbeat.interval: must be a number of seconds, more than 0 and at most 86400");
  CHECK(error_of("{\"heartbeat\": {\"timeout\": 1e9}}") ==
        "f.conf:1: heartbeat.timeout: must be a number of seconds, more than 0 and at most 86400");
  CHECK(error_of("{\"tls\": {\"cert\": \"a.pem\"}}") == "f.conf:1: tls.key: must be set when tls.cert is");
  CHECK(error_of("{\n\"tls\": {\"key\": \"a.key\", \"cert\": \"\"}}") ==
        "f.conf:2: tls.cert: must be set when tls.key is");
}

TEST_CASE("config errors: bad port", "[config][errors]") {
  CHECK(error_of("{\n"
                 "  \"listen\": {\n"
                 "    \"smtp\": [\n"
                 "      \"127.0.0.1:25\",\n"
                 "      \"127.0.0.1:70000\"\n"
                 "    ]\n"
                 "  }\n"
                 "}") == "f.conf:5: listen.smtp[1]: bad port \"70000\" (0..65535)");
  CHECK(error_of("{\"listen\": {\"imap\": [\"[::1]:x\"]}}") ==
        "f.conf:1: listen.imap[0]: bad port \"x\" (0..65535)");
  CHECK(error_of("{\"listen\": {\"imap\": [\"127.0.0.1\"]}}") ==
        "f.conf:1: listen.imap[0]: missing port in \"127.0.0.1\" (expected \"address:port\")");
}

TEST_CASE("config errors: bad address", "[config][errors]") {
  CHECK(error_of("{\"listen\": {\n\"pop3\": [\"127.0.0.1:110\",\n  \"mail.example.org:110\"]}}") ==
        "f.conf:3: listen.pop3[1]: bad address \"mail.example.org\" "
        "(expected a numeric IPv4 address, [IPv6] or *)");
  CHECK(error_of("{\"listen\": {\"pop3\": [\"::1:110\"]}}") ==
        "f.conf:1: listen.pop3[0]: bad address \"::1:110\": write IPv6 addresses in brackets, \"[::1]:25\"");
}

TEST_CASE("config errors: the same endpoint twice", "[config][errors]") {
  CHECK(error_of("{\"listen\": {\n\"smtp\": [\"*:25\"],\n\"submission\": [\"0.0.0.0:25\"]}}") ==
        "f.conf:3: listen.submission[0]: 0.0.0.0:25 is already listed at listen.smtp[0]");
  CHECK(error_of("{\"listen\": {\"smtp\": [\"[::1]:25\",\n\"[0::1]:25\"]}}") ==
        "f.conf:2: listen.smtp[1]: [::1]:25 is already listed at listen.smtp[0]");
}

TEST_CASE("config errors: unknown service", "[config][errors]") {
  CHECK(error_of("{\"listen\": {\n\"smtp\": [],\n\"lmtp\": [\"127.0.0.1:24\"]}}") ==
        "f.conf:3: listen.lmtp: unknown service");
  CHECK(error_of("{\"children\": {\n"
                 "  \"smtpd\": { \"services\": [\n"
                 "    \"smtp\",\n"
                 "    \"lmtp\"\n"
                 "  ] }\n"
                 "}}") ==
        "f.conf:4: children.smtpd.services[1]: unknown service \"lmtp\" "
        "(known: smtp, submission, smtps, pop3, pop3s, imap, imaps, admin)");
}

TEST_CASE("config errors: a service served by two children", "[config][errors]") {
  CHECK(error_of("{\n"
                 "  \"listen\": { \"smtp\": [\"127.0.0.1:0\"] },\n"
                 "  \"children\": {\n"
                 "    \"smtpd\": { \"services\": [\"smtp\"] },\n"
                 "    \"other\": { \"program\": \"/bin/x\",\n"
                 "                 \"services\": [\"imap\", \"smtp\"] }\n"
                 "  }\n"
                 "}") ==
        "f.conf:6: children.other.services[1]: service \"smtp\" is already served by children.smtpd");
  CHECK(error_of("{\"children\": {\"a\": {\"services\": [\"pop3\", \"pop3\"]}}}") ==
        "f.conf:1: children.a.services[1]: service \"pop3\" is already served by children.a");
}

TEST_CASE("config errors: bad child names", "[config][errors]") {
  const std::string problem = ": bad child name (1-32 characters of a-z, 0-9, '_' and '-')";
  CHECK(error_of("{\"children\": {\n\"Smtpd\": {}}}") == "f.conf:2: children.Smtpd" + problem);
  CHECK(error_of("{\"children\": {\"\": {}}}") == "f.conf:1: children." + problem);
  CHECK(error_of("{\"children\": {\"a/b\": {}}}") == "f.conf:1: children.a/b" + problem);
  std::string long_name(33, 'a');
  CHECK(error_of("{\"children\": {\"" + long_name + "\": {}}}") == "f.conf:1: children." + long_name + problem);
}

TEST_CASE("config errors: a listened service no child serves", "[config][errors]") {
  CHECK(error_of("{\n\"listen\": {\"smtp\": [\"127.0.0.1:0\"],\n\"imap\": [\"127.0.0.1:0\"]},\n"
                 "\"children\": {\"smtpd\": {\"services\": [\"smtp\"]}}}") ==
        "f.conf:3: listen.imap: no child in children serves it");
  CHECK(error_of("{\n\"children\": {\"smtpd\": {\"services\": [\"smtp\", \"submission\"]}}}") ==
        "f.conf:2: children: no child serves \"admin\", which listen enables by default "
        "(set listen to choose the services)");
}

TEST_CASE("config errors: heartbeat interval must be below timeout", "[config][errors]") {
  CHECK(error_of("{\n\"heartbeat\": {\n\"interval\": 30,\n\"timeout\": 30}}") ==
        "f.conf:3: heartbeat.interval: must be less than heartbeat.timeout (30)");
  CHECK(error_of("{\n\"heartbeat\": {\n\"interval\": 7.5, \"timeout\": 2}}") ==
        "f.conf:3: heartbeat.interval: must be less than heartbeat.timeout (2)");
  CHECK(error_of("{\n\"heartbeat\": {\n\"timeout\": 4}}") ==
        "f.conf:3: heartbeat.timeout: must be greater than heartbeat.interval (5)");
}

TEST_CASE("config errors: duplicate keys", "[config][errors]") {
  CHECK(error_of("{\n\"user\": \"a\",\n\"database\": \"\",\n\"user\": \"b\"}") ==
        "f.conf:4: user: duplicate key (first on line 2)");
  CHECK(error_of("{\"listen\": {\n\"smtp\": [],\n\"smtp\": []}}") ==
        "f.conf:3: listen.smtp: duplicate key (first on line 2)");
}

TEST_CASE("config errors: syntax errors carry their line", "[config][errors]") {
  CHECK(error_of("{\n  \"user\": \"a\",\n  \"database\": \"b\",\n}\n") ==
        "f.conf:4: syntax error: while parsing object key - unexpected '}'; expected string literal");
  CHECK(error_of("{\n  \"user\": \"a\"\n  \"database\": \"b\"\n}") ==
        "f.conf:3: syntax error: while parsing object - unexpected string literal; expected '}'");
  CHECK(error_of("// header\n/* block\n*/\n{\n\"a\": tru\n}") ==
        "f.conf:5: syntax error: while parsing value - invalid literal; last read: '\"a\": tru<U+000A>'");
  CHECK(error_of("{\n\"a\": \"two\nlines\"}") ==
        "f.conf:2: syntax error: while parsing value - invalid string: control character U+000A (LF) "
        "must be escaped to \\u000A or \\n; last read: '\"two<U+000A>'");
  CHECK(error_of("{\n\"shutdown_timeout\":\n  1e999}") ==
        "f.conf:3: syntax error: number overflow parsing '1e999'");
  CHECK(error_of("{\n\"user\": \"a\",\n") ==
        "f.conf:2: syntax error: while parsing object key - unexpected end of input; expected string literal");
  CHECK(error_of("") ==
        "f.conf:1: syntax error: while parsing value - unexpected end of input; expected '[', '{', or a literal");
  CHECK(error_of("{} /* open") ==
        "f.conf:1: syntax error: while parsing value - invalid comment; missing closing '*/'; last read: '{} /* open'; expected end of input");
  std::string long_comment = "{\"user\": \"a\"}\n/* " + std::string(500, 'x') + "\u00e9 end";
  CHECK(error_of(long_comment) ==
        "f.conf:2: syntax error: while parsing value - invalid comment; missing closing '*/'; "
        "last read: '..." + std::string(34, 'x') + "\u00e9 end'; expected end of input");
}

TEST_CASE("config errors: text without a file name is labelled", "[config][errors]") {
  auto r = config::parse("{\"x\": 1}", "", "");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "<string>:1: x: unknown key");
}
