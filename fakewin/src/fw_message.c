/* fw_message.c: FormatMessageA/W for system error codes.
 *
 * The texts come in two columns, chosen by the personality
 * (fw_personality_table_t.message_texts): Windows' English messages, and
 * the ones Wine 8.0 prints, which are shorter and missing for many Winsock
 * codes (FormatMessage then fails with ERROR_MR_MID_NOT_FOUND, as under
 * Wine).  The Wine column was recorded from a probe run under Wine 8.0
 * (tests/conformance/probes/fmt_message.c).  A code in neither column fails
 * with ERROR_MR_MID_NOT_FOUND.
 *
 * Supported: FORMAT_MESSAGE_FROM_SYSTEM with or without
 * FORMAT_MESSAGE_ALLOCATE_BUFFER (freed with LocalFree) and
 * FORMAT_MESSAGE_IGNORE_INSERTS (the texts here have no inserts), and the
 * width mask FORMAT_MESSAGE_MAX_WIDTH_MASK (the message's own line break
 * becomes a space).  Other message sources (FROM_STRING, FROM_HMODULE) are
 * not implemented and fail with ERROR_NOT_SUPPORTED. */
#include <stdlib.h>
#include <string.h>

#include "fw_io.h"

typedef struct message {
  DWORD code;
  const char *windows, *wine8;
} message_t;

static const message_t messages[] = {
    {0, "The operation completed successfully.", "Success."},
    {2, "The system cannot find the file specified.", "File not found."},
    {3, "The system cannot find the path specified.", "Path not found."},
    {5, "Access is denied.", "Access denied."},
    {6, "The handle is invalid.", "Invalid handle."},
    {8, "Not enough memory resources are available to process this command.", "Not enough memory."},
    {38, "Reached the end of the file.", "End of file."},
    {50, "The request is not supported.", "Request not supported."},
    {64, "The specified network name is no longer available.", "Network name deleted."},
    {87, "The parameter is incorrect.", "Invalid parameter."},
    {109, "The pipe has been ended.", "Broken pipe."},
    {122, "The data area passed to a system call is too small.", "Insufficient buffer."},
    {183, "Cannot create a file when that file already exists.", "File already exists."},
    {232, "The pipe is being closed.", "Pipe closed."},
    {234, "More data is available.", "More data available."},
    {258, "The wait operation timed out.", NULL},
    {995,
     "The I/O operation has been aborted because of either a thread exit or an application "
     "request.",
     "I/O operation aborted."},
    {996, "Overlapped I/O event is not in a signaled state.", "Overlapped I/O incomplete."},
    {997, "Overlapped I/O operation is in progress.", "Overlapped I/O pending."},
    {1168, "Element not found.", "Element not found."},
    {1225, "The remote computer refused the network connection.", "Connection refused."},
    {1236, "The network connection was aborted by the local system.", "Connection aborted."},
    {10004, "A blocking operation was interrupted by a call to WSACancelBlockingCall.",
     "Call interrupted."},
    {10009, "The file handle supplied is not valid.", "Invalid file handle."},
    {10013, "An attempt was made to access a socket in a way forbidden by its access permissions.",
     "Access denied."},
    {10014,
     "The system detected an invalid pointer address in attempting to use a pointer argument in a "
     "call.",
     "Invalid pointer address."},
    {10022, "An invalid argument was supplied.", "Invalid argument."},
    {10035, "A non-blocking socket operation could not be completed immediately.", NULL},
    {10036, "A blocking operation is currently executing.", NULL},
    {10037,
     "An operation was attempted on a non-blocking socket that already had an operation in "
     "progress.",
     NULL},
    {10038, "An operation was attempted on something that is not a socket.", NULL},
    {10040,
     "A message sent on a datagram socket was larger than the internal message buffer or some "
     "other network limit, or the buffer used to receive a datagram into was smaller than the "
     "datagram itself.",
     NULL},
    {10045, "The attempted operation is not supported for the type of object referenced.", NULL},
    {10047, "An address incompatible with the requested protocol was used.", NULL},
    {10048,
     "Only one usage of each socket address (protocol/network address/port) is normally permitted.",
     NULL},
    {10049, "The requested address is not valid in its context.", NULL},
    {10053, "An established connection was aborted by the software in your host machine.", NULL},
    {10054, "An existing connection was forcibly closed by the remote host.",
     "Connection reset by peer."},
    {10055,
     "An operation on a socket could not be performed because the system lacked sufficient buffer "
     "space or because a queue was full.",
     NULL},
    {10056, "A connect request was made on an already connected socket.", NULL},
    {10057,
     "A request to send or receive data was disallowed because the socket is not connected and "
     "(when sending on a datagram socket using a sendto call) no address was supplied.",
     NULL},
    {10058,
     "A request to send or receive data was disallowed because the socket had already been shut "
     "down in that direction with a previous shutdown call.",
     NULL},
    {10060,
     "A connection attempt failed because the connected party did not properly respond after a "
     "period of time, or established connection failed because connected host has failed to "
     "respond.",
     NULL},
    {10061, "No connection could be made because the target machine actively refused it.",
     "Connection refused."},
    {10093, "Either the application has not called WSAStartup, or WSAStartup failed.", NULL},
    {11001, "No such host is known.", "Host not found."},
};

#define ERROR_MR_MID_NOT_FOUND_ 317u
#define ERROR_RESOURCE_LANG_NOT_FOUND_ 15100u

/* The text for code (with its trailing line break), or NULL. */
static const char *text_of(DWORD code) {
  for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
    if (messages[i].code == code)
      return fw_pers()->message_texts == FW_MESSAGES_WINE8 ? messages[i].wine8
                                                           : messages[i].windows;
  return NULL;
}

/* The message as UTF-8 (ASCII here) into a malloc'd string; 0 or an error. */
static DWORD compose(DWORD flags, DWORD id, DWORD lang, char **out) {
  *out = NULL;
  if (!(flags & FORMAT_MESSAGE_FROM_SYSTEM) ||
      (flags & (FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_HMODULE)))
    return ERROR_NOT_SUPPORTED;
  /* the neutral, user-default, system-default and US English languages */
  if (lang != 0 && lang != 0x400 && lang != 0x800 && lang != 0x409)
    return ERROR_RESOURCE_LANG_NOT_FOUND_;
  const char *t = text_of(id);
  if (t == NULL) return ERROR_MR_MID_NOT_FOUND_;
  size_t n = strlen(t);
  char *s = malloc(n + 3);
  if (s == NULL) return ERROR_NOT_ENOUGH_MEMORY;
  memcpy(s, t, n);
  /* the message's own line break: CR LF, or a space under the width mask */
  if ((flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) == FORMAT_MESSAGE_MAX_WIDTH_MASK) {
    s[n++] = ' ';
  } else {
    s[n++] = '\r';
    s[n++] = '\n';
  }
  s[n] = '\0';
  *out = s;
  return 0;
}

/* The body of both entry points: the message is ASCII, written as
 * `unit`-byte characters (1: A, 2: W) into lpBuffer or a LocalAlloc-style
 * buffer the caller frees. */
static DWORD format_message(sim_tracepoint_t *tp, const char *call, DWORD dwFlags,
                            DWORD dwMessageId, DWORD dwLanguageId, void *lpBuffer, DWORD nSize,
                            size_t unit) {
  fw_thread_t *t = fw_enter_local(call);
  char *s;
  DWORD n = 0, err = compose(dwFlags, dwMessageId, dwLanguageId, &s);
  if (err == 0 && lpBuffer == NULL) err = ERROR_INVALID_PARAMETER;
  if (err == 0) {
    size_t len = strlen(s);
    uint8_t *dst = NULL;
    if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
      size_t cap = len + 1 > nSize ? len + 1 : nSize;
      dst = malloc(cap * unit);
      if (dst == NULL)
        err = ERROR_NOT_ENOUGH_MEMORY;
      else
        *(void **)lpBuffer = dst;
    } else if (len + 1 > nSize) {
      err = ERROR_INSUFFICIENT_BUFFER;
    } else {
      dst = lpBuffer;
    }
    if (err == 0) {
      for (size_t i = 0; i <= len; i++) {
        if (unit == 1)
          dst[i] = (uint8_t)s[i];
        else
          ((WCHAR *)dst)[i] = (WCHAR)(uint8_t)s[i];
      }
      n = (DWORD)len;
    }
  }
  free(s);
  if (err) fw_set_error(t, err);
  FW_TRACE(tp, t, n, dwFlags, dwMessageId);
  return n;
}

DWORD WINAPI fw_FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                               DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                               va_list *Arguments) {
  static sim_tracepoint_t tp = {"FormatMessageA", {{"flags", 'x'}, {"id", 'u'}}, 'u', 0};
  (void)lpSource;
  (void)Arguments;
  return format_message(&tp, "FormatMessageA", dwFlags, dwMessageId, dwLanguageId, lpBuffer, nSize,
                        1);
}

DWORD WINAPI fw_FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                               DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                               va_list *Arguments) {
  static sim_tracepoint_t tp = {"FormatMessageW", {{"flags", 'x'}, {"id", 'u'}}, 'u', 0};
  (void)lpSource;
  (void)Arguments;
  return format_message(&tp, "FormatMessageW", dwFlags, dwMessageId, dwLanguageId, lpBuffer, nSize,
                        2);
}
