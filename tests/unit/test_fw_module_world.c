/* test_fw_module_world.c: what the fake world adds to the loader
 * (fakewin/src/fw_module.c): ntdll's wine_get_version under the wine8
 * personality, and GetProcAddress as fault site 41.  Native tier only;
 * test_fw_module.c holds the cases both tiers share. */
#include "iocpsim_test.h"

#include <winsock2.h>
#include <windows.h>

#include "fw_world.h"

typedef const char *(*wine_version_fn)(void);

/* ntdll's wine_get_version exists exactly under the wine8 personality, so a
 * program's "am I under Wine?" probe answers from the world's personality. */
static void wine_version_by_personality(void **state) {
  (void)state;
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  assert_int_equal(fw_world_personality(), FW_PERSONALITY_WINDOWS);
  SetLastError(0xdeadbeef);
  assert_null(GetProcAddress(ntdll, "wine_get_version"));
  assert_int_equal(GetLastError(), ERROR_PROC_NOT_FOUND);

  fw_world_set_personality(FW_PERSONALITY_WINE8);
  FARPROC p = GetProcAddress(ntdll, "wine_get_version");
  fw_world_reset_config();
  assert_non_null(p);
  wine_version_fn version = (wine_version_fn)(void (*)(void))p;
  assert_string_equal(version(), "8.0");
}

/* Fault site 41: a `null` rule makes the named lookup fail with
 * ERROR_PROC_NOT_FOUND (a kernel32 without the function, go-poll.md B2);
 * other names are untouched; the fire is counted. */
static void proc_address_fault_null(void **state) {
  (void)state;
  char why[200];
  uint32_t id = fw_fault_add_text("GetProcAddress proc=SetFileCompletionNotificationModes -> null",
                                  why, sizeof why);
  assert_int_not_equal(id, 0);
  HMODULE k32 = GetModuleHandleA("kernel32.dll");
  SetLastError(0xdeadbeef);
  FARPROC p = GetProcAddress(k32, "SetFileCompletionNotificationModes");
  DWORD err = GetLastError();
  FARPROC other = GetProcAddress(k32, "CancelIoEx");
  uint32_t fired = fw_fault_fired(id), matched = fw_fault_matched(id);
  fw_fault_clear();
  assert_null(p);
  assert_int_equal(err, ERROR_PROC_NOT_FOUND);
  assert_non_null(other);
  assert_int_equal(fired, 1);
  assert_int_equal(matched, 1);
  /* without the rule the lookup works again */
  assert_non_null(GetProcAddress(k32, "SetFileCompletionNotificationModes"));
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(wine_version_by_personality),
      cmocka_unit_test(proc_address_fault_null),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
