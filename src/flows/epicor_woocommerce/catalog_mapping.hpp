#pragma once
// Epicor Part / Customer rows -> what the flow writes to WooCommerce, and the content hash of it.
// Pure functions: no I/O (STYLE rule 12).
//
// Part -> product (woocommerce.md, Product; epicor-kinetic.md, Part):
//   sku = PartNum (the key Woo can be searched by: SKUs are unique in Woo), name =
//   PartDescription, regular_price = options.price_field (UnitPrice) as a Woo money string with
//   the store currency's minor digits, weight = NetWeight as written (the store's weight unit must
//   match NetWeightUOM: no conversion), status publish, or draft when InActive (never deleted).
//   Stock: the fact sheet's Part has no on-hand quantity. With options.stock_field set, the
//   product manages stock with that field's quantity (whole units, floored, never below 0);
//   otherwise Woo does not manage stock and stock_status is outofstock for InActive parts,
//   onbackorder for NonStock parts (made or bought to order), else instock.
// Customer -> customer (woocommerce.md, Customer: email is unique):
//   email = EMailAddress (required: a customer without one is reported, never invented),
//   first_name = Name, billing/shipping from the address fields, country through
//   mappings.countries, then a few built-in names, else a two-letter code as is.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "flows/epicor_woocommerce/catalog_options.hpp"

namespace mlc::flows::epicor_woocommerce {

enum class StockStatus { kInStock, kOutOfStock, kOnBackorder };
std::string_view to_string(StockStatus status);  // Woo's words: instock, outofstock, onbackorder

struct ProductDraft {
    std::string sku;            // PartNum
    std::string name;           // PartDescription (PartNum when empty: Woo needs a title)
    std::string regular_price;  // "12.30"
    std::string weight;         // "" when the part has none
    bool published = true;      // false: status draft (InActive part)
    std::optional<std::int64_t> stock_quantity;  // Set: manage_stock true with this quantity
    StockStatus stock_status = StockStatus::kInStock;
    std::int64_t sys_rev_id = 0;  // Change detection only; not part of the hash
};

struct CustomerAddress {
    std::string first_name, company, address_1, address_2, city, state, postcode, country, phone;
};

struct CustomerDraft {
    std::string cust_id;  // Epicor CustID (kept for messages and audit)
    std::string email;    // EMailAddress, trimmed; empty: reported, not written
    std::string first_name;
    CustomerAddress address;      // Billing (with the email) and shipping alike
    std::string note;             // A mapping note for the audit ("country 'Narnia' not mapped")
    std::int64_t sys_rev_id = 0;  // Not part of the hash
};

// kInvalidInput naming the part and field for an unreadable decimal; kConfig when the configured
// price or stock field is not in the row (a typo in options would otherwise write price 0).
Result<ProductDraft> product_from_part(const boost::json::object& part,
                                       const CatalogOptions& options);
Result<CustomerDraft> customer_from_row(const boost::json::object& customer,
                                        const CatalogOptions& options);

// Lower-cased e-mail: Woo (WordPress) compares e-mails case-insensitively.
std::string email_key(std::string_view email);

// 16 hex digits (FNV-1a 64 over a canonical text of every written field). Change detection only.
std::string content_hash(const ProductDraft& product);
std::string content_hash(const CustomerDraft& customer);

}  // namespace mlc::flows::epicor_woocommerce
