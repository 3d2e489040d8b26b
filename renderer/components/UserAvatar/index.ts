export { UserAvatar, initialsOf } from './UserAvatar.js';
