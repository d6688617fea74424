// `mlc run` reloads on SIGHUP, as an operator does it: `mlc sandbox` (ShipStation + Epicor) as a
// child, a daemon whose orders flow parks the sandboxes' two deliberate misfits (the unknown SKU
// WB-2041-DISC and the inactive part P10003, src/sandbox/catalog.hpp), then `mlc mappings set` and
// `kill -HUP`: the order waiting for the SKU's mapping is released without a restart, and a config
// with a mistake changes nothing and says why.
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "cli/testing/cli_child.hpp"

namespace {

class MlcReloadCli : public mlc::cli::testing::SandboxCliTest {
  protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(start("shipstation,epicor", "9", "16"));
        set_shipstation_epicor_secrets();
        write_config("customer: C00002");
    }
    void write_config(const std::string& option) {
        std::ofstream(dir_ / "mlc.yaml") << "version: 1\n"
                                            "store: {path: ./mlc-state.db}\n"
                                            "server: {address: 127.0.0.1, port: 0}\n"
                                         << shipstation_epicor_connections(std::string(
                                                ports_.at("epicor").at("company").as_string()))
                                         << "flows:\n"
                                            "  orders:\n"
                                            "    recipe: shipstation-to-epicor-orders\n"
                                            "    connections: {source: ss, target: ep}\n"
                                            "    schedule: {every: 1h}\n"
                                            "    options: {webhooks: false, "
                                         << option << "}\n";
    }

    mlc::cli::testing::SandboxChild daemon_;
};

int number_after(const std::string& text, const std::string& words) {
    std::smatch match;
    if (!std::regex_search(text, match, std::regex(words + " ([0-9]+)"))) return -1;
    return std::stoi(match[1]);
}

TEST_F(MlcReloadCli, SighupWithANewSkuMappingReleasesTheParkedOrdersWithoutARestart) {
    ASSERT_TRUE(daemon_.start(dir_, MLC_BINARY, {}, "run"));
    ASSERT_TRUE(daemon_.read_until("flow orders: run done")) << daemon_.output();
    const int parked = number_after(daemon_.output(), "parked");
    ASSERT_GT(parked, 0) << daemon_.output();

    // The fix, as an operator makes it: a pattern, stored, then the daemon told.
    ASSERT_EQ(mlc("mappings set orders parts 'WB-2041-*' 'P10001'").exit_code, 0);
    ASSERT_EQ(::kill(daemon_.pid(), SIGHUP), 0);
    ASSERT_TRUE(daemon_.read_until("reload (SIGHUP)")) << daemon_.output();
    const std::string& log = daemon_.output();
    EXPECT_NE(log.find("reloaded 1 flow(s) with their options and mappings"), std::string::npos)
        << log;
    // Each record parked for want of a mapping was tried once more: the unknown SKU's order now
    // maps to an active part and landed; the inactive part's order stays parked with its reason.
    EXPECT_EQ(parked, 2) << log;
    const int released = number_after(log, "replayed");
    const int still = number_after(log, "mapping,");
    EXPECT_EQ(released, 1) << log;
    EXPECT_EQ(released + std::max(0, still), parked) << log;
    EXPECT_EQ(log.find("mlc stopped"), std::string::npos) << "no restart";

    // A config with a mistake: nothing changes, and the log says what is wrong.
    write_config("customer: C00002, overlpa: 2h");
    ASSERT_EQ(::kill(daemon_.pid(), SIGHUP), 0);
    ASSERT_TRUE(daemon_.read_until("failed, the flows run as before")) << daemon_.output();
    EXPECT_NE(daemon_.output().find("overlpa"), std::string::npos) << daemon_.output();
    daemon_.stop();
    const auto audit = mlc("audit --flow mlc");
    EXPECT_NE(audit.out.find("reload: reloaded 1 flow(s)"), std::string::npos) << audit.out;
}

TEST_F(MlcReloadCli, SyncPrintsAProgressLinePerPage) {
    const auto sync = mlc("sync orders --once --progress");
    EXPECT_EQ(sync.exit_code, 3) << sync.out << sync.err;  // The two misfits parked.
    EXPECT_NE(sync.err.find("orders: 1 page(s), "), std::string::npos) << sync.err;
    EXPECT_EQ(sync.err.find("created 0,"), std::string::npos) << sync.err;  // The rest landed.
    EXPECT_NE(sync.err.find(" record(s): created "), std::string::npos) << sync.err;
    EXPECT_NE(sync.err.find("/s\n"), std::string::npos) << sync.err;
    const auto quiet = mlc("sync orders --once --quiet");
    EXPECT_EQ(quiet.err.find("page(s)"), std::string::npos) << quiet.err;
}

}  // namespace
