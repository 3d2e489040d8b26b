import type { IssuedLink, LinkKind } from '../../shared/api/members.js';

/** A link on its way to the member it is for. */
export interface OutgoingLink {
  kind: LinkKind;
  url: string;
  expiresAt: number;
  to: { name: string; email: string };
  workspaceName: string;
}

/**
 * How an invitation or password-reset link reaches its member. TAB has no
 * e-mail server today, so the one sender shows the link once to the admin
 * who made it, who passes it on; an e-mail sender implements the same
 * interface later (and answers `'sent'`, the admin then sees no link).
 */
export interface LinkSender {
  deliver(link: OutgoingLink): Promise<IssuedLink['delivery']>;
}

export const showOnceToAdmin: LinkSender = {
  async deliver() {
    return 'shown';
  },
};
