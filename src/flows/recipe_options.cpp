// The option declaration table of each recipe (engine::OptionSpec, engine::TableSpec): name,
// type, allowed values, default and one line of doc, as pipeline::OptionReader reads them in the
// recipe's own options parser. `mlc config check` and RecipeRegistry::create() validate flows
// against these tables (engine/recipe_options.hpp); recipe_options_test.cpp holds each table to
// its parser, so an option added to one and not the other fails a test.
#include "flows/recipe_options.hpp"

namespace mlc::flows {

namespace {

using engine::OptionSpec;
using engine::OptionType;
using engine::TableSpec;

OptionSpec duration(const char* name, const char* fallback, const char* doc) {
    return {.name = name, .type = OptionType::kDuration, .default_value = fallback, .doc = doc};
}
OptionSpec time(const char* name, const char* fallback, const char* doc) {
    return {.name = name, .type = OptionType::kTime, .default_value = fallback, .doc = doc};
}
OptionSpec count(const char* name, std::uint32_t fallback, std::uint32_t max, const char* doc) {
    return {.name = name,
            .type = OptionType::kCount,
            .default_value = std::to_string(fallback),
            .max = max,
            .doc = doc};
}
OptionSpec flag(const char* name, bool fallback, const char* doc) {
    return {.name = name,
            .type = OptionType::kFlag,
            .default_value = fallback ? "true" : "false",
            .doc = doc};
}
OptionSpec text(const char* name, const char* fallback, const char* doc) {
    return {.name = name, .type = OptionType::kText, .default_value = fallback, .doc = doc};
}
OptionSpec choice(const char* name, std::vector<std::string> choices, const char* doc) {
    std::string fallback = choices.front();  // The first choice is the default.
    return {.name = name,
            .type = OptionType::kChoice,
            .choices = std::move(choices),
            .default_value = std::move(fallback),
            .doc = doc};
}
OptionSpec list(const char* name, const char* fallback, std::vector<std::string> choices,
                const char* doc) {
    return {.name = name,
            .type = OptionType::kList,
            .choices = std::move(choices),
            .default_value = fallback,
            .doc = doc};
}

const char* const kStartDoc = "where a first run (no cursor yet) starts reading";
const char* const kOverlapDoc = "re-read this much before the cursor on every poll";
const char* const kPagesPerRunDoc = "pages one run reads before it yields";
const char* const kWebhooksDoc = "subscribe to the vendor's webhooks when server.public_url is set";
const char* const kSilentDoc =
    "alert when no webhook delivery arrived for this long (e.g. 6h; default off)";
const char* const kInboxLeaseDoc =
    "a delivery leased by a run that died is taken by another run after this";
const char* const kSourceKeyDoc = "Epicor OrderHed field holding the source order's key";

OptionSpec create_route() {
    return choice("create_route", {"update_ext", "ui", "entity_sets"},
                  "how Epicor orders are created: one UpdateExt, the UI sequence, or entity sets");
}

}  // namespace

RecipeOptions shipstation_epicor_orders_options() {
    return {.options = {duration("overlap", "2h", "re-read this much (V1 speaks Pacific time)"),
                        time("start", "2000-01-01T00:00:00Z", kStartDoc),
                        count("page_size", 500, 500, "ShipStation V1 pageSize"),
                        count("pages_per_run", 200, 10'000, kPagesPerRunDoc),
                        text("customer", "", "one Epicor CustID for every order"),
                        choice("customer_match", {"username", "email"},
                               "ShipStation field matched to an Epicor customer"),
                        text("customer_field", "CustID",
                             "Epicor Customer field matched (EMailAddress with email)"),
                        text("source_key_field", "PONum", kSourceKeyDoc), create_route(),
                        choice("target", {"sales_order", "ud01"},
                               "sales orders, or one UD01 row per order staged for review"),
                        flag("shipments", true, "write ShipStation tracking back to the order"),
                        flag("webhooks", true, kWebhooksDoc),
                        duration("webhook_silent_after", "", kSilentDoc)},
            .tables = {{"customers", "customerUsername (or email) -> Epicor CustID"},
                       {"parts", "ShipStation SKU -> Epicor PartNum"},
                       {"carriers", "ShipStation carrierCode -> Epicor ShipViaCode"}}};
}

RecipeOptions woocommerce_epicor_orders_options() {
    return {.options = {duration("overlap", "10m", kOverlapDoc),
                        time("start", "2000-01-01T00:00:00Z", kStartDoc),
                        count("per_page", 100, 100, "WooCommerce per_page"),
                        count("pages_per_run", 50, 10'000, kPagesPerRunDoc),
                        count("inbox_batch", 100, 1'000, "webhook deliveries in one commit"),
                        count("inbox_batches_per_run", 100, 10'000, "inbox batches one run takes"),
                        duration("inbox_lease", "5m", kInboxLeaseDoc),
                        text("customer", "", "one Epicor CustID for every order"),
                        text("customer_field", "EMailAddress", "Epicor Customer field matched"),
                        text("source_key_field", "PONum", kSourceKeyDoc),
                        text("source_key_prefix", "WOO-", "prefix of the Woo order id there"),
                        create_route(),
                        list("statuses", "processing,on-hold,completed",
                             {"pending", "processing", "on-hold", "completed", "cancelled",
                              "refunded", "failed"},
                             "Woo order statuses taken"),
                        flag("webhooks", true, kWebhooksDoc),
                        duration("webhook_silent_after", "", kSilentDoc),
                        flag("refunds", true, "refunds as UD01 credit rows for review")},
            .tables = {{"customers", "Woo customer e-mail -> Epicor CustID"},
                       {"parts", "Woo SKU -> Epicor PartNum"}}};
}

RecipeOptions epicor_woocommerce_catalog_options() {
    return {.options = {flag("parts", true, "Epicor parts -> Woo products (SKU = PartNum)"),
                        flag("customers", true, "Epicor customers -> Woo customers by e-mail"),
                        count("page_size", 500, 1000, "Epicor rows per request ($top)"),
                        count("pages_per_run", 100, 10'000, kPagesPerRunDoc),
                        choice("changes", {"sysrevid", "full"},
                               "rows past the SysRevID cursor, or every row by content hash"),
                        text("price_field", "UnitPrice", "Part field holding the web price"),
                        text("stock_field", "", "Part field with an on-hand quantity"),
                        text("currency", "USD", "store currency (its minor digits)")},
            .tables = {{"countries", "Epicor Country text -> ISO 3166 alpha-2 code"}}};
}

RecipeOptions woocommerce_shipstation_orders_options() {
    return {.options = {time("start", "2000-01-01T00:00:00Z", kStartDoc),
                        duration("overlap", "10m", kOverlapDoc),
                        duration("shipments_overlap", "2h", "re-read of ShipStation shipments"),
                        count("per_page", 100, 100, "WooCommerce per_page"),
                        count("pages_per_run", 50, 10'000, kPagesPerRunDoc),
                        list("statuses", "processing,on-hold", {}, "Woo order statuses taken"),
                        text("order_key_prefix", "WOO-", "ShipStation orderKey prefix"),
                        flag("shipments", true, "shipments back as completed Woo orders"),
                        flag("customer_note", false, "send the tracking note to the customer"),
                        flag("webhooks", true, kWebhooksDoc),
                        duration("webhook_silent_after", "", kSilentDoc)},
            .tables = {}};
}

RecipeOptions acumatica_shipstation_orders_options() {
    return {.options = {time("start", "2000-01-01T00:00:00Z", kStartDoc),
                        duration("overlap", "10m", kOverlapDoc),
                        duration("shipments_overlap", "2h", "re-read of ShipStation shipments"),
                        count("per_page", 100, 500, "Acumatica $top"),
                        count("pages_per_run", 100, 10'000, kPagesPerRunDoc),
                        list("statuses", "Open", {}, "Acumatica order statuses taken"),
                        list("order_types", "SO", {}, "Acumatica order types taken"),
                        flag("shipments", true, "labels back as confirmed Acumatica shipments"),
                        flag("webhooks", true, kWebhooksDoc),
                        duration("webhook_silent_after", "", kSilentDoc),
                        flag("items", true, "stock items update ShipStation products")},
            .tables = {{"carriers", "ShipStation carrierCode -> Acumatica ShipVia"}}};
}

RecipeOptions epicor_ups_shipments_options() {
    return {.options = {time("start", "", "releases changed since then (default: the first run)"),
                        duration("overlap", "10m", kOverlapDoc),
                        count("page_size", 100, 100, "orders per Epicor request"),
                        count("pages_per_run", 50, 10'000, kPagesPerRunDoc),
                        flag("per_order", false, "one shipment per order instead of per release"),
                        list("ship_vias", "", {}, "only releases shipping via these codes"),
                        text("default_service", "03", "UPS service of an unmapped ShipVia"),
                        choice("label_format", {"ZPL", "GIF", "EPL", "SPL"}, "UPS label format"),
                        {.name = "labels_dir",
                         .type = OptionType::kPath,
                         .doc = "label folder (default <state database folder>/labels/<flow>)"},
                        flag("address_check", true, "UPS Address Validation before shipping"),
                        flag("declared_value", true, "declare the order's value to UPS"),
                        flag("tracking", true, "UPS tracking back into Epicor as CustShip"),
                        duration("webhook_silent_after", "", kSilentDoc),
                        choice("tracking_via", {"quantum_view", "track_alert"},
                               "poll Quantum View, or UPS pushes events (Track Alert)"),
                        duration("track_alert_renew_after", "13d", "renew a subscription (<14d)"),
                        duration("quantum_view_every", "", "Quantum View poll interval"),
                        text("status_field", "CarrierStatus_c", "UD field: UPS's status"),
                        text("delivered_field", "DeliveredDate_c", "UD field: delivery date"),
                        text("estimated_delivery_field", "EstDelivery_c", "UD field: estimate"),
                        list("status_on", "pack,release", {"pack", "release"},
                             "where the status fields are written")},
            .tables = {{"services", "Epicor ShipVia -> UPS service code"}}};
}

RecipeOptions amazon_epicor_orders_options() {
    return {.options = {time("start", "", "where a first run starts (default: 30 days back)"),
                        duration("overlap", "15m", kOverlapDoc),
                        count("page_size", 100, 100, "searchOrders maxResultsPerPage"),
                        count("pages_per_run", 50, 10'000, kPagesPerRunDoc),
                        text("source_key_field", "PONum", kSourceKeyDoc), create_route(),
                        flag("confirm_shipments", false,
                             "confirm Epicor packs to Amazon with their tracking numbers")},
            .tables = {{"customers", "marketplace id -> Epicor CustID"},
                       {"parts", "Amazon SellerSKU -> Epicor PartNum"},
                       {"carriers", "Epicor ShipViaCode -> Amazon carrierCode"}}};
}

RecipeOptions amazon_epicor_settlements_options() {
    return {.options = {time("start", "", "reports created before are not read (default 90d)"),
                        count("pages_per_run", 20, 1000, "settlement reports per run"),
                        text("clearing_account", "1050", "GL account the deposit is debited to"),
                        text("transit_account", "1055", "GL account between fiscal periods"),
                        count("fiscal_year_start_month", 1, 12, "1: calendar-month periods"),
                        text("group_prefix", "AMZ", "journal groups <prefix><yy><pp>"),
                        text("reference_prefix", "Amazon settlement ", "journal Description"),
                        flag("fees_invoice", false, "fees also as an AP invoice of vendor_num"),
                        count("vendor_num", 1, 2'000'000'000, "Epicor VendorNum of Amazon"),
                        text("ap_account", "2000", "GL account of the fees invoice")},
            .tables = {{"gl_accounts", "transaction/amount type -> GL account"}}};
}

}  // namespace mlc::flows
