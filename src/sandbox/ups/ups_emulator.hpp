#pragma once
// UpsEmulator: UPS's REST APIs (../shared/specs/ups.md and the OpenAPI files in
// ../shared/specs/ups/) as a pure request handler, as strict as UPS:
//   POST /security/v1/oauth/token            client credentials (Basic), every answer field a
//                                            string, configurable lifetime, daily request cap
//   POST /api/addressvalidation/v2/{1|2|3}   valid / ambiguous / no candidates (ups_address_book)
//   POST /api/shipments/{version}/ship       1Z numbers with a real check digit, GIF/ZPL/EPL/SPL
//                                            labels, charges, references kept for tracking
//   DELETE /api/shipments/{version}/void/cancel/{id}
//   POST /api/labels/{version}/recovery      Label Recovery by TrackingNumber: the package's
//                                            label as shipped, in GIF/PDF/ZPL/EPL/SPL
//   GET /api/track/v1/details/{number}, GET /api/track/v1/reference/details/{reference}
//   POST /api/quantumview/v3/events          unread events, base64 Bookmark paging
//   POST /api/track/v2/subscription/{standard|enhanced}/package   Track Alert, pushed from tick()
// Every error is {"response": {"errors": [{"code", "message"}]}}. Package histories follow the
// emulator's clock (ups_timeline.hpp) and roll off after 120 days.
//
// Control routes (below /__sandbox/): GET state (subscriptions with their expiry and `lapsed`:
// expired before the package was delivered), POST config {"token_lifetime_seconds",
// "daily_token_cap", "subscription_lifetime_seconds"} (tests shorten the 14 days), POST
// tokens/revoke {"access_token"} (none: every token), POST throttle
// {"count": N} (the next N API calls answer 429 10429), POST packages/{number}/advance (its next
// scan happens now), POST packages/{number}/deliver, POST trackalert/webhook {"url",
// "credential"} (the portal's push URL and its x-api-key: a subscription without both is
// refused, VSS600 / VSS700).
//
// Lifecycle: built by the sandbox framework (or a test) with an EmulatorContext; lives as long as
// the host. Thread safety: none of its own; the framework serialises every call (emulator.hpp).
// Ownership: borrows the context's clock and outbound transport.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "sandbox/emulator.hpp"
#include "sandbox/ups/ups_address_book.hpp"
#include "sandbox/ups/ups_timeline.hpp"

namespace mlc::sandbox::ups {

class UpsEmulator final : public Emulator {
  public:
    static constexpr std::chrono::seconds kTokenLifetimeDefault{14399};  // "expires_in": "14399"
    static constexpr int kDailyTokenCapDefault = 250;      // Widely reported daily token cap.
    static constexpr std::size_t kCandidatesDefault = 15;  // maximumcandidatelistsize default
    static constexpr std::size_t kCandidatesMax = 50;      // maximumcandidatelistsize 0-50
    static constexpr std::size_t kAddressLinesMax = 3;     // AddressLine maximum: 3
    static constexpr std::size_t kPackagesPerShipmentMax = 200;
    static constexpr std::size_t kReferencesPerPackageMax = 5;
    static constexpr std::size_t kVoidNumbersMax = 20;           // Void: up to 20 tracking numbers
    static constexpr std::chrono::hours kHistoryKept{24 * 120};  // Tracking rolls off at 120 days
    static constexpr std::size_t kTrackAlertNumbersMax = 100;    // Per subscription request
    static constexpr std::chrono::hours kSubscriptionLifetime{24 * 14};
    static constexpr std::size_t kQuantumViewPageEvents = 50;  // Events per QV answer (choice)
    static constexpr std::chrono::hours kQuantumViewRangeMax{24 * 7};  // DateTimeRange: 7 days
    static constexpr std::size_t kPushesPerTickMax = 200;
    static constexpr std::size_t kDeliveriesKept = 1'000;
    static constexpr std::size_t kSeedShipmentsMax = 5'000;
    static constexpr std::size_t kStateRecordsMax = 2'000;

    explicit UpsEmulator(EmulatorContext context);
    ~UpsEmulator() override;

    std::string_view system() const override { return "ups"; }
    net::HttpResponse handle(const net::HttpRequest& request) override;
    net::HttpResponse control(const net::HttpRequest& request, std::string_view route) override;
    boost::json::object connection_info(std::string_view base_url) const override;
    void tick() override;
    void set_base_url(std::string_view base_url) override { base_url_ = base_url; }

    std::string client_id() const;
    std::string client_secret() const;
    std::string shipper_number() const;         // The account shipments are billed to
    std::string second_shipper_number() const;  // A second account (x-merchant-id routing)
    const AddressBook& address_book() const { return book_; }

  private:
    struct Token {
        UtcTime issued = {};
        std::chrono::seconds lifetime = {};
        std::string merchant_id = {};
        bool revoked = false;
    };
    struct Package {
        std::string tracking = {};
        std::string shipment_id = {};
        std::string shipper_number = {};
        std::vector<std::string> references = {};  // Package-level then shipment-level values
        std::string weight_lbs = {};               // "5.0"
        std::string ship_to_name = {};
        std::string label_format = {};  // "" for seeded packages
        std::string label_base64 = {};
        PackagePlan plan = {};
        std::chrono::seconds shift{0};  // control advance: the plan happens this much earlier
        bool voided = false;
        UtcTime voided_at = {};
    };
    struct Shipment {
        std::vector<std::size_t> packages = {};
        std::string total_charges = {};
        bool voided = false;
    };
    struct Subscription {
        UtcTime expiry = {};
        bool lapsed = false;        // Once expired before its package was delivered
        UtcTime pushed_until = {};  // Events up to here were pushed (or predate the subscription)
    };
    // A position in the Quantum View event order (time, then tracking number, then scan index).
    struct EventKey {
        std::int64_t at_us = 0;
        std::string tracking = {};
        std::size_t index = 0;
        auto operator<=>(const EventKey&) const = default;
    };
    struct QvEvent {
        EventKey key = {};
        const Package* package = nullptr;
        TrackEvent event = {};
    };

    net::HttpResponse dispatch(const net::HttpRequest& request);
    net::HttpResponse create_token(const net::HttpRequest& request);
    std::optional<net::HttpResponse> check_bearer(const net::HttpRequest& request);
    net::HttpResponse validate_address(const net::HttpRequest& request, std::string_view option);
    net::HttpResponse ship(const net::HttpRequest& request, std::string_view version);
    net::HttpResponse void_shipment(const net::HttpRequest& request, std::string_view id);
    net::HttpResponse recover_label(const net::HttpRequest& request, std::string_view version);
    net::HttpResponse track(const net::HttpRequest& request, std::string_view number,
                            bool by_reference);
    net::HttpResponse quantum_view(const net::HttpRequest& request);
    net::HttpResponse subscribe(const net::HttpRequest& request, std::string_view type);

    net::HttpResponse control_state() const;
    net::HttpResponse control_config(const net::HttpRequest& request);
    net::HttpResponse control_revoke(const net::HttpRequest& request);
    net::HttpResponse control_package(std::string_view number, std::string_view action);

    void seed_shipments();
    std::size_t add_package(Package package);
    Package* find_package(std::string_view tracking);
    const Package* find_package(std::string_view tracking) const;
    bool rolled_off(const Package& package) const;
    Timeline timeline_of(const Package& package) const;
    std::vector<TrackEvent> visible_events(const Package& package) const;
    boost::json::object render_package(const Package& package) const;
    std::vector<QvEvent> quantum_view_events(const EventKey& after, UtcTime until) const;
    boost::json::object render_quantum_view(const std::vector<QvEvent>& page) const;
    void push_events(const std::string& tracking, Subscription& subscription);
    bool delivered_by(std::string_view tracking, UtcTime at) const;

    EmulatorContext context_;
    AddressBook book_;
    std::string base_url_ = "https://onlinetools.ups.com";
    std::unordered_map<std::string, Token> tokens_;  // access_token -> token
    std::uint64_t tokens_issued_ = 0;
    std::int64_t token_day_ = -1;  // Days since the epoch of token_day_count_ (emulator clock)
    int token_day_count_ = 0;
    std::chrono::seconds token_lifetime_ = kTokenLifetimeDefault;
    int daily_token_cap_ = kDailyTokenCapDefault;
    int throttle_remaining_ = 0;
    std::vector<Package> packages_;
    std::unordered_map<std::string, std::size_t> by_tracking_;
    std::unordered_multimap<std::string, std::size_t> by_reference_;
    std::map<std::string, Shipment> shipments_;  // ShipmentIdentificationNumber -> shipment
    std::uint64_t next_serial_ = 1;
    EventKey quantum_view_read_{};  // Unread Quantum View data starts after this position
    std::map<std::string, Subscription> subscriptions_;  // Track Alert, by tracking number
    std::chrono::seconds subscription_lifetime_ = kSubscriptionLifetime;
    std::string push_url_;
    std::string push_credential_;
    boost::json::array deliveries_;
};

std::unique_ptr<Emulator> make_ups_emulator(EmulatorContext context);

}  // namespace mlc::sandbox::ups
