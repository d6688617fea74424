// SIGKILL during inbox processing loses and duplicates nothing: a separate worker process
// (orders_crash_worker.cpp) drains the flow's inbox against the emulators served over HTTP, and is
// killed by the Epicor server at a random request (before or after Epicor applied it), then
// started again with its clock past the inbox lease, until one run finishes.
#include <gtest/gtest.h>

#include <random>

#include "flows/epicor_woocommerce/orders_test_fixture.hpp"
#include "flows/testing/kill_switch.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
using flows::testing::KillingServer;
using testing::kFlow;

constexpr int kOrders = 12;
constexpr int kRestartsMax = 40;  // Each restart makes progress; 12 orders need far fewer.
constexpr std::chrono::hours kAttemptStep{24};
static_assert(kAttemptStep > std::chrono::seconds(300));  // The inbox lease.

class WooOrdersCrashTest : public ::testing::Test, public testing::WooOrdersFixture {};

std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? std::string() : url.substr(slash);
}

TEST_F(WooOrdersCrashTest, SigkillWhileDrainingTheInboxLosesAndDuplicatesNothing) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));  // Registers the webhooks.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < kOrders; ++i) {
        ids.push_back(checkout({{sku(i % 9), 1 + i % 3}, {sku(10 + i % 9), 1}}));
    }
    deliver_all();
    ASSERT_GE(store_->count_inbox(std::string(kFlow), false).value(), kOrders);

    KillingServer woo_server(host_, "woocommerce");
    KillingServer epicor_server(host_, "epicor");
    ASSERT_TRUE(woo_server.start());
    ASSERT_TRUE(epicor_server.start());
    const std::string epicor_url =
        epicor_server.base_url() + path_of(std::string(epicor_info_.at("base_url").as_string()));

    std::mt19937 rng(20251123);
    int clean_exits = 0;
    for (int attempt = 0; attempt < kRestartsMax && clean_exits == 0; ++attempt) {
        // Each worker's ManualClock also moves with its own rate-limit and retry waits, so the
        // next one starts a whole day later: every lease a killed worker held has expired.
        const UtcTime now = clock_.now() + kAttemptStep * (attempt + 1);
        std::vector<std::string> args = {MLC_WOO_ORDERS_WORKER,
                                         "--store",
                                         store_path_,
                                         "--flow",
                                         std::string(kFlow),
                                         "--now",
                                         format_iso8601(now),
                                         "--woo",
                                         woo_server.base_url(),
                                         "--woo-key",
                                         std::string(woo_info_.at("consumer_key").as_string()),
                                         "--woo-secret",
                                         std::string(woo_info_.at("consumer_secret").as_string()),
                                         "--epicor",
                                         epicor_url,
                                         "--company",
                                         std::string(epicor_info_.at("company").as_string()),
                                         "--api-key",
                                         std::string(epicor_info_.at("api_key").as_string()),
                                         "--user",
                                         std::string(epicor_info_.at("username").as_string()),
                                         "--password",
                                         std::string(epicor_info_.at("password").as_string()),
                                         "--customer",
                                         std::string(testing::kWebCustomer)};
        const pid_t child = flows::testing::spawn_child(std::move(args));
        ASSERT_GT(child, 0);
        // The last attempts run without a kill so the test always ends.
        if (attempt < kRestartsMax - 5) {
            epicor_server.arm(child, std::uniform_int_distribution<int>(1, 40)(rng),
                              std::uniform_int_distribution<int>(0, 1)(rng) != 0);
        }
        const int status = flows::testing::wait_child(child);
        epicor_server.disarm();
        if (status >= 0) {
            ASSERT_EQ(status, 0) << "the worker failed on attempt " << attempt;
            ++clean_exits;
        }
    }
    ASSERT_EQ(clean_exits, 1);
    EXPECT_GE(epicor_server.kills(), 1) << "no kill landed: the test proved nothing";
    std::cout << "[ info ] worker SIGKILLed " << epicor_server.kills()
              << " times before a clean drain\n";

    EXPECT_EQ(store_->count_inbox(std::string(kFlow), false).value(), 0);
    const auto orders = epicor_orders();
    for (std::int64_t id : ids) {
        const std::string key = "WOO-" + std::to_string(id);
        ASSERT_TRUE(orders.contains(key)) << key << " lost";
        EXPECT_EQ(orders.at(key).size(), 1u) << key << " duplicated";
    }
    EXPECT_EQ(orders.size(), ids.size());
    // Every order complete: a create cut short between header and lines was completed.
    for (const auto& [key, nums] : orders) {
        auto got = epicor_->get_order(nums.front());
        ASSERT_TRUE(got) << got.error().describe();
        EXPECT_EQ(got->order.lines.size(), 2u) << key;
    }
}

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce
