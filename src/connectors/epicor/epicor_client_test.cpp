#include "connectors/epicor/epicor_client.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <mutex>
#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/credential_headers.hpp"
#include "auth/epicor_token.hpp"
#include "auth/testing/fake_state_store.hpp"
#include "auth/testing/fake_vault.hpp"
#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/epicor_releases.hpp"
#include "sandbox/epicor/epicor_emulator.hpp"
#include "sandbox/testing/in_process_transport.hpp"

namespace mlc::connectors::epicor {
namespace {

namespace json = boost::json;
using net::HttpRequest;
using net::HttpResponse;

constexpr std::string_view kHost = "http://epicor.sandbox.test";
constexpr std::string_view kConnection = "epicor-test";

// Epicor never calls out (poll only); any outbound send is a test failure.
class NoOutbound final : public net::HttpTransport {
  public:
    using net::HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest&, const net::TransportOptions&) override {
        ADD_FAILURE() << "the Epicor emulator must not call out";
        return make_error(ErrorCode::kTransient, "no outbound");
    }
};

// Counts requests by the last path segment (without keys) so tests can see what was sent.
class CountingTransport final : public net::HttpTransport {
  public:
    explicit CountingTransport(net::HttpTransport& inner) : inner_(inner) {}
    using net::HttpTransport::send;
    Result<HttpResponse> send(const HttpRequest& request,
                              const net::TransportOptions& options) override {
        std::string path = net::url_path(request.url);
        std::string last = path.substr(path.rfind('/') + 1);
        last = last.substr(0, last.find('('));
        HttpRequest sent = request;
        {
            std::lock_guard lock(mutex_);
            ++counts_[request.method + " " + last];
            ++total_;
            queries_.push_back(
                request.url.substr(std::min(request.url.size(), request.url.find('?'))));
            if (rewrite_) rewrite_(sent);
        }
        Result<HttpResponse> answer = inner_.send(sent, options);
        std::lock_guard lock(mutex_);
        if (!lose_answer_of_.empty() && request.method + " " + last == lose_answer_of_) {
            lose_answer_of_.clear();  // The vendor did the work; the answer is lost once.
            return make_error(ErrorCode::kTransient, "test", "connection reset after sending");
        }
        return answer;
    }
    void lose_next_answer_of(std::string what) {
        std::lock_guard lock(mutex_);
        lose_answer_of_ = std::move(what);
    }
    // Every request from now on is changed by `rewrite` before the vendor sees it.
    void rewrite_requests(std::function<void(HttpRequest&)> rewrite) {
        std::lock_guard lock(mutex_);
        rewrite_ = std::move(rewrite);
    }
    int total() const {
        std::lock_guard lock(mutex_);
        return total_;
    }
    int count(const std::string& what) const {
        std::lock_guard lock(mutex_);
        const auto it = counts_.find(what);
        return it == counts_.end() ? 0 : it->second;
    }
    std::vector<std::string> queries() const {
        std::lock_guard lock(mutex_);
        return queries_;
    }

  private:
    net::HttpTransport& inner_;
    mutable std::mutex mutex_;
    std::map<std::string, int> counts_;
    std::vector<std::string> queries_;
    std::string lose_answer_of_;
    std::function<void(HttpRequest&)> rewrite_;
    int total_ = 0;
};

enum class Identity { kBasic, kBearer };

model::OrderLine line(std::string sku, Decimal quantity, Decimal unit_price = {}) {
    model::OrderLine out;
    out.sku = std::move(sku);
    out.quantity = quantity;
    out.unit_price = unit_price;
    return out;
}

class EpicorClientTest : public ::testing::Test {
  protected:
    explicit EpicorClientTest(std::size_t volume = 300)
        : emulator_({.clock = server_clock_, .outbound = outbound_, .seed = 7, .volume = volume}) {
        transport_.add_route(std::string(kHost), [this](const HttpRequest& request) {
            return emulator_.handle(request);
        });
        info_ = emulator_.connection_info(kHost);
        EXPECT_TRUE(vault_.put("epicor.password", secret("password")));
        EXPECT_TRUE(vault_.put("epicor.api_key", secret("api_key")));
        limiters_.configure(std::string(kConnection),
                            {.connection = {.requests_per_second = 10'000, .burst = 10'000}});
    }

    std::string secret(std::string_view name) const {
        return std::string(info_.at(name).as_string());
    }

    EpicorClientConfig config() const {
        return {.connection = std::string(kConnection),
                .base_url = secret("base_url"),
                .company = secret("company")};
    }

    EpicorClient& connect(Identity identity, EpicorClientConfig cfg, std::string user = "manager") {
        auth::CredentialHeaders headers;
        headers.api_key("x-api-key", "epicor.api_key");
        std::unique_ptr<auth::TokenSource> source;
        if (identity == Identity::kBasic) {
            headers.basic(user, "epicor.password");
        } else {
            source = std::make_unique<auth::EpicorToken>(
                auth::EpicorTokenConfig{.form = auth::EpicorTokenForm::kTokenService,
                                        .token_url = cfg.base_url + "/api/v2/odata/" + cfg.company +
                                                     "/Ice.LIB.TokenServiceSvc/GetAccessToken",
                                        .user = user,
                                        .password_secret = "epicor.password",
                                        .api_key_secret = "epicor.api_key"},
                counting_, vault_);
        }
        client_.reset();
        manager_ = std::make_unique<auth::TokenManager>(options(), std::move(source), headers,
                                                        client_clock_, store_, vault_);
        client_ = std::make_unique<EpicorClient>(std::move(cfg),
                                                 EpicorClientDeps{.transport = counting_,
                                                                  .clock = client_clock_,
                                                                  .limiters = limiters_,
                                                                  .credentials = *manager_});
        return *client_;
    }
    static auth::TokenManagerOptions options() {
        auth::TokenManagerOptions out;
        out.connection = std::string(kConnection);
        out.system = "epicor";
        return out;
    }

    EpicorClient& connect(Identity identity = Identity::kBasic) {
        return connect(identity, config());
    }

    HttpResponse control(std::string_view route, std::string body) {
        HttpRequest request{.method = body.empty() ? "GET" : "POST", .url = "", .body = body};
        return emulator_.control(request, route);
    }

    json::object table(std::string_view name) {
        const HttpResponse state = control("state", "");
        return json::parse(state.body).at("tables").at(name).as_object();
    }

    // SKUs of active parts (the emulator refuses inactive ones on order lines).
    std::vector<std::string> active_parts(EpicorClient& client, std::size_t count) {
        auto rows = client.list_rows("Erp.BO.PartSvc", "Parts", {.filter = "InActive eq false"});
        EXPECT_TRUE(rows) << rows.error().describe();
        std::vector<std::string> skus;
        for (std::size_t i = 0; rows && i < rows->size() && skus.size() < count; ++i) {
            skus.push_back(text_of((*rows)[i], "PartNum"));
        }
        return skus;
    }

    model::Order sample_order(std::string key, const std::vector<std::string>& skus) {
        model::Order order;
        order.source = {.system = "shipstation", .key = std::move(key), .id = "77"};
        order.ordered_at = UtcTime{std::chrono::seconds{1'710'460'800}};  // 2024-03-15
        order.ship_by = UtcTime{std::chrono::seconds{1'710'720'000}};     // 2024-03-18
        order.ship_to.name = "Ann O'Neil";
        order.ship_to.street1 = "1 Elm St";
        order.ship_to.city = "Austin";
        order.ship_to.state = "TX";
        order.ship_to.postal_code = "78701";
        order.ship_to.country = "US";
        for (std::size_t i = 0; i < skus.size(); ++i) {
            order.lines.push_back(line(skus[i], Decimal::from_int(static_cast<int64_t>(i) + 2),
                                       i == 0 ? *Decimal::parse("12.34") : Decimal{}));
        }
        return order;
    }

    ManualClock client_clock_;
    ManualClock server_clock_;
    NoOutbound outbound_;
    sandbox::epicor::EpicorEmulator emulator_;
    sandbox::InProcessTransport transport_;
    CountingTransport counting_{transport_};
    net::RateLimiterRegistry limiters_;
    auth::testing::FakeVault vault_;
    auth::testing::FakeStateStore store_;
    json::object info_;
    std::unique_ptr<auth::TokenManager> manager_;
    std::unique_ptr<EpicorClient> client_;
};

// ---- Auth: Epicor's three 401 causes, each with its own fix. ----

TEST_F(EpicorClientTest, WrongPasswordAsksToCheckUserAndPassword) {
    ASSERT_TRUE(vault_.put("epicor.password", "not-the-password"));
    auto part = connect().find_part("P10001");
    ASSERT_FALSE(part);
    EXPECT_EQ(part.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(part.error().message.find("check the user and password of connection 'epicor-test'"),
              std::string::npos)
        << part.error().message;
}

TEST_F(EpicorClientTest, WrongApiKeyAsksToCheckTheKeyForTheCompanyWithoutPrintingIt) {
    ASSERT_TRUE(vault_.put("epicor.api_key", "wrong-key-123"));
    auto part = connect().find_part("P10001");
    ASSERT_FALSE(part);
    EXPECT_EQ(part.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(part.error().message.find(
                  "check the x-api-key of connection 'epicor-test' (API key for company EPIC06)"),
              std::string::npos)
        << part.error().message;
    EXPECT_EQ(part.error().describe().find("wrong-key-123"), std::string::npos);
}

TEST_F(EpicorClientTest, UserWithoutCompanyRightsIsToldSo) {
    ASSERT_EQ(
        control("users", R"({"username":"clerk","password":"pw","companies":["OTHER"]})").status,
        201);
    ASSERT_TRUE(vault_.put("epicor.password", "pw"));
    auto part = connect(Identity::kBasic, config(), "clerk").find_part("P10001");
    ASSERT_FALSE(part);
    EXPECT_EQ(part.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(part.error().message.find("lacks rights in company EPIC06"), std::string::npos)
        << part.error().message;
}

// ---- Bearer tokens from the token manager's Epicor strategy. ----

TEST_F(EpicorClientTest, BearerTokenIsFetchedOnceAndReused) {
    EpicorClient& client = connect(Identity::kBearer);
    for (int i = 0; i < 3; ++i) {
        auto part = client.find_part("P10001");
        ASSERT_TRUE(part) << part.error().describe();
        ASSERT_TRUE(part->has_value());
    }
    EXPECT_EQ(counting_.count("POST GetAccessToken"), 1);
}

TEST_F(EpicorClientTest, BearerTokenIsRenewedBeforeItsHourRunsOut) {
    EpicorClient& client = connect(Identity::kBearer);
    ASSERT_TRUE(client.find_part("P10001"));
    client_clock_.advance(std::chrono::minutes{58});
    server_clock_.advance(std::chrono::minutes{58});
    auto part = client.find_part("P10001");
    ASSERT_TRUE(part) << part.error().describe();
    EXPECT_EQ(counting_.count("POST GetAccessToken"), 2);
    EXPECT_EQ(counting_.count("GET Parts"), 2);  // No refused call on the way.
}

TEST_F(EpicorClientTest, BearerTokenRefusedByTheServerIsRenewedAndTheCallRepeatedOnce) {
    EpicorClient& client = connect(Identity::kBearer);
    ASSERT_TRUE(client.find_part("P10001"));
    // The server's hour has passed while the client thinks the token is fresh.
    server_clock_.advance(std::chrono::hours{2});
    auto part = client.find_part("P10001");
    ASSERT_TRUE(part) << part.error().describe();
    EXPECT_TRUE(part->has_value());
    EXPECT_EQ(counting_.count("POST GetAccessToken"), 2);
    EXPECT_EQ(counting_.count("GET Parts"), 3);
}

TEST_F(EpicorClientTest, BearerWithWrongApiKeyStillNamesTheApiKey) {
    EpicorClientConfig cfg = config();
    EpicorClient& client = connect(Identity::kBearer, cfg);
    ASSERT_TRUE(client.find_part("P10001"));
    ASSERT_TRUE(vault_.put("epicor.api_key", "rotated-wrong"));
    auto part = client.find_part("P10001");
    ASSERT_FALSE(part);
    EXPECT_EQ(part.error().code, ErrorCode::kAuthFailed);
    EXPECT_NE(part.error().message.find("x-api-key"), std::string::npos) << part.error().message;
    EXPECT_EQ(part.error().describe().find("rotated-wrong"), std::string::npos);
}

// ---- Paging. ----

class EpicorPagingTest : public EpicorClientTest {
  protected:
    EpicorPagingTest() : EpicorClientTest(2300) {}
};

TEST_F(EpicorPagingTest, ReadsEveryPartOnceInPagesOfAThousand) {
    EpicorClient& client = connect();
    auto rows = client.list_rows("Erp.BO.PartSvc", "Parts", {});
    ASSERT_TRUE(rows) << rows.error().describe();
    std::set<std::string> seen;
    for (const auto& row : *rows) seen.insert(text_of(row, "PartNum"));
    EXPECT_EQ(rows->size(), 2300u);
    EXPECT_EQ(seen.size(), 2300u);
    EXPECT_EQ(counting_.count("GET Parts"), 3);
    const auto queries = counting_.queries();
    EXPECT_NE(queries.back().find("$top=1000"), std::string::npos) << queries.back();
    EXPECT_NE(queries.back().find("$skip=2000"), std::string::npos) << queries.back();
}

TEST_F(EpicorPagingTest, PartsChangedSinceARevisionComeInRevisionOrder) {
    EpicorClient& client = connect();
    auto all = client.list_parts_changed_since(0);
    ASSERT_TRUE(all) << all.error().describe();
    ASSERT_EQ(all->size(), 2300u);
    ASSERT_EQ(control("parts", R"({"PartNum":"P10005","PartDescription":"Renamed"})").status, 200);
    const std::int64_t highest = std::stoll(all->back().revision);
    auto changed = client.list_parts_changed_since(highest);
    ASSERT_TRUE(changed) << changed.error().describe();
    ASSERT_EQ(changed->size(), 1u);
    EXPECT_EQ(changed->front().sku, "P10005");
    EXPECT_EQ(changed->front().description, "Renamed");
}

TEST_F(EpicorPagingTest, StopsWithAnErrorAtThePageBound) {
    EpicorClientConfig cfg = config();
    cfg.pages_max = 2;
    auto rows = connect(Identity::kBasic, cfg).list_rows("Erp.BO.PartSvc", "Parts", {});
    ASSERT_FALSE(rows);
    EXPECT_EQ(rows.error().code, ErrorCode::kConfig);
    EXPECT_EQ(counting_.count("GET Parts"), 2);
}

// ---- Lookups. ----

TEST_F(EpicorClientTest, FindsCustomersByIdEmailAndConfiguredFieldWithQuotesInValues) {
    ASSERT_EQ(control("customers", R"({"CustID":"ONEIL","Name":"O'Neil Ltd",)"
                                   R"("EMailAddress":"o'neil@example.com"})")
                  .status,
              201);
    EpicorClientConfig cfg = config();
    cfg.customer_lookup_field = "Name";
    EpicorClient& client = connect(Identity::kBasic, cfg);
    auto by_id = client.find_customer_by_id("ONEIL");
    ASSERT_TRUE(by_id) << by_id.error().describe();
    ASSERT_TRUE(by_id->has_value());
    EXPECT_EQ((*by_id)->name, "O'Neil Ltd");
    auto by_email = client.find_customer_by_email("o'neil@example.com");
    ASSERT_TRUE(by_email) << by_email.error().describe();
    ASSERT_TRUE(by_email->has_value());
    EXPECT_EQ((*by_email)->code, "ONEIL");
    auto by_field = client.find_customer_by_field("O'Neil Ltd");
    ASSERT_TRUE(by_field) << by_field.error().describe();
    ASSERT_TRUE(by_field->has_value());
    EXPECT_EQ((*by_field)->code, "ONEIL");
    auto missing = client.find_customer_by_email("nobody@example.com");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing->has_value());
}

TEST_F(EpicorClientTest, FindsPartByPartNumAndReportsAMissingOneAsAbsent) {
    EpicorClient& client = connect();
    auto part = client.find_part("P10001");
    ASSERT_TRUE(part) << part.error().describe();
    ASSERT_TRUE(part->has_value());
    EXPECT_EQ((*part)->sku, "P10001");
    EXPECT_FALSE((*part)->unit_price.is_zero());
    auto missing = client.find_part("NO-SUCH'PART");
    ASSERT_TRUE(missing) << missing.error().describe();
    EXPECT_FALSE(missing->has_value());
}

TEST_F(EpicorClientTest, RefusesAConfiguredFieldNameThatIsNotAnIdentifier) {
    EpicorClientConfig cfg = config();
    cfg.source_key_field = "PONum eq 'x' or 1";
    EpicorClient& client = connect(Identity::kBasic, cfg);
    EXPECT_EQ(client.check_config().error().code, ErrorCode::kConfig);
    auto found = client.find_order_by_source_key("SS-1");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::kConfig);
    EXPECT_EQ(counting_.count("GET SalesOrders"), 0);
}

// ---- Sales orders. ----

void expect_created(const EpicorOrder& created, const model::Order& order) {
    EXPECT_GT(created.order_num, 0);
    EXPECT_EQ(created.source_key, order.source.key);
    ASSERT_EQ(created.order.lines.size(), order.lines.size());
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
        EXPECT_EQ(created.order.lines[i].sku, order.lines[i].sku);
        EXPECT_EQ(created.order.lines[i].quantity, order.lines[i].quantity);
    }
    EXPECT_EQ(created.order.lines[0].unit_price, *Decimal::parse("12.34"));
    EXPECT_FALSE(created.order.lines[1].unit_price.is_zero());  // The part's list price.
    EXPECT_EQ(created.order.ship_to.name, "Ann O'Neil");
    ASSERT_TRUE(created.order.ship_by.has_value());
    EXPECT_EQ(*created.order.ship_by, *order.ship_by);
}

TEST_F(EpicorClientTest, UiSequenceCreatesAnOrderWithLinesFoundAgainBySourceKey) {
    EpicorClientConfig cfg = config();
    cfg.create_route = OrderCreateRoute::kUiSequence;
    EpicorClient& client = connect(Identity::kBasic, cfg);
    const model::Order order = sample_order("SS-1001", active_parts(client, 2));
    auto created = client.create_order({.order = order, .customer_id = "C00002"});
    ASSERT_TRUE(created) << created.error().describe();
    expect_created(*created, order);
    EXPECT_EQ(counting_.count("POST MasterUpdate"), 3);  // Header, then one per line.
    EXPECT_EQ(counting_.count("POST SalesOrders"), 0);

    auto found = client.find_order_by_source_key("SS-1001");
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->order_num, created->order_num);
    EXPECT_EQ((*found)->order.lines.size(), 2u);
    EXPECT_EQ((*found)->order.customer_code, "C00002");
}

TEST_F(EpicorClientTest, EntitySetRouteCreatesTheSameOrderAndQuotesTheKey) {
    EpicorClientConfig cfg = config();
    cfg.create_route = OrderCreateRoute::kEntitySets;
    EpicorClient& client = connect(Identity::kBasic, cfg);
    const model::Order order = sample_order("O'Brien-7", active_parts(client, 2));
    auto created = client.create_order({.order = order, .customer_id = "C00003"});
    ASSERT_TRUE(created) << created.error().describe();
    expect_created(*created, order);
    EXPECT_EQ(counting_.count("POST MasterUpdate"), 0);
    EXPECT_EQ(counting_.count("POST OrderDtls"), 2);

    auto found = client.find_order_by_source_key("O'Brien-7");
    ASSERT_TRUE(found) << found.error().describe();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->order_num, created->order_num);
    auto absent = client.find_order_by_source_key("O'Brien-8");
    ASSERT_TRUE(absent);
    EXPECT_FALSE(absent->has_value());
}

TEST_F(EpicorClientTest, UpdateExtCreatesTheOrderWithItsLinesInOneCall) {
    EpicorClient& client = connect();  // The default route.
    const model::Order order = sample_order("SS-1101", active_parts(client, 3));
    const int before = counting_.total();
    auto created = client.create_order({.order = order, .customer_id = "C00002"});
    ASSERT_TRUE(created) << created.error().describe();
    // No customer lookup (the BO defaults CustNum from CustomerCustID), no read back.
    EXPECT_EQ(counting_.total() - before, 1);
    EXPECT_EQ(counting_.count("POST UpdateExt"), 1);
    expect_created(*created, order);
    EXPECT_EQ(created->order.customer_code, "C00002");
    auto read = client.get_order(created->order_num);
    ASSERT_TRUE(read) << read.error().describe();
    EXPECT_EQ(read->order.total, created->order.total);
    EXPECT_EQ(read->order.lines.size(), 3u);
}

TEST_F(EpicorClientTest, AHalfWrittenOrderIsAnErrorNamingWhatEpicorKept) {
    EpicorClient& client = connect();
    model::Order order = sample_order("SS-HALF", active_parts(client, 1));
    order.lines.push_back(line("NO-SUCH-SKU", Decimal::from_int(1)));
    // A tenant that goes on after errors without rollback: 200, errorsOccurred, a half order.
    counting_.rewrite_requests([](HttpRequest& request) {
        if (!request.url.ends_with("/UpdateExt")) return;
        json::value body = *parse_exact(request.body);  // Decimals stay exact.
        body.as_object()["continueProcessingOnError"] = true;
        body.as_object()["rollbackParentOnChildError"] = false;
        request.body = write_exact(body);
    });
    auto created = client.create_order({.order = order, .customer_id = "C00001"});
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, ErrorCode::kUnresolved);
    EXPECT_NE(created.error().message.find("'NO-SUCH-SKU'"), std::string::npos)
        << created.error().describe();
    EXPECT_NE(created.error().message.find("Epicor kept OrderHed OrderNum"), std::string::npos)
        << created.error().describe();
    counting_.rewrite_requests(nullptr);
    // What a flow does on replay once the part exists: find the order, bring it up to date.
    ASSERT_EQ(control("parts", R"({"PartNum":"NO-SUCH-SKU","UnitPrice":"1"})").status, 201);
    auto found = client.find_order_by_source_key("SS-HALF");
    ASSERT_TRUE(found && found->has_value());
    auto completed = client.update_order((*found)->order_num, order);
    ASSERT_TRUE(completed) << completed.error().describe();
    EXPECT_EQ(completed->order.lines.size(), 2u);
}

TEST_F(EpicorClientTest, LostCreateAnswerIsNotRepeatedAndTheOrderIsFoundAndCompleted) {
    struct Case {
        OrderCreateRoute route;
        std::string write;        // The call whose answer is lost
        std::size_t lines_found;  // What the lost write left: the header only, or the whole order
    };
    for (const Case& c : {Case{OrderCreateRoute::kUiSequence, "POST MasterUpdate", 0},
                          Case{OrderCreateRoute::kUpdateExt, "POST UpdateExt", 2}}) {
        EpicorClientConfig cfg = config();
        cfg.create_route = c.route;
        EpicorClient& client = connect(Identity::kBasic, cfg);
        const std::string key = "SS-LOST-" + c.write;
        const model::Order order = sample_order(key, active_parts(client, 2));
        const int writes = counting_.count(c.write);
        counting_.lose_next_answer_of(c.write);
        auto created = client.create_order({.order = order, .customer_id = "C00001"});
        ASSERT_FALSE(created);
        EXPECT_EQ(created.error().code, ErrorCode::kTransient);
        EXPECT_EQ(counting_.count(c.write) - writes, 1);  // Not blindly repeated.

        // What a flow does next: look the order up by its source key, then bring it up to date.
        auto found = client.find_order_by_source_key(key);
        ASSERT_TRUE(found) << found.error().describe();
        ASSERT_TRUE(found->has_value());
        EXPECT_EQ((*found)->order.lines.size(), c.lines_found);
        auto completed = client.update_order((*found)->order_num, order);
        ASSERT_TRUE(completed) << completed.error().describe();
        ASSERT_EQ(completed->order.lines.size(), 2u);
        EXPECT_EQ(completed->order.lines[0].unit_price, *Decimal::parse("12.34"));
        auto again = client.find_order_by_source_key(key);
        ASSERT_TRUE(again);
        EXPECT_EQ((*again)->order_num, (*found)->order_num);
    }
}

TEST_F(EpicorClientTest, ReadsAreRetriedAfterATransientFailure) {
    EpicorClient& client = connect();
    counting_.lose_next_answer_of("GET Parts");
    auto part = client.find_part("P10001");
    ASSERT_TRUE(part) << part.error().describe();
    EXPECT_TRUE(part->has_value());
    EXPECT_EQ(counting_.count("GET Parts"), 2);
}

TEST_F(EpicorClientTest, TwoOrdersWithOneSourceKeyAreAConflictNotAGuess) {
    EpicorClient& client = connect();
    const model::Order order = sample_order("SS-DUP", active_parts(client, 1));
    ASSERT_TRUE(client.create_order({.order = order, .customer_id = "C00001"}));
    ASSERT_TRUE(client.create_order({.order = order, .customer_id = "C00001"}));
    auto found = client.find_order_by_source_key("SS-DUP");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::kConflict);
}

TEST_F(EpicorClientTest, UnknownPartIsUnresolvedNamingTheSkuOnBothRoutes) {
    for (const auto route : {OrderCreateRoute::kUiSequence, OrderCreateRoute::kEntitySets,
                             OrderCreateRoute::kUpdateExt}) {
        EpicorClientConfig cfg = config();
        cfg.create_route = route;
        EpicorClient& client = connect(Identity::kBasic, cfg);
        model::Order order = sample_order("SS-2002", active_parts(client, 1));
        order.lines.push_back(line("NO-SUCH-SKU", Decimal::from_int(1)));
        auto created = client.create_order({.order = order, .customer_id = "C00001"});
        ASSERT_FALSE(created);
        EXPECT_EQ(created.error().code, ErrorCode::kUnresolved);
        EXPECT_NE(created.error().message.find("NO-SUCH-SKU"), std::string::npos)
            << created.error().describe();
        EXPECT_EQ(created.error().record_key, "order SS-2002");
    }
}

TEST_F(EpicorClientTest, UnknownCustomerIsUnresolvedNamingTheCustomer) {
    EpicorClient& client = connect();
    const model::Order order = sample_order("SS-3003", active_parts(client, 1));
    auto created = client.create_order({.order = order, .customer_id = "NOBODY"});
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, ErrorCode::kUnresolved);
    EXPECT_NE(created.error().message.find("'NOBODY'"), std::string::npos);
    EXPECT_EQ(counting_.count("POST GetNewOrderHed"), 0);
    EXPECT_EQ(counting_.count("POST UpdateExt"), 1);
    auto found = client.find_order_by_source_key("SS-3003");
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->has_value());  // Nothing half-written.
}

TEST_F(EpicorClientTest, UpdateChangesQuantityAddsAndVoidsLines) {
    for (const auto route : {WriteRoute::kUpdateExt, WriteRoute::kEntitySets}) {
        EpicorClientConfig cfg = config();
        cfg.write_route = route;
        EpicorClient& client = connect(Identity::kBasic, cfg);
        const std::vector<std::string> skus = active_parts(client, 3);
        const std::string key = route == WriteRoute::kUpdateExt ? "SS-4004" : "SS-4005";
        model::Order order = sample_order(key, {skus[0], skus[1]});
        auto created = client.create_order({.order = order, .customer_id = "C00001"});
        ASSERT_TRUE(created) << created.error().describe();

        order.lines[0].quantity = Decimal::from_int(9);
        order.lines.erase(order.lines.begin() + 1);
        order.lines.push_back(line(skus[2], Decimal::from_int(4)));
        order.ship_to.street1 = "2 Oak Ave";
        const int before = counting_.total();
        auto updated = client.update_order(created->order_num, order);
        ASSERT_TRUE(updated) << updated.error().describe();
        if (route == WriteRoute::kUpdateExt) {
            // The read of the order, then header + changed, new and voided lines in one write.
            EXPECT_EQ(counting_.total() - before, 2);
        }
        ASSERT_EQ(updated->order.lines.size(), 2u);
        EXPECT_EQ(updated->order.lines[0].sku, skus[0]);
        EXPECT_EQ(updated->order.lines[0].quantity, Decimal::from_int(9));
        EXPECT_EQ(updated->order.lines[1].sku, skus[2]);
        EXPECT_EQ(updated->order.lines[1].line_key, "3");  // After the voided line 2.
        EXPECT_EQ(updated->order.ship_to.street1, "2 Oak Ave");
        // 9 x 12.34 + 4 x list price: the voided line no longer counts.
        EXPECT_GT(updated->order.total, *Decimal::parse("111.06"));
        auto read = client.get_order(created->order_num);
        ASSERT_TRUE(read);
        EXPECT_EQ(read->order.total, updated->order.total);

        // Unchanged again: no line writes.
        const int patches = counting_.count("PATCH OrderDtls");
        ASSERT_TRUE(client.update_order(created->order_num, order));
        EXPECT_EQ(counting_.count("PATCH OrderDtls"), patches);
        // A line added after a voided one gets the next free number.
        order.lines.push_back(line(skus[1], Decimal::from_int(1)));
        auto added = client.update_order(created->order_num, order);
        ASSERT_TRUE(added) << added.error().describe();
        ASSERT_EQ(added->order.lines.size(), 3u);
        EXPECT_EQ(added->order.lines[2].line_key, "4");
    }
}

TEST_F(EpicorClientTest, CancelVoidsTheOrderAndItsLines) {
    for (const auto route : {WriteRoute::kUpdateExt, WriteRoute::kEntitySets}) {
        EpicorClientConfig cfg = config();
        cfg.write_route = route;
        EpicorClient& client = connect(Identity::kBasic, cfg);
        const model::Order order = sample_order("SS-5005", active_parts(client, 2));
        auto created = client.create_order({.order = order, .customer_id = "C00001"});
        ASSERT_TRUE(created) << created.error().describe();
        const int before = counting_.total();
        ASSERT_TRUE(client.cancel_order(created->order_num));
        if (route == WriteRoute::kUpdateExt) {
            EXPECT_EQ(counting_.total() - before, 2);  // Read the order, one UpdateExt.
        }
        auto after = client.get_order(created->order_num);
        ASSERT_TRUE(after) << after.error().describe();
        EXPECT_EQ(after->order.status, model::OrderStatus::kCancelled);
        EXPECT_TRUE(after->order.lines.empty());
        EXPECT_TRUE(after->order.total.is_zero());
    }
}

TEST_F(EpicorClientTest, CloseModeClosesWithoutVoiding) {
    EpicorClientConfig cfg = config();
    cfg.cancel_mode = CancelMode::kClose;
    EpicorClient& client = connect(Identity::kBasic, cfg);
    const model::Order order = sample_order("SS-5006", active_parts(client, 1));
    auto created = client.create_order({.order = order, .customer_id = "C00001"});
    ASSERT_TRUE(created) << created.error().describe();
    ASSERT_TRUE(client.cancel_order(created->order_num));
    auto after = client.get_order(created->order_num);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->order.status, model::OrderStatus::kCompleted);
    EXPECT_EQ(after->order.lines.size(), 1u);
}

// ---- Tracking, staging. ----

TEST_F(EpicorClientTest, TrackingWriteAppearsInCustShipOnceEvenWhenRepeated) {
    for (const auto route : {WriteRoute::kUpdateExt, WriteRoute::kEntitySets}) {
        EpicorClientConfig cfg = config();
        cfg.write_route = route;
        EpicorClient& client = connect(Identity::kBasic, cfg);
        const model::Order order = sample_order("SS-6006", active_parts(client, 1));
        auto created = client.create_order({.order = order, .customer_id = "C00001"});
        ASSERT_TRUE(created) << created.error().describe();
        const TrackingWrite write{.order_num = created->order_num,
                                  .tracking_number = "1Z999AA10123456784",
                                  .ship_via_code = "UPSG",
                                  .weight = *Decimal::parse("2.5")};
        int before = counting_.total();
        auto pack = client.write_tracking(write);
        ASSERT_TRUE(pack) << pack.error().describe();
        if (route == WriteRoute::kUpdateExt) {
            // The lookup, then ShipHead + CartonTrkDtl in one write.
            EXPECT_EQ(counting_.total() - before, 2);
        }
        before = counting_.total();
        auto again = client.write_tracking(write);
        ASSERT_TRUE(again) << again.error().describe();
        EXPECT_EQ(*again, *pack);
        EXPECT_EQ(counting_.total() - before, 1);  // Found: nothing written again.

        auto packs =
            client.list_rows("Erp.BO.CustShipSvc", "CustShips",
                             {.filter = "OrderNum eq " + std::to_string(created->order_num),
                              .expand = {"CartonTrkDtls"}});
        ASSERT_TRUE(packs) << packs.error().describe();
        ASSERT_EQ(packs->size(), 1u);
        const json::object& head = packs->front();
        EXPECT_EQ(text_of(head, "TrackingNumber"), "1Z999AA10123456784");
        EXPECT_EQ(text_of(head, "ShipViaCode"), "UPSG");
        EXPECT_EQ(int_of(head, "CustNum"), created->cust_num);
        EXPECT_EQ(*decimal_of(head, "Weight"), *Decimal::parse("2.5"));
        const json::array& cartons = head.at("CartonTrkDtls").as_array();
        ASSERT_EQ(cartons.size(), 1u);
        EXPECT_EQ(text_of(cartons[0].as_object(), "TrackingNumber"), "1Z999AA10123456784");
    }
}

TEST_F(EpicorClientTest, TrackingWithoutShipViaTakesTheOrdersAndAnUnknownOrderIsRefused) {
    EpicorClient& client = connect();
    const model::Order order = sample_order("SS-6007", active_parts(client, 1));
    auto created = client.create_order({.order = order, .customer_id = "C00001"});
    ASSERT_TRUE(created) << created.error().describe();
    auto pack = client.write_tracking({.order_num = created->order_num, .tracking_number = "1ZA"});
    ASSERT_TRUE(pack) << pack.error().describe();
    auto packs = client.list_rows("Erp.BO.CustShipSvc", "CustShips",
                                  {.filter = "PackNum eq " + std::to_string(*pack)});
    ASSERT_TRUE(packs) << packs.error().describe();
    ASSERT_EQ(packs->size(), 1u);
    EXPECT_EQ(text_of(packs->front(), "ShipViaCode"), created->order.requested_service);

    auto refused = client.write_tracking({.order_num = 999999, .tracking_number = "1ZB"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
    EXPECT_NE(refused.error().message.find("999999"), std::string::npos)
        << refused.error().describe();
}

TEST_F(EpicorClientTest, StagingRowIsCreatedOnceWithExactNumbers) {
    EpicorClient& client = connect();
    const StagingRow row{.keys = {"SS", "1001", "", "", ""},
                         .texts = {{"Character01", "Ann O'Neil"}},
                         .numbers = {{"Number01", *Decimal::parse("12.34")}},
                         .dates = {{"Date01", UtcTime{std::chrono::seconds{1'710'460'800}}}}};
    ASSERT_TRUE(client.create_staging_row(row));
    auto repeated = client.create_staging_row(row);
    ASSERT_TRUE(repeated) << repeated.error().describe();
    auto rows = client.list_rows("Ice.BO.UD01Svc", "UD01s", {.filter = "Key1 eq 'SS'"});
    ASSERT_TRUE(rows) << rows.error().describe();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(text_of(rows->front(), "Character01"), "Ann O'Neil");
    EXPECT_EQ(*decimal_of(rows->front(), "Number01"), *Decimal::parse("12.34"));
    EXPECT_EQ(text_of(rows->front(), "Date01"), "2024-03-15T00:00:00");
}

TEST_F(EpicorClientTest, UnknownConfiguredOrderFieldIsAConfigError) {
    EpicorClientConfig cfg = config();
    cfg.tracking_target = TrackingTarget::kOrderField;
    cfg.tracking_order_field = "TrackingNum_c";  // Not defined in this tenant.
    EpicorClient& client = connect(Identity::kBasic, cfg);
    const model::Order order = sample_order("SS-7007", active_parts(client, 1));
    auto created = client.create_order({.order = order, .customer_id = "C00001"});
    ASSERT_TRUE(created) << created.error().describe();
    auto written =
        client.write_tracking({.order_num = created->order_num, .tracking_number = "1Z1"});
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, ErrorCode::kConfig);
    EXPECT_NE(written.error().message.find("TrackingNum_c"), std::string::npos)
        << written.error().message;
}

// ---- Releases to ship (epicor_releases.hpp): what a carrier flow reads. ----

namespace releases_test {

std::vector<Record<model::Order>> read_all(ReleasesSource& source, std::string& position) {
    std::vector<Record<model::Order>> out;
    auto scan = source.scan(position);
    EXPECT_TRUE(scan) << scan.error().describe();
    if (!scan) return out;
    for (int page = 0; page < 100; ++page) {
        auto batch = (*scan)->next();
        EXPECT_TRUE(batch) << batch.error().describe();
        if (!batch) break;
        EXPECT_TRUE(batch->rejected.empty());
        for (auto& record : batch->items) out.push_back(std::move(record));
        if (!batch->position.empty()) position = batch->position;
        if (!batch->more) break;
    }
    return out;
}

std::map<std::string, model::Order> by_key(const std::vector<Record<model::Order>>& records) {
    std::map<std::string, model::Order> out;
    for (const auto& record : records) out[record.value.source.key] = record.value;
    return out;
}

}  // namespace releases_test

TEST_F(EpicorClientTest, ReleasesOfNewOrdersAreReadOnceEachWithTheirQuantityAndStatus) {
    EpicorClient& client = connect();
    const auto skus = active_parts(client, 2);
    server_clock_.advance(std::chrono::hours(1));
    ReleasesSource source(client, {.window = {.start = server_clock_.now(), .overlap = {}},
                                   .page_size = 100,
                                   .per_order = false});
    server_clock_.advance(std::chrono::seconds(5));
    auto first =
        client.create_order({.order = sample_order("SS-1", skus), .customer_id = "C00002"});
    ASSERT_TRUE(first) << first.error().describe();
    server_clock_.advance(std::chrono::seconds(2));
    auto second =
        client.create_order({.order = sample_order("SS-2", skus), .customer_id = "C00003"});
    ASSERT_TRUE(second) << second.error().describe();

    std::string position;
    const auto read = releases_test::by_key(releases_test::read_all(source, position));
    ASSERT_EQ(read.size(), 4u) << "two orders, two lines, one release each";
    const std::string key = std::to_string(first->order_num) + "-1-1";
    ASSERT_TRUE(read.contains(key));
    const model::Order& release = read.at(key);
    EXPECT_EQ(release.source_status, kReleaseReady);
    EXPECT_EQ(release.number, std::to_string(first->order_num));
    EXPECT_EQ(release.customer_code, "C00002");
    EXPECT_EQ(release.ship_to.city, "Austin");
    ASSERT_EQ(release.lines.size(), 1u);
    EXPECT_EQ(release.lines[0].sku, skus[0]);
    EXPECT_EQ(release.lines[0].quantity.to_string(), "2");
    EXPECT_EQ(source.identify(release).label,
              "Epicor order " + std::to_string(first->order_num) + " release 1-1");
    EXPECT_EQ(source.identify(release).version, release.modified_at);
    EXPECT_FALSE(position.empty());

    // Cancelled later: its releases come again, void; the other order is not changed.
    server_clock_.advance(std::chrono::minutes(3));
    ASSERT_TRUE(client.cancel_order(second->order_num));
    const auto later = releases_test::by_key(releases_test::read_all(source, position));
    const std::string voided = std::to_string(second->order_num) + "-1-1";
    ASSERT_TRUE(later.contains(voided));
    EXPECT_NE(later.at(voided).source_status, kReleaseReady);
    // From the position's second on (that second included: a change made in it is never
    // missed), so the first order, changed two seconds before it, is not read again.
    EXPECT_FALSE(later.contains(key));
}

TEST_F(EpicorClientTest, AShippedOrdersReleasesAreClosedAndOneReleaseIsReadAgainForReplay) {
    EpicorClient& client = connect();
    const auto skus = active_parts(client, 2);
    server_clock_.advance(std::chrono::hours(1));
    auto order =
        client.create_order({.order = sample_order("SS-9", skus), .customer_id = "C00002"});
    ASSERT_TRUE(order) << order.error().describe();
    ReleasesSource source(client,
                          {.window = {.start = server_clock_.now() - std::chrono::minutes(1),
                                      .overlap = std::chrono::minutes(10)},
                           .page_size = 1,  // One order a page: paging is exercised.
                           .per_order = true});
    std::string position;
    auto whole = releases_test::read_all(source, position);
    ASSERT_EQ(whole.size(), 1u);
    EXPECT_EQ(whole[0].value.source.key, std::to_string(order->order_num));
    EXPECT_EQ(whole[0].value.lines.size(), 2u) << "per order: all its open releases";

    server_clock_.advance(std::chrono::minutes(1));
    const HttpResponse shipped =
        control("orders/ship", R"({"OrderNum": )" + std::to_string(order->order_num) +
                                   R"(, "TrackingNumber": "1ZTEST", "Weight": 2})");
    ASSERT_LT(shipped.status, 300) << shipped.body;
    ReleasesSource per_release(
        client, {.window = {.start = server_clock_.now() - std::chrono::hours(2), .overlap = {}},
                 .page_size = 100,
                 .per_order = false});
    const std::string key = std::to_string(order->order_num) + "-2-1";
    auto again = per_release.get(key);
    ASSERT_TRUE(again) << again.error().describe();
    ASSERT_TRUE(again->has_value());
    EXPECT_EQ((*again)->value.source.key, key);
    EXPECT_EQ((*again)->value.source_status, kReleaseClosed);
    EXPECT_FALSE(per_release.get(std::to_string(order->order_num) + "-7-1").value().has_value());
    EXPECT_EQ(per_release.get("not-a-key").error().code, ErrorCode::kInvalidInput);
}

TEST(EpicorReleases, AHeldOrderIsHeldAndAVoidLineIsVoidWhateverItsRelease) {
    const auto head =
        parse_exact(
            R"({"OrderNum":7,"OpenOrder":true,"OrderHeld":true,"VoidOrder":false,)"
            R"("CustomerCustID":"C1","ShipViaCode":"UPSG","ChangeDate":"2025-06-02T00:00:00",)"
            R"("ChangeTime":3600,"OrderDtls":[{"OrderLine":1,"PartNum":"P1","DocUnitPrice":2.5},)"
            R"({"OrderLine":2,"PartNum":"P2","VoidLine":true,"DocUnitPrice":1}],)"
            R"("OrderRels":[{"OrderLine":2,"OrderRelNum":1,"SellingReqQty":1,"OpenRelease":true},)"
            R"({"OrderLine":1,"OrderRelNum":1,"SellingReqQty":3.5,"OpenRelease":true,)"
            R"("ShipViaCode":"UPS2"}]})")
            .value()
            .as_object();
    auto records = releases_of(head, false, "UTC");
    ASSERT_TRUE(records) << records.error().describe();
    ASSERT_EQ(records->size(), 2u);
    EXPECT_EQ((*records)[0].value.source.key, "7-1-1") << "in line order";
    EXPECT_EQ((*records)[0].value.source_status, kReleaseHeld);
    EXPECT_EQ((*records)[0].value.requested_service, "UPS2") << "the release's ShipVia wins";
    EXPECT_EQ((*records)[0].value.lines[0].quantity.to_string(), "3.5");
    EXPECT_EQ(format_iso8601((*records)[0].value.modified_at), "2025-06-02T01:00:00Z");
    EXPECT_EQ((*records)[1].value.source_status, kReleaseVoid);
    EXPECT_EQ((*records)[1].value.requested_service, "UPSG");
}

}  // namespace
}  // namespace mlc::connectors::epicor
