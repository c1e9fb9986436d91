#include "app/tls/tls_cert.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include "agent/app/tls/tls_builders.h"

namespace nsm4::app::tls {
namespace {

TEST(TlsCert, DecodesLikeSuricata) {
  testing::Bytes der = testing::make_test_certificate();
  CertInfo c;
  ASSERT_TRUE(decode_certificate(der, c));
  EXPECT_EQ(c.subject, "C=US, ST=California, L=Mountain View, O=Google Inc, CN=*.google.com");
  EXPECT_EQ(c.issuer, c.subject);
  EXPECT_EQ(c.serial, "00:97:E6:47");  // the DER sign byte is kept
  EXPECT_EQ(c.not_before, "1969-12-31T00:00:00");
  EXPECT_EQ(c.not_after, "2038-12-31T00:10:03");
  // Fingerprint: OpenSSL's own SHA-1 digest of the certificate, rendered aa:bb:...
  const unsigned char* p = der.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  ASSERT_NE(x, nullptr);
  unsigned char md[20];
  unsigned int len = 0;
  X509_digest(x, EVP_sha1(), md, &len);
  X509_free(x);
  char first[3];
  std::snprintf(first, sizeof(first), "%02x", md[0]);
  ASSERT_EQ(c.fingerprint.size(), 59u);
  EXPECT_EQ(c.fingerprint.substr(0, 2), first);
  EXPECT_EQ(c.fingerprint[2], ':');
}

TEST(TlsCert, ChainLimitAndBadLengths) {
  testing::Bytes der = testing::make_test_certificate();
  std::vector<std::string_view> events;
  CertInfo c;
  ASSERT_TRUE(parse_certificate_message(testing::certificate_body({der, der, der}), 2, c, events));
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.chain_len, 2u);
  EXPECT_TRUE(c.chain_truncated);

  testing::Bytes bad = testing::certificate_body({der});
  bad[5] = 0xff;  // first certificate's length beyond the list
  CertInfo c2;
  EXPECT_FALSE(parse_certificate_message(bad, 10, c2, events));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back(), "CERTIFICATE_INVALID_LENGTH");

  for (size_t n = 0; n < der.size(); n += 7) {
    CertInfo c3;
    EXPECT_FALSE(decode_certificate(std::span(der).first(n), c3));
  }
}

}  // namespace
}  // namespace nsm4::app::tls
