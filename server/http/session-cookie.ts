import type { FastifyReply } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { SESSION_COOKIE, SESSION_COOKIE_MAX_AGE_SECONDS } from '../../shared/api/auth.js';

/** The session cookie's attributes, the same on every response that sets or clears it. */
const attributes = (secure: boolean) => ({ httpOnly: true, sameSite: 'lax' as const, path: '/', secure });

export function setSessionCookie(reply: FastifyReply, value: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { ...attributes(secure), maxAge: SESSION_COOKIE_MAX_AGE_SECONDS });
}

/** The same Set-Cookie as a header value, for a response written without the reply (an event stream). */
export function sessionCookieHeader(value: string, secure: boolean): string {
  return fastifyCookie.serialize(SESSION_COOKIE, value, { ...attributes(secure), maxAge: SESSION_COOKIE_MAX_AGE_SECONDS });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, attributes(secure));
}
