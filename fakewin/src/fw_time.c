/* fw_time.c: time from the virtual clock.
 *
 * The clock is sim_now(), nanoseconds since the world started (the
 * machine's boot, as far as the program can tell):
 *   GetTickCount64   now / 1 ms (GetTickCount: its low 32 bits)
 *   QueryPerformanceFrequency  10 MHz, as on current Windows
 *   QueryPerformanceCounter    now / 100 ns
 *   GetSystemTime(Precise)AsFileTime  FW_EPOCH_FILETIME + now / 100 ns, where
 *     FW_EPOCH_FILETIME is 2024-01-01T00:00:00Z (a fixed wall-clock instant,
 *     so traces never depend on the host's date)
 * Each read is a scheduling point, so a program that spins on the clock is
 * still caught by the step budget (and, with sim_config_t.step_cost_ns, sees
 * time move). */
#include "fw_int.h"

#define FW_QPC_FREQUENCY 10000000ll
/* 2024-01-01T00:00:00Z in 100 ns units since 1601-01-01 */
#define FW_EPOCH_FILETIME 133485408000000000ull

ULONGLONG fw_GetTickCount64(VOID) {
  static sim_tracepoint_t tp = {"GetTickCount64", {{NULL, 0}}, 0, 0};
  fw_thread_t *t = fw_enter("GetTickCount64");
  ULONGLONG r = sim_now() / 1000000ull;
  FW_TRACE0(&tp, t, r);
  return r;
}

DWORD fw_GetTickCount(VOID) {
  static sim_tracepoint_t tp = {"GetTickCount", {{NULL, 0}}, 0, 0};
  fw_thread_t *t = fw_enter("GetTickCount");
  DWORD r = (DWORD)(sim_now() / 1000000ull);
  FW_TRACE0(&tp, t, r);
  return r;
}

BOOL fw_QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount) {
  static sim_tracepoint_t tp = {"QueryPerformanceCounter", {{NULL, 0}}, 0, 0};
  fw_thread_t *t = fw_enter("QueryPerformanceCounter");
  LONGLONG v = (LONGLONG)(sim_now() / 100ull);
  lpPerformanceCount->QuadPart = v;
  FW_TRACE0(&tp, t, v);
  return TRUE;
}

BOOL fw_QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency) {
  fw_enter_local("QueryPerformanceFrequency");
  lpFrequency->QuadPart = FW_QPC_FREQUENCY;
  return TRUE;
}

static void filetime_now(LPFILETIME ft) {
  uint64_t v = FW_EPOCH_FILETIME + sim_now() / 100ull;
  ft->dwLowDateTime = (DWORD)v;
  ft->dwHighDateTime = (DWORD)(v >> 32);
}

VOID fw_GetSystemTimeAsFileTime(LPFILETIME ft) {
  static sim_tracepoint_t tp = {"GetSystemTimeAsFileTime", {{NULL, 0}}, 0, 0};
  fw_thread_t *t = fw_enter("GetSystemTimeAsFileTime");
  filetime_now(ft);
  FW_TRACE0(&tp, t, ((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime);
}

VOID fw_GetSystemTimePreciseAsFileTime(LPFILETIME ft) {
  static sim_tracepoint_t tp = {"GetSystemTimePreciseAsFileTime", {{NULL, 0}}, 0, 0};
  fw_thread_t *t = fw_enter("GetSystemTimePreciseAsFileTime");
  filetime_now(ft);
  FW_TRACE0(&tp, t, ((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime);
}
