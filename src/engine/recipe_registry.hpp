#pragma once
// RecipeRegistry: recipe name ("heartbeat", "shipstation-to-epicor-orders") -> a factory that
// builds the FlowRunner of one configured flow, and a RecipeInfo saying what the recipe moves
// (`mlc recipes`). The registry is an ordinary object that cli/main.cpp fills and passes in;
// there is no global registry, so a test can register fakes.
//
// Lifecycle: filled at start-up, then only read. Thread safety: add() and describe() are not
// thread safe; create(), names() and infos() may be called from several threads once filling is
// done. Ownership: factories are
// owned by the registry; the runners they build are owned by the caller.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "engine/config.hpp"
#include "engine/flow_runner.hpp"
#include "engine/recipe_options.hpp"
#include "store/state_store.hpp"

namespace mlc::auth {
class Vault;
}
namespace mlc::net {
class HttpTransport;
class Metrics;
class RateLimiterRegistry;
}  // namespace mlc::net

namespace mlc::engine {

// What a recipe may use. Pointers are null when the process has none (e.g. no vault in tests).
struct Dependencies {
    Clock& clock;
    store::StateStore& store;
    const Config* config = nullptr;  // The whole config: connections by name, server, ...
    auth::Vault* vault = nullptr;
    net::HttpTransport* transport = nullptr;
    // One per process: every flow that uses a connection draws on the same request budget (two
    // flows on one ShipStation key share its 40 a minute). Null: the recipe keeps its own.
    net::RateLimiterRegistry* limiters = nullptr;
    // The daemon's /metrics: recipes attach a net::ClientMetrics per vendor system to their
    // clients, so outbound requests, latencies, retries and 429s show per connection. Null: none.
    net::Metrics* metrics = nullptr;
    // Where vendors reach this process's webhook intake: the config's server.public_url, else
    // http://<address>:<port> of the running server (engine/webhooks.hpp builds a flow's URL).
    // Empty when no server runs (`mlc sync`): a flow then registers no webhooks.
    std::string public_base_url = {};
};

// One stream of a recipe: records of one type read from a source system, written to a target
// system. Systems as in mlc.yaml connections ("shipstation"), records as connectors::records.
struct RecipeStream {
    std::string name = {};  // The stream's name in the flow ("orders"): its cursor.
    std::string source_system = {};
    std::string source_record = {};
    std::string target_system = {};
    std::string target_record = {};
    std::string note = {};  // What the target writes, e.g. "UD01 credit rows".
};

// What a recipe moves and what it may be told. `name` is the recipe's registered name (filled in
// by the registry). With `declares_options`, `options` and `tables` are all the recipe accepts:
// create() and `mlc config check` refuse anything else (engine/recipe_options.hpp).
struct RecipeInfo {
    std::string name = {};
    std::string summary = {};
    std::vector<RecipeStream> streams = {};
    bool declares_options = false;
    std::vector<OptionSpec> options = {};
    std::vector<TableSpec> tables = {};
};

using RecipeFactory =
    std::function<Result<std::unique_ptr<FlowRunner>>(const FlowConfig&, const Dependencies&)>;

class RecipeRegistry {
  public:
    // Registering one name twice is a bug in start-up code. Without `info` the recipe is
    // described later (describe()) or listed by name only.
    void add(std::string name, RecipeFactory factory);
    void add(std::string name, RecipeFactory factory, RecipeInfo info);
    // Attaches (or replaces) the descriptor of a registered recipe; describing an unknown name
    // is a bug in start-up code (a renamed recipe).
    void describe(const std::string& name, RecipeInfo info);
    bool contains(const std::string& name) const;
    std::vector<std::string> names() const;  // Sorted.
    // One per registered recipe, sorted by name; an undescribed one has its name only.
    std::vector<RecipeInfo> infos() const;
    // Problems of the flow's options and mapping tables against its recipe's declarations (none
    // when the recipe is unknown or declares nothing). `file` names the config in the issues.
    std::vector<ConfigIssue> check_options(const FlowConfig& flow, std::string_view file) const;
    // The flow's relative path options resolved against the folder of `config_file`.
    void resolve_paths(FlowConfig& flow, const std::filesystem::path& config_file) const;
    // kConfig naming the unknown recipe and the known ones when `flow.recipe` is not registered,
    // or listing every problem check_options() finds.
    Result<std::unique_ptr<FlowRunner>> create(const FlowConfig& flow,
                                               const Dependencies& deps) const;

  private:
    std::map<std::string, RecipeFactory> factories_;
    std::map<std::string, RecipeInfo> infos_;
};

}  // namespace mlc::engine
