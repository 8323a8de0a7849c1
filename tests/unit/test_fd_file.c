/* test_fd_file.c: the FD on disk files (spec/go-poll.md B10, B27-B29,
 * B33-B36, B41, B42, B45, B49, B58-B63, B69, B72, B79-B81, B96-B98, B111):
 * positional I/O that keeps the file position, EOF, 64-bit seeks, maxRW,
 * Fchmod, Fchdir, file information.  Files are initialised as os does it:
 * "file", pollable=false, on synchronous handles in GetTempPathA. */
#include "test_fd_util.h"

#include <string.h>

static core_fd_t *temp_fd_with(const char *content, char path[MAX_PATH]) {
  HANDLE h = fdt_temp_file(path);
  DWORD put = 0;
  size_t len = strlen(content);
  assert_true(WriteFile(h, content, (DWORD)len, &put, NULL));
  assert_int_equal(put, len);
  return fdt_file_fd(h, "file");
}

static int64_t pos_of(core_fd_t *fd) {
  int64_t pos = -1;
  assert_int_equal(core_fd_seek(fd, 0, CORE_SEEK_CUR, &pos), 0);
  return pos;
}

/* Reads the whole file through a second handle. */
static size_t file_content(const char path[MAX_PATH], char *buf, size_t len) {
  HANDLE h = fdt_reopen(path, GENERIC_READ);
  DWORD got = 0;
  assert_true(ReadFile(h, buf, (DWORD)len, &got, NULL));
  CloseHandle(h);
  return got;
}

/* @covers B59 B60 B63 B80 B81
 * Pread and Pwrite at an offset move the file pointer for their ReadFile /
 * WriteFile and put it back: the position is the same afterwards. */
static void file_positional_io_keeps_position(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("0123456789", path);
  int64_t pos = -1;
  assert_int_equal(core_fd_seek(fd, 3, CORE_SEEK_SET, &pos), 0);
  assert_int_equal(pos, 3);
  char buf[8];
  size_t n = 0;
  assert_int_equal(core_fd_pread(fd, buf, 4, 5, &n), 0);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "5678", 4);
  assert_int_equal(pos_of(fd), 3);
  assert_int_equal(core_fd_pwrite(fd, "AB", 2, 8, &n), 0);
  assert_int_equal(n, 2);
  assert_int_equal(pos_of(fd), 3);
  /* A plain Read continues from the kept position. */
  assert_int_equal(core_fd_read(fd, buf, 3, &n), 0);
  assert_int_equal(n, 3);
  assert_memory_equal(buf, "345", 3);
  char all[16];
  assert_int_equal(file_content(path, all, sizeof all), 10);
  assert_memory_equal(all, "01234567AB", 10);
  /* An empty Pwrite is (0, nil) after the two seeks. */
  assert_int_equal(core_fd_pwrite(fd, "", 0, 2, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(pos_of(fd), 6);
  fdt_close_free(fd);
}

/* @covers B45 B49 B60 B61 B62
 * End of file: Read at the end gives EOF; Pread at or past the end fails
 * with ERROR_HANDLE_EOF, reported as EOF; a Pread that crosses the end is
 * short and returned as is (no loop); a zero-length Pread is (0, nil). */
static void file_eof(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("0123456789", path);
  char buf[8];
  size_t n = 99;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EOF); /* pointer at 10 */
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 10, &n), CORE_EOF);
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 50, &n), CORE_EOF);
  assert_int_equal(core_fd_pread(fd, buf, 4, 8, &n), 0);
  assert_int_equal(n, 2);
  assert_memory_equal(buf, "89", 2);
  assert_int_equal(core_fd_pread(fd, buf, 0, 20, &n), 0);
  assert_int_equal(n, 0);
  assert_int_equal(pos_of(fd), 10);
  fdt_close_free(fd);
}

/* @covers B60 B96
 * 64-bit offsets: Seek well past 4 GiB (nothing written, so the file stays
 * small), relative and from the end; Pread at 4 GiB + 2 really uses the
 * high half of the offset (offset 2 would find data, 4 GiB + 2 is EOF). */
static void file_offsets_above_4gib(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("0123456789", path);
  const int64_t gib = (int64_t)1 << 30;
  int64_t pos = 0;
  assert_int_equal(core_fd_seek(fd, 5 * gib + 7, CORE_SEEK_SET, &pos), 0);
  assert_int_equal(pos, 5 * gib + 7);
  assert_int_equal(pos_of(fd), 5 * gib + 7);
  assert_int_equal(core_fd_seek(fd, -gib, CORE_SEEK_CUR, &pos), 0);
  assert_int_equal(pos, 4 * gib + 7);
  assert_int_equal(core_fd_seek(fd, -4, CORE_SEEK_END, &pos), 0);
  assert_int_equal(pos, 6);
  /* Any other whence is FILE_BEGIN, as in Go's syscall.Seek. */
  assert_int_equal(core_fd_seek(fd, 2, 7, &pos), 0);
  assert_int_equal(pos, 2);
  char buf[4];
  size_t n = 99;
  assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 4 * gib + 2, &n), CORE_EOF);
  assert_int_equal(n, 0);
  assert_int_equal(pos_of(fd), 2);
  assert_int_equal(core_fd_seek(fd, -1, CORE_SEEK_SET, &pos), ERROR_NEGATIVE_SEEK);
  fdt_close_free(fd);
}

/* @covers B42
 * maxRW is exactly 1 GiB in production (golang/go#26923), and the test
 * hook starts there. */
static void max_rw_production_value(void **state) {
  (void)state;
  assert_int_equal(CORE_MAX_RW, 1073741824);
  assert_int_equal(core_max_rw, CORE_MAX_RW);
}

/* @covers B42 B59 B72 B81
 * With maxRW lowered to 4, Read and Pread ask for 4 bytes at most, and
 * Write and Pwrite split into pieces of 4 that land at the right offsets. */
static void file_max_rw_split_and_truncate(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("", path);
  core_max_rw = 4;
  size_t n = 0;
  assert_int_equal(core_fd_write(fd, "abcdefghij", 10, &n), 0);
  assert_int_equal(n, 10);
  assert_int_equal(core_fd_pwrite(fd, "ABCDEFGHIJ", 10, 20, &n), 0);
  assert_int_equal(n, 10);
  assert_int_equal(pos_of(fd), 10);
  char buf[16];
  assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 0, &n), 0);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "abcd", 4);
  int64_t pos;
  assert_int_equal(core_fd_seek(fd, 20, CORE_SEEK_SET, &pos), 0);
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), 0);
  assert_int_equal(n, 4);
  assert_memory_equal(buf, "ABCD", 4);
  core_max_rw = CORE_MAX_RW;
  char all[40];
  assert_int_equal(file_content(path, all, sizeof all), 30);
  assert_memory_equal(all, "abcdefghij", 10);
  assert_memory_equal(all + 20, "ABCDEFGHIJ", 10);
  fdt_close_free(fd);
}

/* @covers B27 B35 B36 B41 B58 B69 B79 B98 B111
 * A file FD is closed with CloseHandle (the socket close hook is not
 * used); afterwards every method reports file-closing. */
static void file_closed_errors(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("x", path);
  HANDLE h = core_fd_sysfd(fd);
  fdt_count_closes(0);
  assert_int_equal(core_fd_close(fd), 0);
  assert_int_equal(fdt_closes.calls, 0);
  assert_true(core_fd_sysfd(fd) == INVALID_HANDLE_VALUE);
  DWORD flags;
  assert_false(GetHandleInformation(h, &flags));
  assert_int_equal(core_fd_close(fd), CORE_EFILECLOSING);
  char buf[4];
  size_t n = 99;
  int64_t pos = 99;
  DWORD type = 99;
  BY_HANDLE_FILE_INFORMATION info;
  assert_int_equal(core_fd_read(fd, buf, sizeof buf, &n), CORE_EFILECLOSING);
  assert_int_equal(n, 0);
  assert_int_equal(core_fd_write(fd, "x", 1, &n), CORE_EFILECLOSING);
  assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 0, &n), CORE_EFILECLOSING);
  assert_int_equal(core_fd_pwrite(fd, "x", 1, 0, &n), CORE_EFILECLOSING);
  assert_int_equal(core_fd_seek(fd, 0, CORE_SEEK_SET, &pos), CORE_EFILECLOSING);
  assert_int_equal(core_fd_fchmod(fd, 0), CORE_EFILECLOSING);
  assert_int_equal(core_fd_fchdir(fd), CORE_EFILECLOSING);
  assert_int_equal(core_fd_get_file_type(fd, &type), CORE_EFILECLOSING);
  assert_int_equal(core_fd_get_file_information_by_handle(fd, &info), CORE_EFILECLOSING);
  assert_int_equal(core_fd_fsync(fd), CORE_EFILECLOSING);
  assert_int_equal(core_fd_set_deadline(fd, 0), CORE_EFILECLOSING);
  core_fd_free(fd);
}

/* ChangeTime moves whenever attributes are written, even unchanged ones. */
static int64_t change_time(core_fd_t *fd) {
  FILE_BASIC_INFO b;
  assert_true(GetFileInformationByHandleEx(core_fd_sysfd(fd), FileBasicInfo, &b, sizeof b));
  return b.ChangeTime.QuadPart;
}

/* @covers B97
 * Fchmod toggles FILE_ATTRIBUTE_READONLY by the S_IWRITE bit alone and
 * writes the attributes only when they change: after a pause long enough
 * for the file system to stamp a different ChangeTime, a no-change Fchmod
 * leaves ChangeTime alone while a change moves it.  An error from
 * GetFileInformationByHandle (a pipe) is returned as is. */
static void file_fchmod(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("x", path);
  BY_HANDLE_FILE_INFORMATION info;
  assert_int_equal(core_fd_fchmod(fd, 0), 0);
  assert_int_equal(core_fd_get_file_information_by_handle(fd, &info), 0);
  assert_true(info.dwFileAttributes & FILE_ATTRIBUTE_READONLY);
  assert_int_equal(core_fd_fchmod(fd, 0444), 0);
  assert_int_equal(core_fd_get_file_information_by_handle(fd, &info), 0);
  assert_true(info.dwFileAttributes & FILE_ATTRIBUTE_READONLY);
  assert_int_equal(core_fd_fchmod(fd, 0666), 0);
  assert_int_equal(core_fd_get_file_information_by_handle(fd, &info), 0);
  assert_false(info.dwFileAttributes & FILE_ATTRIBUTE_READONLY);

  int64_t before = change_time(fd);
  Sleep(50);
  assert_int_equal(core_fd_fchmod(fd, CORE_S_IWRITE), 0); /* already writable */
  assert_true(change_time(fd) == before);
  Sleep(50);
  assert_int_equal(core_fd_fchmod(fd, 0), 0);
  assert_true(change_time(fd) != before);
  assert_int_equal(core_fd_fchmod(fd, CORE_S_IWRITE), 0);

  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  SetLastError(0);
  int expect = GetFileInformationByHandle(r, &info) ? 0 : (int)GetLastError();
  assert_true(expect > 0);
  core_fd_t *pfd = fdt_file_fd(r, "pipe");
  assert_int_equal(core_fd_fchmod(pfd, 0), expect);
  fdt_close_free(pfd);
  CloseHandle(w);
  fdt_close_free(fd);
}

/* @covers B98 B111
 * Fchdir is Go 1.22's syscall.Fchdir: not supported on Windows.
 * GetFileType, GetFileInformationByHandle and Fsync pass through. */
static void file_passthroughs(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  core_fd_t *fd = temp_fd_with("0123456789", path);
  assert_int_equal(core_fd_fchdir(fd), CORE_EWINDOWS);
  DWORD type = 0;
  assert_int_equal(core_fd_get_file_type(fd, &type), 0);
  assert_int_equal(type, FILE_TYPE_DISK);
  BY_HANDLE_FILE_INFORMATION info;
  assert_int_equal(core_fd_get_file_information_by_handle(fd, &info), 0);
  assert_int_equal(info.nFileSizeLow, 10);
  assert_int_equal(info.nFileSizeHigh, 0);
  assert_int_equal(core_fd_fsync(fd), 0);
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *pfd = fdt_file_fd(r, "pipe");
  assert_int_equal(core_fd_get_file_type(pfd, &type), 0);
  assert_int_equal(type, FILE_TYPE_PIPE);
  fdt_close_free(pfd);
  CloseHandle(w);
  fdt_close_free(fd);
}

static int log_calls;
static char log_net[16];
static int log_err;

static void log_init(const char *net, core_fd_t *fd, int err) {
  (void)fd;
  log_calls++;
  strncpy(log_net, net, sizeof log_net - 1);
  log_err = err;
}

/* @covers B10 B28 B29 B33
 * As os does it (golang/go#21172): Init("file", pollable=false) is logged
 * with no error, leaves the handle out of the poller (no pollDesc), may be
 * repeated, and any socket-only operation reports the unsupported
 * descriptor error. */
static void file_not_pollable(void **state) {
  (void)state;
  fdt_startup();
  char path[MAX_PATH];
  HANDLE h = fdt_temp_file(path);
  core_fd_t *fd = NULL;
  assert_int_equal(core_fd_new(h, true, true, &fd), 0);
  log_calls = 0;
  core_hook_log_init_fd = log_init;
  assert_int_equal(core_fd_init(fd, "file", false, NULL), 0);
  assert_int_equal(core_fd_init(fd, "dir", false, NULL), 0);
  assert_int_equal(log_calls, 2);
  assert_string_equal(log_net, "dir");
  assert_int_equal(log_err, 0);
  assert_false(core_test_fd_pollable(fd));
  assert_int_equal(core_test_fd_op_mode(fd, 'r'), 'r');
  char buf[4];
  size_t n = 99;
  core_sockaddr_t from;
  assert_int_equal(core_fd_read_from(fd, buf, sizeof buf, &n, &from), CORE_EUNSUPPORTED);
  core_sockaddr_t to = {.kind = CORE_SA_INET4};
  assert_int_equal(core_fd_write_to(fd, "x", 1, &to, &n), CORE_EUNSUPPORTED);
  assert_int_equal(core_fd_connect_ex(fd, &to), CORE_EUNSUPPORTED);
  assert_int_equal(core_fd_set_read_deadline(fd, fdt_after_ms(5)), CORE_ENODEADLINE);
  fdt_close_free(fd);
}

/* @covers B34
 * destroy on an FD whose handle is already invalid reports EINVAL and
 * neither closes anything nor releases Close's semaphore. */
static void destroy_invalid_handle(void **state) {
  (void)state;
  fdt_startup();
  core_fd_t *fd = NULL;
  assert_int_equal(core_fd_new(INVALID_HANDLE_VALUE, true, true, &fd), 0);
  assert_int_equal(core_fd_init(fd, "file", false, NULL), 0);
  fdt_count_closes(0);
  assert_int_equal(core_test_fd_destroy(fd), CORE_EINVAL);
  assert_int_equal(fdt_closes.calls, 0);
  assert_false(core_test_fd_close_sema_take(fd));
  core_fd_free(fd);
}

/* Pread through a "file" FD around h: the position query fails, so Pread
 * returns exactly that error with 0 bytes. */
static void pread_seek_fails(HANDLE h) {
  LARGE_INTEGER zero, out;
  zero.QuadPart = 0;
  assert_false(SetFilePointerEx(h, zero, &out, FILE_CURRENT));
  int seek_err = (int)GetLastError();
  assert_true(seek_err > 0);
  core_fd_t *fd = fdt_file_fd(h, "file");
  char buf[4];
  size_t n = 99;
  assert_int_equal(core_fd_pread(fd, buf, sizeof buf, 0, &n), seek_err);
  assert_int_equal(n, 0);
  fdt_close_free(fd);
}

/* @covers B47 B59
 * A Read that fails counts 0 bytes, and a Pread whose position query fails
 * returns that error with 0 bytes: a "file" FD around the write end of a
 * pipe, which ReadFile refuses.  Whether SetFilePointerEx refuses a pipe
 * depends on the system: Wine 8.0 does; Windows' I/O manager stores the
 * position of any file object without asking the pipe driver (and so does
 * the fake world with its Windows personality; Go's Seek answers ESPIPE for
 * pipes itself for that reason).  So the position query is also made to
 * fail on a handle that is no file object at all (an event), which every
 * system refuses. */
static void file_path_errors_count_zero(void **state) {
  (void)state;
  fdt_startup();
  HANDLE r, w;
  assert_true(CreatePipe(&r, &w, NULL, 0));
  core_fd_t *wfd = fdt_file_fd(w, "file");
  char buf[4];
  size_t n = 99;
  int err = core_fd_read(wfd, buf, sizeof buf, &n);
  assert_true(err > 0);
  assert_int_equal(n, 0);
  LARGE_INTEGER zero, out;
  zero.QuadPart = 0;
  if (!SetFilePointerEx(w, zero, &out, FILE_CURRENT)) {
    int seek_err = (int)GetLastError();
    n = 99;
    assert_int_equal(core_fd_pread(wfd, buf, sizeof buf, 0, &n), seek_err);
    assert_int_equal(n, 0);
  }
  fdt_close_free(wfd);
  CloseHandle(r);
  HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
  assert_non_null(ev);
  pread_seek_fails(ev);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test_teardown(file_positional_io_keeps_position, fdt_teardown),
      cmocka_unit_test_teardown(file_eof, fdt_teardown),
      cmocka_unit_test_teardown(file_offsets_above_4gib, fdt_teardown),
      cmocka_unit_test_teardown(max_rw_production_value, fdt_teardown),
      cmocka_unit_test_teardown(file_max_rw_split_and_truncate, fdt_teardown),
      cmocka_unit_test_teardown(file_closed_errors, fdt_teardown),
      cmocka_unit_test_teardown(file_fchmod, fdt_teardown),
      cmocka_unit_test_teardown(file_passthroughs, fdt_teardown),
      cmocka_unit_test_teardown(file_not_pollable, fdt_teardown),
      cmocka_unit_test_teardown(destroy_invalid_handle, fdt_teardown),
      cmocka_unit_test_teardown(file_path_errors_count_zero, fdt_teardown),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
