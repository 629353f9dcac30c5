import { useState } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import './SecretReveal.css';

type Props = {
  /** What the secret is ("One-time password", "API token"). */
  label: string;
  secret: string;
  /** Why it is shown once and how to hand it over. */
  note: string;
};

/**
 * A secret the server shows once (a one-time password, an API token), with a copy button. It lives
 * only in this component's props: closing the panel forgets it.
 */
export function SecretReveal({ label, secret, note }: Props) {
  const t = useT();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <div className="secret-reveal">
      <p className="secret-reveal__label">{label}</p>
      <div className="secret-reveal__row">
        <code className="secret-reveal__value" dir="ltr">
          {secret}
        </code>
        <button type="button" className="button" onClick={() => void copySecret()}>
          {copy === 'copied' ? t('secret.copied') : t('secret.copy')}
        </button>
      </div>
      <p className="secret-reveal__status" role="status">
        {copy === 'failed' ? t('secret.copyFailed') : ''}
      </p>
      <p className="secret-reveal__note">{note}</p>
    </div>
  );
}
