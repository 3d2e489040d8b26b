import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passkeysUnavailableAt } from './passkeys.js';

describe('passkeysUnavailableAt (WebAuthn needs a host name)', () => {
  it('refuses IP addresses in every form the URL parser accepts; host names (localhost too) are fine', () => {
    for (const url of ['http://127.0.0.1:4000', 'https://10.0.0.5', 'https://192.168.1.20:8443/', ' https://[::1]:4000 ', 'https://[2001:db8::1]', 'http://127.1:4000', 'https://0x7f.0.0.1']) {
      expect(passkeysUnavailableAt(url), url).toMatch(/not an IP address/);
    }
    for (const url of ['http://localhost:4000', 'https://tab.yourfirm.com', 'https://tab-1.internal:8443', 'https://xn--mller-kva.example', 'https://1.2.3.4.example.com']) {
      expect(passkeysUnavailableAt(url), url).toBeNull();
    }
    // Not an address yet: the address check speaks, not this one.
    for (const url of ['', 'tab', '://x']) expect(passkeysUnavailableAt(url)).toBeNull();
  });

  it('random IPv4 addresses are refused, random DNS names accepted; never throws', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), (ip, port) => {
        expect(passkeysUnavailableAt(`https://${ip}:${port}`)).not.toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.domain(), (name) => {
        expect(passkeysUnavailableAt(`https://${name}`), name).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(passkeysUnavailableAt(`https://[${ip}]`), ip).not.toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        passkeysUnavailableAt(s);
      }),
    );
  });
});
