// "acumatica-to-shipstation-orders": labels come back through SHIP_NOTIFY and the shipments poll
// together, each exactly once, while ShipStation's deliveries are lost or repeated (it signs
// nothing, delivers at most once and never retries, shipstation.md; a proxy may repeat a POST).
// Deliveries go through net::WebhookIntake into the inbox, as under `mlc run`.
#include <gtest/gtest.h>

#include <atomic>

#include <boost/json.hpp>

#include "connectors/shipstation/shipstation_webhooks.hpp"
#include "flows/acumatica_shipstation/e2e_world.hpp"
#include "net/webhook_intake.hpp"
#include "pipeline/webhooks.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace json = boost::json;

constexpr std::string_view kPublicBase = "http://mlc.test";
constexpr int kOrders = 9;  // Nine labels: three deliveries lost, three twice, three once.

class ShipNotifyTest : public AcumaticaToShipStationTest {
  protected:
    ShipNotifyTest()
        : intake_(net::WebhookIntakeDeps{
              .store = *store_,
              .clock = clock_,
              .secrets = pipeline::webhook_secrets(&vault_),
              .channels =
                  {{connectors::shipstation::kWebhookSource,
                    std::make_shared<connectors::shipstation::ShipStationWebhookChannel>()}},
              .notify = {},
              .metrics = nullptr,
              .logger = log_}) {
        public_base_ = std::string(kPublicBase);
        // ShipStation's POSTs reach the intake (/hooks/<flow>/<source>?token=...) as a lossy
        // network delivers them: the n-th is lost when n % 3 == 1, arrives twice when n % 3 == 2.
        transport_.add_route(public_base_, [this](const net::HttpRequest& request) {
            const int n = ++deliveries_;
            if (n % 3 == 1) {
                ++lost_;
                net::HttpResponse lost;
                lost.status = 502;  // A proxy in front failed; ShipStation never retries.
                return lost;
            }
            const std::string path = request.url.substr(0, request.url.find('?'));
            const auto source_at = path.rfind('/');
            const auto flow_at = path.rfind('/', source_at - 1);
            const std::string flow = path.substr(flow_at + 1, source_at - flow_at - 1);
            const std::string source = path.substr(source_at + 1);
            if (n % 3 == 2) {
                ++doubled_;
                (void)intake_.handle(request, flow, source);
            }
            return intake_.handle(request, flow, source);
        });
    }

    std::int64_t inbox(bool done) { return store_->count_inbox(flow_.name, done).value(); }
    // How many shipments the SHIP_NOTIFY path wrote (its receive audits say "N written").
    int written_by_webhooks() {
        store::AuditQuery query;
        query.flow = flow_.name;
        auto events = store_->query_audit(query);
        EXPECT_TRUE(events) << events.error().describe();
        int written = 0;
        for (const auto& event : events ? *events : std::vector<store::AuditEvent>{}) {
            if (event.action != store::AuditAction::kReceive) continue;
            int listed = 0;
            int count = 0;
            if (std::sscanf(event.detail.c_str(), "SHIP_NOTIFY: %d shipment(s) listed, %d written",
                            &listed, &count) == 2)
                written += count;
        }
        return written;
    }

    net::WebhookIntake intake_;
    std::atomic<int> deliveries_{0};
    int lost_ = 0;
    int doubled_ = 0;
};

TEST_F(ShipNotifyTest, WebhooksAndThePollBringEveryLabelBackOnceDespiteLostAndRepeatedDeliveries) {
    auto flow = runner();
    ASSERT_TRUE(flow);
    std::vector<std::string> keys;
    for (int i = 0; i < kOrders; ++i) keys.push_back("SO" + new_order(1 + i % 3));
    auto first = run(*flow);  // Subscribes SHIP_NOTIFY and sends the orders.
    ASSERT_TRUE(first) << first.error().describe();
    ASSERT_GE(shipstation_orders().size(), keys.size());

    // One label at a time, each announced by its own delivery, the flow running after each.
    int shipments_created = 0;
    for (int i = 0; i < kOrders; ++i) {
        clock_.advance(std::chrono::minutes(1));
        ASSERT_EQ(label(keys[i], "1ZHOOK" + std::to_string(i)), 200);
        host_.tick_all();  // ShipStation posts its SHIP_NOTIFY.
        auto summary = run(*flow);
        ASSERT_TRUE(summary) << summary.error().describe();
        shipments_created += summary->streams.at("shipments").created;
        EXPECT_EQ(summary->parked, 0);
    }
    EXPECT_EQ(deliveries_.load(), kOrders);
    EXPECT_EQ(lost_, kOrders / 3);
    EXPECT_EQ(doubled_, kOrders / 3);
    // Every label came back once: by its webhook when it arrived, by the poll when it was lost.
    EXPECT_EQ(shipments_created, kOrders);
    EXPECT_EQ(written_by_webhooks(), kOrders - lost_);
    EXPECT_EQ(inbox(/*done=*/false), 0);

    // Later runs re-read the poll's overlap and write nothing more.
    auto again = run(*flow);
    ASSERT_TRUE(again) << again.error().describe();
    EXPECT_EQ(again->created + again->updated + again->parked, 0);
    const auto tracking = acumatica_tracking();
    for (int i = 0; i < kOrders; ++i) {
        const std::string number = "1ZHOOK" + std::to_string(i);
        EXPECT_EQ(tracking.contains(number) ? tracking.at(number) : 0, 1) << number;
        const json::object order = acumatica_order(keys[i].substr(2));
        EXPECT_EQ(order.at("Status").at("value").as_string(), "Completed") << keys[i];
        EXPECT_EQ(order.at("Shipments").as_array().size(), 1u) << keys[i];
    }
    expect_every_session_closed();
}

}  // namespace
}  // namespace mlc::flows::acumatica_shipstation
