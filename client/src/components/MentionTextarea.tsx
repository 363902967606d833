import { type Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { accountApi, MENTION_PREFIX_MIN, type User } from '../api.js';
import { completeMention, mentionAtCaret, type TypedMention } from '../mentions.js';
import { AuthorName } from './AuthorName.js';

/** How long typing pauses before the names are asked for: one lookup per pause, not per keystroke. */
const LOOKUP_DELAY_MS = 150;

let fields = 0;

interface Props {
  id: string;
  value: string;
  onValue: (value: string) => void;
  textareaRef: Ref<HTMLTextAreaElement>;
  rows: number;
  maxLength: number;
  name?: string;
  disabled?: boolean;
  describedBy?: string;
  /** Whether to look names up: the server suggests them to signed-in writers only. */
  suggest?: boolean;
}

/**
 * A comment's textarea with `@` autocomplete: typing `@` and two characters of a username lists the names that start
 * so under the box (a listbox the textarea points at with aria-activedescendant, so the focus stays in the text).
 * Arrow keys move through it, Enter or Tab puts the name in, Escape closes it; a click picks too.
 */
export function MentionTextarea({
  id,
  value,
  onValue,
  textareaRef,
  rows,
  maxLength,
  name,
  disabled,
  describedBy,
  suggest = true,
}: Props) {
  const listId = useRef(`mentions-${++fields}`).current;
  const area = useRef<HTMLTextAreaElement | null>(null);
  const [typed, setTyped] = useState<TypedMention | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [active, setActive] = useState(0);
  /** The prefix closed with Escape: its list stays closed until the name typed changes. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const asked = useRef(0);

  const open = typed !== null && users.length > 0 && dismissed !== `${typed.start}:${typed.prefix}`;

  // Asks for the names once typing pauses; an answer to an earlier prefix is dropped.
  useEffect(() => {
    const ask = ++asked.current;
    if (!suggest || !typed || typed.prefix.length < MENTION_PREFIX_MIN) {
      setUsers([]);
      return;
    }
    const timer = setTimeout(() => {
      accountApi.suggestUsers(typed.prefix).then(
        (answer) => {
          if (ask !== asked.current) return;
          setUsers(answer.items);
          setActive(0);
        },
        () => {
          if (ask === asked.current) setUsers([]);
        },
      );
    }, LOOKUP_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed?.start, typed?.prefix, suggest]);

  /** Where the caret is now: in a name being typed, or not. */
  const follow = (field: HTMLTextAreaElement) => {
    const found =
      field.selectionStart === field.selectionEnd ? mentionAtCaret(field.value, field.selectionStart) : null;
    setTyped((before) =>
      before && found && before.start === found.start && before.prefix === found.prefix && before.end === found.end
        ? before
        : found,
    );
  };

  const pick = (user: User) => {
    const field = area.current;
    if (!field || !typed) return;
    const done = completeMention(field.value, typed, user.username);
    onValue(done.text);
    setTyped(null);
    setUsers([]);
    // After the new value is in the field.
    queueMicrotask(() => {
      field.focus();
      field.setSelectionRange(done.caret, done.caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((at) => (at + step + users.length) % users.length);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      event.preventDefault();
      pick(users[Math.min(active, users.length - 1)]);
    } else if (event.key === 'Escape' && typed) {
      // Closes the list only: the form around it (an edit, a reply) stays open.
      event.preventDefault();
      event.stopPropagation();
      setDismissed(`${typed.start}:${typed.prefix}`);
    }
  };

  return (
    <div class="mention-field">
      <textarea
        id={id}
        ref={(field) => {
          area.current = field;
          if (typeof textareaRef === 'function') textareaRef(field);
          else if (textareaRef) textareaRef.current = field;
        }}
        name={name}
        rows={rows}
        maxLength={maxLength}
        value={value}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onInput={(e) => {
          onValue(e.currentTarget.value);
          follow(e.currentTarget);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End')
            follow(e.currentTarget);
        }}
        onClick={(e) => follow(e.currentTarget)}
        onBlur={() => setTyped(null)}
      />
      {open && (
        <ul id={listId} role="listbox" class="mention-list" aria-label="People to mention">
          {users.map((user, index) => (
            <li
              key={user.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              class={index === active ? 'active' : undefined}
              // Picks before the textarea loses the focus (a blur would close the list first).
              onMouseDown={(e) => {
                e.preventDefault();
                pick(user);
              }}
            >
              <AuthorName user={user} link={false} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
