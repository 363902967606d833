import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module.js';
import { AccountTokensRepository } from './account-tokens.repository.js';
import { UnsubscribeLinks } from './unsubscribe-links.js';
import { UsersRepository } from './users.repository.js';

@Module({
  imports: [CommonModule],
  providers: [UsersRepository, AccountTokensRepository, UnsubscribeLinks],
  exports: [UsersRepository, AccountTokensRepository, UnsubscribeLinks],
})
export class UsersModule {}
