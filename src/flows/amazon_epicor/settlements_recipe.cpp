#include "flows/amazon_epicor/settlements_recipe.hpp"

#include <set>

#include "connectors/amazon/amazon_reports.hpp"
#include "connectors/epicor/epicor_journals.hpp"
#include "flows/amazon_epicor/settlements_options.hpp"
#include "flows/connections/amazon_connection.hpp"
#include "flows/connections/epicor_connection.hpp"
#include "flows/connections/flow_connections.hpp"
#include "pipeline/compose.hpp"
#include "pipeline/fold.hpp"

namespace mlc::flows::amazon_epicor {
namespace {

namespace ep = connectors::epicor;
using Line = amz::SettlementLine;
using SettlementGroup = pipeline::Group<Line>;
using SettlementStream = pipeline::Stream<SettlementGroup, ep::JournalSet>;

struct Parts {
    SettlementsOptions options;
    std::unique_ptr<connections::AmazonConnection> amazon;
    std::unique_ptr<connections::EpicorConnection> epicor;
    std::unique_ptr<amz::SettlementReports> reports;
    std::unique_ptr<pipeline::FoldSource<Line>> folded;
    std::unique_ptr<ep::Journals> journals;
    SettlementStream stream;
    UtcTime built = {};
    std::set<std::int64_t> retried;  // Held letters this runner tried again.
};

Result<SettlementLedger> ledger_of(const SettlementsOptions& o,
                                   const std::vector<connectors::Record<Line>>& items) {
    if (items.empty() || !items.front().value.summary) {
        return make_error(ErrorCode::kInvalidInput, "amazon", "a settlement without lines");
    }
    std::vector<Line> lines;
    lines.reserve(items.size());
    for (const auto& item : items) lines.push_back(item.value);
    return settlement_ledger(*items.front().value.summary, lines, o.ledger);
}

bool is_fee(std::string_view group) {
    using G = amz::SettlementGroup;
    for (const G fee : {G::kReferralFees, G::kFbaFees, G::kOtherFees, G::kAdvertising}) {
        if (group == amz::to_string(fee)) return true;
    }
    return false;
}

// With fees_invoice, the fee lines debit the AP account (the invoice, netted by Amazon) and the
// fees become an AP invoice of Amazon's supplier, numbered by the settlement id.
ep::JournalSet journal_set(const SettlementsOptions& o, const SettlementLedger& ledger) {
    ep::JournalSet set{.reference = o.reference_prefix + ledger.summary.id,
                       .group_prefix = o.group_prefix};
    Decimal fees;
    for (const PeriodJournal& j : ledger.journals) {
        ep::JournalDraft draft{
            .fiscal_year = j.period.year, .fiscal_period = j.period.period, .date = j.date};
        for (const PostingLine& line : j.lines) {
            const bool invoiced = o.fees_invoice && is_fee(line.description);
            if (invoiced) fees += line.amount;
            draft.lines.push_back(
                {invoiced ? o.ap_account : line.account, line.amount, line.description});
        }
        set.journals.push_back(std::move(draft));
    }
    if (o.fees_invoice && !fees.is_zero()) {
        set.invoice = ep::InvoiceDraft{.vendor_num = o.vendor_num,
                                       .invoice_num = ledger.summary.id,
                                       .amount = fees,
                                       .date = ledger.journals.back().date,
                                       .currency = ledger.summary.currency};
    }
    return set;
}

std::string set_hash(const ep::JournalSet& set) {
    std::string text = set.reference;
    for (const auto& j : set.journals) {
        // Appended: GCC 12's false -Wrestrict at -O3 (bug 105651) on literal + string.
        text.append(1, '|').append(std::to_string(j.fiscal_year)).append(1, '/');
        text.append(std::to_string(j.fiscal_period));
        for (const auto& line : j.lines) {
            text.append(1, ';').append(line.account).append(1, '=').append(line.amount.to_string());
        }
    }
    if (set.invoice) text += "|AP " + set.invoice->amount.to_string();
    return text;
}

void wire(Parts& p) {
    const SettlementsOptions& o = p.options;
    p.reports = std::make_unique<amz::SettlementReports>(
        *p.amazon->client, amz::SettlementReportsOptions{.start = o.start});
    p.folded = std::make_unique<pipeline::FoldSource<Line>>(
        *p.reports,
        pipeline::FoldRules<Line>{
            .group_of = [](const Line& line) { return line.settlement_id; },
            .read_group = [&p](const std::string& id) { return p.reports->read_settlement(id); },
            .label = "settlement"});
    p.journals = std::make_unique<ep::Journals>(*p.epicor->client);
    p.stream = SettlementStream{
        .name = kSettlementsStream,
        .system = kSettlementSystem,
        .direction = "amazon->epicor",
        .source = p.folded.get(),
        .target = p.journals.get(),
        .resolver = pipeline::resolve_with<SettlementGroup, ep::JournalSet>(
            [&p](const SettlementGroup& group, const std::string&) -> Result<ep::JournalSet> {
                MLC_TRY(SettlementLedger ledger, ledger_of(p.options, group.items));
                if (!ledger.check.ok()) {
                    return make_error(ErrorCode::kInvalidInput, "amazon",
                                      "settlement " + group.key +
                                          " does not reconcile: " + describe_ledger(ledger));
                }
                return journal_set(p.options, ledger);
            }),
        .hash = set_hash,
        .target_key =
            [&p](const SettlementGroup& group) { return p.options.reference_prefix + group.key; },
        .pages_per_run = o.pages_per_run};
}

// Held settlements tried once more by a runner built after they were held (its config may map
// what they lacked).
Result<void> retry_held(Parts& p, engine::RunContext& ctx) {
    if (ctx.dry_run) return ok();
    MLC_TRY(auto letters,
            ctx.store.list_dead_letters(ctx.flow, store::DeadLetterStatus::kOpen, 1000));
    for (const auto& letter : letters) {
        if (letter.source_system != kSettlementSystem || letter.last_seen >= p.built ||
            !p.retried.insert(letter.id).second) {
            continue;
        }
        const auto key = pipeline::parse_replay_key(letter.replay_json);
        if (!key || key->stream != kSettlementsStream) continue;
        auto replayed = pipeline::replay(p.stream, key->ref, ctx);
        if (replayed) {
            // As the engine marks a letter `mlc deadletters replay` wrote.
            MLC_CHECK(
                ctx.store.set_dead_letter_status(letter.id, store::DeadLetterStatus::kReplayed));
            ctx.log.info("flow {}: held settlement {} posted", ctx.flow, letter.source_key);
            continue;
        }
        if (next_action(replayed.error().code) != NextAction::kPark) return replayed.error();
        ctx.log.info("flow {}: settlement {} still held: {}", ctx.flow, letter.source_key,
                     replayed.error().message);
    }
    return ok();
}

// One alert per held settlement; acknowledged once it is no longer held.
Result<void> sync_hold_alerts(engine::RunContext& ctx) {
    if (ctx.dry_run) return ok();
    MLC_TRY(auto letters,
            ctx.store.list_dead_letters(ctx.flow, store::DeadLetterStatus::kOpen, 1000));
    std::set<std::string> held;
    for (const auto& letter : letters) {
        if (letter.source_system != kSettlementSystem) continue;
        const std::string key = hold_alert_key(ctx.flow, letter.source_key);
        held.insert(key);
        MLC_TRY(const std::int64_t raised,
                ctx.store.raise_alert({.id = 0,
                                       .key = key,
                                       .flow = ctx.flow,
                                       .severity = "error",
                                       .message = "Amazon " + letter.source_key +
                                                  " is held, not posted: " + letter.error_message,
                                       .status = store::AlertStatus::kOpen,
                                       .raised_at = ctx.clock.now(),
                                       .acknowledged_at = std::nullopt}));
        (void)raised;
    }
    MLC_TRY(auto alerts, ctx.store.list_alerts(store::AlertStatus::kOpen));
    const std::string prefix = hold_alert_key(ctx.flow, "");
    for (const auto& alert : alerts) {
        if (alert.key.starts_with(prefix) && !held.contains(alert.key)) {
            MLC_TRY(auto resolved, ctx.store.resolve_alert(alert.key, ctx.clock.now()));
            (void)resolved;
        }
    }
    return ok();
}

std::unique_ptr<engine::FlowRunner> compose(std::shared_ptr<Parts> parts) {
    Parts& p = *parts;
    auto flow = std::make_unique<pipeline::Flow>(parts);
    flow->step([&p](engine::RunContext& ctx, engine::RunSummary&, pipeline::OpenLetters&) {
        return retry_held(p, ctx);
    });
    pipeline::add_poll(*flow, p.stream);
    flow->step([](engine::RunContext& ctx, engine::RunSummary&, pipeline::OpenLetters&) {
        return sync_hold_alerts(ctx);
    });
    return flow;
}

Result<std::shared_ptr<Parts>> open_parts(const engine::FlowConfig& flow,
                                          const engine::Dependencies& deps) {
    auto parts = std::make_shared<Parts>();
    MLC_TRY(parts->options, parse_settlements_options(flow));
    MLC_TRY(auto ends, connections::open_ends(
                           flow, deps, kSettlementsRecipe, "amazon", "epicor",
                           [&](const auto& c) { return connections::open_amazon(c, deps); },
                           [&](const auto& c) { return connections::open_epicor(c, deps); }));
    parts->amazon = std::move(ends.source);
    parts->epicor = std::move(ends.target);
    parts->built = deps.clock.now();
    wire(*parts);
    return parts;
}

}  // namespace

std::string hold_alert_key(const std::string& flow, const std::string& settlement_id) {
    return std::string(kHoldAlertPrefix) + flow + ":" + settlement_id;
}

Result<std::unique_ptr<engine::FlowRunner>> make_settlements_runner(
    const engine::FlowConfig& flow, const engine::Dependencies& deps) {
    MLC_TRY(auto parts, open_parts(flow, deps));
    return compose(std::move(parts));
}

Result<SettlementLedger> read_settlement_ledger(const engine::FlowConfig& flow,
                                                const engine::Dependencies& deps,
                                                const std::string& id) {
    MLC_TRY(auto parts, open_parts(flow, deps));
    MLC_TRY(auto items, parts->reports->read_settlement(id));
    if (items.empty()) {
        return make_error(ErrorCode::kNotFound, "amazon",
                          "no settlement report Amazon keeps (90 days) holds settlement " + id);
    }
    return ledger_of(parts->options, items);
}

void add_amazon_settlements_recipe(engine::RecipeRegistry& registry) {
    registry.add(kSettlementsRecipe, make_settlements_runner);
}

}  // namespace mlc::flows::amazon_epicor
