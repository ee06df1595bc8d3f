// Errors a user can cause (a missing file, a file that is not an x86-64 executable, a malformed
// trace, a bad option). The CLI prints them as one line, `emtrace: <what>: <why>`, and exits
// non-zero; anything else reaching the top is a bug in emtrace.

export class UserError extends Error {
  /** `subject: reason`, or just `reason` when there is no subject (a bad option value). */
  constructor(subject: string, reason?: string) {
    super(reason === undefined ? subject : `${subject}: ${reason}`);
  }
}
