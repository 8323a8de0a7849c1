/* threads: CreateThread, exit codes, TLS, DuplicateHandle, Sleep. */
#include "probe.h"

static DWORD tls;
static DWORD WINAPI worker(LPVOID arg) {
  TlsSetValue(tls, arg);
  Sleep(30);
  return (DWORD)(ULONG_PTR)TlsGetValue(tls) + 1;
}

int main(void) {
  tls = TlsAlloc();
  printf("tls_alloc: %s\n", tls != TLS_OUT_OF_INDEXES ? "ok" : "fail");
  TlsSetValue(tls, (LPVOID)7);
  DWORD id = 0;
  HANDLE th = CreateThread(NULL, 0, worker, (LPVOID)41, 0, &id);
  DWORD code = 0;
  GetExitCodeThread(th, &code);
  printf("exit_code_running: %lu\n", code);
  printf("wait: %lu\n", WaitForSingleObject(th, 5000));
  GetExitCodeThread(th, &code);
  printf("exit_code: %lu\n", code);
  printf("tls_main: %lu\n", (DWORD)(ULONG_PTR)TlsGetValue(tls));
  HANDLE dup = NULL;
  BOOL ok = DuplicateHandle(GetCurrentProcess(), th, GetCurrentProcess(), &dup, 0, FALSE,
                            DUPLICATE_SAME_ACCESS);
  printf("duplicate: ok=%d wait=%lu\n", ok, WaitForSingleObject(dup, 0));
  CloseHandle(th);
  printf("dup_after_close: %lu\n", WaitForSingleObject(dup, 0));
  CloseHandle(dup);
  HANDLE susp = CreateThread(NULL, 0, worker, (LPVOID)1, CREATE_SUSPENDED, NULL);
  printf("suspended_wait: %lu\n", WaitForSingleObject(susp, 50));
  printf("resume: %lu\n", ResumeThread(susp));
  printf("resume_again: %lu\n", ResumeThread(susp));
  printf("suspended_done: %lu\n", WaitForSingleObject(susp, 5000));
  CloseHandle(susp);
  printf("tls_free: %d\n", TlsFree(tls));
  printf("current_pseudo: %d\n", GetCurrentThread() == (HANDLE)(LONG_PTR)-2);
  DWORD t0 = GetTickCount();
  Sleep(80);
  printf("sleep: @%lu\n", GetTickCount() - t0);
  return 0;
}
