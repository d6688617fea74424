// Seeded orders and settlements: deterministic from the seed, placed on the emulator's clock.
#include <algorithm>

#include "common/gzip.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::hours kSeedSpan{24 * 760};  // A month beyond the two years returned
constexpr int kSeedSettlements = 7;                // The oldest is past the 90 days kept
constexpr std::uint64_t kSkuCount = 24;
constexpr std::string_view kFirstNames[] = {"Ana", "Ben", "Chloe", "Dev", "Emma", "Farid"};
constexpr std::string_view kLastNames[] = {"Lopez", "Miller", "Nguyen", "Okafor", "Patel"};
struct Place {
    std::string_view city, state, zip;
};
constexpr Place kPlaces[] = {{"Seattle", "WA", "98109"},
                             {"Austin", "TX", "78701"},
                             {"Denver", "CO", "80202"},
                             {"Columbus", "OH", "43215"},
                             {"Tampa", "FL", "33602"}};
// Settlement charges beyond orders (amounts are the emulator's choice).
const Decimal kSubscriptionFee = Decimal::from_units(-39'990'000);
const Decimal kReserveRate = Decimal::from_units(100'000);  // 10 % of the period's principal

Decimal cents(std::uint64_t value) { return Decimal::from_units(__int128(value) * 10'000); }

std::string digits(std::uint64_t draw, std::size_t count) {
    std::string out(count, '0');
    for (std::size_t i = count; i > 0; --i, draw /= 10)
        out[i - 1] = static_cast<char>('0' + draw % 10);
    return out;
}

SettlementRow other_row(std::string type, std::string description, Decimal amount, UtcTime at) {
    return SettlementRow{.transaction_type = "other-transaction",
                         .amount_type = std::move(type),
                         .amount_description = std::move(description),
                         .amount = amount,
                         .posted = at};
}

}  // namespace

Order AmazonEmulator::make_order(std::uint64_t n, UtcTime created, std::string status,
                                 bool afn) const {
    const std::uint64_t seed = context_.seed;
    Order order{.id = "11" + digits(mix(seed, 10, n), 1) + "-" + digits(mix(seed, 11, n), 7) + "-" +
                      digits(mix(seed, 12, n), 7),
                .seller_order_id = "MLC-" + digits(n + 1, 6),
                .created = created,
                .updated = created,
                .status = std::move(status),
                .amazon_fulfilled = afn};
    const std::uint64_t who = mix(seed, 13, n);
    order.buyer_name =
        std::string(kFirstNames[who % 6]) + " " + std::string(kLastNames[(who >> 8) % 5]);
    order.buyer_email = draw_text(seed, 14 + n * 16, 12, "abcdefghijklmnopqrstuvwxyz0123456789") +
                        "@marketplace.amazon.com";
    const Place& place = kPlaces[(who >> 16) % 5];
    order.city = place.city;
    order.state = place.state;
    order.postal_code = place.zip;
    const std::uint64_t lines = 1 + mix(seed, 15, n) % 3;
    for (std::uint64_t line = 0; line < lines; ++line) {
        const std::uint64_t draw = mix(seed, 16 + line, n);
        const std::uint64_t sku = draw % kSkuCount;
        const Decimal price = cents(500 + mix(seed, 20, sku) % 10'000);
        order.items.push_back(
            OrderItem{.order_item_id = digits(mix(seed, 21 + line, n), 14),
                      .sku = "MLC-SKU-" + digits(sku + 1, 3),
                      .asin = "B0" + draw_text(seed, 30 + sku, 8, kUpperAlnum),
                      .title = "Machined part " + digits(sku + 1, 3),
                      .quantity = static_cast<std::int64_t>(1 + (draw >> 8) % 3),
                      .unit_price = price,
                      .unit_tax = price.mul(Decimal::from_units(82'500)).round(2),  // 8.25 %
                      .promotion = n % 7 == 3 && line == 0 ? cents(100) : Decimal{}});
    }
    return order;
}

void AmazonEmulator::seed_orders() {
    const UtcTime now = context_.clock.now();
    const std::size_t count = std::min(context_.volume, kSeedOrdersMax);
    const auto step = kSeedSpan / std::max<std::size_t>(count, 1);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t draw = mix(context_.seed, 40, i);
        const UtcTime created =
            now - kSeedSpan + step * i +
            std::chrono::seconds(
                draw % std::max<std::int64_t>(
                           std::chrono::duration_cast<std::chrono::seconds>(step).count(), 1));
        const auto age = now - created;
        const bool canceled = age > 72h && draw % 100 < 7;
        const std::string status = age < 12h   ? "Pending"
                                   : age < 72h ? "Unshipped"
                                   : canceled  ? "Canceled"
                                               : "Shipped";
        Order order = make_order(next_order_++, created, status, (draw >> 32) % 3 != 0);
        if (status == "Shipped") {
            order.shipped = created + 26h;
            if (i % 10 == 3 && created + 26h + 24h * 6 < now)
                order.refunded = created + 26h + 24h * 6;
        }
        order.updated = std::max(
            {order.created, order.shipped.value_or(created), order.refunded.value_or(created)});
        if (canceled) order.updated = created + 2h;
        order_index_[order.id] = orders_.size();
        orders_.push_back(std::move(order));
    }
}

void AmazonEmulator::seed_settlements() {
    const UtcTime now = context_.clock.now();
    settled_until_ = now - kSettlementPeriod * (kSeedSettlements + 1);
    for (int k = kSeedSettlements; k >= 1; --k) close_settlement(now - kSettlementPeriod * k);
}

void AmazonEmulator::close_settlement(UtcTime end, std::vector<SettlementRow> extra) {
    const std::uint64_t number = reports_.size() + 1;
    Settlement settlement{
        .id = "2" + digits(mix(context_.seed, 50, number) % 1'000'000'000, 9) + digits(number, 2),
        .start = settled_until_,
        .end = end,
        .deposit = end + 24h};
    Decimal principal;
    for (const auto& order : orders_) {
        const auto within = [&](const std::optional<UtcTime>& at) {
            return at && *at >= settlement.start && *at < end;
        };
        if (within(order.shipped)) {
            for (auto& row : order_rows(order, false)) {
                if (row.amount_description == "Principal" && row.amount_type == "ItemPrice") {
                    principal += row.amount;
                }
                settlement.rows.push_back(std::move(row));
            }
        }
        if (within(order.refunded)) {
            for (auto& row : order_rows(order, true)) settlement.rows.push_back(std::move(row));
        }
    }
    const UtcTime at = end - 1h;
    const std::size_t orders_in = settlement.rows.size();
    settlement.rows.push_back(
        other_row("other-transaction", "Subscription Fee", kSubscriptionFee, at));
    settlement.rows.push_back(
        other_row("FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", cents(863), at));
    settlement.rows.push_back(
        other_row("other-transaction", "Storage Fee", -cents(110 + 5 * orders_in), at));
    settlement.rows.push_back(
        other_row("Cost of Advertising", "TransactionTotalAmount", -cents(1240), at));
    if (!reserve_held_.is_zero()) {
        settlement.rows.push_back(
            other_row("other-transaction", "Previous Reserve Amount Balance", reserve_held_, at));
    }
    reserve_held_ = principal.mul(kReserveRate).round(2);
    if (!reserve_held_.is_zero()) {
        settlement.rows.push_back(
            other_row("other-transaction", "Current Reserve Amount", -reserve_held_, at));
    }
    for (auto& row : extra) settlement.rows.push_back(std::move(row));
    Report report{.id = digits(50'000'000'000ULL + number, 11),
                  .type = std::string(kSettlementReportType),
                  .marketplace_ids = {std::string(kUsMarketplaceId)},
                  .created = end,
                  .data_start = settlement.start,
                  .data_end = end,
                  .status = "DONE",
                  .processing_start = end,
                  .processing_end = end};
    report.document_id = add_document(settlement_flat_file(settlement), true, end);
    reports_.push_back(std::move(report));
    settled_until_ = end;
}

}  // namespace mlc::sandbox::amazon
