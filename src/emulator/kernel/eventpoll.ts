// epoll instances (fs/eventpoll.c). An interest is a (description, fd) pair with its events and
// data; it lives while the description does (closing the last fd of a watched description
// drops it, even when other epoll fds still name it; a dup'd fd keeps it). Linux keeps a ready
// list that the descriptions' wake-ups feed; here the wake-ups are seen when epoll looks: a
// description whose wake-up count (OpenFile.wakeups, else its readiness and readable bytes)
// moved since the last look was woken. A woken or newly added interest that is ready joins the
// tail of the ready list; epoll_wait reports from its head, then puts a level-triggered
// interest back at the tail, drops an edge-triggered one until its next wake-up, and disables
// an EPOLLONESHOT one until EPOLL_CTL_MOD.
import { AnonFile } from './anon-inode.js';
import type { DescriptionRefs, OpenFile } from './files.js';
import { POLLERR, POLLHUP, POLLIN, POLLRDNORM } from './files.js';
import { firstWake, readiness } from './waiting.js';

export const EPOLLET = 0x80000000;
export const EPOLLONESHOT = 0x40000000;
export const EPOLLWAKEUP = 0x20000000;
export const EPOLLEXCLUSIVE = 0x10000000;
/** The bits that are no events (ep_modify keeps them when ONESHOT disables an interest). */
const EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;

export interface Interest {
  readonly file: OpenFile;
  readonly fd: number;
  events: number;
  data: bigint;
  /** On the ready list. */
  ready: boolean;
  /** The wake-up state at the last look. */
  seen: string;
}

export interface ReadyEvent {
  events: number;
  data: bigint;
}

function wakeState(file: OpenFile): string {
  const n = file.wakeups?.();
  return n !== undefined ? String(n) : `${file.poll?.(-1) ?? 0}:${file.readable?.() ?? 0}`;
}

export class EventPoll extends AnonFile {
  readonly interests: Interest[] = [];
  private readyList: Interest[] = [];

  constructor(
    flags: number,
    bootNs: bigint,
    /** The fd references of every description (which ones are still open). */
    private readonly refs: DescriptionRefs,
    /** fdinfo's `ino:%lx sdev:%x` of a watched description. */
    private readonly identify: (file: OpenFile) => string,
  ) {
    super('[eventpoll]', flags, bootNs);
  }

  /** Drops the interests in descriptions that have been closed. */
  private prune(): void {
    for (let k = this.interests.length - 1; k >= 0; k--) {
      const it = this.interests[k];
      if (this.refs.count(it.file) === 0) {
        this.interests.splice(k, 1);
        this.readyList = this.readyList.filter((r) => r !== it);
      }
    }
  }

  find(file: OpenFile, fd: number): Interest | undefined {
    this.prune();
    return this.interests.find((it) => it.file === file && it.fd === fd);
  }

  /** The events of an interest ready now (0 for a disabled ONESHOT one). */
  private revents(it: Interest): number {
    const wanted = it.events & ~EP_PRIVATE_BITS;
    if (wanted === 0) return 0;
    return readiness(it.file, wanted) & wanted;
  }

  private queue(it: Interest): void {
    if (!it.ready) {
      it.ready = true;
      this.readyList.push(it);
    }
  }

  /** ADD and MOD: a ready interest joins the ready list at once. */
  add(file: OpenFile, fd: number, events: number, data: bigint): void {
    const it: Interest = { file, fd, events: events | POLLERR | POLLHUP, data, ready: false, seen: wakeState(file) };
    this.interests.push(it);
    if (this.revents(it)) this.queue(it);
  }

  modify(it: Interest, events: number, data: bigint): void {
    it.events = events | POLLERR | POLLHUP;
    it.data = data;
    it.seen = wakeState(it.file);
    if (this.revents(it)) this.queue(it);
  }

  remove(it: Interest): void {
    this.interests.splice(this.interests.indexOf(it), 1);
    if (it.ready) this.readyList = this.readyList.filter((r) => r !== it);
  }

  /** Takes the wake-ups since the last look onto the ready list. */
  private collect(): void {
    this.prune();
    for (const it of this.interests) {
      const state = wakeState(it.file);
      if (state === it.seen) continue;
      it.seen = state;
      if (this.revents(it)) this.queue(it);
    }
  }

  /** epoll_wait's harvest: up to `max` ready events (ep_send_events). */
  harvest(max: number): ReadyEvent[] {
    this.collect();
    const out: ReadyEvent[] = [];
    const requeue: Interest[] = [];
    while (out.length < max && this.readyList.length > 0) {
      const it = this.readyList.shift()!;
      it.ready = false;
      const events = this.revents(it);
      if (!events) continue;
      out.push({ events, data: it.data });
      if (it.events & EPOLLONESHOT) it.events &= EP_PRIVATE_BITS;
      else if (!(it.events & EPOLLET)) requeue.push(it);
    }
    for (const it of requeue) this.queue(it);
    return out;
  }

  /** Whether an epoll_wait would report something now (without taking it). */
  hasReady(): boolean {
    this.collect();
    return this.readyList.some((it) => this.revents(it) !== 0);
  }

  poll(): number {
    return this.hasReady() ? POLLIN | POLLRDNORM : 0;
  }

  /** When a watched description may become ready by time alone. */
  wakesAt(): bigint | null {
    return firstWake(this.interests.map((it) => it.file));
  }

  /** The epoll instances this one watches, directly. */
  *watchedEpolls(): Iterable<EventPoll> {
    this.prune();
    for (const it of this.interests) if (it.file instanceof EventPoll) yield it.file;
  }

  fdinfo(): string {
    this.prune();
    return this.interests
      .map((it) => {
        const data = it.data.toString(16).padStart(16);
        return `tfd: ${String(it.fd).padStart(8)} events: ${(it.events >>> 0).toString(16).padStart(8)} data: ${data}  pos:${it.file.tell?.() ?? 0} ${this.identify(it.file)}\n`;
      })
      .join('');
  }
}
