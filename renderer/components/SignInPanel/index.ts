export { SignInPanel } from './SignInPanel.js';
