#include "sandbox/amazon/amazon_static_sandbox.hpp"

#include <gtest/gtest.h>

#include "sandbox/amazon/amazon_test_fixture.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;
using testing::AmazonTest;

// Every x-amzn-api-sandbox static example of the five stored models, replayed against the
// sandbox host: the answer is the example's status and body.
TEST_F(AmazonTest, EveryStaticSandboxExampleOfTheModelsAnswersAsTheModelSays) {
    const StaticSandbox catalog(embedded_models());
    std::size_t replayed = 0;
    for (const auto& operation : catalog.operations()) {
        for (const auto& example : operation.examples) {
            net::HttpRequest request = example_request(operation, example);
            const auto response = api(request.method, "/sandbox/na" + request.url, request.body);
            SCOPED_TRACE(operation.api + " " + operation.id + " " + request.url);
            EXPECT_EQ(response.status, example.status) << response.body;
            if (example.response.is_null()) {
                EXPECT_TRUE(response.body.empty());
            } else {
                EXPECT_EQ(json::parse(response.body), example.response);
            }
            const bool success = response.status < 300;
            EXPECT_EQ(testing::header(response, "x-amzn-RateLimit-Limit").empty(), !success);
            ++replayed;
        }
    }
    EXPECT_EQ(replayed, 72u);  // 8 + 31 + 18 + 8 + 7 in the stored models
}

TEST_F(AmazonTest, SandboxHostRefusesARequestNoExampleMatches) {
    const auto response = api("GET", "/sandbox/na/orders/v0/orders/NO_SUCH_CASE");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(error_code(response), "InvalidInput");
}

}  // namespace
}  // namespace mlc::sandbox::amazon
