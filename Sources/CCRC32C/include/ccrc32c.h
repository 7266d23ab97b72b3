// CRC-32C with the CPU's own instruction (SSE 4.2 on x86-64, the CRC extension on
// AArch64). PageStore falls back to its software tables when this is unavailable.
#ifndef ONEBOX_CCRC32C_H
#define ONEBOX_CCRC32C_H

#include <stddef.h>
#include <stdint.h>

/// 1 when onebox_crc32c_update can run on this CPU, 0 otherwise.
int onebox_crc32c_hardware_available(void);

/// Feeds `count` bytes at `bytes` into the raw (un-inverted) CRC register `crc` and
/// returns the new register. Only call when onebox_crc32c_hardware_available() is 1.
uint32_t onebox_crc32c_update(uint32_t crc, const void *bytes, size_t count);

#endif
