import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';

/** pino's numeric levels: 40 is warn. */
const WARN = 40;
const LEVEL_NAMES: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

/** One log line for a person: "[warn] message (key=value …)", from a pino JSON line. */
export function consoleLine(json: string): string | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trim() || null;
  }
  const level = typeof entry.level === 'number' ? entry.level : 0;
  if (level < WARN) return null;
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const err = entry.err as { message?: unknown } | undefined;
  const detail = typeof err?.message === 'string' ? ` — ${err.message}` : '';
  return `[${LEVEL_NAMES[level] ?? 'error'}] ${message}${detail}`;
}

/**
 * The server's log stream with `--log-file`: every line (JSON, as pino writes
 * it) is appended to the file; warnings and errors are also printed, briefly,
 * so a terminal shows what needs attention and the rest stays in the file.
 * Written synchronously, like pino's own stdout: the lines logged just before
 * an exit (a shutdown, a crash) are in the file too.
 */
export function fileLogStream(file: string, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Writable {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o600);
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = String(chunk);
      for (const line of text.split('\n')) {
        const shown = line ? consoleLine(line) : null;
        if (shown) print(shown);
      }
      try {
        writeSync(fd, text);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    final(done) {
      closeSync(fd);
      done();
    },
  });
}
