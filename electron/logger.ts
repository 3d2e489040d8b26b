import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The main process's log. Never give it a secret; `redactSecrets` is only the safety net. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const JWT_LIKE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const COOKIE_LIKE = /(tab_session=)[^;\s"]+/gi;
const BEARER_LIKE = /(Bearer\s+)[^\s"]+/gi;

/** Blanks anything that looks like a JWT, a session cookie or a bearer credential. */
export function redactSecrets(text: string): string {
  return text.replace(JWT_LIKE, '[redacted-jwt]').replace(COOKIE_LIKE, '$1[redacted]').replace(BEARER_LIKE, '$1[redacted]');
}

function format(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  return redactSecrets(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
}

/** Writes JSON lines to a file (created with its folder) and/or a sink (tests, the console). */
export function createLogger(options: { file?: string; sink?: (line: string) => void; level?: LogLevel } = {}): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(options.level ?? 'info');
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });
  return {
    log(level, message, fields) {
      if (order.indexOf(level) < min) return;
      const line = format(level, message, fields);
      options.sink?.(line);
      if (options.file) {
        try {
          appendFileSync(options.file, line + '\n', { mode: 0o600 });
        } catch {
          /* a log that cannot be written must not break the app */
        }
      }
    },
  };
}

export const silentLogger: Logger = { log() {} };
