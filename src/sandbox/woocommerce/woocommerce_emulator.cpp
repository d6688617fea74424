#include "sandbox/woocommerce/woocommerce_emulator.hpp"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "common/assert.hpp"
#include "common/time.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/seeded.hpp"
#include "sandbox/woocommerce/webhook_crypto.hpp"
#include "sandbox/woocommerce/wp_json.hpp"

namespace mlc::sandbox::woocommerce {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// Deterministic 64-bit hash of (seed, a, b): one draw per field, no RNG state to replay.

struct Name {
    std::string_view display;
    std::string_view ascii;  // For emails and usernames.
};
// Some non-ASCII names on purpose: WordPress writes them as \uXXXX.
constexpr std::array<Name, 12> kFirstNames = {{{"Ava", "ava"},
                                               {"Ben", "ben"},
                                               {"Chloé", "chloe"},
                                               {"Diego", "diego"},
                                               {"Emma", "emma"},
                                               {"Farid", "farid"},
                                               {"Grace", "grace"},
                                               {"Hiro", "hiro"},
                                               {"Isla", "isla"},
                                               {"Jonas", "jonas"},
                                               {"Zoë", "zoe"},
                                               {"Liam", "liam"}}};
constexpr std::array<Name, 10> kLastNames = {{{"Nguyen", "nguyen"},
                                              {"Smith", "smith"},
                                              {"García", "garcia"},
                                              {"Kowalski", "kowalski"},
                                              {"O'Brien", "obrien"},
                                              {"Müller", "muller"},
                                              {"Chen", "chen"},
                                              {"Patel", "patel"},
                                              {"Rossi", "rossi"},
                                              {"Brown", "brown"}}};
// Product names carry `/` and `"` on purpose (escaped by WordPress JSON).
constexpr std::array<std::string_view, 8> kProductWords = {
    "Widget", "Gasket 1/2\"", "Bracket", "Valve 3/4\"", "Sensor", "Cable", "Hinge", "Filter"};
constexpr std::array<std::string_view, 6> kProductAdjectives = {"Steel", "Brass", "Large",
                                                                "Mini",  "Pro",   "Eco"};

template <typename Table>
const auto& pick(std::uint64_t draw, const Table& table) {
    return table[draw % table.size()];
}

std::string alnum(std::uint64_t seed, std::uint64_t salt, std::size_t length) {
    static constexpr std::string_view kChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out.push_back(kChars[mix(seed, salt, i) % 62]);
    return out;
}

std::string hex40(std::uint64_t seed, std::uint64_t salt) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < 40; ++i) out.push_back(kHex[mix(seed, salt, i) % 16]);
    return out;
}

constexpr std::chrono::hours kSeedHistory{24 * 90};  // Seeded orders span the last 90 days.

UtcTime whole_seconds(UtcTime t) { return std::chrono::floor<std::chrono::seconds>(t); }

json::array links(const std::string& self) { return json::array{json::object{{"href", self}}}; }

constexpr std::array<std::string_view, 6> kSeedStatuses = {"completed", "completed", "processing",
                                                           "on-hold",   "cancelled", "pending"};

}  // namespace

WooCommerceEmulator::WooCommerceEmulator(EmulatorContext context)
    : context_(context),
      consumer_key_("ck_" + hex40(context.seed, 1)),
      consumer_secret_("cs_" + hex40(context.seed, 2)) {
    seed_data();
}

WooCommerceEmulator::~WooCommerceEmulator() = default;

void WooCommerceEmulator::set_base_url(std::string_view base_url) {
    base_url_ = base_url;
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

json::object WooCommerceEmulator::connection_info(std::string_view base_url) const {
    std::string site(base_url);
    while (!site.empty() && site.back() == '/') site.pop_back();
    return {{"base_url", site + "/wp-json/wc/v3"},
            {"site_url", site},
            {"consumer_key", consumer_key_},
            {"consumer_secret", consumer_secret_}};
}

// ---- Seeded data ----------------------------------------------------------------------------

// Seeded records depend only on (seed, volume, the clock at construction): same seed, same data.
// Customers and products are stored whole (at most 50,000 and 2,000); orders, up to a million,
// keep one SeedOrder row each and are generated again from (seed, index) whenever shown.
// Products and customers are the sandboxes' shared catalog's (sandbox/catalog.hpp): product i is
// part i + 1 (SKU = PartNum, its price), customer i the catalog's i-th customer with an e-mail.
void WooCommerceEmulator::seed_data() {
    seed_epoch_ = whole_seconds(context_.clock.now());
    // Orders are placed by customers Epicor has too: those with an e-mail among its customers.
    seed_ordering_customers_ =
        catalog::customers_with_email(catalog::customer_count(context_.volume));
    seed_customers(std::clamp<std::size_t>(context_.volume / 3, 10, 50'000));
    seed_ordering_customers_ = std::min(seed_ordering_customers_, seed_customer_count_);
    seed_products(std::clamp<std::size_t>(context_.volume / 4, 20, 2'000));
    seed_orders(std::min(context_.volume, kSeedOrdersMax));
}

WooCommerceEmulator::Customer WooCommerceEmulator::seeded_customer(std::size_t i) const {
    const std::uint64_t seed = context_.seed;
    Customer c;
    c.id = static_cast<std::int64_t>(i) + 1;  // Customer ids start at 1 (next_customer_id_).
    const std::size_t n = catalog::customer_with_email(i);
    const auto& first = pick(mix(seed, 100, i), kFirstNames);
    const auto& last = pick(mix(seed, 101, i), kLastNames);
    c.first_name = first.display;
    c.last_name = last.display;
    c.email = catalog::customer_email(n);  // The Epicor customer's: orders resolve by it.
    c.username = std::string(first.ascii) + std::to_string(c.id);
    c.created = seed_epoch_ - kSeedHistory - std::chrono::hours{24 + mix(seed, 102, i) % 500};
    c.modified = c.created + std::chrono::minutes{mix(seed, 103, i) % 10'000};
    const catalog::Address address = catalog::customer_address(seed, n);
    c.billing = {{"first_name", c.first_name},
                 {"last_name", c.last_name},
                 {"company", ""},
                 {"address_1", address.number + " " + address.street},
                 {"address_2", ""},
                 {"city", address.city},
                 {"state", address.state},
                 {"postcode", address.zip},
                 {"country", "US"},
                 {"email", c.email},
                 {"phone", "555-01" + std::to_string(10 + i % 90)}};
    c.shipping = c.billing;
    c.shipping.erase("email");
    return c;
}

void WooCommerceEmulator::seed_customers(std::size_t customer_count) {
    seed_customer_count_ = customer_count;
    for (std::size_t i = 0; i < customer_count; ++i) {
        Customer c = seeded_customer(i);
        next_customer_id_ = c.id + 1;
        customers_.emplace(c.id, std::move(c));
    }
}

WooCommerceEmulator::Product WooCommerceEmulator::seeded_product(std::size_t i) const {
    const std::uint64_t seed = context_.seed;
    Product p;
    p.id = seed_first_product_id_ + static_cast<std::int64_t>(i);
    p.name = std::string(pick(mix(seed, 200, i), kProductAdjectives)) + " " +
             std::string(pick(mix(seed, 201, i), kProductWords));
    p.sku = catalog::part_number(i + 1);
    p.regular_price = catalog::part_price(seed, i + 1);  // Whole cents: totals add up exactly.
    // The inactive Epicor part is a draft, as the catalog flow writes it; no seeded order sells it.
    if (catalog::part_inactive(i + 1)) p.status = "draft";
    p.stock_quantity = static_cast<std::int64_t>(mix(seed, 204, i) % 60);
    p.weight = std::to_string(1 + mix(seed, 205, i) % 20);
    p.dimensions = {{"length", std::to_string(5 + mix(seed, 206, i) % 30)},
                    {"width", std::to_string(5 + mix(seed, 207, i) % 30)},
                    {"height", std::to_string(1 + mix(seed, 208, i) % 10)}};
    p.created = seed_epoch_ - kSeedHistory - std::chrono::hours{mix(seed, 209, i) % 2000};
    p.modified = p.created + std::chrono::hours{mix(seed, 210, i) % 1000};
    return p;
}

void WooCommerceEmulator::seed_products(std::size_t product_count) {
    seed_product_count_ = product_count;
    seed_first_product_id_ = next_post_id_;
    for (std::size_t i = 0; i < product_count; ++i) {
        Product p = seeded_product(i);
        products_.emplace(p.id, std::move(p));
    }
    next_post_id_ += static_cast<std::int64_t>(product_count);
}

// Ids as a loop creating each order would hand them out: the order, its lines, then its refund
// (orders, products and refunds share WordPress post ids).
void WooCommerceEmulator::seed_orders(std::size_t order_count) {
    const std::uint64_t seed = context_.seed;
    seed_order_step_ =
        std::chrono::seconds{order_count == 0 ? 0
                                              : std::chrono::seconds(kSeedHistory).count() /
                                                    static_cast<std::int64_t>(order_count)};
    seed_orders_.reserve(order_count);
    for (std::size_t i = 0; i < order_count; ++i) {
        SeedOrder row;
        row.index = static_cast<std::uint32_t>(i);
        row.id = next_post_id_++;
        row.status = static_cast<std::uint8_t>(mix(seed, 301, i) % kSeedStatuses.size());
        row.created = seed_epoch_ - kSeedHistory + seed_order_step_ * static_cast<std::int64_t>(i) +
                      std::chrono::seconds{mix(seed, 302, i) % 60};
        row.modified =
            std::min(seed_epoch_, row.created + std::chrono::minutes{mix(seed, 303, i) % 3000});
        row.customer_id =
            static_cast<std::int32_t>(mix(seed, 304, i) % seed_ordering_customers_) + 1;
        const std::string_view status = kSeedStatuses[row.status];
        // WC_Order::payment_complete() sets the customer's is_paying_customer.
        if (status == "completed" || status == "processing") {
            customers_.at(row.customer_id).paying = true;
        }
        row.first_line_id = next_item_id_;
        next_item_id_ += static_cast<std::int64_t>(1 + mix(seed, 308, i) % 3);
        // Every seventh completed order has a partial refund of its first line's unit price.
        if (status == "completed" && i % 7 == 0) row.refund_id = next_post_id_++;
        seed_orders_.push_back(row);
    }
}

WooCommerceEmulator::Order WooCommerceEmulator::generate_order(const SeedOrder& row) const {
    const std::uint64_t seed = context_.seed;
    const std::size_t i = row.index;
    Order o;
    o.id = row.id;
    o.order_key = "wc_order_" + alnum(seed, 300 + i, 13);
    o.status = kSeedStatuses[row.status];
    o.created = row.created;
    o.modified = row.modified;
    // The addresses as the customer had them at checkout (seeding time).
    const Customer customer = seeded_customer(static_cast<std::size_t>(row.customer_id - 1));
    o.customer_id = customer.id;
    o.billing = customer.billing;
    o.shipping = customer.shipping;
    const bool card = mix(seed, 305, i) % 4 != 0;
    o.payment_method = card ? "stripe" : "bacs";
    o.payment_method_title = card ? "Credit Card (Stripe)" : "Direct bank transfer";
    if (o.status == "completed" || o.status == "processing") {
        o.paid = o.created + 2min;
        if (card) o.transaction_id = "ch_" + alnum(seed, 306 + i, 24);
    }
    if (o.status == "completed") o.completed = o.modified;
    o.shipping_total = Decimal::from_int(static_cast<std::int64_t>(mix(seed, 307, i) % 3) * 5);
    const std::size_t line_count = 1 + mix(seed, 308, i) % 3;
    for (std::size_t l = 0; l < line_count; ++l) {
        // The product as it was at checkout: later edits do not change order lines.
        const Product product =
            seeded_product(catalog::fitting_part(mix(seed, 309 + l, i), seed_product_count_) - 1);
        LineItem line;
        line.id = row.first_line_id + static_cast<std::int64_t>(l);
        line.name = product.name;
        line.sku = product.sku;
        line.product_id = product.id;
        line.quantity = static_cast<std::int64_t>(1 + mix(seed, 312 + l, i) % 4);
        line.subtotal = product.sale_price.value_or(product.regular_price).mul(line.quantity);
        line.total = line.subtotal;
        o.lines.push_back(std::move(line));
    }
    if (row.refund_id != 0) {
        Refund r;
        r.id = row.refund_id;
        r.created = o.modified;
        r.amount = o.lines.front().total.mul(1).round(2);
        if (o.lines.front().quantity > 1) {
            r.amount =
                Decimal::from_units(o.lines.front().total.units() / o.lines.front().quantity);
        }
        r.reason = "Damaged in transit";
        r.refunded_payment = card;
        o.refunds.push_back(std::move(r));
    }
    return o;
}

std::string_view WooCommerceEmulator::seed_status(const SeedOrder& row) {
    return kSeedStatuses[row.status];
}

const WooCommerceEmulator::SeedOrder* WooCommerceEmulator::seed_row(std::int64_t id) const {
    const auto found =
        std::lower_bound(seed_orders_.begin(), seed_orders_.end(), id,
                         [](const SeedOrder& row, std::int64_t wanted) { return row.id < wanted; });
    if (found == seed_orders_.end() || found->id != id) return nullptr;
    return &*found;
}

const WooCommerceEmulator::Order* WooCommerceEmulator::find_order(
    std::int64_t id, std::optional<Order>& scratch) const {
    if (const auto stored = orders_.find(id); stored != orders_.end()) return &stored->second;
    const SeedOrder* row = seed_row(id);
    if (row == nullptr || row->stored) return nullptr;  // Unknown, or deleted after a change.
    scratch = generate_order(*row);
    return &*scratch;
}

WooCommerceEmulator::Order* WooCommerceEmulator::order_for_update(std::int64_t id) {
    if (const auto stored = orders_.find(id); stored != orders_.end()) return &stored->second;
    const SeedOrder* row = seed_row(id);
    if (row == nullptr || row->stored) return nullptr;
    auto& mutable_row = seed_orders_[static_cast<std::size_t>(row - seed_orders_.data())];
    mutable_row.stored = true;
    return &orders_.emplace(id, generate_order(mutable_row)).first->second;
}

std::size_t WooCommerceEmulator::order_count() const {
    std::size_t seeded = 0;
    for (const auto& row : seed_orders_) seeded += row.stored ? 0 : 1;  // At most kSeedOrdersMax.
    return orders_.size() + seeded;
}

// ---- Rendering --------------------------------------------------------------------------------

std::string WooCommerceEmulator::local_text(UtcTime time) const {
    auto text = format_local(time, timezone_, "%Y-%m-%dT%H:%M:%S");
    MLC_ASSERT(text.has_value(), "the store time zone was validated when it was set");
    return *text;
}

// Woo writes each date twice without offset: site-local and UTC (wc_rest_prepare_date_response).
void WooCommerceEmulator::put_date(json::object& out, std::string_view name,
                                   std::optional<UtcTime> time) const {
    const std::string gmt = std::string(name) + "_gmt";
    if (!time) {
        out[name] = nullptr;
        out[gmt] = nullptr;
        return;
    }
    out[name] = local_text(*time);
    out[gmt] = format_local(*time, "UTC", "%Y-%m-%dT%H:%M:%S").value_or("");
}

json::object WooCommerceEmulator::render(const Customer& c) const {
    json::object out{{"id", c.id}};
    put_date(out, "date_created", c.created);
    put_date(out, "date_modified", c.modified);
    out["email"] = c.email;
    out["first_name"] = c.first_name;
    out["last_name"] = c.last_name;
    out["role"] = "customer";
    out["username"] = c.username;
    out["billing"] = c.billing;
    out["shipping"] = c.shipping;
    out["is_paying_customer"] = c.paying;
    out["avatar_url"] = "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g";
    out["meta_data"] = json::array{};
    const std::string api = base_url_ + std::string(kApiPrefix);
    out["_links"] = json::object{{"self", links(api + "customers/" + std::to_string(c.id))},
                                 {"collection", links(api + "customers")}};
    return out;
}

json::object WooCommerceEmulator::render(const Product& p) const {
    const Decimal price = p.sale_price.value_or(p.regular_price);
    json::object out{{"id", p.id}, {"name", p.name}};
    out["slug"] = "product-" + std::to_string(p.id);
    out["permalink"] = base_url_ + "/product/product-" + std::to_string(p.id) + "/";
    put_date(out, "date_created", p.created);
    put_date(out, "date_modified", p.modified);
    out["type"] = "simple";
    out["status"] = p.status;
    out["sku"] = p.sku;
    out["price"] = money_text(price);
    out["regular_price"] = money_text(p.regular_price);
    out["sale_price"] = p.sale_price ? money_text(*p.sale_price) : std::string();
    out["on_sale"] = p.sale_price.has_value();
    out["manage_stock"] = p.manage_stock;
    out["stock_quantity"] = p.manage_stock ? json::value(p.stock_quantity) : json::value(nullptr);
    out["stock_status"] = !p.manage_stock        ? p.stock_status
                          : p.stock_quantity > 0 ? "instock"
                                                 : "outofstock";
    out["weight"] = p.weight;
    out["dimensions"] = p.dimensions;
    out["meta_data"] = json::array{};
    const std::string api = base_url_ + std::string(kApiPrefix);
    out["_links"] = json::object{{"self", links(api + "products/" + std::to_string(p.id))},
                                 {"collection", links(api + "products")}};
    return out;
}

Decimal WooCommerceEmulator::order_total(const Order& order) const {
    Decimal total = order.shipping_total + order.total_tax;
    for (const auto& line : order.lines) total += line.total;
    return total;
}

void WooCommerceEmulator::mark_paid(Order& order, UtcTime when) {
    if (!order.paid) order.paid = when;
    // WC_Order::payment_complete() sets the customer's is_paying_customer.
    const auto customer = customers_.find(order.customer_id);
    if (customer != customers_.end()) customer->second.paying = true;
}

Decimal WooCommerceEmulator::refunded_total(const Order& order) const {
    Decimal total;
    for (const auto& refund : order.refunds) total += refund.amount;
    return total;
}

json::object WooCommerceEmulator::render(const Order& o) const {
    json::object out{{"id", o.id}, {"parent_id", 0}, {"status", o.status}};
    out["currency"] = o.currency;
    out["version"] = "8.5.2";
    out["prices_include_tax"] = false;
    put_date(out, "date_created", o.created);
    put_date(out, "date_modified", o.modified);
    out["discount_total"] = money_text(o.discount_total);
    out["discount_tax"] = "0.00";
    out["shipping_total"] = money_text(o.shipping_total);
    out["shipping_tax"] = "0.00";
    out["cart_tax"] = money_text(o.total_tax);
    out["total"] = money_text(order_total(o));
    out["total_tax"] = money_text(o.total_tax);
    out["customer_id"] = o.customer_id;
    out["order_key"] = o.order_key;
    out["billing"] = o.billing;
    out["shipping"] = o.shipping;
    out["payment_method"] = o.payment_method;
    out["payment_method_title"] = o.payment_method_title;
    out["transaction_id"] = o.transaction_id;
    out["created_via"] = "checkout";
    out["customer_note"] = o.customer_note;
    put_date(out, "date_completed", o.completed);
    put_date(out, "date_paid", o.paid);
    out["number"] = std::to_string(o.id);
    out["meta_data"] = o.meta_data;
    json::array lines;
    for (const auto& line : o.lines) {
        const Decimal unit = line.quantity == 0
                                 ? Decimal{}
                                 : Decimal::from_units(line.total.units() / line.quantity);
        lines.push_back(json::object{{"id", line.id},
                                     {"name", line.name},
                                     {"product_id", line.product_id},
                                     {"variation_id", 0},
                                     {"quantity", line.quantity},
                                     {"tax_class", ""},
                                     {"subtotal", money_text(line.subtotal)},
                                     {"subtotal_tax", money_text(line.total_tax)},
                                     {"total", money_text(line.total)},
                                     {"total_tax", money_text(line.total_tax)},
                                     {"taxes", json::array{}},
                                     {"meta_data", json::array{}},
                                     {"sku", line.sku},
                                     {"price", php_float(unit)}});
    }
    out["line_items"] = std::move(lines);
    out["tax_lines"] = json::array{};
    json::array shipping_lines;
    if (!o.shipping_total.is_zero()) {
        shipping_lines.push_back(json::object{{"id", o.id * 10 + 1},
                                              {"method_title", "Flat rate"},
                                              {"method_id", "flat_rate"},
                                              {"total", money_text(o.shipping_total)},
                                              {"total_tax", "0.00"},
                                              {"taxes", json::array{}},
                                              {"meta_data", json::array{}}});
    }
    out["shipping_lines"] = std::move(shipping_lines);
    out["fee_lines"] = json::array{};
    out["coupon_lines"] = json::array{};
    json::array refunds;
    for (const auto& refund : o.refunds) {
        // refunds[].total is negative in the order view (spec).
        refunds.push_back(json::object{
            {"id", refund.id}, {"reason", refund.reason}, {"total", money_text(-refund.amount)}});
    }
    out["refunds"] = std::move(refunds);
    out["currency_symbol"] = "$";
    const std::string api = base_url_ + std::string(kApiPrefix);
    json::object link_set{{"self", links(api + "orders/" + std::to_string(o.id))},
                          {"collection", links(api + "orders")}};
    if (o.customer_id != 0) {
        link_set["customer"] = links(api + "customers/" + std::to_string(o.customer_id));
    }
    out["_links"] = std::move(link_set);
    return out;
}

json::object WooCommerceEmulator::render(const Order& o, const Refund& r) const {
    json::object out{{"id", r.id}};
    put_date(out, "date_created", r.created);
    out["amount"] = money_text(r.amount);
    out["reason"] = r.reason;
    out["refunded_by"] = 1;
    out["refunded_payment"] = r.refunded_payment;
    out["meta_data"] = json::array{};
    out["line_items"] = json::array{};
    const std::string api = base_url_ + std::string(kApiPrefix) + "orders/" + std::to_string(o.id);
    out["_links"] = json::object{{"self", links(api + "/refunds/" + std::to_string(r.id))},
                                 {"collection", links(api + "/refunds")},
                                 {"up", links(api)}};
    return out;
}

json::object WooCommerceEmulator::render(const Order& o, const Note& n) const {
    json::object out{{"id", n.id}, {"author", "WooCommerce"}};
    put_date(out, "date_created", n.created);
    out["note"] = n.note;
    out["customer_note"] = n.customer_note;
    const std::string api = base_url_ + std::string(kApiPrefix) + "orders/" + std::to_string(o.id);
    out["_links"] =
        json::object{{"self", links(api + "/notes/" + std::to_string(n.id))}, {"up", links(api)}};
    return out;
}

json::object WooCommerceEmulator::render(const Webhook& w) const {
    const auto dot = w.topic.find('.');
    json::object out{{"id", w.id}, {"name", w.name}, {"status", w.status}, {"topic", w.topic}};
    out["resource"] = w.topic.substr(0, dot);
    out["event"] = dot == std::string::npos ? std::string() : w.topic.substr(dot + 1);
    out["hooks"] = json::array{"woocommerce_" + w.topic.substr(0, dot) + "_" +
                               out["event"].as_string().c_str()};
    out["delivery_url"] = w.delivery_url;
    put_date(out, "date_created", w.created);
    put_date(out, "date_modified", w.modified);
    const std::string api = base_url_ + std::string(kApiPrefix);
    out["_links"] = json::object{{"self", links(api + "webhooks/" + std::to_string(w.id))},
                                 {"collection", links(api + "webhooks")}};
    return out;
}

// ---- Webhooks -------------------------------------------------------------------------------

void WooCommerceEmulator::fire(std::string_view resource, std::string_view event, std::int64_t id) {
    const std::string topic = std::string(resource) + "." + std::string(event);
    for (const auto& [webhook_id, webhook] : webhooks_) {
        // WC_Webhook::should_deliver(): only active webhooks enqueue.
        if (webhook.status != "active" || webhook.topic != topic) continue;
        // wc_webhook_process_delivery(): no new action while one for (webhook, arg) is queued.
        const bool queued = std::any_of(queue_.begin(), queue_.end(), [&](const Queued& q) {
            return q.webhook_id == webhook_id && q.object_id == id;
        });
        if (queued || queue_.size() >= kQueueMax) continue;
        const std::uint64_t sequence = next_sequence_++;
        const auto spread =
            static_cast<std::uint64_t>((kDeliveryDelayMax - kDeliveryDelayMin).count());
        const auto delay = kDeliveryDelayMin +
                           std::chrono::seconds{mix(context_.seed, 900, sequence) % (spread + 1)};
        queue_.push_back(Queued{.sequence = sequence,
                                .due = context_.clock.now() + delay,
                                .webhook_id = webhook_id,
                                .object_id = id,
                                .event = std::string(event)});
    }
}

void WooCommerceEmulator::tick() {
    const UtcTime now = context_.clock.now();
    std::vector<Queued> due;
    std::vector<Queued> later;
    for (auto& q : queue_) (q.due <= now ? due : later).push_back(std::move(q));
    std::sort(due.begin(), due.end(), [](const Queued& a, const Queued& b) {
        return a.due != b.due ? a.due < b.due : a.sequence < b.sequence;
    });
    if (due.size() > kDeliveriesPerTick) {
        later.insert(later.end(), due.begin() + kDeliveriesPerTick, due.end());
        due.resize(kDeliveriesPerTick);
    }
    queue_ = std::move(later);
    for (const auto& q : due) deliver(q);
}

void WooCommerceEmulator::record_delivery_result(Webhook& webhook, bool success) {
    if (success) {
        webhook.failure_count = 0;
        return;
    }
    // WC_Webhook::failed_delivery(): disabled when the count is already above the limit, else
    // counted; so the default limit 5 disables on the 7th consecutive failure.
    if (webhook.failure_count > max_delivery_failures_) {
        webhook.status = "disabled";
    } else {
        ++webhook.failure_count;
    }
}

void WooCommerceEmulator::deliver(const Queued& q) {
    const auto found = webhooks_.find(q.webhook_id);
    if (found == webhooks_.end()) return;  // Deleted while queued: the action finds no webhook.
    Webhook& webhook = found->second;
    const std::string resource = webhook.topic.substr(0, webhook.topic.find('.'));
    json::value payload = json::object{{"id", q.object_id}};
    if (q.event != "deleted") {
        // The resource as GET shows it now; a resource gone since shows GET's error.
        std::optional<json::object> current;
        std::optional<Order> scratch;
        if (resource == "order") {
            if (const Order* order = find_order(q.object_id, scratch)) current = render(*order);
        } else if (resource == "product" && products_.count(q.object_id) != 0) {
            current = render(products_.at(q.object_id));
        } else if (resource == "customer" && customers_.count(q.object_id) != 0) {
            current = render(customers_.at(q.object_id));
        }
        payload =
            current
                ? json::value(std::move(*current))
                : json::value(json::object{{"code", "woocommerce_rest_" + resource + "_invalid_id"},
                                           {"message", "Invalid ID."},
                                           {"data", json::object{{"status", 404}}}});
    }
    const std::string body = wp_json_encode(payload);
    const std::int64_t unix_now =
        std::chrono::duration_cast<std::chrono::seconds>(context_.clock.now().time_since_epoch())
            .count();
    const std::string delivery = delivery_id(context_.seed, webhook.id, unix_now, q.sequence);
    net::HttpRequest post;
    post.method = "POST";
    post.url = webhook.delivery_url;
    post.headers = {{"Content-Type", "application/json"},
                    {"User-Agent", "WooCommerce/8.5.2 Hookshot (WordPress/6.4.3)"},
                    {"X-WC-Webhook-Source", base_url_ + "/"},
                    {"X-WC-Webhook-Topic", webhook.topic},
                    {"X-WC-Webhook-Resource", resource},
                    {"X-WC-Webhook-Event", q.event},
                    {"X-WC-Webhook-Signature", webhook_signature(body, webhook.secret)},
                    {"X-WC-Webhook-ID", std::to_string(webhook.id)},
                    {"X-WC-Webhook-Delivery-ID", delivery}};
    post.body = body;
    // Short timeouts so tick() never holds the emulator for long (emulator.hpp).
    const auto sent = context_.outbound.send(
        post, net::TransportOptions{.connect_timeout = std::chrono::milliseconds{2'000},
                                    .total_timeout = std::chrono::milliseconds{5'000}});
    // Spec: a status from 200 to 302 is a success; anything else, transport errors included, fails.
    const bool success = sent && sent->status >= 200 && sent->status <= 302;
    record_delivery_result(webhook, success);
    deliveries_.push_back(
        json::object{{"webhook_id", webhook.id},
                     {"topic", webhook.topic},
                     {"object_id", q.object_id},
                     {"delivery_id", delivery},
                     {"status", sent ? json::value(sent->status) : json::value(nullptr)},
                     {"error", sent ? json::value(nullptr) : json::value(sent.error().message)},
                     {"success", success},
                     {"delivered_at", format_iso8601(context_.clock.now())}});
    if (deliveries_.size() > kDeliveriesKept) deliveries_.erase(deliveries_.begin());
}

bool WooCommerceEmulator::ping(Webhook& webhook) {
    // WC_Webhook::deliver_ping(): form body, no X-WC-* headers, no signature; only an exact 200
    // clears the pending ping.
    net::HttpRequest post;
    post.method = "POST";
    post.url = webhook.delivery_url;
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                    {"User-Agent", "WooCommerce/8.5.2 Hookshot (WordPress/6.4.3)"}};
    post.body = "webhook_id=" + std::to_string(webhook.id);
    const auto sent = context_.outbound.send(
        post, net::TransportOptions{.connect_timeout = std::chrono::milliseconds{2'000},
                                    .total_timeout = std::chrono::milliseconds{5'000}});
    const bool success = sent && sent->status == 200;
    if (success) webhook.pending_ping = false;
    deliveries_.push_back(
        json::object{{"webhook_id", webhook.id},
                     {"ping", true},
                     {"status", sent ? json::value(sent->status) : json::value(nullptr)},
                     {"success", success},
                     {"delivered_at", format_iso8601(context_.clock.now())}});
    if (deliveries_.size() > kDeliveriesKept) deliveries_.erase(deliveries_.begin());
    return success;
}

std::unique_ptr<Emulator> make_woocommerce_emulator(EmulatorContext context) {
    return std::make_unique<WooCommerceEmulator>(context);
}

}  // namespace mlc::sandbox::woocommerce
