export { ActiveSessionsCard, otherSessionsMessage, tokensStillWorkMessage, SESSIONS_RENDERED_MARK, type ActiveSessionsCardProps } from './ActiveSessionsCard.js';
