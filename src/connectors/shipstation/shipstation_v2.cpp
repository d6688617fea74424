#include "connectors/shipstation/shipstation_v2.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "auth/credential_headers.hpp"
#include "connectors/shipstation/shipstation_json.hpp"
#include "connectors/shipstation/shipstation_streams.hpp"

namespace mlc::connectors::shipstation {
namespace {

namespace json = boost::json;
constexpr std::size_t kVendorMessageMax = 300;
constexpr std::int64_t kRetryAfterMax = 3600;

Error invalid(std::string message) {
    return make_error(ErrorCode::kInvalidInput, std::string(kSystem), std::move(message));
}

std::string text(const json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) return {};
    if (auto number = number_text(*value)) return *number;
    return value->is_string() ? std::string(value->get_string()) : std::string();
}

// "se-123" -> "123" (a V1 id); any other text as it is.
std::string v1_id(const std::string& id) {
    const std::string_view digits = std::string_view(id).substr(id.starts_with("se-") ? 3 : 0);
    const bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    return numeric ? std::string(digits) : id;
}

// The messages of a V2 error body, joined; the body's start when it is not one.
std::string v2_message(std::string_view body) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(body, ec);
    std::string out;
    const json::value* errors =
        !ec && parsed.is_object() ? parsed.get_object().if_contains("errors") : nullptr;
    if (errors != nullptr && errors->is_array()) {
        for (const auto& entry : errors->get_array()) {
            if (!entry.is_object()) continue;
            const std::string code = text(entry.get_object(), "error_code");
            const std::string message = text(entry.get_object(), "message");
            out += (out.empty() ? "" : "; ") + message + (code.empty() ? "" : " (" + code + ")");
        }
    }
    if (out.empty()) out = std::string(body.substr(0, kVendorMessageMax));
    return out.size() > kVendorMessageMax ? out.substr(0, kVendorMessageMax) + "..." : out;
}

Result<Page<model::Shipment>> labels_page_from_json(std::string_view body) {
    MLC_TRY(const json::value parsed, parse_exact(body, "the GET /v2/labels answer"));
    const json::value* list =
        parsed.is_object() ? parsed.get_object().if_contains("labels") : nullptr;
    if (list == nullptr || !list->is_array())
        return invalid("the GET /v2/labels answer has no 'labels' array");
    if (list->get_array().size() > kPageRecordsMax)
        return invalid("the GET /v2/labels answer lists more labels than a page holds");
    Page<model::Shipment> page;
    for (const auto& element : list->get_array()) {
        std::string raw = serialize_exact(element);
        const std::string key =
            "label " + (element.is_object() ? text(element.get_object(), "label_id") : "");
        auto mapped = element.is_object() ? label_from_json(element.get_object())
                                          : Result<model::Shipment>(invalid("not an object"));
        if (!mapped) {
            Error error = std::move(mapped).error();
            error.record_key = key;
            page.rejected.push_back({key, std::move(raw), std::move(error)});
            continue;
        }
        page.items.push_back({std::move(mapped).value(), std::move(raw)});
    }
    const json::object& object = parsed.get_object();
    auto count = [&](std::string_view name) {
        const std::string value = text(object, name);
        std::uint64_t out = 0;
        std::from_chars(value.data(), value.data() + value.size(), out);
        return out;
    };
    page.total = count("total");
    page.page = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, count("page")));
    page.more = page.page < count("pages");  // V2: `pages` is 0 when nothing matches.
    page.next_page = page.more ? page.page + 1 : 0;
    return page;
}

}  // namespace

Result<model::Shipment> label_from_json(const json::object& label) {
    const std::string label_id = text(label, "label_id");
    if (label_id.empty()) return invalid("label has no label_id");
    model::Shipment out;
    const std::string id = v1_id(label_id);
    out.source = {std::string(kSystem), id, id};
    const std::string order_id = v1_id(text(label, "shipment_id"));
    out.order = {std::string(kSystem), text(label, "external_shipment_id"), order_id};
    if (out.order.key.empty()) out.order.key = order_id;
    out.carrier = text(label, "carrier_code");
    out.service = text(label, "service_code");
    out.tracking_number = text(label, "tracking_number");
    if (const std::string ship = text(label, "ship_date"); !ship.empty()) {
        MLC_TRY(out.ship_date, parse_iso8601(ship));
    }
    MLC_TRY(out.created_at, parse_iso8601(text(label, "created_at")));
    if (const auto* cost = label.if_contains("shipment_cost"); cost && cost->is_object()) {
        if (const std::string amount = text(cost->get_object(), "amount"); !amount.empty()) {
            MLC_TRY(out.cost, Decimal::parse(amount));
        }
    }
    const auto* voided = label.if_contains("voided");
    out.voided = (voided != nullptr && voided->is_bool() && voided->get_bool()) ||
                 text(label, "status") == "voided";
    return out;
}

Error v2_error_from_response(const net::HttpResponse& response, std::string_view connection,
                             std::string_view what) {
    const int status = response.status;
    const std::string where = "connection '" + std::string(connection) + "': " + std::string(what) +
                              ": HTTP " + std::to_string(status);
    const std::string vendor = v2_message(response.body);
    Error error;
    if (status == 401 || status == 403) {
        error = make_error(ErrorCode::kAuthFailed,
                           where + " (" + vendor + "): check the V2 API key of connection '" +
                               std::string(connection) + "' (mlc secret set ...)");
    } else if (status == 429) {
        error = make_error(ErrorCode::kRateLimited,
                           where + ": over ShipStation V2's 200 requests a minute; wait");
        const auto after = net::find_header(response.headers, "Retry-After");
        std::int64_t seconds = -1;
        if (after) std::from_chars(after->data(), after->data() + after->size(), seconds);
        if (seconds >= 0 && seconds <= kRetryAfterMax)
            error.retry_after = std::chrono::seconds(seconds);
    } else if (status >= 500) {
        error = make_error(ErrorCode::kTransient, where + " (" + vendor + "): retry later");
    } else if (status == 404) {
        error = make_error(ErrorCode::kNotFound, where + ": " + vendor);
    } else {
        error = make_error(ErrorCode::kRejected, where + ": ShipStation refused: " + vendor);
    }
    error.system = std::string(kSystem);
    error.http_status = status;
    return error;
}

ShipStationV2Client::ShipStationV2Client(ShipStationV2Connection connection,
                                         ShipStationDependencies dependencies)
    : connection_(std::move(connection)), vault_(dependencies.vault) {
    while (connection_.base_url.ends_with('/')) connection_.base_url.pop_back();
    // Its own budget: V2 keys are counted apart from V1 key pairs.
    dependencies.limiters.configure(connection_.name + " (V2)", connection_.rate_limit);
    http_ = std::make_unique<net::HttpClient>(
        net::HttpClientOptions{.system = std::string(kSystem),
                               .retry = connection_.retry,
                               .transport = {},
                               .log_body_bytes_max = 2048},
        dependencies.transport, dependencies.clock, dependencies.limiters, dependencies.seed,
        std::move(dependencies.logger), dependencies.observer);
}

ShipStationV2Client::~ShipStationV2Client() = default;

Result<std::string> ShipStationV2Client::get(const std::string& path_and_query) {
    net::HttpRequest request;
    request.method = "GET";
    request.url = connection_.base_url + path_and_query;
    request.headers.emplace_back("Accept", "application/json");
    const std::string what = "GET " + net::url_path(request.url);
    auth::CredentialHeaders credentials;
    credentials.api_key("API-Key", connection_.api_key_secret);
    if (auto applied = credentials.apply(vault_, request); !applied) {
        Error error = std::move(applied).error();
        error.code = ErrorCode::kConfig;
        error.message = "connection '" + connection_.name + "': the V2 API key: " + error.message;
        return error;
    }
    auto answer = http_->call(net::CallRequest{.request = std::move(request),
                                               .connection = connection_.name + " (V2)",
                                               .operation = {},
                                               .idempotent = std::nullopt,
                                               .dedupes = false,
                                               .deadline = std::nullopt});
    if (!answer) {
        Error error = std::move(answer).error();
        error.message = "connection '" + connection_.name + "' (V2): " + error.message;
        if (error.code == ErrorCode::kUnauthorized) {
            error.code = ErrorCode::kAuthFailed;
            error.message += ": check the V2 API key of the connection (mlc secret set ...)";
        }
        return error;
    }
    if (answer->status < 200 || answer->status >= 300) {
        return v2_error_from_response(*answer, connection_.name, what);
    }
    return std::move(answer->body);
}

Result<Page<model::Shipment>> ShipStationV2Client::list_labels(const ListLabelsRequest& request) {
    const std::uint32_t size = std::clamp<std::uint32_t>(request.page_size, 1, kPageRecordsMax);
    MLC_TRY(const std::string body, get("/v2/labels?created_at_start=" +
                                        net::url_encode(format_iso8601(request.created_since)) +
                                        "&sort_by=created_at&sort_dir=asc&page=" +
                                        std::to_string(std::max<std::uint32_t>(1, request.page)) +
                                        "&page_size=" + std::to_string(size)));
    return labels_page_from_json(body);
}

std::string LabelsSource::system() const { return std::string(kSystem) + "-shipment"; }

Result<std::unique_ptr<Scan<model::Shipment>>> LabelsSource::scan(const std::string& position) {
    auto list = [this](UtcTime from, std::uint32_t page) {
        return client_.list_labels({.created_since = from, .page = page});
    };
    return time_scan<model::Shipment>(
        position, window_, std::move(list),
        [](const model::Shipment& shipment) { return shipment.created_at; });
}

Result<std::optional<Record<model::Shipment>>> LabelsSource::get(const std::string& replay) {
    return shipment_from_replay(replay);
}

SourceIdentity LabelsSource::identify(const model::Shipment& shipment) const {
    return shipment_identity(shipment);
}

}  // namespace mlc::connectors::shipstation
