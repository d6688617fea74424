#include "connectors/epicor/epicor_errors.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;

constexpr std::size_t kErrorJsonDepthMax = 16;

struct Body {
    std::string message;
    std::string type;
    json::array details;
};

std::string text_of(const json::object& object, std::string_view name) {
    const json::value* v = object.if_contains(name);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

Body parse_body(const net::HttpResponse& response) {
    Body body;
    if (response.body.size() > kErrorBodyBytesMax) return body;
    json::parse_options options;
    options.max_depth = kErrorJsonDepthMax;
    boost::system::error_code ec;
    const json::value value = json::parse(response.body, ec, {}, options);
    if (ec || !value.is_object()) return body;
    const json::object& object = value.get_object();
    body.message = text_of(object, "ErrorMessage");
    body.type = text_of(object, "ErrorType");
    if (const json::value* details = object.if_contains("ErrorDetails");
        details != nullptr && details->is_array()) {
        body.details = details->get_array();
    }
    return body;
}

std::string who(const EpicorErrorContext& context) {
    return "connection '" + std::string(context.connection) + "'";
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

Error finish(Error error, int status, const EpicorErrorContext& context) {
    error.system = "epicor";
    error.http_status = status;
    error.record_key = std::string(context.record_key);
    return error;
}

Error finish(Error error, const net::HttpResponse& response, const EpicorErrorContext& context) {
    return finish(std::move(error), response.status, context);
}

// kUnresolved for a customer or part Epicor does not know, naming it and the fix (`said` is
// Epicor's text).
Error unresolved(std::string_view said, int status, const EpicorErrorContext& context) {
    const std::string kind = contains(said, "Part not found") ? "part" : "customer";
    const std::string subject = context.subject.empty() ? kind : std::string(context.subject);
    return finish(
        make_error(ErrorCode::kUnresolved, "Epicor company " + std::string(context.company) +
                                               " has no " + subject + " (" + std::string(said) +
                                               "): add it in Epicor or map it, then replay"),
        status, context);
}

bool names_unknown_reference(std::string_view said) {
    return contains(said, "Part not found") || contains(said, "Customer not found");
}

// "OrderDtl.PartNum: Part not found.; ..." from ErrorDetails (errors first, then warnings).
std::string describe_details(const json::array& details) {
    std::string out;
    std::size_t named = 0;
    for (const json::value& entry : details) {
        if (named >= kErrorDetailsMax || !entry.is_object()) break;
        const json::object& detail = entry.get_object();
        std::string where = text_of(detail, "Table");
        const std::string field = text_of(detail, "Field");
        if (!field.empty()) where += (where.empty() ? "" : ".") + field;
        if (!out.empty()) out += "; ";
        if (!where.empty()) out += where + ": ";
        out += text_of(detail, "Message");
        ++named;
    }
    return out;
}

bool is_business_type(std::string_view type) {
    return contains(type, "BusinessObjectException") || contains(type, "BLException");
}

}  // namespace

EpicorAuthCause classify_auth_failure(const net::HttpResponse& response) {
    const std::string message = parse_body(response).message;
    if (message.starts_with("Invalid username or password")) return EpicorAuthCause::kPassword;
    if (message.starts_with("Invalid API Key")) return EpicorAuthCause::kApiKey;
    if (message.starts_with("Access denied")) return EpicorAuthCause::kAccessDenied;
    return EpicorAuthCause::kUnknown;
}

Error epicor_auth_error(const net::HttpResponse& response, const EpicorErrorContext& context) {
    const std::string company(context.company);
    std::string message;
    switch (classify_auth_failure(response)) {
        case EpicorAuthCause::kPassword:
            message =
                "Epicor refused the user (\"Invalid username or password.\", also sent for "
                "an expired token): check the user and password of " +
                who(context);
            break;
        case EpicorAuthCause::kApiKey:
            // The vendor's message quotes the key: never copied (secrets stay out of errors).
            message = "Epicor refused the API key (\"Invalid API Key\"): check the x-api-key of " +
                      who(context) + " (API key for company " + company + ")";
            break;
        case EpicorAuthCause::kAccessDenied:
            message = "Epicor denied access (\"" + parse_body(response).message.substr(0, 200) +
                      "\"): the user of " + who(context) + " lacks rights in company " + company;
            break;
        case EpicorAuthCause::kUnknown:
            message = "Epicor answered HTTP 401 for " + who(context) +
                      ": check its user, password and x-api-key (company " + company + ")";
            break;
    }
    return finish(make_error(ErrorCode::kAuthFailed, std::move(message)), response, context);
}

Error map_epicor_error(const net::HttpResponse& response, const EpicorErrorContext& context) {
    if (response.status == 401) return epicor_auth_error(response, context);
    const Body body = parse_body(response);
    const std::string details = describe_details(body.details);
    const std::string said = details.empty() ? body.message : details;
    const std::string status = "HTTP " + std::to_string(response.status);

    const bool business = is_business_type(body.type);
    if (business && names_unknown_reference(said))
        return unresolved(said, response.status, context);
    if (response.status == 404) {
        return finish(make_error(ErrorCode::kNotFound, "Epicor: not found (" + said + ")"),
                      response, context);
    }
    if (contains(said, "already exists")) {
        return finish(make_error(ErrorCode::kConflict, "Epicor: " + said), response, context);
    }
    if (business) {
        return finish(make_error(ErrorCode::kRejected,
                                 "Epicor refused the record (" + status + "): " + said +
                                     ": fix the record or the Epicor setup, then replay"),
                      response, context);
    }
    if (response.status == 409) {
        return finish(make_error(ErrorCode::kConflict, "Epicor: conflict (" + said + ")"), response,
                      context);
    }
    if (response.status >= 500) {
        return finish(make_error(ErrorCode::kTransient,
                                 "Epicor server error (" + status + "): " + said.substr(0, 300)),
                      response, context);
    }
    if (contains(said, "does not exist on type") || contains(body.type, "ODataException")) {
        return finish(make_error(ErrorCode::kConfig,
                                 "Epicor does not know a field this connection uses (" + said +
                                     "): check the field names configured for " + who(context)),
                      response, context);
    }
    return finish(make_error(ErrorCode::kInvalidInput,
                             "Epicor could not read the request (" + status + "): " + said),
                  response, context);
}

Error map_upd_error(const json::object& row, const EpicorErrorContext& context) {
    const std::string table = text_of(row, "TableName");
    const std::string said = (table.empty() ? "" : table + ": ") + text_of(row, "ErrorText");
    if (names_unknown_reference(said)) return unresolved(said, 200, context);
    return finish(
        make_error(ErrorCode::kInvalidInput,
                   "Epicor refused " + (table.empty() ? "a row" : "a " + table + " row") +
                       " of the UpdateExt write (" + text_of(row, "ErrorType") + "): " + said),
        200, context);
}

}  // namespace mlc::connectors::epicor
