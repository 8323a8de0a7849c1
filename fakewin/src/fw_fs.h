/* fw_fs.h: the in-memory file system of a fake world (fw_fs.c), used by
 * fw_file.c.  Nothing here is a Win32 entry point; these are the nodes and
 * their sparse contents, with no scheduling points and no tracing.
 *
 * Model (docs/fakewin-files.md):
 *   - one flat name space per world: a path is a byte string (CreateFileW
 *     converts UTF-16 to UTF-8 first); '/' and '\' are the same separator;
 *     lookups fold ASCII letters to upper case, as NTFS does by default, but
 *     do not fold non-ASCII letters.  Directories are not modelled: any
 *     parent path is taken to exist.
 *   - a node lives while it has a name or an open file object; DeleteFile
 *     removes the name at once when nothing has the file open, else marks it
 *     delete-pending (the name stays, new opens fail with ERROR_ACCESS_DENIED)
 *     and the last close removes it, as on Windows.
 *   - contents are sparse: fixed-size chunks allocated on first write, reads
 *     of never-written ranges give zeros, so offsets beyond 4 GiB cost
 *     nothing until written. */
#ifndef FAKEWIN_FW_FS_H
#define FAKEWIN_FW_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#define FW_FS_CHUNK 16384u
/* Largest end of file the fake volume accepts (NTFS: 16 TiB - 64 KiB on
 * 4 KiB clusters); a write or SetEndOfFile beyond it fails with
 * ERROR_DISK_FULL. */
#define FW_FS_MAX_SIZE ((1ull << 44) - 65536ull)
/* Bytes of chunks one world may allocate before writes fail with
 * ERROR_DISK_FULL (the fake disk's capacity). */
#define FW_FS_CAPACITY (256ull << 20)

typedef struct fw_fs_chunk {
  uint64_t index; /* offset / FW_FS_CHUNK */
  uint8_t *data;  /* FW_FS_CHUNK bytes */
} fw_fs_chunk_t;

typedef struct fw_fs_node fw_fs_node_t;
struct fw_fs_node {
  char *path; /* as first created, separators normalised to '\' */
  char *key;  /* lookup key: path with ASCII letters upper-cased */
  uint64_t size;
  DWORD attributes;       /* FILE_ATTRIBUTE_*; NORMAL is never stored with others */
  uint64_t creation_time; /* FILETIME ticks (100 ns since 1601) */
  uint64_t access_time;
  uint64_t write_time;
  uint64_t change_time;
  uint64_t file_index; /* unique per world, never reused */
  uint32_t refs;       /* the name (while linked) + every open file object */
  uint32_t opens;      /* open file objects */
  bool linked;         /* still has its name */
  bool delete_pending; /* DeleteFile or DELETE_ON_CLOSE waits for the last close */
  /* Share accounting over the open file objects: how many opened with each
   * access and how many allow each kind of sharing. */
  uint32_t n_shared; /* opens with read, write or delete access (the others do not take part) */
  uint32_t n_read, n_write, n_delete;
  uint32_t n_share_read, n_share_write, n_share_delete;
  fw_fs_chunk_t *chunks; /* sorted by index */
  size_t n_chunks, cap_chunks;
  uint64_t world;     /* world generation that created it (capacity accounting) */
  fw_fs_node_t *next; /* world list, creation order */
};

/* The current time of the fake world as FILETIME ticks. */
uint64_t fw_fs_now(void);

/* Normalises a path to the world's byte form: separators to '\'.  NULL for a
 * NULL or empty path.  Returned string is malloc'd. */
char *fw_fs_path_from_a(LPCSTR path);
char *fw_fs_path_from_w(LPCWSTR path);

/* Case-insensitive ASCII prefix test on normalised paths. */
bool fw_fs_has_prefix(const char *path, const char *prefix);

/* The linked node with that name, or NULL. */
fw_fs_node_t *fw_fs_lookup(const char *path);
/* A new linked node (the caller has checked that the name is free) with one
 * reference, the name's.  attributes as stored. */
fw_fs_node_t *fw_fs_create(const char *path, DWORD attributes);
/* Removes the name (no-op when already unlinked) and drops its reference. */
void fw_fs_unlink(fw_fs_node_t *n);
void fw_fs_ref(fw_fs_node_t *n);
void fw_fs_unref(fw_fs_node_t *n);

/* Contents.  read copies min(len, size - off) bytes (0 at or past the end)
 * and returns that count.  write returns 0 or ERROR_DISK_FULL (nothing
 * written then); it extends the size.  set_size truncates or extends (the
 * extension reads as zeros). */
size_t fw_fs_read(fw_fs_node_t *n, uint64_t off, void *buf, size_t len);
DWORD fw_fs_write(fw_fs_node_t *n, uint64_t off, const void *buf, size_t len);
DWORD fw_fs_set_size(fw_fs_node_t *n, uint64_t size);
/* Bytes of storage the node's chunks occupy (tests check sparseness). */
uint64_t fw_fs_allocated(const fw_fs_node_t *n);

/* Temp-file numbering (GetTempFileName with uUnique == 0): the world's next
 * candidate, 1..0xFFFF cycling; deterministic per world. */
uint32_t fw_fs_next_temp_unique(void);

#endif
