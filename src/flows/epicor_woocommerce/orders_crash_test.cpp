// SIGKILL during inbox processing loses and duplicates nothing: a separate worker process
// (orders_crash_worker.cpp) drains the flow's inbox against the emulators served over HTTP, and is
// killed by the Epicor server at a random request (before or after Epicor applied it), then
// started again with its clock past the inbox lease, until one run finishes.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <condition_variable>
#include <random>

#include "flows/epicor_woocommerce/orders_test_fixture.hpp"
#include "net/http_server.hpp"

extern char** environ;

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
using testing::kFlow;

constexpr int kOrders = 12;
constexpr int kRestartsMax = 40;  // Each restart makes progress; 12 orders need far fewer.
constexpr std::chrono::hours kAttemptStep{24};
static_assert(kAttemptStep > std::chrono::seconds(300));  // The inbox lease.

// Serves one emulator over HTTP; counts the requests and kills the worker at the chosen one.
class KillingServer {
  public:
    KillingServer(sandbox::SandboxHost& host, std::string system)
        : server_({.address = "127.0.0.1", .port = 0, .threads = 2, .name = system},
                  [this, &host, system](const net::HttpRequest& request) {
                      const int n = ++requests_;
                      const bool kill_now = n == kill_at_.load();
                      if (kill_now && kill_before_) {
                          kill_child();  // Killed before Epicor saw the request.
                          net::HttpResponse gone;
                          gone.status = 503;
                          return gone;
                      }
                      net::HttpResponse response = host.handle(system, request);
                      if (kill_now && !kill_before_) kill_child();  // Applied, answer lost.
                      return response;
                  }) {}
    Result<void> start() { return server_.start(); }
    std::string base_url() const { return server_.base_url(); }
    void arm(pid_t child, int after_requests, bool before) {
        child_ = child;
        kill_before_ = before;
        kill_at_ = requests_.load() + after_requests;
    }
    void disarm() { kill_at_ = -1; }
    int kills() const { return kills_.load(); }

  private:
    void kill_child() {
        if (::kill(child_.load(), SIGKILL) == 0) ++kills_;
    }
    net::HttpServer server_;
    std::atomic<int> requests_{0};
    std::atomic<int> kill_at_{-1};
    std::atomic<bool> kill_before_{false};
    std::atomic<pid_t> child_{0};
    std::atomic<int> kills_{0};
};

class WooOrdersCrashTest : public ::testing::Test, public testing::WooOrdersFixture {};

std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? std::string() : url.substr(slash);
}

TEST_F(WooOrdersCrashTest, SigkillWhileDrainingTheInboxLosesAndDuplicatesNothing) {
    auto flow = runner();
    ASSERT_TRUE(run(*flow));  // Registers the webhooks.
    std::vector<std::int64_t> ids;
    for (int i = 0; i < kOrders; ++i) {
        ids.push_back(checkout({{"WOO-1000" + std::to_string(i % 9), 1 + i % 3},
                                {"WOO-1001" + std::to_string(i % 9), 1}}));
    }
    deliver_all();
    ASSERT_GE(store_->count_inbox(std::string(kFlow), false).value(), kOrders);

    KillingServer woo_server(host_, "woocommerce");
    KillingServer epicor_server(host_, "epicor");
    ASSERT_TRUE(woo_server.start());
    ASSERT_TRUE(epicor_server.start());
    const std::string epicor_url =
        epicor_server.base_url() + path_of(std::string(epicor_info_.at("base_url").as_string()));

    std::mt19937 rng(20251123);
    int clean_exits = 0;
    for (int attempt = 0; attempt < kRestartsMax && clean_exits == 0; ++attempt) {
        // Each worker's ManualClock also moves with its own rate-limit and retry waits, so the
        // next one starts a whole day later: every lease a killed worker held has expired.
        const UtcTime now = clock_.now() + kAttemptStep * (attempt + 1);
        std::vector<std::string> args = {MLC_WOO_ORDERS_WORKER,
                                         "--store",
                                         store_path_,
                                         "--flow",
                                         std::string(kFlow),
                                         "--now",
                                         format_iso8601(now),
                                         "--woo",
                                         woo_server.base_url(),
                                         "--woo-key",
                                         std::string(woo_info_.at("consumer_key").as_string()),
                                         "--woo-secret",
                                         std::string(woo_info_.at("consumer_secret").as_string()),
                                         "--epicor",
                                         epicor_url,
                                         "--company",
                                         std::string(epicor_info_.at("company").as_string()),
                                         "--api-key",
                                         std::string(epicor_info_.at("api_key").as_string()),
                                         "--user",
                                         std::string(epicor_info_.at("username").as_string()),
                                         "--password",
                                         std::string(epicor_info_.at("password").as_string()),
                                         "--customer",
                                         std::string(testing::kWebCustomer)};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        // posix_spawn: nothing of this multi-threaded parent runs in the child before exec.
        pid_t child = 0;
        ASSERT_EQ(posix_spawn(&child, argv[0], nullptr, nullptr, argv.data(), environ), 0);
        // The last attempts run without a kill so the test always ends.
        if (attempt < kRestartsMax - 5) {
            epicor_server.arm(child, std::uniform_int_distribution<int>(1, 40)(rng),
                              std::uniform_int_distribution<int>(0, 1)(rng) == 0);
        }
        int status = 0;
        ASSERT_EQ(waitpid(child, &status, 0), child);
        epicor_server.disarm();
        if (WIFEXITED(status)) {
            ASSERT_EQ(WEXITSTATUS(status), 0) << "the worker failed on attempt " << attempt;
            ++clean_exits;
        }
    }
    ASSERT_EQ(clean_exits, 1);
    EXPECT_GE(epicor_server.kills(), 1) << "no kill landed: the test proved nothing";
    std::cout << "[ info ] worker SIGKILLed " << epicor_server.kills()
              << " times before a clean drain\n";

    EXPECT_EQ(store_->count_inbox(std::string(kFlow), false).value(), 0);
    const auto orders = epicor_orders();
    for (std::int64_t id : ids) {
        const std::string key = "WOO-" + std::to_string(id);
        ASSERT_TRUE(orders.contains(key)) << key << " lost";
        EXPECT_EQ(orders.at(key).size(), 1u) << key << " duplicated";
    }
    EXPECT_EQ(orders.size(), ids.size());
    // Every order complete: a create cut short between header and lines was completed.
    for (const auto& [key, nums] : orders) {
        auto got = epicor_->get_order(nums.front());
        ASSERT_TRUE(got) << got.error().describe();
        EXPECT_EQ(got->order.lines.size(), 2u) << key;
    }
}

}  // namespace
}  // namespace mlc::flows::epicor_woocommerce
