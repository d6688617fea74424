#include "sandbox/ups/ups_json.hpp"

#include <boost/json.hpp>

namespace mlc::sandbox::ups {

namespace json = boost::json;

net::HttpResponse ups_error(int status, std::string_view code, std::string_view message) {
    json::object error{{"code", code}, {"message", message}};
    json::object body{{"response", json::object{{"errors", json::array{std::move(error)}}}}};
    return net::json_response(status, json::serialize(body));
}

const json::object* object_at(const json::object* object, std::string_view key) {
    if (object == nullptr) return nullptr;
    const auto* value = object->if_contains(key);
    return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

std::string string_at(const json::object* object, std::string_view key) {
    if (object == nullptr) return {};
    const auto* value = object->if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
}

bool has_key(const json::object* object, std::string_view key) {
    return object != nullptr && object->contains(key);
}

std::optional<std::vector<const json::object*>> one_or_many(const json::object* parent,
                                                            std::string_view key) {
    std::vector<const json::object*> out;
    const auto* value = parent == nullptr ? nullptr : parent->if_contains(key);
    if (value == nullptr) return out;
    if (value->is_object()) {
        out.push_back(&value->get_object());
        return out;
    }
    if (!value->is_array()) return std::nullopt;
    for (const auto& item : value->get_array()) {
        if (!item.is_object()) return std::nullopt;
        out.push_back(&item.get_object());
    }
    return out;
}

std::optional<std::vector<std::string>> string_list(const json::object* parent,
                                                    std::string_view key) {
    std::vector<std::string> out;
    const auto* value = parent == nullptr ? nullptr : parent->if_contains(key);
    if (value == nullptr) return out;
    if (value->is_string()) {
        out.emplace_back(value->get_string());
        return out;
    }
    if (!value->is_array()) return std::nullopt;
    for (const auto& item : value->get_array()) {
        if (!item.is_string()) return std::nullopt;
        out.emplace_back(item.get_string());
    }
    return out;
}

json::object success_response(const json::object* request_block) {
    json::object response{
        {"ResponseStatus", json::object{{"Code", "1"}, {"Description", "Success"}}}};
    const std::string context =
        string_at(object_at(request_block, "TransactionReference"), "CustomerContext");
    if (!context.empty()) {
        response["TransactionReference"] = json::object{{"CustomerContext", context}};
    }
    return response;
}

json::object money(const Decimal& amount, std::string_view currency) {
    return {{"CurrencyCode", currency}, {"MonetaryValue", amount.to_string(2)}};
}

net::HttpResponse json_ok(const json::value& body) {
    return net::json_response(200, json::serialize(body));
}

}  // namespace mlc::sandbox::ups
