/** A page that cannot be shown (missing, failed to load): what went wrong, and the way back to the essays. */
export function PageNotice({ title, text }: { title: string; text?: string }) {
  return (
    <section class="notice">
      <h1>{title}</h1>
      <p>
        {text ? `${text} ` : ''}
        <a href="/">See the essays.</a>
      </p>
    </section>
  );
}
