#include "connectors/woocommerce/woocommerce_targets.hpp"

#include <charconv>

#include "common/time.hpp"

namespace mlc::connectors::woocommerce {

std::string fulfilment_note(const Fulfilment& f) {
    std::string note = "Shipped via " + f.carrier + ", tracking " + f.tracking_number;
    if (f.ship_date) note += " (" + format_iso8601(*f.ship_date).substr(0, 10) + ")";
    return note;
}

std::string Fulfilments::ref(const std::string& id) const {
    const auto colon = id.find(':');
    if (colon == std::string::npos) return "woocommerce:order:" + id;
    return "woocommerce:order:" + id.substr(0, colon) + ":note:" + id.substr(colon + 1);
}

Result<std::optional<std::string>> Fulfilments::find_by_source(const std::string& source_key) {
    const auto colon = source_key.find(':');
    std::int64_t order = 0;
    const auto [end, ec] = std::from_chars(source_key.data(), source_key.data() + colon, order);
    if (colon == std::string::npos || ec != std::errc() || order <= 0) {
        return make_error(ErrorCode::kInternal, "woocommerce",
                          "'" + source_key + "' is not '<order id>:<tracking number>'");
    }
    const std::string tracking = source_key.substr(colon + 1);
    MLC_TRY(auto notes, client_.list_order_notes(order));
    for (const auto& [id, text] : notes) {
        if (text.find("tracking " + tracking) != std::string::npos) {
            return std::optional<std::string>(std::to_string(order) + ":" + std::to_string(id));
        }
    }
    return std::optional<std::string>();
}

Result<std::string> Fulfilments::create(const Fulfilment& f) {
    MLC_TRY(auto current, client_.get_order(f.order_id));
    const std::string& status = current.record.value.source_status;
    if (status == "processing" || status == "on-hold" || status == "pending") {
        // A cancelled or refunded order keeps its status: the note tells what shipped anyway.
        MLC_TRY(auto completed, client_.set_order_status(f.order_id, "completed"));
        (void)completed;
    }
    MLC_TRY(const std::int64_t note,
            client_.add_order_note(f.order_id, fulfilment_note(f), customer_note_));
    return std::to_string(f.order_id) + ":" + std::to_string(note);
}

std::string Fulfilments::describe(const Fulfilment& f) const {
    return "Woo order " + std::to_string(f.order_id) + " completed, note \"" + fulfilment_note(f) +
           "\"";
}

}  // namespace mlc::connectors::woocommerce
