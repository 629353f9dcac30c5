import { type FormEvent, useMemo, useState } from 'react';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type {
  CreatedToken,
  CreatedUser,
  OrganizationView,
  PostView,
  UserView,
} from '../../shared/api-types.ts';
import { Dialog } from '../../shared/Dialog.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { SecretReveal } from '../../shared/SecretReveal.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { ROLE_CODES } from '../permissions.ts';
import '../../shared/DataTable.css';

/** Accounts: the list, a form to create one (its one-time password shown once), and API tokens. */
export function UsersPanel() {
  const { t, format } = useI18n();
  const users = useLoad('users', (signal) => api.users(signal));
  const organizations = useLoad('organizations', (signal) => api.organizations(signal));
  const posts = useLoad('posts', (signal) => api.posts(signal));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const [tokenFor, setTokenFor] = useState<UserView | null>(null);

  const orgName = useMemo(() => {
    const names = new Map(
      organizations.status === 'ready' ? organizations.data.items.map((o) => [o.id, o.name]) : [],
    );
    return (id: string) => names.get(id) ?? id;
  }, [organizations]);
  const postName = useMemo(() => {
    const names = new Map(posts.status === 'ready' ? posts.data.items.map((p) => [p.id, p.name]) : []);
    return (id: string) => names.get(id) ?? id;
  }, [posts]);

  return (
    <section aria-labelledby="users-heading">
      <div className="panel-heading">
        <h2 id="users-heading">{t('admin.tab.users')}</h2>
        {!creating && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            {t('users.new')}
          </button>
        )}
      </div>

      {created && (
        <section className="card created-card" aria-labelledby="user-created-title">
          <h2 id="user-created-title">{t('users.created', { email: created.user.email })}</h2>
          <SecretReveal
            label={t('users.oneTimePassword')}
            secret={created.oneTimePassword}
            note={t('users.oneTimeNote')}
          />
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setCreated(null)}>
              {t('common.done')}
            </button>
          </div>
        </section>
      )}

      {creating && (
        <CreateUserForm
          organizations={organizations.status === 'ready' ? organizations.data.items : []}
          posts={posts.status === 'ready' ? posts.data.items : []}
          onCancel={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
            users.reload();
          }}
        />
      )}

      {users.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {users.status === 'failed' && <ProblemMessage problem={users.problem} onRetry={users.reload} />}
      {users.status === 'ready' && users.data.items.length === 0 && (
        <p className="empty-state card">{t('users.empty')}</p>
      )}
      {users.status === 'ready' && users.data.items.length > 0 && (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('admin.tab.users')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('users.email')}</th>
                <th scope="col">{t('users.role')}</th>
                <th scope="col">{t('users.organization')}</th>
                <th scope="col">{t('users.post')}</th>
                <th scope="col">{t('users.createdAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id}>
                  <th scope="row" data-label={t('users.email')}>
                    <span dir="ltr">{user.email}</span>
                  </th>
                  <td data-label={t('users.role')}>
                    <span>{codeLabel(t, 'role', user.role)}</span>
                  </td>
                  <td data-label={t('users.organization')}>
                    <span dir="auto">{orgName(user.organizationId)}</span>
                  </td>
                  <td data-label={t('users.post')}>
                    <span dir="auto">{user.postId ? postName(user.postId) : t('common.empty')}</span>
                  </td>
                  <td data-label={t('users.createdAt')}>
                    <span>{format.date(user.createdAt)}</span>
                  </td>
                  <td data-label="">
                    <button
                      type="button"
                      className="button button--small"
                      aria-label={t('token.createFor', { email: user.email })}
                      onClick={() => setTokenFor(user)}
                    >
                      {t('token.create')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Dialog
        title={tokenFor ? t('token.createFor', { email: tokenFor.email }) : ''}
        open={tokenFor !== null}
        onClose={() => setTokenFor(null)}
      >
        {tokenFor && <TokenForm user={tokenFor} onDone={() => setTokenFor(null)} />}
      </Dialog>
    </section>
  );
}

type CreateUserFormProps = {
  organizations: OrganizationView[];
  posts: PostView[];
  onCreated: (created: CreatedUser) => void;
  onCancel: () => void;
};

function CreateUserForm({ organizations, posts, onCreated, onCancel }: CreateUserFormProps) {
  const { t, format } = useI18n();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [postId, setPostId] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const needsPost = role === 'consular_officer';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onCreated(
        await api.createUser({
          email: email.trim(),
          role,
          organizationId,
          ...(needsPost ? { postId } : {}),
        }),
      );
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="card form-card" aria-labelledby="user-form-title" onSubmit={submit}>
      <h2 id="user-form-title">{t('users.formTitle')}</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="user-email">{t('users.email')}</label>
          <input
            id="user-email"
            type="email"
            dir="ltr"
            autoComplete="off"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="user-role">{t('users.role')}</label>
          <select id="user-role" required value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {ROLE_CODES.map((code) => (
              <option key={code} value={code}>
                {codeLabel(t, 'role', code)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-organization">{t('users.organization')}</label>
          <select
            id="user-organization"
            required
            value={organizationId}
            onChange={(e) => setOrganizationId(e.target.value)}
          >
            <option value="">{t('common.choose')}</option>
            {organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name} ({codeLabel(t, 'orgType', org.type)})
              </option>
            ))}
          </select>
        </div>
        {needsPost && (
          <div className="field">
            <label htmlFor="user-post">{t('users.post')}</label>
            <select
              id="user-post"
              required
              aria-describedby="user-post-hint"
              value={postId}
              onChange={(e) => setPostId(e.target.value)}
            >
              <option value="">{t('common.choose')}</option>
              {posts.map((post) => (
                <option key={post.id} value={post.id}>
                  {post.name} ({format.list(post.jurisdiction.map(format.region))})
                </option>
              ))}
            </select>
            <p className="field__hint" id="user-post-hint">
              {t('users.postHint')}
            </p>
          </div>
        )}
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('users.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const DEFAULT_TOKEN_DAYS = 30;

function TokenForm({ user, onDone }: { user: UserView; onDone: () => void }) {
  const { t, format } = useI18n();
  const [days, setDays] = useState(String(DEFAULT_TOKEN_DAYS));
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const trimmed = label.trim();
      setCreated(
        await api.createToken({
          email: user.email,
          expiresInDays: Number(days),
          ...(trimmed ? { label: trimmed } : {}),
        }),
      );
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <>
        <SecretReveal label={t('token.value')} secret={created.token} note={t('token.onceNote')} />
        <p>{t('token.expiresAt', { date: format.dateTime(created.expiresAt) })}</p>
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={onDone}>
            {t('common.done')}
          </button>
        </div>
      </>
    );
  }
  return (
    <form onSubmit={submit}>
      <p className="muted">{t('token.intro')}</p>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="token-days">{t('token.expires')}</label>
          <input
            id="token-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={366}
            required
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="token-label">{t('token.label')}</label>
          <input
            id="token-label"
            maxLength={100}
            aria-describedby="token-label-hint"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
          <p className="field__hint" id="token-label-hint">
            {t('token.labelHint')}
          </p>
        </div>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('token.submit')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
