#include "store/sqlite/sqlite_state_store.hpp"

#include <gtest/gtest.h>

#include "store/testing/state_store_contract.hpp"

namespace mlc::store {
namespace {

using testing::StateStoreContract;
using testing::StoreFactory;

std::unique_ptr<StateStore> open_or_fail(const std::string& path) {
    auto opened = SqliteStateStore::open(path);
    if (!opened) {
        ADD_FAILURE() << opened.error().describe();
        return nullptr;
    }
    return std::move(opened).value();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StateStoreContract,
                         ::testing::Values(StoreFactory{"memory",
                                                        [](const std::filesystem::path&) {
                                                            return open_or_fail(":memory:");
                                                        }},
                                           StoreFactory{"file",
                                                        [](const std::filesystem::path& dir) {
                                                            return open_or_fail(
                                                                (dir / "state.db").string());
                                                        }}),
                         testing::store_factory_name);

}  // namespace
}  // namespace mlc::store
