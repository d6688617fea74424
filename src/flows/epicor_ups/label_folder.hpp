#pragma once
// Labels on disk, a folder per flow: <dir>/<order number>/<reference>-<package>-<tracking>.<ext>
// (".zpl", ".gif", ".epl", ".spl"). Written atomically (a temporary file renamed into place), so a
// crash never leaves half a label; written again (a reprint) it is replaced. `mlc labels get
// ORDER` lists (and copies) an order's labels.
//
// The folder is <directory of the state database>/labels/<flow> unless the flow's
// `labels_dir` option names another.
//
// Thread safety: none needed (one flow's run writes its labels). Ownership: owns its path.

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "connectors/ups/ups_types.hpp"

namespace mlc::flows::epicor_ups {

class LabelFolder {
  public:
    explicit LabelFolder(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // kInternal naming the path and the OS error when it cannot be written.
    Result<void> write(const connectors::ups::LabelFile& label) const;
    // The order's label files, sorted by name; empty when there are none.
    std::vector<std::filesystem::path> of_order(const std::string& order_number) const;
    const std::filesystem::path& dir() const { return dir_; }

  private:
    std::filesystem::path dir_;
};

// A file name part made safe: anything but [A-Za-z0-9._-] becomes '_'.
std::string safe_name(std::string_view text);

}  // namespace mlc::flows::epicor_ups
