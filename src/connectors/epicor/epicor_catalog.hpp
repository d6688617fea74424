#pragma once
// Epicor parts and customers as pipeline sources (connector.hpp), read by keyset.
//
//  * Position: "<SysRevID>|<key>" of the last row handed out. Part has no change date and
//    SysRevID is raised on every write (epicor-kinetic.md), so rows are read in (SysRevID, key)
//    order with `SysRevID gt R or (SysRevID eq R and <key> gt 'K')`: rows sharing one SysRevID
//    never fall between two pages. With `full` every row is read on every pass, ordered by key
//    (position "<SysRevID>|<key>" inside a pass, "0|" once it is done: the next pass starts over).
//  * One Epicor page ($top = page_size) is handed out as batches of at most batch_rows rows, each
//    with the position of its last row, so a run can stop (and commit) between batches.
//  * Parts -> model::Item: key PartNum, ref "epicor:part:<PartNum>"; customers -> model::Party:
//    key CustID, ref "epicor:customer:<CustID>". No version (SysRevID is no time): unchanged rows
//    are skipped by content hash. get(key) reads the one row again for replay.
//  * Part mapping (pure, exposed for tests): sku = PartNum, description = PartDescription trimmed
//    (PartNum when empty), unit_price = the configured price field (kConfig when the rows lack
//    it: a typo must not write price 0), weight = NetWeight when not zero, quantity_on_hand = the
//    configured stock field in whole units, floored, never below 0 (none configured: none),
//    active = !InActive, stocked = !NonStock, revision = SysRevID. A row whose decimals cannot be
//    read is rejected (parked), not the whole page.
//  * Customer mapping: epicor_json's, with names and address fields trimmed (country as text).
//
// Lifecycle: one per flow, built by its recipe. Thread safety: none (one run is one thread).
// Ownership: borrows the client.

#include <cstdint>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "connectors/connector.hpp"
#include "connectors/epicor/epicor_client.hpp"

namespace mlc::connectors::epicor {

struct PartFields {
    std::string price_field = "UnitPrice";
    std::string stock_field = {};  // Empty: parts carry no on-hand quantity.
};

struct KeysetOptions {
    std::uint32_t page_size = 500;   // Rows per Epicor request ($top).
    std::uint32_t batch_rows = 100;  // Rows per Batch.
    bool full = false;               // Every row every pass, by key.
};

Result<model::Item> catalog_item(const boost::json::object& part, const PartFields& fields);
// `zone`: the server's time zone (EpicorClientConfig::server_zone), for ChangeDate.
Result<model::Party> catalog_party(const boost::json::object& customer, std::string_view zone);

// What one keyset stream reads: its service, entity set and key field.
struct KeysetTable {
    const char* service;
    const char* entity_set;
    const char* key_field;
    const char* noun;  // "part": refs and labels.
};

template <typename T>
class KeysetSource : public Source<T> {
  public:
    KeysetSource(EpicorClient& client, KeysetOptions options, KeysetTable table)
        : client_(client), options_(options), table_(table) {}
    std::string system() const override { return "epicor"; }
    Result<std::unique_ptr<Scan<T>>> scan(const std::string& position) override;
    Result<std::optional<Record<T>>> get(const std::string& replay) override;
    SourceIdentity identify(const T& record) const override;

    // The row -> the record; an Error not kConfig rejects that row only.
    virtual Result<T> map(const boost::json::object& row) const = 0;

  private:
    EpicorClient& client_;
    KeysetOptions options_;
    KeysetTable table_;
};

class PartsSource final : public KeysetSource<model::Item> {
  public:
    PartsSource(EpicorClient& client, KeysetOptions options, PartFields fields);
    Result<model::Item> map(const boost::json::object& row) const override {
        return catalog_item(row, fields_);
    }

  private:
    PartFields fields_;
};

class CustomersSource final : public KeysetSource<model::Party> {
  public:
    CustomersSource(EpicorClient& client, KeysetOptions options);
    Result<model::Party> map(const boost::json::object& row) const override {
        return catalog_party(row, zone_);
    }

  private:
    std::string zone_;
};

}  // namespace mlc::connectors::epicor
