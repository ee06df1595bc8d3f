// What strace -yy shows for a socket in place of `socket:[N]` (strace learns it from the
// kernel's sock_diag): `UNIX-STREAM:[INO->PEER,"path"]`, `UNIX:[INO,@"abstract"]`,
// `TCP:[127.0.0.1:80->127.0.0.1:32768]`, `UDPv6:[[::1]:53]`, or only the inode of an unbound
// inet socket.
import { AF_INET6, InetAddress, inetText } from './addresses.js';
import { Socket, SOCK_DGRAM, SOCK_STREAM } from './socket.js';

/** The guest's inode number of a socket, from its `socket:[N]` name. */
function inode(sock: Socket): string {
  return sock.label.slice('socket:['.length, -1);
}

/** A name quoted as strace's print_quoted_string does, up to its first NUL. */
function quoted(name: Uint8Array): string {
  const end = name.indexOf(0);
  let out = '';
  for (const b of end < 0 ? name : name.subarray(0, end)) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8);
  }
  return `"${out}"`;
}

export function socketDetail(sock: Socket): string {
  if (!sock.isInet) {
    const proto = sock.type === SOCK_STREAM ? 'UNIX-STREAM' : 'UNIX';
    // A peer shows once it has an inode (the server side of a connection gets one when
    // accepted); a datagram or seqpacket socket's only for a socketpair (as strace 6.1 shows).
    const peer = sock.peer && sock.peer.label !== '' && (sock.type === SOCK_STREAM || sock.madeAsPair) ? '->' + inode(sock.peer) : '';
    const name = sock.local?.family === 1 && sock.local.name.length > 0 ? sock.local.name : null;
    const named = name === null ? '' : name[0] === 0 ? ',@' + quoted(name.subarray(1)) : ',' + quoted(name);
    return `${proto}:[${inode(sock)}${peer}${named}]`;
  }
  const proto = (sock.type === SOCK_DGRAM ? 'UDP' : 'TCP') + (sock.domain === AF_INET6 ? 'v6' : '');
  if (!sock.local) return `${proto}:[${inode(sock)}]`;
  // strace shows a UDP socket's local address only.
  const remote = sock.remote && sock.type !== SOCK_DGRAM && sock.state === 'connected' ? '->' + inetText(sock.remote) : '';
  return `${proto}:[${inetText(sock.local as InetAddress)}${remote}]`;
}
