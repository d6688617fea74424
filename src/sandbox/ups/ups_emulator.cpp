#include "sandbox/ups/ups_emulator.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "common/base64.hpp"
#include "sandbox/catalog.hpp"
#include "sandbox/seeded.hpp"
#include "sandbox/ups/ups_json.hpp"
#include "sandbox/ups/ups_seed.hpp"
#include "sandbox/ups/ups_tracking_number.hpp"

namespace mlc::sandbox::ups {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kHex = "0123456789abcdef";

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::int64_t day_number(UtcTime t) {
    return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
}

// "/api/a/b/c" -> {"a", "b", "c"}
std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        if (slash != 0) out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

net::HttpResponse not_found() {
    return ups_error(404, "404", "The requested resource was not found.");
}

}  // namespace

UpsEmulator::UpsEmulator(EmulatorContext context)
    : context_(context), book_(context.seed, catalog::customer_count(context.volume)) {
    seed_shipments();
}

UpsEmulator::~UpsEmulator() = default;

std::unique_ptr<Emulator> make_ups_emulator(EmulatorContext context) {
    return std::make_unique<UpsEmulator>(context);
}

std::string UpsEmulator::client_id() const { return draw_text(context_.seed, 1, 48, kBase36); }
std::string UpsEmulator::client_secret() const { return draw_text(context_.seed, 2, 64, kBase36); }
std::string UpsEmulator::shipper_number() const { return draw_text(context_.seed, 3, 6, kBase36); }
std::string UpsEmulator::second_shipper_number() const {
    return draw_text(context_.seed, 4, 6, kBase36);
}

json::object UpsEmulator::connection_info(std::string_view base_url) const {
    return {{"base_url", base_url},
            {"client_id", client_id()},
            {"client_secret", client_secret()},
            {"account_number", shipper_number()},
            {"second_account_number", second_shipper_number()}};
}

net::HttpResponse UpsEmulator::handle(const net::HttpRequest& request) {
    // UPS publishes no rate limits; a 429 carries code 10429 and no rate headers (ups.md).
    if (throttle_remaining_ > 0) {
        --throttle_remaining_;
        return ups_error(429, "10429", "Too Many Requests.");
    }
    return dispatch(request);
}

net::HttpResponse UpsEmulator::dispatch(const net::HttpRequest& request) {
    const std::string path = net::url_path(request.url);
    if (path == "/security/v1/oauth/token") {
        if (request.method != "POST") return ups_error(405, "405", "Method Not Allowed.");
        return create_token(request);
    }
    const auto parts = segments(path);
    if (parts.empty() || parts[0] != "api") return not_found();
    if (auto denied = check_bearer(request)) return std::move(*denied);
    const auto n = parts.size();
    const std::string& method = request.method;
    if (n == 4 && parts[1] == "addressvalidation" && method == "POST") {
        if (parts[2] != "v2" && parts[2] != "v1") return not_found();
        return validate_address(request, parts[3]);
    }
    if (n == 4 && parts[1] == "shipments" && parts[3] == "ship" && method == "POST") {
        return ship(request, parts[2]);
    }
    if (n == 6 && parts[1] == "shipments" && parts[3] == "void" && parts[4] == "cancel" &&
        method == "DELETE") {
        return void_shipment(request, parts[5]);
    }
    if (n == 4 && parts[1] == "labels" && parts[3] == "recovery" && method == "POST") {
        return recover_label(request, parts[2]);
    }
    if (n == 5 && parts[1] == "track" && parts[2] == "v1" && parts[3] == "details" &&
        method == "GET") {
        return track(request, parts[4], false);
    }
    if (n == 6 && parts[1] == "track" && parts[2] == "v1" && parts[3] == "reference" &&
        parts[4] == "details" && method == "GET") {
        return track(request, parts[5], true);
    }
    if (n == 4 && parts[1] == "quantumview" && parts[2] == "v3" && parts[3] == "events" &&
        method == "POST") {
        return quantum_view(request);
    }
    if (n == 6 && parts[1] == "track" && parts[2] == "v2" && parts[3] == "subscription" &&
        parts[5] == "package" && method == "POST") {
        return subscribe(request, parts[4]);
    }
    return not_found();
}

// ---- OAuth ---------------------------------------------------------------------------------

net::HttpResponse UpsEmulator::create_token(const net::HttpRequest& request) {
    const auto auth = net::find_header(request.headers, "Authorization");
    std::optional<std::string> decoded;
    if (auth && auth->starts_with("Basic ")) decoded = base64_decode(auth->substr(6));
    if (!decoded || *decoded != client_id() + ":" + client_secret()) {
        return ups_error(401, "10401", "ClientId is Invalid");
    }
    const auto type = net::find_header(request.headers, "Content-Type");
    if (!type || !type->starts_with("application/x-www-form-urlencoded")) {
        return ups_error(400, "10400",
                         "Invalid Content-Type: use application/x-www-form-urlencoded");
    }
    if (net::query_param("?" + request.body, "grant_type") != "client_credentials") {
        return ups_error(400, "10400", "Invalid/Missing grant_type");
    }
    const std::string merchant(net::find_header(request.headers, "x-merchant-id").value_or(""));
    if (!merchant.empty() && merchant != shipper_number() && merchant != second_shipper_number()) {
        return ups_error(403, "10403", "Blocked Merchant");
    }
    const UtcTime now = context_.clock.now();
    if (day_number(now) != token_day_) {
        token_day_ = day_number(now);
        token_day_count_ = 0;
    }
    if (token_day_count_ >= daily_token_cap_) {
        return ups_error(429, "10429",
                         "Too Many Requests: the daily token request limit is spent.");
    }
    ++token_day_count_;
    const std::string access =
        "ups-at-" + draw_text(context_.seed, 1'000'000 + tokens_issued_++, 40, kHex);
    tokens_[access] = Token{.issued = now, .lifetime = token_lifetime_, .merchant_id = merchant};
    const auto issued_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    // Every field is a string, expires_in included (ups.md).
    const json::object body{{"token_type", "Bearer"},
                            {"issued_at", std::to_string(issued_ms)},
                            {"client_id", client_id()},
                            {"access_token", access},
                            {"scope", ""},
                            {"expires_in", std::to_string(token_lifetime_.count())},
                            {"refresh_count", "0"},
                            {"status", "approved"}};
    return json_ok(body);
}

std::optional<net::HttpResponse> UpsEmulator::check_bearer(const net::HttpRequest& request) {
    // Codes from the error table UPSTrackAlert.yaml says applies to all APIs.
    const auto auth = net::find_header(request.headers, "Authorization");
    if (!auth || !auth->starts_with("Bearer ") || auth->size() == 7) {
        return ups_error(401, "UJ0001", "Invalid token or token is not present.");
    }
    const auto it = tokens_.find(std::string(auth->substr(7)));
    if (it == tokens_.end() || it->second.revoked) {
        return ups_error(401, "250002", "Invalid Authentication Information.");
    }
    if (context_.clock.now() >= it->second.issued + it->second.lifetime) {
        return ups_error(401, "251004", "Bearer Token expired (oauth)");
    }
    return std::nullopt;
}

// ---- Address Validation ----------------------------------------------------------------------

namespace {

json::object classification(std::string_view code) {
    const std::string_view text = code == "1"   ? "Commercial"
                                  : code == "2" ? "Residential"
                                                : "UnClassified";
    return {{"Code", code}, {"Description", text}};
}

json::object candidate_json(const BookAddress& entry, const std::vector<std::string>& lines,
                            const std::string& consignee, bool classify) {
    json::array address_lines{entry.line()};
    for (std::size_t i = 1; i < lines.size(); ++i)
        address_lines.emplace_back(normalize_street(lines[i]));
    json::object key;
    if (!consignee.empty()) key["ConsigneeName"] = normalize_street(consignee);
    key["AddressLine"] = std::move(address_lines);
    key["Region"] = entry.region();
    key["PoliticalDivision2"] = entry.city;
    key["PoliticalDivision1"] = entry.state;
    key["PostcodePrimaryLow"] = entry.zip5;
    key["PostcodeExtendedLow"] = entry.zip4;
    if (!entry.urbanization.empty()) key["Urbanization"] = entry.urbanization;
    key["CountryCode"] = entry.country;
    json::object candidate;
    if (classify) candidate["AddressClassification"] = classification(entry.commercial ? "1" : "2");
    candidate["AddressKeyFormat"] = std::move(key);
    return candidate;
}

// Region "CITY,ST,ZIP" replaces PoliticalDivision2/1 and the postcodes (AddressValidation.yaml).
AddressQuery query_of(const json::object* format, const std::vector<std::string>& lines) {
    AddressQuery query{.line = lines.empty() ? std::string() : lines[0],
                       .city = string_at(format, "PoliticalDivision2"),
                       .state = string_at(format, "PoliticalDivision1"),
                       .postal_code = string_at(format, "PostcodePrimaryLow")};
    const std::string region = string_at(format, "Region");
    if (!region.empty()) {
        const auto first = region.find(',');
        const auto second = region.find(',', first == std::string::npos ? first : first + 1);
        query.city = region.substr(0, first);
        query.state =
            first == std::string::npos ? "" : region.substr(first + 1, second - first - 1);
        query.postal_code = second == std::string::npos ? "" : region.substr(second + 1);
    }
    return query;
}

}  // namespace

net::HttpResponse UpsEmulator::validate_address(const net::HttpRequest& request,
                                                std::string_view option) {
    if (option != "1" && option != "2" && option != "3") {
        return ups_error(400, "264001", "Invalid request option: use 1, 2 or 3.");
    }
    std::size_t max_candidates = kCandidatesDefault;
    if (const auto size = net::query_param(request.url, "maximumcandidatelistsize")) {
        const auto value = parse_int(*size);
        if (!value || *value < 0 || *value > static_cast<std::int64_t>(kCandidatesMax)) {
            return ups_error(400, "264007", "maximumcandidatelistsize must be between 0 and 50.");
        }
        max_candidates = static_cast<std::size_t>(*value);
    }
    boost::system::error_code ec;
    const json::value body = json::parse(request.body, ec);
    const json::object* xav = ec ? nullptr : object_at(body.if_object(), "XAVRequest");
    const json::object* format = object_at(xav, "AddressKeyFormat");
    if (format == nullptr) return ups_error(400, "264000", "Missing AddressKeyFormat.");
    const std::string country = string_at(format, "CountryCode");
    if (country != "US" && country != "PR") {
        // Street level validation covers the U.S. and Puerto Rico only.
        return ups_error(400, "264002", "Country Code is invalid or missing.");
    }
    const auto lines = string_list(format, "AddressLine");
    if (!lines || lines->size() > kAddressLinesMax) {
        return ups_error(400, "264003", "AddressLine must be one to three strings.");
    }
    const AddressMatch match = book_.match(query_of(format, *lines));
    json::object out{{"Response", success_response(object_at(xav, "Request"))}};
    const bool classify = option != "1";
    if (option != "2") {
        // Indicators are present as "" when set and absent otherwise (ups.md).
        out[match.outcome == AddressOutcome::kValid       ? "ValidAddressIndicator"
            : match.outcome == AddressOutcome::kAmbiguous ? "AmbiguousAddressIndicator"
                                                          : "NoCandidatesIndicator"] = "";
    }
    if (classify) {
        out["AddressClassification"] = classification(match.outcome != AddressOutcome::kValid ? "0"
                                                      : match.candidates[0]->commercial       ? "1"
                                                                                        : "2");
    }
    json::array candidates;
    const std::string consignee = string_at(format, "ConsigneeName");
    for (std::size_t i = 0; i < match.candidates.size() && i < max_candidates && option != "2";
         ++i) {
        candidates.push_back(candidate_json(*match.candidates[i], *lines, consignee, classify));
    }
    // v2 always answers Candidate as an array; v1 as one object when there is one.
    const bool v1 = net::url_path(request.url).starts_with("/api/addressvalidation/v1/");
    if (candidates.size() == 1 && v1) {
        out["Candidate"] = candidates[0];
    } else if (!candidates.empty()) {
        out["Candidate"] = std::move(candidates);
    }
    return json_ok(json::object{{"XAVResponse", std::move(out)}});
}

}  // namespace mlc::sandbox::ups
