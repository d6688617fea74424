#include "flows/shipstation_epicor/e2e/e2e_world.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time.hpp"
#include "flows/shipstation_epicor/orders_options.hpp"
#include "flows/shipstation_epicor/orders_recipe.hpp"
#include "flows/testing/sandboxes.hpp"
#include "sandbox/catalog.hpp"

namespace mlc::flows::shipstation_epicor::e2e {
namespace {

namespace json = boost::json;

constexpr const char* kDefaultStart = "2025-06-02T16:00:00Z";

std::string plain(const json::object& object, std::string_view field) {
    return std::string(object.at(field).as_string());
}

std::string cust_id(std::size_t n) {
    std::string digits = std::to_string(n);
    return "SS" + std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits;
}

// The Epicor sandbox already has the shared catalog's customers (sandbox/catalog.hpp): an e-mail
// of the catalog ("orders<n>@example.com") names its customer; "" for any other.
std::string catalog_customer(const std::string& email) {
    constexpr std::string_view kPrefix = "orders", kSuffix = "@example.com";
    if (!email.starts_with(kPrefix) || !email.ends_with(kSuffix)) return {};
    const std::string digits =
        email.substr(kPrefix.size(), email.size() - kPrefix.size() - kSuffix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return {};
    return sandbox::catalog::customer_id(std::stoul(digits));
}

Result<void> add_part(sandbox::SandboxHost& host, const std::string& sku, const Decimal& price) {
    const auto answer = testing::add_epicor_part(host, sku, price.to_string());
    if (answer.status >= 300) {
        return make_error(ErrorCode::kInternal, "epicor", "part " + sku + ": " + answer.body);
    }
    return ok();
}

Result<void> add_customer(sandbox::SandboxHost& host, const std::string& email,
                          const std::string& id) {
    const auto answer =
        testing::control(host, "epicor", "POST", "customers",
                         json::serialize(json::object{{"CustID", id},
                                                      {"Name", "ShipStation " + email},
                                                      {"EMailAddress", email},
                                                      {"CurrencyCode", "USD"}}));
    if (answer.status >= 300) {
        return make_error(ErrorCode::kInternal, "epicor", "customer " + email + ": " + answer.body);
    }
    return ok();
}

}  // namespace

Result<void> prepare_epicor_for(sandbox::SandboxHost& host,
                                const std::vector<ShipStationOrder>& orders,
                                EpicorPreparation& prepared) {
    for (const ShipStationOrder& order : orders) {
        for (const LineView& line : order.lines) {
            if (prepared.parts.insert(line.part).second) {
                MLC_CHECK(add_part(host, line.part, line.unit_price));
            }
        }
        if (!prepared.fixed_customer.empty() || order.email.empty() ||
            prepared.customers.contains(order.email)) {
            continue;
        }
        std::string id = catalog_customer(order.email);
        if (id.empty()) {
            id = cust_id(prepared.customers.size() + 1);
            MLC_CHECK(add_customer(host, order.email, id));
        }
        prepared.customers[order.email] = id;
    }
    return ok();
}

Expected expected_for(const std::vector<ShipStationOrder>& orders,
                      const EpicorPreparation& prepared,
                      const std::map<std::string, std::vector<std::string>>& tracking) {
    Expected out;
    for (const ShipStationOrder& order : orders) {
        if (order.status == "cancelled") continue;
        EpicorOrder want;
        auto customer = prepared.customers.find(order.email);
        want.cust_id = !prepared.fixed_customer.empty()       ? prepared.fixed_customer
                       : customer == prepared.customers.end() ? ""
                                                              : customer->second;
        want.ship_to_name = order.ship_to_name;
        want.lines = order.lines;
        if (auto found = tracking.find(order.key); found != tracking.end()) {
            want.tracking = found->second;
        }
        out.lines += want.lines.size();
        out.by_key.emplace(order.key, std::move(want));
    }
    return out;
}

std::vector<std::string> differences(const Expected& want, const EpicorView& got,
                                     std::size_t limit) {
    std::vector<std::string> out;
    const auto note = [&](std::string text) {
        if (out.size() < limit) out.push_back(std::move(text));
    };
    for (const auto& key : got.duplicated_keys) {
        note("duplicate: " + std::to_string(got.by_key.at(key).size()) + " Epicor orders for " +
             key);
    }
    for (const auto& [key, order] : want.by_key) {
        auto found = got.by_key.find(key);
        if (found == got.by_key.end() || found->second.empty()) {
            note("missing: " + key);
            continue;
        }
        const EpicorOrder& have = found->second.front();
        if (have.cust_id != order.cust_id) {
            note(key + ": customer " + have.cust_id + ", want " + order.cust_id);
        }
        if (have.ship_to_name != order.ship_to_name) {
            note(key + ": ship-to " + have.ship_to_name + ", want " + order.ship_to_name);
        }
        if (have.lines != order.lines) {
            note(key + ": " + std::to_string(have.lines.size()) + " lines, want " +
                 std::to_string(order.lines.size()) + " (or other parts/quantities/prices)");
        }
        if (have.void_order != order.void_order) note(key + ": VoidOrder differs");
        if (have.tracking != order.tracking) {
            note(key + ": " + std::to_string(have.tracking.size()) + " tracking numbers, want " +
                 std::to_string(order.tracking.size()));
        }
    }
    for (const auto& [key, orders] : got.by_key) {
        if (!want.by_key.contains(key)) note("unexpected Epicor order for " + key);
    }
    return out;
}

E2eWorld::E2eWorld(WorldOptions options)
    : options_(std::move(options)),
      clock_(options_.start == UtcTime{} ? parse_iso8601(kDefaultStart).value() : options_.start),
      host_(clock_, in_process_,
            sandbox::SandboxHostOptions{.seed = options_.seed, .volume = options_.volume}),
      store_(testing::TestStore::open(options_.store, options_.store_path).value()),
      log_(std::make_shared<spdlog::logger>("e2e",
                                            std::make_shared<spdlog::sinks::null_sink_mt>())) {
    testing::serve_sandboxes(host_, in_process_, {"shipstation", "epicor"});
    const json::object ports = host_.ports();
    const json::object& ss = ports.at("shipstation").as_object();
    const json::object& ep = ports.at("epicor").as_object();
    recording_ = std::make_unique<RecordingTransport>(in_process_, clock_, plain(ss, "base_url"),
                                                      plain(ep, "base_url"));
    testing::connect_sandbox(config_, vault_, ports, "shipstation", "ss");
    // No emulated tenant limit: the ShipStation side is the one under measure.
    testing::connect_sandbox(config_, vault_, ports, "epicor", "ep").options["rate_per_minute"] =
        "6000000";
    flow_.name = kFlowName;
    flow_.recipe = kOrdersRecipe;
    flow_.connections = {{"source", "ss"}, {"target", "ep"}};
    flow_.options = {{"customer_match", "email"},
                     {"customer_field", "EMailAddress"},
                     {"page_size", std::to_string(options_.page_size)},
                     {"pages_per_run", "10000"},
                     {"shipments", options_.shipments ? "true" : "false"}};
    if (!options_.overlap.empty()) flow_.options["overlap"] = options_.overlap;
    if (!options_.fixed_customer.empty()) {
        flow_.options.erase("customer_match");
        flow_.options.erase("customer_field");
        flow_.options["customer"] = options_.fixed_customer;
        prepared_.fixed_customer = options_.fixed_customer;
    }
}

E2eWorld::~E2eWorld() = default;

net::HttpResponse E2eWorld::control(const std::string& system, std::string method,
                                    std::string route, std::string body) {
    return testing::control(host_, system, std::move(method), std::move(route), std::move(body));
}

Result<void> E2eWorld::add_faults(const std::string& system, const sandbox::FaultPlan& plan) {
    const auto answer =
        control(system, "POST", "faults", json::serialize(sandbox::fault_plan_to_json(plan)));
    if (answer.status >= 300) {
        return make_error(ErrorCode::kInternal, system, "fault plan refused: " + answer.body);
    }
    return ok();
}

Result<void> E2eWorld::clear_faults(const std::string& system) {
    const auto answer = control(system, "DELETE", "faults");
    if (answer.status >= 300) {
        return make_error(ErrorCode::kInternal, system, "faults not cleared: " + answer.body);
    }
    return ok();
}

Result<void> E2eWorld::prepare_epicor(bool move_clock) {
    if (baseline_.empty()) {
        MLC_TRY(baseline_, epicor_order_nums(host_));
    }
    MLC_TRY(auto orders, e2e::shipstation_orders(host_));
    if (move_clock) clock_.advance(kRateWindow);
    return prepare_epicor_for(host_, orders, prepared_);
}

Result<std::vector<ShipStationOrder>> E2eWorld::shipstation_orders() {
    auto orders = e2e::shipstation_orders(host_);
    clock_.advance(kRateWindow);
    return orders;
}

Result<std::map<std::string, std::vector<std::string>>> E2eWorld::shipstation_tracking() {
    auto tracking = e2e::shipstation_tracking(host_);
    clock_.advance(kRateWindow);
    return tracking;
}

Result<EpicorView> E2eWorld::epicor_view() { return e2e::epicor_view(host_, baseline_); }

Expected E2eWorld::expected(const std::vector<ShipStationOrder>& orders,
                            const std::map<std::string, std::vector<std::string>>& tracking) const {
    return expected_for(orders, prepared_, tracking);
}

Result<std::unique_ptr<engine::FlowRunner>> E2eWorld::runner() {
    return make_orders_runner(flow_, engine::Dependencies{.clock = clock_,
                                                          .store = *store_,
                                                          .config = &config_,
                                                          .vault = &vault_,
                                                          .transport = recording_.get()});
}

Result<engine::RunSummary> E2eWorld::run(engine::FlowRunner& flow) {
    engine::RunContext ctx{.clock = clock_,
                           .store = *store_,
                           .log = *log_,
                           .stop_requested = stop_,
                           .flow = flow_.name,
                           .dry_run = false,
                           .attempt = 1,
                           .renew = {}};
    return flow.run_once(ctx);
}

DriveResult E2eWorld::run_until_done(engine::FlowRunner& flow, int runs_max,
                                     std::chrono::seconds between) {
    DriveResult out;
    while (out.runs < runs_max) {
        ++out.runs;
        auto summary = run(flow);
        if (!summary) {
            ++out.failed_runs;
            out.last_error = summary.error().describe();
            clock_.advance(between);
            continue;
        }
        out.total.created += summary->created;
        out.total.updated += summary->updated;
        out.total.skipped += summary->skipped;
        out.total.parked += summary->parked;
        out.total.failed += summary->failed;
        out.total.pages += summary->pages;
        if (!summary->more_pending) {
            out.done = true;
            return out;
        }
    }
    return out;
}

}  // namespace mlc::flows::shipstation_epicor::e2e
