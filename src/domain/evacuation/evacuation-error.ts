/** Codes of input the planner refuses. Stable: the HTTP edge maps them to problem details. */
export type EvacuationErrorCode =
  | 'evacuation.person_in_two_groups'
  | 'evacuation.duplicate_evacuee'
  | 'evacuation.duplicate_group'
  | 'evacuation.duplicate_assembly_point'
  | 'evacuation.duplicate_hub'
  | 'evacuation.duplicate_leg'
  | 'evacuation.unknown_group'
  | 'evacuation.unknown_leg_origin'
  | 'evacuation.unknown_leg'
  | 'evacuation.unknown_assembly_point'
  | 'evacuation.duplicate_assignment'
  | 'evacuation.unknown_assignment_reference'
  | 'evacuation.invalid_coordinates'
  | 'evacuation.invalid_time'
  | 'evacuation.invalid_opening_hours'
  | 'evacuation.invalid_capacity'
  | 'evacuation.invalid_seats'
  | 'evacuation.invalid_options'
  | 'evacuation.invalid_tier_scheme'
  | 'evacuation.boarded_exceed_capacity'
  | 'evacuation.boarded_leg_cancelled';

/**
 * Input the planner cannot plan with. The message never carries personal data; `subjectId` names the
 * record at fault (an opaque id) so that an officer can find it.
 */
export class EvacuationInputError extends Error {
  readonly code: EvacuationErrorCode;
  readonly subjectId: string | undefined;

  constructor(code: EvacuationErrorCode, message: string, subjectId?: string) {
    super(message);
    this.name = 'EvacuationInputError';
    this.code = code;
    this.subjectId = subjectId;
  }
}
