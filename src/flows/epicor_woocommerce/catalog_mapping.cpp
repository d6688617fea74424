#include "flows/epicor_woocommerce/catalog_mapping.hpp"

#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "connectors/epicor/epicor_json.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace ep = connectors::epicor;

// Country names Epicor tenants commonly hold (Country is a description, not a code).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kBuiltInCountries = {{
    {"USA", "US"},
    {"United States", "US"},
    {"United States of America", "US"},
    {"Canada", "CA"},
    {"Mexico", "MX"},
    {"United Kingdom", "GB"},
    {"Germany", "DE"},
    {"Australia", "AU"},
}};

std::string trim(std::string_view text) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(begin, end - begin));
}

class Fnv1a {
  public:
    void add(std::string_view field) {
        // Length-prefixed so "ab"+"c" and "a"+"bc" differ.
        for (char c : std::to_string(field.size()) + ":") mix(c);
        for (char c : field) mix(c);
    }
    std::string hex() const { return fmt::format("{:016x}", hash_); }

  private:
    static constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
    static constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
    void mix(char c) {
        hash_ ^= static_cast<unsigned char>(c);
        hash_ *= kFnvPrime;
    }
    std::uint64_t hash_ = kFnvOffset;
};

Result<std::optional<std::int64_t>> stock_quantity(const boost::json::object& part,
                                                   const CatalogOptions& options) {
    if (options.stock_field.empty()) return std::optional<std::int64_t>{};
    if (!part.contains(options.stock_field)) {
        return make_error(ErrorCode::kConfig, "epicor",
                          "Part rows carry no field '" + options.stock_field +
                              "': fix options.stock_field (or leave it empty)");
    }
    MLC_TRY_CTX(Decimal quantity, ep::decimal_of(part, options.stock_field),
                "reading the stock quantity of part " + ep::text_of(part, "PartNum"));
    // Woo stock_quantity is whole units: a fraction of a unit cannot be sold. Floor, not round.
    const __int128 per_unit = Decimal::from_int(1).units();
    __int128 whole = quantity.units() / per_unit;
    if (quantity.is_negative() && quantity.units() % per_unit != 0) --whole;
    return std::optional<std::int64_t>{whole < 0 ? 0 : static_cast<std::int64_t>(whole)};
}

std::string country_code(const std::string& country, const CatalogOptions& options,
                         std::string& note) {
    if (country.empty()) return {};
    if (auto it = options.countries.find(country); it != options.countries.end()) {
        return it->second;
    }
    for (const auto& [name, code] : kBuiltInCountries) {
        if (name == country) return std::string(code);
    }
    if (country.size() == 2 && std::isalpha(static_cast<unsigned char>(country[0])) &&
        std::isalpha(static_cast<unsigned char>(country[1]))) {
        std::string code = country;
        for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return code;
    }
    note = "country '" + country + "' has no ISO code: add it to mappings.countries";
    return {};
}

}  // namespace

std::string_view to_string(StockStatus status) {
    switch (status) {
        case StockStatus::kInStock:
            return "instock";
        case StockStatus::kOutOfStock:
            return "outofstock";
        case StockStatus::kOnBackorder:
            return "onbackorder";
    }
    return "instock";
}

Result<ProductDraft> product_from_part(const boost::json::object& part,
                                       const CatalogOptions& options) {
    ProductDraft draft;
    draft.sku = ep::text_of(part, "PartNum");
    draft.name = trim(ep::text_of(part, "PartDescription"));
    if (draft.name.empty()) draft.name = draft.sku;
    if (!part.contains(options.price_field)) {
        return make_error(ErrorCode::kConfig, "epicor",
                          "Part rows carry no field '" + options.price_field +
                              "': fix options.price_field (UnitPrice by default)");
    }
    MLC_TRY_CTX(Decimal price, ep::decimal_of(part, options.price_field),
                "reading the price of part " + draft.sku);
    // Woo money fields are strings (woocommerce.md); written with the currency's minor digits.
    draft.regular_price = price.to_string(currency_minor_digits(options.currency));
    if (part.contains("NetWeight")) {
        MLC_TRY_CTX(Decimal weight, ep::decimal_of(part, "NetWeight"),
                    "reading the weight of part " + draft.sku);
        if (!weight.is_zero()) draft.weight = weight.to_string();
    }
    const bool inactive = ep::bool_of(part, "InActive");
    const bool non_stock = ep::bool_of(part, "NonStock");
    draft.published = !inactive;
    MLC_TRY(draft.stock_quantity, stock_quantity(part, options));
    if (inactive) {
        draft.stock_status = StockStatus::kOutOfStock;
    } else if (draft.stock_quantity) {
        draft.stock_status =
            *draft.stock_quantity > 0 ? StockStatus::kInStock : StockStatus::kOutOfStock;
    } else {
        draft.stock_status = non_stock ? StockStatus::kOnBackorder : StockStatus::kInStock;
    }
    draft.sys_rev_id = ep::int_of(part, "SysRevID");
    return draft;
}

Result<CustomerDraft> customer_from_row(const boost::json::object& customer,
                                        const CatalogOptions& options) {
    CustomerDraft draft;
    draft.cust_id = ep::text_of(customer, "CustID");
    draft.email = trim(ep::text_of(customer, "EMailAddress"));
    draft.first_name = trim(ep::text_of(customer, "Name"));
    draft.address = CustomerAddress{
        .first_name = draft.first_name,
        .company = draft.first_name,
        .address_1 = trim(ep::text_of(customer, "Address1")),
        .address_2 = trim(ep::text_of(customer, "Address2")),
        .city = trim(ep::text_of(customer, "City")),
        .state = trim(ep::text_of(customer, "State")),
        .postcode = trim(ep::text_of(customer, "Zip")),
        .country = {},
        .phone = trim(ep::text_of(customer, "PhoneNum")),
    };
    const std::string line3 = trim(ep::text_of(customer, "Address3"));
    if (!line3.empty()) {
        // Woo has two address lines: keep Epicor's third rather than lose it.
        draft.address.address_2 += draft.address.address_2.empty() ? line3 : ", " + line3;
    }
    draft.address.country =
        country_code(trim(ep::text_of(customer, "Country")), options, draft.note);
    draft.sys_rev_id = ep::int_of(customer, "SysRevID");
    return draft;
}

std::string email_key(std::string_view email) {
    std::string key = trim(email);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

std::string content_hash(const ProductDraft& product) {
    Fnv1a hash;
    hash.add("product/1");
    hash.add(product.sku);
    hash.add(product.name);
    hash.add(product.regular_price);
    hash.add(product.weight);
    hash.add(product.published ? "publish" : "draft");
    hash.add(product.stock_quantity ? std::to_string(*product.stock_quantity) : "-");
    hash.add(to_string(product.stock_status));
    return hash.hex();
}

std::string content_hash(const CustomerDraft& customer) {
    Fnv1a hash;
    hash.add("customer/1");
    hash.add(customer.email);
    hash.add(customer.first_name);
    const CustomerAddress& a = customer.address;
    for (const std::string* field : {&a.first_name, &a.company, &a.address_1, &a.address_2, &a.city,
                                     &a.state, &a.postcode, &a.country, &a.phone}) {
        hash.add(*field);
    }
    return hash.hex();
}

}  // namespace mlc::flows::epicor_woocommerce
