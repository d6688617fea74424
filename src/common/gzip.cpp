#include "common/gzip.hpp"

#include <zlib.h>

#include "common/assert.hpp"

namespace mlc {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // zlib: 15-bit window, +16 writes a gzip wrapper
constexpr int kMemLevel = 8;
constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kInflatedBytesMax = 512 * 1024 * 1024;  // A document bigger is refused

}  // namespace

std::string gzip_compress(std::string_view bytes) {
    z_stream stream{};
    const int init = deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits,
                                  kMemLevel, Z_DEFAULT_STRATEGY);
    MLC_ASSERT(init == Z_OK, "deflateInit2");
    std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int done = deflate(&stream, Z_FINISH);
    MLC_ASSERT(done == Z_STREAM_END, "deflate into deflateBound bytes finishes");
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

std::optional<std::string> gzip_decompress(std::string_view bytes) {
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) return std::nullopt;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    std::string out;
    int status = Z_OK;
    while (status == Z_OK && out.size() < kInflatedBytesMax) {
        const std::size_t had = out.size();
        out.resize(had + kChunkBytes);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + had);
        stream.avail_out = static_cast<uInt>(kChunkBytes);
        status = inflate(&stream, Z_NO_FLUSH);
        out.resize(had + kChunkBytes - stream.avail_out);
    }
    const bool complete = status == Z_STREAM_END && stream.avail_in == 0;
    inflateEnd(&stream);
    if (!complete) return std::nullopt;
    return out;
}

}  // namespace mlc
