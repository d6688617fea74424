#include "flows/epicor_ups/shipments_recipe.hpp"

#include <array>
#include <charconv>

#include "connectors/epicor/epicor_releases.hpp"
#include "connectors/epicor/epicor_targets.hpp"
#include "connectors/ups/ups_shipments.hpp"
#include "connectors/ups/ups_tracking.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "flows/connections/ups_connection.hpp"
#include "flows/epicor_ups/label_folder.hpp"
#include "flows/epicor_ups/release_resolver.hpp"
#include "flows/epicor_ups/track_alert.hpp"
#include "model/order_hash.hpp"
#include "pipeline/compose.hpp"

namespace mlc::flows::epicor_ups {
namespace {

namespace ep = connectors::epicor;
namespace ups = connectors::ups;
using ShipmentStream = pipeline::Stream<model::Order, ups::UpsShipmentDraft>;
using TrackingStream = pipeline::Stream<model::TrackingEvent, ep::TrackingDraft>;

struct Parts {
    ShipmentsOptions options;
    std::unique_ptr<connections::EpicorConnection> epicor;
    std::unique_ptr<connections::UpsConnection> ups;
    std::unique_ptr<LabelFolder> labels;
    std::unique_ptr<ep::ReleasesSource> releases;
    std::unique_ptr<ups::ShipmentsTarget> shipments_out;
    std::unique_ptr<ups::TrackingSource> tracking_in;
    std::unique_ptr<ep::Tracking> tracking_out;
    std::unique_ptr<TrackAlert> track_alert;  // The watch list (tracking_via: track_alert).
    ShipmentStream shipments;
    TrackingStream tracking;
};

pipeline::Intent release_intent(const ShipmentsOptions& o, const model::Order& release) {
    if (!o.ship_vias.empty() && !o.ship_vias.contains(release.requested_service)) {
        return {.kind = pipeline::Intent::kNever,
                .reason = "ships via '" + release.requested_service + "' (options.ship_vias)"};
    }
    const std::string& status = release.source_status;
    if (status == ep::kReleaseHeld) {
        return {.kind = pipeline::Intent::kNotYet, .reason = "the order is on hold in Epicor"};
    }
    if (status == ep::kReleaseVoid) {
        return {.kind = pipeline::Intent::kClose, .reason = "voided in Epicor"};
    }
    if (status == ep::kReleaseClosed) {
        return {.kind = pipeline::Intent::kNever, .reason = "closed in Epicor"};
    }
    return {};
}

// What makes a new label necessary: where, how heavy, which service.
std::string draft_hash(const ups::UpsShipmentDraft& d) {
    std::string text = d.service_code + "|" + d.ship_to.street1 + "|" + d.ship_to.street2 + "|" +
                       d.ship_to.city + "|" + d.ship_to.state + "|" + d.ship_to.postal_code;
    for (const ups::UpsPackage& box : d.packages) {
        text.append("|").append(box.weight_lb.to_string()).append("/");
        text.append(box.declared_value.to_string());
    }
    return text;
}

void wire_shipments(Parts& p, UtcTime start) {
    const ShipmentsOptions& o = p.options;
    p.releases = std::make_unique<ep::ReleasesSource>(
        *p.epicor->client,
        ep::ReleaseOptions{.window = {.start = o.start.value_or(start), .overlap = o.overlap},
                           .page_size = o.page_size,
                           .per_order = o.per_order});
    p.shipments_out = std::make_unique<ups::ShipmentsTarget>(
        *p.ups->client, p.ups->shipper, [&p](const ups::LabelFile& label) -> Result<void> {
            MLC_CHECK(p.labels->write(label));
            return p.track_alert->shipped(label);  // Watched when tracking_via: track_alert.
        });
    p.shipments = ShipmentStream{
        .name = kShipmentsStream,
        .system = kReleaseSystem,
        .direction = "epicor->ups",
        .source = p.releases.get(),
        .target = p.shipments_out.get(),
        .resolver =
            [&p] {
                return std::make_unique<ReleaseResolver>(*p.epicor->client, *p.ups->client,
                                                         p.options);
            },
        .hash = draft_hash,
        .intent = [&p](const model::Order& release) { return release_intent(p.options, release); },
        .pages_per_run = o.pages_per_run};
}

// A release key "5012-1-1" (or "5012") -> its OrderNum.
Result<std::int64_t> order_of(const std::string& reference) {
    std::int64_t num = 0;
    const auto [end, ec] =
        std::from_chars(reference.data(), reference.data() + reference.size(), num);
    if (ec != std::errc() || num <= 0) {
        return make_error(ErrorCode::kInvalidInput, "ups",
                          "reference '" + reference + "' names no Epicor order");
    }
    (void)end;
    return num;
}

// "5012-1-1" -> that release; "5012" (a shipment per order) -> none: every release of the order.
std::vector<ep::ReleaseNum> releases_of(const std::string& reference) {
    std::array<std::int64_t, 3> nums{};
    const char* at = reference.data();
    const char* end = reference.data() + reference.size();
    for (std::size_t i = 0; i < nums.size(); ++i) {
        const auto [next, ec] = std::from_chars(at, end, nums[i]);
        if (ec != std::errc() || (i < 2 && (next == end || *next != '-'))) return {};
        at = next + 1;
        if (i == 2 && next != end) return {};
    }
    return {{.order_num = nums[0], .line = nums[1], .rel = nums[2]}};
}

ep::CarrierFields carrier_fields(const ShipmentsOptions& o) {
    return {.status = o.status_field,
            .delivered = o.delivered_field,
            .estimated_delivery = o.estimated_delivery_field,
            .on_pack = o.status_on.contains("pack"),
            .on_release = o.status_on.contains("release")};
}

std::string tracking_hash(const ep::TrackingDraft& d) {
    const auto day = [](const std::optional<UtcTime>& t) {
        return t ? std::to_string(t->time_since_epoch().count()) : std::string("-");
    };
    return d.write.tracking_number + "|" + d.status.text + "|" + day(d.status.delivered) + "|" +
           day(d.status.estimated_delivery);
}

void wire_tracking(Parts& p) {
    p.tracking_in = std::make_unique<ups::TrackingSource>(*p.ups->client);
    p.tracking_out = std::make_unique<ep::Tracking>(*p.epicor->client, carrier_fields(p.options));
    p.tracking = TrackingStream{
        .name = kTrackingStream,
        .system = kPackageSystem,
        .direction = "ups->epicor",
        .source = p.tracking_in.get(),
        .target = p.tracking_out.get(),
        .resolver = pipeline::resolve_with<model::TrackingEvent, ep::TrackingDraft>(
            [](const model::TrackingEvent& e, const std::string&) -> Result<ep::TrackingDraft> {
                MLC_TRY(std::int64_t order, order_of(e.reference));
                // Filled member by member: the braced temporary moved into the Result made
                // GCC 12 -O3 report its empty ship_via_code as maybe-uninitialized (a false
                // positive).
                ep::TrackingDraft draft;
                draft.write.order_num = order;
                draft.write.tracking_number = e.tracking_number;
                draft.write.ship_date = e.at;
                draft.carrier = "ups";
                draft.status = {.text = e.description.empty() ? e.status_code : e.description,
                                .delivered = e.delivered_at,
                                .estimated_delivery = e.estimated_delivery};
                draft.releases = releases_of(e.reference);
                return draft;
            }),
        .hash = tracking_hash,
        // Packages shipped by hand or by another system carry no release of this flow.
        .intent =
            [](const model::TrackingEvent& e) {
                if (!order_of(e.reference)) {
                    return pipeline::Intent{.kind = pipeline::Intent::kNever,
                                            .reason = "not shipped by this flow"};
                }
                return pipeline::Intent{};
            },
        .parent_system = kReleaseSystem,
        .parent_key = [](const model::TrackingEvent& e) { return e.reference; },
        .parent_missing =
            [](const model::TrackingEvent& e) {
                return make_error(ErrorCode::kUnresolved, "ups",
                                  "UPS package " + e.tracking_number + " (reference " +
                                      e.reference +
                                      ") belongs to no shipment of this flow yet: fix the "
                                      "release's dead letter, then replay this package");
            },
        .pages_per_run = p.options.pages_per_run};
}

std::filesystem::path labels_dir(const ShipmentsOptions& o, const engine::FlowConfig& flow,
                                 const engine::Config* config) {
    if (!o.labels_dir.empty()) return o.labels_dir;
    const std::string store = config != nullptr ? config->store.path : "./mlc-state.db";
    return std::filesystem::path(store).parent_path() / "labels" / safe_name(flow.name);
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    pipeline::add_poll(*flow, p.shipments);
    if (p.options.tracking) {
        add_tracking(*flow, p.tracking, p.track_alert.get());
    } else {
        flow->replay_route(kTrackingStream, [&p](const std::string& ref, engine::RunContext& ctx) {
            return pipeline::replay(p.tracking, ref, ctx);
        });
    }
    return flow;
}

}  // namespace

Result<std::filesystem::path> labels_dir_of(const engine::FlowConfig& flow,
                                            const engine::Config& config) {
    MLC_TRY(const ShipmentsOptions options, parse_shipments_options(flow));
    return labels_dir(options, flow, &config);
}

Result<std::unique_ptr<engine::FlowRunner>> make_shipments_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    MLC_TRY(parts->options, parse_shipments_options(flow));
    MLC_TRY(auto ends, connections::open_ends(
                           flow, deps, kShipmentsRecipe, "epicor", "ups",
                           [&](const auto& c) { return connections::open_epicor(c, deps); },
                           [&](const auto& c) { return connections::open_ups(c, deps); }));
    parts->epicor = std::move(ends.source);
    parts->ups = std::move(ends.target);
    parts->labels = std::make_unique<LabelFolder>(labels_dir(parts->options, flow, deps.config));
    parts->track_alert = std::make_unique<TrackAlert>(*parts->ups->client, deps.store, deps.vault,
                                                      flow.name, parts->options.track_alert);
    wire_shipments(*parts, deps.clock.now());
    wire_tracking(*parts);
    return compose(std::move(parts));
}

void add_epicor_ups_recipes(engine::RecipeRegistry& registry) {
    registry.add(kShipmentsRecipe, make_shipments_runner);
}

}  // namespace mlc::flows::epicor_ups
