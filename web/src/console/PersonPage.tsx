import { type ReactNode, useState } from 'react';
import { codeLabel } from '../i18n/dictionary.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { api } from '../shared/api.ts';
import type { PersonView } from '../shared/api-types.ts';
import { ProblemMessage } from '../shared/ProblemMessage.tsx';
import { Link } from '../shared/router.tsx';
import { useDocumentTitle } from '../shared/useDocumentTitle.ts';
import { useLoad } from '../shared/useLoad.ts';
import { mayNeedEmergencyAccess } from './permissions.ts';
import { EmergencyAccessPanel } from './person/EmergencyAccessPanel.tsx';
import { PersonActions } from './person/PersonActions.tsx';
import { displayName } from './person-name.ts';
import { useSession } from './session/SessionProvider.tsx';
import './PersonPage.css';

/** One person's record, opened from the results or a link. */
export function PersonPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const record = useLoad(`person:${id}`, (signal) => api.person(id, signal));
  // Known only right after this viewer opened an emergency override here.
  const [emergencyUntil, setEmergencyUntil] = useState<string | null>(null);
  // An id that is not even well formed (400) is as absent as one that was erased (404).
  const missing =
    record.status === 'failed' && (record.problem.status === 404 || record.problem.status === 400);
  useDocumentTitle(
    record.status === 'ready'
      ? displayName(record.data) || t('person.unnamed')
      : missing
        ? t('person.notFound.title')
        : t('persons.title'),
  );
  return (
    <>
      <p className="person-page__back">
        <Link to="/" className="back-link">
          <span className="back-link__arrow" aria-hidden="true">
            ←
          </span>
          {t('person.back')}
        </Link>
      </p>
      {record.status === 'loading' && (
        <p className="status-line" role="status">
          {t('person.loading')}
        </p>
      )}
      {missing && (
        <div className="empty-state card">
          <h1>{t('person.notFound.title')}</h1>
          <p>{t('person.notFound.body')}</p>
        </div>
      )}
      {record.status === 'failed' && record.problem.status === 404 && mayNeedEmergencyAccess(role) && (
        <EmergencyAccessPanel
          personId={id}
          onOpened={(expiresAt) => {
            setEmergencyUntil(expiresAt);
            record.reload();
          }}
        />
      )}
      {record.status === 'failed' && !missing && (
        <ProblemMessage problem={record.problem} onRetry={record.reload} />
      )}
      {record.status === 'ready' && (
        <PersonRecord person={record.data} role={role} emergencyUntil={emergencyUntil} />
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card person-section" aria-labelledby={`section-${id}`}>
      <h2 id={`section-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * Renders a field: absent (undefined) means the viewer's role may not see it, null means nobody recorded
 * it. The two are told apart, so an officer never takes a withheld field for an empty one.
 */
function useFieldRenderer() {
  const { t } = useI18n();
  const withheld = <span className="muted">{t('common.withheld')}</span>;
  const notRecorded = <span className="muted">{t('common.notRecorded')}</span>;
  return {
    withheld,
    notRecorded,
    field: <T,>(value: T | null | undefined, render: (v: T) => ReactNode): ReactNode =>
      value === undefined ? withheld : value === null || value === '' ? notRecorded : render(value),
  };
}

type PersonRecordProps = { person: PersonView; role: string; emergencyUntil: string | null };

function PersonRecord({ person, role, emergencyUntil }: PersonRecordProps) {
  const { t, format } = useI18n();
  const name = displayName(person) || t('person.unnamed');
  const { field, withheld, notRecorded } = useFieldRenderer();
  const { location } = person;
  const born = person.birthDate
    ? format.date(person.birthDate)
    : typeof person.birthYear === 'number'
      ? t('field.birthYearOnly', { year: String(person.birthYear) })
      : person.birthDate === undefined && person.birthYear === undefined
        ? undefined
        : null;
  const summary = [
    person.sex ? codeLabel(t, 'sex', person.sex) : null,
    born,
    location?.country ? format.region(location.country) : null,
  ].filter(Boolean);
  return (
    <article className="person-record">
      <header className="person-record__header">
        {/* The name keeps its own direction, the heading the page's: an Arabic name on an English page
            reads right to left, yet stays aligned with the rest. */}
        <h1>
          <span dir="auto">{name}</span>
        </h1>
        {summary.length > 0 && <p className="person-record__summary">{summary.join(' · ')}</p>}
        {person.emergencyAccess && (
          <p className="person-record__emergency" role="note">
            <strong>{t('person.emergencyBanner')}</strong> {t('person.emergencyAccess')}
            {emergencyUntil && <> {t('person.emergencyUntil', { time: format.dateTime(emergencyUntil) })}</>}
          </p>
        )}
      </header>

      {!person.emergencyAccess && <PersonActions person={person} role={role} displayName={name} />}

      <div className="person-record__sections">
        <Section id="identity" title={t('section.identity')}>
          <dl className="facts">
            <Fact label={t('field.givenNames')}>
              <span dir="auto">{person.givenNames}</span>
            </Fact>
            <Fact label={t('field.familyName')}>
              {field(person.familyName, (v) => (
                <span dir="auto">{v}</span>
              ))}
            </Fact>
            <Fact label={t('field.sex')}>{field(person.sex, (v) => codeLabel(t, 'sex', v))}</Fact>
            <Fact label={t('field.birth')}>{field(born, (v) => v)}</Fact>
            <Fact label={t('field.nationality')}>{field(person.nationality, format.region)}</Fact>
            <Fact label={t('field.languages')}>
              {field(person.languages, (tags) =>
                tags.length > 0 ? (
                  <ol className="inline-list">
                    {tags.map((tag) => (
                      <li key={tag}>{format.language(tag)}</li>
                    ))}
                  </ol>
                ) : (
                  notRecorded
                ),
              )}
            </Fact>
          </dl>
        </Section>

        <Section id="contacts" title={t('section.contacts')}>
          <dl className="facts">
            <Fact label={t('field.phones')}>
              {field(person.phones, (phones) => (
                <ContactList contacts={phones} scheme="tel" empty={notRecorded} />
              ))}
            </Fact>
            <Fact label={t('field.emails')}>
              {field(person.emails, (emails) => (
                <ContactList contacts={emails} scheme="mailto" empty={notRecorded} />
              ))}
            </Fact>
          </dl>
        </Section>

        <Section id="location" title={t('section.location')}>
          {location === undefined ? (
            <p>{withheld}</p>
          ) : (
            <dl className="facts">
              <Fact label={t('field.country')}>{field(location.country, format.region)}</Fact>
              <Fact label={t('field.address')}>
                {field(location.address, (v) => (
                  <span dir="auto">{v}</span>
                ))}
              </Fact>
              <Fact label={t('field.coordinates')}>
                {location.lat !== null && location.lon !== null ? (
                  <span dir="ltr" className="mono">
                    {location.lat.toFixed(5)}, {location.lon.toFixed(5)}
                  </span>
                ) : (
                  notRecorded
                )}
              </Fact>
              <Fact label={t('field.h3Cell')}>
                {field(location.h3Cell, (v) => (
                  <code dir="ltr">{v}</code>
                ))}
              </Fact>
            </dl>
          )}
        </Section>

        <Section id="household" title={t('section.household')}>
          <dl className="facts">
            {person.householdId ? (
              <HouseholdFacts id={person.householdId} role={person.householdRole ?? null} />
            ) : (
              <Fact label={t('field.household')}>{field(person.householdId, () => null)}</Fact>
            )}
            <Fact label={t('field.employer')}>
              {field(person.employerId, (id) => (
                <EmployerName id={id} />
              ))}
            </Fact>
          </dl>
        </Section>

        <Section id="vulnerabilities" title={t('section.vulnerabilities')}>
          {person.vulnerabilities === undefined ? (
            <p>{withheld}</p>
          ) : person.vulnerabilities.length > 0 ? (
            <ul className="tag-list">
              {person.vulnerabilities.map((code) => (
                <li key={code} className="badge badge--warn">
                  {codeLabel(t, 'vulnerability', code)}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('vulnerabilities.none')}</p>
          )}
        </Section>

        <Section id="documents" title={t('section.documents')}>
          <dl className="facts">
            <Fact label={t('field.documentStatus')}>
              {field(person.documentStatus, (v) => codeLabel(t, 'documentStatus', v))}
            </Fact>
          </dl>
        </Section>

        <Section id="record" title={t('section.record')}>
          <dl className="facts">
            <Fact label={t('field.id')}>
              <code dir="ltr">{person.id}</code>
            </Fact>
            <Fact label={t('field.externalRef')}>
              {field(person.externalRef, (v) => (
                <code dir="auto">{v}</code>
              ))}
            </Fact>
            <Fact label={t('field.createdAt')}>{format.dateTime(person.createdAt)}</Fact>
            <Fact label={t('field.updatedAt')}>{format.dateTime(person.updatedAt)}</Fact>
          </dl>
        </Section>
      </div>
    </article>
  );
}

type ContactListProps = {
  contacts: NonNullable<PersonView['phones']>;
  scheme: 'tel' | 'mailto';
  empty: ReactNode;
};

function ContactList({ contacts, scheme, empty }: ContactListProps) {
  const { t } = useI18n();
  if (contacts.length === 0) return <>{empty}</>;
  return (
    <ul className="contact-list">
      {contacts.map((contact) => (
        <li key={contact.value}>
          <a href={`${scheme}:${contact.value}`} dir="ltr">
            {contact.value}
          </a>
          <span className={contact.verified ? 'badge badge--ok' : 'badge'}>
            {contact.verified ? t('contact.verified') : t('contact.unverified')}
          </span>
          <span className={contact.consent ? 'badge badge--ok' : 'badge badge--warn'}>
            {contact.consent ? t('contact.consent') : t('contact.noConsent')}
          </span>
        </li>
      ))}
    </ul>
  );
}

function HouseholdFacts({ id, role }: { id: string; role: string | null }) {
  const { t } = useI18n();
  const household = useLoad(`household:${id}`, (signal) => api.household(id, signal));
  return (
    <>
      <Fact label={t('field.household')}>
        {household.status === 'ready' ? (
          <>
            <span dir="auto">{household.data.label}</span>{' '}
            <span className="badge">{codeLabel(t, 'householdKind', household.data.kind)}</span>
          </>
        ) : household.status === 'failed' ? (
          <code dir="ltr">{id}</code>
        ) : (
          <span className="muted">{t('common.loading')}</span>
        )}
      </Fact>
      <Fact label={t('field.householdRole')}>{codeLabel(t, 'householdRole', role ?? 'member')}</Fact>
      {household.status === 'ready' && (
        <Fact label={t('field.householdMembers')}>
          {t('household.members', { count: household.data.memberCount })}
        </Fact>
      )}
    </>
  );
}

function EmployerName({ id }: { id: string }) {
  const { t } = useI18n();
  const employer = useLoad(`organization:${id}`, (signal) => api.organization(id, signal));
  if (employer.status === 'ready') return <span dir="auto">{employer.data.name}</span>;
  if (employer.status === 'failed') return <code dir="ltr">{id}</code>;
  return <span className="muted">{t('common.loading')}</span>;
}
