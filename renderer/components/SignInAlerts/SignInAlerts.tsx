import { useEffect, useState } from 'react';
import { ActionableNotification, InlineNotification } from '@carbon/react';
import type { TabApi } from '../../../shared/api/client.js';
import { ApiError } from '../../../shared/api/client.js';
import type { ServerEvent, SessionSummary } from '../../../shared/api/events.js';
import { locationText } from '../../../shared/text/location-text.js';
import type { Backend } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';
import './SignInAlerts.scss';

/** Alerts kept on screen at once; older ones give way (the card still lists every session). */
export const MAX_ALERTS = 3;

type AlertEvent = Extract<ServerEvent, { type: 'session.created' | 'session.alert' }>;

interface Alert {
  key: string;
  event: AlertEvent;
  state: 'open' | 'signing-out' | 'signed-out' | 'failed';
  error?: string;
}

export interface SignInAlertsProps {
  backend: Pick<Backend, 'subscribeEvents'> & { api: Pick<TabApi, 'revokeSession'> };
}

const labelOf = (session: SessionSummary) => session.label.trim() || session.clientKind;

/** "New sign-in: Chrome 120, Windows · Lisbon, Portugal", and what a move says. */
export function alertText(event: AlertEvent): { title: string; subtitle: string } {
  const label = labelOf(event.session);
  if (event.type === 'session.created') {
    const place = locationText(event.session.location);
    return { title: `New sign-in: ${label}${place ? ` · ${place}` : ''}`, subtitle: 'If it was you, there is nothing to do.' };
  }
  const was = event.from ? ` (was ${event.from})` : '';
  if (event.kind === 'ip_changed') return { title: `${label} is now in another country`, subtitle: `Now ${event.to ?? 'somewhere unknown'}${was}.` };
  return { title: `${label} is now used from another browser`, subtitle: `Now ${event.to ?? 'an unknown browser'}${was}.` };
}

/**
 * The web client's "new sign-in" and "unusual change" alerts: a toast per
 * event from the server (`session.created`, `session.alert`) with "Not you?
 * Sign it out", which revokes that session at once. They stay until closed:
 * a security alert that vanished on its own could go unseen.
 */
export function SignInAlerts({ backend }: SignInAlertsProps) {
  const [alerts, setAlerts] = useState<Alert[]>([]);

  useEffect(
    () =>
      backend.subscribeEvents((event) => {
        if (event.type !== 'session.created' && event.type !== 'session.alert') return;
        const key = `${event.type}:${event.type === 'session.alert' ? event.kind : ''}:${event.session.id}:${event.type === 'session.alert' ? event.to : ''}`;
        setAlerts((shown) => [{ key, event, state: 'open' as const }, ...shown.filter((a) => a.key !== key)].slice(0, MAX_ALERTS));
      }),
    [backend],
  );

  const update = (key: string, change: Partial<Alert>) => setAlerts((shown) => shown.map((a) => (a.key === key ? { ...a, ...change } : a)));
  const close = (key: string) => setAlerts((shown) => shown.filter((a) => a.key !== key));

  const signOut = async (alert: Alert) => {
    update(alert.key, { state: 'signing-out' });
    try {
      await backend.api.revokeSession(alert.event.session.id);
      update(alert.key, { state: 'signed-out' });
    } catch (error) {
      if (error instanceof ApiError && error.isSignedOut) return;
      // Already gone (signed out elsewhere, expired): what the person wanted has happened.
      if (error instanceof ApiError && error.code === 'not_found') update(alert.key, { state: 'signed-out' });
      else update(alert.key, { state: 'failed', error: callErrorMessage(error) });
    }
  };

  if (alerts.length === 0) return null;
  return (
    <div className="tab-signin-alerts" data-testid="signin-alerts">
      {alerts.map((alert) => {
        const label = labelOf(alert.event.session);
        if (alert.state === 'signed-out' || alert.state === 'failed') {
          const done = alert.state === 'signed-out';
          return (
            <InlineNotification
              key={alert.key}
              className="tab-signin-alerts__item"
              kind={done ? 'success' : 'error'}
              title={done ? `Signed out ${label}` : `Could not sign out ${label}`}
              subtitle={done ? 'Change your password if you think someone else knows it.' : alert.error}
              role={done ? 'status' : 'alert'}
              onClose={() => {
                close(alert.key);
                return false;
              }}
            />
          );
        }
        const { title, subtitle } = alertText(alert.event);
        return (
          <ActionableNotification
            key={alert.key}
            className="tab-signin-alerts__item"
            data-testid="signin-alert"
            kind={alert.event.type === 'session.created' ? 'info' : 'warning'}
            title={title}
            subtitle={subtitle}
            actionButtonLabel={alert.state === 'signing-out' ? 'Signing out…' : 'Not you? Sign it out'}
            onActionButtonClick={() => void signOut(alert)}
            onClose={() => {
              close(alert.key);
              return false;
            }}
            role="alert"
            hasFocus={false}
            lowContrast
          />
        );
      })}
    </div>
  );
}
