#pragma once
// CatalogTarget: the WooCommerce operations the catalog flow needs, and nothing else (STYLE rule
// 4: a small seam). catalog_woo_target.hpp implements it over the WooCommerce connector; tests
// may use the real one against the emulator or a fake.
//
// Contract:
//  * find_products_by_sku(): at most kSkusPerLookupMax SKUs; answers SKU -> product id for the
//    ones the store holds (any status but trash). Woo's `sku` filter takes a comma-separated list
//    (WC_REST_Products_Controller), so 100 SKUs cost one GET.
//  * write_products(): one POST /products/batch, at most kBatchItemsMax creates + updates in all
//    (woocommerce.md: "at most 100 objects per request"). A failed item is reported in its own
//    outcome; a create refused because the SKU already exists is ErrorCode::kConflict (Woo keeps
//    SKUs unique), an update of a product that no longer exists is kNotFound. A failed call (no
//    per-item answer) is the Result's error.
//  * find_customer_by_email(): the id of the store's customer with that e-mail, if any.
//  * create_customer(): kConflict when the e-mail is already registered
//    (registration-error-email-exists).
//
// Lifecycle and ownership: implementations borrow their client. Thread safety: the flow calls one
// target from one thread at a time.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "flows/epicor_woocommerce/catalog_mapping.hpp"

namespace mlc::flows::epicor_woocommerce {

inline constexpr std::size_t kBatchItemsMax = 100;  // POST /products/batch limit (woocommerce.md)
inline constexpr std::size_t kSkusPerLookupMax = 100;  // per_page maximum: one page answers all

struct ProductUpdate {
    std::int64_t id = 0;
    ProductDraft product;
};

struct ProductBatch {
    std::vector<ProductDraft> create;
    std::vector<ProductUpdate> update;
};

struct ProductOutcome {
    std::string sku;
    std::int64_t id = 0;         // The product's Woo id (0 when the item failed before one existed)
    std::optional<Error> error;  // Set when Woo refused this item
};

// Outcomes in the order of the batch's lists.
struct ProductBatchResult {
    std::vector<ProductOutcome> created;
    std::vector<ProductOutcome> updated;
};

class CatalogTarget {
  public:
    virtual ~CatalogTarget() = default;
    virtual Result<std::map<std::string, std::int64_t>> find_products_by_sku(
        const std::vector<std::string>& skus) = 0;
    virtual Result<ProductBatchResult> write_products(const ProductBatch& batch) = 0;
    virtual Result<std::optional<std::int64_t>> find_customer_by_email(std::string_view email) = 0;
    virtual Result<std::int64_t> create_customer(const CustomerDraft& customer) = 0;
    virtual Result<void> update_customer(std::int64_t id, const CustomerDraft& customer) = 0;
};

}  // namespace mlc::flows::epicor_woocommerce
