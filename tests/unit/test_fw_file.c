/* test_fw_file.c: fakewin's files (fakewin/src/fw_fs.c, fw_file.c) against
 * spec/win32-fidelity.md F44-F46 and W16/W17, and the file-system rules of
 * the CreateFile, DeleteFile, SetFilePointer(Ex), Get/SetFileInformation-
 * ByHandle and GetTempFileName documentation.  Each case is a program run
 * inside sim worlds over several seeds; SIM_EXPECT ends a failing run, the
 * host asserts the run passed and that every handle was closed.  Outputs
 * that must stay unwritten are pre-filled with a sentinel (F53). */
#include "iocpsim_test.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "fw_files.h"
#include "fw_int.h"
#include "fw_world.h"
#include "sim.h"

#define SEEDS 8
#define SENTINEL 0xdeadbeefu
#define GIB (1ull << 30)

static void run_seeds(void (*fn)(void *), void *arg) {
  for (uint64_t seed = 0; seed < SEEDS; seed++) {
    sim_config_t cfg = {.seed = seed};
    sim_result_t r;
    sim_status_t st = sim_run(&cfg, fn, arg, &r);
    if (st != SIM_STATUS_PASS)
      print_message("seed %llu:\n%s\n", (unsigned long long)seed, r.report);
    assert_int_equal(st, SIM_STATUS_PASS);
    assert_int_equal(fw_world_leaked_handles(), 0);
    sim_result_free(&r);
  }
}

static int teardown(void **state) {
  (void)state;
  fw_world_reset_config();
  fw_world_set_async_eof(FW_ASYNC_EOF_DEFAULT);
  return 0;
}

#define EXPECT_ERR(expr, err)                   \
  do {                                          \
    SetLastError(SENTINEL);                     \
    SIM_EXPECT(!(expr));                        \
    SIM_EXPECT(GetLastError() == (DWORD)(err)); \
  } while (0)

static void ov_at(OVERLAPPED *o, uint64_t off, HANDLE ev) {
  memset(o, 0, sizeof *o);
  o->InternalHigh = SENTINEL;
  o->Offset = (DWORD)off;
  o->OffsetHigh = (DWORD)(off >> 32);
  o->hEvent = ev;
}

static HANDLE create(const char *path, DWORD access, DWORD share, DWORD disp, DWORD flags) {
  return CreateFileA(path, access, share, NULL, disp, flags, NULL);
}

static HANDLE new_file(const char *path, const char *content, DWORD flags) {
  HANDLE h = create(path, GENERIC_READ | GENERIC_WRITE,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, CREATE_NEW, flags);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE);
  if (content != NULL) {
    DWORD n = SENTINEL;
    OVERLAPPED o;
    ov_at(&o, 0, NULL);
    SIM_EXPECT(WriteFile(h, content, (DWORD)strlen(content), &n,
                         (flags & FILE_FLAG_OVERLAPPED) ? &o : NULL));
    SIM_EXPECT(n == strlen(content));
  }
  return h;
}

static uint64_t pointer(HANDLE h) {
  LARGE_INTEGER zero = {0}, cur;
  cur.QuadPart = -1;
  SIM_EXPECT(SetFilePointerEx(h, zero, &cur, FILE_CURRENT));
  return (uint64_t)cur.QuadPart;
}

static void seek_to(HANDLE h, uint64_t pos) {
  LARGE_INTEGER d;
  d.QuadPart = (LONGLONG)pos;
  SIM_EXPECT(SetFilePointerEx(h, d, NULL, FILE_BEGIN));
}

static bool signaled(HANDLE ev) {
  return WaitForSingleObject(ev, 0) == WAIT_OBJECT_0;
}

static HANDLE new_port(HANDLE h, ULONG_PTR key) {
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
  SIM_EXPECT(port != NULL && CreateIoCompletionPort(h, port, key, 0) == port);
  return port;
}

/* ---- F44
 * ------------------------------------------------------------------------------------------- */

static void f44_main(void *arg) {
  (void)arg;
  HANDLE h = new_file("C:\\Temp\\f44.bin", "0123456789", 0);
  SIM_EXPECT(pointer(h) == 10);
  HANDLE ev = CreateEventA(NULL, TRUE, TRUE, NULL);
  char buf[16];
  DWORD n = SENTINEL;
  OVERLAPPED o;

  /* read 3 at 4: TRUE, fields written, event set, pointer at 7 */
  ov_at(&o, 4, ev);
  SIM_EXPECT(ReadFile(h, buf, 3, &n, &o));
  SIM_EXPECT(n == 3 && memcmp(buf, "456", 3) == 0);
  SIM_EXPECT(o.Internal == 0 && o.InternalHigh == 3 && signaled(ev));
  SIM_EXPECT(pointer(h) == 7);

  /* a short read at the end is TRUE with fewer bytes */
  ov_at(&o, 8, ev);
  SIM_EXPECT(ReadFile(h, buf, 5, &n, &o) && n == 2 && memcmp(buf, "89", 2) == 0);
  SIM_EXPECT(o.InternalHigh == 2 && pointer(h) == 10);

  /* write 2 at 2: pointer at 4 */
  ov_at(&o, 2, ev);
  SIM_EXPECT(WriteFile(h, "ab", 2, &n, &o) && n == 2 && o.Internal == 0 && o.InternalHigh == 2);
  SIM_EXPECT(pointer(h) == 4);

  /* 0xFFFFFFFF:0xFFFFFFFF appends */
  ov_at(&o, UINT64_MAX, ev);
  SIM_EXPECT(WriteFile(h, "XY", 2, &n, &o) && n == 2);
  SIM_EXPECT(pointer(h) == 12);
  ov_at(&o, 0, ev);
  SIM_EXPECT(ReadFile(h, buf, sizeof buf, &n, &o) && n == 12 &&
             memcmp(buf, "01ab456789XY", 12) == 0);
  SIM_EXPECT(CloseHandle(ev) && CloseHandle(h));
}

/* @covers F44
 * Synchronous handle + OVERLAPPED: the transfer starts at Offset/OffsetHigh,
 * returns TRUE with Internal/InternalHigh set and the event signalled, and
 * leaves the pointer at offset + bytes; short reads at EOF; append with
 * 0xFFFFFFFF:0xFFFFFFFF. */
static void f44_sync_handle_overlapped_offsets_move_pointer(void **state) {
  (void)state;
  run_seeds(f44_main, NULL);
}

/* ---- F45, W17
 * --------------------------------------------------------------------------------------- */

static void f45_main(void *arg) {
  bool wine = arg != NULL;
  HANDLE h = new_file("C:\\Temp\\f45.bin", "0123456789", 0);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  char buf[8];
  DWORD n;
  OVERLAPPED o;
  static const uint64_t offsets[] = {10, 50};
  for (int i = 0; i < 2; i++) {
    seek_to(h, 3);
    ov_at(&o, offsets[i], ev);
    SIM_EXPECT(ResetEvent(ev));
    n = SENTINEL;
    EXPECT_ERR(ReadFile(h, buf, 4, &n, &o), ERROR_HANDLE_EOF);
    SIM_EXPECT(n == 0);
    /* W35: Wine 8.0 writes STATUS_END_OF_FILE; Windows leaves the
     * STATUS_PENDING stored on entry (file.c test_eof) */
    SIM_EXPECT((NTSTATUS)o.Internal == (wine ? STATUS_END_OF_FILE : STATUS_PENDING) &&
               o.InternalHigh == 0);
    SIM_EXPECT(signaled(ev));
    /* W17: Wine 8.0 moves the pointer to the requested offset; the
     * Windows personality leaves it */
    SIM_EXPECT(pointer(h) == (wine ? offsets[i] : 3));
  }
  /* without an OVERLAPPED, a read at or past EOF is TRUE with 0 bytes */
  seek_to(h, 10);
  n = SENTINEL;
  SIM_EXPECT(ReadFile(h, buf, 4, &n, NULL) && n == 0);
  seek_to(h, 50);
  n = SENTINEL;
  SIM_EXPECT(ReadFile(h, buf, 4, &n, NULL) && n == 0 && pointer(h) == 50);
  SIM_EXPECT(CloseHandle(ev) && CloseHandle(h));
}

/* @covers F45
 * Offset at or past EOF with an OVERLAPPED: FALSE + ERROR_HANDLE_EOF,
 * *bytes = 0, Internal left STATUS_PENDING (W35), InternalHigh = 0; without
 * an OVERLAPPED a read at EOF is TRUE with 0 bytes. */
static void f45_overlapped_read_past_eof_fails_handle_eof(void **state) {
  (void)state;
  run_seeds(f45_main, NULL);
}

/* @covers F45 W17 W35
 * W17: under wine8 the failing read leaves the pointer at the requested
 * offset; W35: and writes Internal = STATUS_END_OF_FILE. */
static void w17_wine8_eof_read_moves_pointer_to_offset(void **state) {
  (void)state;
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  run_seeds(f45_main, (void *)1);
}

/* ---- F46, W16
 * ---------------------------------------------------------------------------------------- */

static void f46_main(void *arg) {
  bool pend = arg != NULL;
  HANDLE h = new_file("C:\\Temp\\f46.bin", NULL, FILE_FLAG_OVERLAPPED);
  HANDLE port = new_port(h, 5);
  char buf[8];
  DWORD n = SENTINEL, bytes;
  ULONG_PTR key;
  OVERLAPPED o, *got;
  /* no pointer, so no call without an offset */
  EXPECT_ERR(WriteFile(h, "hello", 5, &n, NULL), ERROR_INVALID_PARAMETER);
  EXPECT_ERR(ReadFile(h, buf, 4, &n, NULL), ERROR_INVALID_PARAMETER);
  ov_at(&o, 0, NULL);
  SIM_EXPECT(WriteFile(h, "hello", 5, &n, &o) && n == 5);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &o && key == 5 &&
             bytes == 5);
  ov_at(&o, 1, NULL);
  if (fw_world_personality() == FW_PERSONALITY_WINE8) {
    /* Wine 8.0 pends every overlapped file read, data or not (probe files) */
    EXPECT_ERR(ReadFile(h, buf, 3, &n, &o), ERROR_IO_PENDING);
    SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, INFINITE) && got == &o &&
               bytes == 3 && memcmp(buf, "ell", 3) == 0);
  } else {
    SIM_EXPECT(ReadFile(h, buf, 3, &n, &o) && n == 3 && memcmp(buf, "ell", 3) == 0);
    SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &o && bytes == 3);
  }
  SIM_EXPECT(pointer(h) == 0); /* the transfers did not move it */

  ov_at(&o, 5, NULL);
  n = SENTINEL;
  bytes = key = SENTINEL;
  got = NULL;
  if (!pend) {
    /* Windows may fail it at once: an error inside the call, no packet (F10d) */
    EXPECT_ERR(ReadFile(h, buf, 4, &n, &o), ERROR_HANDLE_EOF);
    SIM_EXPECT(n == 0 && (NTSTATUS)o.Internal == STATUS_PENDING && o.InternalHigh == SENTINEL);
    EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0), WAIT_TIMEOUT);
    SIM_EXPECT(got == NULL && bytes == SENTINEL);
  } else {
    /* W16: pending, then a packet with STATUS_END_OF_FILE */
    EXPECT_ERR(ReadFile(h, buf, 4, &n, &o), ERROR_IO_PENDING);
    SIM_EXPECT(n == 0 && o.InternalHigh == SENTINEL);
    EXPECT_ERR(GetQueuedCompletionStatus(port, &bytes, &key, &got, INFINITE), ERROR_HANDLE_EOF);
    SIM_EXPECT(got == &o && bytes == 0 && key == 5);
    SIM_EXPECT((NTSTATUS)o.Internal == STATUS_END_OF_FILE && o.InternalHigh == 0);
    EXPECT_ERR(GetOverlappedResult(h, &o, &n, FALSE), ERROR_HANDLE_EOF);
  }
  SIM_EXPECT(CloseHandle(h) && CloseHandle(port));
}

/* @covers F46 F10
 * FILE_FLAG_OVERLAPPED: no file pointer, a NULL OVERLAPPED is
 * ERROR_INVALID_PARAMETER, transfers at offsets complete with packets, and
 * (Windows personality) a read past EOF fails at once with ERROR_HANDLE_EOF
 * and queues nothing. */
static void f46_async_handle_no_pointer_eof_immediate(void **state) {
  (void)state;
  run_seeds(f46_main, NULL);
}

/* @covers F46 W16
 * W16: under wine8 (or with FW_ASYNC_EOF_PENDING) the read past EOF pends
 * and completes with STATUS_END_OF_FILE through the port. */
static void w16_wine8_async_eof_pends_then_packet(void **state) {
  (void)state;
  fw_world_set_personality(FW_PERSONALITY_WINE8);
  run_seeds(f46_main, (void *)1);
  fw_world_set_personality(FW_PERSONALITY_WINDOWS);
  fw_world_set_async_eof(FW_ASYNC_EOF_PENDING);
  run_seeds(f46_main, (void *)1);
}

/* ---- pointers, sparse files
 * -------------------------------------------------------------------------- */

static void seek_main(void *arg) {
  (void)arg;
  HANDLE h = new_file("C:\\Temp\\seek.bin", "0123456789", 0);
  LARGE_INTEGER d, np;
  d.QuadPart = (LONGLONG)(5 * GIB);
  SIM_EXPECT(SetFilePointerEx(h, d, &np, FILE_BEGIN) && np.QuadPart == (LONGLONG)(5 * GIB));
  d.QuadPart = -1;
  SIM_EXPECT(SetFilePointerEx(h, d, &np, FILE_CURRENT) && np.QuadPart == (LONGLONG)(5 * GIB - 1));
  d.QuadPart = -4;
  SIM_EXPECT(SetFilePointerEx(h, d, &np, FILE_END) && np.QuadPart == 6);
  d.QuadPart = -11;
  np.QuadPart = 77;
  EXPECT_ERR(SetFilePointerEx(h, d, &np, FILE_END), ERROR_NEGATIVE_SEEK);
  SIM_EXPECT(np.QuadPart == 77 && pointer(h) == 6); /* not moved */
  EXPECT_ERR(SetFilePointerEx(h, d, &np, 3), ERROR_INVALID_PARAMETER);

  /* SetFilePointer: 32-bit without the high part */
  SIM_EXPECT(SetFilePointer(h, 2, NULL, FILE_BEGIN) == 2);
  LONG high = 1;
  SIM_EXPECT(SetFilePointer(h, 16, &high, FILE_BEGIN) == 16 && high == 1 &&
             pointer(h) == (1ull << 32) + 16);
  SetLastError(SENTINEL);
  SIM_EXPECT(SetFilePointer(h, 0, NULL, FILE_CURRENT) == INVALID_SET_FILE_POINTER);
  SIM_EXPECT(GetLastError() == ERROR_INVALID_PARAMETER && pointer(h) == (1ull << 32) + 16);
  /* a position whose low part is 0xFFFFFFFF succeeds with NO_ERROR */
  high = 0;
  SetLastError(SENTINEL);
  SIM_EXPECT(SetFilePointer(h, -1, &high, FILE_BEGIN) == INVALID_SET_FILE_POINTER);
  SIM_EXPECT(GetLastError() == NO_ERROR && high == 0 && pointer(h) == 0xFFFFFFFFull);
  EXPECT_ERR(SetFilePointer(h, -1, NULL, FILE_BEGIN) != INVALID_SET_FILE_POINTER,
             ERROR_NEGATIVE_SEEK);
  /* a pointer past EOF reads nothing and does not grow the file */
  char buf[4];
  DWORD n = SENTINEL;
  SIM_EXPECT(ReadFile(h, buf, sizeof buf, &n, NULL) && n == 0);
  LARGE_INTEGER size;
  SIM_EXPECT(GetFileSizeEx(h, &size) && size.QuadPart == 10);
  SIM_EXPECT(CloseHandle(h));
}

/* 64-bit pointers: FILE_BEGIN/CURRENT/END, ERROR_NEGATIVE_SEEK without
 * moving, positions past EOF and beyond 4 GiB, SetFilePointer's 32-bit
 * rules. */
static void file_seek_64bit_pointer(void **state) {
  (void)state;
  run_seeds(seek_main, NULL);
}

static uint64_t allocated(HANDLE h) {
  fw_io_obj_t *io;
  fw_fs_node_t *node;
  SIM_EXPECT(fw_io_obj_get(h, &io) == 0 && fw_file_node(io, &node));
  return fw_fs_allocated(node);
}

static void sparse_main(void *arg) {
  (void)arg;
  HANDLE h = new_file("C:\\Temp\\sparse.bin", "head", 0);
  OVERLAPPED o;
  DWORD n = SENTINEL;
  ov_at(&o, 5 * GIB, NULL);
  SIM_EXPECT(WriteFile(h, "Z", 1, &n, &o) && n == 1);
  LARGE_INTEGER size;
  SIM_EXPECT(GetFileSizeEx(h, &size) && size.QuadPart == (LONGLONG)(5 * GIB + 1));
  DWORD high = SENTINEL;
  SIM_EXPECT(GetFileSize(h, &high) == 0x40000001u && high == 1); /* 5 GiB + 1 = 0x1_4000_0001 */
  SIM_EXPECT(allocated(h) <= 2u * FW_FS_CHUNK);                  /* two chunks, not 5 GiB */
  unsigned char buf[4] = {1, 1, 1, 1};
  ov_at(&o, 5 * GIB - 2, NULL);
  SIM_EXPECT(ReadFile(h, buf, 4, &n, &o) && n == 3 && buf[0] == 0 && buf[1] == 0 && buf[2] == 'Z');
  ov_at(&o, 3 * GIB, NULL);
  memset(buf, 1, sizeof buf);
  SIM_EXPECT(ReadFile(h, buf, 4, &n, &o) && n == 4 && buf[0] == 0 && buf[3] == 0);
  /* SetEndOfFile cuts at the pointer */
  seek_to(h, 2);
  SIM_EXPECT(SetEndOfFile(h));
  SIM_EXPECT(GetFileSizeEx(h, &size) && size.QuadPart == 2 && allocated(h) <= FW_FS_CHUNK);
  ov_at(&o, 0, NULL);
  SIM_EXPECT(ReadFile(h, buf, 4, &n, &o) && n == 2 && memcmp(buf, "he", 2) == 0);
  /* growing again reads zeros where the old bytes were */
  seek_to(h, 4);
  SIM_EXPECT(SetEndOfFile(h));
  ov_at(&o, 0, NULL);
  SIM_EXPECT(ReadFile(h, buf, 4, &n, &o) && n == 4 && memcmp(buf, "he\0\0", 4) == 0);
  SIM_EXPECT(CloseHandle(h));
}

/* Offsets beyond 4 GiB without allocating: sparse storage, size and
 * GetFileSize's high part, zeros in the holes, SetEndOfFile both ways. */
static void file_sparse_offsets_beyond_4gib(void **state) {
  (void)state;
  run_seeds(sparse_main, NULL);
}

/* ---- attributes, information
 * ------------------------------------------------------------------------------ */

static void attrs_main(void *arg) {
  (void)arg;
  const char *path = "C:\\Temp\\attrs.bin";
  HANDLE h = new_file(path, "abc", FILE_ATTRIBUTE_NORMAL);
  BY_HANDLE_FILE_INFORMATION info;
  memset(&info, 0xEE, sizeof info);
  SIM_EXPECT(GetFileInformationByHandle(h, &info));
  SIM_EXPECT(info.dwFileAttributes == FILE_ATTRIBUTE_ARCHIVE); /* NTFS marks new files */
  SIM_EXPECT(info.nFileSizeLow == 3 && info.nFileSizeHigh == 0 && info.nNumberOfLinks == 1);
  SIM_EXPECT(info.nFileIndexLow != 0 || info.nFileIndexHigh != 0);
  FILE_BASIC_INFO before, after;
  SIM_EXPECT(GetFileInformationByHandleEx(h, FileBasicInfo, &before, sizeof before));
  EXPECT_ERR(GetFileInformationByHandleEx(h, FileBasicInfo, &after, 8), ERROR_BAD_LENGTH);
  EXPECT_ERR(GetFileInformationByHandleEx(h, FileNameInfo, &after, sizeof after),
             ERROR_INVALID_PARAMETER);
  Sleep(5); /* virtual time moves, so "unchanged" is visible */

  /* B97's shape: times 0 (unchanged), attributes with READONLY */
  FILE_BASIC_INFO set;
  memset(&set, 0, sizeof set);
  set.FileAttributes = FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_READONLY;
  SIM_EXPECT(SetFileInformationByHandle(h, FileBasicInfo, &set, sizeof set));
  SIM_EXPECT(GetFileInformationByHandleEx(h, FileBasicInfo, &after, sizeof after));
  SIM_EXPECT(after.FileAttributes == (FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_READONLY));
  SIM_EXPECT(after.CreationTime.QuadPart == before.CreationTime.QuadPart);
  SIM_EXPECT(after.LastWriteTime.QuadPart == before.LastWriteTime.QuadPart);
  SIM_EXPECT(after.LastAccessTime.QuadPart == before.LastAccessTime.QuadPart);

  /* later opens for writing are denied; reading is fine */
  DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
  EXPECT_ERR(create(path, GENERIC_WRITE, share, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_ACCESS_DENIED);
  EXPECT_ERR(create(path, GENERIC_READ, share, CREATE_ALWAYS, 0) != INVALID_HANDLE_VALUE,
             ERROR_ACCESS_DENIED);
  EXPECT_ERR(DeleteFileA(path), ERROR_ACCESS_DENIED);
  HANDLE r = create(path, GENERIC_READ, share, OPEN_EXISTING, 0);
  SIM_EXPECT(r != INVALID_HANDLE_VALUE);
  /* a handle without FILE_WRITE_ATTRIBUTES cannot change them */
  set.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  EXPECT_ERR(SetFileInformationByHandle(r, FileBasicInfo, &set, sizeof set), ERROR_ACCESS_DENIED);
  SIM_EXPECT(CloseHandle(r));
  /* FILE_ATTRIBUTE_NORMAL clears them all */
  SIM_EXPECT(SetFileInformationByHandle(h, FileBasicInfo, &set, sizeof set));
  SIM_EXPECT(GetFileInformationByHandle(h, &info) &&
             info.dwFileAttributes == FILE_ATTRIBUTE_NORMAL);
  HANDLE w = create(path, GENERIC_WRITE, share, OPEN_EXISTING, 0);
  SIM_EXPECT(w != INVALID_HANDLE_VALUE);
  SIM_EXPECT(CloseHandle(w) && CloseHandle(h));
  SIM_EXPECT(DeleteFileA(path));
}

/* Attributes and information classes: a new file is ARCHIVE; FileBasicInfo
 * with zero times leaves them unchanged; READONLY makes later opens for
 * write (and DeleteFile) fail with ERROR_ACCESS_DENIED; NORMAL clears. */
static void file_attributes_readonly_denies_write_opens(void **state) {
  (void)state;
  run_seeds(attrs_main, NULL);
}

static void delete_main(void *arg) {
  (void)arg;
  const char *path = "C:\\Temp\\del.bin";
  DWORD all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
  EXPECT_ERR(DeleteFileA(path), ERROR_FILE_NOT_FOUND);
  SIM_EXPECT(CloseHandle(new_file(path, "x", 0)));
  SIM_EXPECT(DeleteFileA(path));
  EXPECT_ERR(create(path, GENERIC_READ, all, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_FILE_NOT_FOUND);

  /* open without FILE_SHARE_DELETE: sharing violation */
  HANDLE h = create(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, CREATE_NEW, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE);
  EXPECT_ERR(DeleteFileA(path), ERROR_SHARING_VIOLATION);
  SIM_EXPECT(CloseHandle(h));

  /* open with FILE_SHARE_DELETE: delete pending until the last close */
  h = create(path, GENERIC_READ | GENERIC_WRITE, all, OPEN_EXISTING, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && DeleteFileA(path));
  FILE_STANDARD_INFO si;
  SIM_EXPECT(GetFileInformationByHandleEx(h, FileStandardInfo, &si, sizeof si) && si.DeletePending);
  EXPECT_ERR(create(path, GENERIC_READ, all, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_ACCESS_DENIED);
  EXPECT_ERR(DeleteFileA(path), ERROR_ACCESS_DENIED);
  DWORD n;
  SIM_EXPECT(WriteFile(h, "still", 5, &n, NULL) && n == 5); /* the open file still works */
  SIM_EXPECT(CloseHandle(h));
  EXPECT_ERR(create(path, GENERIC_READ, all, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_FILE_NOT_FOUND);

  /* FILE_FLAG_DELETE_ON_CLOSE */
  h = create(path, GENERIC_READ | GENERIC_WRITE, all, CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE);
  /* the flag takes DELETE access: another open must share delete */
  EXPECT_ERR(create(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0) !=
                 INVALID_HANDLE_VALUE,
             ERROR_SHARING_VIOLATION);
  HANDLE h2 = create(path, GENERIC_READ, all, OPEN_EXISTING, 0);
  SIM_EXPECT(h2 != INVALID_HANDLE_VALUE && CloseHandle(h));
  SIM_EXPECT(CloseHandle(h2)); /* the last close removes it */
  EXPECT_ERR(create(path, GENERIC_READ, all, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_FILE_NOT_FOUND);
}

/* DeleteFile and FILE_FLAG_DELETE_ON_CLOSE: sharing violation without
 * FILE_SHARE_DELETE, delete-pending while open (new opens denied), gone
 * after the last close. */
static void file_delete_semantics(void **state) {
  (void)state;
  run_seeds(delete_main, NULL);
}

static void dispositions_main(void *arg) {
  (void)arg;
  const char *path = "C:\\Temp\\disp.bin";
  DWORD all = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
  EXPECT_ERR(create(path, GENERIC_READ, all, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_FILE_NOT_FOUND);
  EXPECT_ERR(create(path, GENERIC_READ, all, TRUNCATE_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_INVALID_PARAMETER);
  EXPECT_ERR(create(path, GENERIC_READ, all, 0, 0) != INVALID_HANDLE_VALUE,
             ERROR_INVALID_PARAMETER);
  SetLastError(SENTINEL);
  HANDLE h = create(path, GENERIC_READ | GENERIC_WRITE, all, OPEN_ALWAYS, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && GetLastError() == 0);
  DWORD n;
  SIM_EXPECT(WriteFile(h, "12345", 5, &n, NULL) && CloseHandle(h));
  SetLastError(SENTINEL);
  h = create(path, GENERIC_READ, all, OPEN_ALWAYS, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && GetLastError() == ERROR_ALREADY_EXISTS && CloseHandle(h));
  EXPECT_ERR(create(path, GENERIC_READ, all, CREATE_NEW, 0) != INVALID_HANDLE_VALUE,
             ERROR_FILE_EXISTS);
  /* names are case-insensitive and '/' is a separator */
  h = create("c:/temp/DISP.BIN", GENERIC_READ, all, OPEN_EXISTING, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && GetFileSize(h, NULL) == 5 && CloseHandle(h));
  SetLastError(SENTINEL);
  h = create(path, GENERIC_WRITE, all, CREATE_ALWAYS, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && GetLastError() == ERROR_ALREADY_EXISTS);
  SIM_EXPECT(GetFileSize(h, NULL) == 0 && WriteFile(h, "abc", 3, &n, NULL) && CloseHandle(h));
  h = create(path, GENERIC_WRITE, all, TRUNCATE_EXISTING, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && GetFileSize(h, NULL) == 0 && CloseHandle(h));

  /* share modes against the opens that hold access */
  HANDLE r = create(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
  SIM_EXPECT(r != INVALID_HANDLE_VALUE);
  EXPECT_ERR(create(path, GENERIC_WRITE, all, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_SHARING_VIOLATION);
  EXPECT_ERR(create(path, GENERIC_READ, 0, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_SHARING_VIOLATION);
  HANDLE r2 = create(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
  SIM_EXPECT(r2 != INVALID_HANDLE_VALUE);
  HANDLE attr_only =
      create(path, FILE_READ_ATTRIBUTES, 0, OPEN_EXISTING, 0); /* takes no part in sharing */
  SIM_EXPECT(attr_only != INVALID_HANDLE_VALUE);
  SIM_EXPECT(CloseHandle(r) && CloseHandle(r2) && CloseHandle(attr_only));
  h = create(path, GENERIC_WRITE, 0, OPEN_EXISTING, 0);
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && CloseHandle(h));

  EXPECT_ERR(create("C:\\Temp\\a?b", GENERIC_READ, all, CREATE_NEW, 0) != INVALID_HANDLE_VALUE,
             ERROR_INVALID_NAME);
  EXPECT_ERR(create("", GENERIC_READ, all, CREATE_NEW, 0) != INVALID_HANDLE_VALUE,
             ERROR_PATH_NOT_FOUND);
  SIM_EXPECT(DeleteFileA(path));
}

/* CreateFile dispositions and their last errors, case-insensitive names,
 * share modes (ERROR_SHARING_VIOLATION), invalid names. */
static void file_dispositions_and_share_modes(void **state) {
  (void)state;
  run_seeds(dispositions_main, NULL);
}

static void types_main(void *arg) {
  (void)arg;
  HANDLE f = new_file("C:\\Temp\\type.bin", NULL, 0);
  HANDLE r, w;
  SIM_EXPECT(CreatePipe(&r, &w, NULL, 0));
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  SIM_EXPECT(GetFileType(f) == FILE_TYPE_DISK);
  SIM_EXPECT(GetFileType(r) == FILE_TYPE_PIPE && GetFileType(w) == FILE_TYPE_PIPE);
  SIM_EXPECT(GetFileType(in) == FILE_TYPE_CHAR);
  EXPECT_ERR(GetFileType(ev) != FILE_TYPE_UNKNOWN, ERROR_INVALID_HANDLE);
  EXPECT_ERR(GetFileType((HANDLE)(uintptr_t)0x7770) != FILE_TYPE_UNKNOWN, ERROR_INVALID_HANDLE);
  /* the information calls are for disk files */
  BY_HANDLE_FILE_INFORMATION info;
  EXPECT_ERR(GetFileInformationByHandle(in, &info), ERROR_INVALID_HANDLE);
  SIM_EXPECT(CloseHandle(f) && CloseHandle(r) && CloseHandle(w) && CloseHandle(in) &&
             CloseHandle(ev));
}

/* GetFileType: DISK for files, PIPE for pipes, CHAR for the console,
 * UNKNOWN + ERROR_INVALID_HANDLE for anything else. */
static void file_get_file_type(void **state) {
  (void)state;
  run_seeds(types_main, NULL);
}

static void temp_main(void *arg) {
  (void)arg;
  char dir[MAX_PATH], path[MAX_PATH];
  SIM_EXPECT(GetTempPathA(0, NULL) == 9); /* "C:\Temp\" and its NUL */
  SIM_EXPECT(GetTempPathA(sizeof dir, dir) == 8 && strcmp(dir, "C:\\Temp\\") == 0);
  SIM_EXPECT(GetTempFileNameA(dir, "fdtx", 0, path) == 1 &&
             strcmp(path, "C:\\Temp\\fdt1.tmp") == 0);
  HANDLE h = create(path, GENERIC_READ, 0, OPEN_EXISTING, 0); /* it was created, empty */
  SIM_EXPECT(h != INVALID_HANDLE_VALUE && GetFileSize(h, NULL) == 0 && CloseHandle(h));
  /* a taken name is skipped */
  SIM_EXPECT(CloseHandle(new_file("C:\\Temp\\fdt2.tmp", NULL, 0)));
  SIM_EXPECT(GetTempFileNameA("C:\\Temp", "fdt", 0, path) == 3 &&
             strcmp(path, "C:\\Temp\\fdt3.tmp") == 0);
  /* a given number: its low 16 bits, name only */
  SIM_EXPECT(GetTempFileNameA(dir, "ab", 0x12ABC, path) == 0x2ABC &&
             strcmp(path, "C:\\Temp\\ab2ABC.tmp") == 0);
  EXPECT_ERR(create(path, GENERIC_READ, 0, OPEN_EXISTING, 0) != INVALID_HANDLE_VALUE,
             ERROR_FILE_NOT_FOUND);
  WCHAR wdir[MAX_PATH], wpath[MAX_PATH];
  SIM_EXPECT(GetTempPathW(MAX_PATH, wdir) == 8 && wdir[0] == 'C' && wdir[7] == '\\' &&
             wdir[8] == 0);
  static const WCHAR pre[] = {'w', 0};
  static const WCHAR want[] = {'C', ':', '\\', 'T', 'e', 'm', 'p', '\\',
                               'w', '4', '.',  't', 'm', 'p', 0};
  SIM_EXPECT(GetTempFileNameW(wdir, pre, 0, wpath) == 4);
  SIM_EXPECT(memcmp(wpath, want, sizeof want) == 0);
  SIM_EXPECT(DeleteFileA("C:\\Temp\\fdt1.tmp") && DeleteFileW(wpath));
}

/* GetTempPath and GetTempFileName: the world's temp directory and
 * deterministic names "<dir>\<pre><HEX>.tmp", created for uUnique 0. */
static void file_temp_names_are_deterministic(void **state) {
  (void)state;
  run_seeds(temp_main, NULL);
}

static void flush_main(void *arg) {
  (void)arg;
  const char *path = "C:\\Temp\\flush.bin";
  HANDLE h = new_file(path, "abc", 0);
  SIM_EXPECT(FlushFileBuffers(h));
  HANDLE r = create(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
  EXPECT_ERR(FlushFileBuffers(r), ERROR_ACCESS_DENIED);
  DWORD n;
  EXPECT_ERR(WriteFile(r, "x", 1, &n, NULL), ERROR_ACCESS_DENIED);
  EXPECT_ERR(SetEndOfFile(r), ERROR_ACCESS_DENIED);
  HANDLE w = create(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
  char buf[4];
  EXPECT_ERR(ReadFile(w, buf, 1, &n, NULL), ERROR_ACCESS_DENIED);
  SIM_EXPECT(CloseHandle(h) && CloseHandle(r) && CloseHandle(w));
}

/* Access rights: FlushFileBuffers, WriteFile and SetEndOfFile need write
 * access, ReadFile read access (ERROR_ACCESS_DENIED otherwise). */
static void file_access_rights_checked(void **state) {
  (void)state;
  run_seeds(flush_main, NULL);
}

/* ---- the fault plan
 * -------------------------------------------------------------------------------------------- */

static void fault_main(void *arg) {
  (void)arg;
  HANDLE h = new_file("C:\\Temp\\fault.bin", NULL, FILE_FLAG_OVERLAPPED);
  HANDLE port = new_port(h, 2);
  OVERLAPPED o, *got;
  DWORD n = SENTINEL, bytes;
  ULONG_PTR key;
  /* rule 1: the first WriteFile fails with ERROR_DISK_FULL and writes nothing */
  ov_at(&o, 0, NULL);
  EXPECT_ERR(WriteFile(h, "abcdef", 6, &n, &o), ERROR_DISK_FULL);
  SIM_EXPECT(GetFileSize(h, NULL) == 0);
  ov_at(&o, 0, NULL);
  SIM_EXPECT(WriteFile(h, "abcdef", 6, &n, &o) && n == 6);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, 0) && got == &o);
  /* rule 2: the first ReadFile pends and completes later with 3 real bytes */
  char buf[8] = {0};
  ov_at(&o, 1, NULL);
  EXPECT_ERR(ReadFile(h, buf, sizeof buf, &n, &o), ERROR_IO_PENDING);
  SIM_EXPECT(GetQueuedCompletionStatus(port, &bytes, &key, &got, INFINITE) && got == &o &&
             bytes == 3);
  SIM_EXPECT(memcmp(buf, "bcd", 3) == 0 && o.InternalHigh == 3);
  SIM_EXPECT(CloseHandle(h) && CloseHandle(port));
  /* rule 3: CreateFile fails as told */
  EXPECT_ERR(create("C:\\Temp\\other.bin", GENERIC_READ, 0, CREATE_NEW, 0) != INVALID_HANDLE_VALUE,
             ERROR_SHARING_VIOLATION);
}

/* Every file call consults the fault plan before the default: a WriteFile
 * error, a pending ReadFile completed with real data, a CreateFile error. */
static void file_calls_consult_fault_plan(void **state) {
  (void)state;
  char err[160];
  assert_int_not_equal(
      fw_fault_add_text("WriteFile nth=1 -> error code=ERROR_DISK_FULL", err, sizeof err), 0);
  assert_int_not_equal(
      fw_fault_add_text("ReadFile nth=1 -> pending status=STATUS_SUCCESS bytes=3 after=1ms", err,
                        sizeof err),
      0);
  assert_int_not_equal(
      fw_fault_add_text("CreateFileW nth=2 -> error code=ERROR_SHARING_VIOLATION", err, sizeof err),
      0);
  run_seeds(fault_main, NULL);
}

/* Same seed, same trace. */
static void file_runs_are_deterministic(void **state) {
  (void)state;
  for (uint64_t seed = 0; seed < 4; seed++) {
    sim_config_t cfg = {.seed = seed};
    sim_result_t a, b;
    assert_int_equal(sim_run(&cfg, dispositions_main, NULL, &a), SIM_STATUS_PASS);
    assert_int_equal(sim_run(&cfg, dispositions_main, NULL, &b), SIM_STATUS_PASS);
    assert_true(a.trace_hash == b.trace_hash && a.events == b.events);
    sim_result_free(&a);
    sim_result_free(&b);
  }
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(f44_sync_handle_overlapped_offsets_move_pointer, teardown),
      cmocka_unit_test_teardown(f45_overlapped_read_past_eof_fails_handle_eof, teardown),
      cmocka_unit_test_teardown(w17_wine8_eof_read_moves_pointer_to_offset, teardown),
      cmocka_unit_test_teardown(f46_async_handle_no_pointer_eof_immediate, teardown),
      cmocka_unit_test_teardown(w16_wine8_async_eof_pends_then_packet, teardown),
      cmocka_unit_test_teardown(file_seek_64bit_pointer, teardown),
      cmocka_unit_test_teardown(file_sparse_offsets_beyond_4gib, teardown),
      cmocka_unit_test_teardown(file_attributes_readonly_denies_write_opens, teardown),
      cmocka_unit_test_teardown(file_delete_semantics, teardown),
      cmocka_unit_test_teardown(file_dispositions_and_share_modes, teardown),
      cmocka_unit_test_teardown(file_get_file_type, teardown),
      cmocka_unit_test_teardown(file_temp_names_are_deterministic, teardown),
      cmocka_unit_test_teardown(file_access_rights_checked, teardown),
      cmocka_unit_test_teardown(file_calls_consult_fault_plan, teardown),
      cmocka_unit_test_teardown(file_runs_are_deterministic, teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
