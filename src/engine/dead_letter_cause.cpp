#include "engine/dead_letter_cause.hpp"

#include <boost/json.hpp>
#include <tuple>

namespace mlc::engine {

namespace json = boost::json;

std::pair<std::string, std::string> unresolved_mapping(std::string_view message) {
    constexpr std::string_view kTable = "mappings.";
    const auto at = message.find(kTable);
    if (at == std::string_view::npos) return {};
    std::size_t end = at + kTable.size();
    while (end < message.size() &&
           ((message[end] >= 'a' && message[end] <= 'z') || message[end] == '_')) {
        ++end;
    }
    const auto open = message.find('\'');
    const auto close = open == std::string_view::npos ? open : message.find('\'', open + 1);
    if (end == at + kTable.size() || close == std::string_view::npos || close == open + 1) {
        return {};
    }
    return {std::string(message.substr(at + kTable.size(), end - at - kTable.size())),
            std::string(message.substr(open + 1, close - open - 1))};
}

std::string with_cause(const std::string& replay_json, const Error& error) {
    json::object out;
    boost::system::error_code ec;
    json::value parsed = json::parse(replay_json, ec);
    if (!ec && parsed.is_object()) out = std::move(parsed.as_object());
    json::object cause{{"code", std::string(to_string(error.code))},
                       {"system", error.system},
                       {"message", error.message}};
    if (auto [table, value] = unresolved_mapping(error.message); !table.empty()) {
        cause["table"] = table;
        cause["value"] = value;
    }
    out["cause"] = std::move(cause);
    return json::serialize(out);
}

// The cause with its unresolved reference: as kept, or from the message for older letters.
DeadLetterCause with_reference(DeadLetterCause cause) {
    if (cause.table.empty()) std::tie(cause.table, cause.value) = unresolved_mapping(cause.message);
    return cause;
}

DeadLetterCause cause_of(const store::DeadLetter& letter) {
    DeadLetterCause fallback =
        with_reference({.code = letter.error_code, .system = {}, .message = letter.error_message});
    boost::system::error_code ec;
    const json::value parsed = json::parse(letter.replay_json, ec);
    if (ec || !parsed.is_object()) return fallback;
    const json::value* cause = parsed.as_object().if_contains("cause");
    if (cause == nullptr || !cause->is_object()) return fallback;
    const json::object& c = cause->as_object();
    auto text = [&c](const char* name) {
        const json::value* v = c.if_contains(name);
        return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    DeadLetterCause found{.code = text("code"),
                          .system = text("system"),
                          .message = text("message"),
                          .table = text("table"),
                          .value = text("value")};
    if (found.code.empty() || found.message.empty()) return fallback;
    return with_reference(std::move(found));
}

}  // namespace mlc::engine
