// `mlc webhooks list` and `mlc webhooks enable` as a user runs them: `mlc sandbox` (Epicor +
// WooCommerce) as a child process, a woocommerce-to-epicor-orders flow in mlc.yaml, one of its
// webhooks disabled in the store (as Woo does after repeated failed deliveries), then the built
// binary (MLC_BINARY) lists and re-enables it, asking first.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cli/testing/cli_child.hpp"

namespace {

namespace json = boost::json;

using mlc::cli::testing::single_quoted;
using mlc::cli::testing::slurp;

constexpr const char* kFlow = "shop-orders";
// Where the flow's daemon would listen; nothing does here, so Woo's creation pings fail harmlessly.
constexpr const char* kDeliveryUrl = "http://127.0.0.1:9/hooks/shop-orders/woocommerce";

class MlcWebhooksCli : public mlc::cli::testing::SandboxCliTest {
  protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(start("epicor,woocommerce", "4", "10"));
        const json::object& ports = ports_;
        const auto& ep = ports.at("epicor").as_object();
        const auto& woo = ports.at("woocommerce").as_object();
        site_ = std::string(woo.at("site_url").as_string());
        set_secret("ep_key", ep.at("api_key"));
        set_secret("ep_user", ep.at("username"));
        set_secret("ep_password", ep.at("password"));
        set_secret("woo_key", woo.at("consumer_key"));
        set_secret("woo_secret", woo.at("consumer_secret"));
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\n"
               "store: {path: ./mlc-state.db}\n"
               "connections:\n"
               "  ep:\n"
               "    system: epicor\n"
               "    base_url: "
            << std::string(ep.at("base_url").as_string())
            << "\n"
               "    options: {company: "
            << std::string(ep.at("company").as_string())
            << "}\n"
               "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n"
               "  shop:\n"
               "    system: woocommerce\n"
               "    base_url: "
            << site_
            << "\n"
               "    secrets: {consumer_key: woo_key, consumer_secret: woo_secret}\n"
               "flows:\n"
               "  shop-orders:\n"
               "    recipe: woocommerce-to-epicor-orders\n"
               "    connections: {source: shop, target: ep}\n"
               "    options: {customer: C00001}\n"
               "  beat:\n"
               "    recipe: heartbeat\n";
    }
    // A webhook made on the store's admin screen (the sandbox's control route), as the flow's.
    void add_store_webhook(const std::string& topic, const std::string& status) {
        const json::object body{{"topic", topic},
                                {"delivery_url", kDeliveryUrl},
                                {"status", status},
                                {"secret", "s3cret"}};
        const std::string command = "curl -s -o /dev/null -w '%{http_code}' -X POST -H " +
                                    single_quoted("Content-Type: application/json") + " -d " +
                                    single_quoted(json::serialize(body)) + " " +
                                    single_quoted(site_ + "/__sandbox/webhooks") + " > " +
                                    single_quoted((dir_ / "curl.txt").string());
        ASSERT_EQ(std::system(command.c_str()), 0);
        ASSERT_EQ(slurp(dir_ / "curl.txt"), "201");
    }

    std::string site_;
};

TEST_F(MlcWebhooksCli, ListSaysWhenAFlowHasNoWebhooksYet) {
    const auto list = mlc("webhooks list");
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("shop-orders: no WooCommerce webhooks registered"), std::string::npos)
        << list.out;
}

TEST_F(MlcWebhooksCli, EnableAsksFirstAndSetsADisabledWebhookActiveAgain) {
    ASSERT_NO_FATAL_FAILURE(add_store_webhook("order.created", "disabled"));
    ASSERT_NO_FATAL_FAILURE(add_store_webhook("order.updated", "active"));
    const auto listed = mlc("webhooks list shop-orders");
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find("order.created  disabled  " + std::string(kDeliveryUrl)),
              std::string::npos)
        << listed.out;
    EXPECT_NE(listed.out.find("order.updated  active"), std::string::npos) << listed.out;

    // Declined: nothing changes, and the exit code says so.
    const auto declined = mlc("webhooks enable shop-orders", "n\n");
    EXPECT_EQ(declined.exit_code, 1) << declined.out << declined.err;
    EXPECT_NE(declined.out.find("order.created  disabled"), std::string::npos) << declined.out;
    EXPECT_NE(declined.err.find("nothing changed"), std::string::npos) << declined.err;
    EXPECT_NE(mlc("webhooks list shop-orders").out.find("disabled"), std::string::npos);

    const auto confirmed = mlc("webhooks enable shop-orders", "y\n");
    EXPECT_EQ(confirmed.exit_code, 0) << confirmed.out << confirmed.err;
    EXPECT_NE(confirmed.out.find("order.created  now active"), std::string::npos) << confirmed.out;
    const auto after = mlc("webhooks list shop-orders");
    EXPECT_EQ(after.out.find("disabled"), std::string::npos) << after.out;

    const auto again = mlc("webhooks enable shop-orders --yes");
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("every WooCommerce webhook is active; nothing to do"),
              std::string::npos)
        << again.out;
}

TEST_F(MlcWebhooksCli, AnUnknownFlowOrOneWithoutAWebhookSourceIsAConfigError) {
    const auto unknown = mlc("webhooks enable nope --yes");
    EXPECT_EQ(unknown.exit_code, 2) << unknown.out << unknown.err;
    EXPECT_NE(unknown.err.find("no flow named 'nope'"), std::string::npos) << unknown.err;
    const auto other = mlc("webhooks list beat");
    EXPECT_EQ(other.exit_code, 2) << other.out << other.err;
    EXPECT_NE(other.err.find("flow beat: names no source connection, so it receives no webhooks"),
              std::string::npos)
        << other.err;
}

}  // namespace
