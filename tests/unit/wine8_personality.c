/* wine8_personality.c: linked into a native test next to
 * iocpsim_world_support, it makes every world of the run imitate Wine 8.0
 * (fakewin's wine8 personality: W1-W30 of spec/win32-fidelity.md, W31-W38
 * of docs/conformance.md) instead of Windows.  The core suites choose their
 * expectations by the world they run in (fdt_is_wine: ntdll's
 * wine_get_version), so the same cases that pass
 * under the real Wine 8.0 on the mingw tier must pass here too: a
 * differential check of the fake's wine8 personality against Wine itself.
 *
 * The personality is process state for every later world (fw_world.h), set
 * once before main; nothing in the core suites resets the world
 * configuration. */
#include "fw_world.h"

__attribute__((constructor)) static void iocpsim_wine8_personality(void) {
  fw_world_set_personality(FW_PERSONALITY_WINE8);
}
