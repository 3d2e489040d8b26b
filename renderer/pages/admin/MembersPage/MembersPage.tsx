import { InlineLoading, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag } from '@carbon/react';
import type { Member } from '../../../../shared/api/admin.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { PageNotification } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useNow } from '../../../hooks/useNow.js';
import { paths } from '../../../router/routes.js';
import { useLinkHandler } from '../../../router/router.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
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

/** Everyone in the workspace, with how many devices each is signed in on. */
export function MembersPage() {
  useDocumentTitle('Members');
  const { backend, sessionsVersion } = useSignedIn();
  const now = useNow(30_000);
  const members = useApiData(() => backend.api.listMembers(), sessionsVersion);

  return (
    <>
      <h1 className="tab-page__title">Members</h1>
      <SectionNav />
      <PageNotification notice={members.error ? { kind: 'error', title: 'Members could not be loaded', subtitle: members.error } : null} />
      {members.data === null && members.loading && <InlineLoading description="Loading members…" />}
      {members.data && (
        <TableContainer title="Workspace members" description="Select a member to see the devices they are signed in on.">
          <Table aria-label="Workspace members" size="md">
            <TableHead>
              <TableRow>
                <TableHeader>Name</TableHeader>
                <TableHeader>Email</TableHeader>
                <TableHeader>Role</TableHeader>
                <TableHeader>Active sessions</TableHeader>
                <TableHeader>Last seen</TableHeader>
                <TableHeader>Status</TableHeader>
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
                  <TableCell>{member.activeSessions}</TableCell>
                  <TableCell>{lastSeenText(member.lastSeenAt, now)}</TableCell>
                  <TableCell>
                    {member.disabled ? (
                      <Tag type="red" size="sm">
                        Disabled
                      </Tag>
                    ) : (
                      <Tag type="gray" size="sm">
                        Active
                      </Tag>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </>
  );
}
