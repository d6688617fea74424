#pragma once
// cached_webhook_secrets: the webhook intake's secrets without reading and decrypting the vault
// file per delivery. Each (flow, source) answer of `inner` (a secret, or "none configured") is
// kept until `revision` changes: it is asked per delivery and must be cheap (the SodiumVault's is
// one stat() of its file: device, inode, size, mtime and ctime in nanoseconds, all of which a
// `mlc secret set` in another process changes, since it replaces the file by rename). A change
// drops every cached answer, so a rotated secret verifies the very next delivery. Errors are
// never cached (the next delivery asks again); a nullopt revision (the vault cannot tell) caches
// nothing.
//
// Thread safety: the returned provider is safe from several threads (one mutex; a miss asks
// `inner` under it, so a rotation decrypts once, not once per waiting delivery).
// Ownership: the provider owns `inner`, `revision` and the cache (shared by its copies).

#include <functional>
#include <optional>
#include <string>

#include "net/webhook_intake.hpp"

namespace mlc::net {

using SecretRevision = std::function<std::optional<std::string>()>;

WebhookSecretProvider cached_webhook_secrets(WebhookSecretProvider inner, SecretRevision revision);

}  // namespace mlc::net
