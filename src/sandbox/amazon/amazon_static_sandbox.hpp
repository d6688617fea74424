#pragma once
// StaticSandbox: Amazon's sandbox hosts (sandbox.sellingpartnerapi-{na,eu,fe}.amazon.com) answer
// each operation from the x-amzn-api-sandbox "static" examples of its model: a request whose
// parameters equal an example's answers that example's status and body (amazon-sp-api.md). The
// catalog is read from the models once; every operation keeps its usage plan from the "Usage
// Plan" table of its description.
//
// Lifecycle: built from model texts, immutable afterwards. Thread safety: const use only.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "net/http_types.hpp"
#include "sandbox/amazon/amazon_models_data.hpp"

namespace mlc::sandbox::amazon {

struct StaticExample {
    int status = 200;
    boost::json::object parameters = {};    // name -> {"value": ...}
    boost::json::value response = nullptr;  // null: no body
};

struct ModelOperation {
    std::string api = {};     // The model's name
    std::string id = {};      // operationId
    std::string method = {};  // "GET"
    std::string path = {};    // Template, "/orders/v0/orders/{orderId}"
    std::string rate = {};    // "0.5"
    double rate_per_second = 0;
    int burst = 0;
    std::map<std::string, std::string> locations = {};  // parameter -> "query", "path", "body"
    std::vector<StaticExample> examples = {};
};

class StaticSandbox {
  public:
    explicit StaticSandbox(const std::vector<ModelText>& models);

    const std::vector<ModelOperation>& operations() const { return operations_; }
    // The operation serving `method` and `path`, with its path parameters.
    const ModelOperation* find(std::string_view method, std::string_view path,
                               std::map<std::string, std::string>& path_params) const;
    // The most specific example whose every parameter equals the request's; else 400.
    net::HttpResponse answer(const ModelOperation& operation, const net::HttpRequest& request,
                             const std::map<std::string, std::string>& path_params) const;

  private:
    std::vector<ModelOperation> operations_;
};

// The request that replays `example` of `operation` (path, query and body from its parameters),
// without host or token: what the model-examples test sends.
net::HttpRequest example_request(const ModelOperation& operation, const StaticExample& example);

}  // namespace mlc::sandbox::amazon
