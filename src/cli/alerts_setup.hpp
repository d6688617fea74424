#pragma once
// The composition of alerting for `mlc run` and `mlc alerts test`: the channels of the config's
// `alerts:` section with their secrets read from the vault (engine/alert_notifier.hpp), and the
// loop that evaluates the rules (engine/alert_rules.hpp) and dispatches notifications every
// `alerts.check_every` on the clock.
//
// Lifecycle: AlertLoop runs on a thread of its own (engine::Periodic) between start() and stop()
// (or destruction).
// Thread safety: the loop uses the store from its thread (the store is thread safe); the rules
// and dispatcher it borrows are used by no one else meanwhile.

#include <chrono>
#include <functional>
#include <memory>

#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "engine/alert_notifier.hpp"
#include "engine/alert_rules.hpp"
#include "engine/config.hpp"
#include "engine/periodic.hpp"
#include "net/http_transport.hpp"

namespace mlc::cli {

// A dispatcher with one channel per configured one (none when the config names none). A channel
// whose secret cannot be read from the vault is a kConfig error naming the setting.
Result<std::unique_ptr<engine::AlertDispatcher>> make_alert_dispatcher(
    Clock& clock, const engine::Config& config, store::StateStore& store, const auth::Vault* vault,
    net::HttpTransport& transport, spdlog::logger& log);

class AlertLoop {
  public:
    AlertLoop(Clock& clock, engine::AlertRules& rules, engine::AlertDispatcher& dispatcher,
              spdlog::logger& log, std::chrono::seconds every);
    AlertLoop(const AlertLoop&) = delete;
    AlertLoop& operator=(const AlertLoop&) = delete;

    void start() { periodic_.start(); }
    void stop() { periodic_.stop(); }  // Returns once the current pass ended.
    void tick();  // One pass: the rules, then the notifications (errors are logged).
    // Called after a pass that raised or resolved an alert (the console's live page); before
    // start().
    void on_change(std::function<void()> changed) { changed_ = std::move(changed); }

  private:
    engine::AlertRules& rules_;
    engine::AlertDispatcher& dispatcher_;
    spdlog::logger& log_;
    std::function<void()> changed_;
    engine::Periodic periodic_;  // Last: its thread stops before the members it uses go.
};

}  // namespace mlc::cli
