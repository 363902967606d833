import { Global, Module } from '@nestjs/common';
import { UnitOfWork } from './unit-of-work.js';

/** Transactions for services. */
@Global()
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class DatabaseToolsModule {}
