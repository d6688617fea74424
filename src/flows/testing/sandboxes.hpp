#pragma once
// What every flow test needs of the sandboxes, written once: the emulators served in process,
// a connection to each as mlc.yaml would hold it (its secrets in the vault), a control call, one
// run of a flow, and a transport that loses an answer after the vendor committed.
//
// Test code only (library mlc_flows_testing). Thread safety: as the borrowed objects.

#include <initializer_list>
#include <string>
#include <string_view>

#include <spdlog/logger.h>
#include <boost/json/object.hpp>

#include "auth/vault.hpp"
#include "engine/config.hpp"
#include "engine/flow_runner.hpp"
#include "net/http_transport.hpp"
#include "sandbox/sandbox_host.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::flows::testing {

// Adds the emulators of `systems` ("shipstation", "epicor", "woocommerce", "acumatica", "ups",
// "amazon")
// to `host` and serves them on `transport` in process.
void serve_sandboxes(sandbox::SandboxHost& host, sandbox::InProcessTransport& transport,
                     std::initializer_list<std::string_view> systems);

// The connection `name` to `system`'s sandbox (host.ports()) as mlc.yaml would hold it, added to
// config.connections; its secrets are put in `vault` as "<name>.<role>" ("ss.api_key").
engine::ConnectionConfig& connect_sandbox(engine::Config& config, auth::Vault& vault,
                                          const boost::json::object& ports,
                                          const std::string& system, const std::string& name);

// A call to `system`'s control API (below /__sandbox/, e.g. "orders/ship").
net::HttpResponse control(sandbox::SandboxHost& host, const std::string& system, std::string method,
                          std::string route, std::string body = {});

// A part in the Epicor sandbox, as a user adds one (EA, type P, `price`); its answer.
net::HttpResponse add_epicor_part(sandbox::SandboxHost& host, const std::string& part_num,
                                  const std::string& price = "10");

// One run of `flow` now, as the scheduler would start it.
Result<engine::RunSummary> run_once(engine::FlowRunner& flow, Clock& clock,
                                    store::StateStore& store, spdlog::logger& log,
                                    const std::string& name, bool dry_run = false);

// Answers every request but loses the answer of the `nth` POST whose URL holds `needle`, as a cut
// connection after the vendor committed would.
class LosingTransport final : public net::HttpTransport {
  public:
    explicit LosingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<net::HttpResponse> send(const net::HttpRequest& request,
                                   const net::TransportOptions& options) override;
    void lose(std::string needle, int nth) {
        needle_ = std::move(needle);
        countdown_ = nth;
    }

  private:
    net::HttpTransport& inner_;
    std::string needle_;
    int countdown_ = 0;
};

}  // namespace mlc::flows::testing
