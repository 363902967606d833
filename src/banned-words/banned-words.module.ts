import { Module } from '@nestjs/common';
import { BannedWordsRepository } from './banned-words.repository.js';
import { BannedWords } from './banned-words.service.js';

@Module({ providers: [BannedWordsRepository, BannedWords], exports: [BannedWords] })
export class BannedWordsModule {}
