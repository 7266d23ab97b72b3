#ifndef ONEBOX_CZLIB_SHIM_H
#define ONEBOX_CZLIB_SHIM_H
#include <zlib.h>
#endif
