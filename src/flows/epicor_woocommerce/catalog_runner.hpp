#pragma once
// CatalogRunner: the recipe "epicor-to-woocommerce-catalog" (issue 6, outbound half). One run
// moves Epicor parts to WooCommerce products, then Epicor customers to WooCommerce customers:
//
//  * Reading: Epicor rows page by page ($top = page_size), in (SysRevID, key) order from the
//    stream's cursor: Part has no change date, SysRevID is raised on every write
//    (epicor-kinetic.md). The filter is `SysRevID gt R or (SysRevID eq R and PartNum gt 'K')`,
//    so rows sharing one SysRevID never fall between two pages. With `changes: full` every row is
//    read every run (ordered by key) and unchanged ones are skipped by content hash.
//  * Parts -> products, keyed by SKU = PartNum, in chunks of at most 100 (one POST
//    /products/batch each, creates and updates together). Unchanged (binding's content hash) ->
//    skipped; bound -> updated by id; not bound -> created. Woo refuses a second product with one
//    SKU, so a create is never a duplicate: a refused one (kConflict) is looked up by SKU (100
//    SKUs per GET) and updated in a second batch. A *pending* binding (an earlier batch whose
//    answer was lost) is looked up by SKU before anything is written. Inactive parts become
//    drafts, never deleted; a product deleted in Woo meanwhile is created again.
//  * Customers -> customers, keyed by e-mail (Woo keeps e-mails unique): bound -> updated; else
//    looked up by e-mail (an existing shop account is adopted) or created. No e-mail -> reported
//    (audit + dead letter "add an email in Epicor"), never invented. Two Epicor customers with one
//    e-mail -> the first one read (SysRevID, then CustID order) is written, the others
//    reported as duplicates.
//  * Each chunk's bindings, audit events (PartNum/CustID -> Woo id), dead letters, healed letters
//    and the cursor (its last row) are committed together (StateStore::commit_page), so the
//    cursor never passes a row that was neither written nor reported; RunContext::checkpoint()
//    between chunks. A dry run reads and maps, and writes nothing to Woo nor to the store.
//
// Lifecycle: built once per flow by the recipe factory (catalog_recipe.hpp), lives with the
// scheduler. Thread safety: none; the engine serialises run_once/replay of one flow. Ownership:
// borrows the Epicor client and the target (owned by `keep_alive` or by a test).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "connectors/epicor/epicor_client.hpp"
#include "engine/flow_runner.hpp"
#include "flows/epicor_woocommerce/catalog_mapping.hpp"
#include "flows/epicor_woocommerce/catalog_options.hpp"
#include "flows/epicor_woocommerce/catalog_target.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr const char* kPartsStream = "parts";
inline constexpr const char* kCustomersStream = "customers";
inline constexpr const char* kPartSystem = "epicor-part";          // Binding/dead-letter system
inline constexpr const char* kCustomerSystem = "epicor-customer";  // Binding/dead-letter system
inline constexpr const char* kCatalogDirection = "epicor->woocommerce";
// Open dead letters of the flow read per run, to mark the ones a run heals as resolved.
inline constexpr std::size_t kCatalogOpenLettersScanMax = 10'000;

class CatalogRunner final : public engine::FlowRunner {
  public:
    CatalogRunner(CatalogOptions options, connectors::epicor::EpicorClient& epicor,
                  CatalogTarget& target, std::shared_ptr<void> keep_alive = nullptr);

    Result<engine::RunSummary> run_once(engine::RunContext& ctx) override;
    // Reads the parked part or customer again from Epicor and writes it (or reports it again).
    Result<void> replay(const store::DeadLetter& letter, engine::RunContext& ctx) override;

    const CatalogOptions& options() const { return options_; }

    struct StreamSpec;
    struct PageState;

  private:
    Result<void> run_stream(const StreamSpec& spec, engine::RunContext& ctx,
                            engine::RunSummary& summary);
    Result<void> write_parts(const std::vector<boost::json::object>& rows, engine::RunContext& ctx,
                             PageState& page);
    // `rebind`: the bound Woo customer is gone (deleted in Woo): find it by e-mail or create it.
    Result<void> write_customer(const boost::json::object& row, engine::RunContext& ctx,
                                PageState& page, bool rebind = false);
    Result<std::map<std::string, std::int64_t>> open_letters(engine::RunContext& ctx);

    CatalogOptions options_;
    connectors::epicor::EpicorClient& epicor_;
    CatalogTarget& target_;
    std::shared_ptr<void> keep_alive_;
};

}  // namespace mlc::flows::epicor_woocommerce
