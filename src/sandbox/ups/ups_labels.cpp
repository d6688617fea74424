#include "sandbox/ups/ups_labels.hpp"

#include <array>
#include <cstdio>
#include <vector>

namespace mlc::sandbox::ups {
namespace {

std::string gif_label(std::string_view tracking) {
    static constexpr unsigned char kHead[] = {'G',  'I', 'F', '8', '9', 'a', 1,    0,    1,   0,
                                              0x80, 0,   0,   0,   0,   0,   0xFF, 0xFF, 0xFF};
    static constexpr unsigned char kImage[] = {',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 'D', 1, 0};
    std::string bytes(reinterpret_cast<const char*>(kHead), sizeof kHead);
    bytes += "\x21\xFE";
    bytes += static_cast<char>(tracking.size());
    bytes += tracking;
    bytes += '\0';
    bytes.append(reinterpret_cast<const char*>(kImage), sizeof kImage);
    bytes += ';';
    return bytes;
}

// PDF string literal: backslash, parentheses escaped.
std::string pdf_text(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '(' || c == ')') out += '\\';
        out += c;
    }
    return out;
}

// One 288x432 pt (4x6 in) page in Helvetica; the cross-reference table holds each object's
// byte offset, as PDF 1.4 requires.
std::string pdf_label(std::string_view tracking, std::string_view ship_to,
                      std::string_view service) {
    const std::string content = "BT /F1 14 Tf 24 390 Td (" + pdf_text(service) + ") Tj 0 -30 Td (" +
                                pdf_text(ship_to) + ") Tj 0 -30 Td (" + pdf_text(tracking) +
                                ") Tj ET";
    const std::array<std::string, 5> objects = {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (const std::size_t offset : offsets) {
        char entry[24];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
           " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

}  // namespace

std::string label_bytes(std::string_view format, std::string_view tracking,
                        std::string_view ship_to, std::string_view service) {
    const std::string number(tracking);
    const std::string to(ship_to);
    if (format == "GIF") return gif_label(tracking);
    if (format == "PDF") return pdf_label(tracking, ship_to, service);
    if (format == "ZPL") {
        return "^XA^CF0,40^FO40,40^FD" + std::string(service) + "^FS^FO40,100^FD" + to +
               "^FS^FO40,170^BCN,120,Y,N,N^FD" + number + "^FS^XZ";
    }
    return "N\nA40,40,0,4,1,1,N,\"" + to + "\"\nB40,100,0,1,3,7,120,B,\"" + number +
           "\"\nP1\n";  // EPL; SPL printers take the same page here.
}

std::string label_html(std::string_view tracking) {
    const std::string number(tracking);
    return "<html><head><title>View/Print Label</title></head><body><img src=\"label" + number +
           ".gif\" width=\"651\" height=\"392\"></body></html>";
}

}  // namespace mlc::sandbox::ups
