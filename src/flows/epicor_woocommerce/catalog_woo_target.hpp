#pragma once
// WooCatalogTarget: CatalogTarget over the WooCommerce connector (connectors/woocommerce). Turns
// the flow's drafts into model::Item / model::Party for the client and its answers back into ids.
//
// Lifecycle: built with the flow's connection; borrows the client, which must outlive it. Thread
// safety: as the client (safe from several threads); holds no state of its own.

#include "connectors/woocommerce/woocommerce_client.hpp"
#include "flows/epicor_woocommerce/catalog_target.hpp"

namespace mlc::flows::epicor_woocommerce {

class WooCatalogTarget final : public CatalogTarget {
  public:
    explicit WooCatalogTarget(connectors::woocommerce::WooCommerceClient& client)
        : client_(client) {}

    Result<std::map<std::string, std::int64_t>> find_products_by_sku(
        const std::vector<std::string>& skus) override;
    Result<ProductBatchResult> write_products(const ProductBatch& batch) override;
    Result<std::optional<std::int64_t>> find_customer_by_email(std::string_view email) override;
    Result<std::int64_t> create_customer(const CustomerDraft& customer) override;
    Result<void> update_customer(std::int64_t id, const CustomerDraft& customer) override;

  private:
    connectors::woocommerce::WooCommerceClient& client_;
};

// The canonical records the connector writes (pure; exposed for tests).
model::Item item_from_draft(const ProductDraft& draft);
model::Party party_from_draft(const CustomerDraft& draft);

}  // namespace mlc::flows::epicor_woocommerce
