#pragma once
// Always-on invariant checks. They crash with a message; they never validate outside input
// (that is an Error, see error.hpp).

namespace mlc {
[[noreturn]] void assert_failed(const char* expression, const char* file, int line,
                                const char* why);
}

#define MLC_ASSERT(expr, why)                                              \
    do {                                                                   \
        if (!(expr)) ::mlc::assert_failed(#expr, __FILE__, __LINE__, why); \
    } while (0)
