/**
 * The right-click menu of the window: Electron shows none by default, so
 * right-click → Paste did nothing. In an editable field: spelling
 * suggestions for a misspelled word (and "Add to dictionary"), then the usual
 * edit commands, enabled as Chromium says; on selected text elsewhere: Copy.
 */

/** What Electron's `context-menu` event says (the part used here). */
export interface ContextMenuParams {
  isEditable: boolean;
  selectionText: string;
  misspelledWord: string;
  dictionarySuggestions: string[];
  editFlags: { canUndo: boolean; canRedo: boolean; canCut: boolean; canCopy: boolean; canPaste: boolean; canSelectAll: boolean };
}

export type ContextMenuEntry =
  | { type: 'separator' }
  | { label: string; action: { kind: 'replace-misspelling'; word: string } }
  | { label: string; action: { kind: 'add-to-dictionary'; word: string } }
  | { label: string; enabled: false }
  | { role: 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll'; enabled: boolean };

export const MAX_SUGGESTIONS = 5;

export function contextMenuEntries(params: ContextMenuParams): ContextMenuEntry[] {
  const flags = params.editFlags;
  if (!params.isEditable) {
    return params.selectionText.trim() !== '' ? [{ role: 'copy', enabled: flags.canCopy }] : [];
  }
  const entries: ContextMenuEntry[] = [];
  if (params.misspelledWord) {
    const suggestions = params.dictionarySuggestions.slice(0, MAX_SUGGESTIONS);
    if (suggestions.length === 0) entries.push({ label: 'No spelling suggestions', enabled: false });
    for (const word of suggestions) entries.push({ label: word, action: { kind: 'replace-misspelling', word } });
    entries.push({ type: 'separator' });
    entries.push({ label: 'Add to dictionary', action: { kind: 'add-to-dictionary', word: params.misspelledWord } });
    entries.push({ type: 'separator' });
  }
  entries.push(
    { role: 'undo', enabled: flags.canUndo },
    { role: 'redo', enabled: flags.canRedo },
    { type: 'separator' },
    { role: 'cut', enabled: flags.canCut },
    { role: 'copy', enabled: flags.canCopy },
    { role: 'paste', enabled: flags.canPaste },
    { type: 'separator' },
    { role: 'selectAll', enabled: flags.canSelectAll },
  );
  return entries;
}
