import { optionalMessage, type Translate } from '../../i18n/dictionary.ts';

/** The label of a CAP code (category, urgency, response type...); an unknown code shows as it is. */
export function capLabel(t: Translate, code: string): string {
  return optionalMessage(t, `alerts.cap.${code}`) ?? code;
}

/** The label of an alert's lifecycle state. */
export function stateLabel(t: Translate, state: string): string {
  return optionalMessage(t, `alerts.state.${state}`) ?? state;
}

/** CSS class of a lifecycle state's badge. */
export function stateBadge(state: string): string {
  switch (state) {
    case 'issued':
      return 'badge badge--ok';
    case 'submitted':
    case 'approved':
      return 'badge badge--info';
    case 'cancelled':
      return 'badge badge--danger';
    default:
      return 'badge';
  }
}
