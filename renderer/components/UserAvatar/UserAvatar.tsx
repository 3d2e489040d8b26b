import './UserAvatar.scss';

/** "Ana Accountant" → "AA"; an email's first letter when there is no name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A round badge with the person's initials; decorative, the button around it carries the name. */
export function UserAvatar({ name, className }: { name: string; className?: string }) {
  return (
    <span className={`tab-avatar ${className ?? ''}`} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
