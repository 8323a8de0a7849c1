/* fw_world.h: what a runner or test may ask fakewin about the world that
 * just ran, without including any Win32 header. */
#ifndef FAKEWIN_FW_WORLD_H
#define FAKEWIN_FW_WORLD_H

#include <stdbool.h>
#include <stdint.h>

/* Handles still open in the running world (0 outside a world). */
uint32_t fw_world_open_handles(void);

/* Handles the program left open when the last world ended. */
uint32_t fw_world_leaked_handles(void);

/* Whether the last world ended through ExitProcess, and its exit code. */
bool fw_world_exit_code(uint32_t *code);

#endif
