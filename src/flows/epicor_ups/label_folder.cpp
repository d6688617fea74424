#include "flows/epicor_ups/label_folder.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace mlc::flows::epicor_ups {
namespace {

std::string extension(std::string format) {
    std::transform(format.begin(), format.end(), format.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // Not `"." + safe_name(...)`: GCC 12 -O3 false -Wrestrict (bug 105651).
    return format.empty() ? ".label" : std::string(1, '.').append(safe_name(format));
}

}  // namespace

std::string safe_name(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '.' && c != '_' && c != '-') c = '_';
    }
    return out.empty() ? "_" : out;
}

Result<void> LabelFolder::write(const connectors::ups::LabelFile& label) const {
    const std::filesystem::path dir = dir_ / safe_name(label.order_number);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return make_error(ErrorCode::kInternal, "labels",
                          "cannot create the label folder " + dir.string() + ": " + ec.message() +
                              " (check options.labels_dir and its permissions)");
    }
    std::string name = safe_name(label.reference);
    name.append("-").append(std::to_string(label.package)).append("-");
    name.append(safe_name(label.tracking_number)).append(extension(label.format));
    const std::filesystem::path path = dir / name;
    const std::filesystem::path temporary = dir / ("." + name + ".tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(label.bytes.data(), static_cast<std::streamsize>(label.bytes.size()));
        if (!out) {
            return make_error(ErrorCode::kInternal, "labels",
                              "cannot write the label " + temporary.string());
        }
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        return make_error(ErrorCode::kInternal, "labels",
                          "cannot move the label into " + path.string() + ": " + ec.message());
    }
    return ok();
}

std::vector<std::filesystem::path> LabelFolder::of_order(const std::string& order_number) const {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    const std::filesystem::path dir = dir_ / safe_name(order_number);
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_regular_file() && !name.starts_with(".")) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace mlc::flows::epicor_ups
