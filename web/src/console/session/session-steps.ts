import type { MeView } from '../../shared/api-types.ts';

/** What the signed-in account still has to do before the console opens. */
export type SessionStep = 'password' | 'totp' | 'ready';

/** A one-time password is replaced first, then the second factor is passed, then the console opens. */
export function stepOf(me: Pick<MeView, 'mustChangePassword' | 'mfaRequired' | 'mfaPassed'>): SessionStep {
  if (me.mustChangePassword) return 'password';
  if (me.mfaRequired && !me.mfaPassed) return 'totp';
  return 'ready';
}

/** Groups a base32 key in fours, the way authenticator apps print it, so it can be typed by hand. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
