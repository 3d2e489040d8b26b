/**
 * Crash reports: always kept locally (Electron's `crashDumps` folder, beside
 * the logs), uploaded only when this installation has a crash-report address
 * (TAB_CRASH_REPORT_URL, https) AND the person opted in (Desktop settings,
 * off by default). Plain options for crashReporter.start().
 */

export interface CrashReporterOptions {
  submitURL: string;
  uploadToServer: boolean;
  compress: boolean;
  productName: string;
  globalExtra: Record<string, string>;
}

/** The configured upload address, or null (not https, malformed, or unset). */
export function crashReportUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'https:' || url.username || url.password) return null;
    return url.toString();
  } catch {
    return null;
  }
}

export function crashReporterOptions(input: { url: string | null; optedIn: boolean; productName: string; version: string }): CrashReporterOptions {
  return {
    // Electron wants a string even when nothing is uploaded.
    submitURL: input.url ?? '',
    uploadToServer: Boolean(input.url) && input.optedIn,
    compress: true,
    productName: input.productName,
    globalExtra: { appVersion: input.version },
  };
}
