#ifndef ONEBOX_CMALLOC_SHIM_H
#define ONEBOX_CMALLOC_SHIM_H
// glibc's malloc statistics and trimming (mallinfo2, malloc_trim), which Swift's Glibc
// module does not export.
#include <malloc.h>
#endif
