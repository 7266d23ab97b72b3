#include "ccrc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int onebox_crc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
static uint64_t crc_words(uint64_t crc, const unsigned char *p, size_t words) {
    for (size_t i = 0; i < words; i++) {
        uint64_t word;
        memcpy(&word, p + 8 * i, 8);
        crc = _mm_crc32_u64(crc, word);
    }
    return crc;
}

__attribute__((target("sse4.2")))
uint32_t onebox_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    uint64_t c = crc_words(crc, p, count / 8);
    p += count & ~(size_t)7;
    uint32_t c32 = (uint32_t)c;
    for (size_t i = 0; i < (count & 7); i++) c32 = _mm_crc32_u8(c32, p[i]);
    return c32;
}

#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int onebox_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("crc")))
uint32_t onebox_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = bytes;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __builtin_arm_crc32cd(crc, word);
        p += 8;
        count -= 8;
    }
    while (count--) crc = __builtin_arm_crc32cb(crc, *p++);
    return crc;
}

#else

int onebox_crc32c_hardware_available(void) { return 0; }

uint32_t onebox_crc32c_update(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
