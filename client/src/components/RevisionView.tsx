import { useEffect, useState } from 'preact/hooks';
import { ApiError, essayApi, type EssayRevision } from '../api.js';
import { PageNotice } from './PageNotice.js';

/** A past revision of an essay, read-only, as it read then (public, like the essay), with the way to the current one. */
export function RevisionView({ slug, revision }: { slug: string; revision: number }) {
  const [page, setPage] = useState<EssayRevision | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    essayApi.revision(slug, revision).then(
      (loaded) => {
        if (!live) return;
        setPage(loaded);
        document.title = `${loaded.title} (revision ${loaded.revision}) · Essay forum`;
      },
      (failure: unknown) => {
        if (live)
          setError(
            failure instanceof ApiError && failure.status === 404
              ? 'There is no such revision of this essay.'
              : 'The revision could not be loaded. Reload the page to try again.',
          );
      },
    );
    return () => {
      live = false;
    };
  }, [slug, revision]);

  // An address like /articles/x/revisions/2#block-y (a revised quote's link): scroll to the passage once it is there.
  useEffect(() => {
    if (page && window.location.hash.startsWith('#block-'))
      document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
  }, [page]);

  if (error) return <PageNotice title={error} />;
  if (!page) return <p class="muted page-loading">Loading the revision…</p>;
  return (
    <article class="essay revision-view" aria-labelledby="essay-title">
      <p class="revision-notice" role="note">
        Revision {page.revision}, as the essay read then. It cannot be changed or discussed here.{' '}
        <a href={`/articles/${encodeURIComponent(slug)}`}>Read the current essay.</a>
      </p>
      <header class="essay-head">
        <h1 id="essay-title">{page.title}</h1>
      </header>
      <div class="blocks">
        {page.blocks.map((block) => (
          <div key={block.id} class={`block-text block-${block.kind}`} id={`block-${block.id}`}>
            <div dangerouslySetInnerHTML={{ __html: block.html }} />
          </div>
        ))}
      </div>
    </article>
  );
}
