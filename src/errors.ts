// Errors a user can cause (a missing file, a file that is not an x86-64 executable, a malformed
// trace, a bad option). The CLI prints them as one line, `emtrace: <what>: <why>`, and exits
// non-zero; anything else reaching the top is a bug in emtrace.

export class UserError extends Error {
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`${subject}: ${reason}`);
  }
}
