#include "connectors/epicor/epicor_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include <boost/json.hpp>

#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/odata.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

constexpr KeysetTable kParts{"Erp.BO.PartSvc", "Parts", "PartNum", "part"};
constexpr KeysetTable kCustomers{"Erp.BO.CustomerSvc", "Customers", "CustID", "customer"};
constexpr const char* kPassDone = "0|";  // A full pass is done: the next one starts over.

std::string trim(std::string_view text) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(begin, end - begin));
}

std::string field(const json::object& row, std::string_view name) {
    return trim(text_of(row, name));
}

// The last (SysRevID, key) handed out; empty: from the beginning.
struct Keyset {
    std::int64_t rev = 0;
    std::string key;
    bool empty() const { return rev == 0 && key.empty(); }
    std::string encode() const { return std::to_string(rev) + "|" + key; }
};

Result<Keyset> decode(const std::string& text) {
    if (text.empty()) return Keyset{};
    const auto bar = text.find('|');
    std::int64_t rev = 0;
    const char* stop = text.data() + (bar == std::string::npos ? text.size() : bar);
    const auto [end, ec] = std::from_chars(text.data(), stop, rev);
    if (bar == std::string::npos || ec != std::errc() || end != stop) {
        return make_error(ErrorCode::kInternal, "store",
                          "Epicor keyset position \"" + text + "\" is not <SysRevID>|<key>");
    }
    return Keyset{.rev = rev, .key = text.substr(bar + 1)};
}

Result<std::optional<std::int64_t>> stock_quantity(const json::object& part,
                                                   const PartFields& fields) {
    if (fields.stock_field.empty()) return std::optional<std::int64_t>{};
    if (!part.contains(fields.stock_field)) {
        return make_error(ErrorCode::kConfig, "epicor",
                          "Part rows carry no field '" + fields.stock_field +
                              "': fix options.stock_field (or leave it empty)");
    }
    MLC_TRY_CTX(Decimal quantity, decimal_of(part, fields.stock_field),
                "reading the stock quantity of part " + text_of(part, "PartNum"));
    // Stock is sold in whole units: a fraction of a unit cannot be sold. Floor, not round.
    const __int128 per_unit = Decimal::from_int(1).units();
    __int128 whole = quantity.units() / per_unit;
    if (quantity.is_negative() && quantity.units() % per_unit != 0) --whole;
    return std::optional<std::int64_t>{whole < 0 ? 0 : static_cast<std::int64_t>(whole)};
}

template <typename T>
class KeysetScan final : public Scan<T> {
  public:
    KeysetScan(const KeysetSource<T>& source, EpicorClient& client, KeysetOptions options,
               KeysetTable table, Keyset at)
        : source_(source), client_(client), options_(options), table_(table), at_(std::move(at)) {}

    Result<Batch<T>> next() override {
        if (next_row_ == rows_.size()) {
            MLC_TRY_CTX(rows_, client_.list_rows_page(table_.service, table_.entity_set, query()),
                        std::string("while reading Epicor ") + table_.entity_set);
            next_row_ = 0;
            last_page_ = rows_.size() < options_.page_size;
        }
        Batch<T> batch;
        const std::size_t end =
            std::min(rows_.size(), next_row_ + std::max<std::size_t>(1, options_.batch_rows));
        for (; next_row_ < end; ++next_row_) MLC_CHECK(add(rows_[next_row_], batch));
        batch.more = !(last_page_ && next_row_ == rows_.size());
        if (options_.full && !batch.more) {
            batch.position = kPassDone;
        } else if (!batch.items.empty() || !batch.rejected.empty()) {
            batch.position = at_.encode();  // Its last row's. An empty batch has not moved.
        }
        return batch;
    }

  private:
    odata::Query query() const {
        const std::string key = table_.key_field;
        odata::Query query{.top = options_.page_size};
        const std::string after = key + " gt " + odata::string_literal(at_.key);
        if (options_.full) {
            query.orderby = key;
            if (!at_.key.empty()) query.filter = after;
        } else {
            query.orderby = "SysRevID," + key;
            if (!at_.empty()) {
                query.filter = "(" + odata::gt("SysRevID", at_.rev) + ") or " +
                               odata::and_(odata::eq("SysRevID", at_.rev), after);
            }
        }
        return query;
    }
    Result<void> add(const json::object& row, Batch<T>& batch) {
        at_ = Keyset{.rev = int_of(row, "SysRevID"), .key = text_of(row, table_.key_field)};
        auto mapped = source_.map(row);
        if (!mapped && mapped.error().code == ErrorCode::kConfig) return std::move(mapped).error();
        if (!mapped) {
            batch.rejected.push_back(RejectedRecord{
                .key = at_.key, .raw = json::serialize(row), .error = std::move(mapped).error()});
            return ok();
        }
        batch.items.push_back(Record<T>{.value = std::move(*mapped), .raw = json::serialize(row)});
        return ok();
    }

    const KeysetSource<T>& source_;
    EpicorClient& client_;
    KeysetOptions options_;
    KeysetTable table_;
    Keyset at_;
    std::vector<json::object> rows_;
    std::size_t next_row_ = 0;
    bool last_page_ = false;
};

}  // namespace

Result<model::Item> catalog_item(const json::object& part, const PartFields& fields) {
    model::Item item;
    item.sku = text_of(part, "PartNum");
    item.source = {.system = "epicor", .key = item.sku, .id = ""};
    item.description = field(part, "PartDescription");
    if (item.description.empty()) item.description = item.sku;  // A product needs a title.
    if (!part.contains(fields.price_field)) {
        return make_error(ErrorCode::kConfig, "epicor",
                          "Part rows carry no field '" + fields.price_field +
                              "': fix options.price_field (UnitPrice by default)");
    }
    MLC_TRY_CTX(item.unit_price, decimal_of(part, fields.price_field),
                "reading the price of part " + item.sku);
    if (part.contains("NetWeight")) {
        MLC_TRY_CTX(Decimal weight, decimal_of(part, "NetWeight"),
                    "reading the weight of part " + item.sku);
        if (!weight.is_zero()) item.weight = weight;
        item.weight_unit = field(part, "NetWeightUOM");
        for (char& c : item.weight_unit) c = static_cast<char>(std::tolower(c));
    }
    MLC_TRY(auto quantity, stock_quantity(part, fields));
    if (quantity) item.quantity_on_hand = Decimal::from_int(*quantity);
    item.active = !bool_of(part, "InActive");
    item.stocked = !bool_of(part, "NonStock");
    item.revision = std::to_string(int_of(part, "SysRevID"));
    return item;
}

Result<model::Party> catalog_party(const json::object& customer, std::string_view zone) {
    MLC_TRY(model::Party party, party_from_customer(customer, zone));
    model::Address& a = party.billing;
    for (std::string* text :
         {&party.name, &party.email, &a.name, &a.company, &a.street1, &a.street2, &a.street3,
          &a.city, &a.state, &a.postal_code, &a.country, &a.phone, &a.email}) {
        *text = trim(*text);
    }
    party.shipping = a;
    return party;
}

template <typename T>
Result<std::unique_ptr<Scan<T>>> KeysetSource<T>::scan(const std::string& position) {
    MLC_TRY(Keyset at, decode(position));
    return std::unique_ptr<Scan<T>>(
        std::make_unique<KeysetScan<T>>(*this, client_, options_, table_, std::move(at)));
}

template <typename T>
Result<std::optional<Record<T>>> KeysetSource<T>::get(const std::string& replay) {
    odata::Query query{.filter = odata::eq(table_.key_field, replay), .top = 1};
    MLC_TRY(auto rows, client_.list_rows_page(table_.service, table_.entity_set, query));
    if (rows.empty()) return std::optional<Record<T>>();
    MLC_TRY(T value, map(rows.front()));
    return std::optional<Record<T>>(
        Record<T>{.value = std::move(value), .raw = json::serialize(rows.front())});
}

template <typename T>
SourceIdentity KeysetSource<T>::identify(const T& record) const {
    const std::string& key = record.source.key;
    return SourceIdentity{.key = key,
                          .ref = std::string("epicor:") + table_.noun + ":" + key,
                          .replay = key,
                          .label = std::string("Epicor ") + table_.noun + " " + key,
                          .version = std::nullopt};
}

template class KeysetSource<model::Item>;
template class KeysetSource<model::Party>;

PartsSource::PartsSource(EpicorClient& client, KeysetOptions options, PartFields fields)
    : KeysetSource<model::Item>(client, options, kParts), fields_(std::move(fields)) {}

CustomersSource::CustomersSource(EpicorClient& client, KeysetOptions options)
    : KeysetSource<model::Party>(client, options, kCustomers), zone_(client.config().server_zone) {}

}  // namespace mlc::connectors::epicor
