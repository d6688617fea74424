#include "connectors/acumatica/acumatica_errors.hpp"

#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mlc::connectors::acumatica {
namespace json = boost::json;
namespace {

constexpr std::size_t kFieldErrorsMax = 20;  // Field messages joined into one error.
constexpr int kDepthMax = 4;                 // Nesting searched for field errors.

std::string cut(std::string text) {
    if (text.size() > kVendorMessageMax) text = text.substr(0, kVendorMessageMax) + "...";
    return text;
}

std::string text_member(const json::object& object, std::string_view name) {
    const json::value* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// "Path: message" for each {"error": "..."} field of an entity answer.
void field_errors(const json::object& object, const std::string& path, int depth,
                  std::vector<std::string>& out) {
    if (depth > kDepthMax) return;
    for (const auto& [name, value] : object) {
        if (out.size() >= kFieldErrorsMax) return;
        const std::string here = path.empty() ? std::string(name) : path + "/" + std::string(name);
        if (value.is_object()) {
            const std::string error = text_member(value.get_object(), "error");
            if (!error.empty()) out.push_back(here + ": " + error);
            field_errors(value.get_object(), here, depth + 1, out);
        } else if (value.is_array()) {
            std::size_t index = 0;
            for (const auto& row : value.get_array()) {
                if (row.is_object()) {
                    field_errors(row.get_object(), here + "/" + std::to_string(index), depth + 1,
                                 out);
                }
                ++index;
            }
        }
    }
}

}  // namespace

std::string vendor_message(std::string_view body) {
    json::error_code ec;
    const json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) return cut(std::string(body));
    const json::object& object = parsed.get_object();
    std::string message = text_member(object, "exceptionMessage");
    if (message.empty()) message = text_member(object, "message");
    std::string own = text_member(object, "error");
    std::vector<std::string> fields;
    field_errors(object, "", 0, fields);
    std::string out = !own.empty() ? own : message;
    for (const std::string& field : fields) out += (out.empty() ? "" : "; ") + field;
    return cut(out);
}

Error error_from_response(const net::HttpResponse& response, const ErrorContext& context) {
    const int status = response.status;
    ErrorCode code = ErrorCode::kTransient;
    if (status == 404) code = ErrorCode::kNotFound;
    if (status == 412) code = ErrorCode::kConflict;
    if (status == 400 || status == 422 || status == 405 || status == 501) {
        code = ErrorCode::kRejected;
    }
    if (status == 401 || status == 403) code = ErrorCode::kAuthFailed;
    if (status == 429) code = ErrorCode::kRateLimited;
    const std::string said = vendor_message(response.body);
    if (said.find("API Login Limit") != std::string::npos) code = ErrorCode::kRateLimited;
    std::string message = "connection '" + std::string(context.connection) +
                          "': " + std::string(context.what) + " answered HTTP " +
                          std::to_string(status);
    if (!context.record_key.empty()) message += " for " + std::string(context.record_key);
    if (!said.empty()) message += ": " + said;
    if (code == ErrorCode::kRejected) message += " (fix the record in Acumatica, then replay)";
    if (code == ErrorCode::kAuthFailed) {
        message += " (check the connection's user, tenant and password)";
    }
    Error error = make_error(code, kSystemName, std::move(message));
    error.http_status = status;
    error.record_key = std::string(context.record_key);
    return error;
}

}  // namespace mlc::connectors::acumatica
