#include "flows/epicor_woocommerce/catalog_runner.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "connectors/epicor/epicor_json.hpp"
#include "connectors/epicor/odata.hpp"

namespace mlc::flows::epicor_woocommerce {
namespace {

namespace json = boost::json;
namespace ep = connectors::epicor;
namespace odata = connectors::epicor::odata;

constexpr std::string_view kProductPrefix = "product:";    // Binding target ids: Woo product
constexpr std::string_view kCustomerPrefix = "customer:";  // and user ids are separate spaces.

std::string part_ref(const std::string& sku) { return "epicor:part:" + sku; }
std::string customer_ref(const std::string& cust_id) { return "epicor:customer:" + cust_id; }
std::string product_ref(std::int64_t id) { return "woocommerce:product:" + std::to_string(id); }
std::string woo_customer_ref(std::int64_t id) {
    return "woocommerce:customer:" + std::to_string(id);
}

std::optional<std::int64_t> parse_int64(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::int64_t> target_number(const std::string& target_id, std::string_view prefix) {
    if (!target_id.starts_with(prefix)) return std::nullopt;
    return parse_int64(std::string_view(target_id).substr(prefix.size()));
}

std::string replay_json(std::string_view stream, const std::string& key) {
    return json::serialize(json::object{{"stream", stream}, {"key", key}});
}

// Position of a stream: the last (SysRevID, key) committed. Empty: from the beginning.
struct Keyset {
    std::int64_t rev = 0;
    std::string key;
    bool empty() const { return rev == 0 && key.empty(); }
    std::string encode() const { return empty() ? std::string() : std::to_string(rev) + "|" + key; }
};

Result<Keyset> decode_keyset(const std::string& text) {
    if (text.empty()) return Keyset{};
    const auto bar = text.find('|');
    const auto rev = parse_int64(std::string_view(text).substr(0, bar));
    if (bar == std::string::npos || !rev) {
        return make_error(ErrorCode::kInternal, "store",
                          "catalog cursor \"" + text + "\" is not <SysRevID>|<key>");
    }
    return Keyset{.rev = *rev, .key = text.substr(bar + 1)};
}

std::string key_gt(std::string_view field, const std::string& key) {
    return std::string(field) + " gt " + odata::string_literal(key);
}

}  // namespace

struct CatalogRunner::StreamSpec {
    const char* stream;
    const char* system;
    const char* service;
    const char* entity_set;
    const char* key_field;
    bool parts;
};

namespace {
const CatalogRunner::StreamSpec kPartsSpec{kPartsStream, kPartSystem, "Erp.BO.PartSvc",
                                           "Parts",      "PartNum",   true};
const CatalogRunner::StreamSpec kCustomersSpec{
    kCustomersStream, kCustomerSystem, "Erp.BO.CustomerSvc", "Customers", "CustID", false};
}  // namespace

struct CatalogRunner::PageState {
    store::PageCommit commit;
    const std::map<std::string, std::int64_t>* open_letters = nullptr;  // system|key -> id
    engine::RunSummary counts;
    std::map<std::string, std::string> emails;          // e-mail key -> CustID written here
    std::map<std::int64_t, std::string> woo_customers;  // Woo customer id -> CustID written here
    std::optional<Error> last_park;                     // For replay: why the record was parked

    static std::string letter_key(std::string_view system, const std::string& key) {
        return std::string(system) + "|" + key;
    }
    bool has_open_letter(std::string_view system, const std::string& key) const {
        return open_letters != nullptr && open_letters->contains(letter_key(system, key));
    }
    void healed(std::string_view system, const std::string& key) {
        if (open_letters == nullptr) return;
        if (auto it = open_letters->find(letter_key(system, key)); it != open_letters->end()) {
            commit.dead_letters_resolved.push_back(it->second);
        }
    }
    void audit(engine::RunContext& ctx, std::string source, std::string target,
               store::AuditAction action, std::string outcome, std::string detail) {
        commit.audit.push_back(store::AuditEvent{.flow = ctx.flow,
                                                 .direction = kCatalogDirection,
                                                 .source_ref = std::move(source),
                                                 .target_ref = std::move(target),
                                                 .action = action,
                                                 .outcome = std::move(outcome),
                                                 .attempt = ctx.attempt,
                                                 .at = ctx.clock.now(),
                                                 .detail = std::move(detail)});
    }
    void park(engine::RunContext& ctx, const StreamSpec& spec, const std::string& key,
              const json::object& row, const Error& error, std::string source, std::string target) {
        ctx.log.warn("flow {}: reported Epicor {} {}: {}", ctx.flow, spec.key_field, key,
                     error.describe());
        commit.dead_letters.push_back(store::DeadLetter{
            .flow = ctx.flow,
            .source_system = spec.system,
            .source_key = key,
            .record_json = json::serialize(row),
            .replay_json = replay_json(spec.stream, key),
            .error_code = std::string(to_string(error.code)),
            .error_message = error.describe(),
            .first_seen = ctx.clock.now(),
            .last_seen = ctx.clock.now(),
        });
        audit(ctx, std::move(source), std::move(target), store::AuditAction::kPark,
              std::string(to_string(error.code)), error.describe());
        ++counts.parked;
        last_park = error;
    }
    void confirm(engine::RunContext& ctx, std::optional<store::Binding> binding,
                 const StreamSpec& spec, const std::string& key, std::string target_id,
                 const std::string& hash, std::int64_t sys_rev_id) {
        const UtcTime now = ctx.clock.now();
        store::Binding out = binding.value_or(store::Binding{.flow = ctx.flow,
                                                             .source_system = spec.system,
                                                             .source_key = key,
                                                             .target_id = {},
                                                             .content_hash = {},
                                                             .state = store::BindingState::kPending,
                                                             .source_version = {},
                                                             .created_at = now,
                                                             .updated_at = now});
        out.target_id = std::move(target_id);
        out.content_hash = hash;
        out.state = store::BindingState::kConfirmed;
        out.source_version = std::to_string(sys_rev_id);
        out.updated_at = now;
        commit.bindings.push_back(std::move(out));
        healed(spec.system, key);
    }
};

CatalogRunner::CatalogRunner(CatalogOptions options, connectors::epicor::EpicorClient& epicor,
                             CatalogTarget& target, std::shared_ptr<void> keep_alive)
    : options_(std::move(options)),
      epicor_(epicor),
      target_(target),
      keep_alive_(std::move(keep_alive)) {}

Result<engine::RunSummary> CatalogRunner::run_once(engine::RunContext& ctx) {
    engine::RunSummary summary;
    if (options_.parts) MLC_CHECK(run_stream(kPartsSpec, ctx, summary));
    if (options_.customers && !summary.more_pending) {
        if (options_.parts && !ctx.checkpoint()) {
            summary.more_pending = true;
            return summary;
        }
        MLC_CHECK(run_stream(kCustomersSpec, ctx, summary));
    }
    ctx.log.info("flow {}: {} created, {} updated, {} unchanged, {} reported, {} chunks", ctx.flow,
                 summary.created, summary.updated, summary.skipped, summary.parked, summary.pages);
    return summary;
}

Result<std::map<std::string, std::int64_t>> CatalogRunner::open_letters(engine::RunContext& ctx) {
    std::map<std::string, std::int64_t> out;
    MLC_TRY(auto letters, ctx.store.list_dead_letters(ctx.flow, store::DeadLetterStatus::kOpen,
                                                      kCatalogOpenLettersScanMax));
    for (const store::DeadLetter& letter : letters) {
        out[PageState::letter_key(letter.source_system, letter.source_key)] = letter.id;
    }
    return out;
}

Result<void> CatalogRunner::run_stream(const StreamSpec& spec, engine::RunContext& ctx,
                                       engine::RunSummary& summary) {
    MLC_TRY(const auto letters, open_letters(ctx));
    MLC_TRY(auto stored, ctx.store.get_cursor(ctx.flow, spec.stream));
    MLC_TRY(Keyset cursor, decode_keyset(stored ? stored->value : std::string()));
    const bool full = options_.changes == ChangeDetection::kFullScan;
    for (std::uint32_t page = 1; page <= options_.pages_per_run; ++page) {
        odata::Query query{.top = options_.page_size};
        if (full) {
            query.orderby = spec.key_field;
            if (!cursor.key.empty()) query.filter = key_gt(spec.key_field, cursor.key);
        } else {
            query.orderby = std::string("SysRevID,") + spec.key_field;
            if (!cursor.empty()) {
                query.filter = "(" + odata::gt("SysRevID", cursor.rev) + ") or " +
                               odata::and_(odata::eq("SysRevID", cursor.rev),
                                           key_gt(spec.key_field, cursor.key));
            }
        }
        MLC_TRY_CTX(
            auto rows, epicor_.list_rows_page(spec.service, spec.entity_set, query),
            std::string("while reading Epicor ") + spec.entity_set + " for flow " + ctx.flow);
        const bool last_page = rows.size() < options_.page_size;
        for (std::size_t begin = 0; begin < rows.size(); begin += kBatchItemsMax) {
            const std::size_t end = std::min(rows.size(), begin + kBatchItemsMax);
            const std::vector<json::object> chunk(rows.begin() + static_cast<long>(begin),
                                                  rows.begin() + static_cast<long>(end));
            PageState state;
            state.open_letters = &letters;
            Result<void> written = ok();
            if (spec.parts) {
                written = write_parts(chunk, ctx, state);
            } else {
                for (const json::object& row : chunk) {
                    written = write_customer(row, ctx, state);
                    if (!written) break;
                }
            }
            if (!written) {
                // Keep what this chunk already wrote (bindings, audit); the cursor stays put.
                if (!ctx.dry_run) (void)ctx.store.commit_page(state.commit);
                return with_context(std::move(written).error(),
                                    std::string("while moving Epicor ") + spec.entity_set +
                                        " to WooCommerce (flow " + ctx.flow + ")");
            }
            cursor = Keyset{.rev = ep::int_of(chunk.back(), "SysRevID"),
                            .key = ep::text_of(chunk.back(), spec.key_field)};
            // A full scan starts over after its last row; a SysRevID cursor stays.
            const bool pass_done = full && last_page && end == rows.size();
            state.commit.cursor = store::Cursor{.flow = ctx.flow,
                                                .stream = spec.stream,
                                                .value = pass_done ? "" : cursor.encode(),
                                                .updated_at = ctx.clock.now()};
            summary.created += state.counts.created;
            summary.updated += state.counts.updated;
            summary.skipped += state.counts.skipped;
            summary.parked += state.counts.parked;
            ++summary.pages;
            if (!ctx.dry_run) {
                MLC_CHECK_CTX(
                    ctx.store.commit_page(state.commit),
                    "while committing " + std::string(spec.stream) + " of flow " + ctx.flow);
            }
            if (!(last_page && end == rows.size()) && !ctx.checkpoint()) {
                summary.more_pending = true;
                return ok();
            }
        }
        if (last_page) {
            if (full && rows.empty() && !cursor.empty() && !ctx.dry_run) {
                store::PageCommit reset;
                reset.cursor = store::Cursor{.flow = ctx.flow,
                                             .stream = spec.stream,
                                             .value = "",
                                             .updated_at = ctx.clock.now()};
                MLC_CHECK(ctx.store.commit_page(reset));
            }
            return ok();
        }
    }
    summary.more_pending = true;
    return ok();
}

namespace {

struct PartWrite {
    ProductDraft draft;
    std::string hash;
    std::optional<store::Binding> binding;
    json::object row;
    std::int64_t id = 0;
};

std::vector<std::string> skus_of(const std::vector<PartWrite>& writes) {
    std::vector<std::string> skus;
    skus.reserve(writes.size());
    for (const PartWrite& write : writes) skus.push_back(write.draft.sku);
    return skus;
}

ProductBatch batch_of(const std::vector<PartWrite>& creates,
                      const std::vector<PartWrite>& updates) {
    ProductBatch batch;
    for (const PartWrite& write : creates) batch.create.push_back(write.draft);
    for (const PartWrite& write : updates) {
        batch.update.push_back(ProductUpdate{.id = write.id, .product = write.draft});
    }
    return batch;
}

std::string product_detail(const ProductDraft& draft, std::int64_t id, std::string_view what) {
    return "PartNum " + draft.sku + " -> product " + std::to_string(id) + ": " + std::string(what) +
           " (price " + draft.regular_price + ", " + (draft.published ? "publish" : "draft") +
           ", " + std::string(to_string(draft.stock_status)) + ")";
}

Result<void> check_outcomes(std::size_t sent, std::size_t answered, std::string_view list) {
    if (sent == answered) return ok();
    return make_error(ErrorCode::kInvalidInput, "woocommerce",
                      "the products batch answered " + std::to_string(answered) + " " +
                          std::string(list) + " results for " + std::to_string(sent) + " sent");
}

// Creates Woo refused because the SKU exists (found by SKU and updated instead), and updates of
// products deleted in Woo meanwhile (created again): one more batch.
Result<void> second_round(CatalogTarget& target, std::vector<PartWrite> conflicts,
                          std::vector<PartWrite> recreate, engine::RunContext& ctx,
                          CatalogRunner::PageState& page, const CatalogRunner::StreamSpec& spec) {
    std::vector<PartWrite> updates;
    if (!conflicts.empty()) {
        MLC_TRY_CTX(auto found, target.find_products_by_sku(skus_of(conflicts)),
                    "while looking up SKUs WooCommerce already holds");
        for (PartWrite& write : conflicts) {
            auto it = found.find(write.draft.sku);
            if (it == found.end()) {
                page.park(ctx, spec, write.draft.sku, write.row,
                          make_error(ErrorCode::kConflict, "woocommerce",
                                     "WooCommerce refused SKU " + write.draft.sku +
                                         " as a duplicate, yet lists no product with it (a "
                                         "trashed product keeps its SKU): empty the trash or "
                                         "restore that product, then replay"),
                          part_ref(write.draft.sku), {});
                continue;
            }
            write.id = it->second;
            updates.push_back(std::move(write));
        }
    }
    if (updates.empty() && recreate.empty()) return ok();
    MLC_TRY(auto written, target.write_products(batch_of(recreate, updates)));
    MLC_CHECK(check_outcomes(recreate.size(), written.created.size(), "create"));
    MLC_CHECK(check_outcomes(updates.size(), written.updated.size(), "update"));
    const auto settle = [&](PartWrite& write, const ProductOutcome& outcome, bool created) {
        const std::int64_t id = created ? outcome.id : write.id;
        if (outcome.error) {
            page.park(ctx, spec, write.draft.sku, write.row, *outcome.error,
                      part_ref(write.draft.sku), id == 0 ? std::string() : product_ref(id));
            return;
        }
        page.confirm(ctx, write.binding, spec, write.draft.sku,
                     std::string(kProductPrefix) + std::to_string(id), write.hash,
                     write.draft.sys_rev_id);
        page.audit(ctx, part_ref(write.draft.sku), product_ref(id),
                   created ? store::AuditAction::kCreate : store::AuditAction::kUpdate, "ok",
                   product_detail(write.draft, id,
                                  created ? "created again (the product was deleted in Woo)"
                                          : "already in WooCommerce (found by SKU), updated"));
        ++(created ? page.counts.created : page.counts.updated);
    };
    for (std::size_t i = 0; i < recreate.size(); ++i) settle(recreate[i], written.created[i], true);
    for (std::size_t i = 0; i < updates.size(); ++i) settle(updates[i], written.updated[i], false);
    return ok();
}

}  // namespace

Result<void> CatalogRunner::write_parts(const std::vector<json::object>& rows,
                                        engine::RunContext& ctx, PageState& page) {
    std::vector<PartWrite> creates, updates, lookups;
    for (const json::object& row : rows) {
        const std::string sku = ep::text_of(row, "PartNum");
        auto draft = product_from_part(row, options_);
        if (!draft) {
            if (draft.error().code == ErrorCode::kConfig) return std::move(draft).error();
            page.park(ctx, kPartsSpec, sku, row, draft.error(), part_ref(sku), {});
            continue;
        }
        PartWrite write{.draft = std::move(*draft), .hash = {}, .binding = {}, .row = row};
        write.hash = content_hash(write.draft);
        MLC_TRY(write.binding, ctx.store.get_binding(ctx.flow, kPartSystem, sku));
        if (write.binding && write.binding->state == store::BindingState::kConfirmed) {
            const auto id = target_number(write.binding->target_id, kProductPrefix);
            if (id && write.binding->content_hash == write.hash) {
                page.audit(ctx, part_ref(sku), product_ref(*id), store::AuditAction::kSkip, "ok",
                           "PartNum " + sku + " unchanged since product " + std::to_string(*id) +
                               " was written");
                page.healed(kPartSystem, sku);
                ++page.counts.skipped;
                continue;
            }
            if (id) {
                write.id = *id;
                updates.push_back(std::move(write));
                continue;
            }
        }
        // Pending: an earlier batch may have created it before its answer was lost.
        (write.binding ? lookups : creates).push_back(std::move(write));
    }
    if (!lookups.empty()) {
        MLC_TRY_CTX(auto found, target_.find_products_by_sku(skus_of(lookups)),
                    "while looking up products whose create was uncertain");
        for (PartWrite& write : lookups) {
            auto it = found.find(write.draft.sku);
            write.id = it == found.end() ? 0 : it->second;
            (it == found.end() ? creates : updates).push_back(std::move(write));
        }
    }
    if (ctx.dry_run) {
        page.counts.created += static_cast<std::int64_t>(creates.size());
        page.counts.updated += static_cast<std::int64_t>(updates.size());
        return ok();
    }
    if (creates.empty() && updates.empty()) return ok();
    // Pending first: if the batch's answer is lost, the next run looks these SKUs up in Woo.
    store::PageCommit pending;
    for (const PartWrite& write : creates) {
        pending.bindings.push_back(store::Binding{.flow = ctx.flow,
                                                  .source_system = kPartSystem,
                                                  .source_key = write.draft.sku,
                                                  .target_id = {},
                                                  .content_hash = write.hash,
                                                  .state = store::BindingState::kPending,
                                                  .source_version = {},
                                                  .created_at = ctx.clock.now(),
                                                  .updated_at = ctx.clock.now()});
    }
    if (!pending.bindings.empty()) {
        MLC_CHECK_CTX(ctx.store.commit_page(pending), "while noting pending product creates");
    }
    MLC_TRY(auto written, target_.write_products(batch_of(creates, updates)));
    MLC_CHECK(check_outcomes(creates.size(), written.created.size(), "create"));
    MLC_CHECK(check_outcomes(updates.size(), written.updated.size(), "update"));
    std::vector<PartWrite> conflicts, recreate;
    for (std::size_t i = 0; i < creates.size(); ++i) {
        PartWrite& write = creates[i];
        const ProductOutcome& outcome = written.created[i];
        if (!outcome.error) {
            page.confirm(ctx, write.binding, kPartsSpec, write.draft.sku,
                         std::string(kProductPrefix) + std::to_string(outcome.id), write.hash,
                         write.draft.sys_rev_id);
            page.audit(ctx, part_ref(write.draft.sku), product_ref(outcome.id),
                       store::AuditAction::kCreate, "ok",
                       product_detail(write.draft, outcome.id, "created"));
            ++page.counts.created;
        } else if (outcome.error->code == ErrorCode::kConflict) {
            conflicts.push_back(std::move(write));  // The SKU is in Woo already: find and update.
        } else {
            page.park(ctx, kPartsSpec, write.draft.sku, write.row, *outcome.error,
                      part_ref(write.draft.sku), {});
        }
    }
    for (std::size_t i = 0; i < updates.size(); ++i) {
        PartWrite& write = updates[i];
        const ProductOutcome& outcome = written.updated[i];
        if (!outcome.error) {
            page.confirm(ctx, write.binding, kPartsSpec, write.draft.sku,
                         std::string(kProductPrefix) + std::to_string(write.id), write.hash,
                         write.draft.sys_rev_id);
            page.audit(ctx, part_ref(write.draft.sku), product_ref(write.id),
                       store::AuditAction::kUpdate, "ok",
                       product_detail(write.draft, write.id, "updated"));
            ++page.counts.updated;
        } else if (outcome.error->code == ErrorCode::kNotFound) {
            recreate.push_back(std::move(write));  // Deleted in Woo meanwhile: create it again.
        } else {
            page.park(ctx, kPartsSpec, write.draft.sku, write.row, *outcome.error,
                      part_ref(write.draft.sku), product_ref(write.id));
        }
    }
    if (conflicts.empty() && recreate.empty()) return ok();
    return second_round(target_, std::move(conflicts), std::move(recreate), ctx, page, kPartsSpec);
}

namespace {

// The Epicor customer a Woo customer was written for: this chunk's writes first, then bindings.
Result<std::optional<std::string>> owner_of(engine::RunContext& ctx,
                                            const CatalogRunner::PageState& page,
                                            std::int64_t woo_id) {
    if (auto it = page.woo_customers.find(woo_id); it != page.woo_customers.end()) {
        return std::optional<std::string>{it->second};
    }
    MLC_TRY(auto binding, ctx.store.find_binding_by_target(
                              ctx.flow, std::string(kCustomerPrefix) + std::to_string(woo_id)));
    if (!binding || binding->source_system != kCustomerSystem) {
        return std::optional<std::string>{};
    }
    return std::optional<std::string>{binding->source_key};
}

Error duplicate_error(const CustomerDraft& draft, const std::string& owner, std::int64_t woo_id) {
    return make_error(ErrorCode::kConflict, "woocommerce",
                      "Epicor customers " + owner + " and " + draft.cust_id + " share the e-mail " +
                          draft.email + ": WooCommerce keys customers by e-mail, so only " + owner +
                          " is written (Woo customer " + std::to_string(woo_id) + "); give " +
                          draft.cust_id + " its own e-mail in Epicor");
}

}  // namespace

Result<void> CatalogRunner::write_customer(const json::object& row, engine::RunContext& ctx,
                                           PageState& page, bool rebind) {
    MLC_TRY(CustomerDraft draft, customer_from_row(row, options_));
    const std::string key = draft.cust_id;
    const std::string source = customer_ref(key);
    if (draft.email.empty()) {
        if (page.has_open_letter(kCustomerSystem, key)) {
            ++page.counts.parked;  // Reported already; still waiting for an e-mail.
            return ok();
        }
        page.park(ctx, kCustomersSpec, key, row,
                  make_error(ErrorCode::kUnresolved, "epicor",
                             "Epicor customer " + key +
                                 " has no EMailAddress: WooCommerce keys customers by e-mail, so "
                                 "it is not written; add an email in Epicor (the next run "
                                 "writes it)"),
                  source, {});
        return ok();
    }
    const std::string hash = content_hash(draft);
    MLC_TRY(auto binding, ctx.store.get_binding(ctx.flow, kCustomerSystem, key));
    std::optional<std::int64_t> bound_id;
    if (binding && binding->state == store::BindingState::kConfirmed && !rebind) {
        bound_id = target_number(binding->target_id, kCustomerPrefix);
    }
    if (bound_id && binding->content_hash == hash) {
        page.audit(ctx, source, woo_customer_ref(*bound_id), store::AuditAction::kSkip, "ok",
                   "CustID " + key + " unchanged since customer " + std::to_string(*bound_id) +
                       " was written");
        page.healed(kCustomerSystem, key);
        ++page.counts.skipped;
        return ok();
    }
    const std::string mail = email_key(draft.email);
    if (auto it = page.emails.find(mail); it != page.emails.end() && it->second != key) {
        std::int64_t woo_id = 0;
        for (const auto& [id, cust] : page.woo_customers) {
            if (cust == it->second) woo_id = id;
        }
        if (!page.has_open_letter(kCustomerSystem, key)) {
            page.park(ctx, kCustomersSpec, key, row, duplicate_error(draft, it->second, woo_id),
                      source, woo_customer_ref(woo_id));
        } else {
            ++page.counts.parked;
        }
        return ok();
    }
    // Where the customer goes: its bound id, else the store's customer with that e-mail.
    std::optional<std::int64_t> woo_id = bound_id;
    std::string how = "updated";
    if (!woo_id) {
        MLC_TRY_CTX(woo_id, target_.find_customer_by_email(draft.email),
                    "while looking up Epicor customer " + key + " in WooCommerce by e-mail");
        how = "already in WooCommerce (found by e-mail), updated";
    }
    if (woo_id && !bound_id) {
        MLC_TRY(auto owner, owner_of(ctx, page, *woo_id));
        if (owner && *owner != key) {
            if (!page.has_open_letter(kCustomerSystem, key)) {
                page.park(ctx, kCustomersSpec, key, row, duplicate_error(draft, *owner, *woo_id),
                          source, woo_customer_ref(*woo_id));
            } else {
                ++page.counts.parked;
            }
            return ok();
        }
    }
    if (ctx.dry_run) {
        ++(woo_id ? page.counts.updated : page.counts.created);
        return ok();
    }
    store::AuditAction action = store::AuditAction::kUpdate;
    if (woo_id) {
        auto updated = target_.update_customer(*woo_id, draft);
        if (!updated && updated.error().code == ErrorCode::kNotFound && bound_id) {
            return write_customer(row, ctx, page, /*rebind=*/true);  // Once: no bound id then.
        }
        if (!updated) {
            if (next_action(updated.error().code) != NextAction::kPark) {
                return with_context(std::move(updated).error(),
                                    "while updating Epicor customer " + key + " in WooCommerce");
            }
            page.park(ctx, kCustomersSpec, key, row, updated.error(), source,
                      woo_customer_ref(*woo_id));
            return ok();
        }
    } else {
        // Pending first: a create whose answer is lost is found by e-mail on the next run.
        MLC_CHECK(ctx.store.put_binding(store::Binding{.flow = ctx.flow,
                                                       .source_system = kCustomerSystem,
                                                       .source_key = key,
                                                       .target_id = {},
                                                       .content_hash = hash,
                                                       .state = store::BindingState::kPending,
                                                       .source_version = {},
                                                       .created_at = ctx.clock.now(),
                                                       .updated_at = ctx.clock.now()}));
        auto created = target_.create_customer(draft);
        if (!created) {
            if (next_action(created.error().code) != NextAction::kPark) {
                return with_context(std::move(created).error(),
                                    "while creating Epicor customer " + key + " in WooCommerce");
            }
            page.park(ctx, kCustomersSpec, key, row, created.error(), source, {});
            return ok();
        }
        woo_id = *created;
        action = store::AuditAction::kCreate;
        how = "created";
    }
    page.confirm(ctx, binding, kCustomersSpec, key,
                 std::string(kCustomerPrefix) + std::to_string(*woo_id), hash, draft.sys_rev_id);
    page.emails[mail] = key;
    page.woo_customers[*woo_id] = key;
    std::string detail = "CustID " + key + " (" + draft.email + ") -> customer " +
                         std::to_string(*woo_id) + ": " + how;
    if (!draft.note.empty()) detail += "; " + draft.note;
    page.audit(ctx, source, woo_customer_ref(*woo_id), action, "ok", std::move(detail));
    ++(action == store::AuditAction::kCreate ? page.counts.created : page.counts.updated);
    return ok();
}

Result<void> CatalogRunner::replay(const store::DeadLetter& letter, engine::RunContext& ctx) {
    boost::system::error_code parse_error;
    const json::value parsed = json::parse(letter.replay_json, parse_error);
    const json::object* object = !parse_error && parsed.is_object() ? &parsed.as_object() : nullptr;
    const json::value* stream = object != nullptr ? object->if_contains("stream") : nullptr;
    const json::value* key = object != nullptr ? object->if_contains("key") : nullptr;
    if (stream == nullptr || key == nullptr || !stream->is_string() || !key->is_string()) {
        return make_error(ErrorCode::kInvalidInput, "epicor",
                          "dead letter " + std::to_string(letter.id) +
                              " names no Epicor part or customer to read again");
    }
    const StreamSpec& spec = stream->as_string() == kPartsStream ? kPartsSpec : kCustomersSpec;
    const std::string wanted(key->as_string());
    odata::Query query{.filter = odata::eq(spec.key_field, wanted), .top = 1};
    MLC_TRY_CTX(
        auto rows, epicor_.list_rows_page(spec.service, spec.entity_set, query),
        "while reading Epicor " + std::string(spec.key_field) + " " + wanted + " for replay");
    if (rows.empty()) {
        return make_error(ErrorCode::kNotFound, "epicor",
                          std::string(spec.key_field) + " " + wanted +
                              " no longer exists in Epicor: resolve the dead letter");
    }
    PageState state;
    if (spec.parts) {
        MLC_CHECK(write_parts(rows, ctx, state));
    } else {
        MLC_CHECK(write_customer(rows.front(), ctx, state));
    }
    if (state.last_park) return *state.last_park;
    if (ctx.dry_run) return ok();
    return ctx.store.commit_page(state.commit);
}

}  // namespace mlc::flows::epicor_woocommerce
