#include "sandbox/epicor/odata_query.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>

#include "common/decimal.hpp"
#include "common/time.hpp"

namespace mlc::sandbox::epicor {
namespace {

namespace json = boost::json;

constexpr std::size_t kDigitsMax = 9;           // $top/$skip: up to 999,999,999.
constexpr std::size_t kNameListItemsMax = 256;  // Names in one $select/$expand/$orderby.

Error odata_error(std::string message) {
    return make_error(ErrorCode::kInvalidInput, "epicor", std::move(message));
}

Error syntax_error(std::size_t position, std::string_view text) {
    return odata_error("Syntax error at position " + std::to_string(position) + " in '" +
                       std::string(text) + "'.");
}

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

struct Token {
    enum class Kind { kIdent, kString, kNumber, kDate, kOpen, kClose, kEnd };
    Kind kind = Kind::kEnd;
    std::string text{};
    std::size_t position = 0;
};

// Splits a $filter text into tokens. Strings keep their unescaped value ('' -> ').
class Lexer {
  public:
    explicit Lexer(std::string_view text) : text_(text) {}

    Result<std::vector<Token>> run() {
        std::vector<Token> tokens;
        // Bounded by kFilterLengthMax (checked by the caller): every step consumes a character.
        while (true) {
            while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
            Token token;
            token.position = pos_;
            if (pos_ >= text_.size()) {
                tokens.push_back(token);
                return tokens;
            }
            const char c = text_[pos_];
            if (c == '(' || c == ')') {
                token.kind = c == '(' ? Token::Kind::kOpen : Token::Kind::kClose;
                ++pos_;
            } else if (c == '\'') {
                MLC_TRY(token.text, string_literal());
                token.kind = Token::Kind::kString;
            } else if (is_digit(c) ||
                       (c == '-' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
                token.kind = looks_like_date() ? Token::Kind::kDate : Token::Kind::kNumber;
                token.text = token.kind == Token::Kind::kDate ? date_text() : number_text();
            } else if (is_ident_start(c)) {
                while (pos_ < text_.size() && is_ident_char(text_[pos_]))
                    token.text += text_[pos_++];
                // Typed literals (datetime'...', guid'...') are OData v2/v3 forms: v4 refuses them.
                if (pos_ < text_.size() && text_[pos_] == '\'') {
                    return syntax_error(token.position, text_);
                }
                token.kind = Token::Kind::kIdent;
            } else {
                return syntax_error(pos_, text_);
            }
            tokens.push_back(std::move(token));
        }
    }

  private:
    Result<std::string> string_literal() {
        const std::size_t start = pos_;
        std::string value;
        ++pos_;
        while (pos_ < text_.size()) {
            if (text_[pos_] == '\'') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\'') {
                    value += '\'';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                return value;
            }
            value += text_[pos_++];
        }
        return odata_error("There is an unterminated string literal at position " +
                           std::to_string(start) + " in '" + std::string(text_) + "'.");
    }
    bool looks_like_date() const {
        // yyyy-mm-dd
        if (pos_ + 10 > text_.size()) return false;
        for (std::size_t i = 0; i < 10; ++i) {
            const char c = text_[pos_ + i];
            if ((i == 4 || i == 7) ? c != '-' : !is_digit(c)) return false;
        }
        return true;
    }
    std::string date_text() {
        std::string out;
        while (pos_ < text_.size() &&
               (is_digit(text_[pos_]) ||
                std::string_view("-:T.Z+").find(text_[pos_]) != std::string_view::npos)) {
            out += text_[pos_++];
        }
        return out;
    }
    std::string number_text() {
        std::string out;
        if (text_[pos_] == '-') out += text_[pos_++];
        while (pos_ < text_.size() && (is_digit(text_[pos_]) || text_[pos_] == '.')) {
            out += text_[pos_++];
        }
        return out;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

std::optional<CompareOp> compare_op(std::string_view word) {
    if (word == "eq") return CompareOp::kEq;
    if (word == "ne") return CompareOp::kNe;
    if (word == "gt") return CompareOp::kGt;
    if (word == "ge") return CompareOp::kGe;
    if (word == "lt") return CompareOp::kLt;
    if (word == "le") return CompareOp::kLe;
    return std::nullopt;
}

// Recursive descent over the tokens; `depth_` bounds the recursion (kFilterDepthMax).
class Parser {
  public:
    Parser(std::vector<Token> tokens, std::string_view text)
        : tokens_(std::move(tokens)), text_(text) {}

    Result<Filter> run() {
        MLC_TRY(const std::size_t root, or_expr());
        if (peek().kind != Token::Kind::kEnd) return syntax_error(peek().position, text_);
        filter_.root = root;
        return std::move(filter_);
    }

  private:
    const Token& peek() const { return tokens_[pos_]; }
    bool is_word(std::string_view word) const {
        return peek().kind == Token::Kind::kIdent && peek().text == word;
    }
    std::size_t add(FilterNode node) {
        filter_.nodes.push_back(std::move(node));
        return filter_.nodes.size() - 1;
    }

    Result<std::size_t> or_expr() {
        MLC_TRY(std::size_t left, and_expr());
        while (is_word("or")) {
            ++pos_;
            MLC_TRY(const std::size_t right, and_expr());
            left = add({.kind = FilterNode::Kind::kOr, .child_a = left, .child_b = right});
        }
        return left;
    }
    Result<std::size_t> and_expr() {
        MLC_TRY(std::size_t left, unary());
        while (is_word("and")) {
            ++pos_;
            MLC_TRY(const std::size_t right, unary());
            left = add({.kind = FilterNode::Kind::kAnd, .child_a = left, .child_b = right});
        }
        return left;
    }
    Result<std::size_t> unary() {
        if (++depth_ > kFilterDepthMax) {
            return odata_error("The $filter is nested deeper than " +
                               std::to_string(kFilterDepthMax) + " levels.");
        }
        Result<std::size_t> result = unary_inner();
        --depth_;
        return result;
    }
    Result<std::size_t> unary_inner() {
        if (is_word("not")) {
            ++pos_;
            MLC_TRY(const std::size_t child, unary());
            return add({.kind = FilterNode::Kind::kNot, .child_a = child});
        }
        if (peek().kind == Token::Kind::kOpen) {
            ++pos_;
            MLC_TRY(const std::size_t inner, or_expr());
            if (peek().kind != Token::Kind::kClose) return syntax_error(peek().position, text_);
            ++pos_;
            return inner;
        }
        return comparison();
    }
    Result<std::size_t> comparison() {
        if (++terms_ > kFilterTermsMax) {
            return odata_error("The $filter has more than " + std::to_string(kFilterTermsMax) +
                               " comparisons.");
        }
        MLC_TRY(Operand left, operand());
        if (peek().kind == Token::Kind::kOpen && left.is_field) {
            return odata_error("An unknown function with name '" + left.field +
                               "' was found. This may also be a function import or a key lookup "
                               "on a navigation property, which is not allowed.");
        }
        const std::optional<CompareOp> op =
            peek().kind == Token::Kind::kIdent ? compare_op(peek().text) : std::nullopt;
        if (!op) return syntax_error(peek().position, text_);
        ++pos_;
        MLC_TRY(Operand right, operand());
        return add({.kind = FilterNode::Kind::kCompare,
                    .op = *op,
                    .left = std::move(left),
                    .right = std::move(right)});
    }
    Result<Operand> operand() {
        const Token& token = peek();
        Operand out;
        switch (token.kind) {
            case Token::Kind::kIdent:
                if (token.text == "true" || token.text == "false") {
                    out.literal = {.kind = Literal::Kind::kBool, .flag = token.text == "true"};
                } else if (token.text == "null") {
                    out.literal = {.kind = Literal::Kind::kNull};
                } else if (compare_op(token.text) || token.text == "and" || token.text == "or" ||
                           token.text == "not") {
                    return syntax_error(token.position, text_);
                } else {
                    out.is_field = true;
                    out.field = token.text;
                }
                break;
            case Token::Kind::kString:
                out.literal = {.kind = Literal::Kind::kString, .text = token.text};
                break;
            case Token::Kind::kNumber:
                if (!Decimal::parse(token.text)) return syntax_error(token.position, text_);
                out.literal = {.kind = Literal::Kind::kNumber, .text = token.text};
                break;
            case Token::Kind::kDate: {
                auto when = parse_iso8601(token.text);
                if (!when) {
                    return odata_error(
                        "The DateTimeOffset text '" + token.text +
                        "' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?'"
                        " and each field value is within valid range.");
                }
                out.literal = {.kind = Literal::Kind::kDate, .text = format_epicor_datetime(*when)};
                break;
            }
            default:
                return syntax_error(token.position, text_);
        }
        ++pos_;
        return out;
    }

    std::vector<Token> tokens_;
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;
    std::size_t terms_ = 0;
    Filter filter_;
};

// A comparable value: the operand's literal or the row's field, typed by the schema.
struct Value {
    enum class Kind { kNull, kString, kNumber, kBool, kDate };
    Kind kind = Kind::kNull;
    std::string text{};
    Decimal number{};
    bool flag = false;
};

Value literal_value(const Literal& literal) {
    switch (literal.kind) {
        case Literal::Kind::kString:
            return {.kind = Value::Kind::kString, .text = literal.text};
        case Literal::Kind::kNumber:
            return {.kind = Value::Kind::kNumber,
                    .number = Decimal::parse(literal.text).value_or(Decimal{})};
        case Literal::Kind::kBool:
            return {.kind = Value::Kind::kBool, .flag = literal.flag};
        case Literal::Kind::kDate:
            return {.kind = Value::Kind::kDate, .text = literal.text};
        case Literal::Kind::kNull:
            break;
    }
    return {};
}

Value field_value(const json::object& row, std::string_view field, const FieldTypes& types) {
    const auto type = types.find(field);
    const json::value* v = row.if_contains(field);
    if (type == types.end() || v == nullptr || v->is_null()) return {};
    switch (type->second) {
        case FieldType::kString:
            if (v->is_string())
                return {.kind = Value::Kind::kString, .text = std::string(v->get_string())};
            break;
        case FieldType::kInt:
        case FieldType::kDecimal:
            if (v->is_int64()) {
                return {.kind = Value::Kind::kNumber, .number = Decimal::from_int(v->get_int64())};
            }
            if (v->is_string()) {
                if (auto d = Decimal::parse(v->get_string())) {
                    return {.kind = Value::Kind::kNumber, .number = *d};
                }
            }
            break;
        case FieldType::kBool:
            if (v->is_bool()) return {.kind = Value::Kind::kBool, .flag = v->get_bool()};
            break;
        case FieldType::kDate:
            if (v->is_string())
                return {.kind = Value::Kind::kDate, .text = std::string(v->get_string())};
            break;
    }
    return {};
}

Value operand_value(const Operand& operand, const json::object& row, const FieldTypes& types) {
    return operand.is_field ? field_value(row, operand.field, types)
                            : literal_value(operand.literal);
}

// <0, 0, >0; nulls sort first. Values of different kinds never meet after check_filter.
int compare_values(const Value& a, const Value& b) {
    if (a.kind == Value::Kind::kNull || b.kind == Value::Kind::kNull) {
        return (a.kind == Value::Kind::kNull ? 0 : 1) - (b.kind == Value::Kind::kNull ? 0 : 1);
    }
    switch (a.kind) {
        case Value::Kind::kNumber:
            return a.number < b.number ? -1 : (a.number == b.number ? 0 : 1);
        case Value::Kind::kBool:
            return static_cast<int>(a.flag) - static_cast<int>(b.flag);
        default:
            return a.text.compare(b.text) < 0 ? -1 : (a.text == b.text ? 0 : 1);
    }
}

bool compare_matches(const FilterNode& node, const json::object& row, const FieldTypes& types) {
    const Value a = operand_value(node.left, row, types);
    const Value b = operand_value(node.right, row, types);
    const bool a_null = a.kind == Value::Kind::kNull;
    const bool b_null = b.kind == Value::Kind::kNull;
    if (a_null || b_null) {
        if (node.op == CompareOp::kEq) return a_null && b_null;
        if (node.op == CompareOp::kNe) return !(a_null && b_null);
        return false;
    }
    if (a.kind != b.kind) return node.op == CompareOp::kNe;
    const int c = compare_values(a, b);
    switch (node.op) {
        case CompareOp::kEq:
            return c == 0;
        case CompareOp::kNe:
            return c != 0;
        case CompareOp::kGt:
            return c > 0;
        case CompareOp::kGe:
            return c >= 0;
        case CompareOp::kLt:
            return c < 0;
        case CompareOp::kLe:
            return c <= 0;
    }
    return false;
}

bool node_matches(const Filter& filter, std::size_t index, const json::object& row,
                  const FieldTypes& types) {
    const FilterNode& node = filter.nodes[index];
    switch (node.kind) {
        case FilterNode::Kind::kAnd:
            return node_matches(filter, node.child_a, row, types) &&
                   node_matches(filter, node.child_b, row, types);
        case FilterNode::Kind::kOr:
            return node_matches(filter, node.child_a, row, types) ||
                   node_matches(filter, node.child_b, row, types);
        case FilterNode::Kind::kNot:
            return !node_matches(filter, node.child_a, row, types);
        case FilterNode::Kind::kCompare:
            return compare_matches(node, row, types);
    }
    return false;
}

std::string edm_name(const Operand& operand, const FieldTypes& types) {
    if (operand.is_field) return edm_type_name(types.find(operand.field)->second);
    switch (operand.literal.kind) {
        case Literal::Kind::kString:
            return "Edm.String";
        case Literal::Kind::kNumber:
            return operand.literal.text.find('.') == std::string::npos ? "Edm.Int32"
                                                                       : "Edm.Decimal";
        case Literal::Kind::kBool:
            return "Edm.Boolean";
        case Literal::Kind::kDate:
            return "Edm.DateTimeOffset";
        case Literal::Kind::kNull:
            return "null";
    }
    return "null";
}

// The comparison family of an operand ("number" covers Int32 and Decimal).
std::string family(const std::string& edm) {
    return edm == "Edm.Int32" || edm == "Edm.Decimal" ? "number" : edm;
}

const char* op_kind_name(CompareOp op) {
    switch (op) {
        case CompareOp::kEq:
            return "Equal";
        case CompareOp::kNe:
            return "NotEqual";
        case CompareOp::kGt:
            return "GreaterThan";
        case CompareOp::kGe:
            return "GreaterThanOrEqual";
        case CompareOp::kLt:
            return "LessThan";
        case CompareOp::kLe:
            return "LessThanOrEqual";
    }
    return "Equal";
}

Error unknown_property(std::string_view field, std::string_view type_name) {
    return odata_error("Could not find a property named '" + std::string(field) + "' on type '" +
                       std::string(type_name) + "'.");
}

bool is_identifier(std::string_view name) {
    if (name.empty() || !is_ident_start(name.front())) return false;
    for (const char c : name) {
        if (!is_ident_char(c)) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// Comma-separated items, each trimmed; bounded by kNameListItemsMax.
Result<std::vector<std::string>> split_list(std::string_view text, std::string_view option) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        if (items.size() >= kNameListItemsMax) {
            return odata_error("The " + std::string(option) + " option names more than " +
                               std::to_string(kNameListItemsMax) + " items.");
        }
        const std::size_t comma = text.find(',', start);
        const std::string_view item =
            trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
        if (item.empty()) return syntax_error(start, text);
        items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

Result<std::size_t> parse_count(std::string_view value, std::string_view option) {
    const auto bad = [&] {
        return odata_error("Invalid value '" + std::string(value) + "' for " + std::string(option) +
                           " query option found. The " + std::string(option) +
                           " query option requires a non-negative integer value.");
    };
    if (value.empty() || value.size() > kDigitsMax) return bad();
    std::size_t n = 0;
    for (const char c : value) {
        if (!is_digit(c)) return bad();
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
}

}  // namespace

const char* edm_type_name(FieldType type) {
    switch (type) {
        case FieldType::kString:
            return "Edm.String";
        case FieldType::kInt:
            return "Edm.Int32";
        case FieldType::kDecimal:
            return "Edm.Decimal";
        case FieldType::kBool:
            return "Edm.Boolean";
        case FieldType::kDate:
            return "Edm.DateTimeOffset";
    }
    return "Edm.String";
}

std::string format_epicor_datetime(UtcTime t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    return buffer;
}

Result<UtcTime> parse_epicor_datetime(std::string_view text) {
    if (auto t = parse_iso8601(text)) return t;
    // No offset: Epicor server local time, UTC for the emulator.
    return parse_iso8601(std::string(text) + "Z");
}

Result<Filter> parse_filter(std::string_view text) {
    if (text.size() > kFilterLengthMax) {
        return odata_error("The $filter is longer than " + std::to_string(kFilterLengthMax) +
                           " characters.");
    }
    MLC_TRY(std::vector<Token> tokens, Lexer(text).run());
    return Parser(std::move(tokens), text).run();
}

Result<std::vector<OrderKey>> parse_orderby(std::string_view text) {
    MLC_TRY(const std::vector<std::string> items, split_list(text, "$orderby"));
    std::vector<OrderKey> keys;
    for (const std::string& item : items) {
        const std::size_t space = item.find(' ');
        OrderKey key{.field = item.substr(0, space)};
        if (space != std::string::npos) {
            const std::string_view direction = trim(std::string_view(item).substr(space));
            if (direction == "desc") {
                key.descending = true;
            } else if (direction != "asc") {
                return syntax_error(space + 1, item);
            }
        }
        if (!is_identifier(key.field)) return syntax_error(0, item);
        keys.push_back(std::move(key));
    }
    return keys;
}

Result<std::vector<std::string>> parse_name_list(std::string_view text, std::string_view option) {
    MLC_TRY(std::vector<std::string> items, split_list(text, option));
    for (const std::string& item : items) {
        if (option == "$select" && item == "*") return std::vector<std::string>{};
        if (!is_identifier(item)) {
            return odata_error("Term '" + item + "' is not valid in a " + std::string(option) +
                               " or $expand expression.");
        }
    }
    return items;
}

Result<ODataQuery> parse_odata_query(
    const std::vector<std::pair<std::string, std::string>>& params) {
    ODataQuery query;
    std::vector<std::string> seen;
    for (const auto& [name, value] : params) {
        if (name.empty() || name.front() != '$') continue;
        for (const std::string& s : seen) {
            if (s == name) {
                return odata_error("Query option '" + name +
                                   "' was specified more than once, but it must be specified at "
                                   "most once.");
            }
        }
        seen.push_back(name);
        if (name == "$filter") {
            MLC_TRY(query.filter, parse_filter(value));
        } else if (name == "$select") {
            MLC_TRY(query.select, parse_name_list(value, "$select"));
        } else if (name == "$expand") {
            MLC_TRY(query.expand, parse_name_list(value, "$expand"));
        } else if (name == "$orderby") {
            MLC_TRY(query.orderby, parse_orderby(value));
        } else if (name == "$top") {
            MLC_TRY(query.top, parse_count(value, "$top"));
        } else if (name == "$skip") {
            MLC_TRY(query.skip, parse_count(value, "$skip"));
        } else {
            // OData `$` options are case-sensitive on Epicor: "$Filter" is not "$filter".
            return odata_error("The query parameter '" + name + "' is not supported.");
        }
    }
    return query;
}

Result<void> check_filter(const Filter& filter, const FieldTypes& types,
                          std::string_view type_name) {
    for (const FilterNode& node : filter.nodes) {
        if (node.kind != FilterNode::Kind::kCompare) continue;
        for (const Operand* operand : {&node.left, &node.right}) {
            if (operand->is_field && types.find(operand->field) == types.end()) {
                return unknown_property(operand->field, type_name);
            }
        }
        const std::string left = edm_name(node.left, types);
        const std::string right = edm_name(node.right, types);
        if (left == "null" || right == "null") continue;
        if (family(left) != family(right) ||
            (left == "Edm.Boolean" && node.op != CompareOp::kEq && node.op != CompareOp::kNe)) {
            return odata_error(
                "A binary operator with incompatible types was detected. Found operand types '" +
                left + "' and '" + right + "' for operator kind '" + op_kind_name(node.op) + "'.");
        }
    }
    return ok();
}

Result<void> check_fields(const std::vector<std::string>& fields, const FieldTypes& types,
                          std::string_view type_name) {
    for (const std::string& field : fields) {
        if (types.find(field) == types.end()) return unknown_property(field, type_name);
    }
    return ok();
}

std::optional<StringEquality> required_string_equality(const Filter& filter,
                                                       const FieldTypes& types) {
    if (filter.empty()) return std::nullopt;
    std::vector<std::size_t> pending{filter.root};  // Bounded by the filter's node count.
    while (!pending.empty()) {
        const FilterNode& node = filter.nodes[pending.back()];
        pending.pop_back();
        if (node.kind == FilterNode::Kind::kAnd) {
            pending.push_back(node.child_a);
            pending.push_back(node.child_b);
            continue;
        }
        if (node.kind != FilterNode::Kind::kCompare || node.op != CompareOp::kEq) continue;
        const Operand* field = node.left.is_field ? &node.left : &node.right;
        const Operand* literal = node.left.is_field ? &node.right : &node.left;
        if (!field->is_field || literal->is_field ||
            literal->literal.kind != Literal::Kind::kString) {
            continue;
        }
        const auto type = types.find(field->field);
        if (type == types.end() || type->second != FieldType::kString) continue;
        return StringEquality{.field = field->field, .value = literal->literal.text};
    }
    return std::nullopt;
}

bool matches(const Filter& filter, const json::object& row, const FieldTypes& types) {
    return filter.empty() || node_matches(filter, filter.root, row, types);
}

int compare_rows(const json::object& a, const json::object& b, const std::vector<OrderKey>& keys,
                 const FieldTypes& types) {
    for (const OrderKey& key : keys) {
        const int c =
            compare_values(field_value(a, key.field, types), field_value(b, key.field, types));
        if (c != 0) return key.descending ? -c : c;
    }
    return 0;
}

}  // namespace mlc::sandbox::epicor
