#include "net/webhook_secret_cache.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "common/assert.hpp"

namespace mlc::net {
namespace {

struct SecretCache {
    std::mutex mutex;
    std::optional<std::string> revision;  // Of the answers held; nullopt: none held.
    std::map<std::pair<std::string, std::string>, std::optional<std::string>> answers;
};

}  // namespace

WebhookSecretProvider cached_webhook_secrets(WebhookSecretProvider inner, SecretRevision revision) {
    MLC_ASSERT(static_cast<bool>(inner) && static_cast<bool>(revision),
               "a secret cache needs a provider and a revision");
    auto cache = std::make_shared<SecretCache>();
    return [inner = std::move(inner), revision = std::move(revision), cache](
               const std::string& flow,
               const std::string& source) -> Result<std::optional<std::string>> {
        const std::optional<std::string> now = revision();
        std::lock_guard lock(cache->mutex);
        if (!now || now != cache->revision) {
            cache->answers.clear();
            cache->revision = now;
        }
        const auto key = std::make_pair(flow, source);
        if (auto found = cache->answers.find(key); found != cache->answers.end()) {
            return found->second;
        }
        auto answer = inner(flow, source);
        if (answer && now) cache->answers.emplace(key, *answer);
        return answer;
    };
}

}  // namespace mlc::net
