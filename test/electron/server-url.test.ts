import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, isLoopbackHost, validateServerUrl } from '../../electron/server-url.js';

describe('server address', () => {
  it('defaults to the local demo server', () => {
    expect(DEFAULT_SERVER_URL).toBe('http://localhost:4000');
    expect(validateServerUrl(DEFAULT_SERVER_URL)).toEqual({ ok: true, origin: 'http://localhost:4000' });
  });

  it.each([
    ['https://tab.example.com', 'https://tab.example.com'],
    ['  https://TAB.example.com/  ', 'https://tab.example.com'],
    ['https://tab.example.com:8443', 'https://tab.example.com:8443'],
    ['http://127.0.0.1:4200', 'http://127.0.0.1:4200'],
    ['http://127.8.9.10', 'http://127.8.9.10'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
    ['http://LOCALHOST:4000', 'http://localhost:4000'],
    ['http://127.1:4000', 'http://127.0.0.1:4000'],
  ])('accepts %s as %s', (input, origin) => {
    expect(validateServerUrl(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['http://tab.example.com', /only allowed for this computer/],
    ['http://192.168.1.10:4000', /only allowed for this computer/],
    ['http://localhost.example.com', /only allowed for this computer/],
    ['http://127.0.0.1.nip.io', /only allowed for this computer/],
    ['http://evil.localhost:4000', /only allowed for this computer/],
    ['http://tab.localhost', /only allowed for this computer/],
    ['http://localhost.:4000', /only allowed for this computer/],
    ['http://[::ffff:127.0.0.1]:4000', /only allowed for this computer/],
    ['http://[0:0:0:0:0:0:0:2]', /only allowed for this computer/],
    ['http://0.0.0.0:4000', /only allowed for this computer/],
    ['http://128.0.0.1', /only allowed for this computer/],
    ['ftp://tab.example.com', /https/],
    ['file:///etc/passwd', /https/],
    ['javascript:alert(1)', /https/],
    ['https://user:pw@tab.example.com', /user name/],
    ['https://tab.example.com/some/path', /without a path/],
    ['https://tab.example.com/?x=1', /without a path/],
    ['not a url', /not a valid address/],
    ['', /Enter the server address/],
  ])('refuses %s', (input, message) => {
    const check = validateServerUrl(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('refuses non-strings and absurd lengths', () => {
    expect(validateServerUrl(42).ok).toBe(false);
    expect(validateServerUrl(null).ok).toBe(false);
    expect(validateServerUrl('https://' + 'a'.repeat(3000) + '.com').ok).toBe(false);
  });

  it('knows loopback: localhost, 127.0.0.0/8 and ::1 only', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('127.0.0.256')).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('evil.localhost')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    expect(isLoopbackHost('[::ffff:7f00:1]')).toBe(false);
  });
});
