// Wall-clock times as strace prints them, in the local time zone of emtrace's process (strace
// formats in its own; TZ=UTC gives the same text everywhere).

/** The local calendar fields of a time in seconds since the epoch, and the zone's offset. */
function local(sec: number): { date: string; time: string; zone: string } {
  const d = new Date(sec * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  return {
    date: d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()),
    time: two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()),
    zone: (offset < 0 ? '-' : '+') + two(Math.floor(abs / 60)) + two(abs % 60),
  };
}

/** `%H:%M:%S` of a time (strace -t). */
export function timeOfDay(sec: number): string {
  return local(sec).time;
}

/** The largest second count a calendar date is made of (JavaScript dates end there). */
const MAX_DATE_SEC = 8.64e12;

/** strace's sprinttime_nsec as a comment: ` /* 2026-11-27T17:52:27.573356681+0000 *\/` (stat
 *  times under -v); '' for the epoch itself, for nanoseconds that are no fraction of a second,
 *  and for times no calendar holds (sprinttime_ex gives NULL: no comment). */
export function dateTimeNsecComment(sec: number, nsec: number | bigint): string {
  if ((sec === 0 && Number(nsec) === 0) || nsec > 999_999_999 || Math.abs(sec) > MAX_DATE_SEC) return '';
  const t = local(sec);
  const fraction = Number(nsec) > 0 ? '.' + String(nsec).padStart(9, '0') : '';
  return ' /* ' + t.date + 'T' + t.time + fraction + t.zone + ' */';
}
