#include "flows/epicor_woocommerce/catalog_woo_target.hpp"

#include <charconv>

#include "common/assert.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace woo = connectors::woocommerce;

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// The connector keys a product by SKU and puts Woo's id in source.id; a customer's key and id
// are both Woo's id (woocommerce_json.hpp).
Result<std::int64_t> woo_id(const model::SourceRef& source, std::string_view what) {
    const std::string& text = source.id.empty() ? source.key : source.id;
    if (auto id = parse_id(text)) return *id;
    return make_error(ErrorCode::kInvalidInput, "woocommerce",
                      std::string(what) + " answered without a numeric id (\"" + text + "\")");
}

ProductOutcome outcome_of(const woo::BatchItemResult& item) {
    return ProductOutcome{.sku = item.sku, .id = item.id, .error = item.error};
}

}  // namespace

model::Item item_from_draft(const ProductDraft& draft) {
    model::Item item;
    item.source = {.system = "epicor", .key = draft.sku, .id = ""};
    item.sku = draft.sku;
    item.description = draft.name;
    // The draft's price text came from a Decimal (catalog_mapping.cpp): it always parses.
    auto price = Decimal::parse(draft.regular_price);
    MLC_ASSERT(price.has_value(), "a draft's price is Decimal text");
    item.unit_price = *price;
    if (!draft.weight.empty()) {
        auto weight = Decimal::parse(draft.weight);
        MLC_ASSERT(weight.has_value(), "a draft's weight is Decimal text");
        item.weight = *weight;
    }
    if (draft.stock_quantity) item.quantity_on_hand = Decimal::from_int(*draft.stock_quantity);
    item.active = draft.published;
    item.stocked = draft.stock_status != StockStatus::kOnBackorder;
    item.revision = std::to_string(draft.sys_rev_id);
    return item;
}

model::Party party_from_draft(const CustomerDraft& draft) {
    model::Party party;
    party.source = {.system = "epicor", .key = draft.cust_id, .id = ""};
    party.name = draft.first_name;
    party.email = draft.email;
    const CustomerAddress& a = draft.address;
    party.billing = model::Address{.name = a.first_name,
                                   .company = a.company,
                                   .street1 = a.address_1,
                                   .street2 = a.address_2,
                                   .street3 = {},
                                   .city = a.city,
                                   .state = a.state,
                                   .postal_code = a.postcode,
                                   .country = a.country,
                                   .phone = a.phone,
                                   .email = draft.email};
    party.shipping = party.billing;
    party.shipping.email.clear();
    return party;
}

Result<std::map<std::string, std::int64_t>> WooCatalogTarget::find_products_by_sku(
    const std::vector<std::string>& skus) {
    MLC_ASSERT(skus.size() <= kSkusPerLookupMax, "one lookup page answers every SKU asked");
    std::map<std::string, std::int64_t> found;
    if (skus.empty()) return found;
    std::string list;
    for (const std::string& sku : skus) {
        if (!list.empty()) list += ',';
        list += sku;
    }
    MLC_TRY(auto page, client_.list_products({.page = 1,
                                              .modified_after = std::nullopt,
                                              .sku = std::move(list),
                                              .per_page = woo::kPerPageMax}));
    for (const auto& record : page.items) {
        MLC_TRY(std::int64_t id, woo_id(record.value.source, "a product lookup"));
        found[record.value.sku] = id;
    }
    return found;
}

Result<ProductBatchResult> WooCatalogTarget::write_products(const ProductBatch& batch) {
    woo::BatchProductsRequest request;
    for (const ProductDraft& draft : batch.create) request.create.push_back(item_from_draft(draft));
    for (const ProductUpdate& update : batch.update) {
        request.update.push_back({.id = update.id, .item = item_from_draft(update.product)});
    }
    MLC_TRY(auto answer, client_.batch_products(request));
    ProductBatchResult out;
    for (const auto& item : answer.created) out.created.push_back(outcome_of(item));
    for (const auto& item : answer.updated) out.updated.push_back(outcome_of(item));
    return out;
}

Result<std::optional<std::int64_t>> WooCatalogTarget::find_customer_by_email(
    std::string_view email) {
    MLC_TRY(auto found, client_.customer_by_email(email));
    if (!found) return std::optional<std::int64_t>{};
    MLC_TRY(std::int64_t id, woo_id(found->value.source, "a customer lookup"));
    return std::optional<std::int64_t>{id};
}

Result<std::int64_t> WooCatalogTarget::create_customer(const CustomerDraft& customer) {
    MLC_TRY(auto created, client_.create_customer(party_from_draft(customer)));
    return woo_id(created.value.source, "a customer create");
}

Result<void> WooCatalogTarget::update_customer(std::int64_t id, const CustomerDraft& customer) {
    MLC_TRY(auto updated, client_.update_customer(id, party_from_draft(customer)));
    (void)updated;
    return ok();
}

}  // namespace mlc::flows::epicor_woocommerce
