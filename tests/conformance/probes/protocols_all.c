/* protocols_all: the whole provider list WSAEnumProtocolsA returns.
 * Items: F49. */
#include "probe.h"

int main(void) {
  probe_start();
  static WSAPROTOCOL_INFOA info[64];
  DWORD len = sizeof info;
  int r = WSAEnumProtocolsA(NULL, info, &len);
  printf("count: %d\n", r);
  for (int i = 0; i < r; i++)
    printf("entry_%d: af=%d type=%d proto=%d flags1=0x%lx name=%s\n", i, info[i].iAddressFamily,
           info[i].iSocketType, info[i].iProtocol, info[i].dwServiceFlags1, info[i].szProtocol);
  WSACleanup();
  return 0;
}
