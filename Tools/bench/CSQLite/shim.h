#ifndef ONEBOX_CSQLITE_SHIM_H
#define ONEBOX_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
