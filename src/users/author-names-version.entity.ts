import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: a number that moves, in the same transaction, whenever a user's public name or role changes (a rename, a
 * new role, an account emptied at deletion), kept by a trigger on `users` (migration AuthorNamesVersion) so that no
 * path can change one without it. Comments show their author's name and role, and a name changes no article's event
 * number: the anonymous readers' answer cache keys on this beside the article's number.
 */
@Entity({ name: 'author_names_version' })
@Check('author_names_version_one_row', `"id" = 1`)
export class AuthorNamesVersionEntity {
  @PrimaryColumn({ type: 'smallint', default: 1, primaryKeyConstraintName: 'author_names_version_pkey' })
  id: number;

  @Column({ type: 'bigint', default: 0 })
  version: string;
}
