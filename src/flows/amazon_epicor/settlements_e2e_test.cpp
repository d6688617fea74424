// "amazon-settlements-to-epicor" end to end: the Amazon emulator closes settlements (seeded
// orders, refunds and fees, plus rows a test adds), the flow finds the report, downloads and
// parses it, and Epicor's emulator ends up with balanced GL journals that reconcile to the
// deposit: once per settlement, one per fiscal period, held while a type has no GL account. Each
// test runs on SQLite and on PostgreSQL (the latter skipped without MLC_TEST_POSTGRES_URL).
#include <gtest/gtest.h>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "auth/testing/fake_vault.hpp"
#include "common/time.hpp"
#include "connectors/amazon/amazon_reports.hpp"
#include "connectors/epicor/epicor_journals.hpp"
#include "connectors/epicor/epicor_json.hpp"
#include "flows/amazon_epicor/settlements_recipe.hpp"
#include "flows/connections/amazon_connection.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/testing/sandboxes.hpp"
#include "flows/testing/test_store.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

namespace json = boost::json;
namespace ep = connectors::epicor;
namespace amz = connectors::amazon;

struct Journal {
    std::int64_t period = 0;
    Decimal debit = {};
    Decimal credit = {};
    std::map<std::string, Decimal> accounts = {};  // GLAccount -> sum of TransAmt
    std::size_t lines = 0;
};

class SettlementsE2e : public ::testing::TestWithParam<testing::StoreKind> {
  protected:
    void SetUp() override { MLC_SKIP_WITHOUT_STORE(GetParam()); }
};

class SettlementsWorld {
  public:
    explicit SettlementsWorld(testing::StoreKind store, std::string now = "2026-06-20T12:00:00Z")
        : clock_(parse_iso8601(now).value()),
          host_(clock_, transport_, sandbox::SandboxHostOptions{.seed = 11, .volume = 20}) {
        testing::serve_sandboxes(host_, transport_, {"amazon", "epicor"});
        const json::object ports = host_.ports();
        store_ = testing::TestStore::open(store).value();
        testing::connect_sandbox(config_, vault_, ports, "amazon", "amz");
        testing::connect_sandbox(config_, vault_, ports, "epicor", "ep");
        flow_.name = "amazon-settlements";
        flow_.recipe = kSettlementsRecipe;
        flow_.connections = {{"source", "amz"}, {"target", "ep"}};
        // The settlements this test closes, not the seeded history.
        flow_.options = {{"start", format_iso8601(clock_.now() - std::chrono::minutes(1))}};
        auto epicor = connections::open_epicor(config_.connections.at("ep"), deps());
        EXPECT_TRUE(epicor) << epicor.error().describe();
        epicor_ = std::move(*epicor);
        auto amazon = connections::open_amazon(config_.connections.at("amz"), deps());
        EXPECT_TRUE(amazon) << amazon.error().describe();
        amazon_ = std::move(*amazon);
    }

    engine::Dependencies deps() {
        return engine::Dependencies{.clock = clock_,
                                    .store = *store_,
                                    .config = &config_,
                                    .vault = &vault_,
                                    .transport = &transport_};
    }

    // Amazon closes a settlement up to now with `rows` added (a JSON array); its file.
    connectors::amazon::SettlementFile close(const std::string& rows = "[]") {
        const auto answer = testing::control(host_, "amazon", "POST", "settlements/close",
                                             R"({"rows": )" + rows + "}");
        EXPECT_EQ(answer.status, 200) << answer.body;
        connectors::amazon::SettlementReports reports(*amazon_->client, {});
        auto listed = reports.list(clock_.now() - std::chrono::hours(1));
        EXPECT_TRUE(listed && !listed->empty());
        auto file = reports.read(listed->back());
        EXPECT_TRUE(file) << file.error().describe();
        return *file;
    }

    Result<engine::RunSummary> run() {
        auto built = make_settlements_runner(flow_, deps());
        EXPECT_TRUE(built) << built.error().describe();
        if (!built) return built.error();
        return testing::run_once(**built, clock_, *store_, *log_, flow_.name);
    }

    std::vector<Journal> journals(const std::string& settlement_id) {
        ep::Journals target(*epicor_->client);
        auto heads = target.journals_of("Amazon settlement " + settlement_id);
        EXPECT_TRUE(heads) << heads.error().describe();
        std::vector<Journal> out;
        for (const auto& head : heads.value_or(std::vector<json::object>{})) {
            Journal j{.period = ep::int_of(head, "FiscalPeriod"),
                      .debit = ep::decimal_of(head, "TotDebit").value(),
                      .credit = ep::decimal_of(head, "TotCredit").value()};
            for (const auto& line : head.at("GLJrnDtlMnls").as_array()) {
                const auto& row = line.as_object();
                j.accounts[ep::text_of(row, "GLAccount")] +=
                    ep::decimal_of(row, "TransAmt").value();
                ++j.lines;
            }
            out.push_back(std::move(j));
        }
        return out;
    }

    std::vector<store::DeadLetter> open_letters() {
        return store_->list_dead_letters(flow_.name, store::DeadLetterStatus::kOpen, 100).value();
    }
    std::vector<store::Alert> open_alerts() {
        return store_->list_alerts(store::AlertStatus::kOpen).value();
    }

    ManualClock clock_;
    sandbox::InProcessTransport transport_;
    sandbox::SandboxHost host_;
    auth::testing::FakeVault vault_;
    testing::TestStore store_;
    engine::Config config_;
    engine::FlowConfig flow_;
    std::unique_ptr<connections::EpicorConnection> epicor_;
    std::unique_ptr<connections::AmazonConnection> amazon_;
    std::shared_ptr<spdlog::logger> log_ =
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
};

// One row of every (transaction-type, amount-type, amount-description) of the default table.
std::string every_default_row_type() {
    json::array rows;
    int cents = 101;
    for (const GlRule& rule : default_us_rules()) {
        const bool income = rule.account.starts_with("40") || rule.account.starts_with("49");
        const std::string amount = std::string(income ? "" : "-") + std::to_string(cents / 100) +
                                   "." + std::to_string(10 + cents % 90);
        cents += 37;
        rows.push_back(json::object{
            {"transaction_type", rule.transaction_type == "*" ? "Order" : rule.transaction_type},
            {"amount_type", rule.amount_type},
            {"amount_description",
             rule.amount_description == "*" ? "WAREHOUSE_LOST" : rule.amount_description},
            {"amount", amount}});
    }
    return json::serialize(rows);
}

Decimal clearing(const std::vector<Journal>& journals) {
    Decimal sum;
    for (const auto& j : journals) {
        if (j.accounts.contains("1050")) sum += j.accounts.at("1050");
    }
    return sum;
}

TEST_P(SettlementsE2e, EveryDefaultRowTypePostsOneBalancedJournalEqualToTheDeposit) {
    SettlementsWorld world(GetParam());  // Seeded settlements end June 6: this one is June 6..20.
    const auto file = world.close(every_default_row_type());
    ASSERT_GE(file.lines.size(), default_us_rules().size());
    auto summary = world.run();
    ASSERT_TRUE(summary) << summary.error().describe();
    EXPECT_TRUE(world.open_letters().empty());
    const auto journals = world.journals(file.summary.id);
    ASSERT_EQ(journals.size(), 1u);
    const Journal& j = journals.front();
    EXPECT_EQ(j.period, 6);
    EXPECT_EQ(j.debit, j.credit);
    EXPECT_EQ(clearing(journals), file.summary.total);  // The deposit, on the clearing account
    Decimal rest;
    for (const auto& [account, amount] : j.accounts) {
        if (account != "1050") rest += amount;
    }
    EXPECT_EQ(rest, -file.summary.total);
    for (const GlRule& rule : default_us_rules()) {
        EXPECT_TRUE(j.accounts.contains(rule.account)) << rule.account;
    }
}

TEST_P(SettlementsE2e, SettlementSpanningTwoPeriodsPostsTwoThatSumToTheDeposit) {
    SettlementsWorld world(GetParam(),
                           "2026-06-01T12:00:00Z");  // This settlement: May 18 .. June 1.
    const auto file = world.close(
        R"([{"transaction_type": "Order", "amount_type": "ItemPrice",
             "amount_description": "Principal", "amount": "250.00",
             "posted": "2026-05-25T09:00:00Z"},
            {"transaction_type": "Order", "amount_type": "ItemFees",
             "amount_description": "Commission", "amount": "-37.50",
             "posted": "2026-05-25T09:00:00Z"}])");
    ASSERT_TRUE(world.run());
    EXPECT_TRUE(world.open_letters().empty());
    const auto journals = world.journals(file.summary.id);
    ASSERT_EQ(journals.size(), 2u);
    EXPECT_EQ(journals[0].period, 5);
    EXPECT_EQ(journals[1].period, 6);
    for (const auto& j : journals) EXPECT_EQ(j.debit, j.credit);
    EXPECT_FALSE(journals[0].accounts.contains("1050"));
    EXPECT_EQ(clearing(journals), file.summary.total);
    // Carried forward from May to June through the transit account, nothing left in it.
    EXPECT_EQ(journals[0].accounts.at("1055") + journals[1].accounts.at("1055"), Decimal());
    EXPECT_FALSE(journals[0].accounts.at("1055").is_zero());
}

TEST_P(SettlementsE2e, UnmappedTypeHoldsTheSettlementUntilMapped) {
    SettlementsWorld world(GetParam());
    const auto file = world.close(
        R"([{"transaction_type": "Order", "amount_type": "ItemFees",
             "amount_description": "NewMysteryFee", "amount": "-2.25"}])");
    ASSERT_TRUE(world.run());
    EXPECT_TRUE(world.journals(file.summary.id).empty());  // Nothing posted, not even partly
    const auto letters = world.open_letters();
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].source_key, file.summary.id);
    EXPECT_NE(letters[0].error_message.find("Order/ItemFees/NewMysteryFee"), std::string::npos)
        << letters[0].error_message;
    const auto alerts = world.open_alerts();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].key, hold_alert_key(world.flow_.name, file.summary.id));
    EXPECT_NE(alerts[0].message.find("NewMysteryFee"), std::string::npos);

    // A run with the same config changes nothing; one with the mapping releases it.
    world.clock_.advance(std::chrono::minutes(5));
    ASSERT_TRUE(world.run());
    EXPECT_TRUE(world.journals(file.summary.id).empty());
    world.flow_.mappings["gl_accounts"] = {{"Order/ItemFees/NewMysteryFee", "6120"}};
    world.clock_.advance(std::chrono::minutes(5));
    ASSERT_TRUE(world.run());
    const auto journals = world.journals(file.summary.id);
    ASSERT_EQ(journals.size(), 1u);
    EXPECT_EQ(journals[0].debit, journals[0].credit);
    EXPECT_EQ(clearing(journals), file.summary.total);
    EXPECT_TRUE(world.open_letters().empty());
    EXPECT_TRUE(world.open_alerts().empty());
}

TEST_P(SettlementsE2e, SameReportTwicePostsOnce) {
    SettlementsWorld world(GetParam());
    const auto file = world.close();
    ASSERT_TRUE(world.run());
    ASSERT_EQ(world.journals(file.summary.id).size(), 1u);
    const std::size_t lines = world.journals(file.summary.id)[0].lines;
    world.clock_.advance(std::chrono::minutes(5));
    ASSERT_TRUE(world.run());  // The cursor has passed it
    // A new installation (an empty state store) reads the same report again: found by its
    // reference in Epicor, not posted twice.
    world.store_ = testing::TestStore::open(GetParam()).value();
    auto again = world.run();
    ASSERT_TRUE(again) << again.error().describe();
    const auto journals = world.journals(file.summary.id);
    ASSERT_EQ(journals.size(), 1u);
    EXPECT_EQ(journals[0].lines, lines);
    EXPECT_EQ(clearing(journals), file.summary.total);
}

TEST_P(SettlementsE2e, NegativeSettlementBalances) {
    SettlementsWorld world(GetParam());
    const auto file = world.close(
        R"([{"transaction_type": "other-transaction", "amount_type": "other-transaction",
             "amount_description": "Subscription Fee", "amount": "-5000.00"}])");
    ASSERT_TRUE(file.summary.total.is_negative());
    ASSERT_TRUE(world.run());
    const auto journals = world.journals(file.summary.id);
    ASSERT_EQ(journals.size(), 1u);
    EXPECT_EQ(journals[0].debit, journals[0].credit);
    EXPECT_EQ(clearing(journals), file.summary.total);  // Credited: Amazon debits the bank
}

TEST_P(SettlementsE2e, FeesAsAnApInvoicePostOnceWithTheJournalDebitingAp) {
    SettlementsWorld world(GetParam());
    world.flow_.options["fees_invoice"] = "true";
    world.flow_.options["vendor_num"] = "77";
    const auto file = world.close();
    Decimal fees;
    for (const auto& line : file.lines) {
        using G = amz::SettlementGroup;
        if (line.group == G::kReferralFees || line.group == G::kFbaFees ||
            line.group == G::kOtherFees || line.group == G::kAdvertising) {
            fees -= line.amount;
        }
    }
    ASSERT_FALSE(fees.is_zero());
    ASSERT_TRUE(world.run());
    auto journals = world.journals(file.summary.id);
    ASSERT_EQ(journals.size(), 1u);
    EXPECT_EQ(journals[0].debit, journals[0].credit);
    EXPECT_EQ(journals[0].accounts.at("2000"), fees);  // The invoice, netted by Amazon
    EXPECT_FALSE(journals[0].accounts.contains("6100"));
    const auto invoices = [&] {
        return world.epicor_->client
            ->list_rows("Erp.BO.APInvoiceSvc", "APInvoices",
                        {.filter = "InvoiceNum eq '" + file.summary.id + "'"})
            .value();
    };
    ASSERT_EQ(invoices().size(), 1u);
    EXPECT_EQ(ep::int_of(invoices()[0], "VendorNum"), 77);
    EXPECT_EQ(ep::decimal_of(invoices()[0], "DocInvoiceAmt").value(), fees);
    // Read again by a new installation: Epicor's duplicate refusal counts as done.
    world.store_ = testing::TestStore::open(GetParam()).value();
    ASSERT_TRUE(world.run());
    EXPECT_EQ(invoices().size(), 1u);
    EXPECT_EQ(world.journals(file.summary.id).size(), 1u);
    EXPECT_TRUE(world.open_letters().empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, SettlementsE2e, ::testing::ValuesIn(testing::kStoreKinds),
                         testing::StoreKindName{});

}  // namespace
}  // namespace mlc::flows::amazon_epicor
