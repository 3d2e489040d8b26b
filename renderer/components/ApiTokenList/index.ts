export { ApiTokenList, type ApiTokenListProps } from './ApiTokenList.js';
export { SCOPE_TEXT } from './scope-names.js';
