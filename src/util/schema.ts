// What the input files' zod schemas (report.json, load scenarios, disk profiles) share: a key path as the operator writes it, the issue worth showing, a value as it was given.
import { z } from 'zod';

/** ["phases", 0, "clients"] -> "phases[0].clients", the spelling every error of an input file uses. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
}

/** A value in an error as the file had it: strings quoted, Infinity and NaN by name (JSON would print null). */
export function show(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v) ?? String(v);
}

export interface Issue {
  /** The key path, with an unknown key appended to its object's path. */
  path: (string | number)[];
  message: string;
}

/**
 * The first issue of a failed parse, the one to show. A union's issue says only "Invalid input": the branch it was meant
 * to be (the deepest path) says what is wrong. An unknown key is named by its own path, before any other issue.
 */
export function firstIssue(error: z.ZodError): Issue {
  // An unknown key first, as a reader would fix a misspelt key before the value it was meant to carry.
  let issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  while (issue.code === 'invalid_union') {
    const inner = issue.unionErrors.map((e) => e.issues[0]!).sort((a, b) => b.path.length - a.path.length)[0];
    if (inner === undefined) break;
    issue = inner;
  }
  if (issue.code === 'unrecognized_keys') return { path: [...issue.path, issue.keys[0]!], message: issue.message };
  return { path: [...issue.path], message: issue.message };
}

/**
 * A schema of its own for each kind of value (JSON type first), chosen by `pick`: the value's shape decides which form it
 * is (a size, a "min-max" text, a {min, max} mapping), so its error is that form's, not a union's list of every form.
 */
export function byShape<T>(pick: (v: unknown) => z.ZodType<T, z.ZodTypeDef, unknown>): z.ZodType<T, z.ZodTypeDef, unknown> {
  return z.unknown().transform((v, ctx): T => {
    const parsed = pick(v).safeParse(v);
    if (parsed.success) return parsed.data;
    const issue = firstIssue(parsed.error);
    ctx.addIssue({ code: 'custom', fatal: true, path: issue.path, message: issue.message });
    return z.NEVER;
  });
}

/** A custom issue from a plain check: `why` returns the message, or null when the value is right. */
export function refuse<T>(why: (v: T) => string | null) {
  return (v: T, ctx: z.RefinementCtx): void => {
    const message = why(v);
    if (message !== null) ctx.addIssue({ code: 'custom', fatal: true, message });
  };
}

/** Every issue of one schema in one sentence that can show the value as given (`ctx.data`). */
export const says =
  (why: (data: unknown, issue: z.ZodIssueOptionalMessage) => string): z.ZodErrorMap =>
  (issue, ctx) => ({ message: why(ctx.data, issue) });
