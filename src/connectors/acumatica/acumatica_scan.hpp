#pragma once
// The scan of an Acumatica listing "changed after a time" read in $top/$skip pages (sales orders,
// stock items). The contract API lists in key order, not by time, so a page's newest change says
// nothing about later pages: the position becomes the newest change seen only on the scan's last
// page. A scan cut before its last page (pages_per_run reached, or the process killed) stores
// where it stands instead, "<newest so far>|<read from>|<next page>", and the next scan resumes
// that pass at that page: a window larger than one run's pages still gets read to its end.
//
// Value type over the source's List(from, page) and TimeOf(record). Thread safety: none.

#include <charconv>
#include <memory>
#include <string>

#include "common/time.hpp"
#include "connectors/connector.hpp"
#include "connectors/time_position.hpp"

namespace mlc::connectors::acumatica {

template <typename T, typename List, typename TimeOf>
class KeyOrderScan final : public Scan<T> {
  public:
    static Result<std::unique_ptr<Scan<T>>> start(const std::string& stored,
                                                  const TimeWindow& window, List list,
                                                  TimeOf time_of) {
        const auto bar = stored.find('|');
        MLC_TRY(TimePosition at, TimePosition::from(stored.substr(0, bar), window));
        auto scan = std::unique_ptr<KeyOrderScan>(
            new KeyOrderScan(at, std::move(list), std::move(time_of)));
        if (bar != std::string::npos) {  // A pass cut short: resume it.
            const auto second = stored.find('|', bar + 1);
            const std::string next = second == std::string::npos ? "" : stored.substr(second + 1);
            std::uint32_t page = 0;
            const auto [end, ec] = std::from_chars(next.data(), next.data() + next.size(), page);
            MLC_TRY_CTX(scan->read_from_, parse_iso8601(stored.substr(bar + 1, second - bar - 1)),
                        "while reading a stored scan position");
            if (ec != std::errc() || end != next.data() + next.size() || page < 1) {
                return make_error(ErrorCode::kInvalidInput, "acumatica",
                                  "stored scan position '" + stored + "' names no page");
            }
            scan->page_ = page;
        }
        return std::unique_ptr<Scan<T>>(std::move(scan));
    }

    Result<Batch<T>> next() override {
        MLC_TRY(Page<T> page, list_(read_from_, page_));
        Batch<T> batch{.items = std::move(page.items),
                       .rejected = std::move(page.rejected),
                       .position = {},
                       .more = page.more};
        for (const auto& record : batch.items) position_.saw(time_of_(record.value));
        ++page_;
        batch.position = page.more ? position_.value() + "|" + format_iso8601(read_from_) + "|" +
                                         std::to_string(page_)
                                   : position_.value();
        return batch;
    }

  private:
    KeyOrderScan(TimePosition position, List list, TimeOf time_of)
        : position_(position),
          read_from_(position.read_from()),
          list_(std::move(list)),
          time_of_(std::move(time_of)) {}

    TimePosition position_;
    UtcTime read_from_;
    List list_;
    TimeOf time_of_;
    std::uint32_t page_ = 1;
};

template <typename T, typename List, typename TimeOf>
Result<std::unique_ptr<Scan<T>>> key_order_scan(const std::string& stored, const TimeWindow& window,
                                                List list, TimeOf time_of) {
    return KeyOrderScan<T, List, TimeOf>::start(stored, window, std::move(list),
                                                std::move(time_of));
}

}  // namespace mlc::connectors::acumatica
