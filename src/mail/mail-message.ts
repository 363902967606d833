/** One mail, as it is queued (a job's payload: plain JSON) and sent. */
export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text part: every mail has one. */
  text: string;
  /** The HTML part; every user-supplied string in it escaped (escapeHtml). */
  html: string;
  /** Extra headers, such as List-Unsubscribe. */
  headers?: Record<string, string>;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values (double- or single-quoted). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/**
 * A small HTML mail: the paragraphs (already HTML: escape what they hold) and a button-like link, in a layout that
 * mail clients show alike (no stylesheet, no script, no images).
 */
export function htmlMail(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n');
  const button = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html>\n<html><body>\n${body}${button}\n</body></html>\n`;
}
