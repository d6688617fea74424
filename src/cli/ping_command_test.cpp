// `mlc ping` as a user runs it: `mlc sandbox` (ShipStation + Epicor) as a child process, an
// mlc.yaml naming its connections, the credentials from its ports file in the vault (`mlc init`,
// `mlc secret set` from stdin), then the built binary (MLC_BINARY) pings them.
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cli/testing/cli_child.hpp"

namespace {

namespace json = boost::json;

class MlcPingCli : public mlc::cli::testing::SandboxCliTest {
  protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(start("shipstation,epicor", "9", "40"));
        set_shipstation_epicor_secrets();
        write_config(std::string(ports_.at("epicor").at("company").as_string()));
    }
    void write_config(const std::string& company) {
        std::ofstream(dir_ / "mlc.yaml")
            << "version: 1\n"
               "store: {path: ./mlc-state.db}\n"
            << shipstation_epicor_connections(company, ", auth: bearer")
            << "flows:\n"
               "  orders:\n"
               "    recipe: shipstation-to-epicor-orders\n"
               "    connections: {source: ss, target: ep}\n"
               "    options: {customer_match: username}\n"
               "  beat:\n"
               "    recipe: heartbeat\n";
    }
};

TEST_F(MlcPingCli, PingsEveryConnectionWithOneOkLinePerCheck) {
    const auto ping = mlc("ping");
    EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("connection ss (shipstation)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("connection ep (epicor)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("  ok      auth       API key and secret accepted"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("requests left in this minute"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("  ok      token      bearer token expires in"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("ping: every check passed"), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("FAIL"), std::string::npos) << ping.out;
}

// Matched by username against CustID (the flow's default), the sandboxes' ShipStation customers
// (e-mail addresses) are not Epicor's: with no mappings not one sampled order would go through,
// so the ping fails and prints the block to paste.
TEST_F(MlcPingCli, PingOfTheOrdersFlowFailsWhenNothingResolvesAndPrintsTheMappingsToPaste) {
    const auto ping = mlc("ping orders --since 2000-01-01 --sample 20");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("  FAIL    fit        20 ShipStation orders modified since 2000-01-01: "
                            "0 ready to write"),
              std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("park every one of them as a dead letter until mapped"),
              std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("paste under flows.orders:"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("\n    mappings:\n      customers:\n        \"orders"),
              std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("@example.com\": \"<Epicor CustID>\"\n"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("ping: "), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("every check passed"), std::string::npos) << ping.out;
    const auto json = mlc("ping orders --since 2000-01-01 --sample 20 --json");
    EXPECT_EQ(json.exit_code, 1);
    const auto mappings = json::parse(json.out).at("flow").at("mappings").as_string();
    EXPECT_NE(std::string(mappings).find("    mappings:\n"), std::string::npos) << json.out;
}

TEST_F(MlcPingCli, PingOfTheOrdersFlowReportsItsConnectionsAndTheFit) {
    const auto ping = mlc("ping orders --since 2000-01-01 --sample 20");
    EXPECT_NE(ping.out.find("connection ss (shipstation)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("connection ep (epicor)"), std::string::npos) << ping.out;
    EXPECT_NE(ping.out.find("flow orders (shipstation-to-epicor-orders)"), std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("fit        20 ShipStation orders modified since 2000-01-01"),
              std::string::npos)
        << ping.out;
}

TEST_F(MlcPingCli, PingOfAnotherRecipeSaysConnectionsOnly) {
    const auto ping = mlc("ping beat");
    EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("recipe heartbeat has no fit check: connections only"),
              std::string::npos)
        << ping.out;
}

TEST_F(MlcPingCli, WrongShipStationSecretNamesTheProblemAndExitsOne) {
    ASSERT_EQ(mlc("secret set ss_secret", "not-the-secret\n").exit_code, 0);
    const auto ping = mlc("ping ss");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("  FAIL    auth       ShipStation refused the API key and secret"),
              std::string::npos)
        << ping.out;
    EXPECT_NE(ping.out.find("mlc secret set ss_secret"), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("not-the-secret"), std::string::npos) << "the secret leaked";
    EXPECT_NE(ping.out.find("ping: 1 check failed"), std::string::npos) << ping.out;
    EXPECT_EQ(ping.out.find("connection ep"), std::string::npos) << "only the named connection";
}

TEST_F(MlcPingCli, WrongEpicorApiKeyIsToldApartFromAWrongPasswordInJson) {
    ASSERT_EQ(mlc("secret set ep_key", "0000000000000000\n").exit_code, 0);
    const auto ping = mlc("ping ep --json");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    const json::object report = json::parse(ping.out).as_object();
    EXPECT_FALSE(report.at("ok").as_bool());
    const auto& checks = report.at("connections").as_array().at(0).as_object().at("checks");
    bool found = false;
    for (const auto& check : checks.as_array()) {
        if (check.at("name").as_string() != "auth") continue;
        found = true;
        EXPECT_EQ(check.at("status").as_string(), "FAIL");
        const std::string detail(check.at("detail").as_string());
        EXPECT_NE(detail.find("Invalid API Key"), std::string::npos) << detail;
        EXPECT_NE(detail.find("mlc secret set ep_key"), std::string::npos) << detail;
    }
    EXPECT_TRUE(found) << ping.out;
}

TEST_F(MlcPingCli, MissingSecretNamesTheSetCommand) {
    ASSERT_EQ(mlc("secret rm ep_password --yes").exit_code, 0);
    const auto ping = mlc("ping ep");
    EXPECT_EQ(ping.exit_code, 1) << ping.out << ping.err;
    EXPECT_NE(ping.out.find("run `mlc secret set ep_password`"), std::string::npos) << ping.out;
}

TEST_F(MlcPingCli, UnknownNameIsAUsageErrorListingTheKnownOnes) {
    const auto ping = mlc("ping nowhere");
    EXPECT_EQ(ping.exit_code, 2);
    EXPECT_NE(ping.err.find("no connection or flow named 'nowhere'"), std::string::npos)
        << ping.err;
    EXPECT_NE(ping.err.find("connections: ep, ss; flows: beat, orders"), std::string::npos)
        << ping.err;
}

TEST_F(MlcPingCli, HelpDescribesNameAndOptions) {
    const auto help = mlc("ping --help");
    EXPECT_EQ(help.exit_code, 0);
    for (const char* word : {"NAME", "--sample", "--since", "--json", "fit"}) {
        EXPECT_NE(help.out.find(word), std::string::npos) << word << "\n" << help.out;
    }
}

}  // namespace
