import { codeLabel, optionalMessage, type Translate } from '../../i18n/dictionary.ts';

/** The label of a code of one of the help-request lists; an unknown code shows as it is. */
const label = (t: Translate, group: string, code: string) =>
  optionalMessage(t, `cases.${group}.${code}`) ?? code;

export const typeLabel = (t: Translate, type: string) => label(t, 'type', type);
export const priorityLabel = (t: Translate, priority: string) => label(t, 'priority', priority);
export const statusLabel = (t: Translate, status: string) => label(t, 'status', status);
export const outcomeLabel = (t: Translate, outcome: string) => label(t, 'outcome', outcome);
export const channelLabel = (t: Translate, channel: string) => label(t, 'channel', channel);

/** CSS class of a priority's badge: the most urgent stand out. */
export function priorityBadge(priority: string): string {
  switch (priority) {
    case 'critical':
      return 'badge badge--danger';
    case 'high':
      return 'badge badge--warn';
    case 'medium':
      return 'badge badge--info';
    default:
      return 'badge';
  }
}

/** CSS class of a status's badge. */
export function statusBadge(status: string): string {
  switch (status) {
    case 'new':
      return 'badge badge--warn';
    case 'closed':
      return 'badge badge--ok';
    case 'referred':
      return 'badge badge--info';
    default:
      return 'badge';
  }
}

/**
 * Why a request got its priority, in the officer's language: each triage reason code
 * (`sos`, `type.<type>`, `vulnerability.<code>`, `alert_level.<n>`, `waiting`) as a sentence.
 */
export function reasonLabel(t: Translate, code: string): string {
  if (code === 'sos') return t('cases.reason.sos');
  if (code === 'waiting') return t('cases.reason.waiting');
  if (code === 'vulnerability.withheld') return t('cases.reason.withheld');
  const [group, value = ''] = code.split(/\.(.*)/s);
  switch (group) {
    case 'type':
      return t('cases.reason.type', { type: typeLabel(t, value) });
    case 'vulnerability':
      return t('cases.reason.vulnerability', { vulnerability: codeLabel(t, 'vulnerability', value) });
    case 'alert_level':
      return t('cases.reason.alertLevel', { level: value });
    default:
      return code;
  }
}
