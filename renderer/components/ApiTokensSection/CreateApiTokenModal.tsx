import { useState } from 'react';
import { Checkbox, FormGroup, InlineNotification, Modal, PasswordInput, Select, SelectItem, Stack, TextInput } from '@carbon/react';
import { API_TOKEN_NAME_MAX, API_TOKEN_SCOPES, type ApiTokenScope, type CreateApiTokenRequest, type CreatedApiToken } from '../../../shared/api/api-tokens.js';
import { ApiError } from '../../../shared/api/client.js';
import { callErrorMessage, waitTime } from '../../auth/messages.js';
import { ReauthCodeField, reauthCodeProblem } from '../ReauthCodeField/index.js';
import { SCOPE_TEXT } from '../ApiTokenList/index.js';
import { NewTokenValue } from './NewTokenValue.js';

export interface CreateApiTokenModalProps {
  open: boolean;
  create(body: CreateApiTokenRequest): Promise<CreatedApiToken>;
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
 * Making a token: a name, what it may do, how long it lives, and the
 * password (a stolen session alone cannot mint a credential that outlives
 * it). The token is then shown once, with a copy button.
 */
export function CreateApiTokenModal({ open, create, onClose, onCreated }: CreateApiTokenModalProps) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['time:read']);
  const [expiry, setExpiry] = useState<string>('90');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ name?: string; scopes?: string; password?: string; code?: string; form?: string }>({});
  /** Shown once the server says the account has two-factor. */
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const close = () => {
    setName('');
    setScopes(['time:read']);
    setExpiry('90');
    setPassword('');
    setErrors({});
    setCreated(null);
    onClose();
  };

  const toggle = (scope: ApiTokenScope, on: boolean) => setScopes((now) => (on ? [...now, scope] : now.filter((s) => s !== scope)));

  const submit = async () => {
    if (pending) return;
    const problems = {
      ...(name.trim() === '' ? { name: 'Give the token a name, e.g. the script that uses it.' } : {}),
      ...(scopes.length === 0 ? { scopes: 'Choose at least one thing the token may do.' } : {}),
      ...(password === '' ? { password: 'Enter your password to confirm.' } : {}),
    };
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setPending(true);
    try {
      const token = await create({
        name: name.trim(),
        scopes: API_TOKEN_SCOPES.filter((s) => scopes.includes(s)),
        currentPassword: password,
        ...(needsCode ? { code: code.trim() } : {}),
        ...(expiry === 'never' ? {} : { expiresInDays: Number(expiry) }),
      });
      setPassword('');
      setCode('');
      setCreated(token);
      onCreated(token);
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
      const codeProblem = reauthCodeProblem(caught);
      if (codeProblem) {
        setNeedsCode(true);
        setErrors({ code: codeProblem });
      } else if (caught instanceof ApiError && caught.code === 'reauth_failed') setErrors({ password: 'That password is not right. No token was made.' });
      else if (caught instanceof ApiError && caught.code === 'too_many_attempts')
        setErrors({ password: `Too many wrong passwords. Try again in ${waitTime(caught.retryAfterSeconds ?? 900)}.` });
      else setErrors({ form: callErrorMessage(caught) });
    } finally {
      setPending(false);
    }
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

  return (
    <Modal
      open={open}
      modalHeading="Create an API token"
      primaryButtonText={pending ? 'Creating…' : 'Create token'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={pending}
      onRequestClose={close}
      onRequestSubmit={() => void submit()}
      size="md"
    >
      <Stack gap={6}>
        {errors.form && <InlineNotification kind="error" title="The token was not made" subtitle={errors.form} lowContrast hideCloseButton />}
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
        <PasswordInput
          id="tab-token-password"
          labelText="Your password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          invalid={errors.password !== undefined}
          invalidText={errors.password}
        />
        {needsCode && <ReauthCodeField id="tab-token-code" value={code} onChange={setCode} error={errors.code} />}
      </Stack>
    </Modal>
  );
}
