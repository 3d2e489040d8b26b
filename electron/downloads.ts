import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { SaveDownloadArgs, SavedDownload } from '../shared/ipc/contract.js';
import type { DownloadedFile } from './server-client.js';
import { checkApiPath } from './ipc/api-proxy.js';

/**
 * "Download this API path to a file the person picks": the CSV export today,
 * invoice PDFs later. The renderer cannot download API files itself (it has
 * no credentials and no route to the server); main fetches with the session,
 * then asks where to save with the system's save dialog.
 */

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface DownloadSaverOptions {
  /** A GET with the session's credentials (AuthController.download). */
  fetchFile(path: string): Promise<DownloadedFile>;
  /** The save dialog: answers the chosen path, or null when cancelled. */
  chooseFile(suggestedName: string, filters: FileFilter[]): Promise<string | null>;
}

const FILTERS: Record<string, FileFilter> = {
  '.csv': { name: 'CSV (comma-separated values)', extensions: ['csv'] },
  '.pdf': { name: 'PDF document', extensions: ['pdf'] },
};
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** A file name that is valid on every OS: no folders, no characters Windows refuses, no reserved device names. */
export function safeFileName(name: string): string {
  let cleaned = [...basename(name.replace(/\\/g, '/'))]
    .map((c) => (c.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(c) ? '-' : c))
    .join('')
    .replace(/[. ]+$/, '')
    .trim()
    .slice(0, 150);
  if (cleaned === '' || cleaned.startsWith('.')) cleaned = `download${cleaned}`;
  const stem = cleaned.slice(0, cleaned.length - extname(cleaned).length);
  if (WINDOWS_RESERVED.test(stem)) cleaned = `tab-${cleaned}`;
  return cleaned;
}

/** Writes next to the target and renames over it: the file is never half-written. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export function createDownloadSaver(options: DownloadSaverOptions) {
  return async function saveDownload(args: SaveDownloadArgs): Promise<SavedDownload> {
    const path = checkApiPath(args.path, 'GET');
    // Fetch first: when offline or refused, the person is told without a dialog to dismiss first.
    const file = await options.fetchFile(path);
    // The server's name for the file (Content-Disposition) when it gives one, else the renderer's suggestion.
    const name = safeFileName(file.fileName ?? args.suggestedName);
    const filter = FILTERS[extname(name).toLowerCase()];
    const target = await options.chooseFile(name, filter ? [filter] : []);
    if (target === null) return { saved: false, fileName: null };
    await writeAtomically(target, file.bytes);
    return { saved: true, fileName: basename(target) };
  };
}
