// Reports 2021-06-30: getReports, createReport, getReport, cancelReport, getReportDocument, and
// the presigned document URLs they hand out.
#include <algorithm>

#include <boost/json.hpp>

#include "common/gzip.hpp"
#include "common/time.hpp"
#include "sandbox/amazon/amazon_emulator.hpp"
#include "sandbox/amazon/amazon_json.hpp"

namespace mlc::sandbox::amazon {
namespace {

namespace json = boost::json;

constexpr std::string_view kStatuses[] = {"CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"};
// Settlement reports are scheduled by Amazon and cannot be requested; Amazon names them by an
// internal number in its refusal (selling-partner-api-docs issues 649 and 1633, jlevers 573).
struct Refused {
    std::string_view type, message;
};
constexpr Refused kRefusedTypes[] = {
    {"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
     "Request for report type 1118 is not allowed at this time"},
    {"GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",
     "Request for report type 1117 is not allowed at this time"},
    {"GET_V2_SETTLEMENT_REPORT_DATA_XML",
     "Request for report type GET_V2_SETTLEMENT_REPORT_DATA_XML is not allowed at this time"}};
constexpr std::string_view kDocumentContentType = "text/plain; charset=UTF-8";

bool valid_report_type(std::string_view type) {
    if (type == "FEE_DISCOUNTS_REPORT") return true;  // A type in the models without GET_
    if (!type.starts_with("GET_")) return false;
    return std::all_of(type.begin(), type.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

json::object render_report(const Report& report) {
    json::array marketplaces;
    for (const auto& id : report.marketplace_ids) marketplaces.emplace_back(id);
    json::object out{{"reportId", report.id},
                     {"reportType", report.type},
                     {"marketplaceIds", std::move(marketplaces)},
                     {"createdTime", iso_seconds(report.created)},
                     {"processingStatus", report.status}};
    if (report.data_start) out["dataStartTime"] = iso_seconds(*report.data_start);
    if (report.data_end) out["dataEndTime"] = iso_seconds(*report.data_end);
    if (report.processing_start) out["processingStartTime"] = iso_seconds(*report.processing_start);
    if (report.processing_end) out["processingEndTime"] = iso_seconds(*report.processing_end);
    if (!report.document_id.empty()) out["reportDocumentId"] = report.document_id;
    return out;
}

// S3's presigned-URL errors are XML, not SP-API JSON.
net::HttpResponse s3_error(std::string_view code, std::string_view message) {
    net::HttpResponse response;
    response.status = 403;
    response.headers.emplace_back("Content-Type", "application/xml");
    response.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" +
                    std::string(code) + "</Code><Message>" + std::string(message) +
                    "</Message></Error>";
    return response;
}

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return hash;
}

}  // namespace

Report* AmazonEmulator::find_report(std::string_view id) {
    for (auto& report : reports_) {
        if (report.id == id) return &report;
    }
    return nullptr;
}

void AmazonEmulator::refresh_report(Report& report) {
    const UtcTime now = context_.clock.now();
    if (report.status == "IN_QUEUE" && now >= report.created + kReportQueued) {
        report.status = "IN_PROGRESS";
        report.processing_start = report.created + kReportQueued;
    }
    if (report.status == "IN_PROGRESS" && now >= *report.processing_start + kReportProcessing) {
        finish_report(report, *report.processing_start + kReportProcessing);
    }
}

void AmazonEmulator::finish_report(Report& report, UtcTime at) {
    // A requested report: the seller's orders of the data range, uncompressed.
    std::string text = "amazon-order-id\tpurchase-date\torder-status\tsku\tquantity\titem-price\n";
    const UtcTime from = report.data_start.value_or(report.created - std::chrono::hours(24 * 30));
    const UtcTime to = report.data_end.value_or(report.created);
    for (const auto& order : orders_) {
        if (order.created < from || order.created > to) continue;
        for (const auto& item : order.items) {
            text += order.id + "\t" + iso_seconds(order.created) + "\t" + order.status + "\t" +
                    item.sku + "\t" + std::to_string(item.quantity) + "\t" +
                    item.unit_price.mul(item.quantity).to_string(2) + "\n";
        }
    }
    report.status = "DONE";
    if (!report.processing_start) report.processing_start = at;
    report.processing_end = at;
    report.document_id = add_document(std::move(text), false, at);
}

std::string AmazonEmulator::add_document(std::string text, bool gzip, UtcTime at) {
    const std::string id = "amzn1.spdoc.1.4.na." +
                           draw_text(context_.seed, 70 + documents_.size(), 8, "0123456789abcdef") +
                           "-" + std::to_string(documents_.size() + 1);
    documents_[id] = ReportDocument{.id = id,
                                    .content_type = std::string(kDocumentContentType),
                                    .bytes = gzip ? gzip_compress(text) : std::move(text),
                                    .gzip = gzip,
                                    .created = at};
    return id;
}

std::string AmazonEmulator::document_signature(std::string_view id,
                                               std::int64_t expires_epoch_s) const {
    const std::uint64_t hash = fnv1a(std::string(id) + "|" + std::to_string(expires_epoch_s));
    return draw_text(context_.seed, hash, 64, "0123456789abcdef");
}

net::HttpResponse AmazonEmulator::get_reports(const net::HttpRequest& request) {
    const UtcTime now = context_.clock.now();
    const auto query = net::url_query(request.url);
    PageCursor cursor{.query = request.url, .issued = now};
    if (const auto token = net::query_param(request.url, "nextToken")) {
        // "include this token as the only parameter" (getReports, reports_2021-06-30.json)
        if (query.size() != 1) return invalid_input("nextToken must be the only parameter.");
        const auto found = page_tokens_.find(*token);
        if (found == page_tokens_.end()) return invalid_input("Invalid nextToken.");
        cursor = found->second;
    }
    const std::string& url = cursor.query;
    const auto types = query_list(url, "reportTypes");
    const auto statuses = query_list(url, "processingStatuses");
    const auto marketplaces = query_list(url, "marketplaceIds");
    if (types.empty() || types.size() > kReportTypesMax) {
        return invalid_input("reportTypes must list 1 to 10 report types.");
    }
    for (const auto& status : statuses) {
        if (std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
            return invalid_input("Invalid processingStatuses value: " + status);
        }
    }
    if (marketplaces.size() > 10) return invalid_input("marketplaceIds: at most 10.");
    std::int64_t page_size = kReportsPageDefault;
    if (const auto size = net::query_param(url, "pageSize")) {
        const auto value = parse_int(*size);
        if (!value || *value < 1 || *value > kReportsPageMax) {
            return invalid_input("pageSize must be between 1 and 100.");
        }
        page_size = *value;
    }
    bool bad = false;
    const auto time_or = [&](std::string_view name, UtcTime fallback) {
        const auto text = net::query_param(url, name);
        if (!text) return fallback;
        auto parsed = parse_iso8601(*text);
        bad = bad || !parsed;
        return parsed ? *parsed : fallback;
    };
    const UtcTime since = std::max(time_or("createdSince", now - kReportsKept), now - kReportsKept);
    const UtcTime until = time_or("createdUntil", now);
    if (bad) return invalid_input("Dates must be in ISO 8601 format.");
    std::vector<const Report*> selected;
    for (auto& report : reports_) {
        refresh_report(report);
        const auto listed = [](const std::vector<std::string>& list, std::string_view value) {
            return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
        };
        if (!listed(types, report.type) || !listed(statuses, report.status)) continue;
        if (report.created < since || report.created > until) continue;
        const bool shared =
            marketplaces.empty() ||
            std::any_of(report.marketplace_ids.begin(), report.marketplace_ids.end(),
                        [&](const auto& id) { return listed(marketplaces, id); });
        if (shared) selected.push_back(&report);
    }
    std::stable_sort(selected.begin(), selected.end(),
                     [](const Report* a, const Report* b) { return a->created > b->created; });
    json::array page;
    const auto end = std::min(selected.size(), cursor.offset + static_cast<std::size_t>(page_size));
    for (std::size_t i = cursor.offset; i < end; ++i) page.push_back(render_report(*selected[i]));
    json::object body{{"reports", std::move(page)}};
    if (end < selected.size()) {
        body["nextToken"] = new_page_token(
            PageCursor{.query = cursor.query, .offset = end, .issued = cursor.issued}, false);
    }
    return json_answer(200, body);
}

net::HttpResponse AmazonEmulator::create_report(const net::HttpRequest& request,
                                                const Route& route) {
    boost::system::error_code ec;
    const json::value parsed = json::parse(request.body, ec);
    if (ec || !parsed.is_object()) return invalid_input("The body must be a JSON object.");
    const auto& body = parsed.get_object();
    const auto* type = body.if_contains("reportType");
    const auto* marketplaces = body.if_contains("marketplaceIds");
    if (type == nullptr || !type->is_string() || marketplaces == nullptr ||
        !marketplaces->is_array() || marketplaces->get_array().empty()) {
        return invalid_input("reportType and marketplaceIds are required.");
    }
    const std::string report_type(type->get_string());
    for (const auto& refused : kRefusedTypes) {
        if (refused.type == report_type) return invalid_input(refused.message);
    }
    if (!valid_report_type(report_type)) return invalid_input("Invalid reportType: " + report_type);
    Report report{.id = std::to_string(50'000'000'000ULL + reports_.size() + 1),
                  .type = report_type,
                  .created = context_.clock.now()};
    for (const auto& id : marketplaces->get_array()) {
        if (!id.is_string() || !marketplace_in_region(route.region, id.get_string())) {
            return invalid_input("Invalid marketplace id for this region.");
        }
        report.marketplace_ids.emplace_back(id.get_string());
    }
    for (const auto* key : {"dataStartTime", "dataEndTime"}) {
        const auto* value = body.if_contains(key);
        if (value == nullptr) continue;
        if (!value->is_string()) return invalid_input(std::string(key) + " is not ISO 8601.");
        auto at = parse_iso8601(value->get_string());
        if (!at) return invalid_input(std::string(key) + " is not ISO 8601.");
        (std::string_view(key) == "dataStartTime" ? report.data_start : report.data_end) = *at;
    }
    const std::string id = report.id;
    reports_.push_back(std::move(report));
    return json_answer(202, json::object{{"reportId", id}});
}

net::HttpResponse AmazonEmulator::get_report(std::string_view id) {
    if (!all_digits(id)) return invalid_input("Invalid reportId: " + std::string(id));
    Report* report = find_report(id);
    if (report == nullptr || report->created < context_.clock.now() - kReportsKept) {
        return amazon_error(404, "NotFound", "Report not found: " + std::string(id));
    }
    refresh_report(*report);
    return json_answer(200, render_report(*report));
}

net::HttpResponse AmazonEmulator::cancel_report(std::string_view id) {
    if (!all_digits(id)) return invalid_input("Invalid reportId: " + std::string(id));
    Report* report = find_report(id);
    if (report == nullptr)
        return amazon_error(404, "NotFound", "Report not found: " + std::string(id));
    refresh_report(*report);
    if (report->status != "IN_QUEUE") {
        return invalid_input("Only reports with processingStatus IN_QUEUE can be cancelled.");
    }
    report->status = "CANCELLED";
    net::HttpResponse response;
    response.status = 200;
    return response;
}

net::HttpResponse AmazonEmulator::get_report_document(std::string_view id) {
    const auto found = documents_.find(std::string(id));
    const UtcTime now = context_.clock.now();
    if (found == documents_.end() || found->second.created < now - kReportsKept) {
        return amazon_error(404, "NotFound", "Report document not found: " + std::string(id));
    }
    // A presigned URL valid for 5 minutes (amazon-sp-api.md), served by this emulator.
    const std::int64_t issued_s =
        std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
    const std::int64_t expires_s = issued_s + std::chrono::seconds(kDocumentUrlLifetime).count();
    const std::string url = base_url_ + "/documents/" + net::url_encode(id) +
                            "?X-Amz-Date=" + std::to_string(issued_s) + "&X-Amz-Expires=" +
                            std::to_string(std::chrono::seconds(kDocumentUrlLifetime).count()) +
                            "&X-Amz-Signature=" + document_signature(id, expires_s);
    json::object body{{"reportDocumentId", found->first}, {"url", url}};
    if (found->second.gzip) body["compressionAlgorithm"] = "GZIP";
    return json_answer(200, body);
}

net::HttpResponse AmazonEmulator::download_document(const net::HttpRequest& request,
                                                    std::string_view id) {
    const auto issued = parse_int(net::query_param(request.url, "X-Amz-Date").value_or(""));
    const auto lifetime = parse_int(net::query_param(request.url, "X-Amz-Expires").value_or(""));
    const auto signature = net::query_param(request.url, "X-Amz-Signature").value_or("");
    if (!issued || !lifetime || signature != document_signature(id, *issued + *lifetime)) {
        return s3_error("SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you "
                        "provided.");
    }
    const UtcTime expires{std::chrono::seconds(*issued + *lifetime)};
    if (context_.clock.now() > expires) return s3_error("AccessDenied", "Request has expired");
    const auto found = documents_.find(std::string(id));
    if (found == documents_.end())
        return s3_error("NoSuchKey", "The specified key does not exist.");
    net::HttpResponse response;
    response.body = found->second.bytes;
    response.headers.emplace_back("Content-Type", found->second.content_type);
    return response;
}

}  // namespace mlc::sandbox::amazon
