#pragma once
// SettlementReports: the seller's settlement reports (Reports 2021-06-30) as a pipeline Source of
// settlement lines, each report's lines together (pipeline/fold.hpp folds them into one record
// per settlement). Settlement reports cannot be requested (amazon-sp-api.md): Amazon makes one
// roughly every 14 days per marketplace and currency, and they are found with
//   getReports(reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2, processingStatuses=DONE,
//              marketplaceIds, createdSince, pageSize=100; then nextToken alone)
//   -> getReportDocument(reportDocumentId) -> the presigned URL (valid 5 minutes, fetched at once,
//      no access token) -> gunzip when compressionAlgorithm is GZIP -> the content type's charset
//      to UTF-8 -> parse_settlement in the marketplace's format (amazon_settlement.hpp).
//
// Position: "<createdTime ISO>|<reportId>" of the last report handed out; a scan lists the reports
// created since then (90 days kept by Amazon), oldest first, and hands out one batch per report
// (its lines; the position after it). A report that cannot be read (a malformed file) is a
// rejected record naming the report and the line, so the pipeline parks it and moves on.
// Reports of another marketplace of a unified account are left out (marketplaceIds).
//
// read_settlement(id): the lines of settlement `id` again (replay of a parked settlement): the
// report is found among the listed ones (remembered from the scans of this process, else listed
// and read newest first).
//
// Lifecycle: one per flow. Thread safety: none. Ownership: borrows the client.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/amazon/amazon_client.hpp"
#include "connectors/amazon/amazon_settlement.hpp"
#include "connectors/connector.hpp"

namespace mlc::connectors::amazon {

struct SettlementReportsOptions {
    std::optional<UtcTime> start = {};  // Reports created before are not read (default: 90 days).
    SettlementFormat format = {};       // Default: settlement_format(first marketplace id).
    bool format_set = false;            // False: from the client's first marketplace id.
};

struct SettlementReport {
    std::string id = {};
    UtcTime created = {};
    std::string document_id = {};
};

class SettlementReports final : public Source<SettlementLine> {
  public:
    SettlementReports(AmazonClient& client, SettlementReportsOptions options);

    std::string system() const override { return "amazon"; }
    Result<std::unique_ptr<Scan<SettlementLine>>> scan(const std::string& position) override;
    // One line is never replayed alone: a settlement is (read_settlement).
    Result<std::optional<Record<SettlementLine>>> get(const std::string&) override {
        return std::optional<Record<SettlementLine>>();
    }
    SourceIdentity identify(const SettlementLine& line) const override;

    // The settlement reports created after `since`, oldest first.
    Result<std::vector<SettlementReport>> list(UtcTime since);
    // One report's document, read and parsed.
    Result<SettlementFile> read(const SettlementReport& report);
    // Every line of settlement `settlement_id`; empty when no report kept holds it.
    Result<std::vector<Record<SettlementLine>>> read_settlement(const std::string& settlement_id);
    // Lines -> records (the raw text kept for dead letters).
    static std::vector<Record<SettlementLine>> records_of(SettlementFile file);

  private:
    AmazonClient& client_;
    SettlementReportsOptions options_;
    std::map<std::string, std::string> report_of_;  // settlement id -> report id (this process).
};

}  // namespace mlc::connectors::amazon
