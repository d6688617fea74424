#include "engine/dead_letter_cause.hpp"

#include <boost/json.hpp>

namespace mlc::engine {

namespace json = boost::json;

std::string with_cause(const std::string& replay_json, const Error& error) {
    json::object out;
    boost::system::error_code ec;
    json::value parsed = json::parse(replay_json, ec);
    if (!ec && parsed.is_object()) out = std::move(parsed.as_object());
    out["cause"] = json::object{{"code", std::string(to_string(error.code))},
                                {"system", error.system},
                                {"message", error.message}};
    return json::serialize(out);
}

DeadLetterCause cause_of(const store::DeadLetter& letter) {
    DeadLetterCause fallback{
        .code = letter.error_code, .system = {}, .message = letter.error_message};
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
    DeadLetterCause found{
        .code = text("code"), .system = text("system"), .message = text("message")};
    if (found.code.empty() || found.message.empty()) return fallback;
    return found;
}

}  // namespace mlc::engine
