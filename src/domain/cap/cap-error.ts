export type CapErrorCode =
  /** The document declares a DTD or entities; refused before any parsing. */
  | 'cap.dtd_forbidden'
  | 'cap.too_large'
  | 'cap.malformed'
  | 'cap.bad_namespace'
  | 'cap.missing_field'
  | 'cap.bad_date'
  | 'cap.invalid_value'
  | 'cap.bad_area'
  /** Haven sends one info block per language; two blocks share one. */
  | 'cap.duplicate_language';

/** A CAP document or model that Haven refuses, with a stable code and the field concerned. */
export class CapError extends Error {
  override readonly name = 'CapError';
  readonly code: CapErrorCode;
  /** Path of the offending field, e.g. "info[1].area[0].polygon[2]", when there is one. */
  readonly field: string | undefined;

  constructor(code: CapErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
