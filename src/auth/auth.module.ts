import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { MailModule } from '../mail/mail.module.js';
import { CommonModule } from '../common/common.module.js';
import { EventsModule } from '../events/events.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountService } from './account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { SignedInGuard } from './signed-in.guard.js';
import { UnsubscribeController } from './unsubscribe.controller.js';

@Module({
  imports: [UsersModule, CommonModule, AuditModule, EventsModule, MailModule, RateLimitModule],
  controllers: [AuthController, UnsubscribeController],
  providers: [
    AuthService,
    AccountService,
    PasswordHasher,
    SessionsRepository,
    SignedInGuard,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [AuthService, AccountService, SignedInGuard],
})
export class AuthModule {}
