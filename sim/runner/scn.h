/* scn.h: scenario files (DESIGN.md §5, docs/scenarios.md).
 *
 * A scenario is a text file, one step per line.  This header is the parsed
 * form and the parser; it includes no Win32 header, so the command-line
 * tool, the tests and the fuzz targets include it next to libc's headers.
 *
 * Lifetime: scn_parse returns a scenario that owns every string and array
 * inside it; scn_free releases all of it.  Nothing in it points into the
 * source text, which the caller may free as soon as scn_parse returns. */
#ifndef IOCPSIM_SCN_H
#define IOCPSIM_SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- exit codes of the parser (the engine's, sim.h) ---------------------- */
#define SCN_EXIT_USAGE 64

/* Limits: a file larger than this, a longer line, deeper nesting or a
 * larger count is a parse error, never a crash. */
#define SCN_MAX_FILE (1u << 20)
#define SCN_MAX_LINE 4096u
#define SCN_MAX_DEPTH 8u
#define SCN_MAX_ARGS 16u
#define SCN_MAX_ALTS 8u
#define SCN_MAX_DATA (1u << 24) /* bytes of one data literal (fill N) */
#define SCN_MAX_REPEAT 100000u

/* ---- values ------------------------------------------------------------------- */

typedef enum scn_arg_kind {
  SCN_A_NONE = 0,
  SCN_A_NAME,     /* an object or word: text */
  SCN_A_INT,      /* a number: i */
  SCN_A_DATA,     /* "text", x"hex" or fill N: data/len */
  SCN_A_DURATION, /* 5ms, +50ms, -5s: i (ns, signed) */
  SCN_A_DEADLINE, /* +50ms, -5s, past, none, now: i (ns relative to now), flag */
  SCN_A_ADDR      /* 127.0.0.1:80, [::1]:0: text */
} scn_arg_kind_t;

/* Deadline flags (SCN_A_DEADLINE). */
enum { SCN_DL_REL = 0, SCN_DL_NONE, SCN_DL_PAST, SCN_DL_NOW };

typedef struct scn_arg {
  scn_arg_kind_t kind;
  uint32_t col;  /* 1-based column where the argument starts */
  char *key;     /* key of a key=value argument, else NULL */
  char *text;    /* SCN_A_NAME, SCN_A_ADDR */
  int64_t i;     /* SCN_A_INT, SCN_A_DURATION, SCN_A_DEADLINE */
  int dl;        /* SCN_A_DEADLINE: SCN_DL_* */
  uint8_t *data; /* SCN_A_DATA */
  size_t len;
} scn_arg_t;

/* ---- expected results ---------------------------------------------------- */

typedef enum scn_alt_kind {
  SCN_R_ANY = 0, /* any result */
  SCN_R_OK,      /* error 0 */
  SCN_R_ERR      /* a named error (Win32, Winsock or core) */
} scn_alt_kind_t;

typedef struct scn_alt {
  scn_alt_kind_t kind;
  int err;    /* SCN_R_ERR: the error in the core's space */
  bool has_n; /* a byte count was given */
  int64_t n;
  bool has_data; /* data was given (implies n = len) */
  uint8_t *data;
  size_t len;
  char *rest;   /* writev: `rest "d" "ef"`, the buffers left (as the history shows them) */
  char *from;   /* from=NAME|ADDR: the source address (read_from, read_msg) */
  bool has_oob; /* oob=N: the oob length the call returned (read_msg, write_msg) */
  int64_t oob;
  bool has_flags; /* flags=N: the message flags read_msg returned */
  int64_t flags;
} scn_alt_t;

typedef struct scn_expect {
  uint32_t n_alts; /* 0: no expectation written */
  scn_alt_t alts[SCN_MAX_ALTS];
  uint32_t col;
} scn_expect_t;

/* ---- steps ----------------------------------------------------------------- */

typedef struct scn_step scn_step_t;
typedef struct scn_block {
  scn_step_t *steps;
  size_t n, cap;
} scn_block_t;

struct scn_step {
  uint32_t line, col;
  int verb; /* index into the verb table (scn_verb_name) */
  uint32_t n_args;
  scn_arg_t args[SCN_MAX_ARGS];
  char *bind; /* `as NAME`: the object the step creates */
  scn_expect_t expect;
  char *raw;        /* fault: the rule text after the verb; the source line for history */
  uint32_t raw_col; /* column of raw[0] */
  scn_block_t body; /* repeat: the steps repeated */
};

/* A thread (or an `at` block, or the setup steps). */
typedef struct scn_thread {
  char *name;
  uint32_t line;
  bool is_at; /* an `at TIME` block */
  int64_t at_ns;
  scn_block_t body;
} scn_thread_t;

/* ---- end-of-run checks ---------------------------------------------------- */

typedef enum scn_check_kind {
  SCN_C_TRACE_CONTAINS = 0,
  SCN_C_TRACE_LACKS,
  SCN_C_TRACE_COUNT, /* count op n */
  SCN_C_TRACE_ORDER,
  SCN_C_FAULT_FIRED, /* rule name, op, n */
  SCN_C_CONSOLE      /* console output: stream, data, contains */
} scn_check_kind_t;

/* One pattern over trace events: an API name plus optional field tests
 * (ret=N, err=NAME|N, thread=NAME, arg NAME=N). */
#define SCN_MAX_FIELDS 6u
typedef struct scn_pattern {
  char *call;
  uint32_t n_fields;
  char *field[SCN_MAX_FIELDS];
  int64_t value[SCN_MAX_FIELDS];
  char *svalue[SCN_MAX_FIELDS]; /* thread=NAME */
} scn_pattern_t;

typedef enum scn_cmp { SCN_CMP_EQ = 0, SCN_CMP_GE, SCN_CMP_LE } scn_cmp_t;

typedef struct scn_check {
  scn_check_kind_t kind;
  uint32_t line;
  char *text; /* the check as written, for messages */
  size_t n_pats;
  scn_pattern_t *pats;
  scn_cmp_t cmp;
  int64_t count;
  char *rule;    /* SCN_C_FAULT_FIRED */
  int stream;    /* SCN_C_CONSOLE: 0 stdout, 1 stderr */
  bool contains; /* SCN_C_CONSOLE: a substring rather than all of it */
  uint8_t *data; /* SCN_C_CONSOLE: UTF-8 */
  size_t len;
} scn_check_t;

/* Invariants checked at the end of every run; a scenario may turn one off
 * with `invariant off NAME  # why`. */
typedef enum scn_invariant {
  SCN_INV_HANDLES = 0, /* every handle the scenario or the core opened is closed */
  SCN_INV_PENDING,     /* no OVERLAPPED still pending in the world */
  SCN_INV_FD_REFS,     /* every closed FD's fdMutex back to zero references */
  SCN_INV_BYTES,       /* bytes conserved on every drained stream */
  SCN_INV_CLOSED,      /* when Close returns, the FD's handle is closed (B40) */
  SCN_INV_COUNT
} scn_invariant_t;
const char *scn_invariant_name(scn_invariant_t i);

/* ---- the scenario ---------------------------------------------------------- */

typedef struct scn_kv {
  char *key;
  char *value;
  int64_t num;
  uint32_t line, col;
} scn_kv_t;

typedef struct scn_history_line {
  char *text; /* normalised: single spaces */
  uint32_t line;
} scn_history_line_t;

typedef struct scn {
  char *path;           /* as given to scn_parse */
  char *name;           /* file stem */
  char *title;          /* first comment line, without '#' */
  char *comment;        /* the opening comment block */
  uint32_t covers[112]; /* B-numbers named by `# covers:` lines (bitmap by index) */
  uint32_t n_covers;
  int personality;  /* -1 unset, 0 windows, 1 wine8 */
  scn_kv_t *system; /* system key=value pairs */
  size_t n_system;
  scn_kv_t *net; /* net key=value pairs */
  size_t n_net;
  scn_thread_t setup; /* top-level steps, run by the main thread before the others */
  scn_thread_t *threads;
  size_t n_threads;
  scn_check_t *checks;
  size_t n_checks;
  bool inv_off[SCN_INV_COUNT];
  bool has_history;
  uint32_t history_line, history_end_line; /* lines of `history` and its `end` */
  scn_history_line_t *history;
  size_t n_history;
  uint64_t max_time_ns; /* `limit time=...`; 0: the default */
  /* `timing ...`: -1 where the scenario does not pin it (the runner varies it) */
  int timing_delivery; /* 0 now, 1 decide */
  int timing_pending;  /* 0 done (never pending when finished), 1 decide */
  int64_t timing_jitter_ns;
  uint32_t n_objects; /* distinct object names */
  char **objects;
} scn_t;

/* A parse error: file:line:column and one sentence. */
typedef struct scn_error {
  uint32_t line, col;
  char msg[512];
} scn_error_t;

/* Parses text[0..len) (need not be NUL-terminated).  path names the file in
 * messages.  Returns NULL and fills *err on error. */
scn_t *scn_parse(const char *path, const char *text, size_t len, scn_error_t *err);
/* Reads and parses a file; a read failure is an error at line 0. */
scn_t *scn_parse_file(const char *path, scn_error_t *err);
void scn_free(scn_t *s);

/* ---- the verb table ------------------------------------------------------- */

const char *scn_verb_name(int verb);
int scn_verb_count(void);
/* Verbs by group, for --help and the docs. */
const char *scn_verb_usage(int verb);

/* Error names: the core's (EOF, ENETCLOSING, ...), Win32's and Winsock's.
 * scn_error_by_name returns false for an unknown name. */
bool scn_error_by_name(const char *name, int *err);
/* The name of err ("WSAECONNRESET", "EOF", "ok"), or a number as text in
 * buf. */
const char *scn_error_name(int err, char *buf, size_t len);

/* Data as scenarios and histories show it: "text" with \n \r \t \" \\ and
 * \xHH escapes, the first 40 bytes of anything longer than 48 followed by
 * ...(N bytes).  cap >= 16. */
void scn_fmt_data(char *buf, size_t cap, const uint8_t *d, size_t len);

/* An expected result as messages and reports show it: "ok 5", "EOF",
 * "WSAEMSGSIZE \"abcd\" oob=0", "any". */
void scn_fmt_alt(const scn_alt_t *a, char *buf, size_t cap);

/* A malloc'd formatted string (exits on out of memory). */
char *scn_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For both commands (iocpsim.c, iocpsim_win.c): s written to f as XML
 * character data (JUnit files); and how bad an exit code is, for keeping
 * the worst of many runs (crash > deadlock > expect > usage > pass). */
void scn_xml_escape(FILE *f, const char *s);
int scn_exit_severity(int code);

/* Compares a run's history (golden form) with the scenario's golden block,
 * line by line; NULL if they agree, else a malloc'd message naming the
 * first difference (file:line), with `hint` appended to it.  A line that
 * differs is accepted when `tolerate` (may be NULL) says so for (run line,
 * golden line); *tolerated (may be NULL) counts those. */
char *scn_judge_history(const scn_t *s, const char *hist,
                        bool (*tolerate)(const scn_t *s, const char *run, const char *golden),
                        size_t *tolerated, const char *hint);

/* The closest of `n` candidate names to `word` (Damerau-Levenshtein, at most
 * a third of the length away), or NULL. */
const char *scn_nearest(const char *word, const char *const *cands, size_t n);

#endif
