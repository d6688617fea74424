#include "sandbox/acumatica/acumatica_filter.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <utility>

namespace mlc::sandbox::acumatica {
namespace {

constexpr std::array<std::string_view, 6> kComparisons = {"eq", "ne", "gt", "ge", "lt", "le"};
constexpr std::array<std::string_view, 3> kFunctions = {"substringof", "startswith", "endswith"};

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Recursive descent over the text; every method leaves pos_ after what it consumed.
class Parser {
  public:
    explicit Parser(std::string_view text) : text_(text) {}

    Result<FilterNode> parse() {
        MLC_TRY(auto node, parse_or(0));
        skip_spaces();
        if (pos_ != text_.size()) return fail("'and', 'or' or the end");
        return node;
    }

  private:
    Error fail(std::string_view expected) const {
        return make_error(ErrorCode::kInvalidInput, "acumatica",
                          "$filter: expected " + std::string(expected) + " at position " +
                              std::to_string(pos_) + " of '" + std::string(text_) + "'");
    }

    void skip_spaces() {
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    }

    // The next word (letters, digits, underscore) without consuming it.
    std::string_view peek_word() {
        skip_spaces();
        std::size_t end = pos_;
        while (end < text_.size() && is_name_char(text_[end])) ++end;
        return text_.substr(pos_, end - pos_);
    }

    bool take_keyword(std::string_view word) {
        if (peek_word() != word) return false;
        pos_ += word.size();
        return true;
    }

    bool take_char(char c) {
        skip_spaces();
        if (pos_ >= text_.size() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }

    Result<FilterNode> parse_or(std::size_t depth) {
        MLC_TRY(FilterNode left, parse_and(depth));
        while (take_keyword("or")) {
            MLC_TRY(FilterNode right, parse_and(depth));
            left = FilterNode{.kind = FilterNode::Kind::kOr,
                              .children = {std::move(left), std::move(right)}};
        }
        return left;
    }

    Result<FilterNode> parse_and(std::size_t depth) {
        MLC_TRY(FilterNode left, parse_unary(depth));
        while (take_keyword("and")) {
            MLC_TRY(FilterNode right, parse_unary(depth));
            left = FilterNode{.kind = FilterNode::Kind::kAnd,
                              .children = {std::move(left), std::move(right)}};
        }
        return left;
    }

    Result<FilterNode> parse_unary(std::size_t depth) {
        if (depth >= kFilterDepthMax) return fail("at most 32 levels of nesting");
        if (take_keyword("not")) {
            MLC_TRY(FilterNode inner, parse_unary(depth + 1));
            return FilterNode{.kind = FilterNode::Kind::kNot, .children = {std::move(inner)}};
        }
        if (take_char('(')) {
            MLC_TRY(FilterNode inner, parse_or(depth + 1));
            if (!take_char(')')) return fail("')'");
            return inner;
        }
        return parse_term();
    }

    std::optional<std::string_view> function_name() {
        const std::string_view word = peek_word();
        for (const std::string_view name : kFunctions) {
            if (word != name) continue;
            std::size_t after = pos_ + word.size();
            while (after < text_.size() && text_[after] == ' ') ++after;
            if (after < text_.size() && text_[after] == '(') return name;
        }
        return std::nullopt;
    }

    Result<FilterNode> parse_term() {
        if (++terms_ > kFilterTermsMax) return fail("at most 256 comparisons");
        if (const auto name = function_name()) return parse_function(*name);
        MLC_TRY(FilterOperand left, parse_operand());
        const std::string_view op = peek_word();
        bool known = false;
        for (const std::string_view candidate : kComparisons) known = known || op == candidate;
        if (!known) return fail("a comparison (eq, ne, gt, ge, lt, le)");
        pos_ += op.size();
        MLC_TRY(FilterOperand right, parse_operand());
        return FilterNode{.kind = FilterNode::Kind::kCompare,
                          .op = std::string(op),
                          .operands = {std::move(left), std::move(right)}};
    }

    Result<FilterNode> parse_function(std::string_view name) {
        pos_ += name.size();
        if (!take_char('(')) return fail("'('");
        MLC_TRY(FilterOperand first, parse_operand());
        if (!take_char(',')) return fail("','");
        MLC_TRY(FilterOperand second, parse_operand());
        if (!take_char(')')) return fail("')'");
        return FilterNode{.kind = FilterNode::Kind::kFunction,
                          .op = std::string(name),
                          .operands = {std::move(first), std::move(second)}};
    }

    // 'text' with '' for a quote; pos_ is on the opening quote.
    Result<std::string> parse_quoted() {
        ++pos_;
        std::string out;
        while (pos_ < text_.size()) {
            const char c = text_[pos_++];
            if (c != '\'') {
                out.push_back(c);
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == '\'') {
                out.push_back('\'');
                ++pos_;
                continue;
            }
            return out;
        }
        return fail("a closing quote");
    }

    Result<FilterOperand> parse_operand();
    Result<FilterOperand> parse_number();
    Result<FilterOperand> parse_word_operand();

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t terms_ = 0;
};

Result<FilterOperand> Parser::parse_operand() {
    skip_spaces();
    if (pos_ >= text_.size()) return fail("a field or a literal");
    const char c = text_[pos_];
    if (c == '\'') {
        MLC_TRY(std::string text, parse_quoted());
        return FilterOperand{.kind = FilterOperand::Kind::kString, .text = std::move(text)};
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0) return parse_number();
    if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') return parse_word_operand();
    return fail("a field or a literal");
}

Result<FilterOperand> Parser::parse_number() {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    std::size_t digits = 0;
    bool dot = false;
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
            ++digits;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
        ++pos_;
    }
    if (digits == 0) return fail("a number");
    // A suffix such as 10m or 5L is OData's typed number; Acumatica's contract API takes plain.
    if (pos_ < text_.size() && is_name_char(text_[pos_])) return fail("a number");
    return FilterOperand{.kind = FilterOperand::Kind::kNumber,
                         .text = std::string(text_.substr(start, pos_ - start))};
}

// A keyword literal (true, false, null), a typed literal (datetimeoffset'..'), or a field path.
Result<FilterOperand> Parser::parse_word_operand() {
    const std::string_view word = peek_word();
    const std::size_t after = pos_ + word.size();
    const bool quoted = after < text_.size() && text_[after] == '\'';
    if (quoted) {
        FilterOperand::Kind kind{};
        if (word == "datetimeoffset") {
            kind = FilterOperand::Kind::kDateTimeOffset;
        } else if (word == "datetime") {
            kind = FilterOperand::Kind::kDateTime;
        } else if (word == "guid") {
            kind = FilterOperand::Kind::kGuid;
        } else {
            return fail("datetimeoffset'...', datetime'...' or guid'...'");
        }
        pos_ = after;
        MLC_TRY(std::string text, parse_quoted());
        return FilterOperand{.kind = kind, .text = std::move(text)};
    }
    pos_ = after;
    if (word == "true" || word == "false") {
        return FilterOperand{.kind = FilterOperand::Kind::kBool, .text = std::string(word)};
    }
    if (word == "null") return FilterOperand{.kind = FilterOperand::Kind::kNull};
    std::string path(word);
    while (pos_ < text_.size() && text_[pos_] == '/') {
        ++pos_;
        const std::string_view part = peek_word();
        if (part.empty()) return fail("a field name after '/'");
        pos_ += part.size();
        path += '/';
        path += part;
    }
    return FilterOperand{.kind = FilterOperand::Kind::kField, .text = std::move(path)};
}

}  // namespace

Result<FilterNode> parse_filter(std::string_view text) {
    if (text.size() > kFilterLengthMax) {
        return make_error(ErrorCode::kInvalidInput, "acumatica",
                          "$filter: longer than " + std::to_string(kFilterLengthMax) + " bytes");
    }
    return Parser(text).parse();
}

}  // namespace mlc::sandbox::acumatica
