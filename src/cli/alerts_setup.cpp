#include "cli/alerts_setup.hpp"

#include <spdlog/spdlog.h>

namespace mlc::cli {
namespace {

Result<std::string> read_secret(const auth::Vault* vault, const std::string& name,
                                const std::string& field) {
    if (name.empty()) return std::string();
    if (vault == nullptr) {
        return make_error(ErrorCode::kConfig, "alerts",
                          field + " names the vault secret '" + name +
                              "' but the vault cannot be opened: set MLC_MASTER_KEY");
    }
    auto value = vault->get(name);
    if (!value) {
        return make_error(
            ErrorCode::kConfig, "alerts",
            field + ": " + value.error().describe() + " (run `mlc secret set " + name + "`)");
    }
    return value;
}

}  // namespace

Result<std::unique_ptr<engine::AlertDispatcher>> make_alert_dispatcher(
    Clock& clock, const engine::Config& config, store::StateStore& store, const auth::Vault* vault,
    net::HttpTransport& transport, spdlog::logger& log) {
    std::vector<std::unique_ptr<engine::AlertChannel>> channels;
    if (const auto& email = config.alerts.email) {
        MLC_TRY(auto password,
                read_secret(vault, email->password_secret, "alerts.email.password_secret"));
        channels.push_back(
            std::make_unique<engine::EmailChannel>(*email, std::move(password), clock));
    }
    if (const auto& webhook = config.alerts.webhook) {
        MLC_TRY(auto key,
                read_secret(vault, webhook->signing_secret, "alerts.webhook.signing_secret"));
        channels.push_back(std::make_unique<engine::WebhookChannel>(webhook->url, std::move(key),
                                                                    transport, clock));
    }
    return std::make_unique<engine::AlertDispatcher>(clock, store, log, std::move(channels),
                                                     config.alerts.retry_backoff_max);
}

AlertLoop::AlertLoop(Clock& clock, engine::AlertRules& rules, engine::AlertDispatcher& dispatcher,
                     spdlog::logger& log, std::chrono::seconds every)
    : rules_(rules),
      dispatcher_(dispatcher),
      log_(log),
      // The first pass after one interval: the flows' first runs (due at start) come first.
      periodic_(clock, every, [this] { tick(); }) {}

void AlertLoop::tick() {
    if (auto evaluated = rules_.evaluate(); !evaluated) {
        log_.warn("alert rules not evaluated (next pass retries): {}",
                  evaluated.error().describe());
    } else if (changed_ && (evaluated->raised > 0 || evaluated->resolved > 0)) {
        changed_();
    }
    if (auto dispatched = dispatcher_.dispatch(); !dispatched) {
        log_.warn("alert notifications not sent (next pass retries): {}",
                  dispatched.error().describe());
    }
}

}  // namespace mlc::cli
