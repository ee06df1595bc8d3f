// Numbers as strace's printf and C arithmetic make them, so the summary's digits agree with it.

/** printf("%.Nf", x) for x >= 0: glibc rounds the exact binary value half to even, where
 *  toFixed rounds a tie up (0.125 is "0.12" in C, "0.13" in JavaScript). */
export function fixed(x: number, digits: number): string {
  // toFixed(100) gives every digit of the doubles a summary holds exactly.
  const [whole, fraction] = x.toFixed(100).split('.');
  const kept = BigInt(whole + fraction.slice(0, digits));
  const dropped = fraction.slice(digits);
  const half = '5'.padEnd(dropped.length, '0');
  const up = dropped > half || (dropped === half && kept % 2n === 1n);
  const text = (kept + (up ? 1n : 0n)).toString().padStart(digits + 1, '0');
  return digits === 0 ? text : text.slice(0, -digits) + '.' + text.slice(-digits);
}

/** struct timespec's ts_float: seconds plus nanoseconds / 1e9, as strace computes it. */
export function seconds(ns: number): number {
  return Math.floor(ns / 1e9) + (ns % 1e9) / 1e9;
}

/** strace's ts_div: a total divided among n calls, rounded to the nanosecond. */
export function divide(ns: number, n: number): number {
  const sec = Math.floor(ns / 1e9);
  const nsec = ns % 1e9;
  return Math.floor(sec / n) * 1e9 + Math.floor(((sec % n) * 1e9 + nsec + Math.floor(n / 2)) / n);
}
