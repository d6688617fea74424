#pragma once
// Mapping tables from a CSV file (`mlc mappings import parts.csv`), as a spreadsheet exports
// them: a header row naming the columns `from` and `to` (any order, any case; other columns are
// ignored), optionally `table` (one file may then fill several tables); comma- or
// semicolon-separated (a header without a comma but with a semicolon: semicolons, as Excel writes
// in many European locales); quoted fields with commas, quotes and line breaks; a UTF-8 byte-order
// mark; CRLF. Parsed by libcsv in strict mode (no hand-written CSV rules). Values are trimmed;
// blank rows are skipped. Every row that cannot be used is reported, each by its row number
// (the header is row 1), so one pass over a file names every mistake.
// Pure: no I/O, no state, thread safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mlc {

struct MappingRow {
    std::size_t row = 0;     // 1-based, the header is row 1.
    std::string table = {};  // Empty when the file has no `table` column.
    std::string from = {};
    std::string to = {};
};

struct MappingCsv {
    std::vector<MappingRow> rows = {};
    std::vector<std::string> problems = {};  // "row 7: 'A*B*' has more than one '*' ...".
    bool has_table_column = false;
};

// kInvalidInput when the file is not CSV at all (unbalanced quotes) or lacks the `from`/`to`
// header; a readable file returns its good rows and every problem of the others.
Result<MappingCsv> parse_mapping_csv(std::string_view text);

}  // namespace mlc
