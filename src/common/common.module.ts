import { Module } from '@nestjs/common';
import { CursorCodec } from './pagination/cursor-codec.js';
import { SecretsRepository } from './secrets.repository.js';

@Module({
  providers: [SecretsRepository, CursorCodec],
  exports: [CursorCodec, SecretsRepository],
})
export class CommonModule {}
