import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

/**
 * The browser's passkey prompts (WebAuthn through @simplewebauthn/browser).
 * A prompt the person closed, or one that timed out, is a PasskeyPromptError:
 * the page says "try again" rather than showing a server error.
 */
export class PasskeyPromptError extends Error {}

export const passkeysSupported = (): boolean => typeof window !== 'undefined' && browserSupportsWebAuthn();

const PROMPT_CLOSED = 'The passkey prompt was closed or timed out. Try again.';

// The options come from the server as SimpleWebAuthn's JSON shapes, and so do the answers.
export async function askPasskey(options: unknown): Promise<any> {
  try {
    return await startAuthentication({ optionsJSON: options as any });
  } catch (error) {
    throw new PasskeyPromptError(error instanceof Error && error.name === 'NotAllowedError' ? PROMPT_CLOSED : (error as Error).message);
  }
}

export async function makePasskey(options: unknown): Promise<any> {
  try {
    return await startRegistration({ optionsJSON: options as any });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'InvalidStateError') throw new PasskeyPromptError('This device has a TAB passkey for you already.');
    throw new PasskeyPromptError(name === 'NotAllowedError' ? PROMPT_CLOSED : (error as Error).message);
  }
}
