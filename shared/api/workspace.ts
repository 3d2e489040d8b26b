import { Type, type Static } from '@sinclair/typebox';

/**
 * The firm's settings (admins change them; everyone signed in reads them, since
 * some decide what a time entry needs). The name and address print on
 * invoices; the workspace's time zone decides firm-wide periods (invoice
 * numbering, month ends), while each person's own zone decides their "today".
 */
export const WORKSPACE_NAME_MAX = 200;
export const WORKSPACE_ADDRESS_MAX = 1000;

export const WorkspaceSettings = Type.Object(
  {
    name: Type.String(),
    address: Type.String({ description: 'Postal address, several lines' }),
    timeZone: Type.String({ description: 'IANA time zone for firm-wide periods' }),
    requireApprovedWeeks: Type.Boolean({ description: 'Only entries of approved weeks may be billed (off by default)' }),
    descriptionRequired: Type.Boolean({ description: 'Every time entry needs a description (off by default)' }),
  },
  { $id: 'WorkspaceSettings' },
);
export type WorkspaceSettings = Static<typeof WorkspaceSettings>;

export const UpdateWorkspaceSettings = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: WORKSPACE_NAME_MAX })),
    address: Type.Optional(Type.String({ maxLength: WORKSPACE_ADDRESS_MAX })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    requireApprovedWeeks: Type.Optional(Type.Boolean()),
    descriptionRequired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWorkspaceSettings = Static<typeof UpdateWorkspaceSettings>;

export const DEFAULT_WORKSPACE_SETTINGS: Omit<WorkspaceSettings, 'name'> = {
  address: '',
  timeZone: 'UTC',
  requireApprovedWeeks: false,
  descriptionRequired: false,
};
