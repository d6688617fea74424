#pragma once
// The fixture of the StateStore contract suite (state_store_contract.hpp): StoreFactory, the
// scratch directory and the StateStoreContract class with its record builders. A test binary
// holding several stores includes state_store_contract.hpp (the tests) in ONE .cpp and may
// instantiate the suite in other .cpp files that include only this header.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.hpp"
#include "store/state_store.hpp"

// The record builders use designated initializers and rely on the structs' own defaults for the
// fields they leave out; g++ 12 flags that under -Wextra, so only this header turns it off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace mlc::store::testing {

struct StoreFactory {
    std::string name;  // Test-name suffix: letters, digits and '_' only.
    // May GTEST_SKIP() (and return null) when the store's server is not available.
    std::function<std::unique_ptr<StateStore>(const std::filesystem::path& scratch_dir)> make;
    // Runs after the store is destroyed, with the same scratch directory: drops what `make` made
    // outside it (a database schema). Optional.
    std::function<void(const std::filesystem::path& scratch_dir)> cleanup = {};
};

inline std::string store_factory_name(const ::testing::TestParamInfo<StoreFactory>& info) {
    return info.param.name;
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class ScratchDir {
  public:
    ScratchDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "mlc-store-XXXXXX").string();
        const char* made = ::mkdtemp(pattern.data());
        if (made == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

class StateStoreContract : public ::testing::TestWithParam<StoreFactory> {
  protected:
    void SetUp() override {
        store_ = GetParam().make(scratch_.path());
        if (IsSkipped()) return;
        ASSERT_NE(store_, nullptr) << "factory " << GetParam().name << " made no store";
    }
    void TearDown() override {
        store_.reset();
        if (GetParam().cleanup) GetParam().cleanup(scratch_.path());
    }
    StateStore& store() { return *store_; }

    static UtcTime at(std::int64_t seconds) { return UtcTime{std::chrono::seconds{seconds}}; }
    static Binding binding(std::string key, std::string target, BindingState state) {
        return Binding{.flow = "ss-epicor",
                       .source_system = "shipstation",
                       .source_key = std::move(key),
                       .target_id = std::move(target),
                       .content_hash = "h1",
                       .state = state,
                       .source_version = "v1",
                       .created_at = at(1000),
                       .updated_at = at(1000)};
    }
    static InboxEvent inbox_event(std::string delivery_id, std::string body, UtcTime received) {
        return InboxEvent{.flow = "woo-epicor",
                          .source = "woocommerce",
                          .delivery_id = std::move(delivery_id),
                          .body_hash = "hash-" + body,
                          .topic = "order.updated",
                          .headers_json = R"({"X-WC-Webhook-Topic":"order.updated"})",
                          .body = std::move(body),
                          .received_at = received};
    }
    static DeadLetter dead_letter(std::string key, std::string error, UtcTime seen) {
        return DeadLetter{.flow = "ss-epicor",
                          .source_system = "shipstation",
                          .source_key = std::move(key),
                          .record_json = R"({"orderNumber":"SS-1001"})",
                          .replay_json = R"({"stream":"orders"})",
                          .error_code = "unresolved",
                          .error_message = std::move(error),
                          .first_seen = seen,
                          .last_seen = seen};
    }
    static AuditEvent audit(std::string flow, std::string source_ref, std::string target_ref,
                            UtcTime when) {
        return AuditEvent{.flow = std::move(flow),
                          .direction = "shipstation->epicor",
                          .source_ref = std::move(source_ref),
                          .target_ref = std::move(target_ref),
                          .action = AuditAction::kCreate,
                          .outcome = "ok",
                          .attempt = 1,
                          .at = when,
                          .detail = "created sales order"};
    }

    ScratchDir scratch_;
    std::unique_ptr<StateStore> store_;
};

}  // namespace mlc::store::testing

#pragma GCC diagnostic pop
