export { ActiveSessionsCard, otherSessionsMessage, SESSIONS_RENDERED_MARK, type ActiveSessionsCardProps } from './ActiveSessionsCard.js';
