import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { isoToLocalInput, localInputToIso, share } from './board-model.ts';
import {
  type AssemblyPointView,
  evacuationApi,
  type HeadCount,
  type LegView,
  type PlanView,
} from './evacuation-api.ts';
import { legStatusLabel, modeLabel } from './labels.ts';

const MODES = ['bus', 'flight', 'ship', 'train'] as const;

type Props = {
  operationId: string;
  legs: readonly LegView[];
  points: readonly AssemblyPointView[];
  plan: PlanView | null;
  headCounts: readonly HeadCount[];
  onChanged: () => void;
};

function FillBar({
  used,
  available,
  label,
  kind,
}: {
  used: number;
  available: number;
  label: string;
  kind?: 'medical';
}) {
  return (
    <div className="evac-fill">
      <span className="evac-fill__label">{label}</span>
      <span className={`evac-fill__bar${kind ? ` evac-fill__bar--${kind}` : ''}`} aria-hidden="true">
        <span style={{ inlineSize: `${share(used, available) * 100}%` }} />
      </span>
    </div>
  );
}

/** Legs in departure order with their fill (regular and medical), head count, status and actions. */
export function LegsPanel({ operationId, legs, points, plan, headCounts, onChanged }: Props) {
  const { t, format } = useI18n();
  const [adding, setAdding] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const planned = new Map(plan?.legs.map((l) => [l.legId, l]) ?? []);
  const heads = new Map(headCounts.map((h) => [h.legId, h]));
  const pointName = new Map(points.map((p) => [p.id, p.name]));
  const ordered = [...legs].sort((a, b) => a.departsAt.localeCompare(b.departsAt));

  const cancel = async (leg: LegView) => {
    if (!window.confirm(t('evac.legs.cancelConfirm', { destination: leg.destination }))) return;
    setProblem(null);
    try {
      await evacuationApi.cancelLeg(leg.id);
      onChanged();
    } catch (error) {
      setProblem(toProblem(error));
    }
  };

  return (
    <section className="card" aria-labelledby="evac-legs-title">
      <h2 id="evac-legs-title">{t('evac.legs.title')}</h2>
      {ordered.length === 0 && <p className="muted">{t('evac.legs.none')}</p>}
      <ul className="evac-legs">
        {ordered.map((leg) => {
          const fill = planned.get(leg.id);
          const head = heads.get(leg.id);
          const regularSeats = leg.seats - leg.medicalSeats;
          const regularUsed = fill?.regularUsed ?? 0;
          const medicalUsed = fill?.medicalUsed ?? 0;
          const assigned = regularUsed + medicalUsed;
          return (
            <li
              key={leg.id}
              className={`evac-leg evac-leg--${leg.status}`}
              aria-label={t('evac.legs.itemLabel', { destination: leg.destination })}
            >
              <div className="evac-leg__head">
                <span className="badge badge--info">{modeLabel(t, leg.mode)}</span>{' '}
                <strong dir="auto">{leg.destination}</strong>
                <span className="evac-leg__status">{legStatusLabel(t, leg.status)}</span>
              </div>
              <p className="muted evac-leg__when">
                {t('evac.legs.departs', {
                  at: format.dateTime(leg.departsAt),
                  from:
                    (leg.originAssemblyPointId && pointName.get(leg.originAssemblyPointId)) ||
                    t('evac.legs.hub'),
                })}
              </p>
              <FillBar
                used={assigned}
                available={leg.seats}
                label={t('evac.legs.fill', { assigned, seats: leg.seats })}
              />
              {leg.medicalSeats > 0 && (
                <FillBar
                  used={medicalUsed}
                  available={leg.medicalSeats}
                  kind="medical"
                  label={t('evac.legs.medicalFill', {
                    used: medicalUsed,
                    seats: leg.medicalSeats,
                    regular: regularSeats,
                  })}
                />
              )}
              <p className="evac-leg__heads" data-leg-heads={leg.id}>
                {t('evac.legs.heads', { boarded: head?.boarded ?? 0, assigned: head?.assigned ?? assigned })}
              </p>
              <div className="evac-leg__actions">
                <Link className="button button--small" to={`/evacuation/${operationId}/legs/${leg.id}`}>
                  {t('evac.legs.manifest')}
                </Link>
                {leg.status === 'scheduled' && (head?.boarded ?? 0) === 0 && (
                  <button
                    type="button"
                    className="button button--small button--danger-quiet"
                    onClick={() => cancel(leg)}
                  >
                    {t('evac.legs.cancel')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {problem && <ProblemMessage problem={problem} />}
      {adding ? (
        <AddLegForm
          operationId={operationId}
          points={points}
          onDone={(added) => {
            setAdding(false);
            if (added) onChanged();
          }}
        />
      ) : (
        <button
          type="button"
          className="button"
          onClick={() => setAdding(true)}
          disabled={points.length === 0}
        >
          {t('evac.legs.add')}
        </button>
      )}
    </section>
  );
}

function AddLegForm({
  operationId,
  points,
  onDone,
}: {
  operationId: string;
  points: readonly AssemblyPointView[];
  onDone: (added: boolean) => void;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<(typeof MODES)[number]>('bus');
  const [origin, setOrigin] = useState(points[0]?.id ?? '');
  const [destination, setDestination] = useState('');
  const [departsAt, setDepartsAt] = useState(isoToLocalInput(new Date(Date.now() + 24 * 3_600_000)));
  const [seats, setSeats] = useState('50');
  const [medicalSeats, setMedicalSeats] = useState('0');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await evacuationApi.addLeg(operationId, {
        mode,
        originAssemblyPointId: origin,
        destination: destination.trim(),
        departsAt: localInputToIso(departsAt) ?? '',
        seats: Number(seats),
        medicalSeats: Number(medicalSeats),
      });
      onDone(true);
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="evac-form evac-form--inset" onSubmit={submit} aria-label={t('evac.legs.add')}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="leg-mode">{t('evac.legs.mode')}</label>
          <select
            id="leg-mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as (typeof MODES)[number])}
          >
            {MODES.map((m) => (
              <option key={m} value={m}>
                {modeLabel(t, m)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="leg-origin">{t('evac.legs.origin')}</label>
          <select id="leg-origin" required value={origin} onChange={(e) => setOrigin(e.target.value)}>
            {points.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="leg-destination">{t('evac.legs.destination')}</label>
          <input
            id="leg-destination"
            required
            maxLength={200}
            value={destination}
            onChange={(e) => setDestination(e.target.value)}
            dir="auto"
          />
        </div>
        <div className="field">
          <label htmlFor="leg-departs">{t('evac.legs.departure')}</label>
          <input
            id="leg-departs"
            required
            type="datetime-local"
            value={departsAt}
            onChange={(e) => setDepartsAt(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="leg-seats">{t('evac.legs.seats')}</label>
          <input
            id="leg-seats"
            required
            type="number"
            min={0}
            value={seats}
            onChange={(e) => setSeats(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="leg-medical">{t('evac.legs.medicalSeats')}</label>
          <input
            id="leg-medical"
            required
            type="number"
            min={0}
            value={medicalSeats}
            onChange={(e) => setMedicalSeats(e.target.value)}
          />
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('evac.legs.submit')}
        </button>
        <button type="button" className="button" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
