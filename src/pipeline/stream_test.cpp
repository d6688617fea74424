// The record protocol of pipeline/stream.hpp over an in-memory source and target: what a user of
// any flow relies on (nothing lost, nothing doubled, quiet when nothing changed, one letter per
// stuck record, healed when fixed), on the real SQLite store.
#include "pipeline/stream.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "pipeline/flow.hpp"
#include "pipeline/testing/test_run.hpp"

namespace mlc::pipeline {
namespace {

using connectors::Record;

struct Item {
    std::string key;
    std::string sku;
    int version = 0;  // Seconds after the epoch the source last changed it.
    bool cancelled = false;
};

UtcTime at(int seconds) { return UtcTime{std::chrono::seconds{1'700'000'000 + seconds}}; }

// A source whose position is the index of the next record; `page` records a batch.
class ListSource final : public connectors::Source<Item> {
  public:
    std::vector<Item> items;
    std::size_t page = 2;
    std::function<void()> before_batch;  // Called before each page is read.
    std::string system() const override { return "list"; }
    Result<std::unique_ptr<connectors::Scan<Item>>> scan(const std::string& position) override {
        class Pass final : public connectors::Scan<Item> {
          public:
            Pass(ListSource& s, std::size_t from) : s_(s), at_(from) {}
            Result<connectors::Batch<Item>> next() override {
                if (s_.before_batch) s_.before_batch();
                connectors::Batch<Item> batch;
                for (; at_ < s_.items.size() && batch.items.size() < s_.page; ++at_) {
                    batch.items.push_back({.value = s_.items[at_], .raw = s_.items[at_].key});
                }
                batch.position = std::to_string(at_);
                batch.more = at_ < s_.items.size();
                return batch;
            }

          private:
            ListSource& s_;
            std::size_t at_;
        };
        return std::unique_ptr<connectors::Scan<Item>>(
            std::make_unique<Pass>(*this, position.empty() ? 0 : std::stoul(position)));
    }
    Result<std::optional<Record<Item>>> get(const std::string& ref) override {
        for (const Item& item : items) {
            if (item.key == ref) return std::optional<Record<Item>>(Record<Item>{item, item.key});
        }
        return std::optional<Record<Item>>();
    }
    connectors::SourceIdentity identify(const Item& item) const override {
        return {.key = item.key,
                .ref = "list:" + item.key,
                .replay = item.key,
                .label = "item " + item.key,
                .version = at(item.version)};
    }
};

// A target that can lose the answer to a create (the write lands, the caller hears an error).
class MapTarget final : public connectors::Target<Item> {
  public:
    bool write_once = false;
    bool updates() const override { return !write_once; }
    std::map<std::string, Item> rows;  // id -> row
    std::map<std::string, bool> closed;
    int creates = 0, updated = 0;
    bool lose_next_answer = false;
    std::string system() const override { return "map"; }
    std::string ref(const std::string& id) const override { return "map:" + id; }
    Result<std::optional<std::string>> find_by_source(const std::string& key) override {
        for (const auto& [id, row] : rows) {
            if (row.key == key) return std::optional<std::string>(id);
        }
        return std::optional<std::string>();
    }
    Result<std::string> create(const Item& item) override {
        ++creates;
        const std::string id = "T" + std::to_string(rows.size() + 1);
        rows[id] = item;
        if (lose_next_answer) {
            lose_next_answer = false;
            return make_error(ErrorCode::kTransient, "map", "connection reset after sending");
        }
        return id;
    }
    Result<void> update(const std::string& id, const Item& item) override {
        ++updated;
        rows[id] = item;
        return ok();
    }
    Result<void> close(const std::string& id) override {
        closed[id] = true;
        return ok();
    }
    std::string describe(const Item& item) const override { return "sku " + item.sku; }
};

// SKUs the target knows; anything else is unresolved.
class SkuResolver final : public connectors::Resolver<Item, Item> {
  public:
    explicit SkuResolver(const std::map<std::string, bool>& known) : known_(known) {}
    Result<Item> resolve(const Item& item, const std::string&) override {
        if (!known_.contains(item.sku)) {
            return make_error(ErrorCode::kUnresolved, "map",
                              "SKU '" + item.sku + "' is unknown: map it, then replay");
        }
        return item;
    }

  private:
    const std::map<std::string, bool>& known_;
};

class StreamTest : public ::testing::Test {
  protected:
    StreamTest() {
        stream_ = Stream<Item, Item>{
            .name = "items",
            .system = "list",
            .direction = "list->map",
            .source = &source_,
            .target = &target_,
            .resolver = [this] { return std::make_unique<SkuResolver>(known_); },
            .hash = [](const Item& item) { return item.sku; },
            .intent =
                [](const Item& item) {
                    return item.cancelled ? Intent{.kind = Intent::kClose, .reason = "cancelled"}
                                          : Intent{};
                },
            .pages_per_run = 100};
    }

    engine::RunSummary run() {
        engine::RunContext ctx = context();
        auto letters = OpenLetters::load(*t_.store, "f");
        EXPECT_TRUE(letters);
        engine::RunSummary summary;
        auto done = poll(stream_, ctx, *letters, summary);
        EXPECT_TRUE(done) << done.error().describe();
        return summary;
    }
    engine::RunContext context() { return t_.context(); }
    std::vector<store::DeadLetter> open_letters() {
        return t_.store->list_dead_letters("f", store::DeadLetterStatus::kOpen, 100).value();
    }
    // The source's position back to its start: the next run reads every record again.
    void rewind() {
        ASSERT_TRUE(t_.store->set_cursor(
            {.flow = "f", .stream = "items", .value = "0", .updated_at = t_.clock.now()}));
    }
    std::size_t audit_rows() {
        store::AuditQuery query;
        query.flow = "f";
        return t_.store->query_audit(query).value().size();
    }

    ListSource source_;
    MapTarget target_;
    std::map<std::string, bool> known_{{"A", true}, {"B", true}};
    Stream<Item, Item> stream_;
    testing::TestRun t_;
};

TEST_F(StreamTest, EveryRecordIsWrittenOnceAndTheCursorEndsAfterTheLast) {
    source_.items = {{"k1", "A", 1}, {"k2", "B", 2}, {"k3", "A", 3}};
    const engine::RunSummary first = run();
    EXPECT_EQ(first.created, 3);
    EXPECT_EQ(first.pages, 2);
    EXPECT_EQ(first.streams.at("items").created, 3);
    EXPECT_EQ(t_.store->get_cursor("f", "items").value()->value, "3");
    EXPECT_EQ(target_.creates, 3);
}

TEST_F(StreamTest, APollKeepsItsResolverAcrossPagesForABoundedNumberOfPagesAndTime) {
    int built = 0;
    stream_.resolver = [this, &built] {
        ++built;
        return std::make_unique<SkuResolver>(known_);
    };
    for (int i = 0; i < 2 * static_cast<int>(kResolverPagesMax) + 2; ++i) {
        source_.items.push_back({fmt::format("k{}", i), "A", i});
    }
    // kResolverPagesMax + 1 pages: the last one gets a new resolver.
    EXPECT_EQ(run().created, static_cast<int>(source_.items.size()));
    EXPECT_EQ(built, 2);

    // Past the lifetime between two pages, each page gets a new one.
    built = 0;
    source_.items = {{"n1", "A", 1}, {"n2", "A", 2}, {"n3", "B", 3}, {"n4", "B", 4}};
    rewind();
    source_.before_batch = [this] { t_.clock.advance(kResolverLifetime); };
    EXPECT_EQ(run().created, 4);
    EXPECT_EQ(built, 2);
}

TEST_F(StreamTest, AnUnchangedRecordReadAgainIsSkippedWithoutAnAuditRow) {
    source_.items = {{"k1", "A", 1}};
    run();
    const std::size_t rows = audit_rows();
    rewind();
    const engine::RunSummary again = run();  // An overlap re-read.
    EXPECT_EQ(again.skipped, 1);
    EXPECT_EQ(audit_rows(), rows);
    EXPECT_EQ(target_.creates, 1);
    EXPECT_EQ(target_.updated, 0);
}

TEST_F(StreamTest, AChangedRecordIsUpdatedAndAnOlderCopyNeverOverwritesIt) {
    source_.items = {{"k1", "A", 5}};
    run();
    source_.items = {{"k1", "B", 9}};
    rewind();
    EXPECT_EQ(run().updated, 1);
    source_.items = {{"k1", "A", 7}};  // A late copy older than what was written.
    rewind();
    EXPECT_EQ(run().skipped, 1);
    EXPECT_EQ(target_.rows.at("T1").sku, "B");
}

TEST_F(StreamTest, AnUncertainCreateIsFoundInTheTargetAndNeverMadeTwice) {
    source_.items = {{"k1", "A", 1}};
    target_.lose_next_answer = true;
    engine::RunContext ctx = context();
    auto letters = OpenLetters::load(*t_.store, "f").value();
    engine::RunSummary summary;
    EXPECT_FALSE(poll(stream_, ctx, letters, summary));  // The run fails; the cursor stays.
    EXPECT_FALSE(t_.store->get_cursor("f", "items").value().has_value());
    const engine::RunSummary next = run();
    EXPECT_EQ(next.created, 1);
    EXPECT_EQ(target_.creates, 1);
    EXPECT_EQ(t_.store->get_binding("f", "list", "k1").value()->target_id, "T1");
}

TEST_F(StreamTest, AWriteOnceTargetWhoseCreateWasCutIsWrittenByTheNextRun) {
    target_.write_once = true;  // A staging row or a tracking number: written once, never updated.
    source_.items = {{"k1", "A", 1}};
    target_.lose_next_answer = true;
    target_.rows.clear();
    engine::RunContext ctx = context();
    auto letters = OpenLetters::load(*t_.store, "f").value();
    engine::RunSummary summary;
    EXPECT_FALSE(poll(stream_, ctx, letters, summary));
    EXPECT_EQ(run().created, 1);  // Found by its key, bound; not skipped as "already written".
    EXPECT_EQ(t_.store->get_binding("f", "list", "k1").value()->state,
              store::BindingState::kConfirmed);
    source_.items = {{"k1", "B", 2}};
    rewind();
    EXPECT_EQ(run().skipped, 1);
    EXPECT_EQ(target_.rows.at("T1").sku, "A");
}

TEST_F(StreamTest, ChildrenFollowTheirParentInTheRunThatCreatesIt) {
    std::vector<std::string> parents;  // Target ids the children step was given.
    stream_.children = [&parents](const Record<Item>&, const std::string& target_id, Page&,
                                  engine::RunSummary&) -> Result<void> {
        parents.push_back(target_id);
        return ok();
    };
    source_.items = {{"k1", "A", 1}};
    EXPECT_EQ(run().created, 1);
    ASSERT_EQ(parents.size(), 1u);
    EXPECT_EQ(parents.front(), "T1");
    source_.items = {{"k1", "B", 2}};  // Updated: its children are looked at again.
    rewind();
    EXPECT_EQ(run().updated, 1);
    EXPECT_EQ(parents.size(), 2u);
}

TEST_F(StreamTest, AStuckRecordIsOneLetterNotOnePerPollAndHealsOnceFixed) {
    source_.items = {{"k1", "X", 1}, {"k2", "A", 2}};
    const engine::RunSummary first = run();
    EXPECT_EQ(first.parked, 1);
    EXPECT_EQ(first.created, 1);
    EXPECT_EQ(t_.store->get_cursor("f", "items").value()->value,
              "2");  // Parked counts as resolved.
    const std::size_t rows = audit_rows();
    for (int i = 0; i < 5; ++i) {
        rewind();
        EXPECT_EQ(run().still_parked, 1);
    }
    ASSERT_EQ(open_letters().size(), 1u);
    EXPECT_EQ(open_letters().front().attempts, 1);
    EXPECT_EQ(audit_rows(), rows);

    known_["X"] = true;  // The fix: the SKU now resolves; the next read heals the letter.
    rewind();
    EXPECT_EQ(run().created, 1);
    EXPECT_TRUE(open_letters().empty());
}

// With JSON logs, the line of a parked record carries its flow, system, key and error code as
// members, so a log search finds every line of one record.
TEST_F(StreamTest, AParkedRecordsJsonLogLineNamesItsFlowSystemKeyAndErrorAsFields) {
    std::ostringstream out;
    t_.log = make_logger({.format = LogFormat::kJson, .stream = &out});
    source_.items = {{"k1", "X", 1}};
    EXPECT_EQ(run().parked, 1);
    t_.log->flush();
    int parked = 0;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
        const boost::json::value parsed = boost::json::parse(line);
        const boost::json::object& o = parsed.as_object();
        if (!o.contains("record")) continue;
        ++parked;
        EXPECT_EQ(o.at("event"), "parked") << line;
        EXPECT_EQ(o.at("flow"), "f") << line;
        EXPECT_EQ(o.at("system"), "list") << line;
        EXPECT_EQ(o.at("record"), "k1") << line;
        EXPECT_EQ(o.at("error"), "unresolved") << line;
        EXPECT_NE(o.at("msg").as_string().find("parked"), boost::json::string::npos) << line;
    }
    EXPECT_EQ(parked, 1) << out.str();
}

TEST_F(StreamTest, AWrittenRecordWhoseUpdateIsRefusedIsParkedNamingItsTargetRecord) {
    source_.items = {{"k1", "A", 1}};
    run();
    source_.items = {{"k1", "X", 2}};  // Edited at the source to a SKU the target lacks.
    rewind();
    EXPECT_EQ(run().parked, 1);
    store::AuditQuery query;
    query.flow = "f";
    const auto trail = t_.store->query_audit(query).value();
    ASSERT_FALSE(trail.empty());
    const store::AuditEvent& parked = trail.front();  // Newest first.
    EXPECT_EQ(parked.action, store::AuditAction::kPark);
    EXPECT_EQ(parked.source_ref, "list:k1");
    EXPECT_EQ(parked.target_ref, "map:T1") << "mlc audit shows which target record is behind";
}

TEST_F(StreamTest, ReplayReadsTheRecordAgainAndWritesIt) {
    source_.items = {{"k1", "X", 1}};
    run();
    const store::DeadLetter letter = open_letters().at(0);
    Flow flow(nullptr);
    flow.replay_route("items", [this](const std::string& ref, engine::RunContext& ctx) {
        return replay(stream_, ref, ctx);
    });
    engine::RunContext ctx = context();
    EXPECT_EQ(flow.replay(letter, ctx).error().code, ErrorCode::kUnresolved);
    known_["X"] = true;
    EXPECT_TRUE(flow.replay(letter, ctx));
    EXPECT_EQ(target_.creates, 1);
}

TEST_F(StreamTest, AFlowEndsItsSessionAfterEveryRunAndReplayEvenAFailedOne) {
    source_.items = {{"k1", "X", 1}};
    run();
    const store::DeadLetter letter = open_letters().at(0);
    int ended = 0;
    Flow flow(nullptr);
    flow.step([](engine::RunContext&, engine::RunSummary&, OpenLetters&) -> Result<void> {
        return make_error(ErrorCode::kTransient, "test", "the vendor went away");
    });
    flow.replay_route("items", [this](const std::string& ref, engine::RunContext& ctx) {
        return replay(stream_, ref, ctx);
    });
    flow.finally([&ended](engine::RunContext&) {
        ++ended;
        return ok();
    });
    engine::RunContext ctx = context();
    EXPECT_FALSE(flow.run_once(ctx));
    EXPECT_EQ(ended, 1) << "a failed run still logs out";
    EXPECT_FALSE(flow.replay(letter, ctx));
    EXPECT_EQ(ended, 2) << "a replay logs out too";
}

TEST_F(StreamTest, ACancelledRecordClosesItsTargetOnceAndAnUnwrittenOneIsNotCreated) {
    source_.items = {{"k1", "A", 1}, {"k2", "A", 1, true}};
    run();
    EXPECT_EQ(target_.creates, 1);
    source_.items = {{"k1", "A", 2, true}};
    rewind();
    EXPECT_EQ(run().updated, 1);
    EXPECT_TRUE(target_.closed.at("T1"));
    source_.items = {{"k1", "A", 3, true}};
    rewind();
    EXPECT_EQ(run().skipped, 1);
}

TEST_F(StreamTest, ADryRunWritesNothingAnywhere) {
    source_.items = {{"k1", "A", 1}, {"k2", "X", 2}};
    engine::RunContext ctx = context();
    ctx.dry_run = true;
    auto letters = OpenLetters::load(*t_.store, "f").value();
    engine::RunSummary summary;
    ASSERT_TRUE(poll(stream_, ctx, letters, summary));
    EXPECT_EQ(summary.created, 1);
    EXPECT_EQ(summary.parked, 1);
    EXPECT_EQ(target_.creates, 0);
    EXPECT_TRUE(open_letters().empty());
    EXPECT_FALSE(t_.store->get_cursor("f", "items").value().has_value());
}

}  // namespace
}  // namespace mlc::pipeline
