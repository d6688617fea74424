#pragma once
// The recipe "amazon-settlements-to-epicor" (issue 12, settlements): each Amazon settlement is
// posted to Epicor as balanced GL journals that reconcile to the deposit. A recipe only: the
// record protocol is src/pipeline's (the fold stage makes one record of a settlement's lines),
// the reports reading Amazon's connector's, the journals Epicor's. What this file chooses:
//
//   settlements: Amazon SettlementReports (getReports for the settlement type -> the document ->
//                gunzip -> parse by header name) -> FoldSource by settlement id (a settlement
//                parks and replays whole) -> the ledger (settlements_ledger.hpp: each
//                transaction-type/amount-type/amount-description to a GL account by
//                mappings.gl_accounts over the US table; one journal per fiscal period, the
//                disbursement on the clearing account) -> Epicor Journals, each journal's
//                Description "Amazon settlement <id>": found before any create, so a settlement
//                posts once and a re-run (or the same report seen twice) is a no-op.
//   holds:       a settlement with an unmapped type, or whose lines do not sum to its
//                total-amount, is not posted: it waits as a dead letter of the stream, with the
//                alert "settlement-hold:<flow>:<id>" naming the unmapped types (or the
//                mismatch). Each held settlement is tried again once by the first run of a
//                runner built after it was held (a config with the new mapping), or by
//                `mlc deadletters replay`; the alert is resolved once it posts.
//
//   connections.<source>: system amazon (connections/amazon_connection.hpp)
//   connections.<target>: system epicor (see shipstation_epicor/orders_recipe.hpp)
//   options and mappings: settlements_options.hpp
//
// Lifecycle: the flow (pipeline::Flow) owns what it borrows. Thread safety: see the clients.

#include <memory>
#include <string>

#include "engine/recipe_registry.hpp"
#include "flows/amazon_epicor/settlements_ledger.hpp"

namespace mlc::flows::amazon_epicor {

inline constexpr const char* kSettlementsRecipe = "amazon-settlements-to-epicor";
inline constexpr const char* kSettlementsStream = "settlements";
inline constexpr const char* kSettlementSystem = "amazon-settlement";  // Bindings and letters.
inline constexpr const char* kHoldAlertPrefix = "settlement-hold:";

// The alert key of a held settlement of `flow`.
std::string hold_alert_key(const std::string& flow, const std::string& settlement_id);

Result<std::unique_ptr<engine::FlowRunner>> make_settlements_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps);

// For `mlc settlements show`: settlement `id` read again from Amazon and put through the flow's
// ledger (the grouping, the accounts, the journals and the check); kNotFound when no report kept
// holds it; the hold (kUnresolved) or mismatch (kInvalidInput) as the ledger says.
Result<SettlementLedger> read_settlement_ledger(const engine::FlowConfig& flow,
                                                const engine::Dependencies& deps,
                                                const std::string& id);

void add_amazon_settlements_recipe(engine::RecipeRegistry& registry);

}  // namespace mlc::flows::amazon_epicor
