import { type FormEvent, useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { PersonView } from '../../shared/api-types.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { displayName } from '../person-name.ts';
import {
  type EvacueesAdded,
  type EvacueesFromRequests,
  type EvacueeView,
  evacuationApi,
  type OperationView,
} from './evacuation-api.ts';
import { evacueeName, reasonLabel } from './labels.ts';

type Props = { operation: OperationView; evacuees: readonly EvacueeView[]; onChanged: () => void };

/** Why someone who asked to be evacuated was not added, in the order they are listed. */
const SKIP_REASONS = [
  'already_in_operation',
  'in_other_operation',
  'outside_operation_area',
  'location_unknown',
] as const;

/**
 * The evacuees, and adding people: those who asked to be evacuated (help requests and "I need help"
 * answers), or people found by a registry search in the operation's country. The server adds each
 * person's household with them, since households travel together.
 */
export function EvacueesPanel({ operation, evacuees, onChanged }: Props) {
  const { t, format } = useI18n();
  const [name, setName] = useState('');
  const [found, setFound] = useState<PersonView[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [added, setAdded] = useState<EvacueesAdded | null>(null);
  const [fromRequests, setFromRequests] = useState<EvacueesFromRequests | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const already = new Set(evacuees.map((e) => e.personId));

  const addFromRequests = async (skipPersonsInOtherOperations: boolean) => {
    setBusy(true);
    setProblem(null);
    setAdded(null);
    setFromRequests(null);
    try {
      setFromRequests(await evacuationApi.addFromRequests(operation.id, skipPersonsInOtherOperations));
      onChanged();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setAdded(null);
    setFromRequests(null);
    try {
      const page = await api.searchPersons({
        name: name.trim() || undefined,
        country: operation.country,
        limit: 50,
      });
      setFound(page.items);
      setChosen(new Set());
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const add = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setAdded(await evacuationApi.addEvacuees(operation.id, [...chosen]));
      setChosen(new Set());
      setFound(null);
      onChanged();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="evac-evacuees-title">
      <h2 id="evac-evacuees-title">{t('evac.evacuees.title', { count: evacuees.length })}</h2>
      <div className="evac-requests">
        <button type="button" className="button" onClick={() => addFromRequests(false)} disabled={busy}>
          {t('evac.evacuees.fromRequests')}
        </button>
        <p className="field__hint">{t('evac.evacuees.fromRequestsHint')}</p>
      </div>
      <form className="evac-search" onSubmit={search} aria-label={t('evac.evacuees.search')}>
        <div className="field">
          <label htmlFor="evac-person-name">{t('evac.evacuees.nameLabel')}</label>
          <input id="evac-person-name" value={name} onChange={(e) => setName(e.target.value)} dir="auto" />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t('evac.evacuees.searchButton')}
        </button>
      </form>
      {problem && <ProblemMessage problem={problem} />}
      {problem?.code === 'evacuation.person_in_other_operation' && (
        <button type="button" className="button" onClick={() => addFromRequests(true)} disabled={busy}>
          {t('evac.evacuees.skipOthers')}
        </button>
      )}
      {fromRequests && (
        <div className="notice" role="status">
          <p>
            {t('evac.evacuees.fromRequestsAdded', {
              added: fromRequests.added,
              household: fromRequests.householdMembersAdded,
              skipped: fromRequests.skipped.length,
            })}
          </p>
          {fromRequests.skipped.length > 0 && (
            <ul className="evac-skipped">
              {SKIP_REASONS.filter((reason) => fromRequests.skippedByReason[reason]).map((reason) => (
                <li key={reason}>
                  {t(`evac.evacuees.skipped.${reason}`, { count: fromRequests.skippedByReason[reason] ?? 0 })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {added && (
        <p className="notice" role="status">
          {t('evac.evacuees.added', {
            added: added.added,
            household: added.householdMembersAdded,
            already: added.alreadyInOperation,
          })}
        </p>
      )}
      {found && (
        <div className="evac-found">
          {found.length === 0 ? (
            <p className="muted">{t('evac.evacuees.noMatch')}</p>
          ) : (
            <ul className="evac-found__list">
              {found.map((person) => (
                <li key={person.id}>
                  <label className="choice">
                    <input
                      type="checkbox"
                      checked={chosen.has(person.id) || already.has(person.id)}
                      disabled={already.has(person.id)}
                      onChange={() => toggle(person.id)}
                    />
                    <span dir="auto">{displayName(person)}</span>
                    {person.householdId && <span className="badge">{t('evac.evacuees.inHousehold')}</span>}
                    {already.has(person.id) && (
                      <span className="badge badge--ok">{t('evac.evacuees.already')}</span>
                    )}
                  </label>
                </li>
              ))}
            </ul>
          )}
          <button
            type="button"
            className="button button--primary"
            onClick={add}
            disabled={busy || chosen.size === 0}
          >
            {t('evac.evacuees.add', { count: chosen.size })}
          </button>
          <p className="field__hint">{t('evac.evacuees.householdHint')}</p>
        </div>
      )}
      {evacuees.length > 0 && (
        <details className="evac-details">
          <summary>{t('evac.evacuees.show')}</summary>
          <div className="data-table">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('evac.col.name')}</th>
                  <th scope="col">{t('evac.col.group')}</th>
                  <th scope="col">{t('evac.col.document')}</th>
                  <th scope="col">{t('evac.col.placement')}</th>
                </tr>
              </thead>
              <tbody>
                {evacuees.map((e) => (
                  <tr key={e.personId}>
                    <td data-label={t('evac.col.name')} dir="auto">
                      {evacueeName(e)}
                    </td>
                    <td data-label={t('evac.col.group')}>
                      {e.householdId ? codeLabel(t, 'householdKind', e.groupKind) : t('evac.col.alone')}
                    </td>
                    <td data-label={t('evac.col.document')}>
                      {codeLabel(t, 'documentStatus', e.documentStatus)}
                      {e.needsEmergencyTravelDocument &&
                        ` · ${e.etdReadyAt ? t('evac.etd.ready', { at: format.dateTime(e.etdReadyAt) }) : t('evac.etd.pending')}`}
                    </td>
                    <td data-label={t('evac.col.placement')}>
                      {e.boarded
                        ? t('evac.placement.boarded')
                        : e.placement?.legId
                          ? t('evac.placement.seated')
                          : e.placement?.reason
                            ? reasonLabel(t, e.placement.reason)
                            : t('evac.placement.notPlanned')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}
