#include "model/model.hpp"

namespace mlc::model {

std::string_view to_string(OrderStatus status) {
    switch (status) {
        case OrderStatus::kPending:
            return "pending";
        case OrderStatus::kOpen:
            return "open";
        case OrderStatus::kOnHold:
            return "on_hold";
        case OrderStatus::kShipped:
            return "shipped";
        case OrderStatus::kCancelled:
            return "cancelled";
        case OrderStatus::kCompleted:
            return "completed";
        case OrderStatus::kRefunded:
            return "refunded";
    }
    return "open";
}

bool is_balanced(const JournalEntry& entry) {
    Decimal debit;
    Decimal credit;
    for (const auto& line : entry.lines) {
        debit += line.debit;
        credit += line.credit;
    }
    return debit == credit;
}

}  // namespace mlc::model
