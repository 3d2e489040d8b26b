/** Signing, notarization and the update feed of the installers, from the environment (scripts/signing.mjs), against electron-builder's schema. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import Ajv from 'ajv';
import { publishPlan, signingPlan } from '../../scripts/signing.mjs';

const root = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
const base = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function merged(config: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(config)) out[key] = { ...(out[key] as object), ...value };
  return { ...out, ...extra };
}

describe('macOS', () => {
  it('no certificate: ad-hoc signature (fused binaries still launch on arm64), no hardened runtime, no notarization', () => {
    const plan = signingPlan({ platform: 'mac', env: {} });
    expect(plan.signed).toBe(false);
    expect(plan.config.mac).toEqual({ identity: '-', hardenedRuntime: false, notarize: false });
    expect(plan.config.electronFuses).toEqual({ resetAdHocDarwinSignature: true });
    expect(plan.notes.join(' ')).toMatch(/ad hoc/);
    expect(validate(merged(plan.config)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('Developer ID + App Store Connect API key: hardened runtime and notarization', () => {
    const env = { CSC_LINK: 'file:///cert.p12', CSC_KEY_PASSWORD: 'x', APPLE_API_KEY: '/k.p8', APPLE_API_KEY_ID: 'ABC', APPLE_API_ISSUER: 'uuid' };
    const plan = signingPlan({ platform: 'mac', env });
    expect(plan).toMatchObject({ signed: true, config: { mac: { hardenedRuntime: true, notarize: true } }, notes: [] });
    expect(plan.config.mac).not.toHaveProperty('identity');
    expect(validate(merged(plan.config)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('Apple ID notarization works too; a certificate without notarization credentials says so', () => {
    expect(signingPlan({ platform: 'mac', env: { CSC_NAME: 'Developer ID Application: TAB', APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'b', APPLE_TEAM_ID: 'c' } }).config.mac).toMatchObject({ notarize: true });
    const plan = signingPlan({ platform: 'mac', env: { CSC_NAME: 'Developer ID Application: TAB', APPLE_API_KEY: 'only one of three' } });
    expect(plan.config.mac).toMatchObject({ notarize: false });
    expect(plan.notes.join(' ')).toMatch(/not notarized/);
  });
});

describe('Windows', () => {
  it('no certificate: unsigned, with the reason; a certificate: signed, signatures of updates checked', () => {
    expect(signingPlan({ platform: 'win', env: {} })).toMatchObject({ signed: false, notes: [expect.stringMatching(/SmartScreen/)] });
    const plan = signingPlan({ platform: 'win', env: { WIN_CSC_LINK: 'file:///c.pfx', WIN_CSC_KEY_PASSWORD: 'x', TAB_WIN_PUBLISHER_NAME: 'TAB Software Ltd' } });
    expect(plan.config.win).toEqual({ forceCodeSigning: true, verifyUpdateCodeSignature: true, signtoolOptions: { publisherName: ['TAB Software Ltd'] } });
    expect(validate(merged(plan.config)), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('the update feed', () => {
  it('https only; written only into signed builds (never Linux)', () => {
    const env = { TAB_UPDATE_URL: 'https://updates.tab.example.com/desktop' };
    expect(publishPlan({ env, signed: true, platform: 'mac' }).publish).toEqual([{ provider: 'generic', url: 'https://updates.tab.example.com/desktop' }]);
    expect(publishPlan({ env, signed: false, platform: 'mac' })).toMatchObject({ publish: null, note: expect.stringMatching(/not signed/) });
    expect(publishPlan({ env, signed: true, platform: 'linux' }).publish).toBeNull();
    expect(publishPlan({ env: {}, signed: true, platform: 'win' })).toEqual({ publish: null, note: null });
    expect(() => publishPlan({ env: { TAB_UPDATE_URL: 'http://updates.example.com' }, signed: true, platform: 'win' })).toThrow(/https/);
    const withFeed = merged({ win: { publish: publishPlan({ env, signed: true, platform: 'win' }).publish } });
    expect(validate(withFeed), JSON.stringify(validate.errors)).toBe(true);
  });
});
