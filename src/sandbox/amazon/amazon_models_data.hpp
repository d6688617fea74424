#pragma once
// Amazon's SP-API models (../shared/specs/amazon-sp-api/*.json, Apache-2.0), embedded at build
// time by CMakeLists.txt (amazon_models_data.cpp is generated in the build directory).

#include <string_view>
#include <vector>

namespace mlc::sandbox::amazon {

struct ModelText {
    std::string_view name = {};  // "orders_2026-01-01"
    std::string_view json = {};  // The whole Swagger 2.0 document
};

std::vector<ModelText> embedded_models();

}  // namespace mlc::sandbox::amazon
