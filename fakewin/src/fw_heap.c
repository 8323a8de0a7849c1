/* fw_heap.c: the process heap (GetProcessHeap, HeapAlloc, HeapFree) and
 * LocalFree, over the C allocator.
 *
 * Heap calls are not scheduling points: they touch no state another thread
 * of the program can observe through Win32 except the memory itself, and
 * the real heap's lock never makes a caller wait for a program-visible
 * event.  Memory is not tied to a world: a block allocated in one world and
 * freed in the next is simply freed. */
#include <stdlib.h>
#include <string.h>

#include "fw_int.h"

/* The one heap: a constant, non-NULL handle that is not in the handle table
 * (GetProcessHeap's handle must not be closed either). */
static char process_heap;
#define FW_PROCESS_HEAP ((HANDLE)&process_heap)

HANDLE fw_GetProcessHeap(void) {
  fw_enter_local("GetProcessHeap");
  return FW_PROCESS_HEAP;
}

LPVOID fw_HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes) {
  fw_thread_t *t = fw_enter_local("HeapAlloc");
  if (hHeap != FW_PROCESS_HEAP) {
    fw_set_error(t, ERROR_INVALID_HANDLE);
    return NULL;
  }
  /* malloc(0) may return NULL; HeapAlloc(0) returns a valid block */
  void *p = (dwFlags & HEAP_ZERO_MEMORY) ? calloc(1, dwBytes ? dwBytes : 1)
                                         : malloc(dwBytes ? dwBytes : 1);
  if (p == NULL) fw_set_error(t, ERROR_NOT_ENOUGH_MEMORY);
  return p;
}

BOOL fw_HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem) {
  (void)dwFlags;
  fw_thread_t *t = fw_enter_local("HeapFree");
  if (hHeap != FW_PROCESS_HEAP) {
    fw_set_error(t, ERROR_INVALID_HANDLE);
    return FALSE;
  }
  free(lpMem); /* NULL is allowed and does nothing (HeapFree docs) */
  return TRUE;
}

/* Frees what FormatMessage-style APIs hand out; NULL on success. */
HLOCAL fw_LocalFree(HLOCAL hMem) {
  fw_enter_local("LocalFree");
  free(hMem);
  return NULL;
}
