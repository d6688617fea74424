#include "sandbox/acumatica/acumatica_emulator.hpp"

#include <algorithm>
#include <cstdio>

#include "common/exact_json.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

constexpr std::string_view kLoginPath = "/entity/auth/login";
constexpr std::string_view kLogoutPath = "/entity/auth/logout";
constexpr std::string_view kEntityPrefix = "/entity/";
constexpr std::size_t kPathSegmentsMax = 8;

std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (salt + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string hex(std::uint64_t value, int digits) {
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, value >>= 4) {
        out[static_cast<std::size_t>(i)] = "0123456789abcdef"[value & 0xF];
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hex_digit(text[i + 1]);
            const int low = hex_digit(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out.push_back(static_cast<char>(high * 16 + low));
                i += 2;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t pos = 0;
    while (pos <= path.size() && segments.size() <= kPathSegmentsMax) {
        const std::size_t slash = std::min(path.find('/', pos), path.size());
        segments.push_back(percent_decode(path.substr(pos, slash - pos)));
        pos = slash + 1;
    }
    if (!segments.empty() && segments.back().empty()) segments.pop_back();
    return segments;
}

// The value of cookie `name` in the Cookie header, or empty.
std::string cookie(const net::HttpRequest& request, std::string_view name) {
    const auto header = net::find_header(request.headers, "Cookie");
    if (!header) return {};
    std::string_view rest = *header;
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find(';'), rest.size());
        std::string_view pair = rest.substr(0, end);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
        rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    return {};
}

net::HttpResponse method_not_allowed(std::string_view method) {
    return http_error(
        405, "The requested resource does not support http method '" + std::string(method) + "'.");
}

net::HttpResponse no_content() {
    net::HttpResponse response;
    response.status = 204;
    return response;
}

}  // namespace

AcumaticaEmulator::AcumaticaEmulator(EmulatorContext context)
    : context_(context),
      queue_(RequestQueueLimits{.requests_per_minute = kRequestsPerMinuteDefault}) {
    password_ = "acu-" + hex(mix(context_.seed, 7), 12);
    seed_data();
}

AcumaticaEmulator::~AcumaticaEmulator() = default;

std::unique_ptr<Emulator> make_acumatica_emulator(EmulatorContext context) {
    return std::make_unique<AcumaticaEmulator>(context);
}

json::object AcumaticaEmulator::connection_info(std::string_view base_url) const {
    return {{"base_url", base_url},   {"name", user_name_}, {"password", password_},
            {"tenant", tenant_},      {"branch", branch_},  {"endpoint", kEndpoint},
            {"version", kVersions[0]}};
}

void AcumaticaEmulator::tick() { complete_due_actions(); }

std::string AcumaticaEmulator::new_guid() {
    const std::uint64_t a = mix(context_.seed, 1'000'000 + next_guid_);
    const std::uint64_t b = mix(context_.seed ^ 0x5A5A, next_guid_);
    ++next_guid_;
    // Version-4 shape: 8-4-4-4-12 hex digits.
    return hex(a >> 32, 8) + "-" + hex((a >> 16) & 0xFFFF, 4) + "-4" + hex(a & 0xFFF, 3) + "-a" +
           hex(b >> 52, 3) + "-" + hex(b & 0xFFFFFFFFFFFFULL, 12);
}

std::string AcumaticaEmulator::next_number(std::int64_t& counter, std::size_t width) {
    std::string digits = std::to_string(counter++);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return digits;
}

std::string AcumaticaEmulator::key_text(const EntitySpec& entity, const json::object& record) {
    std::string key;
    for (const std::string_view field : entity.keys) {
        if (!key.empty()) key += '/';
        key += field_string(record, field).value_or("");
    }
    return key;
}

void AcumaticaEmulator::touch(const EntitySpec& entity, json::object& record) {
    set_time(record, entity.modified_field, now());
    // StockItem carries both LastModified and LastModifiedDateTime in the contract.
    if (entity.name == "StockItem") set_time(record, "LastModified", now());
}

net::HttpResponse AcumaticaEmulator::handle(const net::HttpRequest& request) {
    complete_due_actions();
    expire_idle_sessions();
    ++requests_;
    const std::string path = net::url_path(request.url);
    const bool auth_path = path == kLoginPath || path == kLogoutPath;
    if (auth_path && request.method != "POST") return method_not_allowed(request.method);
    if (path == kLogoutPath) return logout(request);  // Sign-out is processed at once.
    if (path == kLoginPath) return login(request);
    if (path == "/entity" || path == "/entity/") return list_endpoints();
    if (path.starts_with(kEntityPrefix)) return entity_route(request, path);
    return http_error(
        404, "No HTTP resource was found that matches the request URI '" + base_url_ + path + "'.");
}

AcumaticaEmulator::Session* AcumaticaEmulator::session_of(const net::HttpRequest& request) {
    const std::string auth = cookie(request, ".ASPXAUTH");
    if (auth.empty()) return nullptr;
    const auto found = sessions_.find(auth);
    if (found == sessions_.end()) return nullptr;
    if (cookie(request, "ASP.NET_SessionId") != found->second.session_id) return nullptr;
    return &found->second;
}

void AcumaticaEmulator::expire_idle_sessions() {
    const UtcTime cutoff = now() - kSessionIdle;
    std::erase_if(sessions_, [&](const auto& entry) {
        if (entry.second.logs_out_at) {  // Another integration that signs out on time.
            if (*entry.second.logs_out_at > now()) return false;
            ++sessions_closed_;
            return true;
        }
        if (entry.second.last_used > cutoff) return false;
        ++sessions_expired_;
        return true;
    });
}

net::HttpResponse AcumaticaEmulator::login(const net::HttpRequest& request) {
    const QueueDecision decision = queue_.admit(now());
    if (decision.declined) return http_error(429, "API request limit exceeded. Try again later.");
    auto body = parse_exact_json(request.body, kBodyBytesMax, "acumatica", "login body");
    if (!body || !body->is_object()) {
        return http_error(400, "The request is invalid.", "The login body is not a JSON object.",
                          "System.ArgumentException");
    }
    const json::object& fields = body->get_object();
    auto text = [&](std::string_view name) -> std::string {
        const json::value* value = fields.if_contains(name);
        return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
    };
    // `tenant` replaced the older `company`; both name the tenant.
    const std::string tenant = text("tenant").empty() ? text("company") : text("tenant");
    const std::string branch = text("branch");
    if (text("name") != user_name_ || text("password") != password_ || tenant != tenant_ ||
        (!branch.empty() && branch != branch_)) {
        ++logins_refused_;
        return http_error(500, "An error has occurred.", "Invalid credentials. Please try again.",
                          "PX.Data.PXException");
    }
    if (sessions_.size() >= sessions_max_) {
        ++logins_refused_;
        return http_error(login_limit_status_, "An error has occurred.", "API Login Limit",
                          "PX.Data.PXException");
    }
    Session session{
        .session_id = new_guid(), .user = user_name_, .opened = now(), .last_used = now()};
    std::string auth = new_guid() + new_guid();
    std::erase(auth, '-');
    net::HttpResponse response = no_content();
    response.headers.emplace_back("Set-Cookie", "ASP.NET_SessionId=" + session.session_id +
                                                    "; path=/; HttpOnly; SameSite=Lax");
    response.headers.emplace_back("Set-Cookie", ".ASPXAUTH=" + auth + "; path=/; HttpOnly");
    response.headers.emplace_back("Set-Cookie", "UserBranch=" + branch_ + "; path=/");
    response.headers.emplace_back("Set-Cookie", "Locale=Culture=en-US&TimeZone=GMTE0000U; path=/");
    sessions_.emplace(auth, std::move(session));
    ++sessions_opened_;
    return response;
}

net::HttpResponse AcumaticaEmulator::logout(const net::HttpRequest& request) {
    if (session_of(request) != nullptr) {
        sessions_.erase(cookie(request, ".ASPXAUTH"));
        ++sessions_closed_;
    }
    return no_content();
}

net::HttpResponse AcumaticaEmulator::list_endpoints() const {
    json::array endpoints;
    for (const std::string_view version : kVersions) {
        endpoints.push_back(json::object{{"name", kEndpoint},
                                         {"version", version},
                                         {"href", base_url_ + "/entity/" + std::string(kEndpoint) +
                                                      "/" + std::string(version) + "/"}});
    }
    return json_answer(200, json::object{{"endpoints", std::move(endpoints)}});
}

net::HttpResponse AcumaticaEmulator::entity_route(const net::HttpRequest& request,
                                                  std::string_view path) {
    const std::vector<std::string> segments = split_path(path.substr(kEntityPrefix.size()));
    const bool served_version =
        segments.size() >= 2 &&
        std::find(kVersions.begin(), kVersions.end(), segments[1]) != kVersions.end();
    const bool served = segments.size() >= 3 && segments[0] == kEndpoint && served_version &&
                        segments.size() <= kPathSegmentsMax &&
                        find_entity(segments[2]) != nullptr && find_entity(segments[2])->top_level;
    if (!served) {
        return http_error(404, "No HTTP resource was found that matches the request URI '" +
                                   base_url_ + std::string(path) + "'.");
    }
    Session* session = session_of(request);
    if (session == nullptr) return http_error(401, "The user is not logged in.");
    session->last_used = now();
    const QueueDecision decision = queue_.admit(now());
    if (decision.declined) return http_error(429, "API request limit exceeded. Try again later.");
    net::HttpResponse response = entity_call(
        request, segments[1], std::vector<std::string>(segments.begin() + 2, segments.end()));
    if (decision.delay.count() > 0) {
        response.headers.emplace_back(
            std::string(kDelayHeader),
            std::to_string(std::chrono::ceil<std::chrono::milliseconds>(decision.delay).count()));
    }
    return response;
}

net::HttpResponse AcumaticaEmulator::entity_call(const net::HttpRequest& request,
                                                 std::string_view version,
                                                 const std::vector<std::string>& segments) {
    const EntitySpec& entity = *find_entity(segments[0]);
    const std::string& method = request.method;
    if (method == "GET") {
        if (segments.size() == 1) return get_list(entity, request, version);
        if (segments.size() == 4 && segments[2] == "status") {
            return action_status(version, entity.name, segments[3]);
        }
        if (segments[1] == "$adHocSchema") return http_error(501, "Not emulated.");
        return get_one(entity, request, version,
                       std::vector<std::string>(segments.begin() + 1, segments.end()));
    }
    if (method == "PUT" && segments.size() == 1) return put_entity(entity, request, version);
    if (method == "POST" && segments.size() == 2) {
        return post_action(entity, request, version, segments[1]);
    }
    return method_not_allowed(method);
}

}  // namespace mlc::sandbox::acumatica
