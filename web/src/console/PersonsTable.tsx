import { codeLabel } from '../i18n/dictionary.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { PersonView } from '../shared/api-types.ts';
import { Link } from '../shared/router.tsx';
import { displayName } from './person-name.ts';
import './PersonsTable.css';

type Props = { persons: PersonView[]; busy: boolean };

/** Search results; on narrow screens each row becomes a card whose cells carry their own labels. */
export function PersonsTable({ persons, busy }: Props) {
  const { t, format } = useI18n();
  const columns = {
    name: t('column.name'),
    sex: t('column.sex'),
    country: t('column.country'),
    languages: t('column.languages'),
    vulnerabilities: t('column.vulnerabilities'),
    household: t('column.household'),
  };
  const empty = t('common.empty');
  return (
    <div className="persons-table" aria-busy={busy}>
      <table>
        <caption className="visually-hidden">{t('results.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{columns.name}</th>
            <th scope="col">{columns.sex}</th>
            <th scope="col">{columns.country}</th>
            <th scope="col">{columns.languages}</th>
            <th scope="col" className="persons-table__number">
              {columns.vulnerabilities}
            </th>
            <th scope="col">{columns.household}</th>
          </tr>
        </thead>
        <tbody>
          {persons.map((person) => {
            const name = displayName(person) || t('person.unnamed');
            const vulnerabilities = (person.vulnerabilities ?? []).map((v) =>
              codeLabel(t, 'vulnerability', v),
            );
            return (
              <tr key={person.id}>
                <th scope="row" className="persons-table__name" data-label={columns.name}>
                  <Link to={`/persons/${person.id}`} dir="auto">
                    {name}
                  </Link>
                </th>
                <td data-label={columns.sex}>{person.sex ? codeLabel(t, 'sex', person.sex) : empty}</td>
                <td data-label={columns.country}>
                  {person.location?.country ? format.region(person.location.country) : empty}
                </td>
                <td data-label={columns.languages}>
                  {person.languages?.length ? format.list(person.languages.map(format.language)) : empty}
                </td>
                <td data-label={columns.vulnerabilities} className="persons-table__number">
                  {person.vulnerabilities === undefined ? (
                    empty
                  ) : vulnerabilities.length > 0 ? (
                    <span className="badge badge--warn" title={format.list(vulnerabilities)}>
                      {format.number(vulnerabilities.length)}
                      <span className="visually-hidden">
                        {' '}
                        ({t('results.vulnerabilityList', { list: format.list(vulnerabilities) })})
                      </span>
                    </span>
                  ) : (
                    format.number(0)
                  )}
                </td>
                <td data-label={columns.household}>
                  {person.householdId
                    ? codeLabel(t, 'householdRole', person.householdRole ?? 'member')
                    : empty}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
