#include "common/mapping_csv.hpp"

#include <csv.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/mapping.hpp"

namespace mlc {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string trimmed(std::string_view text) {
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    while (!text.empty() && space(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && space(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return std::string(text);
}

std::string lowered(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// What libcsv hands over, field by field and row by row.
struct Collector {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> current;
};

void on_field(void* data, std::size_t size, void* self) {
    auto* collector = static_cast<Collector*>(self);
    collector->current.push_back(trimmed({static_cast<const char*>(data), size}));
}

void on_row(int, void* self) {
    auto* collector = static_cast<Collector*>(self);
    collector->rows.push_back(std::move(collector->current));
    collector->current.clear();
}

unsigned char delimiter_of(std::string_view text) {
    const std::string_view header = text.substr(0, text.find_first_of("\r\n"));
    const bool semicolons = header.find(';') != std::string_view::npos;
    return header.find(',') == std::string_view::npos && semicolons ? ';' : ',';
}

Result<std::vector<std::vector<std::string>>> split(std::string_view text) {
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        return make_error(ErrorCode::kInternal, "csv", "could not start the CSV parser");
    }
    csv_set_delim(&parser, delimiter_of(text));
    Collector collector;
    const std::size_t read =
        csv_parse(&parser, text.data(), text.size(), on_field, on_row, &collector);
    const bool parsed = read == text.size() && csv_fini(&parser, on_field, on_row, &collector) == 0;
    const int error = csv_error(&parser);
    csv_free(&parser);
    if (!parsed) {
        return make_error(ErrorCode::kInvalidInput, "csv",
                          std::string("not a CSV file: ") + csv_strerror(error) + " after row " +
                              std::to_string(collector.rows.size()) +
                              " (a quote that is never closed?)");
    }
    return std::move(collector.rows);
}

std::optional<std::size_t> column(const std::vector<std::string>& header, std::string_view name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (lowered(header[i]) == name) return i;
    }
    return std::nullopt;
}

std::string field(const std::vector<std::string>& row, std::optional<std::size_t> at) {
    return at && *at < row.size() ? row[*at] : std::string();
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out.append(", ");
        out.append(name);
    }
    return out.empty() ? "nothing" : out;
}

}  // namespace

Result<MappingCsv> parse_mapping_csv(std::string_view text) {
    if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
    MLC_TRY(auto rows, split(text));
    if (rows.empty()) {
        return make_error(
            ErrorCode::kInvalidInput, "csv",
            "the file is empty: write a header row `from,to`, then one mapping a row");
    }
    const auto from = column(rows.front(), "from");
    const auto to = column(rows.front(), "to");
    const auto table = column(rows.front(), "table");
    if (!from || !to) {
        return make_error(ErrorCode::kInvalidInput, "csv",
                          "the header row must name the columns `from` and `to` (and optionally "
                          "`table`); it names: " +
                              joined(rows.front()));
    }
    MappingCsv out;
    out.has_table_column = table.has_value();
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        if (std::all_of(row.begin(), row.end(), [](const auto& f) { return f.empty(); })) continue;
        MappingRow parsed{.row = i + 1,
                          .table = field(row, table),
                          .from = field(row, from),
                          .to = field(row, to)};
        std::string problem = check_mapping(parsed.from, parsed.to);
        if (problem.empty() && table && parsed.table.empty()) {
            problem = "no table named: fill the `table` column (parts, customers, ...)";
        }
        if (!problem.empty()) {
            out.problems.push_back("row " + std::to_string(parsed.row) + ": " + problem);
            continue;
        }
        out.rows.push_back(std::move(parsed));
    }
    return out;
}

}  // namespace mlc
