#ifndef CCups_SHIM_H
#define CCups_SHIM_H
#include <cups/cups.h>
#include <cups/raster.h>
#endif
