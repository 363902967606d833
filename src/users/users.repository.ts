import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { UserEntity } from './user.entity.js';

/** Every query on users. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  /**
   * The account that stands for the author of an imported comment (it cannot sign in). Created on first use; the
   * unique username key makes concurrent imports agree on one row.
   */
  async ensureImportedUser(manager: EntityManager, username: string, displayName: string): Promise<UserEntity> {
    const usernameKey = username.toLowerCase();
    await manager.query(
      `INSERT INTO users (username, username_key, display_name, role, password_hash)
       VALUES ($1, $2, $3, 'reader', NULL) ON CONFLICT (username_key) DO NOTHING`,
      [username, usernameKey, displayName],
    );
    return manager.getRepository(UserEntity).findOneByOrFail({ usernameKey });
  }
}
