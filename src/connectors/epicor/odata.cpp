#include "connectors/epicor/odata.hpp"

#include <cctype>

#include "common/time.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::epicor::odata {

std::string string_literal(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 2);
    out += '\'';
    for (const char c : value) {
        if (c == '\'') out += '\'';  // OData's one escape: a quote is doubled.
        out += c;
    }
    out += '\'';
    return out;
}

std::string date_literal(UtcTime t) {
    return format_iso8601(std::chrono::floor<std::chrono::seconds>(t));
}

bool is_field_name(std::string_view name) {
    if (name.empty() || name.size() > kFieldNameLengthMax) return false;
    const auto first = static_cast<unsigned char>(name.front());
    if (!std::isalpha(first) && name.front() != '_') return false;
    for (const char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    }
    return true;
}

Result<void> check_field_name(std::string_view name, std::string_view what) {
    if (is_field_name(name)) return ok();
    return make_error(ErrorCode::kConfig, "epicor",
                      std::string(what) + " '" + std::string(name) +
                          "' is not an Epicor field name (letters, digits and _ only, such as "
                          "PONum or ShipStationKey_c): fix the connection's configuration");
}

std::string eq(std::string_view field, std::string_view value) {
    return std::string(field) + " eq " + string_literal(value);
}

std::string eq(std::string_view field, std::int64_t value) {
    return std::string(field) + " eq " + std::to_string(value);
}

std::string gt(std::string_view field, std::int64_t value) {
    return std::string(field) + " gt " + std::to_string(value);
}

std::string ge(std::string_view field, UtcTime value) {
    return std::string(field) + " ge " + date_literal(value);
}

std::string and_(std::string_view a, std::string_view b) {
    // Appended to a named string: GCC 12 warns falsely (-Wrestrict, bug 105651) on literal + string
    // at -O3.
    std::string out(1, '(');
    out.append(a).append(") and (").append(b).append(1, ')');
    return out;
}

std::string key(const std::vector<KeyValue>& values) {
    std::string out = "(";
    bool first = true;
    for (const KeyValue& value : values) {
        if (!first) out += ',';
        first = false;
        if (const auto* text = std::get_if<std::string>(&value)) {
            out += string_literal(*text);
        } else {
            out += std::to_string(std::get<std::int64_t>(value));
        }
    }
    return out + ")";
}

namespace {

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        if (!out.empty()) out += ',';
        out += name;
    }
    return out;
}

}  // namespace

std::string query_string(const Query& query) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!query.filter.empty()) params.emplace_back("$filter", query.filter);
    if (!query.select.empty()) params.emplace_back("$select", join(query.select));
    if (!query.expand.empty()) params.emplace_back("$expand", join(query.expand));
    if (!query.orderby.empty()) params.emplace_back("$orderby", query.orderby);
    if (query.top) params.emplace_back("$top", std::to_string(*query.top));
    if (query.skip > 0) params.emplace_back("$skip", std::to_string(query.skip));
    std::string out;
    for (const auto& [name, value] : params) {
        out += out.empty() ? '?' : '&';
        out += name;
        out += '=';
        out += net::url_encode(value);
    }
    return out;
}

}  // namespace mlc::connectors::epicor::odata
