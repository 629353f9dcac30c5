import { useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { ConsentView, PersonView } from '../../shared/api-types.ts';
import { Dialog } from '../../shared/Dialog.tsx';
import { setFlash } from '../../shared/flash.ts';
import { navigate } from '../../shared/router.tsx';
import { usePersonSearch } from '../PersonSearchProvider.tsx';
import { can } from '../permissions.ts';
import { ConsentForm } from './ConsentForm.tsx';
import { EraseForm } from './EraseForm.tsx';
import './person-actions.css';

type Props = { person: PersonView; role: string; displayName: string };

/**
 * What the viewer may do to this record beyond reading it: record the person's consent to share with
 * partners, or erase them. Each action shows only to roles that may take it.
 */
export function PersonActions({ person, role, displayName }: Props) {
  const { t, format } = useI18n();
  const { forget } = usePersonSearch();
  const [open, setOpen] = useState<'consent' | 'erase' | null>(null);
  const [recorded, setRecorded] = useState<{ consent: ConsentView; partner: string | null } | null>(null);
  const mayConsent = can(role, 'consents.write');
  const mayErase = can(role, 'persons.erase');
  if (!mayConsent && !mayErase) return null;

  return (
    <section className="person-actions" aria-label={t('personActions.label')}>
      <div className="person-actions__bar">
        {mayConsent && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setRecorded(null);
              setOpen('consent');
            }}
          >
            {t('consent.open')}
          </button>
        )}
        {mayErase && (
          <button type="button" className="button button--danger-quiet" onClick={() => setOpen('erase')}>
            {t('erase.open')}
          </button>
        )}
      </div>
      {recorded && (
        <div className="notice" role="status">
          <p>
            {t('consent.recorded', {
              status: codeLabel(t, 'consentStatus', recorded.consent.status),
              channel: codeLabel(t, 'consentChannel', recorded.consent.channel),
              scope: recorded.partner ?? t('consent.allPartners'),
              time: format.dateTime(recorded.consent.recordedAt),
            })}
          </p>
        </div>
      )}

      <Dialog title={t('consent.title')} open={open === 'consent'} onClose={() => setOpen(null)}>
        <ConsentForm
          personId={person.id}
          onCancel={() => setOpen(null)}
          onRecorded={(consent, partner) => {
            setRecorded({ consent, partner });
            setOpen(null);
          }}
        />
      </Dialog>
      <Dialog title={t('erase.title')} tone="danger" open={open === 'erase'} onClose={() => setOpen(null)}>
        <EraseForm
          personId={person.id}
          displayName={displayName}
          onCancel={() => setOpen(null)}
          onErased={() => {
            forget(person.id);
            setFlash('erase.done');
            navigate('/');
          }}
        />
      </Dialog>
    </section>
  );
}
