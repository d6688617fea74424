// ShipmentsTarget against the UPS emulator in process: ship, labels, the lost answer found by
// reference (never a second label) and its labels recovered, void.
#include "connectors/ups/ups_shipments.hpp"

#include <gtest/gtest.h>

#include <set>

#include "connectors/ups/ups_test_fixture.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::connectors::ups {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kShipPath = "/api/shipments/v2409/ship";
constexpr std::string_view kRecoveryPath = "/api/labels/v1/recovery";

class ShipmentsTargetTest : public testing::UpsFixture {
  protected:
    ShipmentsTargetTest()
        : tokens_(credentials()),
          client_(client(*tokens_)),
          target_(*client_, shipper(), [this](const LabelFile& label) -> Result<void> {
              if (sink_fails_) return make_error(ErrorCode::kStorage, "labels", "disk full");
              labels_.push_back(label);
              return ok();
          }) {}

    std::unique_ptr<auth::TokenManager> tokens_;
    std::unique_ptr<UpsClient> client_;
    ShipmentsTarget target_;
    std::vector<LabelFile> labels_;
    bool sink_fails_ = false;
};

TEST_F(ShipmentsTargetTest, ShipAnswersAValid1ZNumberAndTheLabelReachesTheSink) {
    auto id = target_.create(draft("5012-1-1"));

    ASSERT_TRUE(id) << id.error().describe();
    EXPECT_TRUE(id->starts_with("1Z" + text("account_number") + "03"));
    EXPECT_TRUE(sandbox::ups::is_valid_tracking_number(*id)) << *id;
    ASSERT_EQ(labels_.size(), 1u);
    EXPECT_EQ(labels_[0].reference, "5012-1-1");
    EXPECT_EQ(labels_[0].order_number, "5012");
    EXPECT_EQ(labels_[0].tracking_number, *id);
    EXPECT_EQ(labels_[0].package, 1u);
    EXPECT_EQ(labels_[0].format, "ZPL");
    EXPECT_TRUE(labels_[0].bytes.starts_with("^XA")) << labels_[0].bytes;  // Decoded, not base64.
    EXPECT_NE(labels_[0].bytes.find(*id), std::string::npos);
    EXPECT_EQ(target_.ref(*id), "ups:shipment:" + *id);
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 1);
}

TEST_F(ShipmentsTargetTest, EveryPackageGetsItsLabelAndTheFirstPackageIsTheShipmentId) {
    auto id = target_.create(draft("5012-2-1", 3));

    ASSERT_TRUE(id) << id.error().describe();
    ASSERT_EQ(labels_.size(), 3u);
    EXPECT_EQ(labels_[0].tracking_number, *id);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(labels_[i].package, i + 1);
        EXPECT_TRUE(sandbox::ups::is_valid_tracking_number(labels_[i].tracking_number));
    }
    EXPECT_NE(labels_[1].tracking_number, labels_[2].tracking_number);
    auto found = target_.find_by_source("5012-2-1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ(**found, *id);
}

TEST_F(ShipmentsTargetTest, GifLabelsArriveAsImageBytes) {
    UpsShipmentDraft gif = draft("5012-3-1");
    gif.label_format = "GIF";
    ASSERT_TRUE(target_.create(gif));
    ASSERT_EQ(labels_.size(), 1u);
    EXPECT_EQ(labels_[0].format, "GIF");
    EXPECT_TRUE(labels_[0].bytes.starts_with("GIF89a"));
}

TEST_F(ShipmentsTargetTest, AShipmentIsFoundByItsReferenceAndAnUnknownReferenceIsNot) {
    auto id = target_.create(draft("5012-1-1"));
    ASSERT_TRUE(id);

    auto found = target_.find_by_source("5012-1-1");
    auto missing = target_.find_by_source("5099-1-1");

    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(*found);
    EXPECT_EQ(**found, *id);
    ASSERT_TRUE(missing) << missing.error().describe();
    EXPECT_FALSE(*missing);
}

TEST_F(ShipmentsTargetTest, AShipWhoseAnswerIsLostIsFoundByReferenceAndItsLabelRecovered) {
    ASSERT_TRUE(client_->validate(draft("x").ship_to));  // The token first, as in a run.
    recording_.lose(std::string(kShipPath));

    auto lost = target_.create(draft("5012-1-1"));

    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, ErrorCode::kTransient);
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 1);  // A POST is not repeated blindly.
    EXPECT_TRUE(labels_.empty());                            // That label was lost with the answer.
    // What the pipeline does with the pending binding next: look it up before anything else,
    // then complete it, which recovers the label.
    auto found = target_.find_by_source("5012-1-1");
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(*found);
    EXPECT_TRUE(sandbox::ups::is_valid_tracking_number(**found));
    auto completed = target_.update(**found, draft("5012-1-1"));
    ASSERT_TRUE(completed) << completed.error().describe();
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 1);
    EXPECT_EQ(state().at("shipments").as_int64(), 1);
    EXPECT_EQ(recording_.count(std::string(kRecoveryPath)), 1);
    ASSERT_EQ(labels_.size(), 1u);
    EXPECT_EQ(labels_[0].reference, "5012-1-1");
    EXPECT_EQ(labels_[0].order_number, "5012");
    EXPECT_EQ(labels_[0].tracking_number, **found);
    EXPECT_EQ(labels_[0].package, 1u);
    EXPECT_EQ(labels_[0].format, "ZPL");
    EXPECT_TRUE(labels_[0].bytes.starts_with("^XA")) << labels_[0].bytes;
    EXPECT_NE(labels_[0].bytes.find(**found), std::string::npos);
}

TEST_F(ShipmentsTargetTest, EveryPackageOfALostShipGetsItsOwnLabelBackInOrder) {
    ASSERT_TRUE(client_->validate(draft("x").ship_to));
    recording_.lose(std::string(kShipPath));
    ASSERT_FALSE(target_.create(draft("5012-2-1", 3)));

    auto found = target_.find_by_source("5012-2-1");
    ASSERT_TRUE(found && *found);
    ASSERT_TRUE(target_.update(**found, draft("5012-2-1", 3)));

    EXPECT_EQ(recording_.count(std::string(kRecoveryPath)), 3);
    ASSERT_EQ(labels_.size(), 3u);
    EXPECT_EQ(labels_[0].tracking_number, **found);
    std::set<std::string> numbers;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(labels_[i].package, i + 1);
        EXPECT_NE(labels_[i].bytes.find(labels_[i].tracking_number), std::string::npos);
        numbers.insert(labels_[i].tracking_number);
    }
    EXPECT_EQ(numbers.size(), 3u);
    EXPECT_EQ(state().at("shipments").as_int64(), 1);
}

TEST_F(ShipmentsTargetTest, ARecoveryUpsKeepsRefusingIsARetryableErrorNeverASecondShip) {
    ASSERT_TRUE(client_->validate(draft("x").ship_to));
    recording_.lose(std::string(kShipPath));
    ASSERT_FALSE(target_.create(draft("5012-1-1")));
    auto found = target_.find_by_source("5012-1-1");
    ASSERT_TRUE(found && *found);
    ASSERT_EQ(control("POST", "throttle", R"({"count": 50})").status, 200);

    auto failed = target_.update(**found, draft("5012-1-1"));

    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kRateLimited);
    EXPECT_NE(next_action(failed.error().code), NextAction::kPark) << "retried, not parked";
    EXPECT_NE(failed.error().message.find("5012-1-1"), std::string::npos);
    EXPECT_NE(failed.error().message.find(**found), std::string::npos);
    EXPECT_NE(failed.error().message.find("not shipped again"), std::string::npos);
    EXPECT_TRUE(labels_.empty());
    // The next run: found again by reference (a new target, nothing remembered), label recovered.
    ASSERT_EQ(control("POST", "throttle", R"({"count": 0})").status, 200);
    ShipmentsTarget next(*client_, shipper(), [this](const LabelFile& label) -> Result<void> {
        labels_.push_back(label);
        return ok();
    });
    auto again = next.find_by_source("5012-1-1");
    ASSERT_TRUE(again && *again);
    EXPECT_EQ(**again, **found);
    ASSERT_TRUE(next.update(**again, draft("5012-1-1")));
    EXPECT_EQ(labels_.size(), 1u);
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 1);
}

TEST_F(ShipmentsTargetTest, ALabelUpsHasNoMoreIsRejectedNamingThePackageAndTheReprint) {
    auto id = target_.create(draft("5012-1-1"));
    ASSERT_TRUE(id);
    ASSERT_TRUE(client_->void_shipment(*id));  // Gone at UPS: no label to recover.

    auto refused = target_.update(*id, draft("5012-1-1"));

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
    EXPECT_NE(refused.error().message.find("package " + *id), std::string::npos);
    EXPECT_NE(refused.error().message.find("reprint"), std::string::npos);
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 1);
}

TEST_F(ShipmentsTargetTest, AShipThrottledWith10429IsSentAgainBecauseUpsRefusedItUnapplied) {
    ASSERT_TRUE(client_->validate(draft("x").ship_to));
    ASSERT_EQ(control("POST", "throttle", R"({"count": 1})").status, 200);

    auto id = target_.create(draft("5012-1-1"));

    ASSERT_TRUE(id) << id.error().describe();
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 2);
    EXPECT_EQ(state().at("shipments").as_int64(), 1);
}

TEST_F(ShipmentsTargetTest, ALabelTheSinkCannotStoreFailsTheCreateButTheShipmentIsFoundLater) {
    sink_fails_ = true;
    auto failed = target_.create(draft("5012-1-1"));

    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::kStorage);
    EXPECT_NE(failed.error().message.find("5012-1-1"), std::string::npos);
    EXPECT_NE(failed.error().message.find("recovers its labels"), std::string::npos);
    // The next run finds it (the create's binding is pending) and recovers the label.
    sink_fails_ = false;
    auto found = target_.find_by_source("5012-1-1");
    ASSERT_TRUE(found && *found);
    ASSERT_TRUE(target_.update(**found, draft("5012-1-1")));
    ASSERT_EQ(labels_.size(), 1u);
    EXPECT_EQ(labels_[0].tracking_number, **found);
    EXPECT_EQ(state().at("shipments").as_int64(), 1);
}

TEST_F(ShipmentsTargetTest, CloseVoidsTheShipmentAndAVoidedShipmentIsNotFoundByReference) {
    auto id = target_.create(draft("5012-1-1", 2));
    ASSERT_TRUE(id);

    auto voided = target_.close(*id);

    ASSERT_TRUE(voided) << voided.error().describe();
    auto package = client_->track_package(*id);
    ASSERT_TRUE(package && *package);
    EXPECT_TRUE((*package)->voided);
    auto found = target_.find_by_source("5012-1-1");
    ASSERT_TRUE(found);
    EXPECT_FALSE(*found);
    // A repeat (the void's answer lost) is done, not an error.
    EXPECT_TRUE(target_.close(*id));
}

TEST_F(ShipmentsTargetTest, AShipmentUpsAlreadyHasCannotBeVoidedAndSaysWhy) {
    auto id = target_.create(draft("5012-1-1"));
    ASSERT_TRUE(id);
    clock_.advance(9h);  // The origin scan (label + 8 h).

    auto refused = target_.close(*id);

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
    EXPECT_NE(refused.error().message.find("origin scan"), std::string::npos);
}

TEST_F(ShipmentsTargetTest, BadDraftsAreRefusedBeforeAnythingIsSentNamingTheRecord) {
    UpsShipmentDraft none = draft("5012-1-1", 0);
    auto refused = target_.create(none);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(refused.error().message.find("5012-1-1"), std::string::npos);
    EXPECT_EQ(recording_.count(std::string(kShipPath)), 0);
}

TEST_F(ShipmentsTargetTest, ServiceUpsRefusesIsRejectedNamingTheMappingToFix) {
    UpsShipmentDraft wrong = draft("5012-1-1");
    wrong.service_code = "65";  // Saver: international only.

    auto refused = target_.create(wrong);

    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
    EXPECT_NE(refused.error().message.find("shipment 5012-1-1"), std::string::npos);
    EXPECT_NE(refused.error().message.find("service code"), std::string::npos);
}

TEST_F(ShipmentsTargetTest, DescribeSaysWhatADryRunWouldShip) {
    const std::string line = target_.describe(draft("5012-1-1", 2));
    EXPECT_EQ(line,
              "UPS service 03 to Pat Buyer (Buyer Co), LOS ANGELES CA 90012-4801, 2 packages, "
              "24.5 lb, reference 5012-1-1, order 5012, ZPL label");
    EXPECT_FALSE(target_.updates());
    EXPECT_TRUE(target_.searchable_by_source());
}

}  // namespace
}  // namespace mlc::connectors::ups
