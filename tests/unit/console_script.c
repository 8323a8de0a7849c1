/* console_script.c: the scripted console of console_script.h. */
#include "console_script.h"

#include <string.h>

cs_read_state_t cs_rf;
cs_write_state_t cs_wf;

static core_read_console_fn saved_read;
static core_write_console_fn saved_write;

static BOOL WINAPI cs_fake_read(HANDLE h, LPVOID buf, DWORD toread, LPDWORD nread, LPVOID ctl) {
  if (cs_rf.on_call) cs_rf.on_call();
  if (h != cs_rf.handle || ctl != NULL) cs_rf.bad_args = true;
  if (cs_rf.calls < CS_MAX_CALLS) {
    cs_rf.toread[cs_rf.calls] = toread;
    cs_rf.at[cs_rf.calls] = (uint16_t *)buf - cs_rf.console->readuint16;
  }
  cs_rf.calls++;
  if (cs_rf.overclaim) {
    *nread = cs_rf.overclaim;
    return TRUE;
  }
  if (cs_rf.step >= cs_rf.nsteps) {
    cs_rf.past_end = true;
    *nread = 0;
    return TRUE;
  }
  const cs_step_t *s = &cs_rf.steps[cs_rf.step];
  if (s->fail || s->fail_zero) {
    cs_rf.step++;
    SetLastError(s->fail);
    return FALSE;
  }
  size_t k = s->n - cs_rf.off;
  if (k > toread) k = toread;
  if (cs_rf.console_max && k > cs_rf.console_max) k = cs_rf.console_max;
  if (k > 0) memcpy(buf, s->u + cs_rf.off, k * sizeof(uint16_t));
  cs_rf.off += k;
  if (cs_rf.off == s->n) {
    cs_rf.step++;
    cs_rf.off = 0;
  }
  *nread = (DWORD)k;
  return TRUE;
}

static BOOL WINAPI cs_fake_write(HANDLE h, const VOID *buf, DWORD towrite, LPDWORD written,
                                 LPVOID reserved) {
  if (cs_wf.on_call) cs_wf.on_call();
  if (h != cs_wf.handle || reserved != NULL || towrite == 0) cs_wf.bad_args = true;
  const uint16_t *u = buf;
  size_t call = cs_wf.calls++;
  if (call < CS_MAX_CALLS) {
    cs_wf.towrite[call] = towrite;
    cs_wf.first[call] = u[0];
  }
  if (cs_wf.fail_call == call + 1) {
    SetLastError(cs_wf.fail_err);
    return FALSE;
  }
  if (cs_wf.overreport) {
    *written = cs_wf.overreport;
    return TRUE;
  }
  DWORD k = towrite;
  if (call < CS_MAX_CALLS && cs_wf.written[call] > 0 && (DWORD)cs_wf.written[call] < k) {
    k = (DWORD)cs_wf.written[call];
  }
  if (cs_wf.nout + k > CS_CAP_UNITS) {
    cs_wf.bad_args = true;
    return FALSE;
  }
  memcpy(cs_wf.out + cs_wf.nout, u, k * sizeof(uint16_t));
  cs_wf.nout += k;
  *written = k;
  return TRUE;
}

void cs_install(const core_console_t *c, HANDLE h) {
  saved_read = core_hook_read_console;
  saved_write = core_hook_write_console;
  core_hook_read_console = cs_fake_read;
  core_hook_write_console = cs_fake_write;
  memset(&cs_rf, 0, sizeof cs_rf);
  memset(&cs_wf, 0, sizeof cs_wf);
  cs_rf.console = c;
  cs_rf.handle = h;
  cs_wf.handle = h;
}

void cs_uninstall(void) {
  core_hook_read_console = saved_read;
  core_hook_write_console = saved_write;
  assert_false(cs_rf.bad_args);
  assert_false(cs_wf.bad_args);
}

void cs_script(const cs_step_t *steps, size_t n) {
  cs_rf.steps = steps;
  cs_rf.nsteps = n;
  cs_rf.step = 0;
  cs_rf.off = 0;
  cs_rf.calls = 0;
  cs_rf.past_end = false;
}

void cs_reset_write(void) {
  HANDLE h = cs_wf.handle;
  memset(&cs_wf, 0, sizeof cs_wf);
  cs_wf.handle = h;
}

void cs_expect_out(const uint16_t *want, size_t n) {
  if (cs_wf.nout != n) {
    fail_msg("captured %lu units, want %lu", (unsigned long)cs_wf.nout, (unsigned long)n);
  }
  for (size_t i = 0; i < n; i++) {
    if (cs_wf.out[i] != want[i]) {
      fail_msg("unit %lu: got U+%04X, want U+%04X", (unsigned long)i, cs_wf.out[i], want[i]);
    }
  }
}

size_t cs_to_utf16(const char *s, uint16_t *u) {
  const uint8_t *p = (const uint8_t *)s;
  size_t n = 0;
  while (*p) {
    uint32_t r;
    if (*p < 0x80) {
      r = *p++;
    } else if (*p < 0xE0) {
      r = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
      p += 2;
    } else if (*p < 0xF0) {
      r = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
      p += 3;
    } else {
      r = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
          (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
      p += 4;
    }
    if (r >= 0x10000) {
      u[n++] = (uint16_t)(0xD800 + ((r - 0x10000) >> 10));
      u[n++] = (uint16_t)(0xDC00 + ((r - 0x10000) & 0x3FF));
    } else {
      u[n++] = (uint16_t)r;
    }
  }
  return n;
}
