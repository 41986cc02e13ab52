#ifndef TANGRAM_CSQLITE_SHIM_H
#define TANGRAM_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
