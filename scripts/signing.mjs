// Code signing and notarization of the installers, from the environment
// (pure; tested in test/electron/signing.test.ts). What electron-builder does
// with each variable is in README.md ("Desktop development").
//
// macOS: a Developer ID certificate (CSC_LINK + CSC_KEY_PASSWORD, or CSC_NAME
// for one in the keychain) signs with the hardened runtime; notarization
// needs an App Store Connect API key (APPLE_API_KEY, APPLE_API_KEY_ID,
// APPLE_API_ISSUER — preferred) or an Apple ID (APPLE_ID,
// APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID). Without a certificate the app
// is signed ad hoc: flipping the fuses rewrites the Electron binary, and an
// arm64 Mac kills an app whose signature no longer matches.
// Windows: a certificate (WIN_CSC_LINK + WIN_CSC_KEY_PASSWORD, or CSC_LINK)
// signs with signtool; auto-update checks each installer's signature against
// the certificate's subject CN (or TAB_WIN_PUBLISHER_NAME when it differs).
// Auto-update: TAB_UPDATE_URL (https) is the feed, written into the build only
// for a platform that is signed.

const has = (env, ...names) => names.every((name) => typeof env[name] === 'string' && env[name].trim() !== '');

/**
 * @param {{ platform: 'mac' | 'win' | 'linux', env: Record<string, string | undefined> }} input
 * @returns {{ config: Record<string, unknown>, signed: boolean, notes: string[] }}
 *   `config`: what to merge into electron-builder's configuration for this platform.
 */
export function signingPlan({ platform, env }) {
  const notes = [];
  if (platform === 'mac') {
    const identity = has(env, 'CSC_LINK') || has(env, 'CSC_NAME');
    if (!identity) {
      notes.push('macOS: no Developer ID certificate (CSC_LINK or CSC_NAME): signed ad hoc — it runs on this Mac, Gatekeeper blocks it elsewhere.');
      return {
        signed: false,
        notes,
        // Ad-hoc + hardened runtime would reject Electron's own frameworks (a different team): off for local builds.
        config: { mac: { identity: '-', hardenedRuntime: false, notarize: false }, electronFuses: { resetAdHocDarwinSignature: true } },
      };
    }
    const apiKey = has(env, 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER');
    const appleId = has(env, 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID');
    if (!apiKey && !appleId) notes.push('macOS: signed but not notarized (set APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER): a downloaded copy is blocked by Gatekeeper.');
    return { signed: true, notes, config: { mac: { hardenedRuntime: true, notarize: apiKey || appleId } } };
  }
  if (platform === 'win') {
    const certificate = has(env, 'WIN_CSC_LINK') || has(env, 'CSC_LINK');
    if (!certificate) {
      notes.push('Windows: no code-signing certificate (WIN_CSC_LINK): unsigned — SmartScreen warns, and auto-update stays off.');
      return { signed: false, notes, config: { win: { forceCodeSigning: false } } };
    }
    // electron-builder writes the certificate's CN as the publisher auto-update checks; set it only to override.
    const publisher = env.TAB_WIN_PUBLISHER_NAME?.trim();
    return {
      signed: true,
      notes,
      config: { win: { forceCodeSigning: true, verifyUpdateCodeSignature: true, ...(publisher ? { signtoolOptions: { publisherName: [publisher] } } : {}) } },
    };
  }
  return { signed: false, notes: ['Linux: AppImage, unsigned; updated by a new download.'], config: {} };
}

/**
 * The `publish` setting: a generic https feed for signed builds only (an
 * unsigned build must never install what a feed hands it).
 * @returns {{ publish: Array<{ provider: 'generic', url: string }> | null, note: string | null }}
 */
export function publishPlan({ env, signed, platform }) {
  const url = env.TAB_UPDATE_URL?.trim();
  if (!url) return { publish: null, note: null };
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`TAB_UPDATE_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:') throw new Error('TAB_UPDATE_URL must be an https address.');
  if (!signed || platform === 'linux') return { publish: null, note: `${platform}: not signed, so no auto-update feed is written into this build.` };
  return { publish: [{ provider: 'generic', url: parsed.toString() }], note: null };
}
