// `mlc alerts list [--all]`, `mlc alerts ack ID` and `mlc alerts test`: the alerts in the store
// (engine/alert_rules.hpp and every component that raises one) and the channels that announce
// them (config `alerts:`, engine/alert_notifier.hpp).
#include <iostream>

#include <fmt/format.h>

#include "cli/alerts_setup.hpp"
#include "cli/commands.hpp"
#include "common/time.hpp"
#include "net/curl_transport.hpp"

namespace mlc::cli {
namespace {

int run_list(CliContext& ctx, bool all) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    auto alerts = (*store)->list_alerts(std::nullopt);
    if (!alerts) return fail(alerts.error());
    int shown = 0;
    for (const auto& a : *alerts) {
        if (!all && a.status == store::AlertStatus::kResolved) continue;
        ++shown;
        std::cout << fmt::format("{} {} {} {} raised {}", a.id, store::to_string(a.status),
                                 a.severity, a.key, format_iso8601(a.raised_at));
        if (a.count > 1)
            std::cout << fmt::format(", seen {} times until {}", a.count,
                                     format_iso8601(a.last_seen));
        if (a.resolved_at) std::cout << ", resolved " << format_iso8601(*a.resolved_at);
        std::cout << "\n    " << a.message << "\n";
    }
    if (shown == 0) std::cout << (all ? "no alerts\n" : "no open alerts\n");
    return kExitOk;
}

int run_ack(CliContext& ctx, std::int64_t id) {
    auto store = ctx.open_configured_store();
    if (!store) return fail(store.error());
    if (auto acked = (*store)->acknowledge_alert(id, ctx.clock().now()); !acked) {
        return fail(acked.error());
    }
    std::cout << "alert " << id << " acknowledged\n";
    return kExitOk;
}

int run_test(CliContext& ctx) {
    auto config = ctx.load_config();
    if (!config) return fail(config.error());
    if (!config->alerts.email && !config->alerts.webhook) {
        std::cerr << "mlc: no alert channel configured: add alerts.email and/or alerts.webhook "
                     "to "
                  << ctx.options().config_path << "\n";
        return kExitFailure;
    }
    auto store = ctx.open_store(*config);
    if (!store) return fail(store.error());
    std::unique_ptr<auth::SodiumVault> vault;
    if (auto opened = ctx.open_vault()) vault = std::move(*opened);
    net::CurlTransport transport;
    auto dispatcher =
        make_alert_dispatcher(ctx.clock(), *config, **store, vault.get(), transport, ctx.log());
    if (!dispatcher) return fail(dispatcher.error());
    bool all_sent = true;
    for (const auto& [channel, sent] : (*dispatcher)->send_test()) {
        if (sent) {
            std::cout << channel << ": test notification sent\n";
        } else {
            all_sent = false;
            std::cout << channel << ": FAILED: " << sent.error().describe() << "\n";
        }
    }
    return all_sent ? kExitOk : kExitFailure;
}

}  // namespace

void add_alerts_commands(CLI::App& app, CliContext& ctx, int& exit_code) {
    auto* group = app.add_subcommand(
        "alerts",
        "Alerts (failing or lagging flows, dead letters, tokens, webhooks): list, ack, "
        "test the notification channels");
    group->require_subcommand(1);

    auto all = std::make_shared<bool>(false);
    auto* list = group->add_subcommand("list", "Open and acknowledged alerts, newest first");
    list->add_flag("--all", *all, "Include resolved ones");
    list->callback([&ctx, &exit_code, all] { exit_code = run_list(ctx, *all); });

    auto id = std::make_shared<std::int64_t>(0);
    auto* ack = group->add_subcommand(
        "ack", "Acknowledge an alert: it is not announced again while its problem lasts");
    ack->add_option("ID", *id, "The alert id (`mlc alerts list`)")->required();
    ack->callback([&ctx, &exit_code, id] { exit_code = run_ack(ctx, *id); });

    auto* test =
        group->add_subcommand("test",
                              "Send a test notification on every configured channel (alerts.email, "
                              "alerts.webhook) and say per channel what happened");
    test->callback([&ctx, &exit_code] { exit_code = run_test(ctx); });
}

}  // namespace mlc::cli
