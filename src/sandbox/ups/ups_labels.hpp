#pragma once
// The UPS emulator's label maker: the label image of one package in a format UPS prints, the
// same bytes every time for the same package (ship and Label Recovery both use it):
//   GIF  a tiny valid GIF89a (one white pixel) carrying the tracking number in a comment block;
//   ZPL  a ZPL II page (service, ship-to name, a Code 128 barcode of the tracking number);
//   EPL  an EPL2 page (ship-to name, barcode); SPL printers take the same page here;
//   PDF  a one-page PDF 1.4 (4x6 in) naming the service, the ship-to and the tracking number
//        (Label Recovery only: Shipping.yaml's ship LabelImageFormat has no PDF).
// And the HTMLImage UPS sends beside a GIF label: a page showing label<tracking>.gif.
//
// Pure functions; thread safety: none needed.

#include <string>
#include <string_view>

namespace mlc::sandbox::ups {

// `format` is GIF, ZPL, EPL, SPL or PDF (anything else renders as EPL).
std::string label_bytes(std::string_view format, std::string_view tracking,
                        std::string_view ship_to, std::string_view service);

// The HTML page UPS pairs with a GIF label (not base64 encoded).
std::string label_html(std::string_view tracking);

}  // namespace mlc::sandbox::ups
