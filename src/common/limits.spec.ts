import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ReportInputDto } from '../moderation/dto/report.dto.js';
import { EditCommentDto } from '../comments/dto/write-comment.dto.js';
import { COMMENT_BODY_MAX, REPORT_NOTE_MAX } from './limits.js';

const source = (path: string) => readFile(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('limits shared by the server and the web client', () => {
  it('is plain constants that the browser bundle can take: no imports, no decorators', async () => {
    const text = await source('src/common/limits.ts');
    assert.doesNotMatch(text, /^\s*import\b/m);
    assert.doesNotMatch(text, /^\s*@\w/m);
  });

  it('is what the server validates against', () => {
    const report = (note: string) => validateSync(plainToInstance(ReportInputDto, { reason: 'other', note }));
    assert.deepEqual(report('n'.repeat(REPORT_NOTE_MAX)), []);
    assert.equal(report('n'.repeat(REPORT_NOTE_MAX + 1)).length, 1);
    const comment = (body: string) => validateSync(plainToInstance(EditCommentDto, { body }));
    assert.deepEqual(comment('b'.repeat(COMMENT_BODY_MAX)), []);
    assert.equal(comment('b'.repeat(COMMENT_BODY_MAX + 1)).length, 1);
  });

  it('is what the client uses, not numbers copied into its forms', async () => {
    const api = await source('client/src/api.ts');
    assert.match(api, /from '\.\.\/\.\.\/src\/common\/limits\.js'/);
    const components = (await readdir(new URL('../../../client/src/components/', import.meta.url))).filter((name) =>
      name.endsWith('.tsx'),
    );
    assert.ok(components.includes('ReplyBox.tsx') && components.includes('AuthDialog.tsx'));
    for (const component of components) {
      const text = await source(`client/src/components/${component}`);
      assert.doesNotMatch(text, /maxLength=\{\d/, `${component} has a hard-coded maxLength`);
      assert.doesNotMatch(text, /minLength=\{\d/, `${component} has a hard-coded minLength`);
    }
  });
});
