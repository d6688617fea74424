#pragma once
// EventReader<T>: the second push-path seam beside connectors::EventDecoder (connector.hpp), for
// vendors whose webhook events only point at data (ShipStation's payloads carry a resource_url
// and nothing else): what an event asks for is decided without I/O (plan), and the records it
// names are read through the connector's client (read). pipeline::lease_hints/follow drive it.
//
// Pure interfaces and value types. Thread safety: implementations state their own.

#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.hpp"

namespace mlc::connectors {

// What a webhook event that only points at data asks for (ShipStation's payloads carry a
// resource_url and nothing else): decided without I/O, so the pipeline sorts a leased batch first.
struct EventPlan {
    enum Kind {
        kWake,    // Only wakes the flow: the poll reads the data; settled with its last page.
        kFollow,  // Names a resource: EventReader::read() reads its records, written at once.
        kSkip,    // Nothing to do (another topic, a stream the flow does not move).
        kBroken,  // Verified but names nothing to follow: settled at once, audited kFail.
    };
    Kind kind = kSkip;
    std::string detail = {};  // The audit's words: what the wake means, why skipped or broken.
};

// The records a followed event names, and those that could not be mapped.
template <typename T>
struct EventRecords {
    std::vector<Record<T>> items = {};
    std::vector<RejectedRecord> rejected = {};
};

// A vendor's data-less webhook events -> records, read through the connector's client: the
// counterpart of EventDecoder for payloads that must be followed (pipeline::follow drives it).
template <typename T>
class EventReader {
  public:
    virtual ~EventReader() = default;
    // The system the events come from, as audit references name it ("shipstation").
    virtual std::string system() const = 0;
    // What one record is called in an audit line ("shipment").
    virtual std::string noun() const = 0;
    // No I/O. `topic` may be empty (then the body names it).
    virtual EventPlan plan(std::string_view topic, std::string_view body) const = 0;
    // Reads the records a kFollow event names. An error that may pass (kTransient, a rate limit)
    // is retried by later runs; any other settles the event.
    virtual Result<EventRecords<T>> read(std::string_view topic, std::string_view body) = 0;
};

}  // namespace mlc::connectors
