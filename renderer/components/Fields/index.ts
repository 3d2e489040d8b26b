export { PasswordInput, TextInput, errorDescription } from './Fields.js';
