#include "sandbox/epicor/epicor_json.hpp"

#include "common/exact_json.hpp"

namespace mlc::sandbox::epicor {

Result<boost::json::value> parse_exact(std::string_view text) {
    return parse_exact_json(text, kBodyBytesMax, "epicor", "request body");
}

std::string write_exact(const boost::json::value& value, const NameSet& decimal_fields) {
    return mlc::valid_utf8(write_exact_json(value, decimal_fields));
}

}  // namespace mlc::sandbox::epicor
