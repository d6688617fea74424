#include "connectors/woocommerce/woocommerce_catalog.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace mlc::connectors::woocommerce {
namespace {

constexpr std::string_view kProduct = "product:";    // Target ids: Woo product and user ids
constexpr std::string_view kCustomer = "customer:";  // are separate spaces.

// Country names ERP tenants commonly hold where Woo wants a code.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kCountryNames = {{
    {"USA", "US"},
    {"United States", "US"},
    {"United States of America", "US"},
    {"Canada", "CA"},
    {"Mexico", "MX"},
    {"United Kingdom", "GB"},
    {"Germany", "DE"},
    {"Australia", "AU"},
}};

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

std::string country_code(const std::string& country, const CountryCodes& countries,
                         std::string& note) {
    if (country.empty()) return {};
    if (auto it = countries.find(country); it != countries.end()) return it->second;
    for (const auto& [name, code] : kCountryNames) {
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

std::optional<std::int64_t> number_of(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// "product:12" -> 12.
Result<std::int64_t> woo_number(const std::string& id, std::string_view prefix) {
    auto number = id.starts_with(prefix) ? number_of(std::string_view(id).substr(prefix.size()))
                                         : std::nullopt;
    if (number) return *number;
    return make_error(ErrorCode::kInternal, "store",
                      "binding holds '" + id + "', which is no WooCommerce " +
                          std::string(prefix.substr(0, prefix.size() - 1)) + " id");
}

// The connector keys a customer by Woo's id (woocommerce_json.hpp).
std::string customer_id(const model::SourceRef& source) {
    return std::string(kCustomer) + (source.id.empty() ? source.key : source.id);
}

std::string_view stock_status(const model::Item& item) {
    if (!item.active) return "outofstock";
    if (item.quantity_on_hand)
        return (!item.quantity_on_hand->is_zero() && !item.quantity_on_hand->is_negative())
                   ? "instock"
                   : "outofstock";
    return item.stocked ? "instock" : "onbackorder";
}

}  // namespace

model::Item prepare_product(model::Item item, std::string_view currency) {
    item.currency = std::string(currency);
    item.unit_price = item.unit_price.round(currency_minor_digits(currency));
    return item;
}

CustomerDraft prepare_customer(model::Party party, const CountryCodes& countries) {
    CustomerDraft draft;
    model::Address& a = party.billing;
    if (!a.street3.empty()) a.street2 += a.street2.empty() ? a.street3 : ", " + a.street3;
    a.street3.clear();
    a.country = country_code(a.country, countries, draft.note);
    a.email = party.email;
    party.shipping = a;
    party.shipping.email.clear();
    party.code.clear();
    draft.party = std::move(party);
    return draft;
}

std::string email_key(std::string_view email) {
    std::size_t begin = 0;
    std::size_t end = email.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(email[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(email[end - 1]))) --end;
    std::string key(email.substr(begin, end - begin));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

std::string content_hash(const model::Item& product) {
    Fnv1a hash;
    hash.add("product/1");
    hash.add(product.sku);
    hash.add(product.description);
    hash.add(product.unit_price.to_string(currency_minor_digits(product.currency)));
    hash.add(product.weight ? product.weight->to_string() : "");
    hash.add(product.active ? "publish" : "draft");
    const __int128 per_unit = Decimal::from_int(1).units();
    hash.add(product.quantity_on_hand ? std::to_string(static_cast<std::int64_t>(
                                            product.quantity_on_hand->units() / per_unit))
                                      : "-");
    hash.add(stock_status(product));
    return hash.hex();
}

std::string content_hash(const CustomerDraft& customer) {
    const model::Party& p = customer.party;
    const model::Address& a = p.billing;
    Fnv1a hash;
    hash.add("customer/1");
    hash.add(p.email);
    hash.add(p.name);
    for (const std::string* field : {&a.name, &a.company, &a.street1, &a.street2, &a.city, &a.state,
                                     &a.postal_code, &a.country, &a.phone}) {
        hash.add(*field);
    }
    return hash.hex();
}

Result<std::vector<std::optional<std::string>>> Products::find_all(
    const std::vector<std::string>& skus) {
    std::vector<std::optional<std::string>> out(skus.size());
    if (skus.empty()) return out;
    std::string list;
    for (const std::string& sku : skus) list += (list.empty() ? "" : ",") + sku;
    MLC_TRY(auto page, client_.list_products({.page = 1,
                                              .modified_after = std::nullopt,
                                              .sku = std::move(list),
                                              .per_page = kPerPageMax}));
    for (const auto& record : page.items) {
        for (std::size_t i = 0; i < skus.size(); ++i) {
            if (skus[i] == record.value.sku)
                out[i] = std::string(kProduct) + record.value.source.id;
        }
    }
    return out;
}

Result<std::vector<Result<std::string>>> Products::write(
    const std::vector<BatchWrite<model::Item>>& writes) {
    std::vector<Result<std::string>> out(writes.size(), Result<std::string>(std::string()));
    BatchProductsRequest request;
    std::vector<std::size_t> created, updated;  // Indexes of `writes`, in request order.
    for (std::size_t i = 0; i < writes.size(); ++i) {
        if (writes[i].id.empty()) {
            request.create.push_back(*writes[i].record);
            created.push_back(i);
            continue;
        }
        auto number = woo_number(writes[i].id, kProduct);
        if (!number) {
            out[i] = std::move(number).error();
            continue;
        }
        request.update.push_back({.id = *number, .item = *writes[i].record});
        updated.push_back(i);
    }
    if (created.empty() && updated.empty()) return out;
    MLC_TRY(auto answer, client_.batch_products(request));
    if (answer.created.size() != created.size() || answer.updated.size() != updated.size()) {
        return make_error(ErrorCode::kInvalidInput, "woocommerce",
                          "the products batch answered " + std::to_string(answer.created.size()) +
                              " creates and " + std::to_string(answer.updated.size()) +
                              " updates for " + std::to_string(created.size()) + " and " +
                              std::to_string(updated.size()) + " sent");
    }
    const auto settle = [&](const BatchItemResult& item, std::size_t i) {
        if (item.error) {
            out[i] = *item.error;
        } else {
            out[i] = std::string(kProduct) + std::to_string(item.id);
        }
    };
    for (std::size_t k = 0; k < created.size(); ++k) settle(answer.created[k], created[k]);
    for (std::size_t k = 0; k < updated.size(); ++k) settle(answer.updated[k], updated[k]);
    return out;
}

std::string Products::describe(const model::Item& item) const {
    return "price " + item.unit_price.to_string(currency_minor_digits(item.currency)) + ", " +
           (item.active ? "publish" : "draft") + ", " + std::string(stock_status(item));
}

Result<std::vector<std::optional<std::string>>> Customers::find_all(
    const std::vector<std::string>& emails) {
    std::vector<std::optional<std::string>> out;
    for (const std::string& email : emails) {
        MLC_TRY(auto found, client_.customer_by_email(email));
        out.push_back(found ? std::optional<std::string>(customer_id(found->value.source))
                            : std::nullopt);
    }
    return out;
}

Result<std::vector<Result<std::string>>> Customers::write(
    const std::vector<BatchWrite<CustomerDraft>>& writes) {
    std::vector<Result<std::string>> out;
    std::optional<Error> stopped;  // An error no customer causes: the rest are not sent.
    for (const BatchWrite<CustomerDraft>& write : writes) {
        if (stopped) {
            out.emplace_back(*stopped);
            continue;
        }
        const model::Party& party = write.record->party;
        Result<std::string> written = std::string();
        if (write.id.empty()) {
            auto created = client_.create_customer(party);
            written = created ? Result<std::string>(customer_id(created->value.source))
                              : Result<std::string>(std::move(created).error());
        } else if (auto number = woo_number(write.id, kCustomer); !number) {
            written = std::move(number).error();
        } else if (auto updated = client_.update_customer(*number, party); !updated) {
            written = std::move(updated).error();
        } else {
            written = write.id;
        }
        if (!written && next_action(written.error().code) != NextAction::kPark) {
            stopped = written.error();
        }
        out.push_back(std::move(written));
    }
    return out;
}

std::string Customers::describe(const CustomerDraft& draft) const {
    std::string text = draft.party.email;
    if (!draft.note.empty()) text += "; " + draft.note;
    return text;
}

}  // namespace mlc::connectors::woocommerce
