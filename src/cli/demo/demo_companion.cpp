#include "cli/demo/demo_companion.hpp"

#include <fmt/format.h>

#include "cli/cli_context.hpp"

namespace mlc::cli::demo {
namespace {

// The companion looks at the world this often: short enough that `stop` is seen at once.
constexpr std::chrono::milliseconds kTurn{500};
// Fates (edit, cancel, label) played per turn, at most: a steady trickle, as people work.
constexpr std::size_t kActionsPerTurnMax = 20;
// Dead-letter messages are quoted up to this length; `deadletters show` has the rest.
constexpr std::size_t kMessageQuoteMax = 220;
// Keys of missing orders named in a failed final summary, at most.
constexpr std::size_t kMissingNamedMax = 5;
// The daemon runs the due flows one after another: on a busy machine a round of six flows' first
// runs takes over a minute, and the UPS tracking of the last shipments comes with the UPS flow's
// next run, a round later.
constexpr std::chrono::seconds kWaitBase{180};
constexpr std::chrono::milliseconds kWaitPerOrder{500};

std::string clock_text(std::chrono::nanoseconds elapsed) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    return fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

std::string quote_message(const std::string& message) {
    std::string out = message.substr(0, kMessageQuoteMax);
    for (char& c : out) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return message.size() > kMessageQuoteMax ? out + "..." : out;
}

}  // namespace

std::chrono::seconds wait_budget(std::size_t orders) {
    return kWaitBase + std::chrono::duration_cast<std::chrono::seconds>(
                           kWaitPerOrder * static_cast<std::int64_t>(orders));
}

DemoCompanion::DemoCompanion(ShipStationTraffic& traffic, DemoSideTraffic side, Clock& clock,
                             std::ostream& out, DemoCompanionSettings settings)
    : traffic_(traffic),
      woo_(side.woo),
      acumatica_(side.acumatica),
      ups_(side.ups),
      amazon_(side.amazon),
      clock_(clock),
      out_(out),
      settings_(std::move(settings)) {}

void DemoCompanion::run(const DaemonView& view, const std::atomic<bool>& stop) {
    started_ = clock_.steady_now();
    next_order_ = started_;
    SteadyTime next_summary = started_ + kSummaryEvery;
    out_ << "demo: flows running; web console " << view.base_url << "/ (summary every "
         << kSummaryEvery.count() << "s; Ctrl-C stops)\n"
         << std::flush;
    if (settings_.orders) {
        // One import, as a store sync into ShipStation would: N orders plus one that sells a SKU
        // Epicor lacks, so a dead letter shows too.
        auto created = traffic_.create_orders(*settings_.orders + 1, 1);
        if (!created) return fail(view, created.error());
        wrote_since_trigger_ = true;
        if (acumatica_active()) {
            // As many Acumatica sales orders, entered at once.
            auto entered = acumatica_->create_orders(*settings_.orders);
            if (!entered) return fail(view, entered.error());
            acumatica_wrote_ = true;
        }
        if (ups_active()) {
            // As many confirmed Epicor orders shipping via UPS.
            auto entered = ups_->create_orders(*settings_.orders);
            if (!entered) return fail(view, entered.error());
            ups_wrote_ = true;
        }
        if (amazon_active()) {
            auto placed = amazon_->create_orders(*settings_.orders);
            if (!placed) return fail(view, placed.error());
        }
    }
    next_settlement_ = started_ + kSettlementEvery;
    // Amazon's orders are readable two minutes after they were placed: the wait starts then.
    const SteadyTime deadline = started_ + wait_budget(settings_.orders.value_or(0)) +
                                (amazon_active() ? kSearchLag : std::chrono::seconds{0});
    // Bounded by `stop`, and in --exit-when-done mode by the deadline.
    while (!stop.load()) {
        const SteadyTime now = clock_.steady_now();
        if (!turn(view, now)) return;
        if (now >= next_summary) {
            print_summary(view, now);
            next_summary = now + kSummaryEvery;
        }
        if (settings_.exit_when_done && (done() || now >= deadline)) {
            print_final(view, now, done());
            view.scheduler.request_stop();
            return;
        }
        clock_.sleep_for(kTurn);
    }
    print_summary(view, clock_.steady_now());
}

Result<void> DemoCompanion::woo_turn(const DaemonView& view, bool new_order) {
    if (woo_ == nullptr || settings_.woo_orders_flow.empty()) return ok();
    if (new_order) {
        MLC_TRY(const bool sold, woo_->checkout());
        (void)sold;  // False until the catalog flow has stocked the store: try again next time.
    }
    MLC_CHECK(woo_->refresh(view.store, settings_.woo_orders_flow));
    MLC_TRY(const std::size_t steps, woo_->act(kActionsPerTurnMax));
    (void)steps;  // Woo announces them to the flow by webhook.
    return ok();
}

bool DemoCompanion::acumatica_active() const {
    return acumatica_ != nullptr && !settings_.acumatica_flow.empty();
}

Result<void> DemoCompanion::acumatica_turn(const DaemonView& view, SteadyTime now, bool new_order) {
    if (!acumatica_active()) return ok();
    if (new_order) {
        MLC_TRY(const std::size_t entered, acumatica_->create_orders(1));
        acumatica_wrote_ = acumatica_wrote_ || entered > 0;
    }
    MLC_CHECK(acumatica_->refresh(view.store, settings_.acumatica_flow));
    MLC_TRY(const std::size_t steps, acumatica_->act(kActionsPerTurnMax));
    acumatica_wrote_ = acumatica_wrote_ || steps > 0;
    // Acumatica has no webhook the flow listens to (the fact sheet's push notifications are a
    // trigger, never the guarantee): the demo wakes the flow after it wrote, as a person's save
    // would through a notification, and the schedule does the rest.
    const bool waiting = settings_.exit_when_done && !acumatica_done();
    if ((acumatica_wrote_ || waiting) &&
        (!acumatica_last_trigger_ || now - *acumatica_last_trigger_ >= kAcumaticaTriggerSpacing)) {
        view.scheduler.trigger(settings_.acumatica_flow);
        acumatica_last_trigger_ = now;
        acumatica_wrote_ = false;
    }
    return ok();
}

bool DemoCompanion::ups_active() const { return ups_ != nullptr && !settings_.ups_flow.empty(); }

Result<void> DemoCompanion::ups_turn(const DaemonView& view, SteadyTime now, bool new_order) {
    if (!ups_active()) return ok();
    if (new_order) {
        MLC_TRY(const std::size_t entered, ups_->create_orders(1));
        ups_wrote_ = ups_wrote_ || entered > 0;
    }
    MLC_CHECK(ups_->refresh(view.store, settings_.ups_flow));
    // The carrier's world: shipped packages get their origin scan, later their delivery.
    MLC_TRY(const std::size_t moved, ups_->act(kActionsPerTurnMax));
    ups_wrote_ = ups_wrote_ || moved > 0;
    // The flow polls Epicor and UPS (no webhook): the demo wakes it after it wrote, as a person
    // pressing "sync now" would; the schedule does the rest.
    const bool waiting = settings_.exit_when_done && !ups_done();
    if ((ups_wrote_ || waiting) &&
        (!ups_last_trigger_ || now - *ups_last_trigger_ >= kUpsTriggerSpacing)) {
        view.scheduler.trigger(settings_.ups_flow);
        ups_last_trigger_ = now;
        ups_wrote_ = false;
    }
    return ok();
}

bool DemoCompanion::turn(const DaemonView& view, SteadyTime now) {
    bool woo_order_due = false;
    bool acumatica_order_due = false;
    if (!settings_.orders && settings_.orders_per_minute > 0 && now >= next_order_) {
        const std::size_t sequence = traffic_.orders().size() + 1;
        const bool unknown = sequence % kUnknownSkuEvery == 3;
        auto created = traffic_.create_orders(1, unknown ? 1 : 0);
        if (!created) {
            fail(view, created.error());
            return false;
        }
        wrote_since_trigger_ = wrote_since_trigger_ || *created > 0;
        woo_order_due = sequence % 2 == 0;
        acumatica_order_due = sequence % 2 == 1;
        next_order_ = now + std::chrono::milliseconds{std::chrono::minutes{1}} /
                                static_cast<std::int64_t>(settings_.orders_per_minute);
    }
    if (auto read = traffic_.refresh(view.store, settings_.orders_flow); !read) {
        fail(view, read.error());
        return false;
    }
    auto steps = traffic_.act(kActionsPerTurnMax);
    if (!steps) {
        fail(view, steps.error());
        return false;
    }
    wrote_since_trigger_ = wrote_since_trigger_ || *steps > 0;
    if (auto woo = woo_turn(view, woo_order_due); !woo) {
        fail(view, woo.error());
        return false;
    }
    if (auto acumatica = acumatica_turn(view, now, acumatica_order_due); !acumatica) {
        fail(view, acumatica.error());
        return false;
    }
    if (auto ups = ups_turn(view, now, woo_order_due); !ups) {
        fail(view, ups.error());
        return false;
    }
    if (auto amazon = amazon_turn(view, now, acumatica_order_due); !amazon) {
        fail(view, amazon.error());
        return false;
    }
    // In --exit-when-done mode keep the flow busy until everything moved; otherwise wake it only
    // after the demo wrote something (the schedule does the rest).
    const bool waiting = settings_.exit_when_done && !done();
    if ((wrote_since_trigger_ || waiting) &&
        (!last_trigger_ || now - *last_trigger_ >= kTriggerSpacing)) {
        view.scheduler.trigger(settings_.orders_flow);
        last_trigger_ = now;
        wrote_since_trigger_ = false;
    }
    return true;
}

bool DemoCompanion::amazon_active() const {
    return amazon_ != nullptr && !settings_.amazon_orders_flow.empty();
}

Result<void> DemoCompanion::amazon_turn(const DaemonView& view, SteadyTime now, bool new_order) {
    if (!amazon_active()) return ok();
    if (new_order) {
        MLC_TRY(const std::size_t placed, amazon_->create_orders(1));
        (void)placed;
    }
    MLC_CHECK(amazon_->refresh(view.store, {.config = view.config,
                                            .orders = settings_.amazon_orders_flow,
                                            .settlements = settings_.amazon_settlements_flow}));
    // The seller ships what is in Epicor, in Epicor; the orders flow confirms the packs to Amazon
    // (the next settlement holds them).
    MLC_TRY(const std::size_t shipped, amazon_->act(kActionsPerTurnMax));
    // No webhook brings Amazon orders (the flow polls): the demo wakes the flow when orders
    // became readable or packs were shipped, and while it waits for them; the schedule does the
    // rest.
    const AmazonCounts c = amazon_->counts();
    const bool waiting = settings_.exit_when_done &&
                         (c.in_epicor < c.placed || c.shipped < c.in_epicor) &&
                         now - started_ >= kSearchLag;
    const bool readable = amazon_->visible(now) || shipped > 0;
    if ((readable || waiting) &&
        (!amazon_last_trigger_ || now - *amazon_last_trigger_ >= kAmazonTriggerSpacing)) {
        view.scheduler.trigger(settings_.amazon_orders_flow);
        amazon_last_trigger_ = now;
    }
    return amazon_settle(view, now);
}

// Amazon closes a settlement every kSettlementEvery (--exit-when-done: one, once the demo's orders
// shipped); the demo wakes the settlements flow after each and while one awaits posting.
Result<void> DemoCompanion::amazon_settle(const DaemonView& view, SteadyTime now) {
    if (settings_.amazon_settlements_flow.empty()) return ok();
    const AmazonCounts c = amazon_->counts();
    const bool due = settings_.exit_when_done
                         ? c.closed == 0 && c.placed > 0 && c.shipped == c.placed
                         : now >= next_settlement_;
    bool wake = false;
    if (due) {
        MLC_CHECK(amazon_->close_settlement());
        next_settlement_ = now + kSettlementEvery;
        wake = true;
    }
    const bool awaited = c.closed > c.posted + c.held;
    if ((wake || awaited) &&
        (!settlements_last_trigger_ || now - *settlements_last_trigger_ >= kAmazonTriggerSpacing)) {
        view.scheduler.trigger(settings_.amazon_settlements_flow);
        settlements_last_trigger_ = now;
    }
    return ok();
}

bool DemoCompanion::amazon_done() const {
    if (!amazon_active()) return true;
    const AmazonCounts c = amazon_->counts();
    const bool settled = settings_.amazon_settlements_flow.empty() ||
                         (c.closed > 0 && c.posted >= c.closed && c.checked_ok == c.posted);
    return c.in_epicor == c.placed && c.shipped == c.placed && settled;
}

std::string DemoCompanion::amazon_figures() const {
    const auto& last = amazon_->last_settlement();
    if (!last) return "";
    return fmt::format("last {}: {} journal(s), journal net {} {} deposit {}, check {}", last->id,
                       last->journals, last->journal_net.to_string(), last->ok ? "=" : "vs",
                       last->deposit.to_string(), last->ok ? "ok" : "FAILED");
}

void DemoCompanion::print_amazon_final(bool complete) {
    if (!amazon_active()) return;
    const AmazonCounts c = amazon_->counts();
    std::string missing;
    if (!complete) {
        const auto ids = amazon_->not_in_epicor();
        for (std::size_t i = 0; i < ids.size() && i < kMissingNamedMax; ++i)
            missing += " " + ids[i];
    }
    out_ << fmt::format(
        "amazon: {} of {} orders in Epicor, {} shipped; settlements: {} closed, {} posted, {} "
        "held; {}{}{}\n",
        c.in_epicor, c.placed, c.shipped, c.closed, c.posted, c.held, amazon_figures(),
        missing.empty() ? "" : "; not in Epicor:", missing);
}

bool DemoCompanion::acumatica_done() const {
    if (!acumatica_active()) return true;
    const AcumaticaCounts a = acumatica_->counts();
    return a.landed == a.created && a.fates_pending == 0 && a.shipped == a.labelled;
}

bool DemoCompanion::ups_done() const {
    if (!ups_active()) return true;
    const UpsCounts u = ups_->counts();
    return u.shipped + u.ambiguous == u.created && u.tracked == u.shipped &&
           u.parked == u.ambiguous;
}

bool DemoCompanion::done() const {
    const TrafficCounts c = traffic_.counts();
    return c.created > 0 && c.landed == c.expected_to_land && c.fates_pending == 0 &&
           c.tracked == c.labelled && c.parked == c.unknown_sku && acumatica_done() && ups_done() &&
           amazon_done();
}

void DemoCompanion::print_summary(const DaemonView& view, SteadyTime now) {
    const TrafficCounts c = traffic_.counts();
    out_ << "-- demo " << clock_text(now - started_) << " " << std::string(60, '-') << "\n"
         << fmt::format(
                "ShipStation   {} orders created ({} selling unknown SKU {}), {} address "
                "edited, {} cancelled, {} labelled\n",
                c.created, c.unknown_sku, kUnknownSku, c.edited, c.cancelled, c.labelled)
         << fmt::format("Epicor        {} of {} orders landed, tracking on {} of {} labelled\n",
                        c.landed, c.expected_to_land, c.tracked, c.labelled);
    if (woo_ != nullptr && !settings_.woo_orders_flow.empty()) {
        const WooCounts w = woo_->counts();
        if (w.catalog_in_store || settings_.orders) {
            out_ << fmt::format(
                "WooCommerce   {} store orders ({} completed, {} part-refunded), "
                "{} landed in Epicor\n",
                w.created, w.completed, w.refunded, w.landed);
        } else {
            out_ << "WooCommerce   waiting for the catalog flow to stock the store with the demo's "
                    "parts\n";
        }
    }
    if (acumatica_active()) {
        const AcumaticaCounts a = acumatica_->counts();
        out_ << fmt::format(
            "Acumatica     {} sales orders entered, {} in ShipStation, {} cancelled there, "
            "{} labelled, {} back shipped (Acumatica shipment confirmed with tracking)\n",
            a.created, a.landed, a.cancelled, a.labelled, a.shipped);
    }
    print_ups_summary();
    if (amazon_active()) {
        const AmazonCounts a = amazon_->counts();
        const std::string figures = amazon_figures();
        out_ << fmt::format(
            "Amazon        {} orders placed, {} in Epicor, {} shipped there and confirmed to "
            "Amazon; settlements: {} closed, {} "
            "posted, {} held{}{}{}\n",
            a.placed, a.in_epicor, a.shipped, a.closed, a.posted, a.held,
            figures.empty() ? "" : " (", figures, figures.empty() ? "" : ")");
    }
    const auto& letters = traffic_.dead_letters();
    if (letters.empty()) {
        out_ << "dead letters  none open\n";
    } else {
        const OpenDeadLetter& first = letters.front();
        out_ << fmt::format("dead letters  {} open; #{} {}: {}\n", letters.size(), first.id,
                            first.source_key, quote_message(first.message))
             << fmt::format(
                    "  fix         map the SKU in mlc.yaml (flows.{}.mappings.parts) or "
                    "create the part in Epicor, then: {} deadletters replay {}\n",
                    settings_.orders_flow, settings_.command_prefix, first.id);
    }
    out_ << fmt::format("console       {}/   (or {} status)\n", view.base_url,
                        settings_.command_prefix)
         << std::flush;
}

void DemoCompanion::print_final(const DaemonView& view, SteadyTime now, bool complete) {
    print_summary(view, now);
    const TrafficCounts c = traffic_.counts();
    const std::size_t shipped = c.labelled;
    if (complete) {
        out_ << fmt::format(
            "demo done: {} of {} orders landed in Epicor; tracking on {} of {} shipped orders; "
            "{} address edited, {} cancelled; {} order(s) with unknown SKU {} parked as dead "
            "letters (as intended)\n",
            c.landed, c.expected_to_land, c.tracked, shipped, c.edited, c.cancelled, c.parked,
            kUnknownSku);
        verdict_ = kExitOk;
    } else {
        std::string missing;
        std::size_t named = 0;
        for (const DemoOrder& order : traffic_.orders()) {
            if (order.spec.unknown_sku || order.landed) continue;
            if (named++ < kMissingNamedMax) missing += " " + order.key;
        }
        out_ << fmt::format(
            "demo incomplete after {}s: {} of {} orders landed in Epicor; tracking on {} of {} "
            "shipped orders; {} landed order(s) still waiting for their edit/cancel/label; {} of "
            "{} unknown-SKU order(s) parked.{}{}\n",
            std::chrono::duration_cast<std::chrono::seconds>(now - started_).count(), c.landed,
            c.expected_to_land, c.tracked, shipped, c.fates_pending, c.parked, c.unknown_sku,
            missing.empty() ? "" : " Not landed:", missing);
        verdict_ = kExitFailure;
    }
    print_acumatica_final(complete);
    print_ups_final(complete);
    print_amazon_final(complete);
    out_ << std::flush;
}

void DemoCompanion::print_acumatica_final(bool complete) {
    if (!acumatica_active()) return;
    const AcumaticaCounts a = acumatica_->counts();
    std::string missing;
    if (!complete) {
        const auto keys = acumatica_->not_landed();
        for (std::size_t i = 0; i < keys.size() && i < kMissingNamedMax; ++i) {
            missing += " " + keys[i];
        }
    }
    out_ << fmt::format(
        "acumatica: {} of {} sales orders in ShipStation; {} of {} labelled orders back shipped "
        "in Acumatica; {} cancelled{}{}\n",
        a.landed, a.created, a.shipped, a.labelled, a.cancelled,
        missing.empty() ? "" : "; not in ShipStation:", missing);
}

void DemoCompanion::print_ups_summary() {
    if (!ups_active()) return;
    const UpsCounts u = ups_->counts();
    out_ << fmt::format(
        "UPS           {} Epicor orders confirmed (ship via {}), {} shipped by UPS ({} with "
        "tracking back in Epicor), {} in transit, {} delivered, {} parked\n",
        u.created, kUpsDemoShipVia, u.shipped, u.tracked, u.in_transit, u.delivered, u.parked);
    const auto& letters = ups_->dead_letters();
    if (letters.empty()) return;
    const OpenDeadLetter& first = letters.front();
    out_ << fmt::format("  UPS letter  #{} release {}: {}\n", first.id, first.source_key,
                        quote_message(first.message))
         << fmt::format(
                "  fix         pick a candidate, correct the order's ship-to in Epicor, then: {} "
                "deadletters replay {}\n",
                settings_.command_prefix, first.id);
}

void DemoCompanion::print_ups_final(bool complete) {
    if (!ups_active()) return;
    const UpsCounts u = ups_->counts();
    std::string missing;
    if (!complete) {
        const auto orders = ups_->not_shipped();
        for (std::size_t i = 0; i < orders.size() && i < kMissingNamedMax; ++i) {
            missing += " " + orders[i];
        }
    }
    const auto foreign = ups_->foreign_packages();
    out_ << fmt::format(
        "ups: {} of {} Epicor orders shipped by UPS; tracking back on {} of {} shipped; {} in "
        "transit, {} delivered; {} of {} ambiguous-address orders parked; other Epicor orders "
        "shipped by UPS: {}{}{}\n",
        u.shipped, u.created - u.ambiguous, u.tracked, u.shipped, u.in_transit, u.delivered,
        u.parked, u.ambiguous, foreign ? std::to_string(*foreign) : foreign.error().describe(),
        missing.empty() ? "" : "; not shipped (Epicor order):", missing);
}

void DemoCompanion::fail(const DaemonView& view, const Error& error) {
    out_ << std::flush;
    print_error(error);
    verdict_ = kExitFailure;
    view.scheduler.request_stop();
}

}  // namespace mlc::cli::demo
