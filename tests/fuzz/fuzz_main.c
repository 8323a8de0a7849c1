/* fuzz_main.c: a main for the fuzz targets without libFuzzer.
 *
 *   TARGET FILE|DIR...   feeds each file (each regular file of a DIR) to
 *                        LLVMFuzzerTestOneInput once
 *   TARGET               (no argument) feeds standard input once
 *
 * This is how the targets replay their corpora in ctest on the native tier
 * (plain gcc), and how AFL++ runs them (afl-fuzz ... -- TARGET @@; see
 * docs/fuzzing.md).  A finding aborts inside the target, as under
 * libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *slurp(FILE *f, size_t *n) {
  size_t cap = 4096, len = 0;
  uint8_t *b = malloc(cap);
  if (!b) abort();
  size_t k;
  while ((k = fread(b + len, 1, cap - len, f)) > 0) {
    len += k;
    if (len == cap) {
      cap *= 2;
      b = realloc(b, cap);
      if (!b) abort();
    }
  }
  *n = len;
  return b;
}

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t n;
  uint8_t *b = slurp(f, &n);
  fclose(f);
  LLVMFuzzerTestOneInput(b, n);
  free(b);
  return 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files, in name order (so a replay is the same run
 * after run). */
static int run_dir(const char *dir, size_t *count) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof *names);
      if (!names) abort();
    }
    size_t l = strlen(dir) + strlen(e->d_name) + 2;
    names[n] = malloc(l);
    if (!names[n]) abort();
    snprintf(names[n], l, "%s/%s", dir, e->d_name);
    n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      rc |= run_file(names[i]);
      (*count)++;
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    size_t n;
    uint8_t *b = slurp(stdin, &n);
    LLVMFuzzerTestOneInput(b, n);
    free(b);
    return 0;
  }
  int rc = 0;
  size_t count = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      rc = 1;
    } else if (S_ISDIR(st.st_mode)) {
      rc |= run_dir(argv[i], &count);
    } else {
      rc |= run_file(argv[i]);
      count++;
    }
  }
  fprintf(stderr, "%s: %zu inputs, no finding\n", argv[0], count);
  if (count == 0) rc = 1; /* an empty corpus replays nothing: say so */
  return rc;
}
