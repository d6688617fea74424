#include "connectors/amazon/amazon_reports.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "common/gzip.hpp"
#include "common/time.hpp"
#include "net/http_types.hpp"

namespace mlc::connectors::amazon {
namespace {

namespace json = boost::json;

constexpr std::chrono::hours kReportsKept{24 * 90};
constexpr const char* kReportsPath = "/reports/2021-06-30/reports";
constexpr const char* kDocumentsPath = "/reports/2021-06-30/documents/";

Result<json::object> object_of(const net::HttpResponse& answer, std::string_view what) {
    boost::system::error_code ec;
    json::value parsed = json::parse(answer.body, ec);
    if (ec || !parsed.is_object()) {
        return make_error(ErrorCode::kInvalidInput, "amazon", std::string(what) + ": not JSON");
    }
    return std::move(parsed.get_object());
}

std::string text(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string header(const net::HttpResponse& answer, std::string_view name) {
    for (const auto& [key, value] : answer.headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return value;
        }
    }
    return {};
}

std::string position_of(const SettlementReport& report) {
    return format_iso8601(report.created) + "|" + report.id;
}

class ReportScan final : public Scan<SettlementLine> {
  public:
    ReportScan(SettlementReports& source, std::vector<SettlementReport> reports)
        : source_(source), reports_(std::move(reports)) {}

    Result<Batch<SettlementLine>> next() override {
        Batch<SettlementLine> batch;
        if (at_ >= reports_.size()) return batch;
        const SettlementReport& report = reports_[at_++];
        batch.position = position_of(report);
        batch.more = at_ < reports_.size();
        Result<SettlementFile> file = source_.read(report);
        if (!file && file.error().code == ErrorCode::kInvalidInput) {
            batch.rejected.push_back({.key = "settlement report " + report.id,
                                      .raw = "{\"reportId\":\"" + report.id + "\"}",
                                      .error = file.error()});
            return batch;
        }
        if (!file) return file.error();
        batch.items = SettlementReports::records_of(std::move(*file));
        return batch;
    }

  private:
    SettlementReports& source_;
    std::vector<SettlementReport> reports_;
    std::size_t at_ = 0;
};

}  // namespace

SettlementReports::SettlementReports(AmazonClient& client, SettlementReportsOptions options)
    : client_(client), options_(std::move(options)) {
    if (!options_.format_set && !client_.config().marketplace_ids.empty()) {
        options_.format = settlement_format(client_.config().marketplace_ids.front());
    }
}

Result<std::vector<SettlementReport>> SettlementReports::list(UtcTime since) {
    std::string marketplaces;
    for (const auto& id : client_.config().marketplace_ids) {
        marketplaces += (marketplaces.empty() ? "" : ",") + id;
    }
    std::string path =
        std::string(kReportsPath) + "?reportTypes=" + std::string(kSettlementReportType) +
        "&processingStatuses=DONE&pageSize=100" +
        "&createdSince=" + net::url_encode(format_iso8601(since)) +
        (marketplaces.empty() ? "" : "&marketplaceIds=" + net::url_encode(marketplaces));
    std::vector<SettlementReport> out;
    while (true) {
        MLC_TRY(auto answer,
                client_.call(
                    {.operation = "getReports", .path = path, .record_key = "settlement reports"}));
        MLC_TRY(json::object page, object_of(answer, "getReports"));
        if (const auto* reports = page.if_contains("reports"); reports && reports->is_array()) {
            for (const auto& item : reports->get_array()) {
                if (!item.is_object()) continue;
                const auto& r = item.get_object();
                auto created = parse_iso8601(text(r, "createdTime"));
                if (!created || text(r, "reportDocumentId").empty()) continue;
                out.push_back({text(r, "reportId"), *created, text(r, "reportDocumentId")});
            }
        }
        const std::string token = text(page, "nextToken");
        if (token.empty()) break;
        // "include this token as the only parameter" (getReports)
        path = std::string(kReportsPath) + "?nextToken=" + net::url_encode(token);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.created, a.id) < std::tie(b.created, b.id);
    });
    return out;
}

Result<SettlementFile> SettlementReports::read(const SettlementReport& report) {
    const std::string key = "settlement report " + report.id;
    MLC_TRY(auto answer,
            client_.call({.operation = "getReportDocument",
                          .path = std::string(kDocumentsPath) + net::url_encode(report.document_id),
                          .record_key = key}));
    MLC_TRY(json::object document, object_of(answer, "getReportDocument"));
    // The URL lives 5 minutes: fetched now, without the access token.
    MLC_TRY(auto bytes, client_.call({.operation = "downloadReportDocument",
                                      .url = text(document, "url"),
                                      .authorized = false,
                                      .record_key = key}));
    std::string body = std::move(bytes.body);
    if (text(document, "compressionAlgorithm") == "GZIP") {
        auto unpacked = gzip_decompress(body);
        if (!unpacked) {
            return make_error(ErrorCode::kInvalidInput, "amazon",
                              key + ": the document is not GZIP as getReportDocument says");
        }
        body = std::move(*unpacked);
    }
    auto utf8 = to_utf8(body, header(bytes, "Content-Type"));
    if (!utf8) return with_context(utf8.error(), key);
    auto file = parse_settlement(*utf8, options_.format);
    if (!file) return with_context(file.error(), key);
    report_of_[file->summary.id] = report.id;
    return file;
}

std::vector<Record<SettlementLine>> SettlementReports::records_of(SettlementFile file) {
    std::vector<Record<SettlementLine>> out;
    out.reserve(file.lines.size());
    for (auto& line : file.lines) {
        std::string raw = line.raw;
        out.push_back({.value = std::move(line), .raw = std::move(raw)});
    }
    return out;
}

Result<std::unique_ptr<Scan<SettlementLine>>> SettlementReports::scan(const std::string& position) {
    const UtcTime now = client_.clock().now();
    UtcTime since = std::max(options_.start.value_or(now - kReportsKept), now - kReportsKept);
    std::string after;
    if (const auto bar = position.find('|'); bar != std::string::npos) {
        if (auto at = parse_iso8601(position.substr(0, bar))) since = std::max(since, *at);
        after = position;
    }
    MLC_TRY(auto reports, list(since));
    std::vector<SettlementReport> fresh;
    for (auto& report : reports) {
        // Positions compare as (time, id): the same ISO form for every report.
        if (!after.empty() && position_of(report) <= after) continue;
        fresh.push_back(std::move(report));
    }
    return std::unique_ptr<Scan<SettlementLine>>(
        std::make_unique<ReportScan>(*this, std::move(fresh)));
}

SourceIdentity SettlementReports::identify(const SettlementLine& line) const {
    return {.key = line.settlement_id + ":" + std::to_string(line.line),
            .ref = "amazon:settlement:" + line.settlement_id,
            .replay = line.settlement_id,
            .label = "settlement " + line.settlement_id + " line " + std::to_string(line.line),
            .version = std::nullopt};
}

Result<std::vector<Record<SettlementLine>>> SettlementReports::read_settlement(
    const std::string& settlement_id) {
    const UtcTime now = client_.clock().now();
    MLC_TRY(auto reports, list(now - kReportsKept));
    std::reverse(reports.begin(), reports.end());  // Newest first
    if (const auto known = report_of_.find(settlement_id); known != report_of_.end()) {
        std::stable_partition(reports.begin(), reports.end(),
                              [&](const auto& r) { return r.id == known->second; });
    }
    for (const auto& report : reports) {
        MLC_TRY(auto file, read(report));
        if (file.summary.id == settlement_id) return records_of(std::move(file));
    }
    return std::vector<Record<SettlementLine>>();
}

}  // namespace mlc::connectors::amazon
