import { optionalMessage, type Translate } from '../../i18n/dictionary.ts';

// Codes from the evacuation API in words. A code this version does not know is shown as it is.

/** An operation's status (planning, active, closed). */
export const operationStatusLabel = (t: Translate, code: string) =>
  optionalMessage(t, `evac.opStatus.${code}`) ?? code;

/** A leg's status (scheduled, cancelled, boarding closed, arrived). */
export const legStatusLabel = (t: Translate, code: string) =>
  optionalMessage(t, `evac.legStatus.${code}`) ?? code;

/** A transport mode (bus, flight, ship, train). */
export const modeLabel = (t: Translate, code: string) => optionalMessage(t, `evac.mode.${code}`) ?? code;

/** Why someone has no seat, in a sentence. */
export const reasonLabel = (t: Translate, code: string) => optionalMessage(t, `evac.reason.${code}`) ?? code;

/** A seat kind (regular or medical). */
export const seatLabel = (t: Translate, code: string) => optionalMessage(t, `evac.seat.${code}`) ?? code;

/** An assistance cost kind (fare, exit fee, penalty, cash assistance). */
export const costKindLabel = (t: Translate, code: string) =>
  optionalMessage(t, `evac.costKind.${code}`) ?? code;

/** Whether a cost was paid or waived. */
export const costStatusLabel = (t: Translate, code: string) =>
  optionalMessage(t, `evac.costStatus.${code}`) ?? code;

/** The name an evacuee is listed under on the board and the manifest, as registered. */
export function evacueeName(evacuee: { givenNames: string; familyName: string | null } | undefined): string {
  if (!evacuee) return '';
  return [evacuee.givenNames, evacuee.familyName].filter(Boolean).join(' ');
}

/** A priority tier's label: the default tiers' codes in words, an operation's own labels as written. */
export const tierLabel = (t: Translate, label: string) => optionalMessage(t, `evac.tier.${label}`) ?? label;
