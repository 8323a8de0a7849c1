/* fw_fs.c: the in-memory file system of a fake world (see fw_fs.h for the
 * model).  World-scoped: a subsystem hook drops every name at world start and end;
 * nodes still held by file objects go when those objects are destroyed, in
 * whatever order fw_object.c tears them down (nodes are reference counted
 * for exactly that reason). */
#include "fw_fs.h"

#include <stdlib.h>
#include <string.h>

#include "fw_int.h"

static struct {
  fw_fs_node_t *head, *tail; /* linked nodes, creation order */
  uint64_t next_index;
  uint64_t allocated; /* chunk bytes in this world */
  uint32_t temp_unique;
  uint64_t world; /* generation, bumped at every reset */
} FS;

/* 2024-01-01T00:00:00Z as FILETIME ticks: the wall-clock date of virtual
 * time 0 in every world. */
#define FW_FS_EPOCH 133485408000000000ull

uint64_t fw_fs_now(void) {
  return FW_FS_EPOCH + (sim_in_world() ? sim_now() / 100u : 0);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (p == NULL) abort();
  return p;
}

/* ---- paths ------------------------------------------------------------------ */

static char *norm(char *p) {
  for (char *c = p; *c; c++)
    if (*c == '/') *c = '\\';
  return p;
}

char *fw_fs_path_from_a(LPCSTR path) {
  if (path == NULL || path[0] == 0) return NULL;
  size_t n = strlen(path);
  char *p = xmalloc(n + 1);
  memcpy(p, path, n + 1);
  return norm(p);
}

/* UTF-16 to UTF-8; an unpaired surrogate becomes U+FFFD (it can never name
 * a file created through the A functions anyway). */
char *fw_fs_path_from_w(LPCWSTR path) {
  if (path == NULL || path[0] == 0) return NULL;
  size_t n = 0;
  while (path[n]) n++;
  char *p = xmalloc(n * 3 + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = path[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && path[i + 1] >= 0xDC00 && path[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (path[i + 1] - 0xDC00u);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x80) {
      p[o++] = (char)c;
    } else if (c < 0x800) {
      p[o++] = (char)(0xC0 | (c >> 6));
      p[o++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      p[o++] = (char)(0xE0 | (c >> 12));
      p[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
      p[o++] = (char)(0x80 | (c & 0x3F));
    } else {
      p[o++] = (char)(0xF0 | (c >> 18));
      p[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
      p[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
      p[o++] = (char)(0x80 | (c & 0x3F));
    }
  }
  p[o] = 0;
  return norm(p);
}

static char fold(char c) {
  return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

bool fw_fs_has_prefix(const char *path, const char *prefix) {
  for (; *prefix; path++, prefix++)
    if (fold(*path) != fold(*prefix)) return false;
  return true;
}

static char *make_key(const char *path) {
  size_t n = strlen(path);
  char *k = xmalloc(n + 1);
  for (size_t i = 0; i <= n; i++) k[i] = fold(path[i]);
  return k;
}

/* ---- nodes ------------------------------------------------------------------ */

fw_fs_node_t *fw_fs_lookup(const char *path) {
  char *key = make_key(path);
  fw_fs_node_t *n;
  for (n = FS.head; n != NULL; n = n->next)
    if (strcmp(n->key, key) == 0) break;
  free(key);
  return n;
}

fw_fs_node_t *fw_fs_create(const char *path, DWORD attributes) {
  fw_fs_node_t *n = calloc(1, sizeof *n);
  if (n == NULL) abort();
  size_t len = strlen(path);
  n->path = xmalloc(len + 1);
  memcpy(n->path, path, len + 1);
  n->key = make_key(path);
  n->attributes = attributes;
  n->creation_time = n->access_time = n->write_time = n->change_time = fw_fs_now();
  n->file_index = ++FS.next_index;
  n->refs = 1;
  n->linked = true;
  n->world = FS.world;
  if (FS.tail)
    FS.tail->next = n;
  else
    FS.head = n;
  FS.tail = n;
  return n;
}

void fw_fs_ref(fw_fs_node_t *n) {
  n->refs++;
}

static void node_free(fw_fs_node_t *n) {
  for (size_t i = 0; i < n->n_chunks; i++) free(n->chunks[i].data);
  if (n->world == FS.world) FS.allocated -= (uint64_t)n->n_chunks * FW_FS_CHUNK;
  free(n->chunks);
  free(n->path);
  free(n->key);
  free(n);
}

void fw_fs_unref(fw_fs_node_t *n) {
  if (n->refs == 0) abort();
  if (--n->refs == 0) node_free(n);
}

void fw_fs_unlink(fw_fs_node_t *n) {
  if (!n->linked) return;
  fw_fs_node_t **pp = &FS.head, *prev = NULL;
  while (*pp != n) {
    prev = *pp;
    pp = &(*pp)->next;
  }
  *pp = n->next;
  if (FS.tail == n) FS.tail = prev;
  n->next = NULL;
  n->linked = false;
  fw_fs_unref(n);
}

/* ---- contents --------------------------------------------------------------- */

/* Index of the first chunk with index >= ci. */
static size_t chunk_find(const fw_fs_node_t *n, uint64_t ci) {
  size_t lo = 0, hi = n->n_chunks;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (n->chunks[mid].index < ci)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

size_t fw_fs_read(fw_fs_node_t *n, uint64_t off, void *buf, size_t len) {
  if (off >= n->size) return 0;
  if ((uint64_t)len > n->size - off) len = (size_t)(n->size - off);
  uint8_t *out = buf;
  size_t done = 0;
  size_t k = chunk_find(n, off / FW_FS_CHUNK);
  while (done < len) {
    uint64_t pos = off + done;
    uint64_t ci = pos / FW_FS_CHUNK;
    size_t in = (size_t)(pos % FW_FS_CHUNK);
    size_t step = FW_FS_CHUNK - in;
    if (step > len - done) step = len - done;
    while (k < n->n_chunks && n->chunks[k].index < ci) k++;
    if (k < n->n_chunks && n->chunks[k].index == ci)
      memcpy(out + done, n->chunks[k].data + in, step);
    else
      memset(out + done, 0, step);
    done += step;
  }
  return len;
}

static uint8_t *chunk_get(fw_fs_node_t *n, uint64_t ci) {
  size_t k = chunk_find(n, ci);
  if (k < n->n_chunks && n->chunks[k].index == ci) return n->chunks[k].data;
  if (n->n_chunks == n->cap_chunks) {
    size_t cap = n->cap_chunks ? n->cap_chunks * 2 : 8;
    fw_fs_chunk_t *p = realloc(n->chunks, cap * sizeof *p);
    if (p == NULL) abort();
    n->chunks = p;
    n->cap_chunks = cap;
  }
  memmove(&n->chunks[k + 1], &n->chunks[k], (n->n_chunks - k) * sizeof *n->chunks);
  n->chunks[k].index = ci;
  n->chunks[k].data = calloc(1, FW_FS_CHUNK);
  if (n->chunks[k].data == NULL) abort();
  n->n_chunks++;
  FS.allocated += FW_FS_CHUNK;
  return n->chunks[k].data;
}

/* Chunks a write of [off, off+len) would add. */
static uint64_t chunks_needed(const fw_fs_node_t *n, uint64_t off, size_t len) {
  uint64_t need = 0;
  uint64_t first = off / FW_FS_CHUNK, last = (off + len - 1) / FW_FS_CHUNK;
  size_t k = chunk_find(n, first);
  for (uint64_t ci = first; ci <= last; ci++) {
    while (k < n->n_chunks && n->chunks[k].index < ci) k++;
    if (!(k < n->n_chunks && n->chunks[k].index == ci)) need++;
  }
  return need;
}

DWORD fw_fs_write(fw_fs_node_t *n, uint64_t off, const void *buf, size_t len) {
  if (len == 0) return 0;
  if (off > FW_FS_MAX_SIZE || (uint64_t)len > FW_FS_MAX_SIZE - off) return ERROR_DISK_FULL;
  if (FS.allocated + chunks_needed(n, off, len) * FW_FS_CHUNK > FW_FS_CAPACITY)
    return ERROR_DISK_FULL;
  const uint8_t *in = buf;
  size_t done = 0;
  while (done < len) {
    uint64_t pos = off + done;
    size_t at = (size_t)(pos % FW_FS_CHUNK);
    size_t step = FW_FS_CHUNK - at;
    if (step > len - done) step = len - done;
    memcpy(chunk_get(n, pos / FW_FS_CHUNK) + at, in + done, step);
    done += step;
  }
  if (off + len > n->size) n->size = off + len;
  return 0;
}

DWORD fw_fs_set_size(fw_fs_node_t *n, uint64_t size) {
  if (size > FW_FS_MAX_SIZE) return ERROR_DISK_FULL;
  if (size < n->size) {
    /* drop whole chunks past the end, zero the tail of the last one so a
     * later extension reads zeros */
    uint64_t keep = (size + FW_FS_CHUNK - 1) / FW_FS_CHUNK;
    size_t k = chunk_find(n, keep);
    for (size_t i = k; i < n->n_chunks; i++) free(n->chunks[i].data);
    if (n->world == FS.world) FS.allocated -= (uint64_t)(n->n_chunks - k) * FW_FS_CHUNK;
    n->n_chunks = k;
    if (size % FW_FS_CHUNK != 0) {
      size_t j = chunk_find(n, size / FW_FS_CHUNK);
      if (j < n->n_chunks && n->chunks[j].index == size / FW_FS_CHUNK) {
        size_t at = (size_t)(size % FW_FS_CHUNK);
        memset(n->chunks[j].data + at, 0, FW_FS_CHUNK - at);
      }
    }
  }
  n->size = size;
  return 0;
}

uint64_t fw_fs_allocated(const fw_fs_node_t *n) {
  return (uint64_t)n->n_chunks * FW_FS_CHUNK;
}

uint32_t fw_fs_next_temp_unique(void) {
  FS.temp_unique = FS.temp_unique % 0xFFFFu + 1u;
  return FS.temp_unique;
}

/* ---- the world -------------------------------------------------------------- */

static void fs_reset(void *arg) {
  (void)arg;
  while (FS.head != NULL) fw_fs_unlink(FS.head);
  FS.tail = NULL;
  FS.next_index = 0;
  FS.temp_unique = 0;
  /* nodes of the old world that file objects still hold are freed later,
   * outside the new world's accounting (their generation differs) */
  FS.allocated = 0;
  FS.world++;
}

static sim_hook_t fs_hook = {fs_reset, fs_reset, NULL, NULL, false};

__attribute__((constructor)) static void fw_fs_register_hook(void) {
  fw_subsystem_add(&fs_hook);
}
