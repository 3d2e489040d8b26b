export { Checkbox, PasswordInput, TextInput, errorDescription } from './Fields.js';
