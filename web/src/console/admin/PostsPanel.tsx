import { type FormEvent, useMemo, useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { OrganizationView, PostView } from '../../shared/api-types.ts';
import { CountryListField } from '../../shared/CountryListField.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useCountryOptions } from '../../shared/useCountries.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { POST_KIND_CODES } from './codes.ts';
import '../../shared/DataTable.css';

/** Posts (embassies, consulates, missions) and the countries each covers. */
export function PostsPanel() {
  const { t, format } = useI18n();
  const posts = useLoad('posts', (signal) => api.posts(signal));
  // Posts belong to the origin state's ministry; only those organisations are offered.
  const ministries = useLoad('organizations:origin_state', (signal) =>
    api.organizations(signal, 'origin_state'),
  );
  const [creating, setCreating] = useState(false);
  const [added, setAdded] = useState<PostView | null>(null);
  const orgName = useMemo(() => {
    const names = new Map(
      ministries.status === 'ready' ? ministries.data.items.map((o) => [o.id, o.name]) : [],
    );
    return (id: string) => names.get(id) ?? id;
  }, [ministries]);

  return (
    <section aria-labelledby="posts-heading">
      <div className="panel-heading">
        <h2 id="posts-heading">{t('admin.tab.posts')}</h2>
        {!creating && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setAdded(null);
              setCreating(true);
            }}
          >
            {t('postAdmin.new')}
          </button>
        )}
      </div>
      {added && (
        <div className="notice" role="status">
          <p>{t('postAdmin.created', { name: added.name })}</p>
        </div>
      )}
      {creating && (
        <PostForm
          ministries={ministries.status === 'ready' ? ministries.data.items : []}
          onCancel={() => setCreating(false)}
          onCreated={(post) => {
            setCreating(false);
            setAdded(post);
            posts.reload();
          }}
        />
      )}
      {posts.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {posts.status === 'failed' && <ProblemMessage problem={posts.problem} onRetry={posts.reload} />}
      {posts.status === 'ready' && posts.data.items.length === 0 && (
        <p className="empty-state card">{t('postAdmin.empty')}</p>
      )}
      {posts.status === 'ready' && posts.data.items.length > 0 && (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('admin.tab.posts')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('postAdmin.name')}</th>
                <th scope="col">{t('postAdmin.kind')}</th>
                <th scope="col">{t('postAdmin.location')}</th>
                <th scope="col">{t('postAdmin.jurisdiction')}</th>
                <th scope="col">{t('postAdmin.organization')}</th>
              </tr>
            </thead>
            <tbody>
              {posts.data.items.map((post) => (
                <tr key={post.id}>
                  <th scope="row" data-label={t('postAdmin.name')}>
                    <span dir="auto">{post.name}</span>
                  </th>
                  <td data-label={t('postAdmin.kind')}>
                    <span>{codeLabel(t, 'postKind', post.kind)}</span>
                  </td>
                  <td data-label={t('postAdmin.location')}>
                    <span>
                      {post.city
                        ? t('postAdmin.cityCountry', {
                            // Isolated, so that a city in another script keeps its own direction.
                            city: `\u2068${post.city}\u2069`,
                            country: format.region(post.country),
                          })
                        : format.region(post.country)}
                    </span>
                  </td>
                  <td data-label={t('postAdmin.jurisdiction')}>
                    <span>{format.list(post.jurisdiction.map(format.region))}</span>
                  </td>
                  <td data-label={t('postAdmin.organization')}>
                    <span dir="auto">{orgName(post.organizationId)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type FormProps = {
  ministries: OrganizationView[];
  onCreated: (post: PostView) => void;
  onCancel: () => void;
};

function PostForm({ ministries, onCreated, onCancel }: FormProps) {
  const t = useI18n().t;
  const countries = useCountryOptions();
  const [organizationId, setOrganizationId] = useState(
    ministries.length === 1 ? (ministries[0]?.id ?? '') : '',
  );
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof POST_KIND_CODES)[number]>('embassy');
  const [country, setCountry] = useState('');
  const [city, setCity] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [address, setAddress] = useState('');
  const [jurisdiction, setJurisdiction] = useState<string[]>([]);
  const [jurisdictionMissing, setJurisdictionMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The post's own country is the usual first country it covers.
    const covers = jurisdiction.length > 0 ? jurisdiction : country ? [country] : [];
    setJurisdictionMissing(covers.length === 0);
    if (covers.length === 0) return;
    setBusy(true);
    setProblem(null);
    // Empty fields are left out rather than sent as null, which the server would store as "".
    const optional = (field: 'city' | 'phone' | 'email' | 'address', value: string) =>
      value.trim() ? { [field]: value.trim() } : {};
    try {
      onCreated(
        await api.createPost({
          organizationId,
          name: name.trim(),
          kind,
          country,
          ...optional('city', city),
          ...optional('phone', phone),
          ...optional('email', email),
          ...optional('address', address),
          jurisdiction: covers,
        }),
      );
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="card form-card" aria-labelledby="post-form-title" onSubmit={submit}>
      <h2 id="post-form-title">{t('postAdmin.formTitle')}</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="post-organization">{t('postAdmin.organization')}</label>
          <select
            id="post-organization"
            required
            value={organizationId}
            onChange={(e) => setOrganizationId(e.target.value)}
          >
            <option value="">{t('common.choose')}</option>
            {ministries.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="post-name">{t('postAdmin.name')}</label>
          <input
            id="post-name"
            required
            maxLength={200}
            dir="auto"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="post-kind">{t('postAdmin.kind')}</label>
          <select
            id="post-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as (typeof POST_KIND_CODES)[number])}
          >
            {POST_KIND_CODES.map((code) => (
              <option key={code} value={code}>
                {codeLabel(t, 'postKind', code)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="post-country">{t('postAdmin.country')}</label>
          <select id="post-country" required value={country} onChange={(e) => setCountry(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="post-city">{t('postAdmin.city')}</label>
          <input
            id="post-city"
            maxLength={200}
            dir="auto"
            value={city}
            onChange={(e) => setCity(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="post-phone">{t('postAdmin.phone')}</label>
          <input
            id="post-phone"
            type="tel"
            dir="ltr"
            maxLength={40}
            placeholder={t('search.phonePlaceholder')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="post-email">{t('postAdmin.email')}</label>
          <input
            id="post-email"
            type="email"
            dir="ltr"
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="post-address">{t('postAdmin.address')}</label>
          <input
            id="post-address"
            maxLength={500}
            dir="auto"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
        </div>
        <div className="form-grid__wide">
          <CountryListField
            id="post-jurisdiction"
            label={t('postAdmin.jurisdiction')}
            hint={t('postAdmin.jurisdictionHint')}
            value={jurisdiction}
            onChange={(codes) => {
              setJurisdiction(codes);
              setJurisdictionMissing(false);
            }}
          />
          {jurisdictionMissing && (
            <p className="field__error" role="alert">
              {t('postAdmin.jurisdictionRequired')}
            </p>
          )}
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('postAdmin.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
