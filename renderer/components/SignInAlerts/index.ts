export { SignInAlerts, alertText, MAX_ALERTS } from './SignInAlerts.js';
