#include "connectors/shipstation/shipstation_products.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <boost/json.hpp>

#include "connectors/shipstation/shipstation_json.hpp"

namespace mlc::connectors::shipstation {
namespace {

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::optional<std::int64_t> to_id(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

Error not_a_product(const std::string& what) {
    return make_error(ErrorCode::kInvalidInput, std::string("shipstation"),
                      "'" + what + "' is not a ShipStation productId");
}

}  // namespace

std::optional<Decimal> weight_ounces(const model::Item& item) {
    if (!item.weight) return std::nullopt;
    const std::string unit = upper(item.weight_unit);
    const char* factor = unit == "KG"   ? "35.27396195"
                         : unit == "G"  ? "0.03527396195"
                         : unit == "OZ" ? "1"
                                        : "16";  // LB, or none said.
    return item.weight->mul(Decimal::parse(factor).value()).round(2);
}

Result<std::optional<std::int64_t>> ProductCatalog::find(const std::string& sku) {
    if (!loaded_) {
        by_sku_.clear();
        by_id_.clear();
        for (std::uint32_t page = 1; page <= kCatalogPagesMax; ++page) {
            MLC_TRY(ProductsPage listed, client_.list_products({.page = page}));
            for (auto& product : listed.products) {
                by_sku_.emplace(product.sku, product.id);
                by_id_.emplace(product.id, std::move(product));
            }
            if (!listed.more) break;
        }
        loaded_ = true;
    }
    const auto found = by_sku_.find(sku);
    if (found == by_sku_.end()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(found->second);
}

const ProductRecord* ProductCatalog::listed(std::int64_t id) const {
    if (!loaded_) return nullptr;
    const auto found = by_id_.find(id);
    return found == by_id_.end() ? nullptr : &found->second;
}

Result<std::optional<std::string>> ProductsTarget::find_by_source(const std::string& sku) {
    MLC_TRY(const auto id, catalog_.find(sku));
    if (!id) return std::optional<std::string>();
    return std::optional<std::string>(std::to_string(*id));
}

Result<std::string> ProductsTarget::create(const model::Item& item) {
    MLC_TRY(const auto id, find_by_source(item.sku));
    if (!id) {
        Error error = make_error(ErrorCode::kNotFound, std::string("shipstation"),
                                 "SKU " + item.sku +
                                     " is not a ShipStation product: ShipStation makes the product "
                                     "with the first order that carries the SKU (V1 cannot create "
                                     "one); replay this letter after that order");
        error.record_key = "item " + item.sku;
        return error;
    }
    MLC_CHECK(update(*id, item));
    return *id;
}

Result<void> ProductsTarget::update(const std::string& id, const model::Item& item) {
    const auto number = to_id(id);
    if (!number) return not_a_product(id);
    ProductRecord product;
    if (const ProductRecord* listed = catalog_.listed(*number)) {
        product = *listed;
    } else {
        MLC_TRY(product, client_.get_product(*number));
    }
    product.json["name"] = item.description.empty() ? item.sku : item.description;
    product.json["price"] = exact_number(item.unit_price);
    if (const auto ounces = weight_ounces(item)) product.json["weightOz"] = exact_number(*ounces);
    product.json["active"] = item.active;
    return client_.update_product(product);
}

Result<void> ProductsTarget::close(const std::string& id) {
    const auto number = to_id(id);
    if (!number) return not_a_product(id);
    MLC_TRY(ProductRecord product, client_.get_product(*number));
    product.json["active"] = false;
    return client_.update_product(product);
}

std::string ProductsTarget::describe(const model::Item& item) const {
    const auto ounces = weight_ounces(item);
    return "SKU " + item.sku + ": name '" + item.description + "', price " +
           item.unit_price.to_string() + (ounces ? ", " + ounces->to_string() + " oz" : "") +
           (item.active ? ", active" : ", inactive");
}

}  // namespace mlc::connectors::shipstation
