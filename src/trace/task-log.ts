// strace's bookkeeping of lines printed in parts when several tasks share one output (strace.c
// printleader, line_ended, print_event_exit; syscall.c print_syscall_resume). A call's entry is
// printed when it starts and its end when it returns; when another task's line comes between,
// the entry is closed with ` <unfinished ...>` and the end printed later on a line of its own,
// `<... NAME resumed>REST`. With -e status= a call's lines are held (strace's memstream) until
// its end says whether they print, and are never split. With -ff each task has its own output
// and only a task's own line can interrupt it.
import type { LineOutput } from './line-writer.js';

/** One traced task's output state (strace's tcb: curcol, staged output). */
export class TaskLine {
  /** The text of its line not ended yet; '' when none (strace's curcol == 0). */
  open = '';
  /** -e status=: the lines of the current call, held until it ends; null when lines go out at
   *  once. */
  staged: string[] | null = null;

  constructor(
    readonly tid: number,
    readonly log: TaskLog,
  ) {}
}

export const UNFINISHED = ' <unfinished ...>';

/** One output: the shared log, or with -ff one task's file. */
export class TaskLog {
  /** The task whose line the output ends with (strace's printing_tcp). */
  private printing: TaskLine | null = null;

  constructor(
    private readonly out: LineOutput,
    /** -ff: the output is one task's own. */
    private readonly separate: boolean,
  ) {}

  /** printleader: closes the open line of the task that printed last (with -ff, only this
   *  task's own), then starts `task`'s line with `prefix`. */
  begin(task: TaskLine, prefix: string): void {
    const last = this.separate ? task : this.printing;
    if (last !== null && last.open !== '' && task.staged === null) this.unfinish(last);
    this.printing = task;
    task.open = prefix;
  }

  /** Whether `task`'s call, ending, must start a line of its own (`<... NAME resumed>`):
   *  something else was printed since its entry. */
  mustResume(task: TaskLine): boolean {
    return !this.separate && this.printing !== task && task.staged === null;
  }

  /** The task's line is the one being printed (its end follows its entry). */
  claim(task: TaskLine): void {
    this.printing = task;
  }

  /** print_event_exit: a task dies inside a call; another task's open line is closed first. */
  closeOthers(task: TaskLine): void {
    if (!this.separate && this.printing !== null && this.printing !== task && this.printing.open !== '') this.unfinish(this.printing);
  }

  /** A message that is no task's line (`Process N attached`) goes out on a line of its own. */
  interrupt(text: string): void {
    if (this.printing !== null && this.printing.open !== '') this.unfinish(this.printing);
    this.printing = null;
    this.out.line(text);
  }

  /** line_ended: `task`'s line ends with `text`. */
  end(task: TaskLine, text: string): void {
    this.emit(task, task.open + text);
    task.open = '';
    this.printing = null;
  }

  /** -e status=: the call's held lines print (or are dropped), and lines go out at once again. */
  release(task: TaskLine, publish: boolean): void {
    const lines = task.staged ?? [];
    task.staged = null;
    if (publish) for (const line of lines) this.out.line(line);
    else {
      task.open = '';
      this.printing = null;
    }
  }

  /** Lines that follow a call's line (-e write= dumps, -k frames). */
  extra(line: string): void {
    this.out.line(line);
  }

  /** droptcb: the task is gone; a line it left open ends with ` <detached ...>`. */
  drop(task: TaskLine): void {
    if (task.open !== '' && (this.separate || this.printing === task)) this.emit(task, task.open + ' <detached ...>');
    task.open = '';
    if (this.printing === task) this.printing = null;
    if (this.separate) this.out.close();
  }

  private unfinish(task: TaskLine): void {
    this.emit(task, task.open + UNFINISHED);
    task.open = '';
  }

  private emit(task: TaskLine, line: string): void {
    if (task.staged !== null) task.staged.push(line);
    else this.out.line(line);
  }
}
