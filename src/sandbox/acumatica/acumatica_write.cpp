// AcumaticaEmulator writes: PUT upserts (body normalisation, preconditions, 422 answers) and the
// business rules of SalesOrder, Customer, StockItem and Shipment.
#include <algorithm>

#include "common/exact_json.hpp"
#include "sandbox/acumatica/acumatica_emulator.hpp"
#include "sandbox/acumatica/acumatica_json.hpp"

namespace mlc::sandbox::acumatica {
namespace json = boost::json;
namespace {

// Client fields -> stored shape: values coerced by type, unknown and read-only fields dropped,
// detail rows kept with their id and `delete`. A flat value fails the whole request (the
// contract's value objects cannot be read from it); a value of the wrong type is a field error.
Result<json::object> normalise(const EntitySpec& entity, const json::object& in,
                               const std::string& prefix, AcumaticaEmulator::FieldErrors& errors) {
    json::object out;
    for (const auto& [key, value] : in) {
        if (key == "id" && value.is_string()) out["id"] = value;
        if (key == "delete" && value.is_bool()) out["delete"] = value;
        if (key == "note" && value.is_object()) out["note"] = value;
        const FieldSpec* field = find_field(entity, key);
        if (field == nullptr || field->read_only) continue;
        const std::string path = prefix + std::string(key);
        if (field->type == FieldType::kDetail) {
            if (!value.is_array())
                return make_error(ErrorCode::kInvalidInput, path + " must be an array");
            json::array rows;
            std::size_t index = 0;
            for (const json::value& row : value.get_array()) {
                if (!row.is_object())
                    return make_error(ErrorCode::kInvalidInput, path + " rows must be objects");
                const std::string row_prefix = path + "/" + std::to_string(index++) + "/";
                MLC_TRY(json::object normalised, normalise(*find_entity(field->entity),
                                                           row.get_object(), row_prefix, errors));
                rows.push_back(std::move(normalised));
            }
            if (rows.size() > AcumaticaEmulator::kDetailRowsMax)
                return make_error(ErrorCode::kInvalidInput, path + " has too many rows");
            out[key] = std::move(rows);
            continue;
        }
        if (!value.is_object()) {
            return make_error(
                ErrorCode::kInvalidInput,
                "Cannot deserialize " + path + ": a field is an object {\"value\": ...}");
        }
        if (field->type == FieldType::kLinked) {
            MLC_TRY(json::object linked,
                    normalise(*find_entity(field->entity), value.get_object(), path + "/", errors));
            out[key] = std::move(linked);
            continue;
        }
        const json::value* raw = value.get_object().if_contains("value");
        if (raw == nullptr) continue;  // {}: no value sent.
        auto coerced = coerce_value(field->type, *raw);
        if (!coerced) {
            errors.emplace_back(path, coerced.error().message);
            continue;
        }
        out[key] = json::object{{"value", std::move(*coerced)}};
    }
    return out;
}

// Error annotations onto the client's body: {"value": v, "error": message} at each path and the
// messages joined on the record's own `error`.
json::object annotate(json::object body, const AcumaticaEmulator::FieldErrors& errors) {
    std::string all;
    for (const auto& [path, message] : errors) {
        // Appended piece by piece: `"\n" + std::string` trips GCC 12's false -Wrestrict at -O3.
        if (!all.empty()) all += '\n';
        if (!path.empty()) all.append(path).append(": ");
        all += message;
        json::object* at = &body;
        std::size_t pos = 0;
        while (!path.empty() && at != nullptr) {
            const std::size_t slash = std::min(path.find('/', pos), path.size());
            const std::string part = path.substr(pos, slash - pos);
            json::value* next = at->if_contains(part);
            if (next != nullptr && next->is_array() && slash < path.size()) {
                const std::size_t end = std::min(path.find('/', slash + 1), path.size());
                const std::size_t index = std::stoul(path.substr(slash + 1, end - slash - 1));
                auto& rows = next->get_array();
                next = index < rows.size() ? &rows[index] : nullptr;
                pos = end + 1;
            } else {
                pos = slash + 1;
            }
            if (slash >= path.size() || pos > path.size()) {
                json::value& field = (*at)[part];
                if (!field.is_object()) field = json::object{};
                field.get_object()["error"] = message;
                break;
            }
            at = next != nullptr && next->is_object() ? &next->get_object() : nullptr;
        }
    }
    body["error"] = all;
    return body;
}

}  // namespace

net::HttpResponse AcumaticaEmulator::put_entity(const EntitySpec& entity,
                                                const net::HttpRequest& request,
                                                std::string_view version) {
    auto body = parse_exact_json(request.body, kBodyBytesMax, "acumatica", "request body");
    if (!body || !body->is_object()) {
        return http_error(400, "The request is invalid.",
                          body ? "The body is not a JSON object." : body.error().message,
                          "System.ArgumentException");
    }
    FieldErrors errors;
    auto changes = normalise(entity, body->get_object(), "", errors);
    if (!changes) {
        return http_error(400, "The request is invalid.", changes.error().message,
                          "Newtonsoft.Json.JsonSerializationException");
    }
    const std::string key = key_text(entity, *changes);
    const bool exists = records(entity.name).contains(key);
    const auto if_none_match = net::find_header(request.headers, "If-None-Match");
    const auto if_match = net::find_header(request.headers, "If-Match");
    if ((if_none_match == "*" && exists) || (if_match == "*" && !exists)) {
        return http_error(412, exists ? "The entity already exists." : "The entity does not exist.",
                          "", "");
    }
    if (!errors.empty()) return json_answer(422, annotate(body->get_object(), errors));
    auto written = upsert(entity, *changes, errors);
    if (!written) return json_answer(422, annotate(body->get_object(), errors));
    Projection projection;
    for (const FieldSpec& field : entity.fields) {
        // A PUT answers with the detail collections it was sent, as Acumatica returns them.
        if (field.type != FieldType::kDetail || !changes->contains(field.name)) continue;
        projection.expand.insert(std::string(field.name));
    }
    return json_answer(200, render(entity, records(entity.name).at(*written), projection, version));
}

Result<std::string> AcumaticaEmulator::upsert(const EntitySpec& entity, const json::object& changes,
                                              FieldErrors& errors) {
    Records& all = records(entity.name);
    std::string key = key_text(entity, changes);
    auto found = all.find(key);
    const bool inserting = found == all.end();
    json::object record = inserting ? json::object{{"id", new_guid()}} : found->second;
    bool ok = false;
    if (entity.name == "SalesOrder") ok = write_sales_order(record, changes, inserting, errors);
    if (entity.name == "Customer") ok = write_customer(record, changes, inserting, errors);
    if (entity.name == "StockItem") ok = write_stock_item(record, changes, inserting, errors);
    if (entity.name == "Shipment") ok = write_shipment(record, changes, inserting, errors);
    if (!ok || !errors.empty()) {
        if (errors.empty()) errors.emplace_back("", "The record cannot be saved.");
        return make_error(ErrorCode::kRejected, "acumatica", errors.front().second);
    }
    touch(entity, record);
    if (inserting) {
        const std::string_view created =
            entity.name == "SalesOrder" ? "CreatedDate" : "CreatedDateTime";
        if (find_field(entity, created) != nullptr) set_time(record, created, now());
    }
    key = key_text(entity, record);
    all[key] = std::move(record);
    return key;
}

}  // namespace mlc::sandbox::acumatica
