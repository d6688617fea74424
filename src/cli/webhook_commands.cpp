// `mlc webhooks list [FLOW]` and `mlc webhooks enable FLOW [--yes]`: the WooCommerce webhooks of
// the "woocommerce-to-epicor-orders" flows. Woo disables a webhook after repeated failed
// deliveries and never retries what it lost (woocommerce.md, Webhooks); the flow raises an alert
// and its poll fills the gap, and `enable` sets the webhook active again (which also resets Woo's
// failure count) once the receiver is reachable. The connection is built from mlc.yaml as
// `mlc sync` builds it. Exit codes: 0 done, 1 a vendor or store error, 2 a bad flow name or
// config, 1 when the user declines the confirmation.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"

#include "flows/connections/flow_connections.hpp"
#include "flows/connections/woocommerce_connection.hpp"
#include "flows/epicor_woocommerce/orders_options.hpp"
#include "flows/epicor_woocommerce/webhook_registrar.hpp"
#include "net/rate_limiter.hpp"

namespace mlc::cli {
namespace {

struct WebhookOptions {
    std::string flow;
    bool yes = false;
};

int fail(const Error& error) {
    print_error(error);
    return exit_code_for(error);
}

namespace ew = flows::epicor_woocommerce;

// What every webhooks command opens: config, logger, store, vault.
struct WebhookRuntime {
    engine::Config config;
    std::unique_ptr<store::StateStore> store;
    std::unique_ptr<auth::SodiumVault> vault;
    net::RateLimiterRegistry limiters;
};

Result<void> open_runtime(CliContext& ctx, WebhookRuntime& rt) {
    MLC_TRY(rt.config, ctx.load_config());
    MLC_CHECK(ctx.init_logger(&rt.config));
    MLC_TRY(rt.store, ctx.open_store(rt.config));
    MLC_TRY(rt.vault, ctx.open_vault());
    return ok();
}

// The flows whose webhooks these commands manage: `only`, or every woocommerce-to-epicor-orders
// flow. kConfig naming the fix for an unknown flow or one of another recipe.
Result<std::vector<const engine::FlowConfig*>> woo_flows(const engine::Config& config,
                                                         const std::string& only) {
    std::vector<const engine::FlowConfig*> out;
    if (!only.empty()) {
        auto found = config.flows.find(only);
        if (found == config.flows.end()) {
            return make_error(ErrorCode::kConfig, "no flow named '" + only + "' in " + config.file);
        }
        if (found->second.recipe != ew::kWooOrdersRecipe) {
            return make_error(ErrorCode::kConfig, "flow '" + only + "' uses recipe " +
                                                      found->second.recipe +
                                                      "; webhooks are managed for " +
                                                      ew::kWooOrdersRecipe + " flows only");
        }
        out.push_back(&found->second);
        return out;
    }
    for (const auto& [name, flow] : config.flows) {
        if (flow.recipe == ew::kWooOrdersRecipe) out.push_back(&flow);
    }
    return out;
}

using WooConnection = std::unique_ptr<flows::connections::WooCommerceConnection>;

Result<WooConnection> open_source(WebhookRuntime& rt, CliContext& ctx,
                                  const engine::FlowConfig& flow) {
    engine::Dependencies deps{.clock = ctx.clock(), .store = *rt.store};
    deps.config = &rt.config;
    deps.vault = rt.vault.get();
    deps.limiters = &rt.limiters;
    MLC_TRY(auto connection,
            flows::connections::flow_connection(flow, deps, "source", "woocommerce"));
    return flows::connections::open_woocommerce(*connection, deps);
}

void print_hooks(const std::string& flow, const std::vector<ew::WebhookState>& hooks) {
    if (hooks.empty()) {
        std::cout << flow << ": no webhooks registered (the flow registers them when `mlc run` "
                  << "serves webhooks; `mlc sync` alone polls)\n";
        return;
    }
    for (const auto& hook : hooks) {
        std::cout << flow << "  webhook " << hook.id << "  " << hook.topic << "  " << hook.status
                  << "  " << hook.delivery_url << "\n";
    }
}

int list_webhooks(CliContext& ctx, const WebhookOptions& options) {
    WebhookRuntime rt;
    if (auto opened = open_runtime(ctx, rt); !opened) return fail(opened.error());
    auto flows = woo_flows(rt.config, options.flow);
    if (!flows) return fail(flows.error());
    if (flows->empty()) {
        std::cout << "no " << ew::kWooOrdersRecipe << " flow in " << rt.config.file << "\n";
        return kExitOk;
    }
    int exit_code = kExitOk;
    for (const engine::FlowConfig* flow : *flows) {
        auto woo = open_source(rt, ctx, *flow);
        if (!woo) return fail(woo.error());
        ew::WooWebhookRegistrar registrar(*(*woo)->client, *rt.vault, *rt.store, ctx.clock());
        auto hooks = registrar.list(flow->name);
        if (!hooks) {
            print_error(hooks.error());
            exit_code = kExitFailure;
            continue;
        }
        print_hooks(flow->name, *hooks);
    }
    return exit_code;
}

int enable_webhooks(CliContext& ctx, const WebhookOptions& options) {
    WebhookRuntime rt;
    if (auto opened = open_runtime(ctx, rt); !opened) return fail(opened.error());
    auto flows = woo_flows(rt.config, options.flow);
    if (!flows) return fail(flows.error());
    const engine::FlowConfig& flow = *flows->front();
    auto woo = open_source(rt, ctx, flow);
    if (!woo) return fail(woo.error());
    ew::WooWebhookRegistrar registrar(*(*woo)->client, *rt.vault, *rt.store, ctx.clock());
    auto hooks = registrar.list(flow.name);
    if (!hooks) return fail(hooks.error());
    std::vector<ew::WebhookState> off;
    for (const auto& hook : *hooks) {
        if (hook.status != "active") off.push_back(hook);
    }
    if (off.empty()) {
        std::cout << flow.name << ": every webhook is active; nothing to do\n";
        return kExitOk;
    }
    print_hooks(flow.name, off);
    if (!options.yes &&
        !confirm("Set these " + std::to_string(off.size()) +
                 " WooCommerce webhook(s) active again? Make sure the receiver is reachable "
                 "first, or Woo disables them again")) {
        std::cerr << "mlc: nothing changed\n";
        return kExitFailure;
    }
    auto enabled = registrar.enable(flow.name);
    if (!enabled) return fail(enabled.error());
    for (const auto& hook : *enabled) {
        std::cout << flow.name << "  webhook " << hook.id << "  " << hook.topic << "  now "
                  << hook.status << "\n";
    }
    return kExitOk;
}

}  // namespace

void add_webhook_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "webhooks",
        "WooCommerce webhooks of the woocommerce-to-epicor-orders flows: list them with their "
        "status, re-enable ones Woo disabled after failed deliveries");
    group->require_subcommand(1);
    auto options = std::make_shared<WebhookOptions>();
    auto* list =
        group->add_subcommand("list", "List each flow's webhooks (id, topic, status, URL)");
    list->add_option("FLOW", options->flow, "Only this flow");
    list->callback([&ctx, &exit_code, options] { exit_code = list_webhooks(ctx, *options); });
    auto* enable = group->add_subcommand(
        "enable", "Set a flow's disabled or paused webhooks active again (asks first)");
    enable->add_option("FLOW", options->flow, "The flow")->required();
    enable->add_flag("--yes", options->yes, "Do not ask for confirmation");
    enable->callback([&ctx, &exit_code, options] { exit_code = enable_webhooks(ctx, *options); });
    (void)fail;
}

}  // namespace mlc::cli
