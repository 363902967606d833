import type { Article } from '../api.js';
import { formatDate, plural } from '../format.js';
import { MarginStances } from './Stances.js';

/**
 * The essay block by block (the server's sanitised html), each with the count of comments that quote it and, under
 * it, those comments by stance.
 */
export function Essay({
  article,
  filter,
  onFilter,
}: {
  article: Article;
  filter: string | null;
  onFilter: (blockId: string | null) => void;
}) {
  return (
    <article class="essay" aria-labelledby="essay-title">
      <header class="essay-head">
        <h1 id="essay-title">{article.title}</h1>
        <p class="byline">
          {article.author}
          {article.publishedAt && (
            <>
              {' · '}
              <time dateTime={article.publishedAt}>{formatDate(article.publishedAt)}</time>
            </>
          )}
        </p>
        {article.source && <p class="source">{article.source}</p>}
      </header>
      <div class="blocks">
        {article.blocks.map((block) => (
          <div
            key={block.id}
            class={`block block-${block.kind}${filter === block.id ? ' selected' : ''}`}
            id={`block-${block.id}`}
            data-block-id={block.id}
          >
            <div class="block-text" dangerouslySetInnerHTML={{ __html: block.html }} />
            <div class="margin">
              {block.commentCount > 0 && (
                <button
                  type="button"
                  class="margin-count"
                  aria-pressed={filter === block.id}
                  aria-label={`${plural(block.commentCount, 'comment')} on this passage`}
                  title="Show the comments that quote this passage"
                  onClick={() => onFilter(filter === block.id ? null : block.id)}
                >
                  {block.commentCount}
                </button>
              )}
              <MarginStances stances={block.stances} />
            </div>
          </div>
        ))}
      </div>
    </article>
  );
}
