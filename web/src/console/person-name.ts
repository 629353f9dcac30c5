import type { PersonView } from '../shared/api-types.ts';

/**
 * A person's name as registered: given names then family name. Order and script are kept as entered,
 * since no single convention fits every culture.
 */
export function displayName(person: Pick<PersonView, 'givenNames' | 'familyName'>): string {
  return [person.givenNames, person.familyName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
}
