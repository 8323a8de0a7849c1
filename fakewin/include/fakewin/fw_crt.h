/* fakewin/fw_crt.h: the part of the Windows C runtime a Win32 console program
 * sees differently from glibc, for programs built by
 * iocpsim_add_win32_program (cmake/iocpsim.cmake defines FW_WIN32_PROGRAM and
 * compiles with -fshort-wchar so that L"..." is UTF-16, as on Windows).
 *
 * - The printf family follows the rules of the C runtime a mingw-w64 program
 *   gets (observed under Wine 8.0): LLP64 length modifiers (`l` is 32-bit:
 *   %lu of a DWORD, %ld of a LONG; `ll`, `I64` 64-bit; `I`, `z` pointer-
 *   sized), %p as 16 lower-case hex digits, %ls / %S of a UTF-16 string and
 *   %lc / %C of a WCHAR; %s and %c are narrow in the wide functions too (ISO
 *   C, unlike MSVC's own CRT).  Output goes to the process's C stdio streams
 *   (stdout, stderr), wide text as UTF-8 (Windows' C locale would write
 *   Latin-1 bytes), with "\n" kept as is (Windows' text mode writes
 *   "\r\n").
 * - The wide-string functions take 16-bit units: glibc's wcs* functions
 *   assume a 32-bit wchar_t and cannot be used with -fshort-wchar.
 *
 * Included by <windows.h> when FW_WIN32_PROGRAM is defined; it includes
 * <stdio.h> and <wchar.h> first, so their declarations keep libc's names and
 * every later call goes to the fw_ function. */
#ifndef FAKEWIN_FW_CRT_H
#define FAKEWIN_FW_CRT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t fw_wchar_t;

#define printf fw_printf
#define fprintf fw_fprintf
#define sprintf fw_sprintf
#define snprintf fw_snprintf
#define _snprintf fw__snprintf
#define vprintf fw_vprintf
#define vfprintf fw_vfprintf
#define vsprintf fw_vsprintf
#define vsnprintf fw_vsnprintf
#define _vsnprintf fw__vsnprintf
int fw_printf(const char *fmt, ...);
int fw_fprintf(FILE *f, const char *fmt, ...);
int fw_sprintf(char *buf, const char *fmt, ...);
int fw_snprintf(char *buf, size_t n, const char *fmt, ...);
int fw__snprintf(char *buf, size_t n, const char *fmt, ...);
int fw_vprintf(const char *fmt, va_list ap);
int fw_vfprintf(FILE *f, const char *fmt, va_list ap);
int fw_vsprintf(char *buf, const char *fmt, va_list ap);
int fw_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int fw__vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

#define wprintf fw_wprintf
#define fwprintf fw_fwprintf
#define vwprintf fw_vwprintf
#define vfwprintf fw_vfwprintf
#define _snwprintf fw__snwprintf
#define _vsnwprintf fw__vsnwprintf
int fw_wprintf(const fw_wchar_t *fmt, ...);
int fw_fwprintf(FILE *f, const fw_wchar_t *fmt, ...);
int fw_vwprintf(const fw_wchar_t *fmt, va_list ap);
int fw_vfwprintf(FILE *f, const fw_wchar_t *fmt, va_list ap);
int fw__snwprintf(fw_wchar_t *buf, size_t n, const fw_wchar_t *fmt, ...);
int fw__vsnwprintf(fw_wchar_t *buf, size_t n, const fw_wchar_t *fmt, va_list ap);

#define wcslen fw_wcslen
#define wcsnlen fw_wcsnlen
#define wcscmp fw_wcscmp
#define wcsncmp fw_wcsncmp
#define _wcsicmp fw__wcsicmp
#define wcscpy fw_wcscpy
#define wcsncpy fw_wcsncpy
#define wcscat fw_wcscat
#define wcschr fw_wcschr
#define wcsrchr fw_wcsrchr
#define wcsstr fw_wcsstr
#define wcstol fw_wcstol
#define wcstoul fw_wcstoul
#define wmemcpy fw_wmemcpy
#define wmemmove fw_wmemmove
#define wmemset fw_wmemset
#define wmemcmp fw_wmemcmp
size_t fw_wcslen(const fw_wchar_t *s);
size_t fw_wcsnlen(const fw_wchar_t *s, size_t max);
int fw_wcscmp(const fw_wchar_t *a, const fw_wchar_t *b);
int fw_wcsncmp(const fw_wchar_t *a, const fw_wchar_t *b, size_t n);
int fw__wcsicmp(const fw_wchar_t *a, const fw_wchar_t *b);
fw_wchar_t *fw_wcscpy(fw_wchar_t *d, const fw_wchar_t *s);
fw_wchar_t *fw_wcsncpy(fw_wchar_t *d, const fw_wchar_t *s, size_t n);
fw_wchar_t *fw_wcscat(fw_wchar_t *d, const fw_wchar_t *s);
fw_wchar_t *fw_wcschr(const fw_wchar_t *s, fw_wchar_t c);
fw_wchar_t *fw_wcsrchr(const fw_wchar_t *s, fw_wchar_t c);
fw_wchar_t *fw_wcsstr(const fw_wchar_t *h, const fw_wchar_t *n);
long fw_wcstol(const fw_wchar_t *s, fw_wchar_t **end, int base);
unsigned long fw_wcstoul(const fw_wchar_t *s, fw_wchar_t **end, int base);
fw_wchar_t *fw_wmemcpy(fw_wchar_t *d, const fw_wchar_t *s, size_t n);
fw_wchar_t *fw_wmemmove(fw_wchar_t *d, const fw_wchar_t *s, size_t n);
fw_wchar_t *fw_wmemset(fw_wchar_t *d, fw_wchar_t c, size_t n);
int fw_wmemcmp(const fw_wchar_t *a, const fw_wchar_t *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* FAKEWIN_FW_CRT_H */
