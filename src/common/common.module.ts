import { Module } from '@nestjs/common';
import { LiveFanoutStatus } from './live-fanout-status.js';
import { CursorCodec } from './pagination/cursor-codec.js';
import { SecretsRepository } from './secrets.repository.js';

@Module({
  providers: [SecretsRepository, CursorCodec, LiveFanoutStatus],
  exports: [CursorCodec, SecretsRepository, LiveFanoutStatus],
})
export class CommonModule {}
