import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE, SESSION_COOKIE_MAX_AGE_SECONDS } from '../../shared/api/auth.js';

/** The session cookie's attributes, the same on every response that sets or clears it. */
const attributes = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax' as const, path: '/', secure });

export function setSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { ...attributes(secure), maxAge: SESSION_COOKIE_MAX_AGE_SECONDS });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, attributes(secure));
}
