import type { AgreementStatus } from '../console/agreements/agreement-status.ts';
import type {
  AgreementCategory,
  ConsentChannel,
  ConsentStatus,
  DocumentStatus,
  OrganizationType,
  Role,
  Sex,
  Vulnerability,
} from '../shared/api-types.ts';

/** A message whose wording depends on a number, with one form per CLDR plural category. */
export type PluralMessage = { readonly other: string } & { readonly [R in Intl.LDMLPluralRule]?: string };
export type Message = string | PluralMessage;

/**
 * Codes from the server's fixed lists that the interface labels. Each list's codes are typed from the
 * server's own definitions, so a code added there without a label here fails the typecheck.
 */
export type CodeKey =
  | `sex.${Sex}`
  | `vulnerability.${Vulnerability}`
  | `documentStatus.${DocumentStatus}`
  | `householdRole.${'head' | 'member'}`
  | `householdKind.${'household' | 'group'}`
  | `postKind.${'embassy' | 'consulate' | 'mission'}`
  | `role.${Role}`
  | `orgType.${OrganizationType}`
  | `agreementCategory.${AgreementCategory}`
  | `agreementStatus.${AgreementStatus}`
  | `consentStatus.${ConsentStatus}`
  | `consentChannel.${ConsentChannel}`
  | `ageBand.${'0-17' | '18-29' | '30-44' | '45-59' | '60+' | 'unknown'}`
  | `auditOutcome.${'allowed' | 'denied' | 'done'}`;

/** The groups of code labels, for `codeLabel`. */
export type CodeGroup = CodeKey extends `${infer G}.${string}` ? G : never;

/** Placeholder names (`{name}`) used in a message text. */
export type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters a message needs: its placeholders, and `count` for a plural message. */
export type ParamsOf<M> = M extends string
  ? Placeholders<M>
  : M extends PluralMessage
    ? 'count' | Placeholders<M[keyof M]>
    : never;
