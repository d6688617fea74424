#include "flows/acumatica_shipstation/items_stream.hpp"

namespace mlc::flows::acumatica_shipstation {
namespace {

namespace acu = connectors::acumatica;
namespace ss = connectors::shipstation;

std::string waiting_note(const std::string& sku) {
    return "SKU " + sku +
           " is not a ShipStation product yet: it will be created by ShipStation on the first "
           "order that carries it (V1 cannot create products); the item's name, price, weight "
           "and status move on its next change after that";
}

// Writes the audit notes of the run's waiting SKUs (outside a page: nothing else to commit).
Result<void> note_waiting(ItemsParts& p, engine::RunContext& ctx) {
    if (ctx.dry_run) return ok();
    for (const auto& [ref, sku] : p.waiting) {
        MLC_CHECK(ctx.store.append_audit(store::AuditEvent{.id = 0,
                                                           .flow = ctx.flow,
                                                           .direction = p.stream.direction,
                                                           .source_ref = ref,
                                                           .target_ref = {},
                                                           .action = store::AuditAction::kSkip,
                                                           .outcome = "ok",
                                                           .attempt = ctx.attempt,
                                                           .at = ctx.clock.now(),
                                                           .detail = waiting_note(sku)}));
    }
    p.waiting.clear();
    return ok();
}

}  // namespace

void wire_items(ItemsParts& p, acu::AcumaticaClient& acumatica, ss::ShipStationClient& shipstation,
                connectors::TimeWindow window, std::uint32_t page_size) {
    p.source = std::make_unique<acu::StockItemsSource>(
        acumatica, acu::ItemsSourceOptions{.window = window, .page_size = page_size});
    p.catalog = std::make_unique<ss::ProductCatalog>(shipstation);
    p.target = std::make_unique<ss::ProductsTarget>(shipstation, *p.catalog);
    ItemsParts* parts = &p;
    p.stream = {.name = "items",
                .system = kItemSystem,
                .direction = "acumatica->shipstation",
                .source = p.source.get(),
                .target = p.target.get(),
                .resolver = pipeline::resolve_with<model::Item, model::Item>(
                    [](const model::Item& item, const std::string&) -> Result<model::Item> {
                        return item;
                    }),
                .hash = [parts](const model::Item& item) { return parts->target->describe(item); },
                .intent = [parts](const model::Item& item) -> pipeline::Intent {
                    auto found = parts->catalog->find(item.sku);
                    // A catalogue that cannot be listed: the write finds out and says why.
                    if (!found || *found) return {};
                    const std::string ref = parts->source->identify(item).ref;
                    if (parts->noted.insert(ref + "@" + item.revision).second)
                        parts->waiting.emplace_back(ref, item.sku);
                    return {.kind = pipeline::Intent::kNotYet, .reason = waiting_note(item.sku)};
                },
                .pages_per_run = 100};
}

void add_items(pipeline::Flow& flow, ItemsParts& p, bool polled) {
    if (polled) {
        flow.step([&p](engine::RunContext& ctx, engine::RunSummary& summary,
                       pipeline::OpenLetters& letters) -> Result<void> {
            p.catalog->forget();  // Products ShipStation made since the last run count now.
            p.waiting.clear();
            auto polled_ok = pipeline::poll(p.stream, ctx, letters, summary);
            MLC_CHECK(note_waiting(p, ctx));
            return polled_ok;
        });
    }
    flow.replay_route(p.stream.name, [&p](const std::string& ref, engine::RunContext& ctx) {
        p.catalog->forget();
        return pipeline::replay(p.stream, ref, ctx);
    });
}

}  // namespace mlc::flows::acumatica_shipstation
