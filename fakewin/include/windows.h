/* <windows.h> of the fake Win32 world (fakewin): the base types, structures
 * and constants (fakewin/fw_base.h) and the kernel32 functions
 * (fakewin/fw_kernel32.h), each function renamed to its fw_ symbol.
 *
 * Honours WIN32_NO_STATUS as the SDK does: without it, the few STATUS_
 * values winnt.h has are defined here (typed DWORD); with it they are left to
 * <ntstatus.h>.  Winsock is NOT pulled in (as with WIN32_LEAN_AND_MEAN on
 * Windows): include <winsock2.h>.  See README.md in this directory. */
#ifndef FAKEWIN_WINDOWS_H
#define FAKEWIN_WINDOWS_H

/* As mingw-w64's <windows.h> does (through winnt.h), make the C library's
 * malloc/free/atoi... and string functions available. */
#include <stdlib.h>

#include "fakewin/fw_base.h"
#include "fakewin/fw_kernel32.h"

/* A Win32 program built by iocpsim_add_win32_program (cmake/iocpsim.cmake):
 * the C runtime's printf family with Windows' rules and the wide-string
 * functions for 16-bit wchar_t (fakewin/fw_crt.h). */
#ifdef FW_WIN32_PROGRAM
#include "fakewin/fw_crt.h"
#endif

#endif /* FAKEWIN_WINDOWS_H */
