#include "connectors/acumatica/acumatica_targets.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "connectors/acumatica/acumatica_json.hpp"

namespace mlc::connectors::acumatica {
namespace json = boost::json;
namespace {

std::string order_path(const std::string& type, const std::string& nbr) {
    return net::url_encode(type) + "/" + net::url_encode(nbr);
}

std::string label(const ShipmentDraft& draft) {
    return "the shipment of sales order " + draft.order_type + "/" + draft.order_nbr;
}

bool holds_tracking(const json::object& shipment, const std::string& tracking) {
    for (const json::value& row : rows_of(shipment, "Packages")) {
        if (row.is_object() && field_text(row.get_object(), "TrackingNbr") == tracking) return true;
    }
    return false;
}

}  // namespace

std::string target_key(const ShipmentDraft& draft) {
    return draft.order_type + "/" + draft.order_nbr + ":" + draft.tracking_number;
}

Result<std::vector<ShipmentsTarget::Found>> ShipmentsTarget::order_shipments(
    const std::string& type, const std::string& nbr) {
    MLC_TRY(const json::value order,
            client_.call({.path = "SalesOrder/" + order_path(type, nbr) + "?$expand=Shipments",
                          .record_key = "sales order " + type + "/" + nbr}));
    std::vector<Found> out;
    if (!order.is_object()) return out;
    for (const json::value& row : rows_of(order.get_object(), "Shipments")) {
        if (!row.is_object() || out.size() >= kOrderShipmentsMax) continue;
        const json::object& link = row.get_object();
        if (field_text(link, "ShipmentType").value_or("Shipment") != "Shipment") continue;
        out.push_back({.nbr = field_text(link, "ShipmentNbr").value_or(""),
                       .status = field_text(link, "Status").value_or("")});
    }
    return out;
}

Result<json::object> ShipmentsTarget::shipment(const std::string& nbr) {
    MLC_TRY(const json::value answer,
            client_.call({.path = "Shipment/" + net::url_encode(nbr) + "?$expand=Packages",
                          .record_key = "shipment " + nbr}));
    if (!answer.is_object()) {
        return make_error(ErrorCode::kInvalidInput, kSystem,
                          "the answer for shipment " + nbr + " is not an object");
    }
    return answer.get_object();
}

Result<std::optional<std::string>> ShipmentsTarget::find_by_source(const std::string& source_key) {
    const auto slash = source_key.find('/');
    const auto colon = source_key.find(':');
    if (slash == std::string::npos || colon == std::string::npos || colon < slash) {
        return make_error(ErrorCode::kInternal, kSystem,
                          "'" + source_key + "' is not <OrderType>/<OrderNbr>:<tracking>");
    }
    const std::string tracking = source_key.substr(colon + 1);
    MLC_TRY(const auto found, order_shipments(source_key.substr(0, slash),
                                              source_key.substr(slash + 1, colon - slash - 1)));
    for (const Found& one : found) {
        MLC_TRY(const json::object record, shipment(one.nbr));
        if (holds_tracking(record, tracking)) return std::optional<std::string>(one.nbr);
    }
    return std::optional<std::string>();
}

// The order's open shipment, or a new one made from the order.
Result<std::string> ShipmentsTarget::open_shipment(const ShipmentDraft& draft) {
    auto open = [&]() -> Result<std::optional<std::string>> {
        MLC_TRY(const auto found, order_shipments(draft.order_type, draft.order_nbr));
        for (const Found& one : found) {
            if (one.status == "Open") return std::optional<std::string>(one.nbr);
        }
        return std::optional<std::string>();
    };
    MLC_TRY(auto existing, open());
    if (existing) return *existing;
    MLC_CHECK(client_.action("SalesOrder", "SalesOrderCreateShipment",
                             json::object{{"OrderType", value_of(json::string(draft.order_type))},
                                          {"OrderNbr", value_of(json::string(draft.order_nbr))}},
                             "sales order " + draft.order_type + "/" + draft.order_nbr));
    MLC_TRY(auto made, open());
    if (made) return *made;
    return make_error(ErrorCode::kRejected, kSystem,
                      label(draft) +
                          " was not found after SalesOrderCreateShipment: check the order's "
                          "shipments in Acumatica, then replay");
}

Result<void> ShipmentsTarget::pack_and_confirm(const std::string& nbr, const ShipmentDraft& draft) {
    MLC_TRY(const json::object current, shipment(nbr));
    if (field_text(current, "Status").value_or("") != "Open") return ok();
    if (!holds_tracking(current, draft.tracking_number)) {
        json::object package{{"TrackingNbr", value_of(json::string(draft.tracking_number))}};
        const json::array& packages = rows_of(current, "Packages");
        bool inserts = false;
        if (!packages.empty() && packages.front().is_object() &&
            packages.front().get_object().contains("id")) {
            package["id"] = packages.front().get_object().at("id");  // Detail rows match by id.
        } else {
            package["BoxID"] = value_of(json::string(draft.box_id));
            inserts = true;  // Repeated after a lost answer it would add a second package.
        }
        json::object body{{"ShipmentNbr", value_of(json::string(nbr))},
                          {"Packages", json::array{std::move(package)}}};
        if (!draft.ship_via.empty()) body["ShipVia"] = value_of(json::string(draft.ship_via));
        MLC_TRY(const json::value written, client_.call({.method = "PUT",
                                                         .path = "Shipment",
                                                         .body = json::value(std::move(body)),
                                                         .record_key = "shipment " + nbr,
                                                         .inserts_rows = inserts}));
        (void)written;
    }
    return client_.action("Shipment", "ConfirmShipment",
                          json::object{{"ShipmentNbr", value_of(json::string(nbr))}},
                          "shipment " + nbr);
}

// A voided label: the shipment corrected back to Open, the tracking number off its package.
Result<void> ShipmentsTarget::reverse(const std::string& nbr, const ShipmentDraft& draft) {
    MLC_TRY(json::object current, shipment(nbr));
    const std::string status = field_text(current, "Status").value_or("");
    if (status == "Confirmed") {
        auto corrected = client_.action("Shipment", "CorrectShipment",
                                        json::object{{"ShipmentNbr", value_of(json::string(nbr))}},
                                        "shipment " + nbr);
        if (!corrected) {
            Error error = std::move(corrected).error();
            if (next_action(error.code) != NextAction::kPark) return error;
            return make_error(
                ErrorCode::kRejected, kSystem,
                "the label " + draft.tracking_number + " of " + label(draft) +
                    " was voided, but Acumatica refused to correct shipment " + nbr + " (" +
                    error.message +
                    "): nothing was reversed. Reverse it by hand in Acumatica "
                    "(reverse its invoice, then Correct Shipment and clear the package's tracking "
                    "number), then mark this letter resolved");
        }
        MLC_TRY(current, shipment(nbr));
    } else if (status != "Open") {
        return make_error(ErrorCode::kRejected, kSystem,
                          "the label " + draft.tracking_number + " of " + label(draft) +
                              " was voided, but shipment " + nbr + " is " + status +
                              ": nothing was reversed; settle it by hand in Acumatica, then mark "
                              "this letter resolved");
    }
    for (const json::value& row : rows_of(current, "Packages")) {
        if (!row.is_object() || !row.get_object().contains("id")) continue;
        if (field_text(row.get_object(), "TrackingNbr") != draft.tracking_number) continue;
        json::object package{{"id", row.get_object().at("id")},
                             {"TrackingNbr", value_of(json::string())}};
        json::object body{{"ShipmentNbr", value_of(json::string(nbr))},
                          {"Packages", json::array{std::move(package)}}};
        MLC_TRY(const json::value written, client_.call({.method = "PUT",
                                                         .path = "Shipment",
                                                         .body = json::value(std::move(body)),
                                                         .record_key = "shipment " + nbr}));
        (void)written;
    }
    return ok();
}

Result<std::string> ShipmentsTarget::create(const ShipmentDraft& draft) {
    if (draft.voided) {
        return make_error(ErrorCode::kRejected, kSystem,
                          "the label " + draft.tracking_number + " of " + label(draft) +
                              " was voided before it reached Acumatica: nothing to reverse; mark "
                              "this letter resolved");
    }
    MLC_TRY(const std::string nbr, open_shipment(draft));
    MLC_CHECK(pack_and_confirm(nbr, draft));
    return nbr;
}

Result<void> ShipmentsTarget::update(const std::string& id, const ShipmentDraft& draft) {
    if (draft.voided) return reverse(id, draft);
    return pack_and_confirm(id, draft);
}

std::string ShipmentsTarget::describe(const ShipmentDraft& draft) const {
    if (draft.voided) {
        return label(draft) + ": label " + draft.tracking_number +
               " voided, shipment corrected back to Open and the tracking number removed";
    }
    return label(draft) + ", tracking " + draft.tracking_number +
           (draft.carrier.empty() ? "" : " (" + draft.carrier + ")") +
           (draft.ship_via.empty() ? "" : ", Ship Via " + draft.ship_via) + ", confirmed";
}

}  // namespace mlc::connectors::acumatica
