#include "flows/epicor_woocommerce/catalog_recipe.hpp"

#include "connectors/epicor/epicor_catalog.hpp"
#include "connectors/woocommerce/woocommerce_catalog.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "flows/epicor_woocommerce/catalog_options.hpp"
#include "pipeline/compose.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace ep = connectors::epicor;
namespace woo = connectors::woocommerce;
using PartStream = pipeline::Stream<model::Item, model::Item>;
using CustomerStream = pipeline::Stream<model::Party, woo::CustomerDraft>;

// A resolver that is one function (no lookups to cache).
template <typename S, typename T>
class Transform final : public connectors::Resolver<S, T> {
  public:
    explicit Transform(std::function<Result<T>(const S&)> f) : f_(std::move(f)) {}
    Result<T> resolve(const S& record, const std::string&) override { return f_(record); }

  private:
    std::function<Result<T>(const S&)> f_;
};

Result<woo::CustomerDraft> customer_draft(const model::Party& party,
                                          const woo::CountryCodes& countries) {
    if (party.email.empty()) {
        return make_error(ErrorCode::kUnresolved, "epicor",
                          "Epicor customer " + party.source.key +
                              " has no EMailAddress: WooCommerce keys customers by e-mail, so it "
                              "is not written; add an email in Epicor (the next run writes it)");
    }
    return woo::prepare_customer(party, countries);
}

// Everything the flow's steps borrow; the pipeline::Flow owns it.
struct Parts {
    CatalogOptions options;
    woo::CountryCodes countries;
    std::unique_ptr<connections::EpicorConnection> epicor;
    std::unique_ptr<connections::WooCommerceConnection> woocommerce;
    std::unique_ptr<ep::PartsSource> part_source;
    std::unique_ptr<ep::CustomersSource> customer_source;
    std::unique_ptr<woo::Products> products;
    std::unique_ptr<woo::Customers> customers;
    PartStream parts;
    CustomerStream customer_stream;
};

void wire(Parts& p) {
    const CatalogOptions& o = p.options;
    const auto batch = static_cast<std::uint32_t>(woo::kBatchItemsMax);
    const ep::KeysetOptions keyset{.page_size = o.page_size,
                                   .batch_rows = batch,
                                   .full = o.changes == ChangeDetection::kFullScan};
    // pages_per_run counts Epicor pages; the pipeline counts batches of `batch` rows.
    const std::uint32_t batches = o.pages_per_run * ((o.page_size + batch - 1) / batch);
    ep::EpicorClient& epicor = *p.epicor->client;
    woo::WooCommerceClient& shop = *p.woocommerce->client;
    p.part_source = std::make_unique<ep::PartsSource>(
        epicor, keyset, ep::PartFields{.price_field = o.price_field, .stock_field = o.stock_field});
    p.customer_source = std::make_unique<ep::CustomersSource>(epicor, keyset);
    p.products = std::make_unique<woo::Products>(shop);
    p.customers = std::make_unique<woo::Customers>(shop);
    p.countries = woo::CountryCodes(o.countries.begin(), o.countries.end());
    p.parts = PartStream{.name = kPartsStream,
                         .system = kPartSystem,
                         .direction = kCatalogDirection,
                         .source = p.part_source.get(),
                         .target = p.products.get(),
                         .resolver =
                             [&p] {
                                 return std::make_unique<Transform<model::Item, model::Item>>(
                                     [&p](const model::Item& item) -> Result<model::Item> {
                                         return woo::prepare_product(item, p.options.currency);
                                     });
                             },
                         .hash = [](const model::Item& item) { return woo::content_hash(item); },
                         .pages_per_run = batches};
    p.customer_stream = CustomerStream{
        .name = kCustomersStream,
        .system = kCustomerSystem,
        .direction = kCatalogDirection,
        .source = p.customer_source.get(),
        .target = p.customers.get(),
        .resolver =
            [&p] {
                return std::make_unique<Transform<model::Party, woo::CustomerDraft>>(
                    [&p](const model::Party& party) { return customer_draft(party, p.countries); });
            },
        .hash = [](const woo::CustomerDraft& draft) { return woo::content_hash(draft); },
        .target_key = [](const model::Party& party) { return woo::email_key(party.email); },
        .pages_per_run = batches};
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_poll_batched(*flow, p.parts, *p.products, p.options.parts);
    pipeline::add_poll_batched(*flow, p.customer_stream, *p.customers, p.options.customers);
    return flow;
}

}  // namespace

Result<std::unique_ptr<engine::FlowRunner>> make_catalog_runner(const engine::FlowConfig& flow,
                                                                const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    MLC_TRY(parts->options, parse_catalog_options(flow));
    MLC_TRY(auto ends, connections::open_ends(
                           flow, deps, kCatalogRecipe, "epicor", "woocommerce",
                           [&](const auto& c) { return connections::open_epicor(c, deps); },
                           [&](const auto& c) { return connections::open_woocommerce(c, deps); }));
    parts->epicor = std::move(ends.source);
    parts->woocommerce = std::move(ends.target);
    wire(*parts);
    return compose(std::move(parts));
}

void add_epicor_woocommerce_catalog_recipes(engine::RecipeRegistry& registry) {
    registry.add(kCatalogRecipe, make_catalog_runner);
}

}  // namespace mlc::flows::epicor_woocommerce
