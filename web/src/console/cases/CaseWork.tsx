import { useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { outcomeLabel, statusLabel } from './case-labels.ts';
import { casesApi, type HelpRequestDetail } from './cases-api.ts';

/** The fixed outcomes a request closes with, as the server lists them. */
const OUTCOMES = [
  'assisted',
  'referred_assisted',
  'evacuated',
  'no_longer_needed',
  'unreachable',
  'duplicate',
  'not_genuine',
] as const;

type Props = {
  detail: HelpRequestDetail;
  busy: boolean;
  act: (work: () => Promise<HelpRequestDetail>) => Promise<boolean>;
};

/** The steps that move a request on: assign, status, refer, close. Only those the viewer may take. */
export function CaseWork({ detail, busy, act }: Props) {
  const { t } = useI18n();
  const { session } = useSession();
  const me = session.status === 'active' ? session.me : null;
  const { actions } = detail;
  const direct = me !== null && can(me.role, 'cases.direct');
  const assignees = useLoad(
    actions.canAssign ? `case-assignees:${detail.id}:${detail.updatedAt}` : null,
    (signal) => casesApi.assignees(detail.id, signal),
  );
  const partners = useLoad(
    actions.canRefer && direct ? `case-partners:${detail.id}:${detail.updatedAt}` : null,
    (signal) => casesApi.partners(detail.id, signal),
  );
  const [assignee, setAssignee] = useState('');
  const [partner, setPartner] = useState('');
  const [outcome, setOutcome] = useState('');
  if (!actions.canAssign && !actions.canRefer && !actions.canClose && actions.statuses.length === 0)
    return null;

  return (
    <section className="card case-card case-work" aria-labelledby="case-work-title">
      <h2 id="case-work-title">{t('cases.work.title')}</h2>

      {actions.canAssign && (
        <div className="case-work__row">
          <h3>{t('cases.assign.title')}</h3>
          {me && detail.assignedTo?.id !== me.userId && (
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => act(() => casesApi.assign(detail.id, me.userId))}
            >
              {t('cases.assign.me')}
            </button>
          )}
          <form
            className="case-work__inline"
            aria-label={t('cases.assign.title')}
            onSubmit={(e) => {
              e.preventDefault();
              if (assignee) void act(() => casesApi.assign(detail.id, assignee));
            }}
          >
            <div className="field">
              <label htmlFor="case-assignee">{t('cases.assign.officer')}</label>
              <select id="case-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                <option value="">{t('common.choose')}</option>
                {assignees.status === 'ready' &&
                  assignees.data.items.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.email}
                    </option>
                  ))}
              </select>
            </div>
            <button type="submit" className="button" disabled={busy || !assignee}>
              {t('cases.assign.submit')}
            </button>
          </form>
        </div>
      )}

      {actions.statuses.length > 0 && (
        <div className="case-work__row">
          <h3>{t('cases.statusStep.title')}</h3>
          <div className="form-actions">
            {actions.statuses.map((s) => (
              <button
                key={s}
                type="button"
                className="button"
                disabled={busy}
                onClick={() => act(() => casesApi.setStatus(detail.id, s))}
              >
                {t('cases.statusStep.set', { status: statusLabel(t, s) })}
              </button>
            ))}
          </div>
        </div>
      )}

      {actions.canRefer && direct && (
        <div className="case-work__row">
          <h3>{t('cases.refer.title')}</h3>
          {partners.status === 'ready' && partners.data.items.length === 0 && (
            <p className="muted">{t('cases.refer.none')}</p>
          )}
          <form
            className="case-work__inline"
            aria-label={t('cases.refer.title')}
            onSubmit={(e) => {
              e.preventDefault();
              if (partner) void act(() => casesApi.refer(detail.id, partner));
            }}
          >
            <div className="field">
              <label htmlFor="case-partner">{t('cases.refer.partner')}</label>
              <select id="case-partner" value={partner} onChange={(e) => setPartner(e.target.value)}>
                <option value="">{t('common.choose')}</option>
                {partners.status === 'ready' &&
                  partners.data.items.map((p) => (
                    <option key={p.id} value={p.id} disabled={!p.eligible}>
                      {p.refusal
                        ? t('cases.refer.refused', {
                            partner: p.name,
                            reason:
                              p.refusal === 'no_consent'
                                ? t('cases.refer.noConsent')
                                : t('cases.refer.noAgreement'),
                          })
                        : p.name}
                    </option>
                  ))}
              </select>
              <p className="field__hint">{t('cases.refer.hint')}</p>
            </div>
            <button type="submit" className="button" disabled={busy || !partner}>
              {t('cases.refer.submit')}
            </button>
          </form>
        </div>
      )}

      {actions.canClose && (
        <div className="case-work__row">
          <h3>{t('cases.close.title')}</h3>
          <form
            className="case-work__inline"
            aria-label={t('cases.close.title')}
            onSubmit={(e) => {
              e.preventDefault();
              if (outcome) void act(() => casesApi.close(detail.id, outcome));
            }}
          >
            <div className="field">
              <label htmlFor="case-outcome">{t('cases.close.outcome')}</label>
              <select id="case-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                <option value="">{t('common.choose')}</option>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {outcomeLabel(t, o)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button--danger" disabled={busy || !outcome}>
              {t('cases.close.submit')}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
