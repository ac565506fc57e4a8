// Reading D1's refusals. drizzle wraps D1's error in `cause` (sometimes twice), so a check has to
// walk the chain rather than read the top message.

/** True when `text` appears in the error's message or in any of its causes'. */
export function errorMentions(err: unknown, text: string): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (String((e as Error).message ?? e).includes(text)) return true;
  }
  return false;
}

/** True when D1 refused a write for a UNIQUE constraint. */
export function isUniqueViolation(err: unknown): boolean {
  return errorMentions(err, 'UNIQUE constraint failed');
}
