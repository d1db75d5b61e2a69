// The libgpiod v1 C API (Debian 12: libgpiod-dev 1.6.3) as Swift sees it. Only the v1 calls are used;
// libgpiod 2.x renamed and reshaped them, so a move to 2.x is a rewrite of GPIODInput, not a rebuild.
#include <gpiod.h>
