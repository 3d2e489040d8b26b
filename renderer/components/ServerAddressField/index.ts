export { ServerAddressField, type ServerAddressFieldProps } from './ServerAddressField.js';
