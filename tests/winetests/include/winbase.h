/* winbase.h: the harness's stand-in (tests/winetests/README.md): fakewin's headers plus
 * what the Wine tests name that fakewin does not declare (wt_extra.h). */
#include <windows.h>
#include "wt_extra.h"
