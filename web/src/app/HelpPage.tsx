import { type FormEvent, useState } from 'react';
import type { MigrantKey } from './i18n/en.ts';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { HELP_TYPES, type HelpType, type MeProblem, meApi, toMeProblem } from './me-api.ts';
import { Loading, ProblemNote } from './Status.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';
import { useMeLoad } from './useMeLoad.ts';

const STATUSES = ['new', 'acknowledged', 'in_progress', 'referred', 'closed'] as const;
const statusKey = (status: string): MigrantKey | undefined =>
  (STATUSES as readonly string[]).includes(status) ? (`helpStatus.${status}` as MigrantKey) : undefined;
const typeKey = (type: string): MigrantKey | undefined =>
  (HELP_TYPES as readonly string[]).includes(type) ? (`helpType.${type}` as MigrantKey) : undefined;

/** Asking for help (what is needed, in the person's words) and the requests made so far. */
export function HelpPage() {
  const { t, dateTime } = useMigrantI18n();
  useDocumentTitle(t('help.title'));
  const requests = useMeLoad('help-requests', (signal) => meApi.helpRequests(signal));
  const [type, setType] = useState<HelpType>('medical');
  const [text, setText] = useState('');
  const [state, setState] = useState<
    { step: 'idle' | 'sending' | 'sent' } | { step: 'failed'; problem: MeProblem }
  >({
    step: 'idle',
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ step: 'sending' });
    try {
      await meApi.askForHelp({ type, isSos: false, text: text.trim() || null });
      setText('');
      setState({ step: 'sent' });
      requests.reload();
    } catch (error) {
      setState({ step: 'failed', problem: toMeProblem(error) });
    }
  };

  return (
    <>
      <h1>{t('help.title')}</h1>
      <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="ask-help-title">
        <h2 id="ask-help-title">{t('help.ask')}</h2>
        <label className="field">
          <span className="field__label">{t('help.type')}</span>
          <select name="type" value={type} onChange={(event) => setType(event.target.value as HelpType)}>
            {HELP_TYPES.map((code) => (
              <option key={code} value={code}>
                {t(`helpType.${code}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">{t('help.text')}</span>
          <textarea
            name="text"
            value={text}
            maxLength={2000}
            rows={3}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <button type="submit" className="button button--primary" disabled={state.step === 'sending'}>
          {state.step === 'sending' ? t('common.sending') : t('help.submit')}
        </button>
        {state.step === 'sent' && (
          <p className="note note--done" role="status">
            {t('help.sent')}
          </p>
        )}
        {state.step === 'failed' && <ProblemNote problem={state.problem} />}
      </form>
      {requests.status === 'loading' && <Loading />}
      {requests.status === 'failed' && <ProblemNote problem={requests.problem} onRetry={requests.reload} />}
      {requests.status === 'ready' &&
        (requests.data.items.length === 0 ? (
          <p className="card empty">{t('help.empty')}</p>
        ) : (
          <ul className="list">
            {requests.data.items.map((request) => {
              const typeLabel = typeKey(request.type);
              const statusLabel = statusKey(request.status);
              return (
                <li
                  key={request.id}
                  className="card request"
                  data-request-id={request.id}
                  data-status={request.status}
                >
                  <h2 className="request__type">
                    {request.isSos && <span className="badge badge--sos">{t('help.sos')}</span>}{' '}
                    {typeLabel ? t(typeLabel) : request.type}
                  </h2>
                  <p className="request__status">{statusLabel ? t(statusLabel) : request.status}</p>
                  <p className="request__meta">
                    {request.closedAt
                      ? t('help.closed', { date: dateTime(request.closedAt) })
                      : t('help.asked', { date: dateTime(request.createdAt) })}
                  </p>
                </li>
              );
            })}
          </ul>
        ))}
    </>
  );
}
