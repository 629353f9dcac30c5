import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { isoToLocalInput, localInputToIso } from './board-model.ts';
import { type AssemblyPointView, evacuationApi, type PlanView } from './evacuation-api.ts';

type Props = {
  operationId: string;
  points: readonly AssemblyPointView[];
  plan: PlanView | null;
  onChanged: () => void;
};

/** Assembly points with capacity, opening times and access, and a form to add one. */
export function PointsPanel({ operationId, points, plan, onChanged }: Props) {
  const { t, format } = useI18n();
  const [adding, setAdding] = useState(false);
  const peopleAt = new Map(plan?.assemblyPoints.map((p) => [p.assemblyPointId, p.people]) ?? []);
  return (
    <>
      <h3>{t('evac.points.title')}</h3>
      {points.length === 0 ? (
        <p className="muted">{t('evac.points.none')}</p>
      ) : (
        <ul className="evac-points">
          {points.map((point) => (
            <li key={point.id}>
              <strong dir="auto">{point.name}</strong>{' '}
              {point.accessible && <span className="badge badge--ok">{t('evac.points.accessible')}</span>}
              <br />
              <span className="muted">
                {t('evac.points.line', {
                  people: peopleAt.get(point.id) ?? 0,
                  capacity: point.capacity,
                  opens: format.dateTime(point.opensAt),
                  closes: format.dateTime(point.closesAt),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {adding ? (
        <AddPointForm
          operationId={operationId}
          onDone={(added) => {
            setAdding(false);
            if (added) onChanged();
          }}
        />
      ) : (
        <button type="button" className="button" onClick={() => setAdding(true)}>
          {t('evac.points.add')}
        </button>
      )}
    </>
  );
}

function AddPointForm({ operationId, onDone }: { operationId: string; onDone: (added: boolean) => void }) {
  const { t } = useI18n();
  const now = new Date();
  const [name, setName] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [capacity, setCapacity] = useState('200');
  const [opensAt, setOpensAt] = useState(isoToLocalInput(now));
  const [closesAt, setClosesAt] = useState(isoToLocalInput(new Date(now.getTime() + 7 * 86_400_000)));
  const [accessible, setAccessible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await evacuationApi.addAssemblyPoint(operationId, {
        name: name.trim(),
        lat: Number(lat),
        lon: Number(lon),
        capacity: Number(capacity),
        opensAt: localInputToIso(opensAt) ?? '',
        closesAt: localInputToIso(closesAt) ?? '',
        accessible,
      });
      onDone(true);
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="evac-form evac-form--inset" onSubmit={submit} aria-label={t('evac.points.add')}>
      <div className="form-grid">
        <div className="field form-grid__wide">
          <label htmlFor="point-name">{t('evac.points.name')}</label>
          <input
            id="point-name"
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            dir="auto"
          />
        </div>
        <div className="field">
          <label htmlFor="point-lat">{t('evac.points.lat')}</label>
          <input
            id="point-lat"
            required
            type="number"
            step="any"
            min={-90}
            max={90}
            value={lat}
            onChange={(e) => setLat(e.target.value)}
            dir="ltr"
          />
        </div>
        <div className="field">
          <label htmlFor="point-lon">{t('evac.points.lon')}</label>
          <input
            id="point-lon"
            required
            type="number"
            step="any"
            min={-180}
            max={180}
            value={lon}
            onChange={(e) => setLon(e.target.value)}
            dir="ltr"
          />
        </div>
        <div className="field">
          <label htmlFor="point-capacity">{t('evac.points.capacity')}</label>
          <input
            id="point-capacity"
            required
            type="number"
            min={0}
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="point-opens">{t('evac.points.opens')}</label>
          <input
            id="point-opens"
            required
            type="datetime-local"
            value={opensAt}
            onChange={(e) => setOpensAt(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="point-closes">{t('evac.points.closes')}</label>
          <input
            id="point-closes"
            required
            type="datetime-local"
            value={closesAt}
            onChange={(e) => setClosesAt(e.target.value)}
          />
        </div>
        <label className="choice form-grid__wide">
          <input type="checkbox" checked={accessible} onChange={(e) => setAccessible(e.target.checked)} />
          {t('evac.points.accessibleLong')}
        </label>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('evac.points.submit')}
        </button>
        <button type="button" className="button" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
