#pragma once
// OnEachStore<Fixture>: an existing e2e fixture, whose constructor takes the StoreKind it opens
// its world on, run once per store kind (test_store.hpp):
//
//   using OrdersOnEachStore = testing::OnEachStore<OrdersE2eTest>;
//   TEST_P(OrdersOnEachStore, ...) { ... }
//   INSTANTIATE_TEST_SUITE_P(Stores, OrdersOnEachStore, ::testing::ValuesIn(testing::kStoreKinds),
//                            testing::StoreKindName{});
//
// The PostgreSQL instance skips in SetUp when MLC_TEST_POSTGRES_URL is unset; the fixture's
// constructor has run by then, so it opens nothing when store_unavailable(kind) says why.
//
// Test code only, header-only (gtest). Thread safety: none (one test thread).
#include <gtest/gtest.h>

#include "flows/testing/test_store.hpp"

namespace mlc::flows::testing {

template <class Fixture>
class OnEachStore : public Fixture, public ::testing::WithParamInterface<StoreKind> {
  public:
    OnEachStore() : Fixture(::testing::WithParamInterface<StoreKind>::GetParam()) {}

  protected:
    void SetUp() override {
        MLC_SKIP_WITHOUT_STORE(::testing::WithParamInterface<StoreKind>::GetParam());
        Fixture::SetUp();
    }
};

}  // namespace mlc::flows::testing
