#include "net/webhook_intake.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "common/assert.hpp"
#include "common/clock.hpp"
#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "connectors/woocommerce/woocommerce_webhooks.hpp"
#include "net/hmac.hpp"
#include "net/http_server.hpp"
#include "net/http_server_test_client.hpp"
#include "net/router.hpp"
#include "net/webhook_secret_cache.hpp"
#include "store/sqlite/sqlite_state_store.hpp"

namespace mlc::net {
namespace {

using connectors::woocommerce::is_woocommerce_ping;
using store::AppendResult;
using store::AuditAction;
using store::AuditEvent;
using store::InboxEvent;
using testing::http_call;

constexpr std::string_view kWooSecret = "woo-s3cret";
constexpr std::string_view kShipToken = "ship-t0ken";
constexpr std::string_view kOrderBody =
    R"({"id":727,"status":"processing","billing":{"email":"a@example.com"},"total":"29.35"})";

// The store the intake writes to: the real SQLite store (":memory:"). It injects failures and
// records what was appended, so a test can check from the server side that the row existed before
// the answer was written.
class CheckingStore final : public store::StateStore {
  public:
    CheckingStore() {
        auto opened = store::SqliteStateStore::open(":memory:");
        MLC_ASSERT(opened.has_value(), "in-memory SQLite store opens");
        inner_ = std::move(opened).value();
    }

    std::atomic<bool> fail_inbox{false};

    bool holds_body(const std::string& body) {
        std::lock_guard lock(mutex_);
        const std::string hash = sha256_hex(body);
        for (const auto& event : appended_) {
            if (event.body_hash == hash) return true;
        }
        return false;
    }
    std::vector<InboxEvent> appended() {
        std::lock_guard lock(mutex_);
        return appended_;
    }

    Result<AppendResult> append_inbox(const InboxEvent& event) override {
        if (fail_inbox) return make_error(ErrorCode::kStorage, "store", "disk full (injected)");
        std::lock_guard lock(mutex_);
        auto result = inner_->append_inbox(event);
        if (result && result->outcome == store::AppendOutcome::kStored) {
            appended_.push_back(event);
            appended_.back().id = result->id;
        }
        return result;
    }
    // The intake's path (group commit): the same failure and the same record.
    Result<std::vector<AppendResult>> append_inbox_batch(
        const std::vector<store::InboxAppend>& deliveries) override {
        if (fail_inbox) return make_error(ErrorCode::kStorage, "store", "disk full (injected)");
        std::lock_guard lock(mutex_);
        auto results = inner_->append_inbox_batch(deliveries);
        for (std::size_t i = 0; results && i < results->size(); ++i) {
            if ((*results)[i].outcome != store::AppendOutcome::kStored) continue;
            appended_.push_back(deliveries[i].event);
            appended_.back().id = (*results)[i].id;
        }
        return results;
    }
    Result<store::RetiredInbox> retire_inbox(const store::InboxRetirement& retirement) override {
        return inner_->retire_inbox(retirement);
    }
    Result<std::int64_t> count_inbox(const std::string& flow, bool done) override {
        return inner_->count_inbox(flow, done);
    }
    Result<std::int64_t> append_audit(const AuditEvent& event) override {
        return inner_->append_audit(event);
    }
    Result<std::vector<AuditEvent>> query_audit(const store::AuditQuery& query) override {
        return inner_->query_audit(query);
    }

    // Not used by the intake: delegated.
    Result<void> commit_page(const store::PageCommit& page) override {
        return inner_->commit_page(page);
    }
    Result<void> put_binding(const store::Binding& binding) override {
        return inner_->put_binding(binding);
    }
    Result<std::optional<store::Binding>> get_binding(const std::string& flow,
                                                      const std::string& system,
                                                      const std::string& key) override {
        return inner_->get_binding(flow, system, key);
    }
    Result<std::optional<store::Binding>> find_binding_by_target(const std::string& flow,
                                                                 const std::string& id) override {
        return inner_->find_binding_by_target(flow, id);
    }
    Result<std::vector<store::Binding>> list_bindings(const std::string& flow,
                                                      std::optional<store::BindingState> state,
                                                      std::size_t limit) override {
        return inner_->list_bindings(flow, state, limit);
    }
    Result<std::int64_t> count_bindings(const std::string& flow) override {
        return inner_->count_bindings(flow);
    }
    Result<std::optional<store::Cursor>> get_cursor(const std::string& flow,
                                                    const std::string& stream) override {
        return inner_->get_cursor(flow, stream);
    }
    Result<void> set_cursor(const store::Cursor& cursor) override {
        return inner_->set_cursor(cursor);
    }
    Result<std::vector<InboxEvent>> lease_inbox(const std::string& flow, const std::string& owner,
                                                UtcTime now, std::chrono::seconds lease,
                                                std::size_t max) override {
        return inner_->lease_inbox(flow, owner, now, lease, max);
    }
    Result<void> mark_inbox_done(std::int64_t id) override { return inner_->mark_inbox_done(id); }
    Result<std::int64_t> put_dead_letter(const store::DeadLetter& letter) override {
        return inner_->put_dead_letter(letter);
    }
    Result<std::optional<store::DeadLetter>> get_dead_letter(std::int64_t id) override {
        return inner_->get_dead_letter(id);
    }
    Result<std::vector<store::DeadLetter>> list_dead_letters(
        std::optional<std::string> flow, std::optional<store::DeadLetterStatus> status,
        std::size_t limit) override {
        return inner_->list_dead_letters(flow, status, limit);
    }
    Result<void> set_dead_letter_status(std::int64_t id, store::DeadLetterStatus status) override {
        return inner_->set_dead_letter_status(id, status);
    }
    Result<std::vector<store::Difference>> list_differences(
        std::optional<std::string> flow, std::optional<store::DifferenceStatus> status,
        std::size_t limit) override {
        return inner_->list_differences(std::move(flow), status, limit);
    }
    Result<void> set_difference_status(std::int64_t id, store::DifferenceStatus status,
                                       UtcTime at) override {
        return inner_->set_difference_status(id, status, at);
    }
    Result<std::int64_t> raise_alert(const store::Alert& alert) override {
        return inner_->raise_alert(alert);
    }
    Result<std::vector<store::Alert>> list_alerts(
        std::optional<store::AlertStatus> status) override {
        return inner_->list_alerts(status);
    }
    Result<void> acknowledge_alert(std::int64_t id, UtcTime at) override {
        return inner_->acknowledge_alert(id, at);
    }
    Result<void> put_token(const store::TokenRecord& token) override {
        return inner_->put_token(token);
    }
    Result<std::optional<store::TokenRecord>> get_token(const std::string& connection) override {
        return inner_->get_token(connection);
    }
    Result<void> delete_token(const std::string& connection) override {
        return inner_->delete_token(connection);
    }
    Result<int> count_token_request(const std::string& connection, UtcTime now) override {
        return inner_->count_token_request(connection, now);
    }
    Result<int> token_requests_on(const std::string& connection, UtcTime day) override {
        return inner_->token_requests_on(connection, day);
    }
    Result<bool> acquire_lease(const std::string& name, const std::string& owner, UtcTime now,
                               UtcTime until) override {
        return inner_->acquire_lease(name, owner, now, until);
    }
    Result<void> release_lease(const std::string& name, const std::string& owner) override {
        return inner_->release_lease(name, owner);
    }
    Result<std::optional<store::LeaseHolder>> lease_holder(const std::string& name) override {
        return inner_->lease_holder(name);
    }
    Result<void> put_setting(const std::string& key, const std::string& value) override {
        return inner_->put_setting(key, value);
    }
    Result<std::optional<std::string>> get_setting(const std::string& key) override {
        return inner_->get_setting(key);
    }

  private:
    std::unique_ptr<store::StateStore> inner_;
    std::mutex mutex_;
    std::vector<InboxEvent> appended_;
};

class WebhookFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        intake_.mount(router_);
        // Server side of "stored before answered": when the intake hands back a 2xx, the event's
        // row must already be in the store.
        HttpHandler checked = [this](const HttpRequest& request) {
            HttpResponse response = router_.handle(request);
            if (response.status >= 200 && response.status < 300 && !is_woocommerce_ping(request) &&
                !store_.holds_body(request.body)) {
                ++answered_before_stored_;
            }
            return response;
        };
        server_ = std::make_unique<HttpServer>(
            HttpServerOptions{}, checked,
            std::make_shared<spdlog::logger>("test",
                                             std::make_shared<spdlog::sinks::null_sink_mt>()));
        ASSERT_TRUE(server_->start().has_value());
    }
    void TearDown() override { EXPECT_EQ(answered_before_stored_.load(), 0); }

    Result<std::optional<std::string>> secret_for(const std::string& flow,
                                                  const std::string& source) {
        std::lock_guard lock(secrets_mutex_);
        ++secret_reads_;
        if (vault_down_) return make_error(ErrorCode::kStorage, "vault", "vault locked");
        if (flow == "woo-epicor" && source == "woocommerce") return {std::string(woo_secret_)};
        if (flow == "ss-epicor" && source == "shipstation") return {std::string(kShipToken)};
        return std::optional<std::string>{};
    }

    std::optional<testing::TestResponse> post_woo(const std::string& body,
                                                  const std::string& signature,
                                                  const std::string& delivery_id = "d1") {
        return http_call(server_->port(), "POST", "/hooks/woo-epicor/woocommerce", body,
                         {{"Content-Type", "application/json"},
                          {"X-WC-Webhook-Source", "https://shop.example.com/"},
                          {"X-WC-Webhook-Topic", "order.updated"},
                          {"X-WC-Webhook-Delivery-ID", delivery_id},
                          {"X-WC-Webhook-Signature", signature}});
    }

    std::vector<AuditEvent> audit(const std::string& flow) {
        store::AuditQuery query;
        query.flow = flow;
        auto events = store_.query_audit(query);
        EXPECT_TRUE(events.has_value());
        return events.value_or(std::vector<AuditEvent>{});
    }

    std::vector<std::pair<std::string, std::int64_t>> notified() {
        std::lock_guard lock(notified_mutex_);
        return notified_;
    }

    std::int64_t inbox_rows(const std::string& flow) {
        return store_.count_inbox(flow, false).value_or(-1);
    }

    ManualClock clock_;
    Metrics metrics_;
    CheckingStore store_;
    std::mutex secrets_mutex_;  // The secrets are read on server threads.
    std::string woo_secret_{kWooSecret};
    bool vault_down_ = false;
    int secret_reads_ = 0;     // How often the "vault" was read (guarded by secrets_mutex_).
    int secret_revision_ = 0;  // Bumped when a secret changes (guarded by secrets_mutex_).
    std::mutex notified_mutex_;
    std::vector<std::pair<std::string, std::int64_t>> notified_;
    std::atomic<int> answered_before_stored_{0};
    WebhookIntake intake_{WebhookIntakeDeps{
        .store = store_,
        .clock = clock_,
        .secrets = cached_webhook_secrets(
            [this](const std::string& flow, const std::string& source) {
                return secret_for(flow, source);
            },
            [this]() -> std::optional<std::string> {
                std::lock_guard lock(secrets_mutex_);
                return std::to_string(secret_revision_);
            }),
        .channels = {{"woocommerce",
                      std::make_shared<connectors::woocommerce::WooWebhookChannel>()},
                     {"shipstation",
                      std::make_shared<connectors::shipstation::ShipStationWebhookChannel>()}},
        .notify =
            [this](const std::string& flow, std::int64_t id) {
                std::lock_guard lock(notified_mutex_);
                notified_.emplace_back(flow, id);
            },
        .metrics = &metrics_,
        .logger = std::make_shared<spdlog::logger>(
            "intake", std::make_shared<spdlog::sinks::null_sink_mt>())}};
    Router router_;
    std::unique_ptr<HttpServer> server_;
};

TEST_F(WebhookFixture, ValidWooSignatureIsStoredBeforeThe200) {
    const std::string body(kOrderBody);
    auto response = post_woo(body, woocommerce_signature(kWooSecret, body), "abc123");
    ASSERT_TRUE(response);
    // Client side: the row is there the moment the 200 arrives.
    EXPECT_EQ(inbox_rows("woo-epicor"), 1);
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->body.find(R"("status":"stored")"), std::string::npos);

    const auto events = store_.appended();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].flow, "woo-epicor");
    EXPECT_EQ(events[0].source, "woocommerce");
    EXPECT_EQ(events[0].delivery_id, "abc123");
    EXPECT_EQ(events[0].topic, "order.updated");
    EXPECT_EQ(events[0].body, body);
    EXPECT_EQ(events[0].body_hash, sha256_hex(body));
    EXPECT_EQ(events[0].received_at, clock_.now());
    const auto woken = notified();
    ASSERT_EQ(woken.size(), 1u);
    EXPECT_EQ(woken[0], std::make_pair(std::string("woo-epicor"), events[0].id));
}

TEST_F(WebhookFixture, BadSignatureIs401NothingStoredAndAudited) {
    const std::string body(kOrderBody);
    auto response = post_woo(body, woocommerce_signature("wrong-secret", body));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 401);
    EXPECT_EQ(inbox_rows("woo-epicor"), 0);
    EXPECT_TRUE(notified().empty());

    const auto events = audit("woo-epicor");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, AuditAction::kReject);
    EXPECT_NE(events[0].detail.find("woocommerce"), std::string::npos);
    EXPECT_NE(events[0].detail.find("127.0.0.1"), std::string::npos);
    EXPECT_NE(events[0].detail.find("does not match"), std::string::npos);
    EXPECT_EQ(events[0].detail.find("a@example.com"), std::string::npos);  // Never the body.
    EXPECT_EQ(events[0].detail.find(kWooSecret), std::string::npos);       // Never the secret.
    EXPECT_EQ(metrics_.counter_value(
                  kWebhookEventsTotal,
                  {{"flow", "woo-epicor"}, {"source", "woocommerce"}, {"outcome", "rejected"}}),
              1u);
}

TEST_F(WebhookFixture, SignatureOverReencodedJsonIsRejected) {
    // Woo signs the bytes it sent (`\/` escapes included); a re-encoding must not verify.
    const std::string sent = R"({"id":1,"permalink":"https:\/\/shop.example.com\/?p=1"})";
    const std::string reencoded = R"({"id":1,"permalink":"https://shop.example.com/?p=1"})";
    auto response = post_woo(sent, woocommerce_signature(kWooSecret, reencoded));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 401);
}

TEST_F(WebhookFixture, MissingSignatureIs401) {
    auto response = http_call(server_->port(), "POST", "/hooks/woo-epicor/woocommerce",
                              std::string(kOrderBody), {{"X-WC-Webhook-Topic", "order.updated"}});
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 401);
    EXPECT_EQ(inbox_rows("woo-epicor"), 0);
}

TEST_F(WebhookFixture, DuplicateDeliveryIsAcknowledgedButStoredOnce) {
    const std::string body(kOrderBody);
    const std::string signature = woocommerce_signature(kWooSecret, body);
    auto first = post_woo(body, signature, "same-delivery");
    auto second = post_woo(body, signature, "same-delivery");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(second->status, 200);
    EXPECT_NE(second->body.find(R"("status":"duplicate")"), std::string::npos);
    EXPECT_EQ(inbox_rows("woo-epicor"), 1);
    EXPECT_EQ(notified().size(), 1u);
}

TEST_F(WebhookFixture, SameBodyWithoutDeliveryIdIsStoredOnce) {
    // ShipStation sends no delivery id: a redelivery is recognised by its body hash.
    const std::string body =
        R"({"resource_url":"https://ssapi.shipstation.com/shipments?batchId=77","resource_type":"SHIP_NOTIFY"})";
    const std::string target = "/hooks/ss-epicor/shipstation?token=" + std::string(kShipToken);
    auto first = http_call(server_->port(), "POST", target, body);
    auto again = http_call(server_->port(), "POST", target, body);
    ASSERT_TRUE(first && again);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(again->status, 200);
    EXPECT_NE(again->body.find(R"("status":"duplicate")"), std::string::npos);
    EXPECT_EQ(inbox_rows("ss-epicor"), 1);
    EXPECT_EQ(notified().size(), 1u);
}

TEST_F(WebhookFixture, OversizeDeliveryIs413AndNothingIsStored) {
    // The server's body limit (1 MiB by default) answers before the intake sees anything.
    const std::string body =
        R"({"pad":")" + std::string(HttpServerOptions{}.body_limit_bytes, 'x') + R"("})";
    auto response = post_woo(body, woocommerce_signature(kWooSecret, body));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(inbox_rows("woo-epicor"), 0);
    EXPECT_TRUE(store_.appended().empty());
    EXPECT_TRUE(notified().empty());
}

TEST_F(WebhookFixture, EntityEncodedSecretVerifiesSignatureMadeWithDecodedSecret) {
    {
        std::lock_guard lock(secrets_mutex_);
        woo_secret_ = "p&amp;ss&lt;1&gt;";  // As Woo stores it; it signs with "p&ss<1>".
        ++secret_revision_;
    }
    const std::string body(kOrderBody);
    const std::string signature = base64_encode(hmac_sha256("p&ss<1>", body));
    auto response = post_woo(body, signature);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(inbox_rows("woo-epicor"), 1);
}

// The secret is read once, not per delivery, and a rotation (the vault's revision moves) is used
// by the very next delivery: the old signature is refused from then on.
TEST_F(WebhookFixture, RotatedSecretIsUsedOnTheNextDelivery) {
    const std::string first = R"({"id":1})";
    const std::string second = R"({"id":2})";
    ASSERT_EQ(post_woo(first, woocommerce_signature(kWooSecret, first), "d-1")->status, 200);
    ASSERT_EQ(post_woo(second, woocommerce_signature(kWooSecret, second), "d-2")->status, 200);
    {
        std::lock_guard lock(secrets_mutex_);
        EXPECT_EQ(secret_reads_, 1);
        woo_secret_ = "rotated-s3cret";
        ++secret_revision_;
    }
    const std::string third = R"({"id":3})";
    auto old_signature = post_woo(third, woocommerce_signature(kWooSecret, third), "d-3");
    auto new_signature = post_woo(third, woocommerce_signature("rotated-s3cret", third), "d-3");
    ASSERT_TRUE(old_signature && new_signature);
    EXPECT_EQ(old_signature->status, 401);
    EXPECT_EQ(new_signature->status, 200);
    EXPECT_EQ(inbox_rows("woo-epicor"), 3);
}

// Group commit under load: deliveries from many connections at once are each stored exactly once
// with one receipt, each answered 200 only once its row is readable (checked on both sides: here
// and, for every answer, by the server-side check of the fixture), and a redelivery is a
// duplicate.
TEST_F(WebhookFixture, ConcurrentDeliveriesAreEachStoredOnceAndAnsweredAfterTheirRow) {
    constexpr int kClients = 8;
    constexpr int kPerClient = 4;
    std::atomic<int> stored{0};
    std::atomic<int> duplicates{0};
    std::atomic<int> unreadable{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            for (int n = 0; n < kPerClient; ++n) {
                const std::string body =
                    R"({"id":)" + std::to_string(c * 100 + n) + R"(,"status":"processing"})";
                const std::string id = "c" + std::to_string(c) + "-" + std::to_string(n);
                for (int attempt = 0; attempt < 2; ++attempt) {
                    auto response = post_woo(body, woocommerce_signature(kWooSecret, body), id);
                    if (!response || response->status != 200) continue;
                    if (!store_.holds_body(body)) ++unreadable;
                    const bool duplicate =
                        response->body.find(R"("status":"duplicate")") != std::string::npos;
                    ++(duplicate ? duplicates : stored);
                }
            }
        });
    }
    for (auto& client : clients) client.join();
    EXPECT_EQ(stored.load(), kClients * kPerClient);
    EXPECT_EQ(duplicates.load(), kClients * kPerClient);
    EXPECT_EQ(unreadable.load(), 0);
    EXPECT_EQ(inbox_rows("woo-epicor"), kClients * kPerClient);
    EXPECT_EQ(store_.appended().size(), static_cast<std::size_t>(kClients * kPerClient));
    std::size_t receipts = 0;
    for (const AuditEvent& event : audit("woo-epicor")) {
        receipts += event.action == AuditAction::kReceive && event.outcome == "ok" ? 1 : 0;
    }
    EXPECT_EQ(receipts, static_cast<std::size_t>(kClients * kPerClient));
}

TEST_F(WebhookFixture, WooPingIsAnsweredExactly200AndNotStored) {
    auto response =
        http_call(server_->port(), "POST", "/hooks/woo-epicor/woocommerce", "webhook_id=42",
                  {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(inbox_rows("woo-epicor"), 0);
    EXPECT_TRUE(notified().empty());
    const auto events = audit("woo-epicor");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].action, AuditAction::kReceive);
    EXPECT_EQ(events[0].outcome, "ping");
}

TEST_F(WebhookFixture, StoreFailureAnswers503AndNothingElse) {
    store_.fail_inbox = true;
    const std::string body(kOrderBody);
    auto response = post_woo(body, woocommerce_signature(kWooSecret, body));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);
    EXPECT_TRUE(notified().empty());
    store_.fail_inbox = false;
    EXPECT_EQ(inbox_rows("woo-epicor"), 0);
}

TEST_F(WebhookFixture, SecretProviderFailureAnswers503) {
    {
        std::lock_guard lock(secrets_mutex_);
        vault_down_ = true;
    }
    const std::string body(kOrderBody);
    auto response = post_woo(body, woocommerce_signature(kWooSecret, body));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);
    EXPECT_EQ(inbox_rows("woo-epicor"), 0);
}

TEST_F(WebhookFixture, ShipStationTokenInQueryOrHeaderIsStoredWithResourceTypeTopic) {
    const std::string body =
        R"({"resource_url":"https://ssapi.shipstation.com/shipments?batchId=123&includeShipmentItems=False","resource_type":"SHIP_NOTIFY"})";
    auto by_query =
        http_call(server_->port(), "POST",
                  "/hooks/ss-epicor/shipstation?token=" + std::string(kShipToken), body);
    ASSERT_TRUE(by_query);
    EXPECT_EQ(by_query->status, 200);

    const std::string other =
        R"({"resource_url":"https://ssapi6.shipstation.com/orders?importBatch=9","resource_type":"ORDER_NOTIFY"})";
    auto by_header = http_call(server_->port(), "POST", "/hooks/ss-epicor/shipstation", other,
                               {{"X-MLC-Token", std::string(kShipToken)}});
    ASSERT_TRUE(by_header);
    EXPECT_EQ(by_header->status, 200);

    const auto events = store_.appended();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].topic, "SHIP_NOTIFY");
    EXPECT_EQ(events[1].topic, "ORDER_NOTIFY");
    EXPECT_EQ(events[1].headers_json.find(kShipToken), std::string::npos);  // No secret stored.
    EXPECT_EQ(inbox_rows("ss-epicor"), 2);
}

TEST_F(WebhookFixture, ShipStationWrongOrMissingTokenIs401) {
    const std::string body = R"({"resource_url":"https://x","resource_type":"SHIP_NOTIFY"})";
    auto wrong =
        http_call(server_->port(), "POST", "/hooks/ss-epicor/shipstation?token=nope", body);
    auto missing = http_call(server_->port(), "POST", "/hooks/ss-epicor/shipstation", body);
    ASSERT_TRUE(wrong && missing);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(inbox_rows("ss-epicor"), 0);
    const auto events = audit("ss-epicor");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].detail.find("nope"), std::string::npos);  // Not even a wrong token.
}

TEST_F(WebhookFixture, UnconfiguredFlowIs401AndUnknownSourceIs404) {
    const std::string body(kOrderBody);
    auto unconfigured = http_call(server_->port(), "POST", "/hooks/other-flow/woocommerce", body,
                                  {{"X-WC-Webhook-Signature", "x"}});
    auto unknown = http_call(server_->port(), "POST", "/hooks/woo-epicor/magento", body);
    ASSERT_TRUE(unconfigured && unknown);
    EXPECT_EQ(unconfigured->status, 401);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_TRUE(store_.appended().empty());
}

TEST(WooCommercePing, NeedsFormBodyAndNoWooHeaders) {
    HttpRequest ping;
    ping.body = "webhook_id=12";
    EXPECT_TRUE(is_woocommerce_ping(ping));
    HttpRequest with_header = ping;
    with_header.headers.emplace_back("X-WC-Webhook-Topic", "order.updated");
    EXPECT_FALSE(is_woocommerce_ping(with_header));
    HttpRequest json;
    json.body = R"({"webhook_id":12})";
    EXPECT_FALSE(is_woocommerce_ping(json));
}

TEST(WooWebhookChannel, RefusesAWrongSignatureAndAcceptsTheRightOne) {
    const connectors::woocommerce::WooWebhookChannel channel;
    HttpRequest request;
    request.body = std::string(kOrderBody);
    request.headers = {{"X-WC-Webhook-Signature", woocommerce_signature("other", request.body)},
                       {"X-WC-Webhook-Topic", "order.created"},
                       {"X-WC-Webhook-Delivery-ID", " 77 "}};
    const auto wrong = channel.verify(request, kWooSecret);
    EXPECT_FALSE(wrong.ok);
    EXPECT_EQ(wrong.why, "X-WC-Webhook-Signature does not match the body");
    set_header(request.headers, "X-WC-Webhook-Signature",
               woocommerce_signature(kWooSecret, request.body));
    EXPECT_TRUE(channel.verify(request, kWooSecret).ok);
    EXPECT_EQ(channel.topic(request), "order.created");
    EXPECT_EQ(channel.delivery_id(request), "77");
    EXPECT_FALSE(channel.is_ping(request));
}

TEST(ShipStationWebhookChannel, RefusesABadTokenAndNeverStoresItsHeader) {
    const connectors::shipstation::ShipStationWebhookChannel channel;
    HttpRequest request;
    request.url = "/hooks/ss-epicor/shipstation?token=bad";
    request.body = R"({"resource_url":"https://x","resource_type":"ORDER_NOTIFY"})";
    const auto bad = channel.verify(request, kShipToken);
    EXPECT_FALSE(bad.ok);
    EXPECT_EQ(bad.why, "wrong token");
    EXPECT_EQ(bad.why.find("bad"), std::string::npos);
    request.url = "/hooks/ss-epicor/shipstation";
    EXPECT_FALSE(channel.verify(request, kShipToken).ok);
    request.headers = {{"x-mlc-token", std::string(kShipToken)}};
    EXPECT_TRUE(channel.verify(request, kShipToken).ok);
    EXPECT_EQ(channel.topic(request), "ORDER_NOTIFY");
    EXPECT_EQ(channel.delivery_id(request), "");
    EXPECT_EQ(channel.secret_headers(), std::vector<std::string>{"X-MLC-Token"});
}

// A vendor the intake has never heard of: accepts the header X-Acme-Key equal to the secret.
class AcmeChannel final : public net::WebhookChannel {
  public:
    std::string source() const override { return "acme"; }
    std::string label() const override { return "Acme"; }
    net::WebhookVerdict verify(const HttpRequest& request, std::string_view secret) const override {
        const auto key = find_header(request.headers, "X-Acme-Key");
        if (key && *key == secret) return {.ok = true, .why = {}};
        return {.ok = false, .why = "no Acme key"};
    }
    std::string topic(const HttpRequest&) const override { return "acme.thing"; }
    std::string delivery_id(const HttpRequest& request) const override {
        return std::string(find_header(request.headers, "X-Acme-Id").value_or(""));
    }
    std::vector<std::string> secret_headers() const override { return {"X-Acme-Key"}; }
};

TEST(WebhookIntakeRouting, RoutesToTheRegisteredChannelAndAnswers404ForOthers) {
    ManualClock clock;
    auto opened = store::SqliteStateStore::open(":memory:");
    ASSERT_TRUE(opened);
    store::StateStore& store = **opened;
    net::WebhookChannels channels;
    net::add_channel(channels, std::make_shared<AcmeChannel>());
    WebhookIntake intake(WebhookIntakeDeps{
        .store = store,
        .clock = clock,
        .secrets = [](const std::string&,
                      const std::string& source) -> Result<std::optional<std::string>> {
            if (source == "acme") return std::optional<std::string>("k1");
            return std::optional<std::string>{};
        },
        .channels = channels,
        .logger = std::make_shared<spdlog::logger>(
            "intake", std::make_shared<spdlog::sinks::null_sink_mt>())});
    HttpRequest request;
    request.method = "POST";
    request.body = R"({"thing":1})";
    request.headers = {{"X-Acme-Key", "k1"}, {"X-Acme-Id", "a-9"}};
    EXPECT_EQ(intake.handle(request, "f", "acme").status, 200);
    auto leased = store.lease_inbox("f", "t", clock.now(), std::chrono::seconds{60}, 10);
    ASSERT_TRUE(leased);
    ASSERT_EQ(leased->size(), 1u);
    EXPECT_EQ(leased->front().source, "acme");
    EXPECT_EQ(leased->front().topic, "acme.thing");
    EXPECT_EQ(leased->front().delivery_id, "a-9");
    EXPECT_EQ(leased->front().headers_json.find("k1"), std::string::npos);

    set_header(request.headers, "X-Acme-Key", "k2");
    const HttpResponse refused = intake.handle(request, "f", "acme");
    EXPECT_EQ(refused.status, 401);
    EXPECT_NE(refused.body.find("no Acme key"), std::string::npos);
    // The intake knows no vendor by name: without its channel, Woo is not served.
    const HttpResponse unknown = intake.handle(request, "f", "woocommerce");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_NE(unknown.body.find("/hooks/<flow>/acme"), std::string::npos);
}

}  // namespace
}  // namespace mlc::net
