// `mlc webhooks list [FLOW]` and `mlc webhooks enable FLOW [--yes]`: the webhook subscriptions
// each flow keeps at the system it receives webhooks from (its source: WooCommerce, ShipStation;
// pipeline/webhooks.hpp). Woo disables a webhook after repeated failed deliveries and never
// retries what it lost (woocommerce.md, Webhooks); the flow raises an alert and its poll fills
// the gap, and `enable` sets the webhook active again (which also resets Woo's failure count)
// once the receiver is reachable. The connection is built from mlc.yaml as `mlc sync` builds it.
// Exit codes: 0 done, 1 a vendor or store error, 2 a bad flow name or config, 1 when the user
// declines the confirmation.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"

#include "flows/connections/webhook_subscriptions.hpp"
#include "net/rate_limiter.hpp"
#include "pipeline/webhooks.hpp"

namespace mlc::cli {
namespace {

struct WebhookOptions {
    std::string flow;
    bool yes = false;
};

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

// Whether the flow's recipe keeps webhooks: its source connection is of a system that sends them.
bool keeps_webhooks(const engine::Config& config, const engine::FlowConfig& flow) {
    const auto source = flow.connections.find("source");
    if (source == flow.connections.end()) return false;
    const auto connection = config.connections.find(source->second);
    return connection != config.connections.end() && (connection->second.system == "woocommerce" ||
                                                      connection->second.system == "shipstation");
}

// The flows these commands look at: `only`, or every flow whose source sends webhooks. kConfig
// naming the fix for an unknown flow.
Result<std::vector<const engine::FlowConfig*>> webhook_flows(const engine::Config& config,
                                                             const std::string& only) {
    std::vector<const engine::FlowConfig*> out;
    if (!only.empty()) {
        auto found = config.flows.find(only);
        if (found == config.flows.end()) {
            return make_error(ErrorCode::kConfig, "no flow named '" + only + "' in " + config.file);
        }
        out.push_back(&found->second);
        return out;
    }
    for (const auto& [name, flow] : config.flows) {
        if (keeps_webhooks(config, flow)) out.push_back(&flow);
    }
    return out;
}

Result<flows::connections::OpenedSubscriptions> open_subscriptions(WebhookRuntime& rt,
                                                                   CliContext& ctx,
                                                                   const engine::FlowConfig& flow) {
    engine::Dependencies deps{.clock = ctx.clock(), .store = *rt.store};
    deps.config = &rt.config;
    deps.vault = rt.vault.get();
    deps.limiters = &rt.limiters;
    return flows::connections::open_webhook_subscriptions(flow, deps);
}

void print_hooks(const std::string& flow, const std::string& label,
                 const std::vector<connectors::Subscription>& hooks) {
    if (hooks.empty()) {
        std::cout << flow << ": no " << label << " webhooks registered (the flow registers them "
                  << "when `mlc run` serves webhooks; `mlc sync` alone polls)\n";
        return;
    }
    for (const auto& hook : hooks) {
        std::cout << flow << "  " << label << " webhook " << hook.id << "  " << hook.topic << "  "
                  << hook.status << "  " << hook.url << "\n";
    }
}

int list_webhooks(CliContext& ctx, const WebhookOptions& options) {
    WebhookRuntime rt;
    if (auto opened = open_runtime(ctx, rt); !opened) return fail(opened.error());
    auto flows = webhook_flows(rt.config, options.flow);
    if (!flows) return fail(flows.error());
    if (flows->empty()) {
        std::cout << "no flow in " << rt.config.file
                  << " receives webhooks (a WooCommerce or ShipStation source)\n";
        return kExitOk;
    }
    int exit_code = kExitOk;
    for (const engine::FlowConfig* flow : *flows) {
        auto subs = open_subscriptions(rt, ctx, *flow);
        if (!subs) return fail(subs.error());
        auto hooks = pipeline::list_webhooks(*subs->subscriptions, flow->name);
        if (!hooks) {
            print_error(hooks.error());
            exit_code = kExitFailure;
            continue;
        }
        print_hooks(flow->name, subs->subscriptions->label(), *hooks);
    }
    return exit_code;
}

int enable_webhooks(CliContext& ctx, const WebhookOptions& options) {
    WebhookRuntime rt;
    if (auto opened = open_runtime(ctx, rt); !opened) return fail(opened.error());
    auto flows = webhook_flows(rt.config, options.flow);
    if (!flows) return fail(flows.error());
    const engine::FlowConfig& flow = *flows->front();
    auto subs = open_subscriptions(rt, ctx, flow);
    if (!subs) return fail(subs.error());
    connectors::WebhookSubscriptions& vendor = *subs->subscriptions;
    auto hooks = pipeline::list_webhooks(vendor, flow.name);
    if (!hooks) return fail(hooks.error());
    std::vector<connectors::Subscription> off;
    for (const auto& hook : *hooks) {
        if (!hook.active()) off.push_back(hook);
    }
    if (off.empty()) {
        std::cout << flow.name << ": every " << vendor.label()
                  << " webhook is active; nothing to do\n";
        return kExitOk;
    }
    print_hooks(flow.name, vendor.label(), off);
    if (!options.yes &&
        !confirm("Set these " + std::to_string(off.size()) + " " + vendor.label() +
                 " webhook(s) active again? Make sure the receiver is reachable first, or they "
                 "are switched off again")) {
        std::cerr << "mlc: nothing changed\n";
        return kExitFailure;
    }
    auto enabled = pipeline::enable_webhooks(vendor, flow.name, *rt.store, ctx.clock());
    if (!enabled) return fail(enabled.error());
    for (const auto& hook : *enabled) {
        std::cout << flow.name << "  " << vendor.label() << " webhook " << hook.id << "  "
                  << hook.topic << "  now " << hook.status << "\n";
    }
    return kExitOk;
}

}  // namespace

void add_webhook_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "webhooks",
        "The webhooks each flow keeps at its source system (WooCommerce, ShipStation): list them "
        "with their status, re-enable ones the vendor switched off after failed deliveries");
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
