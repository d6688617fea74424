// Each examples/*.yaml on `mlc sandbox`, as the example's header tells a user to run it: the
// sandboxes as a child process, the example with its base URLs and account options taken from the
// ports file, every secret it names set from the ports file (`mlc secret set`), then
// `mlc config check` and `mlc sync FLOW --once` for each of its flows. The sandboxes seed one
// shared catalog (src/sandbox/catalog.hpp), so everything moves at once except the catalog's
// deliberate misfits, which are parked naming themselves.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cli/testing/cli_child.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using mlc::cli::testing::MlcRun;
using mlc::cli::testing::slurp;

// A connection's `base_url` or option that differs on the sandboxes -> the ports file's field.
struct PortField {
    std::string_view system;
    std::string_view key;
    std::string_view field;
};
constexpr PortField kPortFields[] = {
    {"shipstation", "base_url", "base_url"},
    {"epicor", "base_url", "base_url"},
    {"epicor", "company", "company"},
    {"woocommerce", "base_url", "site_url"},
    {"acumatica", "base_url", "base_url"},
    {"acumatica", "user", "name"},
    {"acumatica", "tenant", "tenant"},
    {"ups", "base_url", "base_url"},
    {"ups", "account_number", "account_number"},
    {"amazon", "base_url", "base_url"},
    {"amazon", "lwa_token_url", "lwa_token_url"},
    {"amazon", "marketplace_ids", "marketplace_id"},
};

struct ExampleRun {
    MlcRun check;
    std::map<std::string, MlcRun> syncs;  // By flow name.
    std::vector<std::string> letters;     // `mlc deadletters list` lines.
};

class ExamplesOnTheSandboxes : public mlc::cli::testing::SandboxCliTest {
  protected:
    // The example rewritten for the sandboxes into dir_/mlc.yaml; its vault secrets set.
    void adapt(const std::string& example) {
        std::istringstream in(slurp(fs::path(MLC_EXAMPLE_CONFIG).parent_path() / example));
        std::ostringstream out;
        const std::regex entry(R"(^(\s+)([a-z_]+):\s*(.*)$)");
        const std::regex block(R"(^  ([a-z0-9_-]+):\s*(#.*)?$)");
        std::string section, system, line;
        bool in_secrets = false;
        while (std::getline(in, line)) {
            std::smatch match;
            if (!line.empty() && line[0] != ' ' && line[0] != '#') section = line;
            if (section.starts_with("flows:") && std::regex_match(line, match, block)) {
                flows_.push_back(match[1]);
            }
            if (!section.starts_with("connections:") || !std::regex_match(line, match, entry)) {
                out << line << "\n";
                continue;
            }
            const std::string indent = match[1], key = match[2];
            std::string value = match[3];
            value = value.substr(0, value.find(" #"));
            if (indent.size() == 4) in_secrets = key == "secrets";
            if (key == "system") system = value;
            if (in_secrets && indent.size() == 6) {
                set_secret(value, ports_.at(system).at(key));
            }
            for (const auto& port : kPortFields) {
                if (port.system != system || port.key != key) continue;
                line = indent + key + ": \"" +
                       std::string(ports_.at(system).at(port.field).as_string()) + "\"";
            }
            out << line << "\n";
        }
        std::ofstream(dir_ / "mlc.yaml") << out.str();
    }

    ExampleRun run_example(const std::string& example) {
        adapt(example);
        ExampleRun run;
        run.check = mlc("config check");
        for (const auto& flow : flows_) run.syncs[flow] = mlc("sync " + flow + " --once");
        std::istringstream letters(mlc("deadletters list").out);
        for (std::string line; std::getline(letters, line);) {
            if (line != "no open dead letters") run.letters.push_back(line);
        }
        return run;
    }

    std::vector<std::string> flows_;
};

std::string describe(const ExampleRun& run) {
    std::string out = "config check: " + run.check.out + run.check.err;
    for (const auto& [flow, sync] : run.syncs) {
        out += "\nsync " + flow + " (exit " + std::to_string(sync.exit_code) + "): " + sync.out +
               sync.err;
    }
    for (const auto& letter : run.letters) out += "\nletter: " + letter;
    return out;
}

// The records of a sync's summary line ("created 12, updated 0, ...").
int count_of(const MlcRun& sync, const std::string& word) {
    std::smatch match;
    const std::string text = sync.out + sync.err;
    if (!std::regex_search(text, match, std::regex(word + " ([0-9]+)"))) return -1;
    return std::stoi(match[1]);
}

TEST_F(ExamplesOnTheSandboxes, TheMinimalConfigRunsItsHeartbeat) {
    ASSERT_NO_FATAL_FAILURE(start("shipstation", "7", "20"));
    const ExampleRun run = run_example("mlc.yaml");
    EXPECT_EQ(run.check.exit_code, 0) << describe(run);
    ASSERT_EQ(run.syncs.size(), 1u) << describe(run);
    EXPECT_EQ(run.syncs.at("heartbeat").exit_code, 0) << describe(run);
    EXPECT_TRUE(run.letters.empty()) << describe(run);
}

// Every seeded ShipStation order lands in Epicor with no mapping but the carrier's, except the two
// the catalog sells on purpose: the unknown SKU and the inactive part, each parked naming it.
TEST_F(ExamplesOnTheSandboxes, ShipStationEpicorParksOnlyTheCatalogsTwoMisfits) {
    ASSERT_NO_FATAL_FAILURE(start("shipstation,epicor", "7", "16"));
    const ExampleRun run = run_example("shipstation-epicor.yaml");
    EXPECT_EQ(run.check.exit_code, 0) << describe(run);
    ASSERT_EQ(run.syncs.count("shipstation-orders"), 1u) << describe(run);
    const MlcRun& sync = run.syncs.at("shipstation-orders");
    EXPECT_EQ(sync.exit_code, 3) << describe(run);  // Done, two parked.
    // 16 seeded orders: the cancelled ones skipped, the two misfits parked, the rest created
    // with the tracking of those shipped.
    EXPECT_GT(count_of(sync, "created"), 10) << describe(run);
    EXPECT_NE(sync.out.find("shipments: "), std::string::npos) << describe(run);
    ASSERT_EQ(run.letters.size(), 2u) << describe(run);
    const std::string letters = run.letters[0] + "\n" + run.letters[1];
    EXPECT_NE(letters.find("'WB-2041-DISC'"), std::string::npos) << letters;
    EXPECT_NE(letters.find("P10003"), std::string::npos) << letters;
    EXPECT_NE(letters.find("inactive"), std::string::npos) << letters;
}

// Epicor's parts and customers go to the Woo store (which sells the same catalog to the same
// customers), and every seeded Woo web order in a status that books one lands in Epicor on the
// customer with its e-mail: nothing is parked but the catalog's customers without an e-mail
// (every fourth: C00004 and C00008 of the ten at volume 40), each naming the fix.
TEST_F(ExamplesOnTheSandboxes, EpicorWooCommerceParksOnlyTheCustomersWithoutEmail) {
    ASSERT_NO_FATAL_FAILURE(start("epicor,woocommerce", "7", "40"));
    const ExampleRun run = run_example("epicor-woocommerce.yaml");
    EXPECT_EQ(run.check.exit_code, 0) << describe(run);
    ASSERT_EQ(run.syncs.count("catalog"), 1u) << describe(run);
    ASSERT_EQ(run.syncs.count("web-orders"), 1u) << describe(run);
    const MlcRun& catalog = run.syncs.at("catalog");
    EXPECT_EQ(catalog.exit_code, 3) << describe(run);  // Done, two parked.
    // 40 Epicor parts: the 20 the store sells are updated, the other 20 created; the 8 customers
    // with an e-mail are the store's already (updated).
    EXPECT_EQ(count_of(catalog, "created"), 20) << describe(run);
    EXPECT_EQ(count_of(catalog, "updated"), 28) << describe(run);
    EXPECT_EQ(count_of(catalog, "parked"), 2) << describe(run);
    // All 40 seeded web orders are read: those processing, on hold or completed are created in
    // Epicor (with the one seeded refund's credit row), the pending and cancelled ones left.
    const MlcRun& orders = run.syncs.at("web-orders");
    EXPECT_EQ(orders.exit_code, 0) << describe(run);
    EXPECT_EQ(count_of(orders, "parked"), 0) << describe(run);
    EXPECT_EQ(count_of(orders, "failed"), 0) << describe(run);
    const std::string said = orders.out + orders.err;
    std::smatch read;
    ASSERT_TRUE(
        std::regex_search(said, read, std::regex("orders: ([0-9]+) created, ([0-9]+) unchanged")))
        << describe(run);
    EXPECT_GT(std::stoi(read[1]), 20) << describe(run);
    EXPECT_EQ(std::stoi(read[1]) + std::stoi(read[2]), 40) << describe(run);
    EXPECT_NE(said.find("refunds: 1 created"), std::string::npos) << describe(run);
    ASSERT_EQ(run.letters.size(), 2u) << describe(run);
    const std::string letters = run.letters[0] + "\n" + run.letters[1];
    EXPECT_NE(letters.find("C00004"), std::string::npos) << letters;
    EXPECT_NE(letters.find("C00008"), std::string::npos) << letters;
    for (const auto& letter : run.letters) {
        EXPECT_NE(letter.find("catalog"), std::string::npos) << letter;
        EXPECT_NE(letter.find("no EMailAddress"), std::string::npos) << letter;
    }
}

// Acumatica's seeded sales orders go out to ShipStation with their items; nothing is parked.
TEST_F(ExamplesOnTheSandboxes, AcumaticaShipStationSendsEveryOpenOrder) {
    ASSERT_NO_FATAL_FAILURE(start("acumatica,shipstation", "7", "40"));
    const ExampleRun run = run_example("acumatica-shipstation.yaml");
    EXPECT_EQ(run.check.exit_code, 0) << describe(run);
    ASSERT_EQ(run.syncs.count("acumatica-orders"), 1u) << describe(run);
    EXPECT_EQ(run.syncs.at("acumatica-orders").exit_code, 0) << describe(run);
    EXPECT_GT(count_of(run.syncs.at("acumatica-orders"), "created"), 20) << describe(run);
    EXPECT_TRUE(run.letters.empty()) << describe(run);
}

// Epicor's seeded releases shipping via UPS Ground get UPS shipments: every customer's address is
// in UPS's book but the catalog's ambiguous one, whose releases are parked naming both streets.
TEST_F(ExamplesOnTheSandboxes, EpicorUpsShipsEveryReleaseButTheAmbiguousAddress) {
    ASSERT_NO_FATAL_FAILURE(start("epicor,ups", "7", "40"));
    const ExampleRun run = run_example("epicor-ups.yaml");
    EXPECT_EQ(run.check.exit_code, 0) << describe(run);
    ASSERT_EQ(run.syncs.count("ups-shipments"), 1u) << describe(run);
    EXPECT_GT(count_of(run.syncs.at("ups-shipments"), "created"), 0) << describe(run);
    for (const auto& letter : run.letters) {
        EXPECT_NE(letter.find("200 OAK AVE"), std::string::npos) << describe(run);
    }
}

// Amazon's seeded orders land in Epicor through the example's SKU pattern and marketplace
// customer; only orders selling the catalog's inactive part are parked.
TEST_F(ExamplesOnTheSandboxes, AmazonEpicorParksOnlyOrdersOfTheInactivePart) {
    ASSERT_NO_FATAL_FAILURE(start("amazon,epicor", "7", "40"));
    const ExampleRun run = run_example("amazon-epicor.yaml");
    EXPECT_EQ(run.check.exit_code, 0) << describe(run);
    ASSERT_EQ(run.syncs.size(), 2u) << describe(run);
    EXPECT_GT(count_of(run.syncs.at("amazon-orders"), "created"), 0) << describe(run);
    EXPECT_EQ(run.syncs.at("amazon-settlements").exit_code, 0) << describe(run);
    for (const auto& letter : run.letters) {
        EXPECT_NE(letter.find("P10003"), std::string::npos) << describe(run);
    }
}

}  // namespace
