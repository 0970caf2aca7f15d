// Reads systemd unit and environment files the way systemd does: continuations, comments, quoting, $VAR expansion.

/** Something systemd itself would log about the file, or silently do differently from what the author meant. */
export interface SyntaxIssue {
  kind: 'broken-continuation' | 'missing-equals' | 'outside-section' | 'orphan-flag' | 'export-prefix' | 'invalid-key' | 'unterminated-quote';
  line: number;
  text: string;
}

export interface UnitEntry {
  section: string;
  key: string;
  value: string;
  /** First physical line of the assignment. */
  line: number;
  /** Physical line of each character of `value` (continuations join lines). */
  lineAt: (offset: number) => number;
}

export interface ParsedUnit {
  entries: UnitEntry[];
  issues: SyntaxIssue[];
}

const isComment = (l: string) => /^\s*[#;]/.test(l);

/** The line ends with a backslash systemd treats as a continuation: an odd run of backslashes at the very end. */
function endsWithContinuation(line: string): boolean {
  let escaped = false;
  for (const c of line) escaped = escaped ? false : c === '\\';
  return escaped;
}

/**
 * systemd's config parser (src/shared/conf-parser.c): a line whose very last character is an unescaped backslash
 * continues on the next line (the backslash becomes a space); comment lines inside a continuation are skipped;
 * "#" or ";" start a comment only at the beginning of a line. Text after the backslash (even a space or
 * "\ # comment") ends the assignment there, and the next lines become assignments of their own (ETCD-FACTS.md
 * "Flags, environment, versions").
 */
export function parseUnit(text: string): ParsedUnit {
  const physical = text.split(/\r?\n/);
  const entries: UnitEntry[] = [];
  const issues: SyntaxIssue[] = [];
  let section = '';
  let buf = '';
  let lineMap: { offset: number; line: number }[] = [];
  let startLine = 0;

  const finish = () => {
    const logical = buf;
    const map = lineMap;
    const first = startLine;
    buf = '';
    lineMap = [];
    const trimmedStart = logical.length - logical.trimStart().length;
    const l = logical.trim();
    if (l === '') return;
    if (l.startsWith('[')) {
      section = l.endsWith(']') ? l.slice(1, -1) : l;
      return;
    }
    const eq = l.indexOf('=');
    if (/^-/.test(l)) {
      issues.push({ kind: 'orphan-flag', line: first, text: l });
      return;
    }
    if (eq < 0) {
      issues.push({ kind: 'missing-equals', line: first, text: l });
      return;
    }
    if (section === '') {
      issues.push({ kind: 'outside-section', line: first, text: l });
      return;
    }
    const key = l.slice(0, eq).trim();
    const rawValue = l.slice(eq + 1);
    const value = rawValue.trim();
    const valueStart = trimmedStart + eq + 1 + (rawValue.length - rawValue.trimStart().length);
    const lineAt = (offset: number) => {
      const abs = valueStart + offset;
      let line = first;
      for (const m of map) if (m.offset <= abs) line = m.line;
      return line;
    };
    entries.push({ section, key, value, line: first, lineAt });
  };

  physical.forEach((raw, i) => {
    const lineNo = i + 1;
    const continuing = lineMap.length > 0;
    if (continuing && isComment(raw)) return;
    if (!continuing && isComment(raw)) return;
    if (!continuing) startLine = lineNo;
    lineMap.push({ offset: buf.length, line: lineNo });
    if (endsWithContinuation(raw)) {
      buf += raw.slice(0, -1) + ' ';
      return;
    }
    // A backslash that was meant to continue but has text (or spaces) after it: systemd ends the line here.
    const broken = /(^|\s)\\(\s+#.*|\s+;.*|\s+)$/.exec(raw);
    if (broken) issues.push({ kind: 'broken-continuation', line: lineNo, text: raw.trim() });
    buf += raw;
    finish();
  });
  if (lineMap.length > 0) finish();
  return { entries, issues };
}

export interface EnvAssignment {
  key: string;
  value: string;
  line: number;
}

export interface ParsedEnvFile {
  assignments: EnvAssignment[];
  issues: SyntaxIssue[];
}

/**
 * systemd's EnvironmentFile= format (load_env_file in src/basic/env-file.c), which Debian's and Red Hat's etcd.conf
 * follow: KEY=VALUE lines, "#"/";" comments at the start of a line, values in double quotes (with \" \\ \$ \`
 * escapes) or single quotes (literal) that may span lines, unquoted values with backslash escapes and trailing
 * whitespace removed, and a trailing backslash joining lines. Nothing is expanded: "$((...))" stays literal.
 */
export function parseEnvFile(text: string): ParsedEnvFile {
  const assignments: EnvAssignment[] = [];
  const issues: SyntaxIssue[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const peek = () => text[i];
  const advance = () => {
    const c = text[i++];
    if (c === '\n') line++;
    return c;
  };
  while (i < n) {
    // Leading whitespace and blank lines.
    while (i < n && /[ \t\r\n]/.test(peek()!)) advance();
    if (i >= n) break;
    const startLine = line;
    if (peek() === '#' || peek() === ';') {
      while (i < n && peek() !== '\n') advance();
      continue;
    }
    let key = '';
    while (i < n && peek() !== '=' && peek() !== '\n') key += advance();
    if (i >= n || peek() === '\n') {
      issues.push({ kind: 'missing-equals', line: startLine, text: key.trim() });
      continue;
    }
    advance(); // '='
    key = key.trim();
    let value = '';
    let pendingSpace = '';
    while (i < n && (peek() === ' ' || peek() === '\t')) advance();
    let closed = true;
    // Quotes open only where a value starts or right after a closing quote (systemd's PRE_VALUE state).
    let atValueStart = true;
    while (i < n && peek() !== '\n') {
      const c = advance()!;
      const opensQuote = atValueStart && (c === '"' || c === "'");
      atValueStart = false;
      if (opensQuote && c === '"') {
        closed = false;
        value += pendingSpace;
        pendingSpace = '';
        while (i < n) {
          const d = advance()!;
          if (d === '"') {
            closed = true;
            atValueStart = true;
            break;
          }
          if (d === '\\' && i < n) {
            const e = advance()!;
            if (e === '\n') continue;
            value += '"\\`$'.includes(e) ? e : `\\${e}`;
            continue;
          }
          value += d;
        }
      } else if (opensQuote) {
        closed = false;
        value += pendingSpace;
        pendingSpace = '';
        while (i < n) {
          const d = advance()!;
          if (d === "'") {
            closed = true;
            atValueStart = true;
            break;
          }
          value += d;
        }
      } else if (c === '\\') {
        if (i < n) {
          const e = advance()!;
          if (e !== '\n') value += pendingSpace + e;
          pendingSpace = '';
        }
      } else if (c === ' ' || c === '\t') {
        pendingSpace += c;
      } else if (c !== '\r') {
        value += pendingSpace + c;
        pendingSpace = '';
      }
    }
    if (!closed) issues.push({ kind: 'unterminated-quote', line: startLine, text: `${key}=` });
    if (key.startsWith('export ')) {
      issues.push({ kind: 'export-prefix', line: startLine, text: key });
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      issues.push({ kind: 'invalid-key', line: startLine, text: key });
      continue;
    }
    assignments.push({ key, value, line: startLine });
  }
  return { assignments, issues };
}

export interface Word {
  value: string;
  /** Offset of the word in the unexpanded command line. */
  offset: number;
  /** The word as written. */
  raw: string;
}

/** C-style escapes systemd unescapes in command lines (EXTRACT_CUNESCAPE). */
const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ', ' ': ' ' };

/** Splits a command line at unquoted whitespace, removing quotes and escapes (systemd's extract_first_word). */
export function splitWords(command: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < command.length) {
    while (i < command.length && /\s/.test(command[i]!)) i++;
    if (i >= command.length) break;
    const start = i;
    let value = '';
    let quote: '"' | "'" | null = null;
    for (; i < command.length; i++) {
      const c = command[i]!;
      if (quote === null && /\s/.test(c)) break;
      if (quote === null && (c === '"' || c === "'")) {
        quote = c;
        continue;
      }
      if (quote !== null && c === quote) {
        quote = null;
        continue;
      }
      if (c === '\\' && i + 1 < command.length && quote !== "'") {
        const e = command[++i]!;
        value += C_ESCAPES[e] ?? `\\${e}`;
        continue;
      }
      value += c;
    }
    words.push({ value, offset: start, raw: command.slice(start, i) });
  }
  return words;
}

export interface ExpandedWord extends Word {
  /** The variables this word came from, for findings about undefined ones. */
  fromVariable?: string;
}

/**
 * systemd.service "Command lines": "${FOO}" becomes the value as one word (or part of one), "$FOO" as a word of
 * its own splits the value at whitespace, "$$" is a literal "$". Unset variables expand to nothing.
 */
export function expandWords(words: readonly Word[], env: ReadonlyMap<string, string>, undefinedVars: Set<string>, shell = false): ExpandedWord[] {
  const out: ExpandedWord[] = [];
  for (const w of words) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(w.raw);
    if (whole) {
      const name = whole[1]!;
      const v = env.get(name);
      if (v === undefined) undefinedVars.add(name);
      for (const part of (v ?? '').split(/\s+/).filter((p) => p !== '')) out.push({ value: part, offset: w.offset, raw: w.raw, fromVariable: name });
      continue;
    }
    let fromVariable: string | undefined;
    // A shell (sh -c) also expands $FOO inside a word; systemd only ${FOO}.
    const pattern = shell ? /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g : /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
    const value = w.value.replace(pattern, (m, braced?: string, bare?: string) => {
      if (m === '$$') return shell ? m : '$';
      const name = braced ?? bare;
      fromVariable = name;
      const v = env.get(name!);
      if (v === undefined) undefinedVars.add(name!);
      return v ?? '';
    });
    out.push(fromVariable === undefined ? { ...w, value } : { ...w, value, fromVariable });
  }
  return out;
}

/** Shell syntax systemd passes to the program literally instead of expanding (ETCD-FACTS.md "Flags, environment, versions"). */
const SHELL_SYNTAX: { pattern: RegExp; what: string }[] = [
  { pattern: /\$\(\(/, what: 'arithmetic $((...))' },
  { pattern: /\$\((?!\()/, what: 'command substitution $(...)' },
  { pattern: /`/, what: 'backticks `...`' },
  { pattern: /\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-=+?]|#|%)/, what: 'shell parameter expansion ${VAR:-default}' },
  { pattern: /(^|\s)(\|\|?|&&|2?>>?|<)(\s|$)/, what: 'pipes, redirections or && lists' },
];

export function shellSyntaxIn(text: string): string | null {
  for (const s of SHELL_SYNTAX) if (s.pattern.test(text)) return s.what;
  return null;
}
