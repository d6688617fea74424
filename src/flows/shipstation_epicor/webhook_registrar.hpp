#pragma once
// ShipStationWebhookRegistrar: the flow's own ShipStation webhooks (shipstation.md, Webhooks).
//
// ShipStation signs nothing, so the subscribed target URL carries a secret token:
//   <public base>/hooks/<flow>/shipstation?token=<token>   (engine/webhooks.hpp)
// which the daemon's intake (net/webhook_intake.hpp) compares with the vault secret
// "webhook.<flow>.shipstation" in constant time.
//
// ensure():
//  1. lists the account's webhooks first (GET /webhooks);
//  2. reads the token from the vault, or generates one (libsodium randombytes, kTokenBytes as hex:
//     URL-safe) and stores it in the vault *before* any subscription names it, so the intake can
//     verify the very first delivery;
//  3. subscribes each wanted event (ORDER_NOTIFY, and SHIP_NOTIFY when the flow writes tracking)
//     that has no webhook with exactly that target URL yet: a second ensure() changes nothing;
//  4. deletes webhooks aimed at this flow's own URL with another token (a token that was
//     replaced in the vault): their deliveries could only be refused.
// Each subscribe and delete is audited without the token (the URL is shown as ...?token=***).
//
// Lifecycle: built per call over a client, vault and store that outlive it. Thread safety: none of
// its own; the engine serialises one flow's runs. Ownership: borrows everything.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "auth/vault.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "connectors/shipstation/shipstation_client.hpp"
#include "store/state_store.hpp"

namespace mlc::flows::shipstation_epicor {

inline constexpr const char* kWebhookSource = "shipstation";  // Its channel's source().
inline constexpr std::size_t kTokenBytes = 32;  // 256 bits: never guessed, 64 hex characters.

struct RegisteredWebhook {
    std::int64_t id = 0;
    std::string event;
    bool created_now = false;
};

struct WebhookRegistration {
    std::string delivery_url;                 // Without the token.
    std::vector<RegisteredWebhook> webhooks;  // One per wanted event.
    bool token_created = false;
    std::size_t removed = 0;  // Stale webhooks with another token, deleted.
};

// "shipstation-webhooks:<flow>": the alert raised while the flow's webhooks cannot be ensured.
std::string webhook_alert_key(std::string_view flow);
// `bytes` random bytes as lowercase hex (libsodium); kInternal if libsodium cannot start.
Result<std::string> random_hex(std::size_t bytes);

class ShipStationWebhookRegistrar {
  public:
    ShipStationWebhookRegistrar(connectors::shipstation::ShipStationClient& shipstation,
                                auth::Vault& vault, store::StateStore& store, Clock& clock)
        : shipstation_(shipstation), vault_(vault), store_(store), clock_(clock) {}

    Result<WebhookRegistration> ensure(const std::string& flow, const std::string& public_base_url,
                                       const std::vector<std::string>& events);

  private:
    Result<std::string> token(const std::string& flow, bool& created);
    void audit(const std::string& flow, std::int64_t id, store::AuditAction action,
               std::string detail);

    connectors::shipstation::ShipStationClient& shipstation_;
    auth::Vault& vault_;
    store::StateStore& store_;
    Clock& clock_;
};

}  // namespace mlc::flows::shipstation_epicor
