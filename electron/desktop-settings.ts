import type { DesktopSettings, DesktopSettingsPatch } from '../shared/ipc/contract.js';
import type { SettingsStore } from './settings.js';

/** The person's desktop settings (idle threshold, crash-report opt-in), with listeners for the parts that follow them. */
export class DesktopSettingsService {
  private readonly listeners = new Set<(settings: DesktopSettings) => void>();

  constructor(
    private readonly store: SettingsStore,
    /** This installation's crash-report address (null: crash reports are only kept locally). */
    private readonly crashReportUrl: string | null,
  ) {}

  get(): DesktopSettings {
    const stored = this.store.read();
    return {
      idleThresholdMinutes: stored.idleThresholdMinutes,
      uploadCrashReports: this.crashReportUrl !== null && stored.uploadCrashReports,
      crashReportUrl: this.crashReportUrl,
    };
  }

  /** The idle threshold in ms (0: never ask). */
  idleThresholdMs(): number {
    return this.store.read().idleThresholdMinutes * 60_000;
  }

  set(patch: DesktopSettingsPatch): DesktopSettings {
    const write: Partial<{ idleThresholdMinutes: DesktopSettings['idleThresholdMinutes']; uploadCrashReports: boolean }> = {};
    if (patch.idleThresholdMinutes !== undefined) write.idleThresholdMinutes = patch.idleThresholdMinutes;
    if (patch.uploadCrashReports !== undefined) write.uploadCrashReports = patch.uploadCrashReports;
    this.store.write(write);
    const settings = this.get();
    for (const listener of [...this.listeners]) listener(settings);
    return settings;
  }

  onChanged(listener: (settings: DesktopSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
