// AcumaticaEmulator reads: GET lists with $filter/$select/$expand/$top/$skip, GET by keys or id,
// and the renderer every answer shares.
#include <algorithm>
#include <charconv>

#include "common/time.hpp"
#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/acumatica/acumatica_filter.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

using Kind = FilterOperand::Kind;

net::HttpResponse bad_query(const std::string& message) {
    return http_error(400, "The request is invalid.", message, "System.ArgumentException");
}

// The field at `path` ("Status", "ShipToAddress/City"): one step into a linked entity at most.
const FieldSpec* resolve_field(const EntitySpec& entity, std::string_view path) {
    const std::size_t slash = path.find('/');
    const FieldSpec* field = find_field(entity, path.substr(0, slash));
    if (field == nullptr || slash == std::string_view::npos) return field;
    if (field->type != FieldType::kLinked) return nullptr;
    const EntitySpec* linked = find_entity(field->entity);
    const FieldSpec* inner =
        linked == nullptr ? nullptr : find_field(*linked, path.substr(slash + 1));
    return inner != nullptr && inner->type != FieldType::kLinked ? inner : nullptr;
}

const json::value* value_at(const json::object& record, std::string_view path) {
    const std::size_t slash = path.find('/');
    if (slash == std::string_view::npos) return field_value(record, path);
    const json::value* linked = record.if_contains(path.substr(0, slash));
    if (linked == nullptr || !linked->is_object()) return nullptr;
    return field_value(linked->get_object(), path.substr(slash + 1));
}

bool literal_fits(FieldType type, const FilterOperand& literal) {
    switch (literal.kind) {
        case Kind::kNull:
            return true;
        case Kind::kString:
            return type == FieldType::kString;
        case Kind::kNumber:
            return (type == FieldType::kDecimal || type == FieldType::kInt) &&
                   Decimal::parse(literal.text).has_value();
        case Kind::kBool:
            return type == FieldType::kBool;
        case Kind::kDateTime:
        case Kind::kDateTimeOffset:
            return type == FieldType::kDateTime && parse_iso8601(literal.text).has_value();
        case Kind::kGuid:
            return type == FieldType::kGuid;
        case Kind::kField:
            return false;
    }
    return false;
}

// Every field exists and every literal fits its field: checked once, before any record.
Result<void> check_filter(const FilterNode& node, const EntitySpec& entity) {
    for (const FilterNode& child : node.children) {
        if (auto checked = check_filter(child, entity); !checked) return checked.error();
    }
    if (node.operands.size() != 2) return {};
    const FilterOperand& a = node.operands[0];
    const FilterOperand& b = node.operands[1];
    const bool a_field = a.kind == Kind::kField;
    const FilterOperand& field = a_field ? a : b;
    const FilterOperand& other = a_field ? b : a;
    auto refuse = [&](std::string message) -> Result<void> {
        return make_error(ErrorCode::kInvalidInput, "acumatica", std::move(message));
    };
    if (field.kind != Kind::kField) return refuse("$filter compares two literals");
    const FieldSpec* spec = resolve_field(entity, field.text);
    if (spec == nullptr || spec->type == FieldType::kLinked || spec->type == FieldType::kDetail) {
        return refuse("'" + field.text + "' is not a field of " + std::string(entity.name));
    }
    if (other.kind == Kind::kField) return refuse("$filter compares two fields");
    const bool text_function = node.kind == FilterNode::Kind::kFunction;
    if (text_function && (spec->type != FieldType::kString || other.kind != Kind::kString)) {
        return refuse(node.op + " takes a text field and a text literal");
    }
    if (!literal_fits(spec->type, other)) {
        return refuse("the literal compared with '" + field.text + "' is not of its type");
    }
    return {};
}

// -1, 0, 1 for stored value vs literal of a fitting type.
int compare(FieldType type, const json::value& stored, const FilterOperand& literal) {
    if (type == FieldType::kDecimal || type == FieldType::kInt) {
        const Decimal left = stored.is_int64()
                                 ? Decimal::from_int(stored.get_int64())
                                 : Decimal::parse(stored.get_string()).value_or(Decimal{});
        const Decimal right = Decimal::parse(literal.text).value_or(Decimal{});
        return left < right ? -1 : (left == right ? 0 : 1);
    }
    if (type == FieldType::kDateTime) {
        const UtcTime left = parse_iso8601(stored.get_string()).value_or(UtcTime{});
        const UtcTime right = parse_iso8601(literal.text).value_or(UtcTime{});
        return left < right ? -1 : (left == right ? 0 : 1);
    }
    if (type == FieldType::kBool) {
        const bool right = literal.text == "true";
        return stored.get_bool() == right ? 0 : 1;
    }
    const int order = std::string_view(stored.get_string()).compare(literal.text);
    return order < 0 ? -1 : (order == 0 ? 0 : 1);
}

bool compare_holds(std::string_view op, int order) {
    if (op == "eq") return order == 0;
    if (op == "ne") return order != 0;
    if (op == "gt") return order > 0;
    if (op == "ge") return order >= 0;
    if (op == "lt") return order < 0;
    return order <= 0;  // le
}

std::string_view mirrored(std::string_view op) {
    if (op == "gt") return "lt";
    if (op == "lt") return "gt";
    if (op == "ge") return "le";
    if (op == "le") return "ge";
    return op;
}

bool evaluate(const FilterNode& node, const EntitySpec& entity, const json::object& record);

bool evaluate_term(const FilterNode& node, const EntitySpec& entity, const json::object& record) {
    const bool field_first = node.operands[0].kind == Kind::kField;
    const FilterOperand& field = field_first ? node.operands[0] : node.operands[1];
    const FilterOperand& literal = field_first ? node.operands[1] : node.operands[0];
    const json::value* stored = value_at(record, field.text);
    if (node.kind == FilterNode::Kind::kFunction) {
        if (stored == nullptr || !stored->is_string()) return false;
        const std::string_view text = stored->get_string();
        if (node.op == "substringof") return text.find(literal.text) != std::string_view::npos;
        if (node.op == "startswith") return text.starts_with(literal.text);
        return text.ends_with(literal.text);
    }
    if (literal.kind == Kind::kNull) return (stored == nullptr) == (node.op == "eq");
    if (stored == nullptr) return node.op == "ne";
    const std::string_view op = field_first ? std::string_view(node.op) : mirrored(node.op);
    return compare_holds(op, compare(resolve_field(entity, field.text)->type, *stored, literal));
}

bool evaluate(const FilterNode& node, const EntitySpec& entity, const json::object& record) {
    switch (node.kind) {
        case FilterNode::Kind::kAnd:
            return evaluate(node.children[0], entity, record) &&
                   evaluate(node.children[1], entity, record);
        case FilterNode::Kind::kOr:
            return evaluate(node.children[0], entity, record) ||
                   evaluate(node.children[1], entity, record);
        case FilterNode::Kind::kNot:
            return !evaluate(node.children[0], entity, record);
        case FilterNode::Kind::kCompare:
        case FilterNode::Kind::kFunction:
            return evaluate_term(node, entity, record);
    }
    return false;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        std::string item(text.substr(pos, comma - pos));
        std::erase(item, ' ');
        if (!item.empty()) out.push_back(std::move(item));
        pos = comma + 1;
    }
    return out;
}

// $expand paths name linked or detail members at every step; $select paths end on any field.
Result<AcumaticaEmulator::Projection> parse_projection(const EntitySpec& entity,
                                                       const net::HttpRequest& request) {
    AcumaticaEmulator::Projection projection;
    auto walk = [&](const std::string& path, bool expanding) -> Result<void> {
        const EntitySpec* current = &entity;
        std::size_t pos = 0;
        while (true) {
            const std::size_t slash = std::min(path.find('/', pos), path.size());
            const std::string part = path.substr(pos, slash - pos);
            const FieldSpec* field = current == nullptr ? nullptr : find_field(*current, part);
            const bool nested = field != nullptr && (field->type == FieldType::kLinked ||
                                                     field->type == FieldType::kDetail);
            const bool last = slash == path.size();
            if (field == nullptr || ((expanding || !last) && !nested)) {
                return make_error(ErrorCode::kInvalidInput, "acumatica",
                                  "'" + path + "' is not " +
                                      (expanding ? "a linked or detail entity" : "a field") +
                                      " of " + std::string(entity.name));
            }
            if (last) return {};
            current = find_entity(field->entity);
            pos = slash + 1;
        }
    };
    for (const auto& [name, set] :
         {std::pair{"$expand", &projection.expand}, std::pair{"$select", &projection.select}}) {
        const auto text = net::query_param(request.url, name);
        if (!text) continue;
        for (std::string& path : split_list(*text)) {
            if (auto ok = walk(path, set == &projection.expand); !ok) return ok.error();
            set->insert(std::move(path));
        }
    }
    return projection;
}

Result<std::size_t> count_param(const net::HttpRequest& request, std::string_view name,
                                std::size_t fallback) {
    const auto text = net::query_param(request.url, name);
    if (!text) return fallback;
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size()) {
        return make_error(
            ErrorCode::kInvalidInput, "acumatica",
            std::string(name) + " must be a non-negative integer, not '" + *text + "'");
    }
    return value;
}

}  // namespace

json::object AcumaticaEmulator::render(const EntitySpec& entity, const json::object& stored,
                                       const Projection& projection,
                                       std::string_view version) const {
    // Nested renderer: `prefix` is the path of this object ("" for the record, "Details/").
    struct Renderer {
        const Projection& projection;
        json::object object(const EntitySpec& spec, const json::object& in,
                            const std::string& prefix, std::int64_t row) const {
            json::object out;
            out["id"] = in.contains("id") ? in.at("id") : json::value("");
            out["rowNumber"] = row;
            out["note"] = in.contains("note") ? in.at("note") : json::value(json::object{});
            for (const FieldSpec& field : spec.fields) field_into(out, field, in, prefix);
            out["custom"] = json::object{};
            return out;
        }
        bool selected(const std::string& prefix, const FieldSpec& field) const {
            if (projection.select.empty()) return true;
            const std::string path = prefix + std::string(field.name);
            if (projection.select.contains(path)) return true;
            // A nested path selects its parents; a parent selected alone selects all inside.
            const auto next = projection.select.lower_bound(path + "/");
            if (next != projection.select.end() && next->starts_with(path + "/")) return true;
            return !prefix.empty() &&
                   !std::any_of(projection.select.begin(), projection.select.end(),
                                [&](const auto& s) { return s.starts_with(prefix); });
        }
        void field_into(json::object& out, const FieldSpec& field, const json::object& in,
                        const std::string& prefix) const {
            const std::string path = prefix + std::string(field.name);
            const json::value* member = in.if_contains(field.name);
            if (field.type == FieldType::kLinked || field.type == FieldType::kDetail) {
                if (!projection.expand.contains(path) || !selected(prefix, field)) return;
                const EntitySpec& inner = *find_entity(field.entity);
                if (field.type == FieldType::kLinked) {
                    const json::object empty;
                    const json::object& source =
                        member != nullptr && member->is_object() ? member->get_object() : empty;
                    out[field.name] = object(inner, source, path + "/", 1);
                    return;
                }
                json::array rows;
                if (member != nullptr && member->is_array()) {
                    for (const json::value& row : member->get_array()) {
                        rows.push_back(object(inner, row.get_object(), path + "/",
                                              static_cast<std::int64_t>(rows.size()) + 1));
                    }
                }
                out[field.name] = std::move(rows);
                return;
            }
            if (!selected(prefix, field)) return;
            const json::value* value = field_value(in, field.name);
            json::object wrapped;
            if (value != nullptr) {
                wrapped["value"] = field.type == FieldType::kDecimal && value->is_string()
                                       ? json::value(decimal_marker(value->get_string()))
                                       : *value;
            }
            out[field.name] = std::move(wrapped);
        }
    };
    json::object out = Renderer{projection}.object(entity, stored, "", 1);
    const std::string self = "/entity/" + std::string(kEndpoint) + "/" + std::string(version) +
                             "/" + std::string(entity.name) + "/" +
                             std::string(out["id"].as_string());
    out["_links"] = json::object{{"self", self}, {"files:put", self + "/files/{filename}"}};
    return out;
}

net::HttpResponse AcumaticaEmulator::get_list(const EntitySpec& entity,
                                              const net::HttpRequest& request,
                                              std::string_view version) {
    auto projection = parse_projection(entity, request);
    if (!projection) return bad_query(projection.error().message);
    auto top = count_param(request, "$top", std::numeric_limits<std::size_t>::max());
    auto skip = count_param(request, "$skip", 0);
    if (!top) return bad_query(top.error().message);
    if (!skip) return bad_query(skip.error().message);
    std::optional<FilterNode> filter;
    if (const auto text = net::query_param(request.url, "$filter")) {
        auto parsed = parse_filter(*text);
        if (!parsed) return bad_query(parsed.error().message);
        if (auto checked = check_filter(*parsed, entity); !checked) {
            return bad_query(checked.error().message);
        }
        filter = std::move(*parsed);
    }
    json::array out;
    std::size_t matched = 0;
    for (const auto& [key, record] : records(entity.name)) {
        if (out.size() >= *top) break;
        if (filter && !evaluate(*filter, entity, record)) continue;
        if (matched++ < *skip) continue;
        out.push_back(render(entity, record, *projection, version));
    }
    return json_answer(200, out);
}

const json::object* AcumaticaEmulator::find_by_id(const Records& records,
                                                  std::string_view id) const {
    for (const auto& [key, record] : records) {
        const json::value* stored = record.if_contains("id");
        if (stored != nullptr && stored->is_string() && stored->get_string() == id) return &record;
    }
    return nullptr;
}

net::HttpResponse AcumaticaEmulator::get_one(const EntitySpec& entity,
                                             const net::HttpRequest& request,
                                             std::string_view version,
                                             const std::vector<std::string>& ids) {
    auto projection = parse_projection(entity, request);
    if (!projection) return bad_query(projection.error().message);
    const Records& all = records(entity.name);
    const json::object* record = nullptr;
    const bool guid = ids.size() == 1 && ids[0].size() == 36 && ids[0][8] == '-';
    if (guid) {
        record = find_by_id(all, ids[0]);
    } else if (ids.size() == entity.keys.size()) {
        std::string key;
        for (const std::string& id : ids) key += (key.empty() ? "" : "/") + id;
        const auto found = all.find(key);
        if (found != all.end()) record = &found->second;
    } else {
        return bad_query(std::string(entity.name) + " takes " + std::to_string(entity.keys.size()) +
                         " key value(s) in the URL");
    }
    if (record == nullptr) return http_error(404, "No entity satisfies the condition.");
    return json_answer(200, render(entity, *record, *projection, version));
}

}  // namespace mlc::sandbox::acumatica
