import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CreateEntryRequest, StartTimerRequest, TimeEntry } from '../../shared/api/time.js';
import type { QueuedWrite } from '../../shared/ipc/contract.js';

/**
 * The shape of the desktop's local time file (local-store.ts): where it
 * lives, its tables, and how a queued write reads back out of them.
 */

export type QueueOperation = QueuedWrite['operation'];

/** What the syncer sends for a queued write (the request as the person made it, plus the local view). */
export type QueuePayload =
  | { operation: 'timer-start'; request: Required<Pick<StartTimerRequest, 'id'>> & StartTimerRequest; entry: TimeEntry }
  | { operation: 'timer-stop'; request: { id: string }; entry: TimeEntry }
  | { operation: 'save'; request: CreateEntryRequest; entry: TimeEntry }
  | { operation: 'delete'; request: { id: string }; entry: null };

export interface QueueRow {
  seq: number;
  operation: QueueOperation;
  entryId: string;
  payload: QueuePayload;
  attempts: number;
  refused: { code: string; message: string } | null;
  lastError: string | null;
  queuedAt: string;
}

/** A write the local store refuses (nothing was written). */
export class LocalWriteError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'not_found' | 'conflict' | 'invalid_range' | 'invalid_request',
    message: string,
  ) {
    super(message);
    this.name = 'LocalWriteError';
  }
}

/** Currency shown for an entry the server has not priced yet (ISO 4217 "no currency"). */
export const UNKNOWN_CURRENCY = 'XXX';

export function timeDbPath(dataDir: string, origin: string, userId: string): string {
  const name = createHash('sha256').update(`${origin}|${userId}`).digest('hex');
  return join(dataDir, 'time', `${name}.sqlite`);
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  id TEXT PRIMARY KEY,
  entry TEXT NOT NULL,
  client_id TEXT NOT NULL,
  running INTEGER NOT NULL CHECK (running IN (0, 1)),
  on_server INTEGER NOT NULL DEFAULT 0 CHECK (on_server IN (0, 1)),
  written_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_one_running ON entries (running) WHERE running = 1;
CREATE INDEX IF NOT EXISTS entries_client ON entries (client_id, written_at);
CREATE TABLE IF NOT EXISTS queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  operation TEXT NOT NULL CHECK (operation IN ('save', 'delete', 'timer-start', 'timer-stop')),
  entry_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  refused_code TEXT,
  refused_message TEXT,
  last_error TEXT,
  queued_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_entry ON queue (entry_id);
CREATE INDEX IF NOT EXISTS queue_pending ON queue (seq) WHERE refused_code IS NULL;
`;

export interface EntryRowDb {
  id: string;
  entry: string;
  running: number;
  on_server: number;
}
export interface QueueRowDb {
  seq: number;
  operation: QueueOperation;
  entry_id: string;
  payload: string;
  attempts: number;
  refused_code: string | null;
  refused_message: string | null;
  last_error: string | null;
  queued_at: string;
}

export function toQueueRow(row: QueueRowDb): QueueRow {
  return {
    seq: row.seq,
    operation: row.operation,
    entryId: row.entry_id,
    payload: JSON.parse(row.payload) as QueuePayload,
    attempts: row.attempts,
    refused: row.refused_code === null ? null : { code: row.refused_code, message: row.refused_message ?? '' },
    lastError: row.last_error,
    queuedAt: row.queued_at,
  };
}
