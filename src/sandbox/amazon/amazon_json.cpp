#include "sandbox/amazon/amazon_json.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "common/time.hpp"

namespace mlc::sandbox::amazon {

namespace json = boost::json;

net::HttpResponse amazon_error(int status, std::string_view code, std::string_view message,
                               std::string_view details) {
    json::object error{{"code", code}, {"message", message}, {"details", details}};
    return json_answer(status, json::object{{"errors", json::array{std::move(error)}}});
}

net::HttpResponse invalid_input(std::string_view message) {
    return amazon_error(400, "InvalidInput", message);
}

net::HttpResponse json_answer(int status, const json::value& body) {
    return net::json_response(status, json::serialize(body));
}

std::vector<std::string> query_list(std::string_view target, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [key, value] : net::url_query(target)) {
        if (key != name) continue;
        std::string_view rest = value;
        while (true) {
            const auto comma = rest.find(',');
            out.emplace_back(rest.substr(0, comma));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::vector<std::string_view> path_segments(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        if (slash != 0) out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

std::string iso_seconds(UtcTime t) {
    return format_iso8601(std::chrono::floor<std::chrono::seconds>(t));
}

}  // namespace mlc::sandbox::amazon
