import type { TabApi } from '../../shared/api/client.js';
import type { TimeWrites } from './backend.js';

/**
 * Time writes straight to the server (the web client, and the desktop for
 * writes that cannot be queued). Creates are POSTs with the client-generated
 * id, so a retried save never duplicates; updates are PATCHes, which also
 * work for a manager correcting someone else's entry.
 */
export function apiTimeWrites(api: TabApi): TimeWrites {
  return {
    startTimer: async (request) => (await api.startTimer(request)).entry,
    stopTimer: async (id) => (await api.stopTimer(id === undefined ? {} : { id })).entry,
    async saveEntry(entry, { mode }) {
      const { id, ...fields } = entry;
      const result = mode === 'create' ? await api.createEntry(entry) : await api.updateEntry(id, fields);
      return { entry: result.entry, warnings: result.warnings, queued: false };
    },
    deleteEntry: (id) => api.deleteEntry(id),
  };
}
