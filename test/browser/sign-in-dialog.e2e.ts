import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { bearer, newUser, PASSWORD, uniqueName } from '../helpers/accounts.js';
import { type ArticleFixture, type CommentFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  commentArticle,
  fillSignIn,
  openBrowser,
  newReader,
  type TestBrowser,
  TIMEOUT,
} from './browser.js';

/** A paragraph of some length: 140 of them make an essay of more than 20,000 pixels at desktop width. */
const PARAGRAPH =
  'An argument worth reading twice runs long: it sets out what it claims, answers the objections it expects, ' +
  'and takes its time over the examples, so that a reader who reaches the end has a reply ready to write. ' +
  'This paragraph stands for one of many such passages, each as long as the last.';

/** Where a comment's own article is in the window, and how far the page is scrolled. */
interface Place {
  top: number;
  bottom: number;
  viewport: number;
  scrollY: number;
}

/** Run in the page (a string: this file is compiled without the DOM's types). */
const PLACE_OF = (id: string) => `(() => {
  const box = document.querySelector('#comment-${id} > article').getBoundingClientRect();
  return { top: box.top, bottom: box.bottom, viewport: window.innerHeight, scrollY: window.scrollY };
})()`;

/** Selects `phrase` in a comment's body, as a reader dragging over it would (run in the page). */
const SELECT_IN_COMMENT = String.raw`function (commentId, phrase) {
  const root = document.querySelector('#comment-' + commentId + ' > article .comment-body');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
    return;
  }
  throw new Error('the phrase is not in one text node of comment ' + commentId);
}`;

/**
 * Signing in where the reader is: from the end of a long essay, Reply, Upvote and "Sign in to comment" open the
 * sign-in dialog over the page; closed, it gives the focus back; signed in or up, the reader is at the same comment
 * with the reply box open, the draft in it and the cursor there. Sign-up shows its rules before anything is typed.
 */
describe('the sign-in dialog brings the reader back where they were', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let article: ArticleFixture;
  /** The comment the reader answers: the last of the thread, below the whole essay. */
  let target: { id: string; author: string };
  /** An essay with more top-level comments than a page, and the last of them, on the second page under Oldest. */
  let paged: ArticleFixture;
  let pagedTarget: { id: string; author: string };
  let fixtures: Fixtures;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
    fixtures = new Fixtures(t.app);
    article = await fixtures.newArticle(Array.from({ length: 140 }, (_, i) => `${i + 1}. ${PARAGRAPH}`));
    const author = await fixtures.newUser(uniqueName('answered'));
    // Older comments first, so that the answered one (the newest, with no votes) comes last under Best.
    for (let i = 0; i < 3; i++)
      await fixtures.newComment({
        article,
        body: `An earlier comment, number ${i + 1}.`,
        createdAt: new Date(Date.UTC(2025, 0, 1 + i)),
        votes: { up: 3 - i, down: 0 },
      });
    const comment = await fixtures.newComment({ article, authorId: author.id, body: 'The last word, for now.' });
    target = { id: comment.id, author: author.username };

    paged = await fixtures.newArticle();
    for (let i = 0; i < 21; i++)
      await fixtures.newComment({ article: paged, createdAt: new Date(Date.UTC(2025, 1, 1, 0, i)) });
    const late = await fixtures.newUser(uniqueName('late'));
    const last = await fixtures.newComment({
      article: paged,
      authorId: late.id,
      body: 'Only on the second page.',
      createdAt: new Date(Date.UTC(2025, 1, 2)),
    });
    pagedTarget = { id: last.id, author: late.username };
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The essay opened anonymously, scrolled down to the answered comment at its end. */
  async function atTheEnd(page: Page): Promise<Locator> {
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    const comment = commentArticle(page, target.author);
    await comment.waitFor();
    // A third of the way down the window, as a reader who has just read it would have it.
    await page.evaluate(
      `window.scrollBy(0, document.querySelector('#comment-${target.id}').getBoundingClientRect().top - 300)`,
    );
    const place = await placeOf(page);
    assert.ok(place.scrollY > 20_000, `the comment is below a long essay (scrolled ${place.scrollY} px)`);
    return comment;
  }

  function placeOf(page: Page): Promise<Place> {
    return page.evaluate<Place>(PLACE_OF(target.id));
  }

  /**
   * The comment's head is on screen, near where it was before the dialog: the page did not jump.
   * (Its reply box, open under it, may run past the bottom of the window.)
   */
  async function assertStillThere(page: Page, before: Place): Promise<void> {
    const now = await placeOf(page);
    assert.ok(now.top >= 0 && now.top < now.viewport - 50, `the comment is in the window (${now.top}-${now.bottom})`);
    // The button pressed is put back where it was: the comment's head moves only by what changed between the two (the
    // box's "posting asks you to sign in" line, gone once signed in).
    assert.ok(Math.abs(now.top - before.top) < 80, `the comment stayed put on screen (${before.top} -> ${now.top})`);
  }

  const FOCUSED_LABEL = `document.activeElement?.labels?.[0]?.textContent?.trim() ?? ''`;
  /**
   * The label of the field with the focus, once it is `expected` or the wait ends: the dialog moves the focus after it
   * is drawn, which a loaded machine may not have done yet when the test looks.
   */
  const focusedLabel = async (page: Page, expected: string) => {
    await page
      .waitForFunction(`(${FOCUSED_LABEL}) === ${JSON.stringify(expected)}`, undefined, { timeout: TIMEOUT })
      .catch(() => undefined);
    return page.evaluate<string>(FOCUSED_LABEL);
  };
  const focusedText = (page: Page) => page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`);

  it('Reply opens the dialog; closed, the reader writes first, signs in, and is back in the box with the draft', async () => {
    const reader = await newUser(t, uniqueName('returner'), { displayName: 'Rita Returner' });
    const { context, page } = await newReader(browser);
    const comment = await atTheEnd(page);
    const before = await placeOf(page);

    await comment.getByRole('button', { name: 'Reply', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in', exact: true });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /To reply, sign in or create an account/);
    assert.equal(await focusedLabel(page, 'Username'), 'Username', 'the focus is in the dialog, on its first field');

    // Escape closes it; the focus is back on Reply, and the box it opened is there to write in.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focusedText(page), 'Reply');
    const box = comment.getByLabel(`Reply to ${target.author}`);
    await box.fill('Written before signing in, and kept.');
    await assertStillThere(page, before);
    await page.screenshot({ path: '/tmp/sign-in-reply-box-anonymous.png' });
    // Kept as any draft is: after a reload the box is open again with it.
    await page.reload();
    await box.waitFor();
    assert.equal(await box.inputValue(), 'Written before signing in, and kept.');

    await comment.getByRole('button', { name: 'Sign in to post' }).click();
    await dialog.waitFor();
    await page.screenshot({ path: '/tmp/sign-in-dialog-to-post.png' });
    // Where the reader is as they sign in (pressing the button scrolled it into view, as a reader would have).
    const asked = await placeOf(page);
    await fillSignIn(page, reader.username, reader.password);

    // Back at the comment, the box open with the draft, the cursor in it; nothing posted yet.
    await comment.locator('textarea:focus').waitFor();
    assert.equal(await box.inputValue(), 'Written before signing in, and kept.');
    await assertStillThere(page, asked);
    await page.screenshot({ path: '/tmp/sign-in-reply-box-back.png' });
    await comment.getByRole('button', { name: 'Post reply' }).click();
    await page
      .locator(`#comment-${target.id} ol.replies li.comment`)
      .filter({ hasText: 'Written before signing in, and kept.' })
      .waitFor();
    await context.close();
  });

  it('signs up in the dialog with the rules shown before typing; a refusal names its field', async () => {
    const { context, page } = await newReader(browser);
    const comment = await atTheEnd(page);
    const before = await placeOf(page);

    await comment.getByRole('button', { name: 'Reply', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Sign in', exact: true })
      .getByRole('button', { name: 'Create an account' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Create an account' });
    // The rules, before anything is typed, are each field's description.
    const username = dialog.getByLabel('Username');
    const password = dialog.getByLabel('Password');
    assert.equal(await focusedLabel(page, 'Username'), 'Username');
    assert.equal(await username.inputValue(), '');
    assert.match(await descriptionOf(username), /^3 to 32 characters: A-Z, a-z, 0-9, _ and -\.$/);
    assert.match(await descriptionOf(password), /^At least 8 characters\.$/);
    assert.match(await dialog.innerText(), /3 to 32 characters: A-Z, a-z, 0-9, _ and -/);

    // A name with a space and a short password: each error stands under its field and names it.
    await username.fill('not allowed');
    await password.fill('short');
    await dialog.getByRole('button', { name: 'Sign up', exact: true }).click();
    assert.equal(await username.getAttribute('aria-invalid'), 'true');
    assert.match(await descriptionOf(username), /Username must be 3 to 32 characters/);
    assert.match(await descriptionOf(password), /Password must be at least 8 characters/);
    assert.equal(await focusedLabel(page, 'Username'), 'Username', 'the first field refused takes the focus');
    await page.screenshot({ path: '/tmp/sign-in-dialog-refused.png' });

    // A taken name comes back from the server, beside the username too.
    const taken = await newUser(t, uniqueName('taken'));
    await username.fill(taken.username);
    await password.fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign up', exact: true }).click();
    await dialog.getByText('That username is taken.').waitFor();
    assert.match(await descriptionOf(username), /That username is taken\./);

    await username.fill(uniqueName('newcomer'));
    await dialog.getByLabel('Display name').fill('Nina Newcomer');
    await dialog.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await comment.locator('textarea:focus').waitFor();
    assert.equal(await comment.getByLabel(`Reply to ${target.author}`).inputValue(), '');
    await assertStillThere(page, before);
    await context.close();
  });

  it('an anonymous vote asks to sign in, then leaves the focus on the same button at the same comment', async () => {
    const reader = await newUser(t, uniqueName('voter'));
    const { context, page } = await newReader(browser);
    const comment = await atTheEnd(page);
    const before = await placeOf(page);
    const upvote = comment.getByRole('button', { name: 'Upvote' });
    await upvote.click();
    const dialog = page.getByRole('dialog', { name: 'Sign in', exact: true });
    assert.match(await dialog.innerText(), /To vote, sign in/);
    await fillSignIn(page, reader.username, reader.password);
    await comment.locator('button.vote.up:focus').waitFor();
    // Not voted for them: the press that follows is theirs to make.
    assert.equal(await upvote.getAttribute('aria-pressed'), 'false');
    await assertStillThere(page, before);
    await upvote.click();
    await comment.locator('button.vote.up[aria-pressed="true"]').waitFor();
    await context.close();
  });

  it('"Sign in to comment" opens the essay’s own box in its place, the cursor in it', async () => {
    const reader = await newUser(t, uniqueName('commenter'));
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    const join = page.getByRole('button', { name: 'Sign in to comment' });
    await join.scrollIntoViewIfNeeded();
    await join.click();
    await fillSignIn(page, reader.username, reader.password);
    await page.locator('#discussion textarea:focus').waitFor();
    assert.equal(await focusedLabel(page, 'Your comment on the essay'), 'Your comment on the essay');
    await context.close();
  });

  it('a passage’s reply button in the margin opens its box once the reader is signed in, the cursor in it', async () => {
    const reader = await newUser(t, uniqueName('margin'));
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    const block = page.locator(`[data-block-id="${article.blocks[60].id}"]`);
    await block.getByRole('button', { name: 'Reply to this passage' }).click();
    assert.match(
      await page.getByRole('dialog', { name: 'Sign in', exact: true }).innerText(),
      /To comment on this passage/,
    );
    await fillSignIn(page, reader.username, reader.password);
    await block.locator('textarea:focus').waitFor();
    assert.equal(await focusedLabel(page, 'Your comment on this passage'), 'Your comment on this passage');
    await context.close();
  });

  it('keeps a comment reached with "More comments" on the page when the reader signs in to answer it', async () => {
    const reader = await newUser(t, uniqueName('pager'));
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${paged.slug}?sort=old`);
    const comment = commentArticle(page, pagedTarget.author);
    await page.getByRole('button', { name: 'More comments' }).click();
    await comment.getByRole('button', { name: 'Reply', exact: true }).click();
    await fillSignIn(page, reader.username, reader.password);
    // The thread is read again for the signed-in reader, as far as it was shown: the box is still open, in use.
    await comment.locator('textarea:focus').waitFor();
    await comment.getByLabel(`Reply to ${pagedTarget.author}`).fill('Answered from the second page.');
    await comment.getByRole('button', { name: 'Post reply' }).click();
    await page
      .locator(`#comment-${pagedTarget.id} ol.replies li.comment`)
      .filter({ hasText: 'Answered from the second page.' })
      .waitFor();
    await context.close();
  });

  it('a passage quoted from a comment before signing in lands in its reply box with the draft; posting works', async () => {
    const quoted = await fixtures.newArticle();
    const author = await fixtures.newUser(uniqueName('quoted'));
    const phrase = 'the objection it never answers';
    const comment = await fixtures.newComment({
      article: quoted,
      authorId: author.id,
      body: `A fair summary, but it leaves out ${phrase}, which is the heart of the matter.`,
    });
    const reader = await newUser(t, uniqueName('quoter'));
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${quoted.slug}`);
    const item = commentArticle(page, author.username);
    // Reply asks to sign in; the reader writes first (the box stays open behind the dialog).
    await item.getByRole('button', { name: 'Reply', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in', exact: true });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const box = item.getByLabel(`Reply to ${author.username}`);
    await box.fill('Written before quoting, and kept.');

    // Anonymous, the reader selects the phrase in the comment (the click that starts the drag leaves the box) and
    // presses Quote: the dialog asks them to sign in.
    await item.locator('.comment-body').click();
    await page.evaluate(`(${SELECT_IN_COMMENT})(${JSON.stringify(comment.id)}, ${JSON.stringify(phrase)})`);
    await page.getByRole('button', { name: 'Quote' }).click();
    assert.match(await dialog.innerText(), /To quote this passage, sign in/);
    await fillSignIn(page, reader.username, reader.password);

    // Signed in: the quote stands in the comment's reply box, the draft under it, the cursor in it.
    await item.locator('textarea:focus').waitFor();
    const form = item.locator('form.reply-box');
    await form.locator('.quote-draft blockquote').getByText(phrase, { exact: true }).waitFor();
    assert.equal(await form.locator('.quote-draft figcaption').innerText(), 'Quoting the comment · Remove the quote');
    assert.equal(await box.inputValue(), 'Written before quoting, and kept.');
    await form.getByRole('button', { name: 'Post reply' }).click();
    const posted = page
      .locator(`#comment-${comment.id} ol.replies li.comment`)
      .filter({ hasText: 'Written before quoting, and kept.' });
    await posted.waitFor();
    assert.equal(await posted.locator('.comment-quote p').innerText(), phrase);
    await context.close();
  });

  it('keeps the replies the reader had opened, at the same place, each with the signed-in reader’s vote', async () => {
    // A comment with more replies than the thread includes (10): the last ones are reached with "Load more replies".
    const branchy = await fixtures.newArticle();
    const root = await fixtures.newComment({ article: branchy, body: 'A comment many answered.' });
    const replies: CommentFixture[] = [];
    for (let i = 0; i < 14; i++)
      replies.push(
        await fixtures.newComment({
          article: branchy,
          parent: root,
          body: `Answer number ${i + 1}.`,
          createdAt: new Date(Date.UTC(2025, 2, 1, 0, i)),
        }),
      );
    const reader = await newUser(t, uniqueName('brancher'));
    // The reader voted on one of the opened replies before, elsewhere: signed in here, the page says so.
    await t.http
      .put(`/api/comments/${replies[11].id}/vote`)
      .set({ Authorization: bearer(reader.token) })
      .send({ value: 1 })
      .expect(200);

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${branchy.slug}?sort=old`);
    const reply = (n: number) => page.locator(`#comment-${replies[n - 1].id} > article`);
    await page.getByRole('button', { name: 'Load 4 more replies' }).click();
    await reply(13).waitFor();
    await page.evaluate(
      `window.scrollBy(0, document.querySelector('#comment-${replies[12].id}').getBoundingClientRect().top - 300)`,
    );
    const placeOfReply = () => page.evaluate<Place>(PLACE_OF(replies[12].id));
    const upvote = reply(13).getByRole('button', { name: 'Upvote' });
    await upvote.click();
    const before = await placeOfReply();
    await fillSignIn(page, reader.username, reader.password);

    // The reader's vote on reply 12 arrives with the thread read for them: the opened replies were read again.
    await reply(12).locator('button.vote.up[aria-pressed="true"]').waitFor();
    for (const n of [11, 13, 14]) assert.equal(await reply(n).count(), 1, `reply ${n} is still on the page`);
    assert.equal(await page.getByRole('button', { name: /Load \d+ more repl/ }).count(), 0);
    await reply(13).locator('button.vote.up:focus').waitFor();
    const now = await placeOfReply();
    assert.ok(Math.abs(now.top - before.top) < 80, `the reply stayed put on screen (${before.top} -> ${now.top})`);
    await context.close();
  });

  for (const [width, height, scheme] of [
    [1280, 900, 'light'],
    [390, 844, 'light'],
    [1280, 900, 'dark'],
    [390, 844, 'dark'],
  ] as const) {
    it(`fits the window at ${width} px (${scheme}); Escape gives the focus back to the header’s button`, async () => {
      const { context, page } = await newReader(browser);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${t.baseUrl}/articles/${article.slug}`);
      const open = page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign up' });
      await open.click();
      const dialog = page.getByRole('dialog', { name: 'Create an account' });
      await dialog.getByLabel('Username').waitFor();
      const box = await dialog.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= width, `the dialog is within the ${width} px window`);
      assert.ok(box.y >= 0 && box.y + box.height <= height, 'and within its height');
      await page.screenshot({ path: `/tmp/sign-in-dialog-${width}-${scheme}.png` });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await focusedText(page), 'Sign up');
      await context.close();
    });
  }
});

/** What a field's aria-describedby points at, in words: the field found by its accessible name in the dialog. */
async function descriptionOf(field: Locator): Promise<string> {
  const id = await field.getAttribute('id');
  return field.page().evaluate<string>(`(() => {
    const field = document.getElementById(${JSON.stringify(id)});
    return (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '').join(' ');
  })()`);
}
