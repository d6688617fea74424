#include "sandbox/amazon/amazon_static_sandbox.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <boost/json.hpp>

#include "sandbox/amazon/amazon_json.hpp"
#include "sandbox/amazon/amazon_operations.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;

constexpr std::string_view kMethods[] = {"get", "post", "put", "patch", "delete"};

// "| Rate (requests per second) | Burst |\n| ---- | ---- |\n| 0.0056 | 20 |" in the description.
void read_usage_plan(std::string_view description, ModelOperation& operation) {
    static const std::regex kPlan(
        R"(Burst \|\s*\n\|[ -]+\|[ -]+\|\s*\n\|\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|)");
    std::match_results<std::string_view::const_iterator> match;
    if (!std::regex_search(description.begin(), description.end(), match, kPlan)) return;
    operation.rate = match[1].str();
    operation.rate_per_second = std::stod(operation.rate);
    operation.burst = static_cast<int>(*parse_int(match[2].str()));
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void read_examples(const json::object& op, ModelOperation& operation) {
    const auto* responses = op.if_contains("responses");
    if (responses == nullptr || !responses->is_object()) return;
    for (const auto& [code, response] : responses->get_object()) {
        const auto* sandbox = response.is_object()
                                  ? response.get_object().if_contains("x-amzn-api-sandbox")
                                  : nullptr;
        const auto* statics = sandbox != nullptr && sandbox->is_object()
                                  ? sandbox->get_object().if_contains("static")
                                  : nullptr;
        if (statics == nullptr || !statics->is_array()) continue;
        for (const auto& example : statics->get_array()) {
            StaticExample out{.status = static_cast<int>(parse_int(code).value_or(200))};
            const auto& request = example.at("request").as_object();
            if (const auto* params = request.if_contains("parameters")) {
                out.parameters = params->as_object();
            }
            if (const auto* body = example.as_object().if_contains("response"))
                out.response = *body;
            operation.examples.push_back(std::move(out));
        }
    }
}

void read_model(const ModelText& model, std::vector<ModelOperation>& out) {
    const json::value document = json::parse(model.json);
    for (const auto& [path, item] : document.at("paths").as_object()) {
        for (const auto method : kMethods) {
            const auto* op = item.as_object().if_contains(method);
            if (op == nullptr) continue;
            ModelOperation operation{.api = std::string(model.name),
                                     .id = std::string(op->at("operationId").as_string()),
                                     .method = upper(method),
                                     .path = std::string(path)};
            if (const auto* description = op->as_object().if_contains("description")) {
                read_usage_plan(description->as_string(), operation);
            }
            if (const auto* params = op->as_object().if_contains("parameters")) {
                for (const auto& param : params->as_array()) {
                    operation.locations[std::string(param.at("name").as_string())] =
                        std::string(param.at("in").as_string());
                }
            }
            read_examples(op->as_object(), operation);
            out.push_back(std::move(operation));
        }
    }
}

std::string text_of(const json::value& value) {
    if (value.is_string()) return std::string(value.get_string());
    return json::serialize(value);  // Numbers and booleans as JSON writes them
}

bool query_matches(const net::HttpRequest& request, const std::string& name,
                   const json::value& want) {
    const auto have = query_list(request.url, name);
    if (!want.is_array()) return have.size() == 1 && have[0] == text_of(want);
    const auto& items = want.get_array();
    if (items.size() != have.size()) return false;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (text_of(items[i]) != have[i]) return false;
    }
    return true;
}

bool parameter_matches(const ModelOperation& operation, const net::HttpRequest& request,
                       const std::map<std::string, std::string>& path_params,
                       const std::string& name, const json::value& spec) {
    const auto* want = spec.is_object() ? spec.get_object().if_contains("value") : nullptr;
    if (want == nullptr) return false;
    const auto location = operation.locations.find(name);
    // The examples name the body parameter "body" whatever the model calls it.
    const std::string where = name == "body"                          ? "body"
                              : location == operation.locations.end() ? ""
                                                                      : location->second;
    if (where == "path") {
        const auto found = path_params.find(name);
        return found != path_params.end() && found->second == text_of(*want);
    }
    if (where == "query") return query_matches(request, name, *want);
    if (where == "body") {
        boost::system::error_code ec;
        const json::value body = json::parse(request.body, ec);
        return !ec && body == *want;
    }
    return false;
}

}  // namespace

StaticSandbox::StaticSandbox(const std::vector<ModelText>& models) {
    for (const auto& model : models) read_model(model, operations_);
}

const ModelOperation* StaticSandbox::find(std::string_view method, std::string_view path,
                                          std::map<std::string, std::string>& path_params) const {
    // A literal segment wins over a template ("/orders/{orderId}/orderItems" vs ".../buyerInfo").
    for (const auto& operation : operations_) {
        if (operation.method != method) continue;
        if (auto params = match_path(operation.path, path)) {
            path_params = std::move(*params);
            return &operation;
        }
    }
    return nullptr;
}

net::HttpResponse StaticSandbox::answer(
    const ModelOperation& operation, const net::HttpRequest& request,
    const std::map<std::string, std::string>& path_params) const {
    const StaticExample* best = nullptr;
    for (const auto& example : operation.examples) {
        const bool all = std::all_of(
            example.parameters.begin(), example.parameters.end(), [&](const auto& entry) {
                return parameter_matches(operation, request, path_params, std::string(entry.key()),
                                         entry.value());
            });
        if (all && (best == nullptr || example.parameters.size() > best->parameters.size())) {
            best = &example;
        }
    }
    if (best == nullptr) return invalid_input("Could not match input arguments");
    net::HttpResponse response;
    response.status = best->status;
    if (!best->response.is_null()) {
        response = json_answer(best->status, best->response);
    }
    return response;
}

net::HttpRequest example_request(const ModelOperation& operation, const StaticExample& example) {
    net::HttpRequest request{.method = operation.method};
    std::string path = operation.path;
    std::string query;
    for (const auto& [name, spec] : example.parameters) {
        const json::value& value = spec.at("value");
        const auto location = operation.locations.find(std::string(name));
        const std::string where = name == "body"                          ? "body"
                                  : location == operation.locations.end() ? ""
                                                                          : location->second;
        if (where == "body") {
            request.body = json::serialize(value);
            request.headers.emplace_back("Content-Type", "application/json");
        } else if (where == "path") {
            std::string key(1, '{');  // Appended: GCC 12's false -Wrestrict (bug 105651).
            key.append(name).append(1, '}');
            path.replace(path.find(key), key.size(), net::url_encode(text_of(value)));
        } else {
            std::string joined;
            if (value.is_array()) {
                for (const auto& item : value.get_array()) {
                    if (!joined.empty()) joined += ',';
                    joined += text_of(item);
                }
            } else {
                joined = text_of(value);
            }
            query += query.empty() ? '?' : '&';
            query.append(name).append(1, '=').append(net::url_encode(joined));
        }
    }
    // A path parameter the example leaves out (cancelReport's 400) still needs a segment.
    for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
        path.replace(open, path.find('}', open) - open + 1, 1, '0');
    }
    request.url = path + query;
    return request;
}

}  // namespace mlc::sandbox::amazon
