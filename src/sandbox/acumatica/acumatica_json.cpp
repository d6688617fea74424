#include "sandbox/acumatica/acumatica_json.hpp"

#include <boost/json/serialize.hpp>

#include "common/time.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

// A control character no client string carries unescaped: boost::json writes it as \u001f, so
// the serialised marker is unambiguous.
constexpr char kMarker = '\x1f';
constexpr std::string_view kMarkerEscaped = "\"\\u001f";

}  // namespace

std::string decimal_marker(std::string_view text) {
    std::string out(1, kMarker);
    out += text;
    return out;
}

std::string write_json(const json::value& value) {
    const std::string text = json::serialize(value);
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (true) {
        const std::size_t hit = text.find(kMarkerEscaped, pos);
        if (hit == std::string::npos) break;
        out.append(text, pos, hit - pos);
        const std::size_t start = hit + kMarkerEscaped.size();
        const std::size_t end = text.find('"', start);  // Decimal text holds no quote.
        out.append(text, start, end - start);
        pos = end + 1;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

std::string format_time(UtcTime time) {
    const auto millis = std::chrono::floor<std::chrono::milliseconds>(time);
    std::string text = format_iso8601(UtcTime{millis});  // "...:30Z" or "...:30.123Z"
    text.pop_back();
    if (text.find('.') == std::string::npos) text += ".000";
    return text + "+00:00";
}

const json::value* field_value(const json::object& record, std::string_view name) {
    const json::value* field = record.if_contains(name);
    if (field == nullptr || !field->is_object()) return nullptr;
    const json::value* value = field->get_object().if_contains("value");
    if (value == nullptr || value->is_null()) return nullptr;
    return value;
}

std::optional<std::string> field_string(const json::object& record, std::string_view name) {
    const json::value* value = field_value(record, name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return std::string(value->get_string());
}

Decimal field_decimal(const json::object& record, std::string_view name) {
    const json::value* value = field_value(record, name);
    if (value != nullptr && value->is_int64()) return Decimal::from_int(value->get_int64());
    if (value == nullptr || !value->is_string()) return Decimal{};
    return Decimal::parse(value->get_string()).value_or(Decimal{});
}

bool field_bool(const json::object& record, std::string_view name) {
    const json::value* value = field_value(record, name);
    return value != nullptr && value->is_bool() && value->get_bool();
}

std::optional<UtcTime> field_time(const json::object& record, std::string_view name) {
    const json::value* value = field_value(record, name);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    auto parsed = parse_iso8601(value->get_string());
    if (!parsed) return std::nullopt;
    return *parsed;
}

void set_field(json::object& record, std::string_view name, json::value value) {
    json::object field;
    field["value"] = std::move(value);
    record[name] = std::move(field);
}

void set_decimal(json::object& record, std::string_view name, Decimal value) {
    set_field(record, name, json::string(value.to_string()));
}

void set_time(json::object& record, std::string_view name, UtcTime value) {
    set_field(record, name, json::string(format_time(value)));
}

Result<json::value> coerce_value(FieldType type, const json::value& value) {
    if (value.is_null()) return json::value(nullptr);
    auto refuse = [](std::string what) {
        return make_error(ErrorCode::kInvalidInput, "acumatica", std::move(what));
    };
    switch (type) {
        case FieldType::kString:
        case FieldType::kGuid:
            if (!value.is_string()) return refuse("The value must be a string.");
            // The renderer's decimal marker; no business text carries it.
            if (value.get_string().find(kMarker) != json::string::npos) {
                return refuse("The value contains a control character.");
            }
            return value;
        case FieldType::kBool:
            if (!value.is_bool()) return refuse("The value must be true or false.");
            return value;
        case FieldType::kInt:
            if (!value.is_int64()) return refuse("The value must be an integer.");
            return value;
        case FieldType::kDecimal: {
            // parse_exact_json keeps fractions as text and whole numbers as int64.
            if (value.is_int64())
                return json::value(Decimal::from_int(value.get_int64()).to_string());
            if (!value.is_string()) return refuse("The value must be a number.");
            auto parsed = Decimal::parse(value.get_string());
            if (!parsed) return refuse("The value must be a number.");
            return json::value(parsed->to_string());
        }
        case FieldType::kDateTime: {
            if (!value.is_string()) return refuse("The value must be a date and time.");
            auto parsed = parse_iso8601(value.get_string());
            if (!parsed) return refuse("The value must be a date and time.");
            return json::value(format_time(*parsed));
        }
        case FieldType::kLinked:
        case FieldType::kDetail:
            break;
    }
    return refuse("The value cannot be set.");
}

net::HttpResponse http_error(int status, std::string_view message,
                             std::string_view exception_message, std::string_view exception_type) {
    json::object body;
    body["message"] = message;
    if (!exception_message.empty()) {
        body["exceptionMessage"] = exception_message;
        body["exceptionType"] = exception_type;
        body["stackTrace"] = "";
    }
    return json_answer(status, body);
}

net::HttpResponse json_answer(int status, const json::value& body) {
    net::HttpResponse response = net::json_response(status, write_json(body));
    return response;
}

}  // namespace mlc::sandbox::acumatica
