import { type FormEvent, useMemo, useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useT } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { ConsentChannel, ConsentStatus, ConsentView } from '../../shared/api-types.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { PARTNER_TYPES } from '../admin/codes.ts';

const CHANNELS: readonly ConsentChannel[] = ['in_person', 'phone', 'sms', 'web', 'paper', 'email'];
const STATUSES: readonly ConsentStatus[] = ['granted', 'withdrawn'];

type Props = {
  personId: string;
  /** The recorded consent, and the partner's name when it is for one partner only. */
  onRecorded: (consent: ConsentView, partner: string | null) => void;
  onCancel: () => void;
};

/**
 * The person's word on sharing their record with partners: granted or withdrawn, how it was given, and
 * whether it covers every partner under an agreement or one of them. The latest word is the one that counts.
 */
export function ConsentForm({ personId, onRecorded, onCancel }: Props) {
  const t = useT();
  const organizations = useLoad('organizations', (signal) => api.organizations(signal));
  const partners = useMemo(
    () =>
      organizations.status === 'ready'
        ? organizations.data.items.filter((org) => PARTNER_TYPES.has(org.type))
        : [],
    [organizations],
  );
  const [status, setStatus] = useState<ConsentStatus>('granted');
  const [channel, setChannel] = useState<ConsentChannel>('in_person');
  const [scope, setScope] = useState<'all' | 'one'>('all');
  const [partnerId, setPartnerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const organizationId = scope === 'one' ? partnerId : null;
      // "Every partner" is sent by leaving the partner out: the server turns an explicit null into an
      // empty id, which it then fails to store.
      const consent = await api.recordConsent(personId, {
        status,
        channel,
        ...(organizationId ? { organizationId } : {}),
      });
      onRecorded(
        consent,
        organizationId ? (partners.find((p) => p.id === organizationId)?.name ?? null) : null,
      );
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit}>
      <p className="muted">{t('consent.intro')}</p>
      <fieldset className="choice-group">
        <legend>{t('consent.status')}</legend>
        <div className="choice-group__options">
          {STATUSES.map((code) => (
            <label key={code} className="choice">
              <input
                type="radio"
                name="consent-status"
                value={code}
                checked={status === code}
                onChange={() => setStatus(code)}
              />
              {codeLabel(t, 'consentStatus', code)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="consent-channel">{t('consent.channel')}</label>
        <select
          id="consent-channel"
          value={channel}
          onChange={(e) => setChannel(e.target.value as ConsentChannel)}
        >
          {CHANNELS.map((code) => (
            <option key={code} value={code}>
              {codeLabel(t, 'consentChannel', code)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="choice-group">
        <legend>{t('consent.scope')}</legend>
        <div className="choice-group__options choice-group__options--stacked">
          <label className="choice">
            <input
              type="radio"
              name="consent-scope"
              value="all"
              checked={scope === 'all'}
              onChange={() => setScope('all')}
            />
            {t('consent.allPartners')}
          </label>
          <label className="choice">
            <input
              type="radio"
              name="consent-scope"
              value="one"
              checked={scope === 'one'}
              disabled={partners.length === 0}
              onChange={() => setScope('one')}
            />
            {t('consent.onePartner')}
          </label>
        </div>
      </fieldset>
      {scope === 'one' && (
        <div className="field">
          <label htmlFor="consent-partner">{t('consent.partner')}</label>
          <select
            id="consent-partner"
            required
            value={partnerId}
            onChange={(e) => setPartnerId(e.target.value)}
          >
            <option value="">{t('common.choose')}</option>
            {partners.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('consent.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
