/* scn_names.c: error names for scenarios - the core's own errors (EOF,
 * ENETCLOSING, ...) and the Win32/Winsock names of fakewin's list, which
 * the real SDK headers define as well. */
#include "core.h"

#include <fakewin/fw_errnames.h>
#include <stdio.h>
#include <string.h>

#include "scn.h"

typedef struct name_code {
  const char *name;
  int code;
} name_code_t;

#define SCN_WIN32_ROW(x) {#x, (int)(x)},
#define SCN_CORE_ROW(name, value, text) {&#name[5], value}, /* past "CORE_" */
static const name_code_t names[] = {{"ok", 0},
                                    CORE_ERROR_LIST(SCN_CORE_ROW) FW_ERROR_NAMES(SCN_WIN32_ROW)};
#undef SCN_WIN32_ROW
#undef SCN_CORE_ROW

#define N_NAMES (sizeof names / sizeof names[0])

bool scn_error_by_name(const char *name, int *err) {
  for (size_t i = 0; i < N_NAMES; i++) {
    if (strcmp(names[i].name, name) == 0) {
      *err = names[i].code;
      return true;
    }
  }
  return false;
}

const char *scn_error_name(int err, char *buf, size_t len) {
  /* ERROR_SUCCESS and "ok" share 0; the core's names come before Win32's */
  for (size_t i = 0; i < N_NAMES; i++)
    if (names[i].code == err) return names[i].name;
  snprintf(buf, len, "%d", err);
  return buf;
}

const char *const *scn_error_names(size_t *n) {
  static const char *list[N_NAMES];
  for (size_t i = 0; i < N_NAMES; i++) list[i] = names[i].name;
  *n = N_NAMES;
  return list;
}
