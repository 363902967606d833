import { type Block } from '../api.js';
import { type BlockChange, type Draft, type Field } from '../essay-form.js';

/**
 * The fields of an essay, on the publish and edit screens alike: each refusal of the server beside its field, which
 * says it is invalid and is described by it.
 */
export function EssayFields({
  draft,
  errors,
  idPrefix,
  onChange,
}: {
  draft: Draft;
  errors: Partial<Record<Field, string>>;
  idPrefix: string;
  onChange: (field: Field, value: string) => void;
}) {
  const input = (field: Field) => ({
    name: field,
    value: draft[field],
    onInput: (event: Event) => onChange(field, (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `${idPrefix}-${field}-error` : undefined,
  });
  const error = (field: Field) =>
    errors[field] ? (
      <p class="error field-error" id={`${idPrefix}-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  return (
    <>
      <label>
        Title
        <input {...input('title')} />
      </label>
      {error('title')}
      <label>
        Author
        <input {...input('author')} />
      </label>
      {error('author')}
      <label>
        Tags <span class="muted">(separated by commas)</span>
        <input {...input('tags')} />
      </label>
      {error('tags')}
      <label>
        Canonical URL <span class="muted">(the essay’s address on the publisher’s site; optional)</span>
        <input {...input('canonicalUrl')} inputMode="url" />
      </label>
      {error('canonicalUrl')}
      <label>
        Markdown source
        <textarea {...input('body')} class="editor-source" rows={18} />
      </label>
      {error('body')}
    </>
  );
}

/**
 * An essay's blocks as the server renders them (its sanitised html), under the title as it stands in the form; with
 * `changes`, the new and edited passages marked and named.
 */
export function EssayBlocks({
  title,
  blocks,
  stale = false,
  changes = [],
}: {
  title: string;
  blocks: Pick<Block, 'kind' | 'html'>[];
  /** The blocks are of an earlier draft (a newer one is being asked about): shown faded. */
  stale?: boolean;
  changes?: BlockChange[];
}) {
  return (
    <div class={stale ? 'essay preview-stale' : 'essay'}>
      <h3 class="preview-title">{title.trim() || <span class="muted">Untitled</span>}</h3>
      {blocks.map((block, index) => {
        const change = changes[index] ?? null;
        return (
          <div key={index} class={change ? `block-change block-${change}` : undefined}>
            {change && <p class="block-change-label">{change === 'new' ? 'New passage' : 'Edited'}</p>}
            <div class={`block-text block-${block.kind}`} dangerouslySetInnerHTML={{ __html: block.html }} />
          </div>
        );
      })}
    </div>
  );
}

/** What the preview shows now, in a line: nothing yet, an answer for an earlier draft, or why there is none. */
export function PreviewState({ empty, current, error }: { empty: boolean; current: boolean; error: string | null }) {
  if (error)
    return (
      <p class="preview-state error" role="status">
        {error}
      </p>
    );
  return (
    <p class="preview-state muted">
      {empty
        ? 'The essay appears here as you write it.'
        : current
          ? 'As the server renders it: what readers will see.'
          : 'Updating the preview…'}
    </p>
  );
}
