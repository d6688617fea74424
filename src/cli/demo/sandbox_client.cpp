#include "cli/demo/sandbox_client.hpp"

#include <boost/json.hpp>

namespace mlc::cli::demo {
namespace {

namespace json = boost::json;

// Control answers are small (one order, one label, a state summary); the sandbox's own limits
// keep them so. Errors quote at most this much of a body.
constexpr std::size_t kErrorBodyQuoteMax = 300;
// A sandbox on loopback answers in milliseconds; these only bound a wedged one.
constexpr net::TransportOptions kControlTimeouts{.connect_timeout = std::chrono::seconds{5},
                                                 .total_timeout = std::chrono::seconds{30}};
// Markers found in one serialised body, at most: a demo body holds a few dozen amounts.
constexpr std::size_t kMarkersMax = 100'000;

}  // namespace

json::value exact_number(std::string_view decimal_text) {
    std::string marked(kExactNumberMark);
    marked.append(decimal_text);
    return json::value(std::move(marked));
}

std::string to_json_text(const json::value& value) {
    std::string text = json::serialize(value);
    const std::string quoted_mark = "\"" + std::string(kExactNumberMark);
    std::size_t at = 0;
    for (std::size_t found = 0; found < kMarkersMax; ++found) {
        at = text.find(quoted_mark, at);
        if (at == std::string::npos) break;
        const std::size_t close = text.find('"', at + quoted_mark.size());
        if (close == std::string::npos) break;
        // Decimal text (digits, '.', '-') needs no JSON escaping, so the bytes stay as they were.
        const std::string number =
            text.substr(at + quoted_mark.size(), close - at - quoted_mark.size());
        text.replace(at, close + 1 - at, number);
        at += number.size();
    }
    return text;
}

std::string url_origin(std::string_view url) {
    const std::size_t scheme = url.find("://");
    const std::size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    return std::string(url.substr(0, path));
}

SandboxClient::SandboxClient(net::HttpTransport& transport, std::string origin, std::string system)
    : transport_(transport), origin_(std::move(origin)), system_(std::move(system)) {}

Result<json::value> SandboxClient::post(std::string_view route, const json::value& body) {
    return send("POST", route, to_json_text(body));
}

Result<json::value> SandboxClient::get(std::string_view route) { return send("GET", route, {}); }

Result<json::value> SandboxClient::send(std::string method, std::string_view route,
                                        std::string body) {
    net::HttpRequest request;
    request.method = std::move(method);
    request.url = origin_ + "/__sandbox/" + std::string(route);
    request.body = std::move(body);
    if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    const std::string what = request.method + " " + request.url;
    MLC_TRY_CTX(net::HttpResponse response, transport_.send(request, kControlTimeouts),
                "while calling the " + system_ + " sandbox (" + what + ")");
    if (response.status < 200 || response.status >= 300) {
        Error error = make_error(ErrorCode::kRejected, system_ + " sandbox",
                                 what + " answered " + std::to_string(response.status) + ": " +
                                     response.body.substr(0, kErrorBodyQuoteMax));
        error.http_status = response.status;
        return error;
    }
    json::error_code ec;
    json::value parsed = json::parse(response.body, ec);
    if (ec) {
        return make_error(ErrorCode::kInvalidInput, system_ + " sandbox",
                          what + " answered something that is not JSON");
    }
    return parsed;
}

}  // namespace mlc::cli::demo
