import { TextInput } from '../Fields/index.js';
import { ApiError } from '../../../shared/api/client.js';

/**
 * What a re-check's answer says about the authenticator code: it was needed
 * (the account has two-factor), or it was wrong; null for anything else.
 * Keyed on codes, never on text.
 */
export function reauthCodeProblem(caught: unknown): string | null {
  if (!(caught instanceof ApiError)) return null;
  if (caught.code === 'mfa_code_required') return 'You have two-factor on: enter the code from your authenticator app too.';
  if (caught.code === 'mfa_code_invalid') return 'That code is not right, or it was used already.';
  return null;
}

/**
 * The authenticator code beside a password re-check, shown once the server
 * says the account has two-factor (`mfa_code_required`).
 */
export function ReauthCodeField({ id, value, onChange, error }: { id: string; value: string; onChange(value: string): void; error?: string }) {
  return (
    <TextInput
      id={id}
      labelText="Code from your authenticator app"
      autoComplete="one-time-code"
      inputMode="numeric"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      invalid={error !== undefined}
      invalidText={error}
    />
  );
}
