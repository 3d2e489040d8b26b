import { describe, expect, it } from 'vitest';
import { describeDevice, userAgentFamilies } from '../../server/sessions/device-label.js';

const cases: [string, string][] = [
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome 120, macOS'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.6167.85 Safari/537.36', 'Chrome 121, Windows'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'Edge 120, Windows'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121, Windows'],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', 'Firefox 120, Ubuntu'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', 'Safari 17, macOS'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', 'Safari 17, iPhone'],
  ['Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1', 'Safari 16, iPad'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36', 'Chrome 120, Android'],
  ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36', 'Chrome 119, ChromeOS'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0', 'Opera 106, macOS'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) TAB/0.1.0 Chrome/140.0.0.0 Electron/39.0.0 Safari/537.36', 'Electron 39, Windows'],
];

describe('session labels from the User-Agent', () => {
  it.each(cases)('%s → %s', (ua, label) => {
    expect(describeDevice('web', ua).label).toBe(label);
  });

  it('keeps the parsed browser and OS apart', () => {
    expect(describeDevice('web', cases[0]![0])).toEqual({ label: 'Chrome 120, macOS', labelSource: 'user-agent', browser: 'Chrome 120', os: 'macOS', browserFamily: 'Chrome', osFamily: 'macOS' });
  });

  it("uses a desktop's device name, trimmed, and ignores it for web sessions", () => {
    expect(describeDevice('desktop', cases[1]![0], "  Ana's MacBook Pro ")).toMatchObject({ label: "Ana's MacBook Pro", labelSource: 'device' });
    expect(describeDevice('web', cases[1]![0], 'Spoofed name').label).toBe('Chrome 121, Windows');
    expect(describeDevice('desktop', cases[1]![0], '   ')).toMatchObject({ label: 'Chrome 121, Windows', labelSource: 'user-agent' });
  });

  it.each([['', 'web'], ['curl/8.5.0', 'web'], ['\u0000garbage\uffff', 'web']] as const)('falls back to the client kind for %j', (ua, label) => {
    expect(describeDevice('web', ua)).toMatchObject({ label, labelSource: 'kind' });
    expect(describeDevice('desktop', ua)).toMatchObject({ label: 'desktop', labelSource: 'kind' });
  });
});

describe('browser family and OS, for unusual-change checks', () => {
  it('leave versions out, so that an update is no change', () => {
    expect(userAgentFamilies(cases[0]![0])).toEqual({ browserFamily: 'Chrome', osFamily: 'macOS' });
    expect(userAgentFamilies(cases[1]![0])).toEqual({ browserFamily: 'Chrome', osFamily: 'Windows' });
    // iPhone and iPad both run iOS: the OS family is iOS, whatever the label says.
    expect(userAgentFamilies(cases[6]![0])).toEqual({ browserFamily: 'Safari', osFamily: 'iOS' });
    expect(userAgentFamilies(cases[7]![0]).osFamily).toBe('iOS');
  });

  it('are unknown (null) for what no parser can read', () => {
    expect(userAgentFamilies('')).toEqual({ browserFamily: null, osFamily: null });
    expect(userAgentFamilies('node')).toEqual({ browserFamily: null, osFamily: null });
  });

  it('give a desktop session no browser family: only its OS is compared', () => {
    expect(describeDevice('desktop', cases[11]![0], 'Ana’s PC')).toMatchObject({ browserFamily: null, osFamily: 'Windows' });
    expect(describeDevice('web', cases[11]![0])).toMatchObject({ browserFamily: 'Electron', osFamily: 'Windows' });
  });
});
