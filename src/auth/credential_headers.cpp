#include "auth/credential_headers.hpp"

#include <utility>

#include "auth/token_source.hpp"

namespace mlc::auth {
namespace {
const std::string kNoSecret;
}

CredentialHeaders& CredentialHeaders::basic(std::string user, std::string password_secret) {
    basic_ = Basic{std::move(user), std::move(password_secret)};
    return *this;
}

CredentialHeaders& CredentialHeaders::api_key(std::string header, std::string key_secret) {
    api_keys_.push_back(ApiKey{std::move(header), std::move(key_secret)});
    return *this;
}

const std::string& CredentialHeaders::basic_password_secret() const {
    return basic_ ? basic_->password_secret : kNoSecret;
}

const std::string& CredentialHeaders::api_key_secret() const {
    return api_keys_.empty() ? kNoSecret : api_keys_.front().key_secret;
}

Result<void> CredentialHeaders::apply(const Vault& vault, net::HttpRequest& request) const {
    for (const auto& key : api_keys_) {
        MLC_TRY_CTX(std::string value, vault.get(key.key_secret),
                    "while adding the " + key.header + " header");
        net::set_header(request.headers, key.header, std::move(value));
    }
    if (basic_) {
        MLC_TRY_CTX(std::string password, vault.get(basic_->password_secret),
                    "while adding Basic credentials for user '" + basic_->user + "'");
        net::set_header(request.headers, "Authorization",
                        basic_authorization(basic_->user, password));
    }
    return ok();
}

}  // namespace mlc::auth
