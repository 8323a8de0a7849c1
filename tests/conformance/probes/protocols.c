/* protocols: WSAEnumProtocolsW - the size query and the TCP/UDP entries.
 * Items: F49. */
#include "probe.h"

int main(void) {
  probe_start();
  DWORD len = 0;
  int r = WSAEnumProtocolsW(NULL, NULL, &len);
  printf("size_query: r=%d err=%d len_nonzero=%d\n", r, r < 0 ? WSAGetLastError() : 0, len > 0);
  int tcp[] = {IPPROTO_TCP, 0};
  len = 0;
  r = WSAEnumProtocolsW(tcp, NULL, &len);
  printf("tcp_size_query: r=%d err=%d len=%lu\n", r, r < 0 ? WSAGetLastError() : 0, len);
  WSAPROTOCOL_INFOW info[16];
  len = sizeof info;
  r = WSAEnumProtocolsW(tcp, info, &len);
  printf("tcp: r=%d\n", r);
  for (int i = 0; i < r; i++)
    printf("tcp_%d: af=%d type=%d proto=%d flags1=0x%lx ifs=%d\n", i, info[i].iAddressFamily,
           info[i].iSocketType, info[i].iProtocol, info[i].dwServiceFlags1,
           (info[i].dwServiceFlags1 & XP1_IFS_HANDLES) != 0);
  int udp[] = {IPPROTO_UDP, 0};
  len = sizeof info;
  r = WSAEnumProtocolsW(udp, info, &len);
  printf("udp: r=%d\n", r);
  for (int i = 0; i < r; i++)
    printf("udp_%d: af=%d type=%d proto=%d flags1=0x%lx\n", i, info[i].iAddressFamily,
           info[i].iSocketType, info[i].iProtocol, info[i].dwServiceFlags1);
  WSACleanup();
  return 0;
}
