/**
 * Text that people typed or that a device reported, made safe to show next to
 * other people's text: device labels, names, descriptions.
 *
 * - Bidirectional controls (LRM/RLM/ALM, the embeddings and overrides
 *   U+202A–U+202E, the isolates U+2066–U+2069) are removed: "Trojan Source"
 *   style text could otherwise make "moc.elgoog" read as "google.com", or a
 *   label draw over the IP next to it.
 * - Control characters (C0, DEL, C1) are removed, except line breaks where
 *   they are allowed (`multiline`), which become `\n`. A tab is a space.
 * - Lone surrogates (not text at all) are removed.
 * - Single-line text: every line break is a space, and runs of spaces
 *   collapse to one, so a label cannot push its neighbours around.
 * - The ends are trimmed, and at most `maxLength` characters are kept (code
 *   points, as the API's schemas count them; a surrogate pair is never cut).
 *
 * Everything else — accents, CJK, emoji with their joiners — is kept as
 * typed. Deterministic and idempotent: cleaning clean text changes nothing.
 */
export function cleanDisplayText(text: string, maxLength: number, options: { multiline?: boolean } = {}): string {
  let cleaned = text.replace(LINE_BREAK, options.multiline ? '\n' : ' ').replace(INVISIBLE, (c) => (c === '\t' ? ' ' : '')).replace(LONE_SURROGATE, '');
  if (!options.multiline) cleaned = cleaned.replace(/ {2,}/g, ' ');
  cleaned = cleaned.trim();
  if (cleaned.length <= maxLength) return cleaned;
  return Array.from(cleaned).slice(0, maxLength).join('').trimEnd();
}

/** CRLF, LF, CR, VT, FF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/** The control characters (tab included, made a space), and the bidirectional formatting characters. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
