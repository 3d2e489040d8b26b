import { useState } from 'react';
import { Button, InlineLoading, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, TableToolbar, TableToolbarContent } from '@carbon/react';
import { UserFollow } from '@carbon/icons-react';
import type { Member } from '../../../../shared/api/admin.js';
import type { InvitedMember } from '../../../../shared/api/members.js';
import { isAdmin, useSignedIn } from '../../../auth/auth-context.js';
import { IssuedLinkModal } from '../../../components/IssuedLinkModal/index.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useNow } from '../../../hooks/useNow.js';
import { paths } from '../../../router/routes.js';
import { useLinkHandler } from '../../../router/router.js';
import { InviteMemberModal } from '../InviteMemberModal/index.js';
import { MemberStatusTag } from '../MemberStatusTag/index.js';
import { ROLE_NAMES, lastSeenText } from '../format.js';

function MemberLink({ member }: { member: Member }) {
  const to = paths.member(member.id);
  const onClick = useLinkHandler(to);
  return (
    <a href={to} onClick={onClick} className="cds--link">
      {member.name}
    </a>
  );
}

/** Team › Members: everyone in the firm, with their role, status and devices; admins invite from here. */
export function MembersPage() {
  useDocumentTitle('Members');
  const { backend, user, sessionsVersion } = useSignedIn();
  const now = useNow(30_000);
  const [version, setVersion] = useState(0);
  const members = useApiData(() => backend.api.listMembers(), `${sessionsVersion}:${version}`);
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<InvitedMember | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const admin = isAdmin(user);

  return (
    <>
      <h1 className="tab-page__title">Members</h1>
      <SectionNav />
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={members.error ? { kind: 'error', title: 'Members could not be loaded', subtitle: members.error } : null} />
      {members.data === null && members.loading && <InlineLoading description="Loading members…" />}
      {members.data && (
        <TableContainer title="Workspace members" description="Select a member to see the devices they are signed in on.">
          {admin && (
            <TableToolbar aria-label="Members">
              <TableToolbarContent>
                <Button kind="primary" renderIcon={UserFollow} onClick={() => setInviting(true)}>
                  Invite member
                </Button>
              </TableToolbarContent>
            </TableToolbar>
          )}
          <Table aria-label="Workspace members" size="md">
            <TableHead>
              <TableRow>
                <TableHeader>Name</TableHeader>
                <TableHeader>Email</TableHeader>
                <TableHeader>Role</TableHeader>
                <TableHeader>Status</TableHeader>
                <TableHeader>Active sessions</TableHeader>
                <TableHeader>Last seen</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {members.data.members.map((member) => (
                <TableRow key={member.id} data-testid="member-row" data-member-email={member.email}>
                  <TableCell>
                    <MemberLink member={member} />
                  </TableCell>
                  <TableCell>{member.email}</TableCell>
                  <TableCell>{ROLE_NAMES[member.role]}</TableCell>
                  <TableCell>
                    <MemberStatusTag member={member} />
                  </TableCell>
                  <TableCell>{member.activeSessions}</TableCell>
                  <TableCell>{member.status === 'invited' ? '—' : lastSeenText(member.lastSeenAt, now)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {inviting && (
        <InviteMemberModal
          invite={(body) => backend.api.inviteMember(body)}
          onClose={() => setInviting(false)}
          onInvited={(result) => {
            setInviting(false);
            setInvited(result);
            setNotice({ kind: 'success', title: `${result.member.name} is invited`, subtitle: 'They can sign in once they have set a password with the link.' });
            setVersion((v) => v + 1);
          }}
        />
      )}
      {invited && <IssuedLinkModal link={invited.link} name={invited.member.name} onClose={() => setInvited(null)} />}
    </>
  );
}
