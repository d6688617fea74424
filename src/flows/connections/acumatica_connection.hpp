#pragma once
// An Acumatica client built from one mlc.yaml connection, for any recipe (and `mlc ping`):
//
//   connections.<name>: system acumatica, base_url (https://host/site),
//                       secrets {password}, options {user, tenant, branch?, endpoint (Default),
//                       version (24.200.001), rate_per_minute (60), login_wait (5m: how long
//                       a run waits for a licence seat when every one is held)}
//
// The session: auth::SessionLogin through the connection's TokenManager (cookies cached sealed,
// one login reused by every call, a re-login once on 401); the recipe ends it after every run
// (AcumaticaClient::end_session, pipeline::Flow::finally). rate_per_minute paces the connection
// below the licence's queue (the queue's own hold is obeyed on top).
//
// ping_acumatica() checks, one line each: the vault secret, reaching the host, the endpoint
// version (GET /entity names the served ones), the login (auth), reading one sales order, and
// the logout (a ping never holds a licence seat).
//
// Lifecycle: open once per flow (or ping); the holder owns the client, its credentials and what
// the process did not provide. Thread safety: see AcumaticaClient. Ownership: borrows the clock,
// store, vault, transport, limiters and metrics from engine::Dependencies.

#include <memory>

#include "auth/token_manager.hpp"
#include "common/result.hpp"
#include "connectors/acumatica/acumatica_client.hpp"
#include "connectors/ping.hpp"
#include "engine/config.hpp"
#include "engine/recipe_registry.hpp"
#include "flows/connections/client_plumbing.hpp"

namespace mlc::flows::connections {

inline constexpr double kAcumaticaDefaultPerMinute = 60.0;  // Below a small licence's queue.

struct AcumaticaConnection : ClientPlumbing {
    std::unique_ptr<auth::TokenManager> credentials;
    std::unique_ptr<connectors::acumatica::AcumaticaClient> client;  // Destroyed first.
};

// kConfig naming the connection and the fix when it is not an acumatica connection, the vault is
// missing, or options.user / options.tenant / secrets.password is not configured.
Result<std::unique_ptr<AcumaticaConnection>> open_acumatica(
    const engine::ConnectionConfig& connection, const engine::Dependencies& deps);

// Never throws, never writes to Acumatica; logs out of the session it opens.
connectors::PingReport ping_acumatica(const engine::ConnectionConfig& connection,
                                      const engine::Dependencies& deps);

}  // namespace mlc::flows::connections
