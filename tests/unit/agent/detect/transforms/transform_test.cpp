// The rule transforms against Suricata's unit-test vectors and documented
// examples, their option parsing, and the canonical keys.
#include "detect/transforms/transform.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace nsm4::detect {
namespace {

using namespace std::string_literals;

std::shared_ptr<const Transform> make(std::string_view name, std::string_view value = "") {
  const TransformDef* def = find_transform(name);
  EXPECT_NE(def, nullptr) << name;
  if (!def) return nullptr;
  std::string err;
  auto t = def->parse(value, err);
  EXPECT_NE(t, nullptr) << name << ":" << value << " -> " << err;
  return t;
}

std::string run(std::string_view name, std::string_view in, std::string_view value = "") {
  auto t = make(name, value);
  std::string out;
  if (t) t->apply(in, out);
  return out;
}

// The parse error for name:value ("" when it parsed).
std::string parse_error(std::string_view name, std::string_view value) {
  const TransformDef* def = find_transform(name);
  if (!def) return "no such transform";
  std::string err;
  auto t = def->parse(value, err);
  if (t) return "";
  EXPECT_FALSE(err.empty()) << name << ":" << value << " failed without a message";
  return err;
}

std::string hex(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

TEST(TransformTable, ListsEverySuricataTransformOnce) {
  for (std::string_view n :
       {"to_lowercase", "to_uppercase", "strip_whitespace", "compress_whitespace", "dotprefix",
        "url_decode", "from_base64", "xor", "to_md5", "to_sha1", "to_sha256", "header_lowercase",
        "strip_pseudo_headers", "pcrexform"}) {
    const TransformDef* d = find_transform(n);
    ASSERT_NE(d, nullptr) << n;
    EXPECT_EQ(d->name, n);
    EXPECT_FALSE(d->help.empty());
  }
  EXPECT_EQ(transform_table().size(), 14u);
  // base64_decode is a payload keyword (with base64_data), not a transform.
  EXPECT_EQ(find_transform("base64_decode"), nullptr);
  EXPECT_EQ(find_transform("TO_LOWERCASE"), nullptr);
  EXPECT_TRUE(find_transform("xor")->takes_value);
  EXPECT_TRUE(find_transform("from_base64")->takes_value);
  EXPECT_TRUE(find_transform("pcrexform")->takes_value);
  EXPECT_FALSE(find_transform("to_md5")->takes_value);
}

TEST(TransformCase, LowerAndUpper) {
  EXPECT_EQ(run("to_lowercase", " A b C D "), " a b c d ");
  EXPECT_EQ(run("to_uppercase", " A b C D "), " A B C D ");
  EXPECT_EQ(run("to_lowercase", "\xc3\x89T\xe9"s), "\xc3\x89t\xe9"s);  // ASCII only
  EXPECT_EQ(run("to_lowercase", ""), "");
}

TEST(TransformCase, ContentValidation) {
  EXPECT_TRUE(make("to_lowercase")->content_can_match("abc 1"));
  EXPECT_FALSE(make("to_lowercase")->content_can_match("aBc"));
  EXPECT_TRUE(make("to_uppercase")->content_can_match("ABC 1"));
  EXPECT_FALSE(make("to_uppercase")->content_can_match("ABc"));
}

TEST(TransformWhitespace, Strip) {
  EXPECT_EQ(run("strip_whitespace", " A B C D "), "ABCD");
  EXPECT_EQ(run("strip_whitespace", "EFGH"), "EFGH");
  EXPECT_EQ(run("strip_whitespace", "I  \t J"), "IJ");
  EXPECT_EQ(run("strip_whitespace", "a\r\n\fb\tc"), "abc");
  // Rust's is_ascii_whitespace, which Suricata uses here, leaves out \v.
  EXPECT_EQ(run("strip_whitespace", "a\vb"), "a\vb");
  EXPECT_FALSE(make("strip_whitespace")->content_can_match("a b"));
  EXPECT_TRUE(make("strip_whitespace")->content_can_match("ab"));
}

TEST(TransformWhitespace, Compress) {
  EXPECT_EQ(run("compress_whitespace", " A B C D "), " A B C D ");
  EXPECT_EQ(run("compress_whitespace", "EFGH"), "EFGH");
  EXPECT_EQ(run("compress_whitespace", "I  \t J"), "I J");
  // A run keeps its first byte, whatever whitespace it is; \v counts here.
  EXPECT_EQ(run("compress_whitespace", "a\t\r\n b\v\v c\r\nd"), "a\tb\vc\rd");
  EXPECT_EQ(run("compress_whitespace", "  "), " ");
  EXPECT_TRUE(make("compress_whitespace")->content_can_match(" A B C D "));
  EXPECT_FALSE(make("compress_whitespace")->content_can_match(" A B C D  "));
  EXPECT_FALSE(make("compress_whitespace")->content_can_match("a\r\nb"));
}

TEST(TransformDotprefix, PrependsADot) {
  EXPECT_EQ(run("dotprefix", "example.com"), ".example.com");
  EXPECT_EQ(run("dotprefix", "hello.example.com"), ".hello.example.com");
  EXPECT_EQ(run("dotprefix", ""), "");
}

TEST(TransformUrlDecode, SuricataVector) {
  EXPECT_EQ(run("url_decode", "Suricata%20is+%27%61wesome%21%27%25%30%30%ZZ%4"),
            "Suricata is 'awesome!'%00%ZZ%4");
}

TEST(TransformUrlDecode, BadPercentSequences) {
  EXPECT_EQ(run("url_decode", "%"), "%");
  EXPECT_EQ(run("url_decode", "a%4"), "a%4");
  EXPECT_EQ(run("url_decode", "%4Z%41"), "%4ZA");
  // The byte after a bad '%' is not the start of a new escape.
  EXPECT_EQ(run("url_decode", "%%41"), "%%41");
  EXPECT_EQ(run("url_decode", "%00%ff%FF+"), "\0\xff\xff "s);
}

TEST(TransformHeaders, HeaderLowercase) {
  EXPECT_EQ(run("header_lowercase", "Header1: Value1\nheader2:Value2\n"),
            "header1: Value1\nheader2:Value2\n");
  EXPECT_EQ(run("header_lowercase", "Host: A:B\r\nX-Y: Z\r\n"), "host: A:B\r\nx-y: Z\r\n");
}

TEST(TransformHeaders, StripPseudoHeaders) {
  EXPECT_EQ(run("strip_pseudo_headers", "Header1: Value1\n:method:get\nheader2:Value2\n"),
            "Header1: Value1\nheader2:Value2\n");
  EXPECT_EQ(run("strip_pseudo_headers", ":method:get"), "");
  EXPECT_EQ(run("strip_pseudo_headers", "Header1: Value1\n:method:get"), "Header1: Value1\n");
  EXPECT_EQ(run("strip_pseudo_headers", ":method:get\nheader2:Value2"), "header2:Value2");
  EXPECT_EQ(run("strip_pseudo_headers",
                "Header1: Value1\n:method:get\nheader2:Value2\n:scheme:https\nheader3:Value3\n"),
            "Header1: Value1\nheader2:Value2\nheader3:Value3\n");
}

TEST(TransformHash, SuricataVectors) {
  EXPECT_EQ(hex(run("to_md5", " A B C D ")), "e059f830436958b645828cc233c24713");
  EXPECT_EQ(hex(run("to_sha1", " A B C D ")), "c8dc4497f7e055f86b889052082c0c7bdcc9c889");
  EXPECT_EQ(hex(run("to_sha256", " A B C D ")),
            "d6bf7d8d6953024d0d845c999bae93ccac68eaab9ac977d0fd306af59a3de43a");
  EXPECT_EQ(hex(run("to_md5", "abc")), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(TransformHash, EmptyBufferStaysEmpty) {
  // Suricata skips transforms on an empty buffer: no digest of "".
  for (std::string_view n : {"to_md5", "to_sha1", "to_sha256"}) EXPECT_EQ(run(n, ""), "") << n;
}

TEST(TransformFromBase64, SuricataVectors) {
  EXPECT_EQ(run("from_base64", "VGhpcyBpcyBTdXJpY2F0YQ=="), "This is Suricata");
  EXPECT_EQ(run("from_base64", "Zm 9v Ym Fy", "mode rfc2045"), "foobar");
  EXPECT_EQ(run("from_base64", "VGhpcyBpcyBTdXJpY2F0YQ==", "bytes 12"), "This is S");
  EXPECT_EQ(run("from_base64", "VGhpcyBpcyBTdXJpY2F0YQ==", "offset 4"), "s is Suricata");
  EXPECT_EQ(run("from_base64", "SGVs bG8 gV29y bGQ=", "mode rfc2045, bytes 15"), "Hello Wor");
  EXPECT_EQ(run("from_base64", "ABCD!!!!", "mode rfc2045"), "\x00\x10\x83"s);
}

TEST(TransformFromBase64, ConformanceRuleForms) {
  const std::string uri = "/?arg=dGhpc2lzYXRlc3QK";
  EXPECT_EQ(run("from_base64", uri, " offset 6 "), "thisisatest\n");
  EXPECT_EQ(run("from_base64", uri, " offset 10 "), "sisatest\n");
  EXPECT_EQ(run("from_base64", uri, " bytes 6, offset 6 "), "this");
  EXPECT_EQ(run("from_base64", uri, " offset 6, mode rfc2045 "), "thisisatest\n");
  EXPECT_EQ(run("from_base64", uri, " offset 6, mode rfc4648 "), "thisisatest\n");
  EXPECT_EQ(run("from_base64", uri, " offset 6, mode strict "), "thisisatest\n");
}

TEST(TransformFromBase64, Modes) {
  // RFC 4648 stops at the first byte outside the alphabet, padding the quad.
  EXPECT_EQ(run("from_base64", "Zm 9v Ym Fy", "mode rfc4648"), "f");
  EXPECT_EQ(run("from_base64", "Zm$9vYm.Fy", "mode rfc4648"), "f");
  EXPECT_EQ(run("from_base64", "Zm$9vYm.Fy", "mode rfc2045"), "foobar");
  EXPECT_EQ(run("from_base64", "Zm9vYmE"), "fooba");  // unpadded tail
  EXPECT_EQ(run("from_base64", "Zg==Zm8="), "ffo");   // padding mid-stream ends a quad only
  EXPECT_EQ(run("from_base64", "Zm9vYmFy", "mode strict"), "foobar");
  EXPECT_EQ(run("from_base64", "Zm9vYg==", "mode strict"), "foob");
}

TEST(TransformFromBase64, FailuresFailTheBuffer) {
  auto fails = [](std::string_view in, std::string_view opts) {
    auto t = make("from_base64", opts);
    std::string out;
    bool ok = t->try_apply(in, out);
    EXPECT_TRUE(out.empty()) << in;
    return !ok;
  };
  EXPECT_TRUE(fails("This is Suricata\n", "mode strict"));
  EXPECT_TRUE(fails("!!!!", "mode strict"));
  EXPECT_TRUE(fails("!!!!", "mode rfc4648"));
  EXPECT_TRUE(fails("!!!!", "mode rfc2045"));
  EXPECT_TRUE(fails("Zm9vYg", "mode strict"));    // padding required
  EXPECT_TRUE(fails("Zm9vYh==", "mode strict"));  // non-zero unused bits
  EXPECT_TRUE(fails("Zg==Zm8=", "mode strict"));  // padding inside
  EXPECT_TRUE(fails("Zm9vY", "mode rfc4648"));    // one dangling character
  EXPECT_TRUE(fails("=AAA", "mode rfc2045"));
  std::string out;
  EXPECT_TRUE(make("from_base64", "mode rfc2045")->try_apply("ABCD!!!!", out));
}

TEST(TransformFromBase64, OutOfRangeLeavesBufferUnchanged) {
  const std::string in = "VGhpcyBpcyBTdXJpY2F0YQ==";
  EXPECT_EQ(run("from_base64", in, "bytes 25"), in);
  EXPECT_EQ(run("from_base64", in, "offset 25"), in);
  EXPECT_EQ(run("from_base64", in, "offset 24"), in);
  EXPECT_EQ(run("from_base64", in, "bytes 24"), in);  // bytes reaching the end: Suricata's >=
  EXPECT_EQ(run("from_base64", in, "offset 4, bytes 20"), in);
  EXPECT_EQ(run("from_base64", ""), "");
}

TEST(TransformFromBase64, OptionErrors) {
  EXPECT_NE(parse_error("from_base64", "bytes 4, offset 3933, mode unknown").find("mode"),
            std::string::npos);
  EXPECT_NE(parse_error("from_base64", "bytes 4, offset 70000, mode strict").find("65535"),
            std::string::npos);
  EXPECT_NE(parse_error("from_base64", "mode strict, mode rfc2045").find("twice"),
            std::string::npos);
  EXPECT_NE(parse_error("from_base64", "bytes 1, bytes 2").find("twice"), std::string::npos);
  EXPECT_NE(
      parse_error("from_base64", "bytes 4, offset 3, mode strict, mode rfc2045").find("at most 3"),
      std::string::npos);
  EXPECT_NE(parse_error("from_base64", "bytes var, offset 3933").find("bytes"), std::string::npos);
  EXPECT_NE(parse_error("from_base64", "offset -1").find("offset"), std::string::npos);
  EXPECT_NE(parse_error("from_base64", "size 4").find("unknown option 'size'"), std::string::npos);
  EXPECT_NE(parse_error("from_base64", "bytes 4,,mode strict").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("from_base64", "mode").find("mode"), std::string::npos);
  EXPECT_NE(parse_error("from_base64", "mode RFC2045").find("mode"), std::string::npos);
  EXPECT_EQ(parse_error("from_base64", "offset 3933, bytes 4"), "");
  EXPECT_EQ(parse_error("from_base64", "bytes 65535"), "");
}

TEST(TransformXor, StaticKey) {
  EXPECT_EQ(run("xor", "example.com", "\"0a0DC8ff\""), "ou\xa9\x92za\xad\xd1ib\xa5"s);
  EXPECT_EQ(run("xor", "example.com", "0a0DC8ff"), "ou\xa9\x92za\xad\xd1ib\xa5"s);
  // XOR is its own inverse.
  EXPECT_EQ(run("xor", "ou\xa9\x92za\xad\xd1ib\xa5"s, "\"0a0dc8ff\""), "example.com");
  EXPECT_EQ(run("xor", "", "\"42\""), "");
}

TEST(TransformXor, OffsetAndExtractedKey) {
  std::string body = "\x42";
  for (char c : std::string("password=secret")) body += static_cast<char>(c ^ 0x42);
  EXPECT_EQ(run("xor", body, "offset 1,extract 1 0"), "\x42password=secret");
  EXPECT_EQ(run("xor", body, "offset   1,  extract 1 0"), "\x42password=secret");
  EXPECT_EQ(run("xor", body, "offset 1,\"42\""), "\x42password=secret");
  // Key inside the decoded region (detect-xor-key-16): read before decoding.
  std::string infected = "\x42";
  for (char c : std::string("infected")) infected += static_cast<char>(c ^ 0x42);
  EXPECT_EQ(run("xor", infected, "extract 1 0"), "\0infected"s);
  // Two keys at different places (detect-xor-key-12).
  std::string twelve = "\x42";
  for (char c : std::string("hello")) twelve += static_cast<char>(c ^ 0x42);
  twelve += "\x37";
  for (char c : std::string("world")) twelve += static_cast<char>(c ^ 0x37);
  EXPECT_NE(run("xor", twelve, "offset 1,extract 1 0").find("hello"), std::string::npos);
  EXPECT_NE(run("xor", twelve, "offset 7,extract 1 6").find("world"), std::string::npos);
  // A multi-byte key restarts at the offset.
  std::string four = "\x0d\x0a\xc8\xff";
  const std::string plain = "password=supersecret";
  for (size_t i = 0; i < plain.size(); ++i) four += static_cast<char>(plain[i] ^ four[i % 4]);
  EXPECT_EQ(run("xor", four, "offset 4,extract 4 0").substr(4), plain);
}

TEST(TransformXor, OutOfRangeLeavesBufferUnchanged) {
  EXPECT_EQ(run("xor", "password", "extract 1 200"), "password");
  EXPECT_EQ(run("xor", "abc", "extract 2 2"), "abc");
  EXPECT_EQ(run("xor", "abc", "offset 4,\"42\""), "abc");
  EXPECT_EQ(run("xor", "abc", "offset 3,\"42\""), "abc");  // nothing after the offset
}

TEST(TransformXor, OptionErrors) {
  EXPECT_NE(parse_error("xor", "").find("needs a key"), std::string::npos);
  EXPECT_NE(parse_error("xor", "\"\"").find("key must be"), std::string::npos);
  EXPECT_NE(parse_error("xor", "\"abc\"").find("key must be 1 to 255 hex bytes in quotes"),
            std::string::npos);
  EXPECT_NE(parse_error("xor", "\"zz\"").find("'\"zz\"'"), std::string::npos);
  EXPECT_NE(parse_error("xor", "\"" + std::string(512, 'a') + "\"").find("key must be"),
            std::string::npos);
  EXPECT_EQ(parse_error("xor", "\"" + std::string(510, 'a') + "\""), "");
  EXPECT_NE(parse_error("xor", "extract 0 0").find("extract"), std::string::npos);
  EXPECT_NE(parse_error("xor", "extract 1").find("extract"), std::string::npos);
  EXPECT_NE(parse_error("xor", "extract 256 0").find("extract"), std::string::npos);
  EXPECT_NE(parse_error("xor", "extract 1 65536").find("extract"), std::string::npos);
  EXPECT_NE(parse_error("xor", "extract 1 0 5").find("extract"), std::string::npos);
  EXPECT_NE(parse_error("xor", "offset abc").find("offset"), std::string::npos);
  EXPECT_NE(parse_error("xor", "offset 1").find("offset"), std::string::npos);
  EXPECT_NE(parse_error("xor", "offset ,\"42\"").find("offset"), std::string::npos);
  EXPECT_NE(parse_error("xor", "offset 1,").find("key must be"), std::string::npos);
  EXPECT_NE(parse_error("xor", "offset -1,\"42\"").find("offset"), std::string::npos);
}

TEST(TransformXor, Keys) {
  EXPECT_EQ(make("xor", "\"0A0dc8FF\"")->key(), make("xor", "0a0dc8ff")->key());
  EXPECT_EQ(make("xor", "\"42\"")->key(), make("xor", "offset 0,\"42\"")->key());
  EXPECT_EQ(make("xor", "offset 1,extract 1 0")->key(),
            make("xor", "offset   1,  extract  1   0")->key());
  EXPECT_NE(make("xor", "offset 1,extract 1 0")->key(), make("xor", "extract 1 0")->key());
  EXPECT_NE(make("xor", "offset 1,extract 1 0")->key(), make("xor", "offset 1,\"01\"")->key());
  EXPECT_EQ(make("xor", "offset 2,\"0D\"")->key(), "xor:offset 2,\"0d\"");
}

TEST(TransformPcrexform, FirstCaptureGroup) {
  EXPECT_EQ(run("pcrexform", "GET /index.html HTTP/1.1", "\"[a-zA-Z]+\\s+(.*)\\s+HTTP\""),
            "/index.html");
  EXPECT_EQ(run("pcrexform", "Host: example.com:8080", "\"^Host: ([^:]+)\""), "example.com");
  EXPECT_EQ(run("pcrexform", "a\0b\0c"s, "\"a(.)b\""), "\0"s);  // binary safe
}

TEST(TransformPcrexform, NoMatchFailsTheBuffer) {
  auto t = make("pcrexform", "\"^x(y)\"");
  std::string out;
  EXPECT_FALSE(t->try_apply("abc", out));
  EXPECT_TRUE(out.empty());
  auto optional_group = make("pcrexform", "\"b(x)?\"");
  EXPECT_FALSE(optional_group->try_apply("abc", out));             // the group did not take part
  EXPECT_TRUE(make("pcrexform", "\"(b?)\"")->try_apply("", out));  // empty capture
  EXPECT_TRUE(out.empty());
}

TEST(TransformPcrexform, OptionErrors) {
  EXPECT_NE(parse_error("pcrexform", "").find("quotes"), std::string::npos);
  EXPECT_NE(parse_error("pcrexform", "(a)").find("quotes"), std::string::npos);
  EXPECT_NE(parse_error("pcrexform", "\"abc\"").find("exactly one capture group, found 0"),
            std::string::npos);
  EXPECT_NE(parse_error("pcrexform", "\"(a)(b)\"").find("found 2"), std::string::npos);
  EXPECT_NE(parse_error("pcrexform", "\"(a\"").find("does not compile"), std::string::npos);
  EXPECT_EQ(make("pcrexform", " \"(a)\" ")->key(), "pcrexform:\"(a)\"");
}

TEST(TransformOptions, ValuelessTransformsRejectAValue) {
  for (const TransformDef& d : transform_table()) {
    if (d.takes_value) continue;
    std::string err;
    EXPECT_EQ(d.parse("1", err), nullptr) << d.name;
    EXPECT_NE(err.find(std::string(d.name) + ": takes no value"), std::string::npos) << err;
    err.clear();
    EXPECT_NE(d.parse(" ", err), nullptr) << d.name;
  }
}

TEST(TransformKeys, CanonicalAndDistinct) {
  EXPECT_EQ(make("to_lowercase")->key(), "to_lowercase");
  EXPECT_EQ(make("from_base64")->key(), make("from_base64", "mode rfc4648")->key());
  EXPECT_EQ(make("from_base64", "offset 6 , bytes 6")->key(),
            make("from_base64", "bytes 6,offset 6,mode rfc4648")->key());
  EXPECT_NE(make("from_base64", "mode strict")->key(), make("from_base64")->key());
  EXPECT_NE(make("pcrexform", "\"(a)\"")->key(), make("pcrexform", "\"(b)\"")->key());
  // Every parameterless transform has its own key.
  std::set<std::string> keys;
  for (const TransformDef& d : transform_table()) {
    if (d.takes_value) continue;
    std::string err;
    keys.insert(d.parse("", err)->key());
  }
  EXPECT_EQ(keys.size(), 11u);
}

// Every xor/from_base64 option in the conformance rules parses.
TEST(TransformConformance, RuleOptionsParse) {
#ifndef NSM4_SHARED_DIR
  GTEST_SKIP() << "NSM4_SHARED_DIR is not defined";
#else
  namespace fs = std::filesystem;
  const fs::path suite = fs::path(NSM4_SHARED_DIR) / "conformance" / "suite";
  if (!fs::is_directory(suite)) GTEST_SKIP() << suite << " is absent";
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(suite)) {
    std::ifstream f(entry.path() / "test.rules");
    std::string line;
    while (std::getline(f, line)) {
      if (line.empty() || line[0] == '#') continue;
      // Options are "name:value;" after a ';' (none of these values holds one).
      for (size_t semi = line.find(';'); semi != std::string::npos;) {
        size_t next = line.find(';', semi + 1);
        std::string opt =
            line.substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1);
        semi = next;
        opt.erase(0, opt.find_first_not_of(' '));
        size_t colon = opt.find(':');
        std::string name = opt.substr(0, colon);
        if (colon == std::string::npos ||
            (name != "xor" && name != "from_base64" && name != "pcrexform"))
          continue;
        ++seen;
        EXPECT_EQ(parse_error(name, opt.substr(colon + 1)), "")
            << entry.path().filename() << ": " << opt;
      }
    }
  }
  EXPECT_GT(seen, 10);
#endif
}

}  // namespace
}  // namespace nsm4::detect
