// `mlc settlements list` and `mlc settlements show ID` as a finance user runs them: `mlc sandbox`
// (Amazon + Epicor) as a child process, an amazon-settlements-to-epicor flow in mlc.yaml, Amazon
// closing two settlements (the second with a fee type the GL table does not map), one
// `mlc sync --once`, then the built binary lists both (one posted, one HELD naming the type) and
// shows the posted one's grouping, accounts and check, and the held one's reason.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cli/testing/cli_child.hpp"
#include "common/clock.hpp"
#include "common/time.hpp"

namespace {

namespace json = boost::json;

using mlc::cli::testing::single_quoted;
using mlc::cli::testing::slurp;

class MlcSettlementsCli : public mlc::cli::testing::SandboxCliTest {
  protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(start("amazon,epicor", "11", "20"));
        const auto& amz = ports_.at("amazon").as_object();
        const auto& ep = ports_.at("epicor").as_object();
        const auto text = [](const json::object& o, const char* key) {
            return std::string(o.at(key).as_string());
        };
        amazon_url_ = text(amz, "base_url");
        for (const char* name : {"client_id", "client_secret", "refresh_token"}) {
            set_secret(std::string("amz_") + name, amz.at(name));
        }
        set_secret("ep_key", ep.at("api_key"));
        set_secret("ep_user", ep.at("username"));
        set_secret("ep_password", ep.at("password"));
        // `mlc sandbox` runs on the real clock: the flow reads what Amazon closes from a minute
        // ago.
        const auto start = mlc::SystemClock().now() - std::chrono::minutes(1);
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\nstore: {path: ./mlc-state.db}\nconnections:\n"
            << "  amz:\n    system: amazon\n    base_url: " << amazon_url_
            << "\n    options: {lwa_token_url: \"" << text(amz, "lwa_token_url")
            << "\", marketplace_ids: " << text(amz, "marketplace_id") << "}\n"
            << "    secrets: {client_id: amz_client_id, client_secret: amz_client_secret, "
               "refresh_token: amz_refresh_token}\n"
            << "  ep:\n    system: epicor\n    base_url: " << text(ep, "base_url")
            << "\n    options: {company: " << text(ep, "company") << "}\n"
            << "    secrets: {api_key: ep_key, username: ep_user, password: ep_password}\n"
            << "flows:\n  amazon-settlements:\n    recipe: amazon-settlements-to-epicor\n"
            << "    connections: {source: amz, target: ep}\n"
            << "    options: {start: \""
            << mlc::format_iso8601(std::chrono::floor<std::chrono::seconds>(start)) << "\"}\n";
    }
    // Amazon closes a settlement now, with `rows` (a JSON array) added.
    void close_settlement(const std::string& rows) {
        const std::string origin = amazon_url_.substr(0, amazon_url_.find('/', 8));
        const std::string command = "curl -s -o /dev/null -w '%{http_code}' -X POST -H " +
                                    single_quoted("Content-Type: application/json") + " -d " +
                                    single_quoted(R"({"rows": )" + rows + "}") + " " +
                                    single_quoted(origin + "/__sandbox/settlements/close") + " > " +
                                    single_quoted((dir_ / "curl.txt").string());
        ASSERT_EQ(std::system(command.c_str()), 0);
        ASSERT_EQ(slurp(dir_ / "curl.txt"), "200");
    }

    std::string amazon_url_;
};

TEST_F(MlcSettlementsCli, ListShowsPostedAndHeldAndShowPrintsTheCheck) {
    ASSERT_NO_FATAL_FAILURE(close_settlement("[]"));
    ASSERT_NO_FATAL_FAILURE(close_settlement(
        R"([{"transaction_type": "Order", "amount_type": "ItemFees",
             "amount_description": "NewMysteryFee", "amount": "-2.25"}])"));
    const auto sync = mlc("sync amazon-settlements --once");
    ASSERT_EQ(sync.exit_code, 3) << "3: done, one settlement parked" << sync.out << sync.err;

    const auto list = mlc("settlements list");
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::smatch posted, held;
    ASSERT_TRUE(std::regex_search(list.out, posted, std::regex(R"(settlement (\S+)  posted )")))
        << list.out;
    ASSERT_TRUE(std::regex_search(list.out, held, std::regex(R"(settlement (\S+)  HELD since)")))
        << list.out;
    EXPECT_NE(list.out.find("Order/ItemFees/NewMysteryFee"), std::string::npos) << list.out;

    const auto show = mlc("settlements show " + posted[1].str());
    EXPECT_EQ(show.exit_code, 0) << show.out << show.err;
    EXPECT_NE(show.out.find("account"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("check: lines"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("posted to Epicor: journals"), std::string::npos) << show.out;

    const auto show_held = mlc("settlements show " + held[1].str());
    EXPECT_EQ(show_held.exit_code, 1) << show_held.out << show_held.err;
    EXPECT_NE(show_held.out.find("HELD, not posted"), std::string::npos) << show_held.out;
    EXPECT_NE(show_held.out.find("NewMysteryFee"), std::string::npos) << show_held.out;

    const auto unknown = mlc("settlements show 999999");
    EXPECT_NE(unknown.exit_code, 0) << unknown.out;
    EXPECT_FALSE(unknown.err.empty());
}

}  // namespace
