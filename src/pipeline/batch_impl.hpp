#pragma once
// The templates of batch.hpp. Included by it only.

namespace mlc::pipeline {

template <typename S, typename T>
Result<void> BatchWriter<S, T>::write(const std::vector<connectors::Record<S>>& records, Page& page,
                                      connectors::Resolver<S, T>& resolver,
                                      engine::RunSummary& summary) {
    Ops find, ready, later;
    std::set<std::string> keys;  // Target keys of this batch's records not written yet.
    for (const connectors::Record<S>& record : records) {
        if (s_.intent && s_.intent(record.value).kind != Intent::kWrite) {
            MLC_CHECK(one_by_one(record, page, resolver, summary));
            continue;
        }
        MLC_TRY(std::optional<Op> op, plan(record, page, resolver, summary));
        if (!op) continue;
        if (op->how != How::kUpdate && !keys.insert(op->key).second) {
            later.push_back(std::move(*op));  // Waits for the first record with this key.
        } else if (op->how == How::kRecover || (op->how == How::kCreate && target_.adopts())) {
            find.push_back(std::move(*op));
        } else {
            ready.push_back(std::move(*op));
        }
    }
    MLC_TRY(Ops found, look_up(std::move(find), page, summary));
    std::move(found.begin(), found.end(), std::back_inserter(ready));
    Ops retry = std::move(later);
    MLC_CHECK(send(std::move(ready), page, summary, &retry));
    if (retry.empty()) return ok();
    MLC_TRY(Ops again, look_up(std::move(retry), page, summary));
    return send(std::move(again), page, summary, nullptr);
}

// A record to close, or not to write (yet): the one-record writer's rules (stream.hpp), so a
// cancel closes the target record once through Target::close and a skip heals its letter.
template <typename S, typename T>
Result<void> BatchWriter<S, T>::one_by_one(const connectors::Record<S>& record, Page& page,
                                           connectors::Resolver<S, T>& resolver,
                                           engine::RunSummary& summary) {
    StreamWriter<S, T> single(s_);
    MLC_TRY(const Outcome outcome, parks_ ? single.handle(record, page, resolver, summary)
                                          : single.write(record, page, resolver, summary));
    tally(summary, s_.name, outcome);
    return ok();
}

// nullopt: settled here (skipped or parked).
template <typename S, typename T>
Result<std::optional<typename BatchWriter<S, T>::Op>> BatchWriter<S, T>::plan(
    const connectors::Record<S>& record, Page& page, connectors::Resolver<S, T>& resolver,
    engine::RunSummary& summary) {
    Op op{.record = &record, .id = s_.source->identify(record.value)};
    MLC_TRY(op.binding, page.binding(s_.system, op.id.key));
    const bool confirmed = op.binding && op.binding->state == store::BindingState::kConfirmed;
    if (confirmed && stale(op, page)) {
        tally(summary, s_.name, Outcome::kSkipped);
        return std::optional<Op>();
    }
    auto out = resolver.resolve(record.value, {});
    if (!out) {
        MLC_CHECK(refuse(op, std::move(out).error(), page, summary));
        return std::optional<Op>();
    }
    op.hash = s_.hash(*out);
    if (confirmed && op.binding->content_hash == op.hash) {
        if (op.id.version && op.binding->source_version != format_iso8601(*op.id.version)) {
            op.binding->source_version = format_iso8601(*op.id.version);  // Same content, newer.
            page.bind(*op.binding);
        }
        page.healed(s_.system, op.id.key);
        page.agreed(s_.system, op.id.key, op.id.ref, target_.ref(op.binding->target_id));
        tally(summary, s_.name, Outcome::kSkipped);
        return std::optional<Op>();
    }
    if (page.differs_as(s_.system, op.id.key, op.hash)) {  // Recorded: the target keeps it locked.
        tally(summary, s_.name, Outcome::kSkipped);
        return std::optional<Op>();
    }
    op.out = std::move(*out);
    op.key = s_.target_key ? s_.target_key(record.value) : op.id.key;
    if (confirmed) {
        op.target_id = op.binding->target_id;
        op.how = How::kUpdate;
    } else if (op.binding) {
        op.how = How::kRecover;  // Pending: the create's answer was lost.
    }
    return std::optional<Op>(std::move(op));
}

// The stale-copy rule of stream.hpp: older than written (noted in the trail), or, from an exact
// source, the very version written (quiet, healed).
template <typename S, typename T>
bool BatchWriter<S, T>::stale(const Op& op, Page& page) const {
    if (!op.id.version || op.binding->source_version.empty()) return false;
    auto written = parse_iso8601(op.binding->source_version);
    if (!written) return false;
    const std::chrono::seconds tolerance = s_.source->version_tolerance();
    if (*written - *op.id.version > tolerance) {
        page.audit(op.id.ref, target_.ref(op.binding->target_id), store::AuditAction::kSkip, "ok",
                   "older than the version already written (" + format_iso8601(*op.id.version) +
                       " < " + op.binding->source_version + ")");
        return true;
    }
    if (tolerance.count() != 0 || *written != *op.id.version) return false;
    page.healed(s_.system, op.id.key);  // The very version written: quietly nothing to do.
    return true;
}

// Looks `ops` up by their target keys: found ones are updated, the others created.
template <typename S, typename T>
Result<typename BatchWriter<S, T>::Ops> BatchWriter<S, T>::look_up(Ops ops, Page& page,
                                                                   engine::RunSummary& summary) {
    Ops ready;
    const std::size_t max = std::max<std::size_t>(1, target_.batch_max());
    for (std::size_t begin = 0; begin < ops.size(); begin += max) {
        const std::size_t end = std::min(ops.size(), begin + max);
        std::vector<std::string> keys;
        for (std::size_t i = begin; i < end; ++i) keys.push_back(ops[i].key);
        MLC_TRY_CTX(auto found, target_.find_all(keys),
                    "while looking " + std::to_string(keys.size()) + " " + s_.name + " up in " +
                        target_.system());
        if (found.size() != keys.size()) {
            return make_error(ErrorCode::kInvalidInput, target_.system(),
                              "a lookup of " + std::to_string(keys.size()) + " keys answered " +
                                  std::to_string(found.size()));
        }
        for (std::size_t i = begin; i < end; ++i) {
            MLC_CHECK(place(ops[i], found[i - begin], page, summary, ready));
        }
    }
    return ready;
}

template <typename S, typename T>
Result<void> BatchWriter<S, T>::place(Op& op, const std::optional<std::string>& found, Page& page,
                                      engine::RunSummary& summary, Ops& ready) {
    const std::string target = target_.system();
    if (!found && op.refused) {
        return refuse(op,
                      make_error(ErrorCode::kConflict, target,
                                 target + " refused " + op.id.label + " as a duplicate of " +
                                     op.key + ", yet finds no record by it (" +
                                     op.refused->message + "): check it in " + target +
                                     " (a trashed record may keep its key), then replay"),
                      page, summary);
    }
    if (!found) {
        op.how = op.how == How::kUpdate ? How::kRecreate : How::kCreate;
        op.target_id.clear();
        ready.push_back(std::move(op));
        return ok();
    }
    MLC_TRY(auto holder, owner(*found, page));
    if (holder && *holder != op.id.key) {
        return refuse(
            op,
            make_error(ErrorCode::kConflict, target,
                       op.id.label + " and " + s_.system + " " + *holder + " share " + op.key +
                           ", and " + target + " keeps one record per key (" + target_.ref(*found) +
                           "): only " + *holder + " is written; give " + op.id.key +
                           " its own in " + s_.source->system() + ", then replay"),
            page, summary);
    }
    op.how = op.how == How::kRecover ? How::kRecover : How::kAdopt;
    op.target_id = *found;
    ready.push_back(std::move(op));
    return ok();
}

// The source key of the stream bound to `target_id`: this page's writes first, then the store.
template <typename S, typename T>
Result<std::optional<std::string>> BatchWriter<S, T>::owner(const std::string& target_id,
                                                            Page& page) const {
    if (auto it = written_.find(target_id); it != written_.end()) return it->second;
    MLC_TRY(auto bound, page.ctx().store.find_binding_by_target(page.ctx().flow, target_id));
    if (!bound || bound->source_system != s_.system) return std::optional<std::string>();
    return std::optional<std::string>(bound->source_key);
}

template <typename S, typename T>
Result<void> BatchWriter<S, T>::send(Ops ops, Page& page, engine::RunSummary& summary, Ops* retry) {
    if (page.ctx().dry_run) {
        for (const Op& op : ops) {
            tally(summary, s_.name, creates(op.how) ? Outcome::kCreated : Outcome::kUpdated);
        }
        return ok();
    }
    MLC_CHECK(note_pending(ops, page));
    const std::size_t max = std::max<std::size_t>(1, target_.batch_max());
    std::optional<Error> fatal;
    for (std::size_t begin = 0; begin < ops.size() && !fatal; begin += max) {
        const std::size_t end = std::min(ops.size(), begin + max);
        std::vector<connectors::BatchWrite<T>> writes;
        for (std::size_t i = begin; i < end; ++i) {
            writes.push_back({.id = ops[i].target_id, .record = &*ops[i].out});
        }
        MLC_TRY_CTX(auto outcomes, target_.write(writes),
                    "while writing " + std::to_string(writes.size()) + " " + s_.name + " to " +
                        target_.system());
        if (outcomes.size() != writes.size()) {
            return make_error(ErrorCode::kInvalidInput, target_.system(),
                              "a batch of " + std::to_string(writes.size()) + " writes answered " +
                                  std::to_string(outcomes.size()) + " outcomes");
        }
        for (std::size_t i = begin; i < end; ++i) {
            MLC_CHECK(settle(ops[i], std::move(outcomes[i - begin]), page, summary, retry, fatal));
        }
    }
    if (fatal) return *fatal;
    return ok();
}

// Pending first: if the call's answer is lost, the next run looks these keys up in the target.
template <typename S, typename T>
Result<void> BatchWriter<S, T>::note_pending(const Ops& ops, Page& page) const {
    engine::RunContext& ctx = page.ctx();
    Page pending(ctx, page.direction(), nullptr);
    for (const Op& op : ops) {
        if (!op.target_id.empty()) continue;
        const UtcTime now = ctx.clock.now();
        pending.bind(store::Binding{.flow = ctx.flow,
                                    .source_system = s_.system,
                                    .source_key = op.id.key,
                                    .target_id = {},
                                    .content_hash = op.hash,
                                    .state = store::BindingState::kPending,
                                    .source_version = {},
                                    .created_at = op.binding ? op.binding->created_at : now,
                                    .updated_at = now});
    }
    MLC_CHECK_CTX(pending.commit(), "while noting the pending creates of " + s_.name);
    return ok();
}

template <typename S, typename T>
Result<void> BatchWriter<S, T>::settle(Op& op, Result<std::string> outcome, Page& page,
                                       engine::RunSummary& summary, Ops* retry,
                                       std::optional<Error>& fatal) {
    if (outcome) {
        done(op, *outcome, page, summary);
        return ok();
    }
    Error error = std::move(outcome).error();
    if (error.code == ErrorCode::kLocked) {
        differ(op, std::move(error), page, summary);
        return ok();
    }
    const bool create = op.target_id.empty();
    if (retry != nullptr &&
        (create ? error.code == ErrorCode::kConflict : error.code == ErrorCode::kNotFound)) {
        if (create) op.refused = error;                 // Already there: find it and update it.
        op.how = create ? How::kCreate : How::kUpdate;  // Gone: find it, or create it again.
        retry->push_back(std::move(op));
        return ok();
    }
    if (next_action(error.code) != NextAction::kPark) {
        if (!fatal) {
            fatal = with_context(std::move(error),
                                 "while moving " + op.id.label + " to " + target_.system());
        }
        return ok();
    }
    return refuse(op, std::move(error), page, summary);
}

template <typename S, typename T>
void BatchWriter<S, T>::done(const Op& op, const std::string& target_id, Page& page,
                             engine::RunSummary& summary) {
    const UtcTime now = page.ctx().clock.now();
    store::Binding binding = op.binding.value_or(store::Binding{.flow = page.ctx().flow,
                                                                .source_system = s_.system,
                                                                .source_key = op.id.key,
                                                                .target_id = {},
                                                                .content_hash = {},
                                                                .state = {},
                                                                .source_version = {},
                                                                .created_at = now,
                                                                .updated_at = now});
    binding.target_id = target_id;
    binding.content_hash = op.hash;
    binding.state = store::BindingState::kConfirmed;
    if (op.id.version) binding.source_version = format_iso8601(*op.id.version);
    page.bind(std::move(binding));
    written_[target_id] = op.id.key;
    const bool created = creates(op.how);
    page.audit(op.id.ref, target_.ref(target_id),
               created ? store::AuditAction::kCreate : store::AuditAction::kUpdate, "ok",
               op.id.label + " -> " + target_.ref(target_id) + ": " + what(op) + " (" +
                   target_.describe(*op.out) + ")");
    page.healed(s_.system, op.id.key);
    page.agreed(s_.system, op.id.key, op.id.ref, target_.ref(target_id));
    tally(summary, s_.name, created ? Outcome::kCreated : Outcome::kUpdated);
}

// The target keeps the record locked: a difference (once per content), never a letter or a retry;
// the binding keeps what the target holds, so a source back at it agrees again.
template <typename S, typename T>
void BatchWriter<S, T>::differ(const Op& op, Error error, Page& page,
                               engine::RunSummary& summary) const {
    const bool added = page.differ(Differing{.system = s_.system,
                                             .key = op.id.key,
                                             .ref = op.id.ref,
                                             .target_ref = target_.ref(op.target_id),
                                             .label = op.id.label,
                                             .hash = op.hash,
                                             .error = std::move(error)});
    tally(summary, s_.name, added ? Outcome::kDiffers : Outcome::kSkipped);
}

template <typename S, typename T>
std::string BatchWriter<S, T>::what(const Op& op) const {
    const std::string target = target_.system();
    switch (op.how) {
        case How::kCreate:
            return "created";
        case How::kUpdate:
            return "updated";
        case How::kRecover:
            return "found in " + target + " by " + op.key +
                   " after an uncertain create (not created again), completed";
        case How::kAdopt:
            return "already in " + target + " (found by " + op.key + "), updated";
        case How::kRecreate:
            return "created again (gone from " + target + ")";
    }
    return "written";
}

template <typename S, typename T>
Result<void> BatchWriter<S, T>::refuse(const Op& op, Error error, Page& page,
                                       engine::RunSummary& summary) const {
    if (!parks_ || next_action(error.code) != NextAction::kPark) {
        return with_context(std::move(error),
                            "while moving " + op.id.label + " to " + target_.system());
    }
    if (error.record_key.empty()) error.record_key = op.id.label;
    const bool parked = page.park(
        Parking{.system = s_.system,
                .key = op.id.key,
                .ref = op.id.ref,
                .label = op.id.label,
                .record_json = op.record->raw,
                .replay_json = replay_key(s_.name, op.id.replay),
                .error = std::move(error),
                .target_ref = op.target_id.empty() ? std::string() : target_.ref(op.target_id)});
    tally(summary, s_.name, parked ? Outcome::kParked : Outcome::kStillParked);
    return ok();
}

template <typename S, typename T>
void check_batched(const Stream<S, T>& stream, connectors::BatchTarget<T>& target) {
    MLC_ASSERT(stream.target == &target, "a batched stream's target is the batch target");
    MLC_ASSERT(stream.parent_system.empty() && !stream.children,
               "a batched stream has no parent link or children");
    MLC_ASSERT(target.updates() && target.searchable_by_source(),
               "a batch target updates and finds what it wrote");
}

template <typename S, typename T>
Result<void> poll_batched(Stream<S, T>& stream, connectors::BatchTarget<T>& target,
                          engine::RunContext& ctx, OpenLetters& letters,
                          engine::RunSummary& summary) {
    check_batched(stream, target);
    const auto write_batch = [&](const connectors::Batch<S>& batch, Page& page) -> Result<void> {
        auto resolver = stream.resolver();
        BatchWriter<S, T> writer(stream, target, /*parks=*/true);
        // Every record of the batch is written, skipped or parked when write() returns ok.
        MLC_CHECK_CTX(writer.write(batch.items, page, *resolver, summary), "flow " + ctx.flow);
        return ok();
    };
    return page_loop(stream, ctx, letters, summary, write_batch, {});
}

template <typename S, typename T>
Result<void> replay_batched(Stream<S, T>& stream, connectors::BatchTarget<T>& target,
                            const std::string& ref, engine::RunContext& ctx) {
    check_batched(stream, target);
    MLC_TRY_CTX(auto record, stream.source->get(ref),
                "while reading " + stream.source->system() + " " + stream.name + " " + ref +
                    " again for replay");
    if (!record) {
        return make_error(ErrorCode::kNotFound, stream.source->system(),
                          stream.name + " " + ref + " is no longer in " + stream.source->system() +
                              ": nothing to replay; mark the letter resolved");
    }
    Page page(ctx, stream.direction, nullptr);  // The engine marks the replayed letter itself.
    auto resolver = stream.resolver();
    engine::RunSummary summary;
    BatchWriter<S, T> writer(stream, target, /*parks=*/false);
    MLC_CHECK(writer.write({*record}, page, *resolver, summary));
    return page.commit();
}

}  // namespace mlc::pipeline
