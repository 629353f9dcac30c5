import type { MigrantKey } from './i18n/en.ts';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { meApi, type PostContact } from './me-api.ts';
import { Loading, ProblemNote } from './Status.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';
import { useMeLoad } from './useMeLoad.ts';

const KINDS = ['embassy', 'consulate', 'mission'] as const;

/** The embassies and consulates that cover where the person is: one tap to call or write. */
export function ContactsPage() {
  const { t } = useMigrantI18n();
  useDocumentTitle(t('contacts.title'));
  const contacts = useMeLoad('contacts', (signal) => meApi.contacts(signal));
  return (
    <>
      <h1>{t('contacts.title')}</h1>
      <p>{t('contacts.intro')}</p>
      {contacts.status === 'loading' && <Loading />}
      {contacts.status === 'failed' && <ProblemNote problem={contacts.problem} onRetry={contacts.reload} />}
      {contacts.status === 'ready' && (
        <>
          {!contacts.data.covering && contacts.data.items.length > 0 && (
            <p className="note">{t('contacts.notCovering')}</p>
          )}
          {contacts.data.items.length === 0 ? (
            <p className="card empty">{t('contacts.empty')}</p>
          ) : (
            <ul className="list">
              {contacts.data.items.map((post) => (
                <PostCard key={post.id} post={post} />
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function PostCard({ post }: { post: PostContact }) {
  const { t, region } = useMigrantI18n();
  const kind = (KINDS as readonly string[]).includes(post.kind)
    ? t(`postKind.${post.kind}` as MigrantKey)
    : post.kind;
  return (
    <li className="card post">
      <h2 dir="auto">{post.name}</h2>
      <p className="post__place">
        <span className="badge">{kind}</span>{' '}
        <bdi>{[post.city, region(post.country)].filter(Boolean).join(', ')}</bdi>
      </p>
      <div className="post__actions">
        {post.phone && (
          <a className="button button--call" href={`tel:${post.phone}`}>
            {t('contacts.call')} <bdi dir="ltr">{post.phone}</bdi>
          </a>
        )}
        {post.email && (
          <a className="button button--quiet" href={`mailto:${post.email}`}>
            {t('contacts.email')} <bdi dir="ltr">{post.email}</bdi>
          </a>
        )}
      </div>
      {post.address && (
        <p className="post__address">
          <span className="field__label">{t('contacts.address')}</span> <span dir="auto">{post.address}</span>
        </p>
      )}
    </li>
  );
}
