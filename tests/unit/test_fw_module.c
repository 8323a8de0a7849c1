/* test_fw_module.c: the loaded modules as a program sees them -
 * GetModuleHandleA/W, LoadLibraryA, FreeLibrary, GetProcAddress
 * (fakewin/src/fw_module.c).
 *
 * Both tiers: on mingw the real loader under Wine, natively the fake world
 * (each case inside simulated worlds, once per seed), so the fake's answers
 * are checked against a real loader.  The personality and fault-plan cases
 * are in test_fw_module_world.c (fake world only). */
#include "iocpsim_test.h"

#include <string.h>

#include <winsock2.h>
#include <windows.h>

typedef DWORD(WINAPI *get_pid_fn)(void);

/* Module names are matched without case and ".dll" may be left out; the
 * A and W forms agree. */
static void module_handle_names(void **state) {
  (void)state;
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  assert_non_null(k32);
  assert_true(GetModuleHandleA("KERNEL32.DLL") == k32);
  assert_true(GetModuleHandleA("Kernel32") == k32);
  static const WCHAR wname[] = {'k', 'e', 'r', 'n', 'e', 'l', '3', '2', '.', 'd', 'l', 'l', 0};
  assert_true(GetModuleHandleW(wname) == k32);
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  assert_non_null(ntdll);
  assert_true(ntdll != k32);
  /* NULL: the program's own module, another handle again */
  HMODULE self = GetModuleHandleA(NULL);
  assert_non_null(self);
  assert_true(self != k32 && self != ntdll);
}

/* A module that is not loaded: NULL and ERROR_MOD_NOT_FOUND, from both
 * GetModuleHandle and LoadLibrary. */
static void module_not_found(void **state) {
  (void)state;
  SetLastError(0xdeadbeef);
  assert_null(GetModuleHandleA("iocpsim-no-such-module.dll"));
  assert_int_equal(GetLastError(), ERROR_MOD_NOT_FOUND);
  SetLastError(0xdeadbeef);
  assert_null(LoadLibraryA("iocpsim-no-such-module.dll"));
  assert_int_equal(GetLastError(), ERROR_MOD_NOT_FOUND);
}

/* LoadLibrary of the Winsock DLLs gives the handle GetModuleHandle then
 * finds; FreeLibrary succeeds. */
static void load_library_winsock(void **state) {
  (void)state;
  HMODULE ws2 = LoadLibraryA("ws2_32.dll");
  assert_non_null(ws2);
  assert_true(GetModuleHandleA("ws2_32.dll") == ws2);
  HMODULE msw = LoadLibraryA("mswsock.dll");
  assert_non_null(msw);
  assert_true(GetModuleHandleA("MSWSOCK.dll") == msw);
  assert_true(msw != ws2);
  assert_non_null(GetProcAddress(ws2, "WSARecv"));
  assert_non_null(GetProcAddress(ws2, "closesocket"));
  assert_non_null(GetProcAddress(msw, "AcceptEx"));
  /* ConnectEx is no export of either: only WSAIoctl hands it out */
  SetLastError(0xdeadbeef);
  assert_null(GetProcAddress(ws2, "ConnectEx"));
  assert_int_equal(GetLastError(), ERROR_PROC_NOT_FOUND);
  assert_true(FreeLibrary(msw));
  assert_true(FreeLibrary(ws2));
}

/* GetProcAddress returns the function itself: calling through the pointer
 * is calling the API.  Unknown names, and names of other modules, are NULL
 * with ERROR_PROC_NOT_FOUND; names are case-sensitive. */
static void proc_address_lookup(void **state) {
  (void)state;
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  assert_non_null(GetProcAddress(k32, "SetFileCompletionNotificationModes"));
  FARPROC p = GetProcAddress(k32, "GetCurrentProcessId");
  assert_non_null(p);
  get_pid_fn get_pid = (get_pid_fn)(void (*)(void))p;
  assert_int_equal(get_pid(), GetCurrentProcessId());

  SetLastError(0xdeadbeef);
  assert_null(GetProcAddress(k32, "IocpsimNoSuchFunction"));
  assert_int_equal(GetLastError(), ERROR_PROC_NOT_FOUND);
  SetLastError(0xdeadbeef);
  assert_null(GetProcAddress(k32, "getcurrentprocessid"));
  assert_int_equal(GetLastError(), ERROR_PROC_NOT_FOUND);
  SetLastError(0xdeadbeef);
  assert_null(GetProcAddress(k32, "WSARecv"));
  assert_int_equal(GetLastError(), ERROR_PROC_NOT_FOUND);
  /* the program exports nothing by these names */
  SetLastError(0xdeadbeef);
  assert_null(GetProcAddress(GetModuleHandleA(NULL), "IocpsimNoSuchFunction"));
  assert_int_equal(GetLastError(), ERROR_PROC_NOT_FOUND);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(module_handle_names),
      cmocka_unit_test(module_not_found),
      cmocka_unit_test(load_library_winsock),
      cmocka_unit_test(proc_address_lookup),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
