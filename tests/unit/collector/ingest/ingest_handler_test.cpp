#include "ingest/ingest_handler.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "collector/collector_test_env.h"

namespace nsm4::collector {
namespace {

using nlohmann::json;
using test::alert_line;
using test::CollectorEnv;
using test::post_events;
using test::stats_line;

const char* kTs = "2026-01-02T03:04:05.000000+0000";

std::string gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string* find_header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

class IngestHandlerTest : public ::testing::Test {
 protected:
  IngestHandlerTest() : handler_(make_ingest_handler(env_.services())) {
    token_ = env_.registry().add("sensor-1", "ward-1");
  }
  HttpResponse post(HttpRequest req) { return CollectorEnv::call(*handler_, std::move(req)); }

  CollectorEnv env_;
  std::unique_ptr<HttpHandler> handler_;
  std::string token_;
};

TEST_F(IngestHandlerTest, StoresABatchAndRepliesAfterTheCommit) {
  const std::string body = alert_line(kTs, 1, 2001, "10.0.0.1", "10.0.0.2") + "\n" +
                           R"({"timestamp":"2026-01-02T03:04:06Z","event_type":"flow"})" + "\n";
  const HttpResponse r = post(post_events(body, token_, "s1/1"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json reply = json::parse(r.body);
  EXPECT_EQ(reply["stored"], 2);
  EXPECT_EQ(reply["duplicate"], false);
  EXPECT_TRUE(reply["rejected"].empty());
  EXPECT_EQ(reply["rejected_lines"], 0);
  // Durable and queryable by the time the reply is sent.
  AlertQuery q;
  q.sid = 2001;
  const auto rows = env_.store().alerts(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].agent, "sensor-1");
  EXPECT_EQ(rows[0].site, "ward-1");
  EXPECT_EQ(rows[0].json, alert_line(kTs, 1, 2001, "10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(env_.store().stats().events, 2u);
  EXPECT_EQ(env_.metrics().batches_total(), 1u);
  EXPECT_EQ(env_.metrics().events_total(), 2u);
  EXPECT_GT(env_.metrics().health().get("sensor-1")->last_seen_us, 0);
}

TEST_F(IngestHandlerTest, SiteComesFromTheRegistryNotTheEvents) {
  const std::string body = alert_line(kTs, 2, 7, "10.0.0.1", "10.0.0.2", "A", "other-site");
  ASSERT_EQ(post(post_events(body, token_)).status, 200);
  AlertQuery q;
  q.site = "ward-1";
  EXPECT_EQ(env_.store().alerts(q).size(), 1u);
  q.site = "other-site";
  EXPECT_TRUE(env_.store().alerts(q).empty());
}

TEST_F(IngestHandlerTest, DuplicateBatchIsAcknowledgedAndNotStoredTwice) {
  const std::string body = alert_line(kTs, 1, 1, "10.0.0.1", "10.0.0.2");
  ASSERT_EQ(post(post_events(body, token_, "s1/5")).status, 200);
  const HttpResponse again = post(post_events(body, token_, "s1/5"));
  ASSERT_EQ(again.status, 200);
  const json reply = json::parse(again.body);
  EXPECT_EQ(reply["duplicate"], true);
  EXPECT_EQ(reply["stored"], 0);
  EXPECT_EQ(env_.store().stats().events, 1u);
  EXPECT_EQ(env_.metrics().batches_total(), 1u);
  EXPECT_EQ(env_.metrics().events_total(), 1u);
  // Without a batch id nothing is deduplicated (plain EVE shippers).
  ASSERT_EQ(post(post_events(body, token_)).status, 200);
  ASSERT_EQ(post(post_events(body, token_)).status, 200);
  EXPECT_EQ(env_.store().stats().events, 3u);
}

TEST_F(IngestHandlerTest, MalformedLinesAreReportedAndCountedTheRestStored) {
  const std::string body = "{\"event_type\":\"flow\"}\nnot json\n[1]\n{\"event_type\":\"dns\"}\n";
  const HttpResponse r = post(post_events(body, token_, "s1/1"));
  ASSERT_EQ(r.status, 200);
  const json reply = json::parse(r.body);
  EXPECT_EQ(reply["stored"], 2);
  ASSERT_EQ(reply["rejected"].size(), 2u);
  EXPECT_EQ(reply["rejected"][0]["line"], 2);
  EXPECT_EQ(reply["rejected"][0]["error"], "not JSON: unexpected 'n' at byte 1");
  EXPECT_EQ(reply["rejected"][1]["line"], 3);
  EXPECT_EQ(reply["rejected"][1]["error"], "not a JSON object");
  EXPECT_EQ(env_.rejected(RejectReason::kMalformedLine), 2u);
}

TEST_F(IngestHandlerTest, NoValidLineIs400) {
  const HttpResponse r = post(post_events("garbage\n{}\n", token_));
  EXPECT_EQ(r.status, 400);
  const json reply = json::parse(r.body);
  EXPECT_EQ(reply["error"], "no valid line in the batch");
  EXPECT_EQ(reply["rejected"].size(), 2u);
  EXPECT_EQ(env_.rejected(RejectReason::kBadRequest), 1u);
  EXPECT_EQ(env_.rejected(RejectReason::kMalformedLine), 2u);
  EXPECT_EQ(post(post_events("", token_)).status, 400);
  EXPECT_EQ(env_.store().stats().events, 0u);
}

TEST_F(IngestHandlerTest, RejectedListIsCapped) {
  std::string body = "{\"event_type\":\"flow\"}\n";
  for (int i = 0; i < 250; ++i) body += "x\n";
  const json reply = json::parse(post(post_events(body, token_)).body);
  EXPECT_EQ(reply["rejected"].size(), kMaxRejectedListed);
  EXPECT_EQ(reply["rejected_lines"], 250);
}

TEST_F(IngestHandlerTest, Credentials) {
  HttpResponse r = post(post_events("{\"event_type\":\"x\"}", ""));
  EXPECT_EQ(r.status, 401);
  ASSERT_TRUE(find_header(r, "WWW-Authenticate"));
  r = post(post_events("{\"event_type\":\"x\"}", "0000"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(json::parse(r.body)["error"], "unknown agent token");
  EXPECT_EQ(*find_header(r, "WWW-Authenticate"), "Bearer realm=\"nsm4\", error=\"invalid_token\"");
  HttpRequest basic = post_events("{\"event_type\":\"x\"}", "");
  basic.headers["authorization"] = "Basic dXNlcjpwYXNz";
  EXPECT_EQ(post(std::move(basic)).status, 401);
  EXPECT_EQ(env_.rejected(RejectReason::kUnauthorized), 3u);

  // The scheme is case-insensitive.
  HttpRequest lower = post_events("{\"event_type\":\"x\"}", "");
  lower.headers["authorization"] = "bearer " + token_;
  EXPECT_EQ(post(std::move(lower)).status, 200);

  // A client certificate's CN names the agent.
  HttpRequest cert = post_events("{\"event_type\":\"x\"}", "");
  cert.client_cert_cn = "sensor-1";
  EXPECT_EQ(post(std::move(cert)).status, 200);
  HttpRequest stranger = post_events("{\"event_type\":\"x\"}", "");
  stranger.client_cert_cn = "stranger";
  EXPECT_EQ(post(std::move(stranger)).status, 401);

  ASSERT_TRUE(env_.registry().revoke("sensor-1"));
  r = post(post_events("{\"event_type\":\"x\"}", token_));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"], "agent \"sensor-1\" is revoked");
  EXPECT_EQ(env_.rejected(RejectReason::kForbidden), 1u);
  EXPECT_EQ(env_.store().stats().events, 2u);
}

TEST_F(IngestHandlerTest, BatchHeader) {
  EXPECT_EQ(post(post_events("{\"event_type\":\"x\"}", token_, "bad stream/1")).status, 400);
  EXPECT_EQ(post(post_events("{\"event_type\":\"x\"}", token_, "s1/-1")).status, 400);
  EXPECT_EQ(post(post_events("{\"event_type\":\"x\"}", token_, "s1")).status, 400);
  EXPECT_EQ(env_.rejected(RejectReason::kBadRequest), 3u);
  EXPECT_EQ(env_.store().stats().events, 0u);

  IngestOptions opt;
  opt.require_batch_id = true;
  CollectorEnv strict(opt);
  const std::string token = strict.registry().add("a", "s");
  auto handler = make_ingest_handler(strict.services());
  EXPECT_EQ(CollectorEnv::call(*handler, post_events("{\"event_type\":\"x\"}", token)).status, 400);
  EXPECT_EQ(
      CollectorEnv::call(*handler, post_events("{\"event_type\":\"x\"}", token, "z/0")).status,
      200);
}

TEST_F(IngestHandlerTest, GzipBodies) {
  HttpRequest req = post_events(gzip(alert_line(kTs, 1, 5, "10.0.0.1", "10.0.0.2")), token_);
  req.headers["content-encoding"] = "gzip";
  EXPECT_EQ(post(std::move(req)).status, 200);

  HttpRequest br = post_events("{\"event_type\":\"x\"}", token_);
  br.headers["content-encoding"] = "br";
  const HttpResponse r415 = post(std::move(br));
  EXPECT_EQ(r415.status, 415);
  EXPECT_EQ(env_.rejected(RejectReason::kUnsupportedEncoding), 1u);

  HttpRequest corrupt = post_events("not gzip", token_);
  corrupt.headers["content-encoding"] = "gzip";
  EXPECT_EQ(post(std::move(corrupt)).status, 400);
  EXPECT_EQ(env_.store().stats().events, 1u);
}

TEST(IngestHandlerLimits, OversizedBodiesAre413) {
  IngestOptions opt;
  opt.max_body_bytes = 1000;
  opt.max_decoded_bytes = 4000;
  CollectorEnv env(opt);
  const std::string token = env.registry().add("a", "s");
  auto handler = make_ingest_handler(env.services());
  std::string big;
  while (big.size() <= 1000) big += "{\"event_type\":\"flow\"}\n";
  EXPECT_EQ(CollectorEnv::call(*handler, post_events(big, token)).status, 413);
  // Small on the wire, too big once decoded.
  std::string bomb;
  while (bomb.size() <= 5000) bomb += "{\"event_type\":\"flow\"}\n";
  HttpRequest req = post_events(gzip(bomb), token);
  ASSERT_LT(req.body.size(), 1000u);
  req.headers["content-encoding"] = "gzip";
  const HttpResponse r = CollectorEnv::call(*handler, std::move(req));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["error"], "gzip body decodes to more than 4000 bytes");
  EXPECT_EQ(env.rejected(RejectReason::kTooLarge), 2u);
  EXPECT_EQ(env.store().stats().events, 0u);
}

TEST(IngestHandlerLimits, TooManyLinesIs413) {
  IngestOptions opt;
  opt.max_batch_lines = 3;
  CollectorEnv env(opt);
  const std::string token = env.registry().add("a", "s");
  auto handler = make_ingest_handler(env.services());
  const std::string line = "{\"event_type\":\"flow\"}\n";
  EXPECT_EQ(CollectorEnv::call(*handler, post_events(line + line + line, token)).status, 200);
  const HttpResponse r =
      CollectorEnv::call(*handler, post_events(line + line + line + line, token));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::parse(r.body)["error"], "batch has more than 3 lines");
  EXPECT_EQ(env.rejected(RejectReason::kTooLarge), 1u);
  EXPECT_EQ(env.store().stats().events, 3u);
}

TEST_F(IngestHandlerTest, HeartbeatUpdatesTheHealthBoard) {
  const std::string body = stats_line(kTs, 500, 3) + "\n";
  ASSERT_EQ(post(post_events(body, token_, "s1/1")).status, 200);
  const auto h = env_.metrics().health().get("sensor-1");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->has_heartbeat);
  EXPECT_EQ(h->packets, 500u);
  EXPECT_EQ(h->forward.spool_batches, 3u);
  EXPECT_EQ(h->version, "0.5.0");
}

TEST(IngestHandlerStore, CommitFailureIs503AndNothingIsStored) {
  CollectorEnv env;
  const std::string token = env.registry().add("a", "s");
  auto handler = make_ingest_handler(env.services());
  env.exec_sql(
      "CREATE TRIGGER fail_insert BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk on "
      "fire'); END;");
  const HttpResponse r =
      CollectorEnv::call(*handler, post_events("{\"event_type\":\"flow\"}", token, "s/1"));
  EXPECT_EQ(r.status, 503);
  ASSERT_TRUE(find_header(r, "Retry-After"));
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("disk on fire"),
            std::string::npos);
  EXPECT_EQ(env.rejected(RejectReason::kStoreUnavailable), 1u);
  EXPECT_EQ(env.metrics().batches_total(), 0u);
  // The store recovers: the same batch is then stored once.
  env.exec_sql("DROP TRIGGER fail_insert;");
  EXPECT_EQ(
      CollectorEnv::call(*handler, post_events("{\"event_type\":\"flow\"}", token, "s/1")).status,
      200);
  EXPECT_EQ(env.store().stats().events, 1u);
}

TEST(IngestHandlerStore, FullWriterQueueIs503) {
  CollectorEnv env(IngestOptions{}, /*max_queued_events=*/1);
  const std::string token = env.registry().add("a", "s");
  auto handler = make_ingest_handler(env.services());
  // Hold the writer thread inside a completion so that queued batches wait.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> entered;
  StoredEvent ev;
  ev.event_type = "flow";
  ev.json = "{\"event_type\":\"flow\"}";
  ASSERT_TRUE(env.writer().submit(BatchKey{"a", "s", "", 0}, {ev},
                                  [&](const StoreResult&, const std::string&) {
                                    entered.set_value();
                                    released.wait();
                                  }));
  entered.get_future().wait();
  std::promise<HttpResponse> first;
  handler->handle(post_events("{\"event_type\":\"flow\"}", token),
                  [&](HttpResponse r) { first.set_value(std::move(r)); });
  const HttpResponse second =
      CollectorEnv::call(*handler, post_events("{\"event_type\":\"flow\"}", token));
  EXPECT_EQ(second.status, 503);
  EXPECT_EQ(*find_header(second, "Retry-After"), "1");
  EXPECT_EQ(env.rejected(RejectReason::kStoreUnavailable), 1u);
  release.set_value();
  EXPECT_EQ(first.get_future().get().status, 200);
}

}  // namespace
}  // namespace nsm4::collector
