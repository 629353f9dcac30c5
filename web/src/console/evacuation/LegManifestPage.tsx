import { useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { evacuationApi, manifestCsvUrl, manifestHtmlUrl, manifestJsonUrl } from './evacuation-api.ts';
import { evacueeName, legStatusLabel, modeLabel, seatLabel } from './labels.ts';
import { useLatest } from './useLatest.ts';
import '../../shared/DataTable.css';
import './evacuation.css';

async function loadManifest(operationId: string, legId: string, signal: AbortSignal) {
  const [legs, plan, evacuees, heads] = await Promise.all([
    evacuationApi.legs(operationId, signal),
    evacuationApi.plan(operationId, signal),
    evacuationApi.evacuees(operationId, signal),
    evacuationApi.headCounts(operationId, signal),
  ]);
  const leg = legs.items.find((l) => l.id === legId) ?? null;
  const planned = plan?.legs.find((l) => l.legId === legId) ?? null;
  const byId = new Map(evacuees.items.map((e) => [e.personId, e]));
  const head = heads.items.find((h) => h.legId === legId) ?? null;
  return { leg, planned, byId, head };
}

/**
 * One leg's manifest: who travels (name, household, seat kind, document status, boarded), links to the
 * CSV, JSON and print-ready page, the boarding passes with their QR codes and sending them to each
 * person's own channel, and closing boarding and confirming arrival.
 */
export function LegManifestPage({ operationId, legId }: { operationId: string; legId: string }) {
  const { t, format } = useI18n();
  const manifest = useLoad(`evacuation-manifest:${legId}`, (signal) =>
    loadManifest(operationId, legId, signal),
  );
  const [showPasses, setShowPasses] = useState(false);
  const passes = useLoad(showPasses ? `evacuation-passes:${legId}` : null, (signal) =>
    evacuationApi.boardingPasses(legId, signal),
  );
  // Kept as figures, not text, so the notice follows a change of language.
  const [notice, setNotice] = useState<
    | { kind: 'closed'; boarded: number; noShows: number }
    | { kind: 'arrived'; arrived: number; cases: number }
    | { kind: 'passes'; sent: number; alreadySent: number; unreachable: number; alreadyBoarded: number }
    | null
  >(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const data = useLatest(manifest);
  useDocumentTitle(
    data?.leg ? t('evac.manifest.title', { destination: data.leg.destination }) : t('evac.manifest.heading'),
  );

  if (manifest.status === 'failed')
    return <ProblemMessage problem={manifest.problem} onRetry={manifest.reload} />;
  if (manifest.status !== 'ready') return <p className="muted">{t('common.loading')}</p>;
  const { leg, planned, byId, head } = manifest.data;
  if (!leg) return <p className="empty-state">{t('evac.manifest.noLeg')}</p>;
  const assignments = planned?.assignments ?? [];
  // Households sit together on the manifest, as they travel together.
  const rows = [...assignments].sort(
    (a, b) =>
      a.groupId.localeCompare(b.groupId) ||
      evacueeName(byId.get(a.personId)).localeCompare(evacueeName(byId.get(b.personId))),
  );
  const groupNumber = new Map<string, number>();
  for (const row of rows)
    if (!groupNumber.has(row.groupId)) groupNumber.set(row.groupId, groupNumber.size + 1);

  const act = async (action: 'close' | 'arrive' | 'send') => {
    const question =
      action === 'close'
        ? t('evac.manifest.closeConfirm')
        : action === 'arrive'
          ? t('evac.manifest.arriveConfirm')
          : t('evac.passes.sendConfirm');
    if (!window.confirm(question)) return;
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      if (action === 'send') {
        const result = await evacuationApi.sendBoardingPasses(leg.id);
        setNotice({ kind: 'passes', ...result.counts });
      } else if (action === 'close') {
        const result = await evacuationApi.closeBoarding(leg.id);
        setNotice({ kind: 'closed', boarded: result.boarded, noShows: result.noShows });
      } else {
        const result = await evacuationApi.confirmArrival(leg.id);
        setNotice({ kind: 'arrived', arrived: result.arrived, cases: result.returnCasesOpened });
      }
      manifest.reload();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="evac-back">
        <Link to={`/evacuation/${operationId}`}>{t('evac.manifest.back')}</Link>
      </p>
      <div className="page-heading page-heading--with-action">
        <div>
          <h1 dir="auto">{t('evac.manifest.title', { destination: leg.destination })}</h1>
          <p>
            {modeLabel(t, leg.mode)} · {format.dateTime(leg.departsAt)} · {legStatusLabel(t, leg.status)}
          </p>
        </div>
        <div className="evac-manifest__links">
          <a className="button" href={manifestCsvUrl(leg.id)} download>
            {t('evac.manifest.csv')}
          </a>
          <a className="button" href={manifestHtmlUrl(leg.id)} target="_blank" rel="noopener">
            {t('evac.manifest.print')}
          </a>
          <a className="button" href={manifestJsonUrl(leg.id)} download>
            {t('evac.manifest.json')}
          </a>
          <a className="button" href="/scan">
            {t('evac.scanner.open')}
          </a>
        </div>
      </div>
      <p className="evac-leg__heads" role="status">
        {t('evac.legs.heads', {
          boarded: head?.boarded ?? 0,
          assigned: head?.assigned ?? assignments.length,
        })}
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice.kind === 'closed'
            ? t('evac.manifest.closed', { boarded: notice.boarded, noShows: notice.noShows })
            : notice.kind === 'arrived'
              ? t('evac.manifest.arrived', { arrived: notice.arrived, cases: notice.cases })
              : t('evac.passes.sent', {
                  sent: notice.sent,
                  alreadySent: notice.alreadySent,
                  unreachable: notice.unreachable,
                  alreadyBoarded: notice.alreadyBoarded,
                })}
        </p>
      )}
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        {leg.status === 'scheduled' && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => act('close')}
          >
            {t('evac.manifest.close')}
          </button>
        )}
        {leg.status === 'boarding_closed' && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => act('arrive')}
          >
            {t('evac.manifest.arrive')}
          </button>
        )}
      </div>

      {rows.length === 0 ? (
        <p className="empty-state">{t('evac.manifest.empty')}</p>
      ) : (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('evac.manifest.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('evac.col.name')}</th>
                <th scope="col">{t('evac.col.group')}</th>
                <th scope="col">{t('evac.col.seat')}</th>
                <th scope="col">{t('evac.col.document')}</th>
                <th scope="col">{t('evac.col.boarded')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const person = byId.get(row.personId);
                return (
                  <tr key={row.personId}>
                    <td data-label={t('evac.col.name')} dir="auto">
                      {evacueeName(person) || t('common.withheld')}
                    </td>
                    <td data-label={t('evac.col.group')}>
                      {person?.householdId
                        ? t('evac.manifest.household', { number: groupNumber.get(row.groupId) ?? 0 })
                        : t('evac.col.alone')}
                    </td>
                    <td data-label={t('evac.col.seat')}>{seatLabel(t, row.seat)}</td>
                    <td data-label={t('evac.col.document')}>
                      {person ? codeLabel(t, 'documentStatus', person.documentStatus) : t('common.empty')}
                    </td>
                    <td data-label={t('evac.col.boarded')}>
                      {row.boarded ? (
                        <span className="evac-tick">
                          <span aria-hidden="true">✓</span>
                          <span className="visually-hidden">{t('evac.manifest.boardedYes')}</span>
                        </span>
                      ) : (
                        <span className="muted">
                          <span aria-hidden="true">—</span>
                          <span className="visually-hidden">{t('evac.manifest.boardedNo')}</span>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <section className="card evac-passes" aria-labelledby="evac-passes-title">
        <h2 id="evac-passes-title">{t('evac.passes.title')}</h2>
        {leg.status === 'scheduled' && rows.length > 0 && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => act('send')}
          >
            {t('evac.passes.send')}
          </button>
        )}
        {!showPasses ? (
          <button
            type="button"
            className="button"
            onClick={() => setShowPasses(true)}
            disabled={rows.length === 0}
          >
            {t('evac.passes.show')}
          </button>
        ) : passes.status === 'failed' ? (
          <ProblemMessage problem={passes.problem} onRetry={passes.reload} />
        ) : passes.status !== 'ready' ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <ul className="evac-passes__list">
            {passes.data.items.map((pass) => (
              <li key={pass.personId} className="evac-pass">
                <img
                  src={pass.qrCodeDataUrl}
                  alt={t('evac.passes.qr', { name: evacueeName(pass) })}
                  width={140}
                  height={140}
                />
                <div>
                  <strong dir="auto">{evacueeName(pass)}</strong>
                  <p className="muted">
                    {seatLabel(t, pass.seat)} · <span dir="auto">{pass.assemblyPointName}</span>
                  </p>
                  <p className="muted">{t('evac.passes.expires', { at: format.dateTime(pass.expiresAt) })}</p>
                  <code className="evac-pass__token" dir="ltr">
                    {pass.token}
                  </code>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
