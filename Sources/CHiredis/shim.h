#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

// hiredis 0.14 (Debian's libhiredis-dev): the RESP reader and command formatter.
// Only read.h and the formatting functions of hiredis.h are used; no blocking context.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#endif
