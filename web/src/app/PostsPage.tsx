import { Fragment } from 'react';
import { codeLabel } from '../i18n/dictionary.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { api } from '../shared/api.ts';
import type { PostView } from '../shared/api-types.ts';
import { ProblemMessage } from '../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../shared/useDocumentTitle.ts';
import { useLoad } from '../shared/useLoad.ts';
import './PostsPage.css';

/** The embassies and consulates of the person's country: where to turn for help. */
export function PostsPage() {
  const { t } = useI18n();
  useDocumentTitle(t('posts.title'));
  const posts = useLoad('posts', (signal) => api.posts(signal));
  return (
    <>
      <div className="page-heading">
        <h1>{t('posts.title')}</h1>
        <p>{t('posts.intro')}</p>
      </div>
      {posts.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {posts.status === 'failed' && <ProblemMessage problem={posts.problem} onRetry={posts.reload} />}
      {posts.status === 'ready' &&
        (posts.data.items.length === 0 ? (
          <p className="empty-state card">{t('posts.empty')}</p>
        ) : (
          <ul className="post-list">
            {posts.data.items.map((post) => (
              <PostCard key={post.id} post={post} />
            ))}
          </ul>
        ))}
    </>
  );
}

function PostCard({ post }: { post: PostView }) {
  const { t, format } = useI18n();
  const place = [post.city, format.region(post.country)].filter((part): part is string => Boolean(part));
  return (
    <li className="post card">
      <h2>
        <span dir="auto">{post.name}</span>
      </h2>
      <p className="post__place">
        <span className="badge">{codeLabel(t, 'postKind', post.kind)}</span>{' '}
        {place.map((part, index) => (
          <Fragment key={part}>
            {index > 0 && ' · '}
            <bdi>{part}</bdi>
          </Fragment>
        ))}
      </p>
      <dl className="post__contacts">
        {post.phone && (
          <div>
            <dt>{t('posts.phone')}</dt>
            <dd>
              <a href={`tel:${post.phone}`} dir="ltr">
                {post.phone}
              </a>
            </dd>
          </div>
        )}
        {post.email && (
          <div>
            <dt>{t('posts.email')}</dt>
            <dd>
              <a href={`mailto:${post.email}`} dir="ltr">
                {post.email}
              </a>
            </dd>
          </div>
        )}
        {post.address && (
          <div>
            <dt>{t('posts.address')}</dt>
            <dd dir="auto">{post.address}</dd>
          </div>
        )}
        {post.jurisdiction.length > 0 && (
          <div>
            <dt>{t('posts.jurisdiction')}</dt>
            <dd>{format.list(post.jurisdiction.map(format.region))}</dd>
          </div>
        )}
      </dl>
    </li>
  );
}
