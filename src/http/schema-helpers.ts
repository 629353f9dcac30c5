import { type TUnsafe, Type } from 'typebox';

/** A string schema limited to a fixed list, typed as the list's union (and listed as `enum` in OpenAPI). */
export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
): TUnsafe<T[number]> => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
