// Track Alert against the UPS emulator in process: subscriptions of at most 100 numbers with
// UPS's answer of valid and invalid ones, pushes verified by UPS's User-Agent and the portal
// credential (x-api-key) and refused otherwise, and a push read into the same tracking event the
// Tracking details give.
#include "connectors/ups/ups_track_alert.hpp"

#include <gtest/gtest.h>

#include "connectors/ups/ups_shipments.hpp"
#include "connectors/ups/ups_test_fixture.hpp"

namespace mlc::connectors::ups {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr std::string_view kReceiver = "http://receiver.test";
constexpr std::string_view kCredential = "7f3a9c2e-push-credential-from-the-portal";

class TrackAlertTest : public testing::UpsFixture {
  protected:
    TrackAlertTest()
        : tokens_(credentials()), client_(client(*tokens_)), target_(*client_, shipper(), nullptr) {
        transport_.add_route(std::string(kReceiver), [this](const net::HttpRequest& request) {
            pushes_.push_back(request);
            return net::HttpResponse{.status = 200, .headers = {}, .body = {}};
        });
    }
    void portal(std::string_view credential) {
        const auto answer = control(
            "POST", "trackalert/webhook",
            json::serialize(json::object{{"url", std::string(kReceiver) + "/hooks/ship/ups"},
                                         {"credential", credential}}));
        ASSERT_EQ(answer.status, 200) << answer.body;
    }
    std::string ship(const std::string& reference) {
        auto id = target_.create(draft(reference));
        EXPECT_TRUE(id) << id.error().describe();
        return id ? *id : std::string();
    }

    std::unique_ptr<auth::TokenManager> tokens_;
    std::unique_ptr<UpsClient> client_;
    ShipmentsTarget target_;
    std::vector<net::HttpRequest> pushes_;
    TrackAlertChannel channel_;
};

TEST_F(TrackAlertTest, SubscribesAtMost100NumbersAndSaysWhichUpsTook) {
    portal(kCredential);
    const std::string number = ship("5012-1-1");
    auto answer = client_->subscribe_track_alert({number, "1Z12345678$"});
    ASSERT_TRUE(answer) << answer.error().describe();
    EXPECT_EQ(answer->valid, std::vector<std::string>{number});
    EXPECT_EQ(answer->invalid, std::vector<std::string>{"1Z12345678$"});
    // None valid (VSS210): every number invalid, not an error.
    auto none = client_->subscribe_track_alert({"1Z12345678$"});
    ASSERT_TRUE(none) << none.error().describe();
    EXPECT_TRUE(none->valid.empty());
    EXPECT_EQ(none->invalid.size(), 1u);
    // 101 numbers are refused before any call.
    const int calls = recording_.count("/subscription/");
    auto many = client_->subscribe_track_alert(std::vector<std::string>(101, number));
    ASSERT_FALSE(many);
    EXPECT_EQ(many.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(recording_.count("/subscription/"), calls);
}

TEST_F(TrackAlertTest, WithoutThePortalsPushSettingsTheErrorNamesWhereToSetThem) {
    auto answer = client_->subscribe_track_alert({ship("5012-1-1")});
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, ErrorCode::kConfig);
    EXPECT_NE(answer.error().message.find("Manage Webhook Credentials"), std::string::npos)
        << answer.error().message;
}

TEST_F(TrackAlertTest, PushesVerifyWithThePortalCredentialAndReadAsTheTrackingDetails) {
    portal(kCredential);
    const std::string number = ship("5012-1-1");
    ASSERT_TRUE(client_->subscribe_track_alert({number}));
    clock_.advance(9h);  // The origin scan.
    host_.tick_all();
    ASSERT_EQ(pushes_.size(), 1u);
    const net::HttpRequest& push = pushes_[0];
    EXPECT_TRUE(channel_.verify(push, kCredential).ok);
    EXPECT_EQ(channel_.topic(push), kTrackAlertTopic);

    auto read = parse_track_alert_push(push.body);
    ASSERT_TRUE(read) << read.error().describe();
    auto details = client_->track_package(number);
    ASSERT_TRUE(details && *details);
    model::TrackingEvent from_push = tracking_event(*read);
    model::TrackingEvent from_details = tracking_event(**details);
    from_details.reference.clear();  // A push names no reference (the receiver knows it).
    EXPECT_EQ(from_push, from_details);
    EXPECT_EQ(from_push.status_code, "I");

    // Delivered: the same again, with the delivery time.
    ASSERT_EQ(control("POST", "packages/" + number + "/deliver").status, 200);
    host_.tick_all();
    auto delivered = parse_track_alert_push(pushes_.back().body);
    ASSERT_TRUE(delivered) << delivered.error().describe();
    details = client_->track_package(number);
    ASSERT_TRUE(details && *details);
    from_details = tracking_event(**details);
    from_details.reference.clear();
    EXPECT_EQ(tracking_event(*delivered), from_details);
    ASSERT_TRUE(delivered->delivered_at);
}

TEST_F(TrackAlertTest, APushWithoutUpsCredentialsIsRefusedSayingWhatIsMissing) {
    portal(kCredential);
    const std::string number = ship("5012-1-1");
    ASSERT_TRUE(client_->subscribe_track_alert({number}));
    clock_.advance(9h);
    host_.tick_all();
    ASSERT_EQ(pushes_.size(), 1u);
    net::HttpRequest forged = pushes_[0];
    EXPECT_FALSE(channel_.verify(forged, "another-flows-credential").ok);
    forged.headers = {{"Content-Type", "application/json"},
                      {"User-Agent", std::string(kTrackAlertUserAgent)}};
    const net::WebhookVerdict missing = channel_.verify(forged, kCredential);
    EXPECT_FALSE(missing.ok);
    EXPECT_NE(missing.why.find("x-api-key"), std::string::npos);
    forged.headers = {{"User-Agent", "curl/8.0"}, {"x-api-key", std::string(kCredential)}};
    EXPECT_FALSE(channel_.verify(forged, kCredential).ok) << "not UPS's User-Agent";
    EXPECT_FALSE(channel_.verify(pushes_[0], "").ok) << "no secret configured: refused";
}

TEST_F(TrackAlertTest, AMalformedPushIsInvalidInputNamingWhatIsMissing) {
    auto no_number = parse_track_alert_push(R"({"activityStatus":{"type":"I"}})");
    ASSERT_FALSE(no_number);
    EXPECT_EQ(no_number.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(no_number.error().message.find("trackingNumber"), std::string::npos);
    auto no_time = parse_track_alert_push(
        R"({"trackingNumber":"1ZCIETST0111111114","activityStatus":{"type":"I","code":"OR"}})");
    ASSERT_FALSE(no_time);
    EXPECT_NE(no_time.error().message.find("gmtActivity"), std::string::npos);
}

}  // namespace
}  // namespace mlc::connectors::ups
