#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "common/gzip.hpp"
#include "sandbox/amazon/amazon_test_fixture.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::AmazonTest;
using testing::header;

constexpr std::string_view kReports = "/na/reports/2021-06-30/reports";

class AmazonReportsTest : public AmazonTest {
  protected:
    json::array settlement_reports() {
        const auto response =
            api("GET", std::string(kReports) +
                           "?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
                           "&pageSize=100");
        EXPECT_EQ(response.status, 200) << response.body;
        return json_of(response).at("reports").as_array();
    }
    // Downloads a document the way a connector does: getReportDocument, then its URL.
    net::HttpResponse download(const std::string& document_id, json::object& document) {
        const auto response = api("GET", "/na/reports/2021-06-30/documents/" + document_id);
        EXPECT_EQ(response.status, 200) << response.body;
        document = json_of(response).as_object();
        std::string url(document.at("url").as_string());
        url.erase(0, std::string("http://127.0.0.1:8123").size());
        return amazon_.handle(net::HttpRequest{.method = "GET", .url = url});
    }
};

TEST_F(AmazonReportsTest, GetReportsFindsSettlementReportsOfTheLast90Days) {
    const auto reports = settlement_reports();
    ASSERT_EQ(reports.size(), 6u);  // Seven seeded every 14 days, the oldest past 90 days
    for (const auto& report : reports) {
        EXPECT_EQ(report.at("processingStatus").as_string(), "DONE");
        EXPECT_EQ(report.at("marketplaceIds").at(0).as_string(), "ATVPDKIKX0DER");
        EXPECT_TRUE(report.as_object().contains("reportDocumentId"));
    }
    EXPECT_GT(*parse_iso8601(reports[0].at("createdTime").as_string()),
              *parse_iso8601(reports[1].at("createdTime").as_string()));  // Newest first
    const auto alone = api("GET", std::string(kReports) + "?nextToken=x&pageSize=10");
    EXPECT_EQ(alone.status, 400);  // nextToken must be the only parameter
    EXPECT_EQ(api("GET", std::string(kReports)).status, 400);  // reportTypes required
}

TEST_F(AmazonReportsTest, SettlementReportsCannotBeRequested) {
    const auto refused = api("POST", std::string(kReports),
                             R"({"reportType": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",)"
                             R"( "marketplaceIds": ["ATVPDKIKX0DER"]})");
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(error_code(refused), "InvalidInput");
    EXPECT_NE(refused.body.find("not allowed"), std::string::npos);
}

TEST_F(AmazonReportsTest, RequestedReportMovesFromQueueToDoneOnTheClock) {
    const auto created =
        api("POST", std::string(kReports),
            R"({"reportType": "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",)"
            R"( "marketplaceIds": ["ATVPDKIKX0DER"]})");
    ASSERT_EQ(created.status, 202) << created.body;
    const std::string id(json_of(created).at("reportId").as_string());
    const auto status = [&] {
        const auto response = api("GET", std::string(kReports) + "/" + id);
        EXPECT_EQ(response.status, 200);
        EXPECT_EQ(header(response, "x-amzn-RateLimit-Limit"), "2");
        return json_of(response);
    };
    EXPECT_EQ(status().at("processingStatus").as_string(), "IN_QUEUE");
    clock_.advance(30s);
    EXPECT_EQ(status().at("processingStatus").as_string(), "IN_PROGRESS");
    EXPECT_EQ(api("DELETE", std::string(kReports) + "/" + id).status, 400);  // Only IN_QUEUE
    clock_.advance(60s);
    const auto done = status();
    EXPECT_EQ(done.at("processingStatus").as_string(), "DONE");
    json::object document;
    const auto file = download(std::string(done.at("reportDocumentId").as_string()), document);
    EXPECT_EQ(file.status, 200);
    EXPECT_FALSE(document.contains("compressionAlgorithm"));
    EXPECT_TRUE(file.body.starts_with("amazon-order-id\t"));
}

TEST_F(AmazonReportsTest, ControlAdvancesAReportAndCanFailIt) {
    const std::string body =
        R"({"reportType": "GET_MERCHANT_LISTINGS_ALL_DATA", "marketplaceIds": ["ATVPDKIKX0DER"]})";
    const std::string first(
        json_of(api("POST", std::string(kReports), body)).at("reportId").as_string());
    const std::string second(
        json_of(api("POST", std::string(kReports), body)).at("reportId").as_string());
    const net::HttpRequest post{.method = "POST"};
    EXPECT_EQ(json_of(amazon_.control(post, "reports/" + first + "/advance"))
                  .at("processingStatus")
                  .as_string(),
              "IN_PROGRESS");
    EXPECT_EQ(json_of(amazon_.control(post, "reports/" + first + "/advance"))
                  .at("processingStatus")
                  .as_string(),
              "DONE");
    net::HttpRequest fatal{.method = "POST", .body = R"({"status": "FATAL"})"};
    EXPECT_EQ(json_of(amazon_.control(fatal, "reports/" + second + "/advance"))
                  .at("processingStatus")
                  .as_string(),
              "FATAL");
}

TEST_F(AmazonReportsTest, SettlementDocumentIsGzipWithCharsetAndBalancesToItsTotal) {
    const auto reports = settlement_reports();
    std::map<std::string, const Order*> orders;
    for (const auto& order : amazon_.orders()) orders[order.id] = &order;
    for (const auto& report : reports) {
        json::object document;
        const auto file =
            download(std::string(report.at("reportDocumentId").as_string()), document);
        ASSERT_EQ(file.status, 200);
        EXPECT_EQ(document.at("compressionAlgorithm").as_string(), "GZIP");
        EXPECT_NE(header(file, "Content-Type").find("charset="), std::string::npos);
        const auto text = gzip_decompress(file.body);
        ASSERT_TRUE(text);
        std::istringstream in(*text);
        std::string line;
        std::getline(in, line);
        ASSERT_TRUE(line.starts_with("settlement-id\tsettlement-start-date"));
        std::getline(in, line);  // Summary: id, start, end, deposit, total, currency
        std::vector<std::string> summary;
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, '\t');) summary.push_back(cell);
        const Decimal total = *Decimal::parse(summary.at(4));
        Decimal sum;
        while (std::getline(in, line)) {
            std::vector<std::string> row;
            std::istringstream fields(line);
            for (std::string cell; std::getline(fields, cell, '\t');) row.push_back(cell);
            sum += *Decimal::parse(row.at(14));  // amount
            if (!row.at(7).empty()) {            // order-id: a seeded order that shipped
                ASSERT_TRUE(orders.contains(row.at(7))) << row.at(7);
                EXPECT_TRUE(orders[row.at(7)]->shipped.has_value());
            }
        }
        EXPECT_EQ(sum, total) << report.at("reportId").as_string();
    }
}

TEST_F(AmazonReportsTest, DocumentUrlExpiresAfterFiveMinutes) {
    const auto reports = settlement_reports();
    const auto response =
        api("GET", "/na/reports/2021-06-30/documents/" +
                       std::string(reports[0].at("reportDocumentId").as_string()));
    std::string url(json_of(response).at("url").as_string());
    url.erase(0, std::string("http://127.0.0.1:8123").size());
    clock_.advance(300s);
    EXPECT_EQ(amazon_.handle(net::HttpRequest{.method = "GET", .url = url}).status, 200);
    clock_.advance(1s);
    const auto expired = amazon_.handle(net::HttpRequest{.method = "GET", .url = url});
    EXPECT_EQ(expired.status, 403);
    EXPECT_NE(expired.body.find("Request has expired"), std::string::npos);
    url.back() = url.back() == '0' ? '1' : '0';  // A tampered signature
    EXPECT_EQ(amazon_.handle(net::HttpRequest{.method = "GET", .url = url}).status, 403);
}

TEST_F(AmazonReportsTest, ClosingASettlementAddsANewestReport) {
    clock_.advance(24h * 3);
    ASSERT_EQ(amazon_
                  .control(net::HttpRequest{.method = "POST",
                                            .body = R"({"count": 3, "status": "Shipped"})"},
                           "orders")
                  .status,
              200);
    clock_.advance(1h);
    const auto closed = amazon_.control(net::HttpRequest{.method = "POST"}, "settlements/close");
    ASSERT_EQ(closed.status, 200);
    const auto reports = settlement_reports();
    EXPECT_EQ(reports[0].at("reportId"), json_of(closed).at("reportId"));
}

}  // namespace
}  // namespace mlc::sandbox::amazon
