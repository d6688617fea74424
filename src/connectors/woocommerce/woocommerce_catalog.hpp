#pragma once
// WooCommerce products and customers as pipeline batch targets (connector.hpp, BatchTarget),
// and what Woo needs of the records written there.
//
//  * Products: keyed by SKU (Woo keeps SKUs unique, woocommerce.md). write() is one POST
//    /products/batch of at most 100 creates and updates with an outcome per product (a create of
//    a SKU Woo holds is kConflict, an update of a deleted product kNotFound); find_all() is one
//    GET /products?sku=a,b,c for up to 100 SKUs. Target ids are "product:<id>" (the binding
//    format of earlier releases), refs "woocommerce:product:<id>". Never deleted: an inactive
//    item is written as a draft.
//  * Customers: keyed by e-mail (Woo keeps e-mails unique, compares them without case). Adopts:
//    a shop account with the e-mail is taken over rather than duplicated. write() creates or
//    updates one by one (the client has no customer batch); the first error no customer causes
//    (kTransient, kAuth) ends the calls and is every unsent one's outcome. Target ids
//    "customer:<id>", refs "woocommerce:customer:<id>".
//  * prepare_product(): the price rounded to the store currency's minor digits. prepare_customer():
//    Woo's two address lines (a third line is appended to the second), the country as an ISO
//    3166 alpha-2 code (`countries` first, then a few common names, then a two-letter code as
//    is; else empty, with a note for the audit), no username (Woo would refuse to change it).
//  * content_hash(): 16 hex digits over every field written (the formats of earlier releases, so
//    stored bindings stay valid).
//
// Lifecycle: one per flow, built by its recipe. Thread safety: that of the client. Ownership:
// borrows the client.

#include <map>
#include <string>

#include "connectors/connector.hpp"
#include "connectors/woocommerce/woocommerce_client.hpp"

namespace mlc::connectors::woocommerce {

// A customer as written, with a note for the audit ("country 'Narnia' has no ISO code ...").
struct CustomerDraft {
    model::Party party = {};
    std::string note = {};
};

using CountryCodes = std::map<std::string, std::string, std::less<>>;

model::Item prepare_product(model::Item item, std::string_view currency);
CustomerDraft prepare_customer(model::Party party, const CountryCodes& countries);

// Lower-cased, trimmed e-mail: how Woo (WordPress) compares them.
std::string email_key(std::string_view email);

std::string content_hash(const model::Item& product);
std::string content_hash(const CustomerDraft& customer);

class Products final : public BatchTarget<model::Item> {
  public:
    explicit Products(WooCommerceClient& client) : client_(client) {}
    std::string system() const override { return "woocommerce"; }
    std::string ref(const std::string& id) const override { return "woocommerce:" + id; }
    std::size_t batch_max() const override { return kBatchItemsMax; }
    Result<std::vector<std::optional<std::string>>> find_all(
        const std::vector<std::string>& skus) override;
    Result<std::vector<Result<std::string>>> write(
        const std::vector<BatchWrite<model::Item>>& writes) override;
    Result<void> close(const std::string&) override { return ok(); }  // Never deleted.
    std::string describe(const model::Item& item) const override;

  private:
    WooCommerceClient& client_;
};

class Customers final : public BatchTarget<CustomerDraft> {
  public:
    explicit Customers(WooCommerceClient& client) : client_(client) {}
    std::string system() const override { return "woocommerce"; }
    std::string ref(const std::string& id) const override { return "woocommerce:" + id; }
    std::size_t batch_max() const override { return kBatchItemsMax; }
    bool adopts() const override { return true; }
    Result<std::vector<std::optional<std::string>>> find_all(
        const std::vector<std::string>& emails) override;
    Result<std::vector<Result<std::string>>> write(
        const std::vector<BatchWrite<CustomerDraft>>& writes) override;
    Result<void> close(const std::string&) override { return ok(); }  // Never deleted.
    std::string describe(const CustomerDraft& draft) const override;

  private:
    WooCommerceClient& client_;
};

}  // namespace mlc::connectors::woocommerce
