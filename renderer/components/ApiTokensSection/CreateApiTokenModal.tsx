import { useState } from 'react';
import { FormGroup, Modal, Select, SelectItem, Stack } from '@carbon/react';
import { Checkbox } from '../Fields/index.js';
import { TextInput } from '../Fields/index.js';
import { API_TOKEN_NAME_MAX, API_TOKEN_SCOPES, type ApiTokenScope, type CreateApiTokenRequest, type CreatedApiToken } from '../../../shared/api/api-tokens.js';
import { ReauthDialog, type ReauthDialogApi } from '../ReauthDialog/index.js';
import { SCOPE_TEXT } from '../ApiTokenList/index.js';
import { NewTokenValue } from './NewTokenValue.js';

export interface CreateApiTokenModalProps {
  open: boolean;
  create(body: CreateApiTokenRequest): Promise<CreatedApiToken>;
  /** The shared re-check's calls. */
  api: ReauthDialogApi;
  allowSso: boolean;
  onClose(): void;
  /** A token was made (the list can reload); the modal stays open to show it once. */
  onCreated(token: CreatedApiToken): void;
}

/** Choices of lifetime; a token that never expires is allowed but not the default. */
const EXPIRY_CHOICES = [
  { value: '30', text: '30 days' },
  { value: '90', text: '90 days' },
  { value: '365', text: '1 year' },
  { value: 'never', text: 'Never' },
] as const;

/**
 * Making a token: a name, what it may do, how long it lives, then the shared
 * re-check (password and code, a passkey, or single sign-on: a stolen session
 * alone cannot mint a credential that outlives it). The token is then shown
 * once, with a copy button.
 */
export function CreateApiTokenModal({ open, create, api, allowSso, onClose, onCreated }: CreateApiTokenModalProps) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['time:read']);
  const [expiry, setExpiry] = useState<string>('90');
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  /** The form is filled in: the re-check is asked next, the form kept behind it. */
  const [confirming, setConfirming] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const close = () => {
    setName('');
    setScopes(['time:read']);
    setExpiry('90');
    setErrors({});
    setConfirming(false);
    setCreated(null);
    onClose();
  };

  const toggle = (scope: ApiTokenScope, on: boolean) => setScopes((now) => (on ? [...now, scope] : now.filter((s) => s !== scope)));

  const next = () => {
    const problems = {
      ...(name.trim() === '' ? { name: 'Give the token a name, e.g. the script that uses it.' } : {}),
      ...(scopes.length === 0 ? { scopes: 'Choose at least one thing the token may do.' } : {}),
    };
    setErrors(problems);
    if (Object.keys(problems).length === 0) setConfirming(true);
  };

  const make = async (grant: string) => {
    const token = await create({
      name: name.trim(),
      scopes: API_TOKEN_SCOPES.filter((s) => scopes.includes(s)),
      reauthGrant: grant,
      ...(expiry === 'never' ? {} : { expiresInDays: Number(expiry) }),
    });
    setConfirming(false);
    setCreated(token);
    onCreated(token);
  };

  if (created) {
    return (
      <Modal open={open} modalHeading="Your new API token" passiveModal onRequestClose={close} size="sm">
        <Stack gap={5}>
          <p>
            Copy <strong>{created.name}</strong> now: TAB keeps only a fingerprint of it and will never show it again.
          </p>
          <NewTokenValue value={created.token} />
          <p className="tab-muted">Use it as a Bearer token: Authorization: Bearer {created.token.slice(0, 12)}…</p>
        </Stack>
      </Modal>
    );
  }

  if (confirming) {
    return (
      <ReauthDialog open={open} api={api} allowSso={allowSso} heading="Create an API token" confirmText="Create token" onConfirmed={make} onClose={() => setConfirming(false)}>
        <p>
          Confirm it is you to create <strong>{name.trim()}</strong>: a token works as you until it expires or is revoked.
        </p>
      </ReauthDialog>
    );
  }

  return (
    <Modal
      open={open}
      modalHeading="Create an API token"
      primaryButtonText="Continue"
      secondaryButtonText="Cancel"
      onRequestClose={close}
      onRequestSubmit={next}
      size="md"
    >
      <Stack gap={6}>
        <TextInput
          id="tab-token-name"
          labelText="Name"
          helperText="What uses it, so that you recognise it later."
          maxLength={API_TOKEN_NAME_MAX}
          value={name}
          onChange={(e) => setName(e.target.value)}
          invalid={errors.name !== undefined}
          invalidText={errors.name}
          data-modal-primary-focus
        />
        <FormGroup legendText="It may" invalid={errors.scopes !== undefined} message={errors.scopes !== undefined} messageText={errors.scopes}>
          {API_TOKEN_SCOPES.map((scope) => (
            <Checkbox
              key={scope}
              id={`tab-token-scope-${scope.replace(':', '-')}`}
              labelText={`${SCOPE_TEXT[scope].name}: ${SCOPE_TEXT[scope].description}`}
              checked={scopes.includes(scope)}
              onChange={(_event, { checked }) => toggle(scope, checked)}
            />
          ))}
        </FormGroup>
        <Select id="tab-token-expiry" labelText="Expires after" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRY_CHOICES.map((c) => (
            <SelectItem key={c.value} value={c.value} text={c.text} />
          ))}
        </Select>
      </Stack>
    </Modal>
  );
}
