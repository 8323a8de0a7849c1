/* test_scn_parse.c: the scenario parser on malformed input (docs/scenarios.md
 * §12): every error names line:column with the exact message below, and no
 * input crashes or hangs it (a seeded mutation sweep over a valid file).
 * Pure parsing: no world runs here. */
#include "iocpsim_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

typedef struct bad_case {
  const char *name;
  const char *text; /* NULL: a generated over-long line */
  size_t len;
  const char *want; /* "line:col: message", or "OK" */
} bad_case_t;

static const bad_case_t cases[] = {
    {"only_comments", "# nothing\n# here\n", sizeof("# nothing\n# here\n") - 1,
     "2:1: the scenario has no steps (an empty file?)"},
    {"truncated_string", "pair c s\nthread t\n  write c \"hel",
     sizeof("pair c s\nthread t\n  write c \"hel") - 1,
     "3:10: unterminated string (a string ends on its own line)"},
    {"binary", "pair c s\n\x00\x01\x02", sizeof("pair c s\n\x00\x01\x02") - 1,
     "2:1: NUL byte: this is not a text file"},
    {"huge_number", "pair c s\nthread t\n  read c 99999999999999999999999\n",
     sizeof("pair c s\nthread t\n  read c 99999999999999999999999\n") - 1,
     "3:10: number too large: '99999999999999999999999' (at most 9223372036854775807)"},
    {"huge_duration", "pair c s\nthread t\n  sleep 99999999999999s\n",
     sizeof("pair c s\nthread t\n  sleep 99999999999999s\n") - 1,
     "3:9: duration too large: '99999999999999s'"},
    {"unknown_step", "pair c s\nthread t\n  raed c 5\n",
     sizeof("pair c s\nthread t\n  raed c 5\n") - 1,
     "3:3: unknown step 'raed'; did you mean 'read'?"},
    {"unknown_object", "pair c s\nthread t\n  read cc 5\n",
     sizeof("pair c s\nthread t\n  read cc 5\n") - 1,
     "3:8: unknown object 'cc'; did you mean 'c'?"},
    {"unknown_error", "pair c s\nthread t\n  read c 5 => WSAECONRESET\n",
     sizeof("pair c s\nthread t\n  read c 5 => WSAECONRESET\n") - 1,
     "3:15: unknown result 'WSAECONRESET'; did you mean 'WSAECONNRESET'?"},
    {"unknown_word", "listen l tcpp\n", sizeof("listen l tcpp\n") - 1,
     "1:10: unknown word 'tcpp' for 'listen'; did you mean 'tcp'? (one of: tcp, tcp4, tcp6)"},
    {"unknown_personality", "personality wine9\npair c s\n",
     sizeof("personality wine9\npair c s\n") - 1,
     "1:13: unknown personality 'wine9'; did you mean 'wine8'?"},
    {"bad_time_unit", "pair c s\nthread t\n  sleep 5parsecs\n",
     sizeof("pair c s\nthread t\n  sleep 5parsecs\n") - 1,
     "3:10: unknown time unit 'parsecs' (ns, us, ms or s)"},
    {"missing_unit", "pair c s\nthread t\n  sleep 5\n",
     sizeof("pair c s\nthread t\n  sleep 5\n") - 1,
     "3:10: expected a time unit after '5': ns, us, ms or s"},
    {"bad_fault", "fault WSARecvv -> error\npair c s\n",
     sizeof("fault WSARecvv -> error\npair c s\n") - 1, "1:7: unknown API 'WSARecvv'"},
    {"fault_unknown_object", "fault WSARecv handle=@x -> error\npair c s\n",
     sizeof("fault WSARecv handle=@x -> error\npair c s\n") - 1,
     "1:23: unknown object 'x' (an object is made by an earlier line: listen, dial, pair, ...)"},
    {"deep_nesting",
     "pair c s\nthread t\n repeat 2\n  repeat 2\n   repeat 2\n    repeat 2\n     repeat 2\n      "
     "repeat 2\n       repeat 2\n        repeat 2\n         repeat 2\n          yield\n",
     sizeof(
         "pair c s\nthread t\n repeat 2\n  repeat 2\n   repeat 2\n    repeat 2\n     repeat 2\n    "
         "  repeat 2\n       repeat 2\n        repeat 2\n         repeat 2\n          yield\n") -
         1,
     "10:9: nesting deeper than 8 levels"},
    {"indent_top", "pair c s\n  read c 5\n", sizeof("pair c s\n  read c 5\n") - 1,
     "2:1: unexpected indentation (only the steps of 'thread', 'at' and 'repeat' are indented)"},
    {"crlf", "pair c s\r\nthread t\r\n  write c \"x\" => ok 1\r\n  read s 1 => \"x\"\r\n",
     sizeof("pair c s\r\nthread t\r\n  write c \"x\" => ok 1\r\n  read s 1 => \"x\"\r\n") - 1,
     "OK"},
    {"cr_inside", "pair c s\rthread t\n", sizeof("pair c s\rthread t\n") - 1,
     "1:9: carriage return inside a line (line ends are LF or CRLF)"},
    {"empty_thread", "thread t\npair c s\n", sizeof("thread t\npair c s\n") - 1,
     "1:1: 't' has no steps (indent them under it)"},
    {"dup_thread", "thread t\n  yield\nthread t\n  yield\n",
     sizeof("thread t\n  yield\nthread t\n  yield\n") - 1,
     "3:8: duplicate thread name 't' (line 1)"},
    {"history_unclosed", "pair c s\nhistory\n  main invoke pair c s\n",
     sizeof("pair c s\nhistory\n  main invoke pair c s\n") - 1,
     "2:1: history block is not closed: expected 'end' at the start of a line"},
    {"bad_escape", "pair c s\nthread t\n  write c \"\\q\"\n",
     sizeof("pair c s\nthread t\n  write c \"\\q\"\n") - 1,
     "3:12: unknown escape '\\q' (use \\n \\r \\t \\0 \\\\ \\\" \\xHH)"},
    {"accept_no_as", "listen l tcp\nthread t\n  accept l\n",
     sizeof("listen l tcp\nthread t\n  accept l\n") - 1,
     "3:3: 'accept' needs 'as NAME' (usage: accept LISTENER as NAME)"},
    {"extra_arg", "pair c s\nthread t\n  close c s\n",
     sizeof("pair c s\nthread t\n  close c s\n") - 1,
     "3:11: unexpected 's': 'close' takes no more arguments (usage: close FD)"},
    {"bad_result_count", "pair c s\nthread t\n  read c 5 => ok five\n",
     sizeof("pair c s\nthread t\n  read c 5 => ok five\n") - 1,
     "3:18: expected a byte count, \"data\", '|' or the end of the line, found 'five'"},
    {"too_many_alts",
     "pair c s\nthread t\n  read c 1 => EOF | EOF | EOF | EOF | EOF | EOF | EOF | EOF | EOF\n",
     sizeof("pair c s\nthread t\n  read c 1 => EOF | EOF | EOF | EOF | EOF | EOF | EOF | EOF | "
            "EOF\n") -
         1,
     "3:63: too many alternatives (at most 8)"},
    {"bad_check", "pair c s\nexpect trase contains X\n",
     sizeof("pair c s\nexpect trase contains X\n") - 1,
     "2:8: unknown check 'trase'; did you mean 'trace'?"},
    {"bad_invariant", "pair c s\ninvariant off handles-close\n",
     sizeof("pair c s\ninvariant off handles-close\n") - 1,
     "2:15: unknown invariant 'handles-close'; did you mean 'handles-closed'?"},
    {"long_line", NULL, 0, "2:4097: line too long (4991 characters; at most 4096)"},
    {"bad_system", "system ifs=maybe\npair c s\n", sizeof("system ifs=maybe\npair c s\n") - 1,
     "1:12: 'ifs=' takes one of on, off, found 'maybe'"},
    {"bad_net", "net latency=5\npair c s\n", sizeof("net latency=5\npair c s\n") - 1,
     "1:14: expected a time unit after '5': ns, us, ms or s"},
    {"deadline_word", "pair c s\nthread t\n  set_read_deadline c soon\n",
     sizeof("pair c s\nthread t\n  set_read_deadline c soon\n") - 1,
     "3:23: expected a deadline (+50ms, -5s, past, now or none), found 'soon'"},
    {"negative_read", "pair c s\nthread t\n  read c -5\n",
     sizeof("pair c s\nthread t\n  read c -5\n") - 1, "3:10: expected a number >= 0, found '-5'"},
    {"unknown_option", "pair c s\nthread t\n  dial d tcp 127.0.0.1:1 dedline=+1s\n",
     sizeof("pair c s\nthread t\n  dial d tcp 127.0.0.1:1 dedline=+1s\n") - 1,
     "3:26: unknown option 'dedline=' for 'dial'; did you mean 'deadline='?"},
    {"repeat_zero", "pair c s\nthread t\n  repeat 0\n    yield\n",
     sizeof("pair c s\nthread t\n  repeat 0\n    yield\n") - 1,
     "3:10: repeat count must be between 1 and 100000"},
    {"utf8_bom_ok", "\xef\xbb\xbfpair c s\n", sizeof("\xef\xbb\xbfpair c s\n") - 1, "OK"},
    {"high_bytes", "pair c s\nthread t\n  read c 5 \xff\xfe\n",
     sizeof("pair c s\nthread t\n  read c 5 \xff\xfe\n") - 1,
     "3:12: unexpected character (byte 0xff)"},
};

static char *parse_result(const char *text, size_t len) {
  scn_error_t e;
  scn_t *s = scn_parse("x.scn", text, len, &e);
  char *out = malloc(700);
  assert_non_null(out);
  if (s) {
    snprintf(out, 700, "OK");
    scn_free(s);
  } else {
    snprintf(out, 700, "%u:%u: %s", e.line, e.col, e.msg);
  }
  return out;
}

static void malformed_corpus(void **state) {
  (void)state;
  static char big[6000];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *t = cases[i].text;
    size_t len = cases[i].len;
    if (t == NULL) {
      memset(big, 'a', 5000);
      memcpy(big, "pair c s\n", 9);
      big[5000] = '\n';
      t = big;
      len = 5001;
    }
    char *got = parse_result(t, len);
    if (strcmp(got, cases[i].want) != 0) {
      print_error("case %s:\n  want %s\n  got  %s\n", cases[i].name, cases[i].want, got);
      free(got);
      fail();
    }
    free(got);
  }
}

/* xoshiro-free LCG: the test's own seeded stream of mutations. */
static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return *s >> 33;
}

static const char valid[] =
    "# covers: B91 B94\n"
    "personality windows\n"
    "net latency=1ms tcp_sndbuf=4096\n"
    "listen ln tcp\n"
    "fault AcceptEx nth=1 name=r1 -> pending code=WSAECONNRESET\n"
    "console units 0xD83D 0xDE00 after=1ms\n"
    "thread server\n"
    "  accept ln as c => ok\n"
    "  repeat 2\n"
    "    read c 5 => \"hello\" | EOF | x\"00ff\"\n"
    "  set_read_deadline c +50ms\n"
    "at 5ms\n"
    "  dial d tcp ln deadline=-5s => EDEADLINE\n"
    "expect trace count AcceptEx >= 2\n"
    "expect trace order AcceptEx , closesocket\n"
    "expect fault r1 fired 1\n"
    "history\n"
    "  server invoke accept ln as c\n"
    "end\n";

static void mutation_sweep_never_crashes(void **state) {
  (void)state;
  char *ok = parse_result(valid, sizeof valid - 1);
  assert_string_equal(ok, "OK");
  free(ok);
  uint64_t seed = 12345;
  static const char alphabet[] =
      "\"#=>|,@x \t\n\r\0\xff"
      "09azAZ-+:[]";
  char buf[sizeof valid + 64];
  size_t parsed = 0, rejected = 0;
  for (int iter = 0; iter < 20000; iter++) {
    size_t len = sizeof valid - 1;
    memcpy(buf, valid, len);
    int edits = 1 + (int)(lcg(&seed) % 4);
    for (int k = 0; k < edits; k++) {
      size_t at = lcg(&seed) % len;
      switch (lcg(&seed) % 4) {
        case 0:
          buf[at] = alphabet[lcg(&seed) % (sizeof alphabet - 1)];
          break;
        case 1:
          len = at;
          break; /* truncate */
        case 2:
          if (len + 1 < sizeof buf) {
            memmove(buf + at + 1, buf + at, len - at);
            buf[at] = alphabet[lcg(&seed) % (sizeof alphabet - 1)];
            len++;
          }
          break;
        default:
          memmove(buf + at, buf + at + 1, len - at - 1);
          len--;
          break;
      }
      if (len == 0) break;
    }
    scn_error_t e;
    scn_t *s = scn_parse("m.scn", buf, len, &e);
    if (s) {
      parsed++;
      scn_free(s);
    } else {
      rejected++;
      /* every rejection says where and why */
      assert_true(e.line >= 1);
      assert_true(e.col >= 1);
      assert_true(strlen(e.msg) > 5);
    }
  }
  /* both kinds happened: the sweep really exercised the error paths */
  assert_true(parsed > 100);
  assert_true(rejected > 1000);
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(malformed_corpus),
      cmocka_unit_test(mutation_sweep_never_crashes),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
