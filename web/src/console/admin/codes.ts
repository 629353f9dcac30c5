import type * as registry from '../../../../src/domain/registry/person.ts';
import type { OrganizationType } from '../../shared/api-types.ts';

// The server's fixed lists the administration forms offer. Each is written out from a record keyed by
// the server's own type, so a code added there and missing here fails the typecheck.
const organizationTypes: Record<OrganizationType, true> = {
  origin_state: true,
  host_state: true,
  international_org: true,
  ngo: true,
  employer: true,
  transport: true,
};
export const ORGANIZATION_TYPE_CODES = Object.keys(organizationTypes) as OrganizationType[];

/** Organisation types a data-sharing agreement may be made with. */
export const PARTNER_TYPES: ReadonlySet<string> = new Set<OrganizationType>(['international_org', 'ngo']);

type PostKind = (typeof registry.POST_KINDS)[number];
const postKinds: Record<PostKind, true> = { embassy: true, consulate: true, mission: true };
export const POST_KIND_CODES = Object.keys(postKinds) as PostKind[];
