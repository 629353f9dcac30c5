export type LevelsErrorCode =
  | 'levels.bad_scheme_id'
  | 'levels.missing_scheme_name'
  | 'levels.empty'
  | 'levels.bad_number'
  | 'levels.duplicate_number'
  | 'levels.not_contiguous'
  | 'levels.bad_colour'
  | 'levels.missing_text'
  | 'levels.bad_language'
  | 'levels.bad_checklist_item'
  | 'levels.duplicate_checklist_id'
  | 'levels.level_outside_scheme'
  | 'levels.bad_declaration';

/** One problem found in a scheme, with the path of the offending field (e.g. "levels[2].colour"). */
export type SchemeIssue = {
  readonly code: LevelsErrorCode;
  readonly message: string;
  readonly path: string;
};

/** An alert-level scheme or declaration that Haven refuses, with a stable code. */
export class LevelsError extends Error {
  override readonly name = 'LevelsError';
  readonly code: LevelsErrorCode;
  /** Every problem found, when the error comes from checking a whole scheme. */
  readonly issues: readonly SchemeIssue[];

  constructor(code: LevelsErrorCode, message: string, issues: readonly SchemeIssue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}
