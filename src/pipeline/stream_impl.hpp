#pragma once
// The templates of stream.hpp. Included by it only.

#include <set>
#include <vector>

#include <spdlog/spdlog.h>

namespace mlc::pipeline {

// The audit ref of the target record `key` is bound to; empty when it is bound to none (or the
// binding cannot be read: the park still happens).
template <typename S, typename T>
std::string bound_ref(const Stream<S, T>& stream, Page& page, const std::string& key) {
    auto binding = page.binding(stream.system, key);
    if (!binding || !*binding || (*binding)->target_id.empty()) return {};
    return stream.target->ref((*binding)->target_id);
}

template <typename S, typename T>
Result<Outcome> StreamWriter<S, T>::handle(const connectors::Record<S>& record, Page& page,
                                           connectors::Resolver<S, T>& resolver,
                                           engine::RunSummary& summary) {
    auto outcome = write(record, page, resolver, summary);
    const bool dry = page.ctx().dry_run;
    if (outcome && dry) {
        plan(summary, s_.name, *outcome, s_.source->identify(record.value).label,
             s_.target->system(), {});
    }
    if (outcome || next_action(outcome.error().code) != NextAction::kPark) return outcome;
    const Identity id = s_.source->identify(record.value);
    Error error = std::move(outcome).error();
    if (error.record_key.empty()) error.record_key = id.label;
    if (dry) plan(summary, s_.name, Outcome::kParked, id.label, {}, error.describe());
    const bool parked = page.park(Parking{.system = s_.system,
                                          .key = id.key,
                                          .ref = id.ref,
                                          .label = id.label,
                                          .record_json = record.raw,
                                          .replay_json = replay_key(s_.name, id.replay),
                                          .error = error,
                                          .target_ref = bound_ref(s_, page, id.key)});
    return parked ? Outcome::kParked : Outcome::kStillParked;
}

template <typename S, typename T>
Result<Outcome> StreamWriter<S, T>::write(const connectors::Record<S>& record, Page& page,
                                          connectors::Resolver<S, T>& resolver,
                                          engine::RunSummary& summary) {
    const S& value = record.value;
    const Identity id = s_.source->identify(value);
    MLC_TRY(std::optional<store::Binding> binding, page.binding(s_.system, id.key));
    const bool confirmed = binding && binding->state == store::BindingState::kConfirmed;
    if (confirmed) {
        if (auto why = stale(id, *binding)) {
            if (!why->empty()) {  // Older than written: out of order, worth a line in the trail.
                page.audit(id.ref, s_.target->ref(binding->target_id), store::AuditAction::kSkip,
                           "ok", *why);
                return Outcome::kSkipped;
            }
            page.healed(s_.system, id.key);  // The very version written: quietly nothing to do.
            MLC_CHECK(children(record, binding->target_id, page, summary));
            return Outcome::kSkipped;
        }
    }
    const Intent intent = s_.intent ? s_.intent(value) : Intent{};
    const bool bound = binding.has_value();
    // A record written once is still closed when its source cancels it (a UPS label is voided).
    if (confirmed && !s_.target->updates() && intent.kind != Intent::kClose) {
        return written_once(id, *binding, page);
    }
    if (intent.kind == Intent::kNever ||
        (!bound && (intent.kind == Intent::kNotYet || intent.kind == Intent::kClose))) {
        page.healed(s_.system, id.key);
        return Outcome::kSkipped;
    }
    if (bound && intent.kind == Intent::kClose) {
        MLC_TRY(Outcome closed, close(value, id, *binding, intent, page));
        if (!binding->target_id.empty() || closed == Outcome::kClosed) {
            MLC_CHECK(children(record, binding->target_id, page, summary));
        }
        return closed;
    }
    MLC_TRY(const std::string parent_id, parent(value, page));
    MLC_TRY(T out, resolver.resolve(value, parent_id));
    const std::string hash = s_.hash(out);
    if (confirmed && binding->content_hash == hash) {
        if (id.version && binding->source_version != format_iso8601(*id.version)) {
            confirm(*binding, id, hash);  // Same content, newer version: remember the version.
            page.bind(*binding);
        }
        page.healed(s_.system, id.key);
        page.agreed(s_.system, id.key, id.ref, s_.target->ref(binding->target_id));
        MLC_CHECK(children(record, binding->target_id, page, summary));
        return Outcome::kSkipped;
    }
    if (page.differs_as(s_.system, id.key, hash)) return Outcome::kSkipped;  // Locked: recorded.
    MLC_TRY(Outcome outcome, put(record, id, out, hash, std::move(binding), page));
    if (outcome == Outcome::kDiffers) return outcome;
    page.healed(s_.system, id.key);
    // Its children follow in the same page (a Woo order first read with a refund already on it).
    MLC_TRY(auto written, page.binding(s_.system, id.key));
    if (written && written->state == store::BindingState::kConfirmed) {
        MLC_CHECK(children(record, written->target_id, page, summary));
    }
    return outcome;
}

// nullopt: not stale. "": the version already written (quiet). Else why it is older.
template <typename S, typename T>
std::optional<std::string> StreamWriter<S, T>::stale(const Identity& id,
                                                     const store::Binding& binding) const {
    if (!id.version || binding.source_version.empty()) return std::nullopt;
    auto written = parse_iso8601(binding.source_version);
    if (!written) return std::nullopt;
    const std::chrono::seconds tolerance = s_.source->version_tolerance();
    if (*written - *id.version > tolerance) {
        return "older than the version already written (" + format_iso8601(*id.version) + " < " +
               binding.source_version + ")";
    }
    if (tolerance.count() == 0 && *written == *id.version) return std::string();
    return std::nullopt;
}

// A record the target keeps as first written (a staging row): a new version is noted once in
// the trail (people see the edit was not carried), the same version again is quiet.
template <typename S, typename T>
Outcome StreamWriter<S, T>::written_once(const Identity& id, store::Binding binding, Page& page) {
    page.healed(s_.system, id.key);
    if (!id.version || binding.source_version == format_iso8601(*id.version)) {
        return Outcome::kSkipped;
    }
    page.audit(id.ref, s_.target->ref(binding.target_id), store::AuditAction::kSkip, "ok",
               "already staged for review in " + s_.target->system() +
                   ": changes are not written again (version " + format_iso8601(*id.version) + ")");
    binding.source_version = format_iso8601(*id.version);
    page.bind(std::move(binding));
    return Outcome::kSkipped;
}

template <typename S, typename T>
Result<std::string> StreamWriter<S, T>::parent(const S& record, Page& page) {
    if (s_.parent_system.empty()) return std::string();
    const std::string key = s_.parent_key(record);
    MLC_TRY(auto bound, page.binding(s_.parent_system, key));
    if (bound && bound->state == store::BindingState::kConfirmed && !bound->target_id.empty()) {
        return bound->target_id;
    }
    return s_.parent_missing(record);
}

template <typename S, typename T>
Result<Outcome> StreamWriter<S, T>::put(const connectors::Record<S>& record, const Identity& id,
                                        const T& out, const std::string& hash,
                                        std::optional<store::Binding> binding, Page& page) {
    const S& value = record.value;
    bool recovered = false;
    if (binding && binding->state == store::BindingState::kPending) {
        if (!s_.target->searchable_by_source()) {
            return make_error(ErrorCode::kConflict, s_.target->system(),
                              "a create of " + id.label + " may have reached " +
                                  s_.target->system() +
                                  ", which cannot be searched by the source key: check it there, "
                                  "then resolve this letter (or replay it if it is not there)");
        }
        // The create's answer was lost (or we were killed after sending it): ask the target.
        MLC_TRY(auto found, s_.target->find_by_source(target_key(value, id)));
        if (!found) return create(value, id, out, hash, page);
        binding->target_id = *found;
        recovered = true;  // A create cut short may be partial: the update below completes it.
    }
    if (!binding) return create(value, id, out, hash, page);
    if (page.ctx().dry_run) return recovered ? Outcome::kCreated : Outcome::kUpdated;
    Result<void> updated = s_.target->update(binding->target_id, out);
    if (!updated && updated.error().code == ErrorCode::kLocked) {
        // The target keeps it locked: a difference (once per content); the binding keeps what
        // the target holds, so a source back at it agrees again.
        const bool added = page.differ(Differing{.system = s_.system,
                                                 .key = id.key,
                                                 .ref = id.ref,
                                                 .target_ref = s_.target->ref(binding->target_id),
                                                 .label = id.label,
                                                 .hash = hash,
                                                 .error = std::move(updated).error()});
        return added ? Outcome::kDiffers : Outcome::kSkipped;
    }
    MLC_CHECK(std::move(updated));
    alert(value, id, out, binding->target_id, page);
    confirm(*binding, id, hash);
    page.bind(*binding);
    page.agreed(s_.system, id.key, id.ref, s_.target->ref(binding->target_id));
    page.audit(id.ref, s_.target->ref(binding->target_id),
               recovered ? store::AuditAction::kCreate : store::AuditAction::kUpdate, "ok",
               id.label + " -> " + s_.target->ref(binding->target_id) + ": " +
                   (recovered ? "found in " + s_.target->system() + " by " + target_key(value, id) +
                                    " after an uncertain create (not created again), completed"
                              : "updated") +
                   " (" + s_.target->describe(out) + ")");
    return recovered ? Outcome::kCreated : Outcome::kUpdated;
}

template <typename S, typename T>
Result<Outcome> StreamWriter<S, T>::create(const S& record, const Identity& id, const T& out,
                                           const std::string& hash, Page& page) {
    (void)record;
    if (page.ctx().dry_run) return Outcome::kCreated;
    engine::RunContext& ctx = page.ctx();
    const UtcTime now = ctx.clock.now();
    store::Binding binding{.flow = ctx.flow,
                           .source_system = s_.system,
                           .source_key = id.key,
                           .target_id = {},
                           .content_hash = hash,
                           .state = store::BindingState::kPending,
                           .source_version = {},
                           .created_at = now,
                           .updated_at = now};
    // Pending first: if the create's answer is lost, the next run looks it up by the source key.
    MLC_CHECK_CTX(ctx.store.put_binding(binding), "while noting the pending create of " + id.label);
    MLC_TRY(binding.target_id, s_.target->create(out));
    confirm(binding, id, hash);
    page.bind(binding);
    page.audit(id.ref, s_.target->ref(binding.target_id), store::AuditAction::kCreate, "ok",
               id.label + " -> " + s_.target->ref(binding.target_id) + ": created (" +
                   s_.target->describe(out) + ")");
    return Outcome::kCreated;
}

template <typename S, typename T>
Result<Outcome> StreamWriter<S, T>::close(const S& record, const Identity& id,
                                          store::Binding binding, const Intent& intent,
                                          Page& page) {
    static const std::string kClosed = "closed";
    if (binding.state == store::BindingState::kPending) {
        MLC_TRY(auto found, s_.target->find_by_source(target_key(record, id)));
        if (!found) {  // It never reached the target: nothing to close.
            page.healed(s_.system, id.key);
            return Outcome::kSkipped;
        }
        binding.target_id = *found;
    }
    if (binding.content_hash == kClosed) {
        page.healed(s_.system, id.key);
        return Outcome::kSkipped;
    }
    if (!page.ctx().dry_run) MLC_CHECK(s_.target->close(binding.target_id));
    confirm(binding, id, kClosed);
    page.bind(binding);
    page.audit(id.ref, s_.target->ref(binding.target_id), store::AuditAction::kUpdate, "ok",
               id.label + " -> " + s_.target->ref(binding.target_id) + ": closed/voided (" +
                   intent.reason + ")");
    page.healed(s_.system, id.key);
    return Outcome::kClosed;
}

template <typename S, typename T>
Result<void> StreamWriter<S, T>::children(const connectors::Record<S>& record,
                                          const std::string& target_id, Page& page,
                                          engine::RunSummary& summary) {
    if (!s_.children || target_id.empty()) return ok();
    return s_.children(record, target_id, page, summary);
}

// Raised at once (like the webhook alerts): a page that fails to commit writes the record again
// next run, which raises the same key again (one open alert).
template <typename S, typename T>
void StreamWriter<S, T>::alert(const S& record, const Identity& id, const T& out,
                               const std::string& target_id, Page& page) const {
    if (!s_.alert || page.ctx().dry_run) return;
    const std::string text = s_.alert(record, out);
    if (text.empty()) return;
    engine::RunContext& ctx = page.ctx();
    const std::string message = id.label + " -> " + s_.target->ref(target_id) + ": " + text;
    ctx.log.warn("flow {}: {}", ctx.flow, message);
    const store::Alert raised{.id = 0,
                              .key = s_.name + ":" + ctx.flow + ":" + id.key,
                              .flow = ctx.flow,
                              .severity = "error",
                              .message = message,
                              .status = store::AlertStatus::kOpen,
                              .raised_at = ctx.clock.now(),
                              .acknowledged_at = {}};
    if (auto stored = ctx.store.raise_alert(raised); !stored) {
        ctx.log.warn("flow {}: {}", ctx.flow, stored.error().describe());
    }
}

template <typename S, typename T>
void StreamWriter<S, T>::confirm(store::Binding& binding, const Identity& id,
                                 std::string hash) const {
    binding.content_hash = std::move(hash);
    binding.state = store::BindingState::kConfirmed;
    if (id.version) binding.source_version = format_iso8601(*id.version);
}

template <typename S, typename T, typename WriteBatch>
Result<void> page_loop(Stream<S, T>& stream, engine::RunContext& ctx, OpenLetters& letters,
                       engine::RunSummary& summary, const WriteBatch& write_batch,
                       const std::function<void(Page&)>& caught_up) {
    MLC_TRY(auto cursor, ctx.store.get_cursor(ctx.flow, stream.name));
    const std::string where = stream.name + " of " + stream.source->system();
    MLC_TRY_CTX(auto scan, stream.source->scan(cursor ? cursor->value : std::string()),
                "while starting to read the " + where + " for flow " + ctx.flow);
    for (std::uint32_t number = 1; number <= stream.pages_per_run; ++number) {
        MLC_TRY_CTX(connectors::Batch<S> batch, scan->next(),
                    "while reading the " + where + " for flow " + ctx.flow);
        Page page(ctx, stream.direction, &letters);
        if (auto written = write_batch(batch, page); !written) {
            (void)page.commit();  // Keep what this page wrote; the position stays put.
            return std::move(written).error();
        }
        for (const connectors::RejectedRecord& rejected : batch.rejected) {
            const bool parked = page.park(Parking{.system = stream.system,
                                                  .key = rejected.key,
                                                  .ref = stream.system + ":" + rejected.key,
                                                  .label = "an unreadable " + where + " record",
                                                  .record_json = rejected.raw,
                                                  .replay_json = {},
                                                  .error = rejected.error});
            tally(summary, stream.name, parked ? Outcome::kParked : Outcome::kStillParked);
        }
        if (!batch.position.empty()) page.position(stream.name, batch.position);
        ++summary.pages;
        if (!batch.more && caught_up) caught_up(page);
        MLC_CHECK_CTX(page.commit(), "while committing page " + std::to_string(number) + " of " +
                                         where + " (flow " + ctx.flow + ")");
        if (ctx.on_page) ctx.on_page(summary);
        if (!batch.more) return ok();
        if (!ctx.checkpoint()) break;
    }
    summary.more_pending = true;
    return ok();
}

template <typename S, typename T>
Result<void> poll(Stream<S, T>& stream, engine::RunContext& ctx, OpenLetters& letters,
                  engine::RunSummary& summary, const std::function<void(Page&)>& caught_up) {
    StreamWriter<S, T> writer(stream);
    std::unique_ptr<connectors::Resolver<S, T>> resolver;  // Kept across pages (stream.hpp).
    SteadyTime built{};
    std::size_t pages = 0;
    const auto write_batch = [&](const connectors::Batch<S>& batch, Page& page) -> Result<void> {
        const SteadyTime now = ctx.clock.steady_now();
        if (!resolver || pages >= kResolverPagesMax || now - built >= kResolverLifetime) {
            resolver = stream.resolver();
            built = now;
            pages = 0;
        }
        ++pages;
        std::size_t resolved = 0;
        for (const connectors::Record<S>& record : batch.items) {
            auto outcome = writer.handle(record, page, *resolver, summary);
            if (!outcome) {
                const auto id = stream.source->identify(record.value);
                return with_context(std::move(outcome).error(),
                                    "while moving " + id.label + " to " + stream.target->system() +
                                        " (flow " + ctx.flow + ")");
            }
            tally(summary, stream.name, *outcome);
            ++resolved;
        }
        // The cursor never passes an unwritten record (ARCHITECTURE.md, "Nothing lost").
        MLC_ASSERT(resolved == batch.items.size(), "a batch's records are all resolved");
        return ok();
    };
    return page_loop(stream, ctx, letters, summary, write_batch, caught_up);
}

template <typename S, typename T>
Result<void> write_all(Stream<S, T>& stream, const std::vector<connectors::Record<S>>& records,
                       Page& page, engine::RunSummary& summary) {
    StreamWriter<S, T> writer(stream);
    auto resolver = stream.resolver();
    for (const connectors::Record<S>& record : records) {
        auto outcome = writer.handle(record, page, *resolver, summary);
        if (!outcome) {
            const auto id = stream.source->identify(record.value);
            return with_context(std::move(outcome).error(),
                                "while moving " + id.label + " to " + stream.target->system());
        }
        tally(summary, stream.name, *outcome);
    }
    return ok();
}

template <typename P, typename S, typename T>
Result<void> write_children(Stream<S, T>& stream, connectors::Children<P, S>& children,
                            const P& parent, Page& page, engine::RunSummary& summary,
                            std::size_t max) {
    std::set<std::string> missing;
    for (const std::string& key : children.keys(parent)) {
        if (missing.size() + 1 > max) break;
        MLC_TRY(auto bound, page.binding(stream.system, key));
        if (!bound || bound->state != store::BindingState::kConfirmed) missing.insert(key);
    }
    if (missing.empty() || page.ctx().dry_run) return ok();
    MLC_TRY(auto records, children.read(parent));
    std::vector<connectors::Record<S>> unwritten;
    for (auto& record : records) {
        if (missing.contains(stream.source->identify(record.value).key)) {
            unwritten.push_back(std::move(record));
        }
    }
    return write_all(stream, unwritten, page, summary);
}

template <typename S, typename T>
Result<void> replay(Stream<S, T>& stream, const std::string& ref, engine::RunContext& ctx) {
    MLC_TRY_CTX(auto record, stream.source->get(ref),
                "while reading " + stream.source->system() + " " + stream.name + " " + ref +
                    " again for replay");
    if (!record) {
        return make_error(ErrorCode::kNotFound, stream.source->system(),
                          stream.name + " " + ref + " is no longer in " + stream.source->system() +
                              ": nothing to replay; mark the letter resolved");
    }
    // No open letters: the engine marks the replayed letter itself.
    Page page(ctx, stream.direction, nullptr);
    auto resolver = stream.resolver();
    engine::RunSummary summary;
    StreamWriter<S, T> writer(stream);
    MLC_TRY(Outcome outcome, writer.write(*record, page, *resolver, summary));
    (void)outcome;
    return page.commit();
}

}  // namespace mlc::pipeline
