// termios flag tables (x86-64 / asm-generic values) and tty ioctl argument constants.

import type { Xlat } from '../xlat.js';

export const TERM_IFLAGS: Xlat = [
  [0o1, 'IGNBRK'],
  [0o2, 'BRKINT'],
  [0o4, 'IGNPAR'],
  [0o10, 'PARMRK'],
  [0o20, 'INPCK'],
  [0o40, 'ISTRIP'],
  [0o100, 'INLCR'],
  [0o200, 'IGNCR'],
  [0o400, 'ICRNL'],
  [0o1000, 'IUCLC'],
  [0o2000, 'IXON'],
  [0o4000, 'IXANY'],
  [0o10000, 'IXOFF'],
  [0o20000, 'IMAXBEL'],
  [0o40000, 'IUTF8'],
];

export const TERM_OFLAGS: Xlat = [
  [0o1, 'OPOST'],
  [0o2, 'OLCUC'],
  [0o4, 'ONLCR'],
  [0o10, 'OCRNL'],
  [0o20, 'ONOCR'],
  [0o40, 'ONLRET'],
  [0o100, 'OFILL'],
  [0o200, 'OFDEL'],
];

/** The delay fields of c_oflag: each printed as one value of its mask. */
export const TERM_OFLAG_DELAYS: readonly { mask: number; table: Xlat; dflt: string }[] = [
  { mask: 0o400, table: [[0, 'NL0'], [0o400, 'NL1']], dflt: 'NL?' },
  { mask: 0o3000, table: [[0, 'CR0'], [0o1000, 'CR1'], [0o2000, 'CR2'], [0o3000, 'CR3']], dflt: 'CR?' },
  {
    mask: 0o14000,
    table: [[0o14000, 'XTABS'], [0, 'TAB0'], [0o4000, 'TAB1'], [0o10000, 'TAB2'], [0o14000, 'TAB3']],
    dflt: 'TAB?',
  },
  { mask: 0o20000, table: [[0o20000, 'BS1'], [0, 'BS0']], dflt: 'BS?' },
  { mask: 0o40000, table: [[0, 'VT0'], [0o40000, 'VT1']], dflt: 'VT?' },
  { mask: 0o100000, table: [[0, 'FF0'], [0o100000, 'FF1']], dflt: 'FF?' },
];

export const CBAUD = 0o10017;
export const CIBAUD = 0o2003600000;
export const IBSHIFT = 16;
export const CSIZE = 0o60;

export const BAUD_RATES: Xlat = [
  [0o0, 'B0'], [0o1, 'B50'], [0o2, 'B75'], [0o3, 'B110'], [0o4, 'B134'], [0o5, 'B150'],
  [0o6, 'B200'], [0o7, 'B300'], [0o10, 'B600'], [0o11, 'B1200'], [0o12, 'B1800'], [0o13, 'B2400'],
  [0o14, 'B4800'], [0o15, 'B9600'], [0o16, 'B19200'], [0o17, 'B38400'],
  [0o10001, 'B57600'], [0o10002, 'B115200'], [0o10003, 'B230400'], [0o10004, 'B460800'],
  [0o10005, 'B500000'], [0o10006, 'B576000'], [0o10007, 'B921600'], [0o10010, 'B1000000'],
  [0o10011, 'B1152000'], [0o10012, 'B1500000'], [0o10013, 'B2000000'], [0o10014, 'B2500000'],
  [0o10015, 'B3000000'], [0o10016, 'B3500000'], [0o10017, 'B4000000'],
  [0o16, 'EXTA'], [0o17, 'EXTB'], [0o10000, 'BOTHER'],
];

export const CSIZES: Xlat = [
  [0o0, 'CS5'],
  [0o20, 'CS6'],
  [0o40, 'CS7'],
  [0o60, 'CS8'],
];

export const TERM_CFLAGS: Xlat = [
  [0o100, 'CSTOPB'],
  [0o200, 'CREAD'],
  [0o400, 'PARENB'],
  [0o1000, 'PARODD'],
  [0o2000, 'HUPCL'],
  [0o4000, 'CLOCAL'],
  [0o10000000000, 'CMSPAR'],
  [0o20000000000, 'CRTSCTS'],
];

export const TERM_LFLAGS: Xlat = [
  [0o1, 'ISIG'],
  [0o2, 'ICANON'],
  [0o4, 'XCASE'],
  [0o10, 'ECHO'],
  [0o20, 'ECHOE'],
  [0o40, 'ECHOK'],
  [0o100, 'ECHONL'],
  [0o200, 'NOFLSH'],
  [0o100000, 'IEXTEN'],
  [0o1000, 'ECHOCTL'],
  [0o2000, 'ECHOPRT'],
  [0o4000, 'ECHOKE'],
  [0o10000, 'FLUSHO'],
  [0o40000, 'PENDIN'],
  [0o400, 'TOSTOP'],
  [0o200000, 'EXTPROC'],
];

export const TCXONC_ACTIONS: Xlat = [
  [0, 'TCOOFF'],
  [1, 'TCOON'],
  [2, 'TCIOFF'],
  [3, 'TCION'],
];

export const TCFLSH_QUEUES: Xlat = [
  [0, 'TCIFLUSH'],
  [1, 'TCOFLUSH'],
  [2, 'TCIOFLUSH'],
];

export const MODEM_FLAGS: Xlat = [
  [0x001, 'TIOCM_LE'],
  [0x002, 'TIOCM_DTR'],
  [0x004, 'TIOCM_RTS'],
  [0x008, 'TIOCM_ST'],
  [0x010, 'TIOCM_SR'],
  [0x020, 'TIOCM_CTS'],
  [0x040, 'TIOCM_CAR'],
  [0x080, 'TIOCM_RNG'],
  [0x100, 'TIOCM_DSR'],
  [0x2000, 'TIOCM_OUT1'],
  [0x4000, 'TIOCM_OUT2'],
  [0x8000, 'TIOCM_LOOP'],
];
